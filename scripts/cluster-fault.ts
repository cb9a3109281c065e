/**
 * `npm run test:cluster`: the fault run on the real Temporal cluster (docs/cluster.md). Starts the
 * cluster (two workers, two APIs) on free ports in a temporary folder, drives CLUSTER_CASES cases
 * through their lifecycle over both APIs, and on the way SIGKILLs
 *
 *  1. a complaint worker while cases are being registered, accepted and assigned;
 *  2. the history service right after every case got a one-minute on-site clock (the supervisor
 *     marks it urgent; POLICY_FILE sets `rapidResponseMinutes` to 1), keeping it down until every
 *     clock has fallen due;
 *  3. an API instance while cases are acknowledged, resulted and called back;
 *
 * each part started again after its outage. Then it checks: every case closed, exactly once, by
 * one workflow each (none duplicated); every clock that fell due while history was down fired
 * once it was back; the read side agrees with the workflows and `db:rebuild` reproduces it.
 * Bounded in cases, attempts and time; exit status 1 on any finding. Logs stay in the printed
 * folder when it fails.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { keepProcessOnConnectionLoss } from '../db/client';
import { ensureTemporalServer } from './cluster/binaries';
import { startCluster, type Cluster } from './cluster/cluster';
import { freeClusterPorts } from './cluster/config';
import { CaseDriver, checkClosed, complaintBody, eachCase, firstSteps, lastSteps, type Step } from './drive-cases';
import { signInEveryone } from './service-under-test';

const CASES = Number(process.env.CLUSTER_CASES ?? 24);
const DEADLINE_MS = Number(process.env.CLUSTER_SECONDS ?? 900) * 1000;
/** The on-site clock of the run, and how long history stays down after the last one started. */
const CLOCK_MINUTES = 1;
const HISTORY_DOWN_MS = (CLOCK_MINUTES * 60 + 15) * 1000;

