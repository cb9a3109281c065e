import { Client, Connection } from '@temporalio/client';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { complaints, intakeKeys } from '../db/schema';
import { shanghaiDate, startOfDay } from '../workflows/calendar';
import { newCase } from '../workflows/case';
import { projectionOf } from '../workflows/projection';
import { makeComplaint, uniqueId, workflowInput } from './helpers/cases';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { eventually } from './helpers/people';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('api');
});

afterAll(async () => {
  await h?.close();
});

const unitA = { id: 'unit-a', name: '南城分局', level: 'district' };

async function register(body: object = submission(), key: string = keys.integrator) {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(key), payload: body });
  return response;
}

async function act(id: string, path: string, key: string, payload: object = {}) {
  return h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(key), payload });
}

describe('authentication and roles', () => {
  it('answers 401 problem+json without a key or with an unknown one', async () => {
    for (const headers of [{}, credentials('nope'), { 'x-api-key': 'nope' }]) {
      const response = await h.app.inject({ method: 'GET', url: '/complaints', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().type).toBe('/problems/unauthenticated');
    }
  });

  it('accepts the key in X-API-Key too', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/complaints', headers: { 'x-api-key': keys.ops } });
    expect(response.statusCode).toBe(200);
  });

  it('answers 403 for a role the route does not allow', async () => {
    const response = await register(submission(), keys.unitA);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ type: '/problems/forbidden', status: 403 });
  });

  it('keeps health and the API description public', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const spec = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const paths = Object.keys(spec.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/complaints', '/complaints/{id}', '/complaints/{id}/accept', '/complaints/{id}/overrides/reopen']));
    expect((await h.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });

  it('describes every operation well enough for a client that knows only /openapi.json', async () => {
    type Operation = { summary?: string; responses?: Record<string, { content?: unknown }> };
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const undescribed = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        // A success with a body, or a redirect (the OIDC sign-in's answers are redirects by nature).
        .filter(([, op]) => !op.summary || !Object.entries(op.responses ?? {}).some(([code, r]) => (code.startsWith('2') && r.content) || code.startsWith('3')))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undescribed).toEqual([]);
  });
});

