/**
 * `npm run bench:cluster [-- --seconds N] [-- --open N] [-- --smoke]`: how the service scales on
 * the real Temporal cluster (issue 19). A benchmark, not a test: it prints its tables and writes
 * them into docs/performance.md (not with --smoke, which only proves the harness runs). The method
 * is written there, under "Scale-out on the Temporal cluster".
 *
 *  1. Throughput: for 1 worker + 1 API, then 2 workers + 2 APIs, a fresh cluster; LANES callers
 *     each take cases through their whole lifecycle (register, accept, assign, acknowledge,
 *     result, callback to closed) for N seconds, calls spread over the APIs. Cases closed per
 *     second, step latency, and the CPU each part spent per case (Linux /proc), so the part that
 *     limits is named by its share of the machine.
 *  2. Open cases: 10,000 cases registered on 2 workers + 2 APIs and left open, each with its
 *     dispatch deadline pending; what each worker holds, and how long a step takes then.
 *
 * Bounded: it gives up after 60 minutes (10 for the smoke run) and always stops its cluster.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { runBounded } from './bench/bounded';
import { cpuMs, rssKiB, treeCpuMs } from './bench/proc';
import { machine, writeResults } from './bench/results';
import { markdownTable, median, percentile, table } from './bench/stats';
import { submission } from './bench/submission';
import { startCluster, type Cluster } from './cluster/cluster';
import { freeClusterPorts } from './cluster/config';
import { CaseDriver, eachCase, firstSteps, lastSteps } from './drive-cases';
import { signInEveryone } from './service-under-test';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const option = (name: string) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : undefined);
const seconds = smoke ? 10 : (option('--seconds') ?? 90);
const openCases = smoke ? 200 : (option('--open') ?? 10_000);
/** Callers at once: enough to keep 2 workers and 2 APIs busy, whatever the configuration. */
const LANES = 24;
const boundMs = (smoke ? 10 : 60) * 60_000;
const started = Date.now();
const log = (line: string) => console.log(`[cluster-bench ${Math.round((Date.now() - started) / 1000)} s] ${line}`);

interface Running {
  cluster: Cluster;
  dataDir: string;
  driver: CaseDriver;
}

let current: Running | undefined;

async function start(workers: number, apis: number): Promise<Running> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'complaints-bench-cluster-'));
  chmodSync(dataDir, 0o711);
  const cluster = await startCluster({
    dataDir,
    ports: await freeClusterPorts(apis),
    workers,
    env: { RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' },
    log: () => undefined,
  });
  const credentials = await signInEveryone(cluster.apis[0]!, dataDir, cluster.keys);
  const driver = new CaseDriver({ apis: () => cluster.apis, credentials: () => credentials }, { attempts: 5, deadline: started + boundMs });
  current = { cluster, dataDir, driver };
  log(`cluster up: ${workers} worker(s), ${apis} API(s)`);
  return current;
}

async function stop(): Promise<void> {
  if (!current) return;
  await current.cluster.stop();
  rmSync(current.dataDir, { recursive: true, force: true });
  current = undefined;
}

/** The cluster's processes by part, Postgres as one tree (its postmaster's pid file). */
function groups(running: Running): Record<string, () => number> {
  const parts = [...running.cluster.parts.values()];
  const sum = (prefix: string) => () => parts.filter((p) => p.name.startsWith(prefix)).reduce((total, p) => total + (p.pid ? cpuMs(p.pid) : 0), 0);
  const postmaster = Number(readFileSync(path.join(running.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    'Temporal frontend': sum('temporal-frontend'),
    'Temporal history': sum('temporal-history'),
    'Temporal matching': sum('temporal-matching'),
    'complaint workers': sum('worker-'),
    APIs: sum('api-'),
    Postgres: () => treeCpuMs(postmaster),
    'callers (this script)': () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
  };
}

const read = (g: Record<string, () => number>) => Object.fromEntries(Object.entries(g).map(([name, f]) => [name, f()]));

interface Throughput {
  label: string;
  closed: number;
  perSecond: number;
  stepMs: number[];
  cpuPerCase: Record<string, number>;
  busy: Record<string, number>;
}

/** One full lifecycle per loop, in every lane, until the time is up; latency of each step. */
async function lifecycles(driver: CaseDriver, untilMs: number, stepMs: number[]): Promise<number> {
  let closed = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (Date.now() < untilMs) {
        let t = performance.now();
        const id = await driver.register(submission());
        stepMs.push(performance.now() - t);
        for (const s of [...firstSteps, ...lastSteps]) {
          t = performance.now();
          await driver.step(id, s);
          stepMs.push(performance.now() - t);
        }
        closed += 1;
      }
    }),
  );
  return closed;
}

