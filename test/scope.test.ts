import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, eventually, signIn } from './helpers/people';

/**
 * Scope by jurisdiction: staff see and act on the cases of their unit's districts, unit handlers
 * their unit's, province-level staff every case; outside, a case answers 404 as if it did not exist.
 */
let h: ApiHarness;
const who: Record<string, { cookie: string }> = {};
let nancheng: string;
let dongcheng: string;
beforeAll(async () => {
  h = await startApiHarness('scope');
  const db = h.database.db;
  const people = {
    cityRegistrar: await addPerson(db, { name: '市局登记员', roles: ['registrar'], unitId: 'city' }),
    nanchengRegistrar: await addPerson(db, { name: '南城登记员', roles: ['registrar'], unitId: 'unit-a' }),
    dongchengSupervisor: await addPerson(db, { name: '东城督办', roles: ['supervisor'], unitId: 'dongcheng' }),
    dongchengLeader: await addPerson(db, { name: '东城领导', roles: ['leader'], unitId: 'dongcheng' }),
    provinceSupervisor: await addPerson(db, { name: '省厅督办', roles: ['supervisor'], unitId: 'province' }),
    streetHandler: await addPerson(db, { name: '街道办事员', roles: ['unit'], unitId: 'unit-b' }),
  };
  for (const [key, person] of Object.entries(people)) who[key] = await signIn(h.app, person);
  const register = async (district: string) =>
    (
      await h.app.inject({
        method: 'POST',
        url: '/complaints',
        headers: credentials(keys.integrator),
        payload: submission({ location: { address: `${district} 某路 ${Date.now()}`, district } }),
      })
    ).json().id as string;
  nancheng = await register('nancheng');
  dongcheng = await register('dongcheng');
});
afterAll(async () => {
  await h?.close();
});

const get = (url: string, headers: { cookie: string }) => h.app.inject({ method: 'GET', url, headers });
const listed = async (headers: { cookie: string }) => {
  const page = await eventually(
    async () => (await get('/complaints?limit=100', headers)).json().items as { id: string }[],
    (items) => items.length > 0,
  );
  return page.map((c) => c.id);
};

describe('views and actions', () => {
  it('answer 404 outside the caller’s jurisdiction, for every role', async () => {
    expect((await get(`/complaints/${nancheng}`, who.nanchengRegistrar!)).statusCode).toBe(200);
    expect((await get(`/complaints/${dongcheng}`, who.nanchengRegistrar!)).statusCode).toBe(404);
    expect((await get(`/complaints/${dongcheng}/timeline`, who.nanchengRegistrar!)).statusCode).toBe(404);
    expect((await get(`/complaints/${nancheng}`, who.dongchengSupervisor!)).statusCode).toBe(404);
    expect((await get(`/complaints/${nancheng}`, who.dongchengLeader!)).statusCode).toBe(404);
    expect((await get(`/complaints/${dongcheng}`, who.dongchengLeader!)).statusCode).toBe(200);
    for (const id of [nancheng, dongcheng]) {
      expect((await get(`/complaints/${id}`, who.cityRegistrar!)).statusCode).toBe(200);
      expect((await get(`/complaints/${id}`, who.provinceSupervisor!)).statusCode).toBe(200);
    }
    const action = await h.app.inject({ method: 'POST', url: `/complaints/${dongcheng}/accept`, headers: who.nanchengRegistrar, payload: {} });
    expect(action.statusCode).toBe(404);
    expect(action.json().type).toBe('/problems/case-not-found');
  });

  it('a unit handler sees its unit’s cases only', async () => {
    expect((await get(`/complaints/${dongcheng}`, who.streetHandler!)).statusCode).toBe(404);
    await h.app.inject({ method: 'POST', url: `/complaints/${dongcheng}/accept`, headers: who.cityRegistrar, payload: {} });
    const assigned = await h.app.inject({
      method: 'POST',
      url: `/complaints/${dongcheng}/assign`,
      headers: who.cityRegistrar,
      payload: { unit: { id: 'unit-b', name: '东城街道办', level: 'street' } },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await get(`/complaints/${dongcheng}`, who.streetHandler!)).statusCode).toBe(200);
  });
});

describe('lists and reports', () => {
  it('lists only the cases of the caller’s districts', async () => {
    const nanchengList = await listed(who.nanchengRegistrar!);
    expect(nanchengList).toContain(nancheng);
    expect(nanchengList).not.toContain(dongcheng);
    const dongchengList = await listed(who.dongchengSupervisor!);
    expect(dongchengList).toContain(dongcheng);
    expect(dongchengList).not.toContain(nancheng);
    const all = await listed(who.provinceSupervisor!);
    expect(all).toEqual(expect.arrayContaining([nancheng, dongcheng]));
  });

  it('count only the caller’s districts in reports', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const districts = async (headers: { cookie: string }) =>
      ((await get(`/reports/monthly?month=${month}`, headers)).json().counts as { dimension: string; key: string }[])
        .filter((c) => c.dimension === 'district')
        .map((c) => c.key);
    expect(await districts(who.dongchengSupervisor!)).toEqual(['dongcheng']);
    expect(await districts(who.provinceSupervisor!)).toEqual(expect.arrayContaining(['nancheng', 'dongcheng']));
    const backlog = (await get('/reports/backlog?olderThanDays=0', who.dongchengLeader!)).json();
    expect(backlog.open.oldest.map((c: { id: string }) => c.id)).not.toContain(nancheng);
  });
});
