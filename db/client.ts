import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { isDatabaseOutage, redactDbError } from './errors';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
/** The database inside a transaction: queries that must see the transaction's writes take this. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Where a dropped connection is reported; the service's pino logger fits. */
export interface DbWarnLog {
  warn(details: object, message: string): void;
}

const consoleWarn: DbWarnLog = {
  warn: (details, message) => console.warn(message, details),
};

/**
 * A `pg` client emits 'error' when its connection drops (Postgres restarts, fails over,
 * `pg_terminate_backend`, `idle_in_transaction_session_timeout`). The pool listens only while
 * the client is idle; a client checked out (between the queries of a transaction) has no
 * listener, and an unhandled 'error' event exits the process. This listener keeps the process
 * up: the query in flight still rejects, and the pool drops the broken client on release, so
 * the next query connects afresh once Postgres is back.
 */
export function keepProcessOnConnectionLoss(emitter: pg.Pool | pg.Client, log: DbWarnLog = consoleWarn): void {
  const warn = (err: Error) => log.warn({ err: redactDbError(err) }, 'Postgres connection lost');
  // A pool's idle clients report to the pool; each client checked out reports to itself.
  if (emitter instanceof pg.Pool) {
    emitter.on('connect', (client) => client.on('error', warn));
    emitter.on('error', warn);
  } else {
    emitter.on('error', warn);
  }
}

/** Timeouts bound every call, so a Postgres outage surfaces as an error, never as a hang. */
export function createDatabase(url: string, options: { max?: number; bulk?: boolean; log?: DbWarnLog } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    connectionTimeoutMillis: 5_000,
    // Bulk loads (the benchmark) run as long as they need; requests never do.
    ...(options.bulk ? {} : { statement_timeout: 15_000, query_timeout: 20_000 }),
  });
  keepProcessOnConnectionLoss(pool, options.log);
  const db = drizzle(pool, { schema });
  db.transaction = (run, config) => transactionOnOwnClient(pool, run, config);
  return { db, pool, close: () => pool.end() };
}

/**
 * drizzle's `transaction` on a pool sends BEGIN before its try/finally: when the connection is
 * cut right there (a Postgres restart, `pg_terminate_backend`), the client is never released.
 * Each such loss takes one connection for good, until the pool is exhausted, every query waits out
 * its connection timeout and `pool.end()` never returns. So every transaction runs on a client
 * checked out here, released on every path, and destroyed rather than reused when its connection
 * is the reason it failed.
 */
async function transactionOnOwnClient<T>(pool: pg.Pool, run: Parameters<Db['transaction']>[0], config: Parameters<Db['transaction']>[1]): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    return (await drizzle(client, { schema }).transaction(run, config)) as T;
  } catch (err) {
    if (isDatabaseOutage(err)) lost = err as Error;
    throw err;
  } finally {
    client.release(lost);
  }
}

export async function ping(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
