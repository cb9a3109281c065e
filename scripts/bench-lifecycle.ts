/**
 * `npm run bench:lifecycle [-- --rounds N] [-- --smoke]`: what a case costs the service, beside
 * what the same shape of work costs a bare Temporal workflow (issue 16). A benchmark, not a test:
 * it prints its table and writes it into docs/performance.md (not with --smoke, which only proves
 * the harness runs, as CI does).
 *
 * The method, what each lane does and what is counted, is written in docs/performance.md, beside
 * the results this script writes there and the record of each change measured with it.
 *
 * Bounded: it gives up after 30 minutes, and always stops what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { dataConverterFor, developmentPayloadKeys } from '../lib/codec';
import { connectClient } from '../lib/temporal';
import { projectRoot } from '../lib/temporal-binaries';
import { actors, makeComplaint, unitA, workflowInput } from '../test/helpers/cases';
import { freePort } from '../test/helpers/ports';
import type { ActionArgsByName, ActionName } from '../workflows/actions';
import { workflowIdFor } from '../workflows/case';
import { actionUpdate } from '../workflows/definitions';
import { initialSearchAttributes } from '../workflows/visibility';
import { collectedHeap, inspectOn } from './bench/heap';
import { cpuReading, cpuSpent, descendants, executableName, rssKiB, serviceProcesses } from './bench/proc';
import { runBounded } from './bench/bounded';
import { machine, writeResults } from './bench/results';
import { markdownTable, median, table } from './bench/stats';
import { submission } from './bench/submission';
import { startService, type ServiceUnderTest } from './service-under-test';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const rounds = smoke ? 1 : Number(argv[argv.indexOf('--rounds') + 1] ?? 3) || 3;
/** Cases per lane per round for each measure; the smoke run takes a handful. */
const sizes = smoke
  ? { wall: 1, cpu: 2, cpuConcurrency: 2, intake: [[1, 2]] as [number, number][], memory: 5 }
  : {
      wall: 5,
      cpu: 40,
      cpuConcurrency: 20,
      intake: [
        [1, 10],
        [20, 60],
        [50, 100],
      ] as [number, number][],
      memory: 1000,
    };
const boundMs = 30 * 60_000;
const bareQueue = 'bench-bare';
const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type LaneName = 'bare' | 'client' | 'API';
const lanes: LaneName[] = ['bare', 'client', 'API'];

/** The five actions of a case, with the bodies both Temporal lanes send. */
const result = { finding: 'substantiated', actions: ['inspection', 'order_to_rectify'], reply: '已责令整改' } as const;
const lifecycle: { [K in ActionName]?: ActionArgsByName[K] } = {
  accept: { actor: actors.registrar },
  assign: { actor: actors.registrar, unit: unitA },
  acknowledge: { actor: actors.unitA },
  submitResult: { actor: actors.unitA, ...result, actions: [...result.actions] },
  recordCallback: { actor: actors.registrar, outcome: 'satisfied' },
};
/** The same lifecycle through the API: route, the development account that takes it, body. */
const apiSteps: [string, string, object][] = [
  ['accept', 'registrar', {}],
  ['assign', 'registrar', { unit: unitA }],
  ['acknowledge', 'officer-a', {}],
  ['result', 'officer-a', { ...result, actions: [...result.actions] }],
  ['callbacks', 'registrar', { outcome: 'satisfied' }],
];

let sequence = 0;

interface Setup {
  service: ServiceUnderTest;
  client: Client;
  bareWorker: ChildProcess;
  /** Where each worker's process opens its inspector when the memory measure asks (scripts/bench/heap.ts). */
  inspectPorts: Record<'bare' | 'client', number>;
  /** The bare worker's `POST /start`: a bare start behind a bare Fastify route, the floor of an intake through HTTP. */
  floorUrl: string;
}

