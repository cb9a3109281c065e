import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedCase, credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { addPerson, eventually, signIn } from './helpers/people';
import { ownUnit } from './helpers/smtp';

interface FeedEvent {
  cursor: string;
  caseId: string;
  seq: number;
  kind: string;
  at: string;
}
interface FeedPage {
  events: FeedEvent[];
  next: string | null;
}

let h: ApiHarness;
/** A handler of a unit of this file's own: the feed shows it this file's cases only. */
let handler: Record<string, string>;
let otherHandler: Record<string, string>;

beforeAll(async () => {
  h = await startApiHarness('feed');
  const { db } = h.database;
  const unit = await ownUnit(db, 'feed', 'nancheng');
  const other = await ownUnit(db, 'feed-other', 'nancheng');
  handler = await signIn(h.app, await addPerson(db, { name: '订阅甲', roles: ['unit'], unitId: unit.id }));
  otherHandler = await signIn(h.app, await addPerson(db, { name: '订阅乙', roles: ['unit'], unitId: other.id }));
  cases.push(await assignedCase(h.app, unit), await assignedCase(h.app, unit));
});

afterAll(() => h?.close());

const cases: string[] = [];

async function page(headers: Record<string, string>, after?: string | null, limit = 1000): Promise<FeedPage> {
  const query = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) });
  const response = await h.app.inject({ method: 'GET', url: `/feed?${query.toString()}`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<FeedPage>();
}

/** Every event from `after` on, page by page, and where the reading ended. */
async function readAll(headers: Record<string, string>, after?: string | null, limit = 1000): Promise<{ events: FeedEvent[]; next: string | null }> {
  const events: FeedEvent[] = [];
  let next = after ?? null;
  for (;;) {
    const read = await page(headers, next, limit);
    events.push(...read.events);
    next = read.next;
    if (read.events.length === 0) return { events, next };
  }
}

describe('GET /feed', () => {
  it('gives each event of the caller’s cases once, in order per case, and reads on from a cursor', async () => {
    // Both cases' assignment written to the read side.
    const first = await eventually(
      // Pages of three: the cursor carries the reading across them.
      () => readAll(handler, null, 3),
      ({ events }) => cases.every((id) => events.some((e) => e.caseId === id && e.kind === 'assigned')),
      'both assignments in the feed',
    );
    expect(new Set(first.events.map((e) => e.caseId))).toEqual(new Set(cases));
    expect(new Set(first.events.map((e) => e.cursor)).size).toBe(first.events.length);
    for (const id of cases) {
      const seqs = first.events.filter((e) => e.caseId === id).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(first.events.filter((e) => e.caseId === id).map((e) => e.kind)).toEqual(expect.arrayContaining(['registered', 'accepted', 'assigned']));
    }
    // Nothing new: the cursor stays.
    expect(await page(handler, first.next)).toEqual({ events: [], next: first.next });

    // The unit signs for one case: only that is new, carrying on its case's numbering.
    const signed = await h.app.inject({ method: 'POST', url: `/complaints/${cases[0]}/acknowledge`, headers: handler, payload: {} });
    expect(signed.statusCode, signed.body).toBe(200);
    const after = await eventually(
      () => readAll(handler, first.next),
      ({ events }) => events.some((e) => e.kind === 'acknowledged'),
      'the acknowledgement in the feed',
    );
    const lastSeq = Math.max(...first.events.filter((e) => e.caseId === cases[0]).map((e) => e.seq));
    expect(after.events.map((e) => [e.caseId, e.seq])).toEqual(after.events.map((_, i) => [cases[0], lastSeq + 1 + i]));
  });

  it('shows a caller only the cases in its scope', async () => {
    const { events } = await readAll(otherHandler);
    expect(events.filter((e) => cases.includes(e.caseId))).toEqual([]);
    // The integrator that registered them (the test harness's hotline key) sees them.
    const mine = await readAll(credentials(keys.integrator));
    expect(cases.every((id) => mine.events.some((e) => e.caseId === id))).toBe(true);
    const other = await readAll(credentials(keys.otherIntegrator));
    expect(other.events.filter((e) => cases.includes(e.caseId))).toEqual([]);
  });

  it('never passes over an event whose transaction commits late', async () => {
    const { pool } = h.database;
    const caseId = `feed-late-${process.pid}`;
    const insert = (seq: number) =>
      `insert into case_events (case_id, seq, kind, actor, at, payload) values ('${caseId}', ${seq}, 'follow_up', 'system:test', now(), '{}') returning xid::text, feed_id`;
    const start = await pool.query<{ xid: string; feed_id: string }>(insert(1));
    const from = `${start.rows[0]!.xid}-${start.rows[0]!.feed_id}`;
    const late = await pool.connect();
    try {
      await late.query('begin');
      await late.query(insert(2));
      // A later transaction commits first.
      await pool.query(insert(3));
      const meanwhile = await readAll(credentials(keys.ops), from);
      expect(meanwhile.events.filter((e) => e.caseId === caseId)).toEqual([]);
      await late.query('commit');
    } finally {
      late.release();
    }
    const { events } = await readAll(credentials(keys.ops), from);
    expect(events.filter((e) => e.caseId === caseId).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('refuses a cursor it did not give, naming the field', async () => {
    // Words, a leading zero (read as octal by Postgres), a transaction id past 64 bits.
    for (const after of ['yesterday', '0669-51', '99999999999999999999-1']) {
      const response = await h.app.inject({ method: 'GET', url: `/feed?after=${after}`, headers: credentials(keys.ops) });
      expect(response.statusCode, after).toBe(400);
      expect(response.json<{ errors: { field: string }[] }>().errors[0]!.field).toContain('after');
    }
  });
});
