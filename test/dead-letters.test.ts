import { eq } from 'drizzle-orm';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redriveDeadLetters } from '../activities/dead-letters';
import { redactDbError } from '../db/errors';
import { complaints, deadLetters } from '../db/schema';
import { createLogger } from '../lib/logger';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('dead-letters');
});
afterAll(async () => {
  await h?.database.pool.query('drop trigger if exists refuse_marked on complaints');
  await h?.close();
});

/**
 * A district that Postgres is made to refuse in the workflow's own writes (not the API's row at
 * sequence 0), standing for data a write can never store: a permanent error, SQLSTATE 22023.
 */
const marker = `refused-${process.pid}`;
async function refuseMarkedRows(sqlState: string): Promise<void> {
  await h.database.pool.query(`
    create or replace function refuse_marked() returns trigger language plpgsql as $$
    begin
      if new.district like 'refused-%' and new.last_seq > 0 then
        raise exception 'refused for the test' using errcode = '${sqlState}';
      end if;
      return new;
    end $$;
    drop trigger if exists refuse_marked on complaints;
    create trigger refuse_marked before insert or update on complaints for each row execute function refuse_marked();`);
}
async function stopRefusing(): Promise<void> {
  await h.database.pool.query('drop trigger if exists refuse_marked on complaints');
}

async function register(district: string): Promise<string> {
  const body = submission({ location: { address: `城北路 ${district} 号`, district }, complainant: { anonymous: false, name: '赵六', phone: '13611112222' } });
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: body });
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}

describe('a read-side write that can never succeed', () => {
  it('is dead-lettered, the case goes on, ops see it, and a redrive after the fix writes it', async () => {
    await refuseMarkedRows('22023');
    const id = await register(marker);

    const letters = await vi.waitFor(
      async () => {
        const rows = await h.database.db.select().from(deadLetters).where(eq(deadLetters.caseId, id));
        if (rows.length === 0) throw new Error('no dead letter yet');
        return rows;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(letters[0]!.activity).toBe('projectCase');
    expect(letters[0]!.sqlState).toBe('22023');
    // Redacted: the SQLSTATE and the table, never the values of the query.
    expect(letters[0]!.error).toMatch(/SQLSTATE 22023/);
    expect(letters[0]!.error).not.toMatch(/赵六|13611112222|城北路/);

    // The case is not blocked: it takes the next action, and its workflow retries nothing.
    const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const described = await h.client.workflow.getHandle(`complaint-${id}`).describe();
    const pending = described.raw.pendingActivities ?? [];
    expect(pending.every((a) => (a.attempt ?? 1) <= 1)).toBe(true);

    // Ops see it.
    const listed = await h.app.inject({ method: 'GET', url: '/dead-letters', headers: credentials(keys.ops) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((l: { caseId: string }) => l.caseId)).toContain(id);
    const forbidden = await h.app.inject({ method: 'GET', url: '/dead-letters', headers: credentials(keys.integrator) });
    expect(forbidden.statusCode).toBe(403);

    // While the cause is there a redrive is refused again and the letter stays pending.
    const [still] = (await redriveDeadLetters(h.database.db)).filter((r) => r.id.includes(id));
    expect(still?.ok).toBe(false);

    // The fix, then the redrive: the row reaches the workflow's own writes. (A batch already in
    // flight when the fix landed may dead-letter just after, so redrive until none is pending.)
    await stopRefusing();
    await vi.waitFor(
      async () => {
        await redriveDeadLetters(h.database.db);
        const mine = await h.database.db.select().from(deadLetters).where(eq(deadLetters.caseId, id));
        expect(mine.every((l) => l.redrivenAt !== null)).toBe(true);
        const [row] = await h.database.db.select().from(complaints).where(eq(complaints.id, id));
        expect(row!.lastSeq).toBeGreaterThan(0);
        expect(row!.status).toBe('accepted');
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('a refusal that may pass (not a data or constraint error) is retried, and its failure is ciphertext in the history', async () => {
    // 55000 (object not in prerequisite state) is not a permanent class: Temporal retries it.
    await refuseMarkedRows('55000');
    const district = `${marker}-retry`;
    const id = await register(district);
    const handle = h.client.workflow.getHandle(`complaint-${id}`);
    const failure = await vi.waitFor(
      async () => {
        const { raw } = await handle.describe();
        const failed = (raw.pendingActivities ?? []).find((a) => a.lastFailure);
        if (!failed?.lastFailure) throw new Error('no failed attempt yet');
        return failed.lastFailure;
      },
      { timeout: 15_000, interval: 100 },
    );
    // describe() shows what the server stores: the message and stack are encrypted attributes.
    expect(failure.message).toBe('Encoded failure');
    expect(JSON.stringify(failure)).not.toMatch(/赵六|13611112222|城北路|Failed query|params/);
    await stopRefusing();
    await vi.waitFor(
      async () => {
        const [row] = await h.database.db.select().from(complaints).where(eq(complaints.id, id));
        expect(row?.lastSeq).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(await h.database.db.select().from(deadLetters).where(eq(deadLetters.caseId, id))).toEqual([]);
  });
});

describe('errors of failed queries', () => {
  it('are logged without the SQL parameters', async () => {
    const error = await h.database.db
      .insert(complaints)
      // Not a valid row: the insert fails, and drizzle's error quotes the parameters.
      .values({
        id: 'x',
        workflowId: 'x',
        channel: 'x',
        category: 'x',
        district: '13900001111',
        address: '李四家门口',
        addressKey: 'x',
        summary: 'x',
        status: 'x',
        registeredAt: new Date(),
        lastSeq: 0,
        updatedAt: new Date(),
        escalationTier: Number.NaN,
      })
      .catch((err: unknown) => err);
    expect(String((error as Error).message)).toContain('13900001111');
    expect((redactDbError(error) as Error).message).not.toMatch(/13900001111|李四/);

    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger({ nodeEnv: 'production', logLevel: 'info' }, sink);
    logger.error({ err: error }, 'failed');
    logger.error({ error }, 'failed');
    expect(lines.join('')).toMatch(/SQLSTATE 22P02/);
    expect(lines.join('')).not.toMatch(/13900001111|李四/);
  });
});
