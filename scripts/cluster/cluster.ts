/**
 * The production topology on one machine, without containers: Postgres (Temporal's persistence
 * and SQL visibility, and the service's read side), the Temporal server's frontend, history,
 * matching and internal-worker services as separate processes, the Web UI server, and N complaint
 * workers and N API instances, all on 127.0.0.1. `npm run cluster` runs it; `npm run
 * test:cluster` and `npm run bench:cluster` start it and act on its parts. docs/cluster.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { keepProcessOnConnectionLoss } from '../../db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../../db/embedded';
import { developmentKeys } from '../../lib/api-keys';
import { newKeyEntry } from '../../lib/codec';
import { loadConfig, variables } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { childrenNaming, startReaper } from '../../lib/reaper';
import { developmentPassword } from '../../lib/secrets';
import { ensureSearchAttributes, recentPollers, workerPollWindowMs } from '../../lib/temporal';
import { buildWorkflowBundle } from '../../lib/worker';
import { projectRoot } from '../../lib/temporal-binaries';
import { prepareDatabase } from '../services';
import { ensureTemporalServer } from './binaries';
import { writeServerConfig, writeUiConfig, type ClusterPorts, type TemporalService } from './config';
import { answers, listening, Part } from './parts';

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  workers: number;
  /** Extra environment of the complaint workers and APIs (POLICY_FILE, LOG_LEVEL, …). */
  env?: Record<string, string>;
  log: (line: string) => void;
}

export interface Cluster {
  /** temporal-frontend, temporal-history, temporal-matching, temporal-worker, temporal-ui, worker-1…, api-1…, in start order. */
  parts: Map<string, Part>;
  part(name: string): Part;
  apis: string[];
  temporalAddress: string;
  databaseUrl: string;
  /** The development keys of the machine roles (`integrator`, `ops`); the accounts' password is in `<dataDir>/dev-password`. */
  keys: Record<string, string>;
  namespace: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const database = { user: 'postgres', password: 'postgres' };
const namespace = 'default';
const taskQueue = 'complaints';

/** Each database's schema, by Temporal's own tool: versioning tables once, then every versioned step not applied yet. */
async function applyTemporalSchema(sqlTool: string, schemaDir: string, port: number, log: (line: string) => void): Promise<void> {
  const admin = `postgres://${database.user}:${database.password}@127.0.0.1:${port}`;
  for (const [db, versioned] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    await ensureDatabase(`${admin}/postgres`, db);
    const client = new pg.Client({ connectionString: `${admin}/${db}` });
    keepProcessOnConnectionLoss(client);
    await client.connect();
    const versioning = await client.query("select 1 from information_schema.tables where table_name = 'schema_version'");
    await client.end();
    const tool = (args: string[]) =>
      execFileSync(
        sqlTool,
        ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', database.user, '--pw', database.password, '--db', db, ...args],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
    if (versioning.rowCount === 0) tool(['setup-schema', '-v', '0.0']);
    tool(['update-schema', '-d', path.join(schemaDir, versioned, 'versioned')]);
    log(`schema of ${db} up to date`);
  }
}

/** Registers the namespace unless it exists, and waits until the frontend serves it. */
async function ensureNamespace(address: string, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
      log(`namespace ${namespace} registered (closed cases' histories kept 30 days)`);
    }
    for (let i = 0; ; i += 1) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        break;
      } catch (err) {
        if (i > 120) throw err;
        await sleep(500);
      }
    }
    const added = await ensureSearchAttributes(new Client({ connection, namespace }));
    if (added.length > 0) log(`search attributes registered: ${added.join(', ')}`);
  } finally {
    await connection.close();
  }
}

/** Whether a worker process polls the task queue: its identity (`<pid>@<host>`) among the pollers. */
async function polling(address: string, pid: number): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '2s' });
  try {
    const { identities } = await recentPollers(new Client({ connection, namespace }), taskQueue, workerPollWindowMs);
    return [...identities].some((identity) => identity.startsWith(`${pid}@`));
  } finally {
    await connection.close();
  }
}

