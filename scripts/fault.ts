/**
 * `npm run fault`: drives cases through their whole lifecycle over the HTTP API of `npm start`
 * while Postgres connections are cut and the service is SIGKILLed and restarted, then checks that
 * nothing was lost or duplicated. Bounded in cases, attempts and time; not part of CI, kept to
 * repeat the measurement of issue 12 (and later against a real cluster).
 *
 *  1. register and accept/assign FAULT_CASES cases while every Postgres backend but ours is
 *     terminated every FAULT_TERMINATE_MS (mid-transaction, some of them);
 *  2. SIGKILL the service's process (its children must go with it) and start it again on the
 *     same data folder and ports;
 *  3. acknowledge, result and callback every case, still terminating backends;
 *  4. check: every case closed with exactly one `closed` event, as many rows as cases (no
 *     duplicate), the read side agrees with the API, and `npm run db:rebuild` reproduces the rows.
 *
 * Prints progress and one summary line; exit status 1 on any finding. Output of the service in
 * .data/fault/service.log.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { terminateOtherBackends } from '../db/checks';
import { keepProcessOnConnectionLoss } from '../db/client';
import { projectRoot } from '../lib/temporal-binaries';
import { startService, type ServiceUnderTest } from './service-under-test';
import { CaseDriver, checkClosed, complaintBody, eachCase, firstSteps, lastSteps } from './drive-cases';

const CASES = Number(process.env.FAULT_CASES ?? 30);
const TERMINATE_EVERY_MS = Number(process.env.FAULT_TERMINATE_MS ?? 250);
/** Per call: a 503 or a cut connection is retried this many times, a second apart. */
const ATTEMPTS = 30;
/** The whole run, whatever happens. */
const DEADLINE_MS = Number(process.env.FAULT_SECONDS ?? 600) * 1000;

const started = Date.now();
const log = (line: string) => console.log(`fault: [${Math.round((Date.now() - started) / 1000)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outDir = path.join(projectRoot, '.data', 'fault');
/** Info lines (stops, restarts) are what one reads after a run; a few cases keep them small. */
const SERVICE_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000' };

let service: ServiceUnderTest;
const driver = new CaseDriver({ apis: () => [service.api], credentials: () => service.credentials }, { attempts: ATTEMPTS, deadline: started + DEADLINE_MS });

/** Terminates every backend of the service's database but this one's, every TERMINATE_EVERY_MS, until stopped. */
function terminateBackends(admin: pg.Client): { stop(): Promise<number> } {
  let running = true;
  let terminated = 0;
  const loop = (async () => {
    while (running) {
      // A round that fails counts none: the cutting goes on rather than ending the run.
      terminated += await terminateOtherBackends(admin).catch(() => 0);
      await sleep(TERMINATE_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return terminated;
    },
  };
}

async function connectAdmin(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: service.databaseUrl });
  keepProcessOnConnectionLoss(admin);
  await admin.connect();
  return admin;
}

async function main(): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const findings: string[] = [];
  service = await startService({ log, logFile: path.join(outDir, 'service.log'), env: SERVICE_ENV });
  try {
    let admin = await connectAdmin();
    log(`phase 1: registering ${CASES} cases, accept and assign, terminating backends every ${TERMINATE_EVERY_MS} ms`);
    let cutter = terminateBackends(admin);
    const ids: string[] = [];
    await eachCase(
      Array.from({ length: CASES }, (_, n) => n),
      async (n) => {
        const id = await driver.register(complaintBody(`fault-${started}`, n));
        ids.push(id);
        for (const s of firstSteps) await driver.step(id, s);
      },
    );
    log(`phase 1 done: ${ids.length} cases assigned, ${await cutter.stop()} backends terminated`);
    await admin.end();

    log('phase 2: SIGKILL of the service, then a restart on the same data folder and ports');
    await service.kill();
    service = await startService({
      log,
      logFile: path.join(outDir, 'service.log'),
      env: SERVICE_ENV,
      reuse: { dataDir: service.dataDir, ports: service.ports },
    });

    admin = await connectAdmin();
    log('phase 3: acknowledge, result, callback, terminating backends');
    cutter = terminateBackends(admin);
    await eachCase(ids, async (id) => {
      for (const s of lastSteps) await driver.step(id, s);
    });
    log(`phase 3 done: ${await cutter.stop()} backends terminated`);

    log('checking: every case closed once, the read side agrees, db:rebuild reproduces the rows');
    findings.push(...(await checkClosed(driver, ids, admin, service.databaseUrl)));
    await admin.end();
    log(`${ids.length} cases checked, ${driver.retried} calls retried after a 5xx or a cut connection`);
  } finally {
    if (await service.stop()) findings.push('npm start did not stop within 60 s of its SIGTERM');
  }
  return findings;
}

main().then(
  (findings) => {
    for (const finding of findings) log(`finding: ${finding}`);
    log(`${findings.length === 0 ? 'passed' : 'FAILED'}: ${CASES} cases, ${findings.length} findings`);
    process.exit(findings.length === 0 ? 0 : 1);
  },
  async (err: unknown) => {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    await service?.stop().catch(() => undefined);
    process.exit(1);
  },
);
