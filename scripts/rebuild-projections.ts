/** `npm run db:rebuild`: rebuilds every case's row from the projections its events carry. */
import { createDatabase } from '../db/client';
import { rebuildProjections } from '../db/projections';
import { loadConfig, requireDatabaseUrl } from '../lib/config';

async function main(): Promise<void> {
  const database = createDatabase(requireDatabaseUrl(loadConfig()), { max: 2, bulk: true });
  try {
    console.log(`rebuilt ${await rebuildProjections(database.db)} cases`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
