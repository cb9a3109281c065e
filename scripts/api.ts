/** `npm run api`: the HTTP API alone, against TEMPORAL_ADDRESS and DATABASE_URL. */
import { loadConfigFor, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';
import { onStopSignal } from '../lib/shutdown';
import { startApi } from './services';

async function main(): Promise<void> {
  const config = loadConfigFor('api');
  const logger = createLogger(config);
  const api = await startApi(config, logger, requireDatabaseUrl(config));
  onStopSignal((signal) => {
    logger.info({ signal }, 'stopping');
    void api.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
