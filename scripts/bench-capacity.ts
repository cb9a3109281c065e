/**
 * `npm run bench:capacity [-- --cases N] [-- --smoke]`: how many open cases one worker holds, and
 * what a case costs to move once the worker has evicted it (issue 16). A benchmark, not a test: it
 * prints its table and writes it into docs/performance.md (not with --smoke, which only proves the
 * harness runs).
 *
 * It registers N cases (100,000 by default) through the API of the service as `npm start` runs
 * it, each with its dispatch deadline pending, then reads what the processes hold, then accepts a sample of
 * the newest cases (still in the worker's cache) and of the oldest (evicted long ago) one at a time
 * and compares what a step cost each. The method is written in docs/performance.md.
 *
 * Bounded: it gives up after 2 hours (10 minutes for the smoke run), and always stops what it started.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import pg from 'pg';
import { dataConverterFor, developmentPayloadKeys } from '../lib/codec';
import { connectClient } from '../lib/temporal';
import { projectRoot } from '../lib/temporal-binaries';
import { actors } from '../test/helpers/cases';
import { freePort } from '../test/helpers/ports';
import { workflowIdFor } from '../workflows/case';
import { actionUpdate } from '../workflows/definitions';
import { runBounded } from './bench/bounded';
import { collectedHeap, inspectOn } from './bench/heap';
import { cpuReading, cpuSpent, rssKiB, serviceProcesses } from './bench/proc';
import { machine, writeResults } from './bench/results';
import { markdownTable, median, table } from './bench/stats';
import { submission } from './bench/submission';
import { startService, type ServiceUnderTest } from './service-under-test';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const option = (name: string) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : undefined);
const cases = smoke ? 200 : (option('--cases') ?? 100_000);
/** The smoke run caps the cache so that its few cases are evicted too; the real run keeps the SDK's default, as the README advises. */
const cacheSize = smoke ? 50 : undefined;
/** Cases accepted from each end to compare a cached step with an evicted one. */
const sampleSize = smoke ? 5 : 50;
/** Starts ahead of the worker: opening waits while more than this many cases have no row yet. */
const aheadOfWorker = 500;
const concurrency = 20;
const boundMs = (smoke ? 10 : 120) * 60_000;
const log = (line: string) => console.log(`[capacity] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

interface Setup {
  service: ServiceUnderTest;
  client: Client;
  database: pg.Pool;
}

const serviceProcess = (setup: Setup) => serviceProcesses(setup.service.pid)['service (worker + API)']![0]!;
const residentOf = (setup: Setup, group: string) => (serviceProcesses(setup.service.pid)[group] ?? []).reduce((sum, pid) => sum + rssKiB(pid), 0);

/** Cases whose workflow has written their row (an intake writes it at sequence 0, the workflow's first change after). */
async function projected(setup: Setup): Promise<number> {
  const { rows } = await setup.database.query<{ n: string }>('select count(*) as n from complaints where last_seq > 0');
  return Number(rows[0]?.n ?? 0);
}

/** Registers `cases` cases through the API, never more than `aheadOfWorker` ahead of the workflows' rows; their ids in order. */
async function openCases(setup: Setup): Promise<string[]> {
  const ids: string[] = [];
  let done = await projected(setup);
  const base = done;
  let lastReport = Date.now();
  const started = Date.now();
  const report = () =>
    log(
      `registered ${ids.length.toLocaleString('en')} of ${cases.toLocaleString('en')} (${((ids.length / (Date.now() - started)) * 1000).toFixed(0)}/s), ` +
        `${(done - base).toLocaleString('en')} with their workflow's row; worker ${mib(rssKiB(serviceProcess(setup)))}, Temporal server ${mib(residentOf(setup, 'Temporal server'))} resident`,
    );
  // The loops waiting on the worker share one count at a time rather than each asking Postgres.
  let reading: Promise<void> | undefined;
  const refresh = () =>
    (reading ??= projected(setup).then((n) => {
      done = n;
      reading = undefined;
    }));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases) {
        next += 1;
        while (next - (done - base) > aheadOfWorker) {
          await sleep(200);
          await refresh();
        }
        const response = await fetch(`${setup.service.api}/complaints`, {
          method: 'POST',
          headers: { ...setup.service.credentials.integrator, 'content-type': 'application/json' },
          body: JSON.stringify(submission()),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        if (response.status !== 201) throw new Error(`POST /complaints answered ${response.status}: ${text.slice(0, 300)}`);
        ids.push((JSON.parse(text) as { id: string }).id);
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          await refresh();
          report();
        }
      }
    }),
  );
  const deadline = Date.now() + 10 * 60_000;
  while ((done = await projected(setup)) - base < cases) {
    if (Date.now() > deadline) throw new Error(`only ${done - base} of ${cases} workflows had written their row 10 minutes after the last intake`);
    await sleep(500);
  }
  report();
  return ids;
}