async function throughput(workers: number, apis: number): Promise<Throughput> {
  const running = await start(workers, apis);
  try {
    // Warm-up: JIT, connection pools, the workers' caches.
    await lifecycles(running.driver, Date.now() + 10_000, []);
    const g = groups(running);
    const before = read(g);
    const stepMs: number[] = [];
    const t0 = Date.now();
    const closed = await lifecycles(running.driver, t0 + seconds * 1000, stepMs);
    const wallMs = Date.now() - t0;
    const after = read(g);
    const spent = Object.fromEntries(Object.keys(g).map((name) => [name, after[name]! - before[name]!]));
    const label = `${workers} worker${workers > 1 ? 's' : ''} + ${apis} API${apis > 1 ? 's' : ''}`;
    log(`${label}: ${closed} cases closed in ${(wallMs / 1000).toFixed(0)} s`);
    return {
      label,
      closed,
      perSecond: closed / (wallMs / 1000),
      stepMs,
      cpuPerCase: Object.fromEntries(Object.entries(spent).map(([name, ms]) => [name, ms / Math.max(closed, 1)])),
      busy: Object.fromEntries(Object.entries(spent).map(([name, ms]) => [name, ms / wallMs])),
    };
  } finally {
    await stop();
  }
}

/** Which worker ran each sampled case's last workflow task: the identity (`<pid>@host`) in its history. */
async function workerOfCases(running: Running, ids: string[]): Promise<Map<string, number>> {
  const connection = await Connection.connect({ address: running.cluster.temporalAddress });
  const names = new Map([...running.cluster.parts.values()].filter((p) => p.name.startsWith('worker-')).map((p) => [`${p.pid}@`, p.name]));
  const counts = new Map<string, number>();
  try {
    for (const id of ids) {
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({
        namespace: running.cluster.namespace,
        execution: { workflowId: `complaint-${id}` },
      });
      const started = (history?.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).at(-1);
      const identity = started?.workflowTaskStartedEventAttributes?.identity ?? '';
      const name = [...names].find(([prefix]) => identity.startsWith(prefix))?.[1] ?? 'other';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  } finally {
    await connection.close();
  }
  return counts;
}

async function openCasesRun(): Promise<string[]> {
  const running = await start(2, 2);
  try {
    const ids: string[] = [];
    const t0 = Date.now();
    await eachCase(
      Array.from({ length: openCases }, (_, n) => n),
      async (n) => {
        ids.push(await running.driver.register(submission()));
        if ((n + 1) % 1000 === 0) log(`${n + 1} of ${openCases} registered`);
      },
      32,
    );
    const intakeSeconds = (Date.now() - t0) / 1000;
    const database = new pg.Client({ connectionString: running.cluster.databaseUrl });
    await database.connect();
    // Registered is answered before the workflow's first change: the workers catch up after, and
    // that (every row past sequence 0) is the rate the cluster sustains.
    let projected = 0;
    for (let i = 0; i < 1_200 && projected < openCases; i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      const { rows } = await database.query<{ n: string }>('select count(*) as n from complaints where last_seq > 0');
      projected = Number(rows[0]?.n);
    }
    const caughtUpSeconds = (Date.now() - t0) / 1000;
    await database.end();
    const sample = ids.filter((_, n) => n % Math.ceil(ids.length / 200) === 0);
    const byWorker = await workerOfCases(running, sample);
    // Steps on the oldest cases, one at a time: long out of any worker's cache by now.
    const stepMs: number[] = [];
    for (const id of ids.slice(0, 50)) {
      const t = performance.now();
      await running.driver.step(id, firstSteps[0]!);
      stepMs.push(performance.now() - t);
    }
    const workers = [...running.cluster.parts.values()].filter((p) => p.name.startsWith('worker-'));
    return [
      `${openCases.toLocaleString('en')} cases registered in ${intakeSeconds.toFixed(0)} s (${(openCases / intakeSeconds).toFixed(1)} per second answered, 32 callers over 2 APIs), each left open with its dispatch deadline pending; ` +
        `${projected.toLocaleString('en')} of their workflows had run their first step after ${caughtUpSeconds.toFixed(0)} s (${(projected / caughtUpSeconds).toFixed(1)} per second sustained).`,
      `Last workflow task of ${sample.length} sampled cases: ${[...byWorker].map(([name, n]) => `${name} ${n}`).join(', ')}.`,
      `Resident memory then: ${workers.map((w) => `${w.name} ${((w.pid ? rssKiB(w.pid) : 0) / 1024).toFixed(0)} MiB`).join(', ')}.`,
      `Accepting 50 of the oldest cases one at a time: median ${median(stepMs).toFixed(0)} ms, p95 ${percentile(stepMs, 95).toFixed(0)} ms.`,
    ];
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  const runs = [await throughput(1, 1), await throughput(2, 2)];
  const [one, two] = runs as [Throughput, Throughput];
  const parts = Object.keys(one.cpuPerCase);
  const header = ['', ...runs.map((r) => r.label)];
  const rows = [
    ['cases closed per second', ...runs.map((r) => r.perSecond.toFixed(2))],
    ['step latency p50 / p95 (ms)', ...runs.map((r) => `${median(r.stepMs).toFixed(0)} / ${percentile(r.stepMs, 95).toFixed(0)}`)],
    ...parts.map((part) => [
      `CPU per case: ${part} (ms)`,
      ...runs.map((r) => `${r.cpuPerCase[part]!.toFixed(0)} (${(r.busy[part]! * 100).toFixed(0)}% of a core)`),
    ]),
    [
      'all processes, cores busy',
      ...runs.map((r) =>
        Object.values(r.busy)
          .reduce((a, b) => a + b, 0)
          .toFixed(2),
      ),
    ],
  ];
  const ratio = two.perSecond / one.perSecond;
  const limit = parts.reduce((a, b) => (two.busy[a]! > two.busy[b]! ? a : b));
  const coresBusy = Object.values(two.busy).reduce((a, b) => a + b, 0);
  const verdict =
    `Scaling 1 → 2 workers and APIs: ${ratio.toFixed(2)}×. With 2 of each, the busiest part is ${limit} ` +
    `(${(two.busy[limit]! * 100).toFixed(0)}% of a core), and all processes together keep ${coresBusy.toFixed(2)} of the machine's ${os.cpus().length} cores busy` +
    (coresBusy > os.cpus().length * 0.85 ? ': the machine is the limit, not any one part.' : '.');
  const open = await openCasesRun();
  console.log(`\n${table(header, rows)}\n\n${verdict}\n${open.join('\n')}\n\n${machine()}`);
  if (!smoke) {
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const written = writeResults(
      'cluster',
      [
        `Measured ${when} UTC on ${machine()}; ${seconds} s per configuration, ${LANES} callers.`,
        '',
        markdownTable(header, rows),
        '',
        verdict,
        '',
        ...open.map((line) => `- ${line}`),
      ].join('\n'),
    );
    log(`results written to ${written}`);
  }
}

void runBounded(boundMs, log, stop, main).then(
  () => process.exit(0),
  (err: unknown) => {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