const started = Date.now();
const log = (line: string) => console.log(`cluster-fault: [${Math.round((Date.now() - started) / 1000)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILLs a part, and starts it again after `downMs`. */
async function outage(cluster: Cluster, name: string, downMs: number): Promise<void> {
  const part = cluster.part(name);
  log(`kill -9 ${name} (pid ${part.pid})`);
  await part.kill();
  await sleep(downMs);
  await part.start();
  log(`${name} back (pid ${part.pid}) after ${Math.round(downMs / 1000)} s down`);
}

/** How many complaint workflows Temporal holds for the run's cases (visibility, by id): one each, or a case was duplicated. */
async function workflowsPerCase(cluster: Cluster, ids: string[]): Promise<Map<string, number>> {
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  try {
    const counts = new Map(ids.map((id) => [id, 0]));
    // The raw listing: the SDK's would decode each memo, which is encrypted (the codec is the API's).
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await connection.workflowService.listWorkflowExecutions({
        namespace: cluster.namespace,
        query: "WorkflowType = 'complaintWorkflow'",
        nextPageToken,
      });
      for (const execution of page.executions) {
        const id = execution.execution?.workflowId?.replace(/^complaint-/, '') ?? '';
        if (counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return counts;
  } finally {
    await connection.close();
  }
}

async function main(dataDir: string): Promise<string[]> {
  const findings: string[] = [];
  const policyFile = path.join(dataDir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ version: 'cluster-fault', rapidResponseMinutes: CLOCK_MINUTES }));
  const cluster = await startCluster({
    dataDir,
    ports: await freeClusterPorts(2),
    workers: 2,
    env: { POLICY_FILE: policyFile, RATE_LIMIT_PER_MINUTE: '1000000' },
    log,
  });
  try {
    const credentials = await signInEveryone(cluster.apis[0]!, dataDir, cluster.keys);
    // Calls go round the APIs that run: a load balancer leaves out an instance that is down.
    const driver = new CaseDriver(
      { apis: () => cluster.apis.filter((_, n) => cluster.part(`api-${n + 1}`).pid !== undefined), credentials: () => credentials },
      { attempts: 60, deadline: started + DEADLINE_MS },
    );
    const urgent: Step = ['overrides/urgency', 'supervisor', { urgent: true, reason: '故障演练: 现场核查时限一分钟' }, 'assigned'];

    log(`phase 1: ${CASES} cases registered, accepted, assigned and marked urgent; worker-1 killed halfway`);
    const phase1 = Date.now();
    const ids: string[] = [];
    let workerOutage: Promise<void> | undefined;
    await eachCase(
      Array.from({ length: CASES }, (_, n) => n),
      async (n) => {
        const id = await driver.register(complaintBody(`cluster-${started}`, n));
        ids.push(id);
        if (ids.length === Math.ceil(CASES / 2)) workerOutage = outage(cluster, 'worker-1', 5_000);
        for (const s of [...firstSteps, urgent]) await driver.step(id, s);
      },
    );
    await workerOutage;
    const clocksStarted = Date.now();

    log(`phase 2: history down for ${HISTORY_DOWN_MS / 1000} s, past every on-site clock (${CLOCK_MINUTES} min)`);
    // The first clock started with phase 1: history must go down before it falls due.
    if (Date.now() - phase1 > CLOCK_MINUTES * 60_000) findings.push('phase 1 outlasted the clocks: some fell due before history went down');
    const historyOutage = outage(cluster, 'temporal-history', HISTORY_DOWN_MS);
    await sleep(2_000);
    const during = await fetch(`${cluster.apis[0]}/complaints/${ids[0]}`, { headers: credentials.supervisor, signal: AbortSignal.timeout(30_000) });
    log(`a case read during the outage answered ${during.status}`);
    await historyOutage;
    if (Date.now() - clocksStarted < CLOCK_MINUTES * 60_000) findings.push('history came back before the clocks fell due: the run proves nothing about them');

    log('phase 3: every missed clock fires once history is back');
    const missed = async (id: string) =>
      ((await driver.call('supervisor', 'GET', `/complaints/${id}`)).json.timeline ?? []).filter((e) => e.kind === 'rapid_response_missed');
    for (const id of ids) {
      let fired = await missed(id);
      for (let i = 0; fired.length === 0 && i < 120; i += 1) {
        await sleep(500);
        fired = await missed(id);
      }
      if (fired.length !== 1) findings.push(`${id}: the on-site clock fired ${fired.length} times`);
    }
    log(`phase 3 done: ${ids.length} clocks checked, ${Math.round((Date.now() - clocksStarted) / 1000)} s after they started`);

    log('phase 4: acknowledge, result, callback over both APIs; api-1 killed halfway');
    let apiOutage: Promise<void> | undefined;
    let done = 0;
    await eachCase(ids, async (id) => {
      for (const s of lastSteps) await driver.step(id, s);
      done += 1;
      if (done === Math.ceil(CASES / 2)) apiOutage = outage(cluster, 'api-1', 5_000);
    });
    await apiOutage;

    log('checking: every case closed once by one workflow, the read side agrees, db:rebuild reproduces the rows');
    for (const [id, count] of await workflowsPerCase(cluster, ids)) if (count !== 1) findings.push(`${id}: ${count} workflows`);
    const admin = new pg.Client({ connectionString: cluster.databaseUrl });
    keepProcessOnConnectionLoss(admin);
    await admin.connect();
    findings.push(...(await checkClosed(driver, ids, admin, cluster.databaseUrl)));
    await admin.end();
    log(`${ids.length} cases checked, ${driver.retried} calls retried after a 5xx or a cut connection`);
  } finally {
    await cluster.stop();
  }
  return findings;
}

/**
 * `--if-cached` (CI): run only where the server is built, or Go's caches can build it without the
 * network (a machine that built it before); elsewhere say so and pass.
 */
async function run(): Promise<string[] | 'skipped'> {
  if (process.argv.includes('--if-cached') && !(await ensureTemporalServer({ log, offline: true }))) {
    log('skipped: the Temporal server is not built here and Go cannot build it offline (npm run cluster builds it once, with the network)');
    return 'skipped';
  }
  // As root the embedded Postgres runs as the `postgres` user, who must traverse (not read) the folder.
  chmodSync(dataDir, 0o711);
  return main(dataDir);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'complaints-cluster-'));
run().then(
  (findings) => {
    if (findings === 'skipped' || findings.length === 0) rmSync(dataDir, { recursive: true, force: true });
    if (findings === 'skipped') process.exit(0);
    for (const finding of findings) log(`finding: ${finding}`);
    log(`${findings.length === 0 ? 'passed' : 'FAILED'}: ${CASES} cases, ${findings.length} findings`);
    if (findings.length > 0) log(`logs kept in ${path.join(dataDir, 'logs')}`);
    process.exit(findings.length === 0 ? 0 : 1);
  },
  (err: unknown) => {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}; logs in ${path.join(dataDir, 'logs')}`);
    process.exit(1);
  },
);
