/**
 * `npm run fuzz`: the CI fuzz stage. Starts the whole service (`npm start`) on free ports with a
 * fresh data folder, fuzzes its API with Schemathesis (pinned, from PyPI) driven by the published
 * OpenAPI document, once per role with that role's real key, then checks that every case's read
 * side still follows its workflow and that no workflow is stuck retrying an activity. Stops the
 * service and removes the data folder whatever happens. Exit status 1 on any finding.
 *
 * Everything it writes for people to read is under .data/fuzz/: failures.md (each distinct
 * failure once, with requests and responses that show it), checks.txt (the other findings), the
 * Schemathesis NDJSON report and JUnit file per role (VCR cassettes with FUZZ_CASSETTES=1), and
 * the service's log.
 *
 * Knobs (environment): FUZZ_SECONDS, the Schemathesis time budget of all roles together (default
 * 240); FUZZ_SEED, to generate the same inputs again; FUZZ_ROLES, a comma-separated subset of the
 * roles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { keepProcessOnConnectionLoss } from '../db/client';
import { AesGcmCodec, dataConverterFor, developmentPayloadKeys } from '../lib/codec';
import { connectClient } from '../lib/temporal';
import { pipInstallInto } from '../lib/pypi';
import { projectRoot } from '../lib/temporal-binaries';
import { startService, type ServiceUnderTest } from './service-under-test';
import { checkProjections, checkRetries, pendingDeadLetters } from './fuzz-checks';
import { attachCauses, emptyDigest, formatDigest, readRun, readWarnings, sortedGroups, successes, summaryLine, type RunDigest } from './fuzz-report';

/** Pinned like the Temporal binaries; its dependencies are pinned by scripts/fuzz-constraints.txt. */
const SCHEMATHESIS_VERSION = '4.32.5';
/** An activity past this many attempts is a write that will never succeed (the "handful"). */
const MAX_ACTIVITY_ATTEMPTS = 5;
/** How long the read side may take to catch up with the workflows after the fuzz. */
const PROJECTION_WAIT_SECONDS = 30;
const READY_TIMEOUT_SECONDS = 180;

/**
 * The checks that fail the stage: a 5xx, and any response the OpenAPI document does not describe
 * (status code, media type, body). Not `positive_data_acceptance`: a valid body is refused with
 * 409 whenever the case is in another state, which is the API working.
 */
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];

type Role = 'integrator' | 'registrar' | 'unit' | 'leader' | 'supervisor' | 'ops' | 'admin';
/**
 * Who each role fuzzes as: a development key (machines) or a development account signed in
 * (people). In this order: the administrator, who may disable accounts, goes last.
 */
const keyIds: Record<Role, string> = {
  integrator: 'integrator',
  registrar: 'registrar',
  unit: 'officer-a',
  leader: 'leader-1',
  supervisor: 'supervisor',
  ops: 'ops',
  admin: 'admin',
};
/**
 * Who may call the routes whose description does not say (every action's says "Roles: …").
 * Unlisted routes (the case reads) go to every role. Each role is fuzzed on its own routes only:
 * another role's route answers 403 to every request and would only spend the time budget.
 */
