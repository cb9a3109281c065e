import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, eventually, signIn, type Person } from './helpers/people';

/**
 * 首接负责 (Shandong): a platform's case waits in its district's registrar queue; the first
 * registrar to claim it owns it to the end, unless it is handed over; that person may warn and
 * supervise a late unit.
 */
let h: ApiHarness;
let zhang: Person;
let li: Person;
let headers: Record<string, { cookie: string }>;
beforeAll(async () => {
  h = await startApiHarness('first-receiver');
  // Both in the city bureau, whose jurisdiction covers nancheng, where the test cases are.
  zhang = await addPerson(h.database.db, { name: '张首接', roles: ['registrar'], unitId: 'city' });
  li = await addPerson(h.database.db, { name: '李登记', roles: ['registrar'], unitId: 'city' });
  headers = { zhang: await signIn(h.app, zhang), li: await signIn(h.app, li) };
});
afterAll(async () => {
  await h?.close();
});

async function platformCase(): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() });
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}
const act = (id: string, path: string, who: { cookie: string } | { authorization: string }, payload: object = {}) =>
  h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: who, payload });
const work = async (who: { cookie: string }) =>
  (await h.app.inject({ method: 'GET', url: '/work', headers: who })).json().items as { id: string; onDuty: string; firstReceiver: string | null }[];

describe('the district queue and the claim', () => {
  it('a platform case waits for the registrars of its district, and the first to claim it owns it', async () => {
    const id = await platformCase();
    const view = (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: headers.zhang })).json();
    expect(view.complaint.firstReceiver).toBeUndefined();
    expect(view.onDuty).toBe('registrars-of:nancheng');
    const queued = await eventually(
      () => work(headers.li!),
      (items) => items.some((c) => c.id === id),
    );
    expect(queued.find((c) => c.id === id)).toMatchObject({ firstReceiver: null, onDuty: 'registrars-of:nancheng' });

    const claimed = await act(id, 'claim', headers.zhang!);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json().onDuty).toBe(`registrar:${zhang.id}`);
    expect(claimed.json().recorded.at(-1)).toMatchObject({ kind: 'claimed', actor: `registrar:${zhang.id}`, actorName: '张首接' });
    const second = await act(id, 'claim', headers.li!);
    expect(second.statusCode).toBe(409);

    // Only the first receiver accepts; the other registrar is told whom to ask.
    const refused = await act(id, 'accept', headers.li!);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(`only the first receiver (${zhang.id})`);
    expect((await act(id, 'accept', headers.zhang!)).statusCode).toBe(200);

    const mine = await eventually(
      () => work(headers.zhang!),
      (items) => items.some((c) => c.id === id && c.firstReceiver === zhang.id),
    );
    expect(mine.map((c) => c.id)).toContain(id);
    const listed = await h.app.inject({ method: 'GET', url: `/complaints?firstReceiver=me`, headers: headers.zhang });
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await work(headers.li!)).map((c) => c.id)).not.toContain(id);
  });

  it('taking a case nobody has claimed claims it', async () => {
    const id = await platformCase();
    const accepted = await act(id, 'accept', headers.li!);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().recorded.map((t: { kind: string }) => t.kind)).toEqual(['claimed', 'accepted']);
    expect((await act(id, 'assign', headers.zhang!, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } })).statusCode).toBe(409);
  });
});

describe('hand-over', () => {
  it('the first receiver hands the case over, the timeline and a notice record it, and the new one takes it from there', async () => {
    const id = await platformCase();
    await act(id, 'claim', headers.zhang!);
    expect((await act(id, 'hand-over', headers.li!, { to: li.id, reason: '轮休' })).statusCode).toBe(409);
    const handed = await act(id, 'hand-over', headers.zhang!, { to: li.id, reason: '轮休，移交李登记' });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().recorded.at(-1)).toMatchObject({ kind: 'handed_over', data: { from: zhang.id, to: li.id } });
    expect((await act(id, 'accept', headers.zhang!)).statusCode).toBe(409);
    expect((await act(id, 'accept', headers.li!)).statusCode).toBe(200);
    const notices = await eventually(
      async () =>
        (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: headers.li })).json().notices as { kind: string; recipient: string }[],
      (list) => list.some((n) => n.kind === 'handover'),
    );
    expect(notices.find((n) => n.kind === 'handover')?.recipient).toBe(`registrar:${li.id}`);
  });

  it('a supervisor may hand over any case', async () => {
    const id = await platformCase();
    await act(id, 'claim', headers.zhang!);
    const handed = await act(id, 'hand-over', credentials(keys.supervisor), { to: li.id, reason: '首接负责人休假' });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().onDuty).toBe(`registrar:${li.id}`);
  });
});

