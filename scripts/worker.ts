/** `npm run worker`: the Temporal worker alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
import { loadConfigFor, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { onStopSignal } from '../lib/shutdown';
import { startWorker } from './services';

async function main(): Promise<void> {
  const config = loadConfigFor('worker');
  const logger = createLogger(config);
  const worker = await startWorker(config, logger, requireDatabaseUrl(config));
  // The SDK's worker stops itself on SIGINT/SIGTERM, finishing the tasks in hand; this only
  // keeps a repeated signal from cutting that short.
  onStopSignal((signal) => logger.info({ signal }, 'stopping: finishing the tasks in hand'));
  await worker.done;
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