const routeRoles: [RegExp, Role[]][] = [
  [/^POST \/complaints$/, ['integrator', 'registrar']],
  [/^GET \/complaints\/\{id\}\/notices$/, ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops']],
  // Before the other reports: the rewards due are for supervisors and ops alone (lib/report-access.ts).
  [/^GET \/reports\/rewards/, ['supervisor', 'ops']],
  [/^GET \/reports\//, ['supervisor', 'leader', 'ops']],
  [/^GET \/leaders$/, ['supervisor', 'ops', 'leader']],
  [/^PUT \/leaders\//, ['supervisor', 'ops']],
  [/^POST \/spot-checks$/, ['supervisor', 'ops']],
  [/^POST \/codec\//, ['ops']],
  [/^(GET|POST) \/dead-letters/, ['ops']],
  [/^POST \/complaints\/\{id\}\/identity$/, ['registrar', 'supervisor']],
  [/^(GET|PUT) \/accounts/, ['admin']],
  // Signing out would end the session the rest of a role's run uses: a key's sign-out changes nothing.
  [/^DELETE \/session$/, ['integrator']],
  [/^(POST \/session|GET \/session\/oidc)/, ['ops']],
  // Public; once is enough.
  [/^GET \/(healthz|readyz)$/, ['ops']],
  // A live stream never ends: every request would run into the request timeout. test/events.test.ts covers it.
  [/^GET \/events$/, []],
];

const started = Date.now();
const outDir = path.join(projectRoot, '.data', 'fuzz');
const log = (line: string) => console.log(`fuzz: ${line}`);
const seconds = () => Math.round((Date.now() - started) / 1000);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Schemathesis from PyPI

/**
 * Installs Schemathesis with pip `--target` into .tools/schemathesis-<version> (no venv: Debian's
 * python3 often lacks ensurepip), through a staging folder swapped in whole, as lib/temporal-binaries
 * does, so an interrupted install is never taken for a finished one. Runs it as `python3 -c`, with
 * the folder on PYTHONPATH, since the console script's shebang would point at the staging path.
 */
function installSchemathesis(): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const target = path.join(projectRoot, '.tools', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const runner = {
    command: 'python3',
    args: ['-c', 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())'],
    env: {
      ...process.env,
      PYTHONPATH: target,
      PYTHONDONTWRITEBYTECODE: '1',
      // Makes the text pattern usable for generation: see the file.
      SCHEMATHESIS_HOOKS: path.join(projectRoot, 'scripts', 'fuzz-hooks.py'),
    },
  };
  if (existsSync(path.join(target, 'schemathesis'))) {
    log(`Schemathesis ${SCHEMATHESIS_VERSION} in ${path.relative(projectRoot, target)}`);
    return runner;
  }
  log(`installing schemathesis==${SCHEMATHESIS_VERSION} from PyPI into ${path.relative(projectRoot, target)} ...`);
  try {
    pipInstallInto(target, ['--quiet', '--constraint', path.join(projectRoot, 'scripts', 'fuzz-constraints.txt'), `schemathesis==${SCHEMATHESIS_VERSION}`]);
  } catch (err) {
    throw new Error(`could not install Schemathesis from PyPI (needs Python ≥ 3.11 with pip): ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  return runner;
}

// ---------------------------------------------------------------------------------------------
// The service under test

type Service = ServiceUnderTest;

async function startFuzzedService(): Promise<Service> {
  const service = await startService({
    log,
    logFile: path.join(outDir, 'service.log'),
    env: {
      // Errors and warnings only (5xx, failing activities): an info line per request would be
      // tens of megabytes.
      LOG_LEVEL: 'warn',
      // The fuzzer sends thousands of requests a minute with one key; at the default limit most
      // would be 429s and the logic behind them would go untested.
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    readyTimeoutSeconds: READY_TIMEOUT_SECONDS,
  });
  cleanups.push(async () => {
    await service.stop();
  });
  return service;
}

/** A file descriptor, not a pipe: a child's output must not wait on this process reading it. */
function openLog(file: string): number {
  return openSync(file, 'w');
}

// ---------------------------------------------------------------------------------------------
// Seed cases, so the unit and leader runs have cases of their own to act on

async function call(service: Service, keyId: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${service.api}${route}`, {
    method,
    headers: { ...service.credentials[keyId], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, json };
}

/**
 * Three cases the fuzzer's own requests would rarely reach: one registered, one assigned to
 * unit-a, one assigned, signed for and escalated to leader-1. Schemathesis finds their ids in
 * `GET /complaints` (its resource pool) and uses them in the `{id}` routes. A seed step that
 * fails is reported (a 5xx is a finding) but does not stop the fuzz.
 */
async function seedCases(service: Service, found: (line: string) => void): Promise<void> {
  const step = async (keyId: string, method: string, route: string, body?: unknown) => {
    const { status, json } = await call(service, keyId, method, route, body);
    if (status >= 500) found(`seed: ${method} ${route} as ${keyId} answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
    else if (status >= 300) log(`seed: ${method} ${route} as ${keyId} answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
    return status < 300 ? json : undefined;
  };
  const intake = async (n: number) => {
    const created = await step('integrator', 'POST', '/complaints', {
      externalId: `fuzz-seed-${n}`,
      channel: 'hotline_12345',
      category: ['odour', 'noise', 'wastewater'][n % 3],
      description: `种子案件 ${n}：夜间噪声扰民`,
      location: { address: `测试路 ${100 + n} 号`, district: 'nancheng' },
      complainant: { anonymous: false, name: '李四', phone: '13900000000' },
    });
    const id = (created as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : undefined;
  };
  const unit = { id: 'unit-a', name: '南城分局', level: 'district' };
  await intake(1);
  const assigned = await intake(2);
  if (assigned) {
    await step('registrar', 'POST', `/complaints/${assigned}/accept`, {});
    await step('registrar', 'POST', `/complaints/${assigned}/assign`, { unit });
  }
  const escalated = await intake(3);
  if (escalated) {
    await step('registrar', 'POST', `/complaints/${escalated}/accept`, {});
    await step('registrar', 'POST', `/complaints/${escalated}/assign`, { unit });
    await step('officer-a', 'POST', `/complaints/${escalated}/acknowledge`, {});
    await step('supervisor', 'POST', `/complaints/${escalated}/overrides/escalate`, {
      reason: '群众反复投诉，升级包案',
      tier: 1,
      owners: [{ leaderId: 'leader-1', kind: 'system' }],
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Schemathesis, once per role

interface OpenApiOperation {
  description?: string;
}

/** Each role's operation labels ("POST /complaints/{id}/accept"), from the published document. */
async function operationsByRole(service: Service): Promise<{ byRole: Map<Role, string[]>; documented: Set<string> }> {
  const document = (await (await fetch(`${service.api}/openapi.json`)).json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const byRole = new Map<Role, string[]>(Object.keys(keyIds).map((role) => [role as Role, []]));
  const documented = new Set<string>();
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const label = `${method.toUpperCase()} ${route}`;
      documented.add(label);
      const declared = /Roles: ([a-z, ]+)\./.exec(operation.description ?? '')?.[1]?.split(', ');
      const roles = declared ?? routeRoles.find(([pattern]) => pattern.test(label))?.[1] ?? Object.keys(keyIds);
      for (const role of roles) byRole.get(role as Role)?.push(label);
    }
  }
  return { byRole, documented };
}

let running: ChildProcess | undefined;
const cassettes = process.env.FUZZ_CASSETTES === '1';

async function runSchemathesis(
  runner: { command: string; args: string[]; env: NodeJS.ProcessEnv },
  service: Service,
  role: Role,
  operations: string[],
  budget: number,
  seed: string,
): Promise<number> {
  const base = path.join(outDir, role);
  const args = [
    ...runner.args,
    'run',
    `${service.api}/openapi.json`,
    ...Object.entries(service.credentials[keyIds[role]] ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ...operations.flatMap((label) => ['--include-name', label]),
    '--checks',
    CHECKS.join(','),
    // Fuzzing and stateful sequences repeat until the budget is spent. Stateful stays in: it
    // chains intake into actions on the new case, at no cost beyond this budget.
    '--max-time',
    String(budget),
    // One failure per operation would hide the next: the missing problem+json media type alone
    // fails nearly every operation at once.
    '--continue-on-failure',
    '--request-timeout',
    '30',
    '--seed',
    seed,
    '--generation-database',
    'none',
    '--no-color',
    // The NDJSON report holds every request and response (failures.md is made from it). The VCR
    // cassette says the same again in YAML, some 75 MB a run more: only when asked for.
    '--report',
    cassettes ? 'ndjson,junit,vcr' : 'ndjson,junit',
    '--report-ndjson-path',
    `${base}.ndjson`,
    '--report-junit-path',
    `${base}.junit.xml`,
    ...(cassettes ? ['--report-vcr-path', `${base}.cassette.yaml`] : []),
  ];
  const output = openLog(`${base}.log`);
  const child = spawn(runner.command, args, { cwd: outDir, env: runner.env, stdio: ['ignore', output, output] });
  running = child;
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
  running = undefined;
  return code;
}

// ---------------------------------------------------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
/** Set by SIGINT/SIGTERM: no further role is started while the clean-up runs. */
let interrupted = false;
async function cleanUp(): Promise<void> {
  running?.kill('SIGTERM');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
}

async function main(): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const totalBudget = envNumber('FUZZ_SECONDS', 240);
  const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 48));
  const onlyRoles = process.env.FUZZ_ROLES?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);

  const runner = installSchemathesis();
  const service = await startFuzzedService();
  /** Every finding outside Schemathesis's checks, one line each, printed as it is found. */
  const findings: string[] = [];
  const found = (line: string) => {
    findings.push(line);
    log(`  ${line}`);
  };

  log('seeding three cases (registered, assigned to unit-a, escalated to leader-1) ...');
  await seedCases(service, found);

  // Roles in the order a case meets them, so the later ones find cases in more states.
  const { byRole, documented } = await operationsByRole(service);
  const roles = (Object.keys(keyIds) as Role[]).filter((role) => !onlyRoles || onlyRoles.includes(role));
  const totalOperations = roles.reduce((n, role) => n + (byRole.get(role)?.length ?? 0), 0);
  const digest: RunDigest = emptyDigest();
  const exitCodes: string[] = [];
  log(`Schemathesis ${SCHEMATHESIS_VERSION}, seed ${seed}, about ${totalBudget} s over ${roles.length} roles`);
  for (const role of roles) {
    if (interrupted) break;
    const operations = byRole.get(role) ?? [];
    // Without an --include-name Schemathesis would take every operation.
    if (operations.length === 0) {
      log(`role ${role}: no operations in the document; skipped`);
      continue;
    }
    // The budget follows the number of operations, with a floor for the examples and coverage
    // phases and a first round of fuzzing.
    const budget = Math.max(30, Math.round((totalBudget * operations.length) / Math.max(1, totalOperations)));
    log(`role ${role} (key ${keyIds[role]}): ${operations.length} operations, ${budget} s ...`);
    const before = { requests: digest.requests, failures: digest.failures.size };
    const code = await runSchemathesis(runner, service, role, operations, budget, seed);
    readRun(path.join(outDir, `${role}.ndjson`), role, digest);
    readWarnings(path.join(outDir, `${role}.log`), role, digest);
    log(
      `role ${role}: ${digest.requests - before.requests} requests, ${digest.failures.size - before.failures} new distinct failures ` +
        `(Schemathesis exit ${code}; .data/fuzz/${role}.log)`,
    );
    if (code !== 0) exitCodes.push(`${role}=${code}`);
  }
  // Interrupted: the signal handler is stopping the service and exits when done; nothing here
  // may exit before it.
  if (interrupted) await new Promise<never>(() => undefined);
  attachCauses(digest, readFileSync(path.join(outDir, 'service.log'), 'utf8'));
  writeFileSync(path.join(outDir, 'failures.md'), formatDigest(digest, documented));

  const created = successes(digest, 'POST /complaints', 201);
  log(`intake: the fuzzer registered ${created} new cases (${successes(digest, 'POST /complaints', 200)} repeats)`);
  const intakeFuzzed = roles.some((role) => byRole.get(role)?.includes('POST /complaints'));
  if (created === 0 && intakeFuzzed) found('intake: no generated request made a case (POST /complaints never answered 201): intake went unfuzzed');
  // Schemathesis failed without a failing check in its report: it choked (document, connection).
  if (exitCodes.length > 0 && digest.failures.size === 0)
    found(`Schemathesis exited ${exitCodes.join(', ')} without a failing check: see .data/fuzz/<role>.log`);

  const keys = developmentPayloadKeys(path.join(service.dataDir, 'dev-payload-keys'));
  const client = await connectClient({ temporalAddress: service.temporalAddress, temporalNamespace: 'default' }, dataConverterFor(keys));
  const pool = new pg.Pool({ connectionString: service.databaseUrl, max: 2 });
  // A client losing its connection emits 'error', which unhandled would end the process before
  // the clean-up.
  keepProcessOnConnectionLoss(pool);
  try {
    log("checking that every case's projection follows its workflow ...");
    const projections = await checkProjections(client, pool, { waitSeconds: PROJECTION_WAIT_SECONDS, log });
    log(`projections: ${projections.checked} cases (${projections.detail}), ${projections.problems.length} lagging`);
    for (const problem of projections.problems) found(`lagging: ${problem}`);

    // A dead letter is the second wall at work: something got past the API's validation that
    // Postgres refuses, and that case's read side (or notice) waits for ops to re-drive it.
    const letters = [...(await pendingDeadLetters(pool)).entries()].flatMap(([caseId, list]) => list.map((l) => `complaint-${caseId}: ${l}`));
    log(`dead letters: ${letters.length} pending`);
    for (const letter of letters) found(`dead letter: ${letter}`);

    log(`checking that no running workflow retries an activity more than ${MAX_ACTIVITY_ATTEMPTS} times ...`);
    const retries = await checkRetries(client, new AesGcmCodec(keys), MAX_ACTIVITY_ATTEMPTS);
    log(`retries: ${retries.checked} running workflows, ${retries.problems.length} stuck`);
    for (const problem of retries.problems) found(`retrying: ${problem}`);
  } finally {
    await pool.end();
    await client.connection.close();
  }
  writeFileSync(path.join(outDir, 'checks.txt'), findings.join('\n') + '\n');
  await cleanUp();

  // Schemathesis's failures, most harmful first, one line each; failures.md shows requests and responses.
  const groups = sortedGroups(digest);
  if (groups.length > 0) {
    log(`Schemathesis failures (${groups.length} distinct; requests and responses in .data/fuzz/failures.md):`);
    for (const group of groups) log(`  ${summaryLine(group)}`);
  }
  for (const [title, byRole] of digest.warnings) log(`Schemathesis warning: ${title} (as ${[...byRole.keys()].join(', ')}; see failures.md)`);
  const serverErrors = groups.filter((g) => g.check === 'not_a_server_error').length;
  const failed = groups.length > 0 || findings.length > 0;
  summary(
    `${failed ? 'FAILED' : 'passed'} in ${seconds()} s: ${digest.requests} requests, ${groups.length} distinct Schemathesis failures ` +
      `(${serverErrors} server errors), ${findings.length} other findings (lagging projections, dead letters, retrying activities, intake)`,
  );
  return failed ? 1 : 0;
}

/** The closing line, also kept in .data/fuzz/summary.txt for .ci/run's own closing lines. */
function summary(line: string): void {
  log(line);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'summary.txt'), `fuzz: ${line}\n`);
}

// Whatever goes wrong, the service stops and the data folder goes.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (err: unknown) => {
    log(`${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void cleanUp().finally(() => process.exit(1));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

// process.exit: a client connection or timer left open by a failure must not keep CI waiting.
main()
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log(`error: ${message}`);
    await cleanUp();
    summary(`FAILED in ${seconds()} s: ${message.split('\n')[0]}`);
    process.exit(1);
  });
