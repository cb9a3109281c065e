import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';

export const migrationsFolder = path.join(__dirname, 'migrations');

/** Any number for the advisory lock, as long as it is only used here. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies the committed drizzle migrations. The API and the worker may start together, so an
 * advisory lock makes the second wait rather than race the first; the migrations run on the
 * connection that holds the lock.
 */
export async function runMigrations({ pool }: Database): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