/** The environment of the complaint workers and APIs: none of ours leaks in, production settings and the cluster's secrets. */
function serviceEnvironment(dataDir: string, ports: ClusterPorts, databaseUrl: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !variables.some((v) => v.name === name)));
  const payloadKeysFile = path.join(dataDir, 'payload-keys');
  if (!existsSync(payloadKeysFile)) writeFileSync(payloadKeysFile, `${newKeyEntry('cluster-1')}\n`, { mode: 0o600 });
  const apiKeysFile = path.join(dataDir, 'api-keys.json');
  writeFileSync(apiKeysFile, JSON.stringify(developmentKeys(path.join(dataDir, 'dev-api-keys.json')).keys, null, 2), { mode: 0o600 });
  return {
    ...inherited,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.grpc.frontend}`,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYLOAD_KEYS: readFileSync(payloadKeysFile, 'utf8').trim(),
    API_KEYS_FILE: apiKeysFile,
    TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${ports.ui}`,
    ...extra,
  };
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { dataDir, ports, log } = options;
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const tools = await ensureTemporalServer({ log });
  if (!tools) throw new Error('the Temporal server is not built');
  const reap = startReaper();
  const parts = new Map<string, Part>();
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch((err: unknown) => log(`while stopping: ${(err as Error).message}`));
  };
  const add = async (spec: ConstructorParameters<typeof Part>[0]) => {
    const part = new Part(spec, logDir, (pid) => reap([pid]));
    parts.set(spec.name, part);
    stops.push(() => part.stop());
    const started = Date.now();
    await part.start();
    log(`${spec.name} ready (pid ${part.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };

  try {
    log(`Postgres on 127.0.0.1:${ports.postgres}`);
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: ports.postgres,
      database: 'complaints',
      // Four Temporal services' pools, the workers' and the APIs'.
      settings: { max_connections: '400' },
    });
    stops.push(() => postgres.stop());
    reap(childrenNaming(path.resolve(dataDir)));
    await applyTemporalSchema(tools.sqlTool, tools.postgresSchema, ports.postgres, log);

    const server = writeServerConfig(path.join(dataDir, 'temporal'), ports, database);
    // History first: matching and the frontend find it through membership.
    for (const service of ['history', 'matching', 'frontend', 'worker'] satisfies TemporalService[]) {
      await add({
        name: `temporal-${service}`,
        command: tools.server,
        args: ['--root', server.root, '--env', server.env, '--allow-no-auth', 'start', '--service', service],
        // The internal worker serves no gRPC: it is up once it has joined the membership ring.
        ready: () => listening(service === 'worker' ? ports.membership.worker : ports.grpc[service]),
      });
    }
    const temporalAddress = `127.0.0.1:${ports.grpc.frontend}`;
    await ensureNamespace(temporalAddress, log);
    const ui = writeUiConfig(path.join(dataDir, 'ui'), ports);
    await add({
      name: 'temporal-ui',
      command: tools.uiServer,
      args: ['--root', ui.root, '--env', ui.env, 'start'],
      ready: () => answers(`http://127.0.0.1:${ports.ui}/temporal/`),
    });

    const databaseUrl = `postgres://${database.user}:${database.password}@127.0.0.1:${ports.postgres}/complaints`;
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    await prepareDatabase(databaseUrl, createLogger(config), { password: developmentPassword(config) });
    // Bundled once here, so each worker (and each restart of one) loads it instead of bundling.
    await buildWorkflowBundle();
    const env = serviceEnvironment(dataDir, ports, databaseUrl, options.env ?? {});
    const node = (script: string) => ['--import', 'tsx', path.join(projectRoot, 'scripts', script)];
    for (let n = 1; n <= options.workers; n += 1) {
      await add({ name: `worker-${n}`, command: process.execPath, args: node('worker.ts'), env, ready: (pid) => polling(temporalAddress, pid) });
    }
    const apis = ports.apis.map((port) => `http://127.0.0.1:${port}`);
    for (const [n, port] of ports.apis.entries()) {
      await add({
        name: `api-${n + 1}`,
        command: process.execPath,
        args: node('api.ts'),
        env: { ...env, API_PORT: String(port) },
        ready: () => answers(`${apis[n]}/readyz`),
      });
    }
    return {
      parts,
      part: (name) => {
        const part = parts.get(name);
        if (!part) throw new Error(`no part ${name}`);
        return part;
      },
      apis,
      temporalAddress,
      databaseUrl,
      keys: JSON.parse(readFileSync(path.join(dataDir, 'dev-api-keys.json'), 'utf8')) as Record<string, string>,
      namespace,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