async function http(setup: Setup, who: string, method: string, route: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${setup.service.api}${route}`, {
    method,
    headers: { ...setup.service.credentials[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route} as ${who} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { id: string };
}

/** Starts one case of the lane: its handle once the start (or POST) has answered. */
async function startCase(setup: Setup, lane: LaneName): Promise<WorkflowHandle> {
  const { client } = setup;
  switch (lane) {
    case 'bare':
      return client.workflow.start('bareLifecycle', {
        taskQueue: bareQueue,
        workflowId: `bench-bare-${process.pid}-${++sequence}`,
        args: [{ steps: Object.keys(lifecycle).length, submission: submission() }],
      });
    case 'client': {
      const input = workflowInput(makeComplaint());
      return client.workflow.start('complaintWorkflow', {
        taskQueue: 'complaints',
        workflowId: workflowIdFor(input.complaint.id),
        args: [input],
        typedSearchAttributes: initialSearchAttributes(input.complaint),
      });
    }
    case 'API': {
      const { id } = await http(setup, 'integrator', 'POST', '/complaints', submission());
      return client.workflow.getHandle(workflowIdFor(id));
    }
  }
}

/** One whole lifecycle: its wall time, and its handle for the history. */
async function runCase(setup: Setup, lane: LaneName): Promise<{ wallMs: number; handle: WorkflowHandle }> {
  const started = performance.now();
  const handle = await startCase(setup, lane);
  if (lane === 'API') {
    const id = handle.workflowId.slice(workflowIdFor('').length);
    for (const [action, who, body] of apiSteps) await http(setup, who, 'POST', `/complaints/${id}/${action}`, body);
  } else {
    for (const [name, args] of Object.entries(lifecycle)) {
      if (lane === 'bare') await handle.executeUpdate('step', { args: [args] });
      else await handle.executeUpdate(actionUpdate(name as ActionName), { args: [args] });
    }
  }
  return { wallMs: performance.now() - started, handle };
}

/** `count` calls of `task`, at most `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next += 1;
        results.push(await task());
      }
    }),
  );
  return results;
}

/** The processes that serve the lanes, by role, as they are now (Postgres starts a backend per connection). */
function servingProcesses(setup: Setup): Record<string, number[]> {
  const bare = setup.bareWorker.pid ?? 0;
  return {
    ...serviceProcesses(setup.service.pid),
    'bare worker': [bare, ...descendants(bare)].filter((pid) => executableName(pid) === 'node'),
  };
}

async function cpuPerCase(setup: Setup, lane: LaneName): Promise<{ total: number; byGroup: Record<string, number> }> {
  const before = cpuReading(servingProcesses(setup));
  await pool(sizes.cpu, sizes.cpuConcurrency, () => runCase(setup, lane));
  const spent = cpuSpent(before, cpuReading(servingProcesses(setup)));
  const byGroup = Object.fromEntries(Object.entries(spent).map(([group, ms]) => [group, ms / sizes.cpu]));
  return { total: Object.values(byGroup).reduce((a, b) => a + b, 0), byGroup };
}

type IntakeLane = 'bare' | 'floor' | 'API';

async function intake(setup: Setup, lane: IntakeLane, concurrency: number, count: number) {
  const started = performance.now();
  const latencies = await pool(count, concurrency, async () => {
    const at = performance.now();
    if (lane === 'floor') {
      const response = await fetch(setup.floorUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission()) });
      if (response.status !== 201) throw new Error(`the floor's POST /start answered ${response.status}: ${await response.text()}`);
    } else await startCase(setup, lane);
    return performance.now() - at;
  });
  return { median: median(latencies), perSecond: (count / (performance.now() - started)) * 1000 };
}

/** Waits (bounded) until the worker has run each case's first workflow task: then it is in the cache. */
async function settled(handles: WorkflowHandle[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const handle of handles) {
    while ((await handle.describe()).historyLength < 4) {
      if (Date.now() > deadline) throw new Error(`${handle.workflowId} had no workflow task completed within 120 s`);
      await sleep(100);
    }
  }
}

/** What one more open case in a worker's cache costs: its JavaScript heap once collected, and the resident memory beside it. */
interface Memory {
  heap: number;
  rss: number;
}

async function memoryPerCase(setup: Setup, lane: 'bare' | 'client'): Promise<Memory> {
  const group = lane === 'bare' ? 'bare worker' : 'service (worker + API)';
  const [pid] = servingProcesses(setup)[group] ?? [];
  if (!pid) throw new Error(`no process of the ${group} to measure`);
  const port = setup.inspectPorts[lane];
  // Resident memory is read after the collection too, so garbage waiting for the collector is not counted.
  const measure = async (): Promise<Memory> => {
    const heap = await collectedHeap(pid, port);
    threads = heap.threads;
    return { heap: heap.kiB, rss: rssKiB(pid) };
  };
  let threads = 0;
  const before = await measure();
  // What the process holds before the open cases: the lanes' cases with it, since a closed case
  // stays open (and cached) for its review window (docs/performance.md, "Sizing a worker").
  log(
    `memory: ${group} holds ${(before.heap / 1024).toFixed(0)} MiB of heap in ${threads} threads, ${(before.rss / 1024).toFixed(0)} MiB resident, before the open cases`,
  );
  const handles = await pool(sizes.memory, 20, () => startCase(setup, lane));
  await settled(handles);
  const after = await measure();
  return { heap: (after.heap - before.heap) / sizes.memory, rss: (after.rss - before.rss) / sizes.memory };
}

