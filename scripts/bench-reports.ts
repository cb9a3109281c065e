/**
 * `npm run bench:reports [-- rows]`: how the list and report queries hold up at scale. Loads
 * `rows` synthetic complaints (default 1,000,000) into a fresh embedded Postgres (or the empty
 * database at BENCH_DATABASE_URL), then runs EXPLAIN ANALYZE on each query the API issues and
 * prints its time and plan. A benchmark, not a test: its numbers depend on the machine.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchedQueries, explainAnalyze, loadSyntheticComplaints, repeatDetectionPlan } from '../db/benchmark';
import { createDatabase } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { findEarlierCases } from '../db/repeats';
import { normalizeKey } from '../workflows/projection';

const rows = Number(process.argv[2] ?? 1_000_000);
const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  let url = process.env.BENCH_DATABASE_URL;
  let stop: () => Promise<void> = async () => undefined;
  if (!url) {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'complaints-bench-'));
    chmodSync(parent, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: 55432, database: 'bench' });
    url = embedded.url;
    stop = () => embedded.stop();
  }
  const database = createDatabase(url, { max: 2, bulk: true });
  try {
    await runMigrations(database);
    const started = Date.now();
    log(`loading ${rows.toLocaleString()} complaints over two years ...`);
    await loadSyntheticComplaints(database.pool, rows);
    log(`loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    for (const [name, query] of benchedQueries) {
      const { time, scan } = await explainAnalyze(database.pool, query);
      log(`${name}: ${time} — ${scan}`);
    }

    const repeatStarted = process.hrtime.bigint();
    await findEarlierCases(database.db, {
      category: 'cat-5',
      polluterKey: normalizeKey('企业 77'),
      addressKey: normalizeKey('地址 1234'),
      lat: 22.6,
      lng: 113.6,
      at: new Date(),
      windowDays: 90,
      radiusMeters: 200,
    });
    log(`repeat detection: ${(Number(process.hrtime.bigint() - repeatStarted) / 1e6).toFixed(1)} ms (first call, cold)`);
    log(`repeat detection plan: ${(await repeatDetectionPlan(database.db)).slice(0, 3).join(' | ')}`);
  } finally {
    await database.close();
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
