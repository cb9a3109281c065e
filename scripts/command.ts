import { createDatabase, type Db } from '../db/client';
import { loadConfig, requireDatabaseUrl } from '../lib/config';

/** A mistake of the person at the shell: its message is printed, and the command exits 2. */
export class UsageError extends Error {}

/**
 * Runs an ops command against DATABASE_URL: opens the database, runs `body`, closes it, and exits
 * with the code `body` answers (2 for a UsageError, 1 for any other failure, its message printed).
 */
export function runCommand(body: (db: Db) => Promise<number | void>): void {
  const run = async (): Promise<number> => {
    const database = createDatabase(requireDatabaseUrl(loadConfig()), { max: 2 });
    try {
      return (await body(database.db)) ?? 0;
    } finally {
      await database.close();
    }
  };
  run().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