interface Round {
  wall: Record<LaneName, number>;
  cpu: Record<LaneName, { total: number; byGroup: Record<string, number> }>;
  events: Record<LaneName, number>;
  bytes: Record<LaneName, number>;
  intake: Record<number, Record<IntakeLane, { median: number; perSecond: number }>>;
}

async function runRound(setup: Setup, index: number): Promise<Round> {
  // The order turns, so no lane always follows the same one.
  const order = lanes.map((_, i) => lanes[(i + index) % lanes.length]!);
  const round = { wall: {}, cpu: {}, events: {}, bytes: {}, intake: {} } as Round;
  for (const lane of order) {
    const cases = [];
    for (let i = 0; i < sizes.wall; i++) cases.push(await runCase(setup, lane));
    round.wall[lane] = median(cases.map((c) => c.wallMs));
    const described = await Promise.all(cases.map((c) => c.handle.describe()));
    round.events[lane] = median(described.map((d) => d.historyLength));
    round.bytes[lane] = median(described.map((d) => d.historySize ?? 0));
    log(`round ${index + 1}, ${lane}: wall ${round.wall[lane].toFixed(0)} ms, ${round.events[lane]} events, ${(round.bytes[lane] / 1024).toFixed(1)} KiB`);
  }
  for (const lane of order) {
    round.cpu[lane] = await cpuPerCase(setup, lane);
    log(`round ${index + 1}, ${lane}: CPU ${round.cpu[lane].total.toFixed(0)} ms per case at concurrency ${sizes.cpuConcurrency}`);
  }
  for (const [concurrency, count] of sizes.intake) {
    const measured = {} as Round['intake'][number];
    for (const lane of ['bare', 'floor', 'API'] as const) measured[lane] = await intake(setup, lane, concurrency, count);
    round.intake[concurrency] = measured;
    const { bare, floor, API } = measured;
    log(
      `round ${index + 1}, intake c=${concurrency}: API ${API.median.toFixed(0)} ms (${API.perSecond.toFixed(0)}/s), bare start ${bare.median.toFixed(0)} ms (${bare.perSecond.toFixed(0)}/s), behind HTTP ${floor.median.toFixed(0)} ms (${floor.perSecond.toFixed(0)}/s)`,
    );
  }
  return round;
}