describe('intake', () => {
  it('registers a complaint: 201, Location, id, status and dispatch deadline', async () => {
    const response = await register();
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.status).toBe('registered');
    expect(response.headers.location).toBe(`/complaints/${body.id}`);
    expect(body.workflowId).toBe(`complaint-${body.id}`);
    expect(Date.parse(body.dispatchDueAt)).toBeGreaterThan(Date.now());
  });

  it('returns the same case with 200 for a repeat, and 409 for the same key with another body', async () => {
    const body = submission();
    const first = await register(body);
    const again = await register(body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const changed = await register({ ...body, description: '另一件事' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().type).toBe('/problems/idempotency-conflict');
  });

  it('honours an Idempotency-Key header in place of an external id', async () => {
    const { externalId: _none, ...body } = submission();
    const headers = { ...credentials(keys.integrator), 'idempotency-key': `idem-${Date.now()}` };
    const first = await h.app.inject({ method: 'POST', url: '/complaints', headers, payload: body });
    const second = await h.app.inject({ method: 'POST', url: '/complaints', headers, payload: body });
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().id).toBe(first.json().id);
  });

  it('makes one case and one workflow of 20 identical submissions sent at once', async () => {
    const body = submission();
    const responses = await Promise.all(Array.from({ length: 20 }, () => register(body)));
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(19);
    const [id] = [...ids];
    const workflows: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "complaint-${id}"` })) workflows.push(wf.runId);
    expect(workflows).toHaveLength(1);
    const rows = await h.database.db
      .select()
      .from(intakeKeys)
      .where(like(intakeKeys.key, `%:${body.externalId}`));
    expect(rows).toHaveLength(1);
  });

  it('lists every bad field of an invalid submission', async () => {
    const response = await register({
      ...submission(),
      channel: 'pigeon',
      complainant: { anonymous: false, phone: 'call me' },
      location: { address: 'x' },
      extra: 1,
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.type).toBe('/problems/validation');
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['channel', 'complainant.phone', 'location.district', 'extra']));
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/complaints',
      headers: { ...credentials(keys.integrator), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().type).toBe('/problems/unsupported-media-type');
  });
});

describe('actions and overrides', () => {
  it('moves a case and returns its new state; an illegal move is 409 with the reason', async () => {
    const { id } = (await register()).json();
    const accepted = await act(id, 'accept', keys.registrar);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const again = await act(id, 'accept', keys.registrar);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: '/problems/action-rejected', detail: 'cannot accept a case that is accepted' });
  });

  it('answers 404 for an unknown case', async () => {
    const response = await act('20260101-0000000000', 'accept', keys.registrar);
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toBe('/problems/case-not-found');
    const view = await h.app.inject({ method: 'GET', url: '/complaints/20260101-0000000000', headers: credentials(keys.registrar) });
    expect(view.statusCode).toBe(404);
  });

  it('scopes a unit to its own cases, in views, actions and lists', async () => {
    const { id } = (await register()).json();
    await act(id, 'accept', keys.registrar);
    await act(id, 'assign', keys.registrar, { unit: unitA });
    // Outside its scope a case does not exist for the caller: 404, not 403, so nothing leaks.
    expect((await act(id, 'acknowledge', keys.unitB)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.unitB) })).statusCode).toBe(404);
    expect((await act(id, 'acknowledge', keys.unitA)).json().status).toBe('in_progress');
    const listB = await eventually(
      async () => (await h.app.inject({ method: 'GET', url: '/complaints?limit=100', headers: credentials(keys.unitB) })).json(),
      () => true,
    );
    expect(listB.items.map((c: { id: string }) => c.id)).not.toContain(id);
    const listA = await eventually(
      async () => (await h.app.inject({ method: 'GET', url: '/complaints?limit=100&status=in_progress', headers: credentials(keys.unitA) })).json(),
      (page) => page.items.some((c: { id: string }) => c.id === id),
    );
    expect(listA.items.every((c: { handlingUnit: string }) => c.handlingUnit === 'unit-a')).toBe(true);
  });

  it('lets only supervisors override, and only with a reason that the timeline keeps', async () => {
    const { id } = (await register()).json();
    expect((await act(id, 'overrides/close', keys.registrar, { reason: '重复' })).statusCode).toBe(403);
    const noReason = await act(id, 'overrides/close', keys.supervisor, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([{ field: 'reason', message: "must have required property 'reason'" }]);
    const closed = await act(id, 'overrides/close', keys.supervisor, { reason: '经核实已解决' });
    expect(closed.json().status).toBe('closed');
    const timeline = await h.app.inject({ method: 'GET', url: `/complaints/${id}/timeline`, headers: credentials(keys.ops) });
    expect(timeline.json().timeline.at(-1)).toMatchObject({ kind: 'closed', actor: 'supervisor:sup-1', note: '经核实已解决' });
  });

  it('masks the complainant in views, and unmasks it only for a cleared role that says why', async () => {
    const { id } = (await register()).json();
    for (const key of [keys.registrar, keys.ops]) {
      const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(key) });
      expect(view.json().complaint.complainant).toEqual({ anonymous: false, name: '王***', phone: '137********' });
    }
    const identity = (key: string) =>
      h.app.inject({ method: 'POST', url: `/complaints/${id}/identity`, headers: credentials(key), payload: { reason: '回访核实' } });
    expect((await identity(keys.registrar)).json().complainant).toEqual({ anonymous: false, name: '王五', phone: '13700000000' });
    expect((await identity(keys.ops)).statusCode).toBe(403);
  });
});

describe('archived cases', () => {
  it('serves a case from the read side once Temporal no longer keeps its workflow', async () => {
    // A case whose workflow is gone (past the namespace's retention): only Postgres has it.
    const complaint = makeComplaint({ id: uniqueId('archived') });
    const state = newCase(workflowInput(complaint), new Date(Date.now() - 400 * 86_400_000).toISOString());
    state.status = 'closed';
    state.timeline.push({ seq: 2, at: new Date().toISOString(), kind: 'closed', actor: 'supervisor:sup-1', note: '已解决' });
    await createActivities(h.database).projectCase({ projection: projectionOf(state, `complaint-${complaint.id}`), events: state.timeline });

    const view = await h.app.inject({ method: 'GET', url: `/complaints/${complaint.id}`, headers: credentials(keys.registrar) });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ archived: true, status: 'closed', complaint: { id: complaint.id } });
    expect(view.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(['registered', 'closed']);
    const action = await act(complaint.id, 'overrides/reopen', keys.supervisor, { reason: '复查' });
    expect(action.statusCode).toBe(409);
    expect(action.json().type).toBe('/problems/case-archived');
  });

  it('answers a repeated submission of an archived case with that case, starting nothing', async () => {
    const body = submission();
    const { id, workflowId } = (await register(body)).json();
    await act(id, 'overrides/close', keys.supervisor, { reason: '已解决' });
    const repeat = await register(body);
    expect([repeat.statusCode, repeat.json().id, repeat.json().status]).toEqual([200, id, 'closed']);
    const runs: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf.runId);
    expect(runs).toHaveLength(1);
  });
});

describe('leaders and spot checks', () => {
  it('keeps the leader directory that escalations draw on, and lets the owning leader act', async () => {
    const put = await h.app.inject({
      method: 'PUT',
      url: '/leaders/leader-1',
      headers: credentials(keys.supervisor),
      payload: { name: '王科长', tier: 1 },
    });
    expect(put.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'PUT', url: '/leaders/x', headers: credentials(keys.unitA), payload: { name: 'x', tier: 1 } })).statusCode).toBe(403);
    const list = await h.app.inject({ method: 'GET', url: '/leaders', headers: credentials(keys.ops) });
    expect(list.json().leaders).toContainEqual({ id: 'leader-1', name: '王科长', tier: 1, district: null, active: true });

    const { id } = (await register()).json();
    await act(id, 'accept', keys.registrar);
    await act(id, 'assign', keys.registrar, { unit: unitA });
    await act(id, 'overrides/escalate', keys.supervisor, { reason: '群众反映强烈' });
    const owned = await eventually(
      async () => (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.leader) })).json(),
      (v) => v.escalation.owners.length > 0,
    );
    expect(owned.escalation.owners).toContainEqual({ leaderId: 'leader-1', kind: 'system' });
    const plan = await act(id, 'leader-plan', keys.leader, { plan: '一案一策：限期整改' });
    expect(plan.statusCode).toBe(200);
    expect(plan.json().recorded).toEqual([expect.objectContaining({ kind: 'leader_plan', note: '一案一策：限期整改' })]);
  });

  it('runs a spot check on demand that puts the drawn closed case under review', async () => {
    const { id } = (await register()).json();
    await act(id, 'overrides/close', keys.supervisor, { reason: '已解决' });
    // Dated back to a day no other test closes anything on, so the draw takes this case alone.
    await eventually(
      async () =>
        (
          await h.database.db
            .update(complaints)
            .set({ closedAt: new Date('2020-01-01T10:00:00+08:00') })
            .where(and(eq(complaints.id, id), eq(complaints.status, 'closed')))
            .returning()
        ).length,
      (n) => n === 1,
    );
    const run = await h.app.inject({ method: 'POST', url: '/spot-checks', headers: credentials(keys.supervisor), payload: { day: '2020-01-01', rate: 1 } });
    expect(run.statusCode).toBe(201);
    expect(run.json()).toEqual({ day: '2020-01-01', selected: [id] });
    const view = await eventually(
      async () => (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) })).json(),
      (v) => v.status === 'under_review',
    );
    expect(view.spotCheck.selectedAt).toBeDefined();
    const failed = await act(id, 'spot-check', keys.supervisor, { passed: false, note: '未附整改照片' });
    expect(failed.json().status).toBe('rework');
  });
});

describe('lists', () => {
  it('pages with a stable cursor: every case once, newest first', async () => {
    const district = `d-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await register(submission({ location: { address: 'x', district } }))).json().id);
    const read = async (cursor?: string) =>
      (
        await h.app.inject({
          method: 'GET',
          url: `/complaints?district=${district}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: credentials(keys.supervisor),
        })
      ).json();
    await eventually(
      () => read(),
      () => true,
    );
    // Each row as its workflow wrote it (not only as intake did): a projection landing while the
    // pages are read would move a case's place in the order, which no cursor can follow.
    await eventually(
      () => h.database.db.select({ lastSeq: complaints.lastSeq }).from(complaints).where(eq(complaints.district, district)),
      (rows) => rows.length === 5 && rows.every((r) => r.lastSeq > 0),
      'the five cases projected by their workflows',
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor ?? undefined;
      // A case registered while paging must not shift the pages already read.
      if (seen.length === 2) await register(submission({ location: { address: 'x', district } }));
    } while (cursor);
    expect(seen.slice().sort()).toEqual(ids.slice().sort());
    expect(new Set(seen).size).toBe(5);
  });

  it('filters by registration day in Shanghai, the upper day included', async () => {
    const district = `day-${Date.now()}`;
    const { id } = (await register(submission({ location: { address: 'x', district } }))).json();
    const list = async (query: string) =>
      (await h.app.inject({ method: 'GET', url: `/complaints?district=${district}&${query}`, headers: credentials(keys.ops) })).json();
    const [row] = (
      await eventually(
        () => list('limit=1'),
        (page) => page.items.length === 1,
      )
    ).items;
    const day = shanghaiDate(Date.parse(row.registeredAt));
    const dayBefore = shanghaiDate(startOfDay(day) - 1);
    expect((await list(`createdFrom=${day}&createdTo=${day}`)).items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await list(`createdFrom=${dayBefore}&createdTo=${dayBefore}`)).items).toEqual([]);
  });

  it('rejects a cursor it did not give out', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/complaints?cursor=garbage', headers: credentials(keys.ops) });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'cursor', message: 'is invalid' }]);
  });
});

describe('limits', () => {
  it('refuses a body over 256 KiB with 413', async () => {
    const response = await register(submission({ description: 'x'.repeat(300 * 1024) }));
    expect(response.statusCode).toBe(413);
    expect(response.json().type).toBe('/problems/payload-too-large');
  });

  it('sets the usual security headers', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('limits the rate per key, not per server: one busy key does not starve another', async () => {
    const limited = await startApiHarness('api-rate', { rateLimitPerMinute: 3 });
    try {
      const call = (key: string) => limited.app.inject({ method: 'GET', url: '/complaints?limit=1', headers: credentials(key) });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await call(keys.ops)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const refused = await call(keys.ops);
      expect(refused.json().type).toBe('/problems/rate-limited');
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await call(keys.supervisor)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('outages', () => {
  it('answers 503 problem+json when Postgres is unreachable', async () => {
    const down = await startApiHarness('api-db-down', { databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none' });
    try {
      const response = await down.app.inject({ method: 'GET', url: '/complaints', headers: credentials(keys.ops) });
      expect(response.statusCode).toBe(503);
      expect(response.json().type).toBe('/problems/database-unavailable');
    } finally {
      await down.close();
    }
  });

  it('answers 503 problem+json, not a hang, when Temporal is unreachable', async () => {
    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const down = await startApiHarness('api-down', { temporal: dead, temporalDeadlineMs: 2_000 });
    try {
      const response = await down.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() });
      expect(response.statusCode).toBe(503);
      expect(response.json().type).toBe('/problems/temporal-unavailable');
    } finally {
      await down.close();
    }
  });
});
