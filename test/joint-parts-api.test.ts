import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedCase, credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { eventually } from './helpers/people';

/**
 * 联合办理 through the API: a registrar gives a part to a co-unit, which then sees the case, lists
 * it and acts on its part at `/complaints/{id}/parts/{unitId}/…`; another unit gets 404 there.
 */
let h: ApiHarness;
let id: string;
beforeAll(async () => {
  h = await startApiHarness('joint-parts');
  // Lead unit: the Dongcheng branch; unit-b, a street office of Dongcheng, covers the district too.
  id = await assignedCase(h.app, { id: 'dongcheng', name: '东城分局', level: 'district' }, 'dongcheng');
});
afterAll(async () => {
  await h?.close();
});

const post = (url: string, token: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url, headers: { ...credentials(token), ...headers }, payload });
const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: credentials(token) });

describe('joint parts through the API', () => {
  it('gives a part to a co-unit, which alone acts on it; another unit gets 404', async () => {
    const refused = await post(`/complaints/${id}/joint-parts`, keys.registrar, {
      coUnits: [{ unit: { id: 'unit-a', name: '南城分局', level: 'district' }, task: '配合' }],
    });
    // unit-a does not cover Dongcheng: refused by the registry check, naming the field.
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ type: '/problems/outside-jurisdiction', errors: [{ field: 'unit' }] });
    expect((await post(`/complaints/${id}/joint-parts`, keys.registrar, { coUnits: [] })).statusCode).toBe(400);

    const assigned = await post(`/complaints/${id}/joint-parts`, keys.registrar, {
      coUnits: [{ unit: { id: 'unit-b', name: '街道办', level: 'street' }, task: '街道办配合现场核查' }],
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().recorded.map((e: { kind: string }) => e.kind)).toEqual(['joint_assigned']);

    // The co-unit sees the case and its part; the registry's name, not the body's.
    const view = (await get(`/complaints/${id}`, keys.unitB)).json();
    expect(view.jointParts).toEqual([expect.objectContaining({ unit: expect.objectContaining({ id: 'unit-b', name: '东城街道办' }), status: 'working' })]);
    const listed = await eventually(
      async () => (await get('/complaints?joint=true&limit=100', keys.unitB)).json().items as { id: string }[],
      (items) => items.some((c) => c.id === id),
      'the co-unit listing the joint case',
    );
    expect(listed.map((c) => c.id)).toContain(id);
    // Its part waits for it in its 待办.
    const work = (await get('/work', keys.unitB)).json().items as { id: string }[];
    expect(work.map((c) => c.id)).toContain(id);

    // Another unit: the case, the part and its routes are not there.
    expect((await get(`/complaints/${id}`, keys.unitA)).statusCode).toBe(404);
    expect((await get(`/complaints/${id}/parts/unit-b`, keys.unitA)).statusCode).toBe(404);
    const foreign = await post(`/complaints/${id}/parts/unit-b/acknowledge`, keys.unitA, {});
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);
    // A supervisor reads the part, but does not act on it.
    expect((await get(`/complaints/${id}/parts/unit-b`, keys.supervisor)).json()).toMatchObject({ unitId: 'unit-b', status: 'assigned' });
    expect((await post(`/complaints/${id}/parts/unit-b/acknowledge`, keys.supervisor, {})).statusCode).toBe(403);

    // The console offers the co-unit its part's actions, none of the case's own.
    const offered = async () => ((await get(`/complaints/${id}/actions`, keys.unitB)).json().actions as { name: string; path: string }[]).map((a) => a.name);
    expect(await offered()).toEqual(['part.acknowledge', 'part.submit', 'part.refuse']);
    expect(((await get(`/complaints/${id}/actions`, keys.unitB)).json().actions as { path: string }[])[0]?.path).toBe('parts/unit-b/acknowledge');

    // The co-unit signs, with an idempotency key a retry changes nothing.
    const signed = await eventually(
      () => post(`/complaints/${id}/parts/unit-b/acknowledge`, keys.unitB, {}, { 'idempotency-key': 'sign-1' }),
      (r) => r.statusCode === 200,
      'the part workflow started',
    );
    expect(signed.json()).toMatchObject({ status: 'in_progress' });
    expect((await post(`/complaints/${id}/parts/unit-b/acknowledge`, keys.unitB, {}, { 'idempotency-key': 'sign-1' })).statusCode).toBe(200);
    expect((await post(`/complaints/${id}/parts/unit-b/acknowledge`, keys.unitB, {})).statusCode).toBe(409);
    expect(await eventually(offered, (names) => names.length === 2, 'the part signed for on the case')).toEqual(['part.submit', 'part.refuse']);

    // A bad body answers 400 naming the field.
    const badResult = await post(`/complaints/${id}/parts/unit-b/result`, keys.unitB, { finding: 'substantiated', actions: [], reply: '已核查' });
    expect(badResult.statusCode).toBe(400);
    expect(JSON.stringify(badResult.json())).toContain('actions');
    const done = await post(`/complaints/${id}/parts/unit-b/result`, keys.unitB, {
      finding: 'substantiated',
      actions: ['inspection'],
      reply: '街道办已配合核查',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', result: { finding: 'substantiated', by: 'officer-b' } });
    await eventually(
      async () => (await get(`/complaints/${id}`, keys.registrar)).json().jointParts?.[0]?.status as string,
      (status) => status === 'done',
      'the part done on the case',
    );
  });

  it('describes the joint routes in the OpenAPI document', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/complaints/{id}/joint-parts',
        '/complaints/{id}/overrides/waive-joint-parts',
        '/complaints/{id}/parts/{unitId}',
        '/complaints/{id}/parts/{unitId}/acknowledge',
        '/complaints/{id}/parts/{unitId}/result',
        '/complaints/{id}/parts/{unitId}/refuse',
      ]),
    );
  });
});