async function startBareWorker(service: ServiceUnderTest, inspectPort: number, httpPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'bench', 'bare-worker.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_OPTIONS: inspectOn(inspectPort),
      TEMPORAL_ADDRESS: service.temporalAddress,
      DATA_DIR: service.dataDir,
      BENCH_TASK_QUEUE: bareQueue,
      BENCH_HTTP_PORT: String(httpPort),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('bare worker polling')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the bare worker exited with ${code} before polling`)));
  });
  return child;
}

const ratio = (service: number, bare: number) => (bare > 0 ? service / bare : Number.NaN);
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** The results as rows: measure, service, bare, ratio (service/bare, median of the rounds' ratios). */
function resultRows(all: Round[]): string[][] {
  type Of = (r: Round) => number;
  /** Each measure: label, the service's value and the bare one in a round, unit, decimals. */
  const measures: [string, Of, Of, string, number][] = [
    ['wall per case, c=1, client', (r) => r.wall.client, (r) => r.wall.bare, 'ms', 0],
    ['wall per case, c=1, API', (r) => r.wall.API, (r) => r.wall.bare, 'ms', 0],
    [`CPU per case, c=${sizes.cpuConcurrency}, client`, (r) => r.cpu.client.total, (r) => r.cpu.bare.total, 'ms', 0],
    [`CPU per case, c=${sizes.cpuConcurrency}, API`, (r) => r.cpu.API.total, (r) => r.cpu.bare.total, 'ms', 0],
    ['history events per case, client', (r) => r.events.client, (r) => r.events.bare, '', 0],
    ['history events per case, API', (r) => r.events.API, (r) => r.events.bare, '', 0],
    ['history bytes per case, client', (r) => r.bytes.client / 1024, (r) => r.bytes.bare / 1024, 'KiB', 1],
    ['history bytes per case, API', (r) => r.bytes.API / 1024, (r) => r.bytes.bare / 1024, 'KiB', 1],
    ...sizes.intake.map(([c]): [string, Of, Of, string, number] => [
      `intake latency, c=${c}`,
      (r) => r.intake[c]!.API.median,
      (r) => r.intake[c]!.bare.median,
      'ms',
      0,
    ]),
  ];
  const [last] = sizes.intake.at(-1)!;
  measures.push([`intake throughput, c=${last}`, (r) => r.intake[last]!.API.perSecond, (r) => r.intake[last]!.bare.perSecond, '/s', 1]);
  const med = (of: Of) => median(all.map(of));
  return measures.map(([label, service, bare, unit, digits]) => [
    label,
    `${fixed(med(service), digits)} ${unit}`.trim(),
    `${fixed(med(bare), digits)} ${unit}`.trim(),
    fixed(
      med((r) => ratio(service(r), bare(r))),
      2,
    ),
  ]);
}

/**
 * The floor of an intake through HTTP: a bare start behind a bare Fastify route, against the bare
 * start and the service's intake (median latency over the rounds; ratios the medians of the rounds').
 */
function floorRows(all: Round[]): string[][] {
  return sizes.intake.map(([c]) => {
    const of = (lane: IntakeLane) => median(all.map((r) => r.intake[c]![lane].median));
    const rounds = (a: IntakeLane, b: IntakeLane) => median(all.map((r) => ratio(r.intake[c]![a].median, r.intake[c]![b].median)));
    return [
      `c=${c}`,
      `${fixed(of('bare'))} ms`,
      `${fixed(of('floor'))} ms`,
      fixed(rounds('floor', 'bare'), 2),
      `${fixed(of('API'))} ms`,
      fixed(rounds('API', 'floor'), 2),
    ];
  });
}

/** Where each lane's CPU went, per case (median over the rounds). */
function cpuRows(all: Round[]): string[][] {
  const groups = Object.keys(all[0]!.cpu.bare.byGroup);
  return groups.map((group) => [group, ...lanes.map((lane) => `${fixed(median(all.map((r) => r.cpu[lane].byGroup[group] ?? 0)))} ms`)]);
}

async function main(): Promise<void> {
  let service: ServiceUnderTest | undefined;
  let bareWorker: ChildProcess | undefined;
  let client: Client | undefined;
  const cleanup = async () => {
    await client?.connection.close().catch(() => undefined);
    bareWorker?.kill('SIGTERM');
    await service?.stop();
  };
  await runBounded(boundMs, log, cleanup, async () => {
    mkdirSync(path.join(projectRoot, '.data'), { recursive: true });
    const inspectPorts = { client: await freePort(), bare: await freePort() };
    const floorPort = await freePort();
    service = await startService({
      log,
      logFile: path.join(projectRoot, '.data', 'bench-lifecycle-service.log'),
      env: { RATE_LIMIT_PER_MINUTE: '1000000', NODE_OPTIONS: inspectOn(inspectPorts.client) },
    });
    log('starting the bare worker (it bundles its workflow) ...');
    bareWorker = await startBareWorker(service, inspectPorts.bare, floorPort);
    client = await connectClient(
      { temporalAddress: service.temporalAddress, temporalNamespace: 'default' },
      dataConverterFor(developmentPayloadKeys(path.join(service.dataDir, 'dev-payload-keys'))),
    );
    const setup: Setup = { service, client, bareWorker, inspectPorts, floorUrl: `http://127.0.0.1:${floorPort}/start` };
    log('warm-up: one case per lane (not counted) ...');
    for (const lane of lanes) await runCase(setup, lane);

    const all: Round[] = [];
    for (let i = 0; i < rounds; i++) all.push(await runRound(setup, i));
    log(`memory: ${sizes.memory} more open cases per worker ...`);
    const memory = { bare: await memoryPerCase(setup, 'bare'), client: await memoryPerCase(setup, 'client') };

    const header = ['measure', 'service', 'bare Temporal', 'ratio'];
    const rows = [
      ...resultRows(all),
      ...(['heap', 'rss'] as const).map((kind) => [
        `worker memory per open case, ${kind === 'heap' ? 'heap after collection' : 'resident'}`,
        `${fixed(memory.client[kind])} KiB`,
        `${fixed(memory.bare[kind])} KiB`,
        fixed(ratio(memory.client[kind], memory.bare[kind]), 2),
      ]),
    ];
    const cpuHeader = ['CPU per case, by process', ...lanes];
    const floorHeader = ['intake latency', 'bare start', 'bare start behind HTTP', 'ratio', 'service (API)', 'service / behind HTTP'];
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`\n${rounds} rounds; ratio = service / bare, the median of the rounds' ratios\n`);
    console.log(table(header, rows));
    console.log(`\n${table(cpuHeader, cpuRows(all))}`);
    console.log(`\n${table(floorHeader, floorRows(all))}`);
    console.log(`\n${machine()}; load average (1 min) ${load} at the end`);
    if (smoke) {
      log('smoke run: docs/performance.md left as it is');
      return;
    }
    const written = writeResults(
      'lifecycle',
      [
        `Measured ${when} UTC on ${machine()}; ${rounds} rounds; load average (1 min) ${load} at the end.`,
        '',
        markdownTable(header, rows),
        '',
        markdownTable(cpuHeader, cpuRows(all)),
        '',
        markdownTable(floorHeader, floorRows(all)),
      ].join('\n'),
    );
    log(`written into ${written}`);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
