import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import { createDatabase } from '../db/client';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

/**
 * Issue 12, item 1: Postgres connections of the API and the worker are terminated while their
 * transactions are open. Both run in this test process; a client without an 'error' listener
 * would take it down (vitest reports the unhandled error and the file fails). The case must
 * still go from registration to closed, on the workflow and on the read side.
 *
 * Only this file's connections are terminated (other test files share the database): pg takes
 * `application_name` from PGAPPNAME, and vitest runs each file in a process of its own.
 */
const appName = `faults-${process.pid}`;
process.env.PGAPPNAME = appName;

/** A lock the test holds; a trigger makes this file's projection writes wait for it. */
const LOCK_KEY = 912_012;
const marker = `故障测试排污企业 ${process.pid}-${Date.now()}`;
const trigger = `faults_hold_${process.pid}`;

let h: ApiHarness;
let admin: pg.Client;
/**
 * What would have killed a real API or worker process. Vitest keeps its test process alive
 * through them (and fails the run afterwards), so the test counts them to fail by itself.
 */
const uncaught: Error[] = [];
const recordUncaught = (err: Error) => uncaught.push(err);

beforeAll(async () => {
  process.on('uncaughtException', recordUncaught);
  h = await startApiHarness('faults');
  admin = new pg.Client({ connectionString: inject('databaseUrl'), application_name: `${appName}-admin` });
  await admin.connect();
  // Writes of this file's case (its polluter is the marker) wait on the lock inside their transaction.
  await admin.query(`create function ${trigger}() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock(${LOCK_KEY}); return new; end $$`);
  await admin.query(`create trigger ${trigger} before insert or update on complaints for each row
    when (new.polluter = '${marker.replace(/'/g, "''")}') execute function ${trigger}()`);
});

afterAll(async () => {
  if (admin) {
    await admin.query(`drop trigger if exists ${trigger} on complaints`).catch(() => undefined);
    await admin.query(`drop function if exists ${trigger}()`).catch(() => undefined);
    await admin.end();
  }
  await h?.close();
  process.off('uncaughtException', recordUncaught);
});

/** Backends of this file (not the admin's) that wait on the test's lock: a transaction held open. */
async function waitingOnLock(): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `select count(*) as n from pg_stat_activity
      where datname = current_database() and application_name = $1 and wait_event = 'advisory'`,
    [appName],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Terminates every backend of this file but the admin's, as a Postgres restart would. */
async function terminateBackends(): Promise<number> {
  const { rows } = await admin.query<{ terminated: boolean }>(
    `select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
    [appName],
  );
  return rows.filter((r) => r.terminated).length;
}

/**
 * Starts `request` while the lock is held, so its transaction (or the one it sets off in the
 * worker) stops inside the trigger; terminates the backends there; lets go of the lock.
 */
async function terminateMidTransaction<T>(request: () => Promise<T>): Promise<T> {
  await admin.query('select pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    const pending = request();
    await vi.waitFor(async () => expect(await waitingOnLock()).toBeGreaterThan(0), { timeout: 30_000, interval: 100 });
    expect(await terminateBackends()).toBeGreaterThan(0);
    return await pending;
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

const act = (id: string, action: string, key: string, payload: object = {}) =>
  h.app.inject({ method: 'POST', url: `/complaints/${id}/${action}`, headers: credentials(key), payload });

describe('Postgres connections lost mid-transaction', () => {
  it('keeps the API and the worker up, and the case completes', { timeout: 180_000 }, async () => {
    const body = submission({ polluter: marker });
    const register = () => h.app.inject({ method: 'POST', url: '/complaints', headers: { authorization: `Bearer ${keys.integrator}` }, payload: body });

    // The API's intake transaction is cut; whatever it answered, the same externalId completes it.
    const cut = await terminateMidTransaction(register);
    expect(cut.statusCode).toBeGreaterThanOrEqual(200);
    const created = await vi.waitFor(
      async () => {
        const again = await register();
        expect([200, 201]).toContain(again.statusCode);
        return again.json<{ id: string }>();
      },
      { timeout: 30_000, interval: 500 },
    );
    const id = created.id;

    // The worker's projection transaction is cut while the action goes through the workflow.
    const accepted = await terminateMidTransaction(() => act(id, 'accept', keys.registrar));
    expect([accepted.statusCode, accepted.json().status]).toEqual([200, 'accepted']);

    const steps: [string, string, object, string][] = [
      ['assign', keys.registrar, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } }, 'assigned'],
      ['acknowledge', keys.unitA, {}, 'in_progress'],
      ['result', keys.unitA, { finding: 'substantiated', actions: ['order_to_rectify'], reply: '已责令停产整改' }, 'callback'],
      ['callbacks', keys.registrar, { outcome: 'satisfied' }, 'closed'],
    ];
    for (const [action, key, payload, status] of steps) {
      // Every step cuts the connections again, the pool's idle ones included.
      const answer = await terminateMidTransaction(() => act(id, action, key, payload));
      expect([action, answer.statusCode, answer.json().status]).toEqual([action, 200, status]);
    }

    // The read side catches up once the retried projection gets through.
    await vi.waitFor(
      async () => {
        const { rows } = await admin.query<{ status: string }>('select status from complaints where id = $1', [id]);
        expect(rows.map((r) => r.status)).toEqual(['closed']);
      },
      { timeout: 60_000, interval: 250 },
    );
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    expect([view.statusCode, view.json().status]).toEqual([200, 'closed']);
    // Nothing happened that would have ended the process hosting the API and the worker.
    expect(uncaught.map((err) => err.message)).toEqual([]);
  });
});

describe('a transaction whose connection is cut before it begins', () => {
  it('gives its connection back: the pool is not drained, and it closes', async () => {
    const database = createDatabase(inject('databaseUrl'), { max: 2, log: { warn: () => undefined } });
    const connect = database.pool.connect.bind(database.pool) as () => Promise<pg.PoolClient>;
    let cut = true;
    // Each client is handed out with its backend already terminated, so BEGIN is what fails.
    database.pool.connect = (async () => {
      const client = await connect();
      if (cut) {
        const {
          rows: [backend],
        } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [backend!.pid]);
        await vi.waitFor(async () => {
          const { rows } = await admin.query('select 1 from pg_stat_activity where pid = $1', [backend!.pid]);
          expect(rows).toEqual([]);
        });
      }
      return client;
    }) as typeof database.pool.connect;
    try {
      // More cut transactions than the pool has connections: a leaked client per failure would
      // leave the next transaction waiting out the connection timeout.
      for (let i = 0; i < 3; i++) {
        await expect(database.db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
      }
      cut = false;
      await database.db.transaction(async (tx) => tx.execute(sql`select 1`));
      expect(database.pool.totalCount - database.pool.idleCount).toBe(0);
    } finally {
      await database.close();
    }
  });
});