describe('warning and supervising a late unit', () => {
  it('are the first receiver’s: the unit and its superior are told', async () => {
    const id = await platformCase();
    await act(id, 'accept', headers.zhang!);
    await act(id, 'assign', headers.zhang!, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } });
    expect((await act(id, 'warn-unit', headers.li!, { note: '请加快办理' })).statusCode).toBe(409);
    expect((await act(id, 'warn-unit', headers.zhang!, { note: '请加快办理' })).statusCode).toBe(200);
    const supervised = await act(id, 'supervise-unit', headers.zhang!, { note: '已超时，请三日内反馈' });
    expect(supervised.statusCode).toBe(200);
    const notices = await eventually(
      async () =>
        (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: headers.zhang })).json().notices as {
          kind: string;
          recipient: string;
          text: string;
        }[],
      (list) => list.filter((n) => n.kind === 'supervision').length >= 2,
    );
    expect(notices.find((n) => n.kind === 'warning')).toMatchObject({ recipient: 'unit:unit-a' });
    expect(notices.find((n) => n.kind === 'warning')?.text).toContain('请加快办理');
    expect(notices.filter((n) => n.kind === 'supervision').map((n) => n.recipient)).toEqual(expect.arrayContaining(['unit:unit-a', 'superior-of:unit-a']));
  });
});

describe('checks before the workflow is asked', () => {
  it('a hand-over names an active registrar (422 naming `to`)', async () => {
    const id = await platformCase();
    await act(id, 'claim', headers.zhang!);
    const response = await act(id, 'hand-over', headers.zhang!, { to: 'nobody-here', reason: '移交' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ field: 'to', message: 'names no active registrar: nobody-here' }]);
  });
});

describe("a leader's cases", () => {
  it('lists the cases the leader owns (owner=me) and has them in its work', async () => {
    const leader = await addPerson(h.database.db, { name: '包案领导', roles: ['leader'], unitId: 'city' });
    const put = await h.app.inject({
      method: 'PUT',
      url: `/leaders/${leader.id}`,
      headers: credentials(keys.supervisor),
      payload: { name: '包案领导', tier: 2, district: null },
    });
    expect(put.statusCode).toBeLessThan(300);
    const id = await platformCase();
    await act(id, 'accept', headers.zhang!);
    await act(id, 'assign', headers.zhang!, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } });
    const escalated = await act(id, 'overrides/escalate', credentials(keys.supervisor), {
      tier: 2,
      reason: '群众反映强烈',
      owners: [{ leaderId: leader.id, kind: 'system' }],
    });
    expect(escalated.statusCode, escalated.body).toBe(200);
    const leaderHeaders = await signIn(h.app, leader);
    const owned = await eventually(
      async () => (await h.app.inject({ method: 'GET', url: '/complaints?owner=me', headers: leaderHeaders })).json().items as { id: string }[],
      (items) => items.some((c) => c.id === id),
    );
    expect(owned.map((c) => c.id)).toEqual([id]);
    expect((await work(leaderHeaders)).map((c) => c.id)).toContain(id);
  });
});

describe('the actions offered to each person (GET /complaints/{id}/actions)', () => {
  const offered = async (id: string, who: { cookie: string } | { authorization: string }) =>
    (
      (await h.app.inject({ method: 'GET', url: `/complaints/${id}/actions`, headers: who })).json().actions as {
        name: string;
        args: { properties?: object };
      }[]
    ).map((a) => a.name);

  it('follow the rules of the case: the queue, the first receiver, the unit, the owning leader', async () => {
    const id = await platformCase();
    const before = await offered(id, headers.zhang!);
    expect(before).toEqual(expect.arrayContaining(['claim', 'accept', 'notAccept', 'transferOut', 'merge']));
    expect(before).not.toContain('assign');
    expect(before).not.toContain('handOver');

    await act(id, 'claim', headers.zhang!);
    expect(await offered(id, headers.zhang!)).toEqual(expect.arrayContaining(['accept', 'handOver']));
    const other = await offered(id, headers.li!);
    expect(other).not.toContain('accept');
    expect(other).not.toContain('claim');
    // What is left out answers 409 indeed.
    expect((await act(id, 'accept', headers.li!)).statusCode).toBe(409);

    await act(id, 'accept', headers.zhang!);
    await act(id, 'assign', headers.zhang!, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } });
    expect(await offered(id, credentials(keys.unitA))).toEqual(expect.arrayContaining(['acknowledge', 'refuseJurisdiction']));
    // Another unit does not see the case at all.
    expect((await h.app.inject({ method: 'GET', url: `/complaints/${id}/actions`, headers: credentials(keys.unitB) })).statusCode).toBe(404);
    const supervisor = await offered(id, credentials(keys.supervisor));
    expect(supervisor).toEqual(expect.arrayContaining(['reassign', 'extend', 'escalate', 'close', 'handOver']));
    expect(supervisor).not.toContain('approveExtension');
  });

  it('carry the JSON Schema of their body', async () => {
    const id = await platformCase();
    const response = await h.app.inject({ method: 'GET', url: `/complaints/${id}/actions`, headers: headers.zhang });
    const notAccept = (response.json().actions as { name: string; path: string; override: boolean; args: { required?: string[] } }[]).find(
      (a) => a.name === 'notAccept',
    );
    expect(notAccept).toMatchObject({ path: 'not-accept', override: false, args: { type: 'object', required: ['reason'] } });
  });
});
