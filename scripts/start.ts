/**
 * `npm start`: the whole service on one machine for development and demos. Starts the Temporal
 * dev server (with its Web UI), an embedded Postgres unless DATABASE_URL is set, applies the
 * migrations, then runs the worker and the API. Ctrl-C or SIGTERM stops all of it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { developmentAccounts } from '../db/development-accounts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { loadConfig } from '../lib/config';
import { startDevServer } from '../lib/dev-server';
import { temporalUiCodecEndpoint, temporalUiPath } from '../api/routes/temporal-ui';
import { createLogger, forwardTemporalLogs } from '../lib/logger';
import { onStopSignal } from '../lib/shutdown';
import { prepareDatabase, startApi, startWorker, type RunningPart } from './services';
import { developmentPassword } from '../lib/secrets';
import { childrenNaming, startReaper } from '../lib/reaper';
import { checkPortsFree } from '../lib/ports';

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

    // Development keys come with the development leaders, units and accounts they name.
    await prepareDatabase(databaseUrl, logger, config.apiKeysFile ? undefined : { password: developmentPassword(config) });

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
