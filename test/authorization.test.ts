import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('authorization');
  // The leader behind the leader key, as the tier-1 system leader escalations draw on.
  const put = await h.app.inject({
    method: 'PUT',
    url: '/leaders/leader-1',
    headers: credentials(keys.supervisor),
    payload: { name: '王科长', tier: 1, district: null },
  });
  expect(put.statusCode).toBeLessThan(300);
});
afterAll(async () => {
  await h?.close();
});

const unitA = { id: 'unit-a', name: '南城分局', level: 'district' };

async function register(key: string = keys.integrator): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(key), payload: submission() });
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}
function act(id: string, path: string, key: string, payload: object = {}) {
  return h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(key), payload });
}
async function inProgress(): Promise<string> {
  const id = await register();
  expect((await act(id, 'accept', keys.registrar)).statusCode).toBe(200);
  expect((await act(id, 'assign', keys.registrar, { unit: unitA })).statusCode).toBe(200);
  expect((await act(id, 'acknowledge', keys.unitA)).statusCode).toBe(200);
  return id;
}

describe('integrators', () => {
  it('act on and read the cases they submitted, and no other', async () => {
    const id = await register(keys.integrator);
    for (const [path, payload] of [
      ['evidence', { message: '又闻到了' }],
      ['withdraw', { reason: '已解决' }],
    ] as const) {
      const other = await act(id, path, keys.otherIntegrator, payload);
      // Another integrator's case does not exist for this one: 404, so its existence does not leak.
      expect(other.statusCode, path).toBe(404);
      expect(other.json().type).toBe('/problems/case-not-found');
    }
    const read = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.otherIntegrator) });
    expect(read.statusCode).toBe(404);
    expect((await act(id, 'evidence', keys.integrator, { message: '又闻到了' })).statusCode).toBe(200);
    expect((await act(id, 'withdraw', keys.integrator, { reason: '已解决' })).json().status).toBe('withdrawn');
  });
});

describe('actions that name something outside their case', () => {
  it('merge into a case that does not exist answers 422 naming intoCaseId', async () => {
    const id = await register();
    const response = await act(id, 'merge', keys.registrar, { intoCaseId: '20260101-0000000000', reason: '重复' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'intoCaseId' })]);
    expect((await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) })).json().status).toBe('registered');
  });

  it('an escalation to a leader not in the directory answers 422 naming owners', async () => {
    const id = await inProgress();
    const response = await act(id, 'overrides/escalate', keys.supervisor, {
      reason: '久拖不决',
      owners: [{ leaderId: 'nobody', kind: 'system' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'owners' })]);
  });

  it('a leader named twice owns the case once', async () => {
    const id = await inProgress();
    const owner = { leaderId: 'leader-1', kind: 'system' };
    const response = await act(id, 'overrides/escalate', keys.supervisor, { reason: '久拖不决', owners: [owner, owner] });
    expect(response.statusCode).toBe(200);
    expect(response.json().recorded.find((e: { kind: string }) => e.kind === 'leaders_assigned').data.owners).toEqual([owner]);
  });
});

describe('an escalation', () => {
  it('answers with the owners in place, so the leader can act on the answer at once', async () => {
    const id = await inProgress();
    const escalated = await act(id, 'overrides/escalate', keys.supervisor, { reason: '久拖不决' });
    expect(escalated.statusCode).toBe(200);
    const recorded = escalated.json().recorded as { kind: string; data: { tier: number; owners?: { leaderId: string }[] } }[];
    expect(recorded.find((e) => e.kind === 'escalated')?.data.tier).toBe(1);
    expect(recorded.find((e) => e.kind === 'leaders_assigned')?.data.owners?.map((o) => o.leaderId)).toContain('leader-1');
    const plan = await act(id, 'leader-plan', keys.leader, { plan: '一案一策' });
    expect(plan.statusCode).toBe(200);
  });
});
