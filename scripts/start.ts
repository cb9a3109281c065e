/**
 * `npm start`: the whole service on one machine for development and demos. Starts the Temporal
 * dev server (with its Web UI), an embedded Postgres unless DATABASE_URL is set, applies the
 * migrations, then runs the worker and the API. Ctrl-C or SIGTERM stops all of it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../db/client';
import { seedDevelopmentLeaders } from '../db/development-leaders';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { loadConfig } from '../lib/config';
import { startDevServer } from '../lib/dev-server';
import { createLogger, forwardTemporalLogs } from '../lib/logger';
import { startApi, startWorker, type RunningPart } from '../lib/services';
import { onStopSignal } from '../lib/signals';

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

  try {
    mkdirSync(config.dataDir, { recursive: true });
    logger.info('starting the Temporal dev server ...');
    const temporal = await startDevServer({
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      uiPort: config.temporalUiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      log: (line) => logger.info(line),
    });
    stops.push(() => temporal.teardown());

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
      databaseUrl = embedded.url;
    }

    const database = createDatabase(databaseUrl, { max: 1 });
    await runMigrations(database);
    logger.info('migrations applied');
    if (!config.apiKeysFile && (await seedDevelopmentLeaders(database.db))) {
      logger.info('development leaders leader-1 to leader-3 added to the empty escalation directory');
    }
    await database.close();

    logger.info('starting the worker (bundling workflow code) ...');
    const worker: RunningPart = await startWorker(config, logger, databaseUrl);
    stops.push(() => worker.stop());
    const api = await startApi(config, logger, databaseUrl);
    stops.push(() => api.stop());
    void worker.done.then(() => shutdown('worker stopped', stopping ? 0 : 1));

    const [host] = config.temporalAddress.split(':');
    logger.info(
      {
        api: `http://${config.apiHost}:${config.apiPort}`,
        temporalUi: `http://${host}:${config.temporalUiPort}`,
        temporal: config.temporalAddress,
        postgres: databaseUrl.replace(/\/\/[^@]*@/, '//***@'),
      },
      `ready: API http://${config.apiHost}:${config.apiPort}  Temporal UI http://${host}:${config.temporalUiPort}`,
    );
  } catch (err) {
    logger.error({ err }, 'start failed');
    await shutdown('start failed', 1);
  }
}

void main();