/** Accepts each case one after another: the median wall time of a step, and the CPU per step of the serving processes. */
async function steps(setup: Setup, ids: string[]): Promise<{ wall: number; cpu: number }> {
  const before = cpuReading(serviceProcesses(setup.service.pid));
  const walls: number[] = [];
  for (const id of ids) {
    const handle: WorkflowHandle = setup.client.workflow.getHandle(workflowIdFor(id));
    const at = performance.now();
    await handle.executeUpdate(actionUpdate('accept'), { args: [{ actor: actors.registrar }] });
    walls.push(performance.now() - at);
  }
  const spent = cpuSpent(before, cpuReading(serviceProcesses(setup.service.pid)));
  return { wall: median(walls), cpu: Object.values(spent).reduce((a, b) => a + b, 0) / ids.length };
}

async function main(): Promise<void> {
  let service: ServiceUnderTest | undefined;
  let client: Client | undefined;
  let database: pg.Pool | undefined;
  const cleanup = async () => {
    await database?.end().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await service?.stop();
  };
  await runBounded(boundMs, log, cleanup, async () => {
    mkdirSync(path.join(projectRoot, '.data'), { recursive: true });
    const inspectPort = await freePort();
    service = await startService({
      log,
      logFile: path.join(projectRoot, '.data', 'bench-capacity-service.log'),
      env: {
        RATE_LIMIT_PER_MINUTE: '1000000',
        NODE_OPTIONS: inspectOn(inspectPort),
        ...(cacheSize ? { WORKER_CACHED_CASES: String(cacheSize) } : {}),
      },
    });
    client = await connectClient(
      { temporalAddress: service.temporalAddress, temporalNamespace: 'default' },
      dataConverterFor(developmentPayloadKeys(path.join(service.dataDir, 'dev-payload-keys'))),
    );
    database = new pg.Pool({ connectionString: service.databaseUrl, max: 2 });
    const setup: Setup = { service, client, database };

    const idle = { heap: await collectedHeap(serviceProcess(setup), inspectPort), rss: rssKiB(serviceProcess(setup)) };
    log(`the worker holds ${mib(idle.heap.kiB)} of heap and ${mib(idle.rss)} resident with no case; registering ${cases.toLocaleString('en')} cases ...`);
    const openedAt = Date.now();
    const ids = await openCases(setup);
    const openSeconds = (Date.now() - openedAt) / 1000;
    const open = (await client.workflow.count('WorkflowType="complaintWorkflow" AND ExecutionStatus="Running"')).count;
    const held = { heap: await collectedHeap(serviceProcess(setup), inspectPort), rss: rssKiB(serviceProcess(setup)) };
    const server = residentOf(setup, 'Temporal server');
    const postgres = residentOf(setup, 'Postgres');

    // The newest cases were the last to run a workflow task: in the cache. The oldest were evicted
    // once the cache filled, and are replayed from their history before the step.
    log(`accepting the ${sampleSize} newest cases (cached), then the ${sampleSize} oldest (evicted) ...`);
    const cached = await steps(setup, ids.slice(-sampleSize));
    const evicted = await steps(setup, ids.slice(0, sampleSize));

    const header = ['measure', 'value'];
    const rows = [
      ['cases registered (the dispatch deadline pending)', cases.toLocaleString('en')],
      ['open in Temporal afterwards', open.toLocaleString('en')],
      ['registration rate', `${(cases / openSeconds).toFixed(0)} /s (${(openSeconds / 60).toFixed(1)} min)`],
      ['worker cache', cacheSize ? `${cacheSize} cases (WORKER_CACHED_CASES)` : "the SDK's default"],
      ['worker heap after collection, idle → open cases', `${mib(idle.heap.kiB)} → ${mib(held.heap.kiB)}`],
      ['worker resident, idle → open cases', `${mib(idle.rss)} → ${mib(held.rss)}`],
      ['Temporal server resident', mib(server)],
      ['Postgres resident (all processes)', mib(postgres)],
      ['a step (accept) on a cached case: wall, median / CPU', `${cached.wall.toFixed(0)} ms / ${cached.cpu.toFixed(0)} ms`],
      ['a step on an evicted case: wall, median / CPU', `${evicted.wall.toFixed(0)} ms / ${evicted.cpu.toFixed(0)} ms`],
      ['evicted / cached: wall / CPU', `${(evicted.wall / cached.wall).toFixed(2)} / ${(evicted.cpu / cached.cpu).toFixed(2)}`],
    ];
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    console.log(`\n${table(header, rows)}\n\n${machine()}`);
    if (smoke) {
      log('smoke run: docs/performance.md left as it is');
      return;
    }
    const written = writeResults(
      'capacity',
      [`Measured ${when} UTC on ${machine()}; load average (1 min) ${os.loadavg()[0]!.toFixed(1)} at the end.`, '', markdownTable(header, rows)].join('\n'),
    );
    log(`written into ${written}`);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
