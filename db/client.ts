import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** The database inside a transaction: queries that must see the transaction's writes take this. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Timeouts bound every call, so a Postgres outage surfaces as an error, never as a hang. */
export function createDatabase(url: string, options: { max?: number; bulk?: boolean } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    // Bulk loads (the benchmark) run as long as they need; requests never do.
    ...(options.bulk ? {} : { statement_timeout: 15_000, query_timeout: 20_000 }),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return { db: drizzle(pool, { schema }), pool, close: () => pool.end() };
}

export async function ping(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
