/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits. */
import { createDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { loadConfigFor, requireDatabaseUrl } from '../lib/config';
import { createLogger } from '../lib/logger';

async function main(): Promise<void> {
  const config = loadConfigFor('migrate');
  const logger = createLogger(config);
  const database = createDatabase(requireDatabaseUrl(config), { max: 2 });
  try {
    await runMigrations(database);
    logger.info('migrations applied');
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
