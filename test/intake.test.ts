import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { complaints, intakeKeys } from '../db/schema';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

let h: ApiHarness;
/** The same API whose every Temporal call runs out of time at once: a start that fails (or may have gone through). */
let cut: ApiHarness;
beforeAll(async () => {
  [h, cut] = await Promise.all([startApiHarness('intake'), startApiHarness('intake-cut', { temporalDeadlineMs: 1 })]);
});
afterAll(async () => {
  await Promise.all([h?.close(), cut?.close()]);
});

function register(app: ApiHarness, body: object, headers: Record<string, string> = {}) {
  return app.app.inject({ method: 'POST', url: '/complaints', headers: { ...credentials(keys.integrator), ...headers }, payload: body });
}

/** Reverses the key order of every object, keeping the values. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

describe('intake idempotency', () => {
  it('takes the same body with its keys in another order as the same request', async () => {
    const body = submission();
    const first = await register(h, body);
    expect(first.statusCode).toBe(201);
    const again = await register(h, reordered(body) as object);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const changed = await register(h, { ...body, description: '另一段描述' });
    expect(changed.statusCode).toBe(409);
  });
});

describe('receivedAt', () => {
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  it('is refused with 400 naming the field when it is ahead of the clock beyond the skew, or over a year old', async () => {
    for (const receivedAt of [at(10 * 60_000), at(400 * 86_400_000), at(-400 * 86_400_000), '9999-12-31T00:00:00Z', '0001-01-01T00:00:00Z']) {
      const response = await register(h, submission({ receivedAt }));
      expect(response.statusCode, receivedAt).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'receivedAt' })]);
    }
  });

  it('is taken within the skew and within the year', async () => {
    for (const receivedAt of [at(60_000), at(-300 * 86_400_000)]) {
      const response = await register(h, submission({ receivedAt }));
      expect(response.statusCode, receivedAt).toBe(201);
    }
  });
});

describe('an intake cut short after its claim', () => {
  it('leaves nothing that the retry with the same key does not complete: one case, one workflow, one row', async () => {
    const body = submission();
    const failed = await register(cut, body, { 'idempotency-key': `cut-${body.externalId}` });
    expect(failed.statusCode).toBe(503);
    const [claim] = await h.database.db
      .select()
      .from(intakeKeys)
      .where(like(intakeKeys.key, `%:cut-${body.externalId}`));
    expect(claim).toBeDefined();

    const retried = await register(h, body, { 'idempotency-key': `cut-${body.externalId}` });
    expect([200, 201]).toContain(retried.statusCode);
    expect(retried.json().id).toBe(claim!.caseId);

    // Temporal's visibility lags the start a little, more so on a loaded machine: a bounded wait.
    await vi.waitFor(
      async () => {
        const workflows = [];
        for await (const w of h.client.workflow.list({ query: `WorkflowId = "complaint-${claim!.caseId}"` })) workflows.push(w);
        expect(workflows).toHaveLength(1);
      },
      { timeout: 15_000, interval: 200 },
    );
    await vi.waitFor(
      async () => {
        const rows = await h.database.db.select().from(complaints).where(eq(complaints.polluter, body.polluter));
        expect(rows.map((r) => r.id)).toEqual([claim!.caseId]);
        expect(rows[0]!.lastSeq).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('without a key leaves no row that has no workflow', async () => {
    const body = submission();
    const failed = await register(cut, body);
    expect(failed.statusCode).toBe(503);
    const rows = await h.database.db.select().from(complaints).where(eq(complaints.polluter, body.polluter));
    // Either the start never reached Temporal and the row was taken back, or it did and the
    // workflow writes its own row: a row at sequence 0 alone would be an orphan.
    for (const row of rows) {
      const described = await h.client.workflow.getHandle(row.workflowId).describe();
      expect(described.workflowId).toBe(row.workflowId);
    }
  });
});

describe('coordinates', () => {
  it('are kept to 7 decimals, so a tiny value cannot underflow repeat detection (was a 500)', async () => {
    const place = { address: `城东路 ${process.pid}-${Date.now()} 号`, district: 'dongcheng' };
    // The first names no polluter: the place alone links them (two different named polluters would be two cases).
    const first = await register(h, submission({ category: 'underflow', polluter: undefined, location: { ...place, lat: 1e-300, lng: 5e-324 } }));
    expect(first.statusCode).toBe(201);
    const second = await register(h, submission({ category: 'underflow', location: { ...place, address: `${place.address}旁`, lat: -1e-200, lng: 1e-300 } }));
    expect(second.statusCode).toBe(201);
    // The same place (0, 0) within the radius: the second report is a repeat of the first.
    expect(second.json().mergedInto).toBe(first.json().id);
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.id, first.json().id));
    expect([row!.lat, row!.lng]).toEqual([0, 0]);
  });
});

describe('channels and collective reports', () => {
  it('takes the 12369 hotline and e-mail as channels, and a collective report with its number of complainants', async () => {
    const place = (n: number) => ({ address: `集体路 ${process.pid}-${Date.now()}-${n} 号`, district: 'dongcheng' });
    const byEmail = await register(h, submission({ channel: 'email', category: 'water', location: place(1) }));
    expect(byEmail.statusCode, byEmail.body).toBe(201);
    const collective = await register(h, submission({ channel: 'hotline_12369', category: 'air', location: place(2), collective: { complainants: 12 } }));
    expect(collective.statusCode, collective.body).toBe(201);
    const id = collective.json().id as string;
    const view = await h.app.inject({ url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    expect(view.json().complaint).toMatchObject({ channel: 'hotline_12369', collective: { complainants: 12 } });
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.id, id));
    expect(row?.complainants).toBe(12);
    const listed = await h.app.inject({ url: '/complaints?collective=true&limit=100', headers: credentials(keys.supervisor) });
    const ids = (listed.json().items as { id: string }[]).map((c) => c.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(byEmail.json().id);
  });

  it('refuses a collective report of fewer than two, naming the field', async () => {
    const response = await register(h, submission({ collective: { complainants: 1 } }));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'collective.complainants' })]);
  });
});
