/**
 * `npm start`: the whole service on one machine for development and demos. Starts the Temporal
 * dev server (with its Web UI), an embedded Postgres unless DATABASE_URL is set, applies the
 * migrations, then runs the worker and the API. Ctrl-C or SIGTERM stops all of it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createDatabase } from '../db/client';
import { seedDevelopmentLeaders } from '../db/development-leaders';
import { seedDevelopmentOrganisation } from '../db/development-organisation';
import { developmentAccounts, seedDevelopmentAccounts } from '../db/development-accounts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { loadConfig } from '../lib/config';
import { startDevServer } from '../lib/dev-server';
import { temporalUiCodecEndpoint, temporalUiPath } from '../api/routes/temporal-ui';
import { createLogger, forwardTemporalLogs } from '../lib/logger';
import { onStopSignal } from '../lib/shutdown';
import { startApi, startWorker, type RunningPart } from './services';
import { developmentPassword } from '../lib/secrets';

/**
 * Refuses ports something else already listens on. Without this, a dev server orphaned by an
 * earlier run answered in place of ours: `npm start` reported ready and could not stop it.
 */
async function checkPortsFree(ports: { name: string; host: string; port: number }[]): Promise<void> {
  for (const { name, host, port } of ports) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const server = createServer();
      server.once('error', resolve);
      server.listen(port, host, () => server.close(() => resolve(undefined)));
    });
    if (error?.code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} (${name}) on ${host} is already in use by a process npm start did not start ` +
          `(perhaps one left by an earlier run): stop it or set ${name} to a free port`,
      );
    }
    if (error) throw error;
  }
}

/**
 * Children must not outlive this process, however it ends: a SIGKILL or a crash skips every
 * stop. A small detached process holds a pipe to us; when the pipe closes (the kernel closes it
 * whatever killed us) it stops the children it was told of: SIGINT (the dev server and Postgres
 * shut down cleanly on it), SIGKILL after 15 s. On an orderly stop they are gone already.
 */
const reaperSource = `
const pids = new Set(); let rest = '';
process.stdin.on('data', (d) => { rest += d; const lines = rest.split('\\n'); rest = lines.pop();
  for (const l of lines) if (/^\\d+$/.test(l)) pids.add(Number(l)); });
const alive = () => [...pids].filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
const signal = (list, sig) => { for (const p of list) { try { process.kill(p, sig); } catch {} } };
process.stdin.on('close', () => {
  signal(alive(), 'SIGINT');
  const deadline = Date.now() + 15000;
  setInterval(() => { const left = alive(); if (left.length === 0 || Date.now() > deadline) { signal(left, 'SIGKILL'); process.exit(0); } }, 200);
});`;

function startReaper(): (pids: number[]) => void {
  const reaper = spawn(process.execPath, ['-e', reaperSource], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  reaper.unref();
  return (pids) => reaper.stdin?.write(pids.map((pid) => `${pid}\n`).join(''));
}

/** Our child processes whose command line names `text` (Linux /proc; elsewhere none are found). */
function childrenNaming(text: string): number[] {
  try {
    const children = readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
    );
    return children.map(Number).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // The Temporal runtime is process-wide: route its logs before the dev server creates it.
  forwardTemporalLogs(logger);
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
    }
    logger.info('stopped');
    // The pretty printer runs in a worker thread: let it write the last lines before exiting.
    logger.flush(() => process.exit(code));
  };
  onStopSignal((signal) => void shutdown(signal, 0));
  // Whatever goes wrong later, the children are stopped before this process ends.
  process.on('uncaughtException', (err) => {
    logger.error({ err }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.error({ err }, 'unhandled rejection');
    void shutdown('unhandled rejection', 1);
  });

  try {
    const [temporalHost, temporalPort] = config.temporalAddress.split(':');
    await checkPortsFree([
      { name: 'TEMPORAL_ADDRESS', host: temporalHost ?? '127.0.0.1', port: Number(temporalPort) },
      { name: 'TEMPORAL_UI_PORT', host: temporalHost ?? '127.0.0.1', port: config.temporalUiPort },
      { name: 'API_PORT', host: config.apiHost, port: config.apiPort },
      ...(config.databaseUrl ? [] : [{ name: 'EMBEDDED_POSTGRES_PORT', host: '127.0.0.1', port: config.embeddedPostgresPort }]),
    ]);
    const reap = startReaper();
    const dataDir = path.resolve(config.dataDir);
    mkdirSync(config.dataDir, { recursive: true });
    logger.info('starting the Temporal dev server ...');
    const temporal = await startDevServer({
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      uiPort: config.temporalUiPort,
      // The API passes the UI on at this same path, on the console's origin (api/routes/temporal-ui.ts).
      uiPublicPath: temporalUiPath,
      uiCodecEndpoint: temporalUiCodecEndpoint,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      log: (line) => logger.info(line),
    });
    stops.push(() => temporal.teardown());
    // The dev server's command line names its database file under DATA_DIR.
    reap(childrenNaming(dataDir));

    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      logger.info('starting the embedded Postgres ...');
      const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        database: 'complaints',
        log: (line) => logger.debug({ component: 'postgres' }, line),
      });
      stops.push(() => embedded.stop());
      reap(childrenNaming(dataDir));
      databaseUrl = embedded.url;
    }

    const database = createDatabase(databaseUrl, { max: 1 });
    await runMigrations(database);
    logger.info('migrations applied');
    if (!config.apiKeysFile && (await seedDevelopmentLeaders(database.db))) {
      logger.info('development leaders leader-1 to leader-3 added to the empty escalation directory');
    }
    if (!config.apiKeysFile) {
      // The development keys' units (unit-a, unit-b) must be registered for a case to be assigned to them.
      const added = await seedDevelopmentOrganisation(database.db);
      if (added.length > 0) logger.info({ units: added }, 'development units added to the organisation registry');
      const people = await seedDevelopmentAccounts(database.db, developmentPassword(config));
      if (people.length > 0) logger.info({ accounts: people }, 'development accounts added, one per role');
    }
    await database.close();

    logger.info('starting the worker ...');
    const worker: RunningPart = await startWorker(config, logger, databaseUrl);
    stops.push(() => worker.stop());
    const api = await startApi({ ...config, temporalUiUpstream: `http://${temporalHost ?? '127.0.0.1'}:${config.temporalUiPort}` }, logger, databaseUrl);
    stops.push(() => api.stop());
    void worker.done.then(() => shutdown('worker stopped', stopping ? 0 : 1));

    const apiUrl = `http://${config.apiHost}:${config.apiPort}`;
    logger.info(
      {
        api: apiUrl,
        temporalUi: `${apiUrl}${temporalUiPath}/`,
        temporal: config.temporalAddress,
        postgres: databaseUrl.replace(/\/\/[^@]*@/, '//***@'),
      },
      `ready: API ${apiUrl}  console ${apiUrl}/console/  Temporal UI ${apiUrl}${temporalUiPath}/ (ops: sign in to the console as ops first, and the UI shows histories decoded)`,
    );
    if (!config.apiKeysFile) {
      logger.info(
        `sign in (登录) as ${developmentAccounts.map((a) => a.id).join(', ')} with the password in ${path.join(config.dataDir, 'dev-password')}: ` +
          `curl -c .data/cookies -H 'content-type: application/json' -d '{"account":"registrar","password":"'$(cat ${path.join(config.dataDir, 'dev-password')})'"}' http://${config.apiHost}:${config.apiPort}/session`,
      );
    }
  } catch (err) {
    logger.error({ err }, 'start failed');
    await shutdown('start failed', 1);
  }
}

void main();
