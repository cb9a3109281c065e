import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictionOf, storeUnit, superiorOf, unitSubtree, UnitRefused } from '../db/organisation';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { uniqueId } from './helpers/cases';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('organisation');
});

afterAll(async () => {
  await h?.close();
});

/**
 * Every unit here is this file's own, under the seeded province (test/global-setup.ts): other
 * files assign the seeded unit-a and unit-b at the same time, so those are only read.
 */
const prefix = uniqueId('org');
const id = (name: string) => `${prefix}-${name}`;
/** A district no other file's cases are in. */
const ownDistrict = `${prefix}-d`;

const put = (unitId: string, body: object, key: string = keys.supervisor) =>
  h.app.inject({ method: 'PUT', url: `/units/${unitId}`, headers: credentials(key), payload: body });
const get = (url: string, key: string = keys.registrar) => h.app.inject({ method: 'GET', url, headers: credentials(key) });
const act = (caseId: string, path: string, key: string, payload: object = {}) =>
  h.app.inject({ method: 'POST', url: `/complaints/${caseId}/${path}`, headers: credentials(key), payload });

/** A city under the seeded province, covering nancheng (the tests' cases) and a district of its own. */
async function city(name: string) {
  const response = await put(id(name), { name: '测试市局', level: 'city', parentId: 'province', districts: ['nancheng', ownDistrict] });
  expect(response.statusCode).toBe(200);
  return id(name);
}

/** A case in nancheng, accepted and ready to be assigned. */
async function acceptedCase(): Promise<string> {
  const { id: caseId } = (await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() })).json();
  expect((await act(caseId, 'accept', keys.registrar)).statusCode).toBe(200);
  return caseId;
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, type: string, field?: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  const body = response.json() as { type: string; errors?: { field: string }[] };
  expect(body.type).toBe(`/problems/${type}`);
  // Every error names the field (a schema may report one field more than once).
  if (field) expect([...new Set(body.errors?.map((e) => e.field))]).toEqual([field]);
  return body;
}

describe('the registry', () => {
  it('adds and changes units, a new version for each change and none for a change that changes nothing', async () => {
    const parent = await city('crud-city');
    const unitId = id('crud');
    const created = await put(unitId, { name: '测试分局', level: 'district', parentId: parent, districts: ['nancheng', ownDistrict] });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ id: unitId, name: '测试分局', level: 'district', parentId: parent, active: true, version: 1 });
    // The same again, districts in another order and one twice: the same unit, no new version.
    const same = await put(unitId, { name: '测试分局', level: 'district', parentId: parent, districts: [ownDistrict, 'nancheng', ownDistrict] });
    expect([same.statusCode, same.json().version]).toEqual([200, 1]);

    const renamed = await put(unitId, { name: '测试分局（新）', level: 'district', parentId: parent, districts: ['nancheng', ownDistrict] }, keys.ops);
    expect(renamed.json()).toMatchObject({ name: '测试分局（新）', version: 2 });
    const listed = (await get('/units')).json().units as { id: string; version: number }[];
    expect(listed.find((u) => u.id === unitId)).toMatchObject({ name: '测试分局（新）', version: 2 });

    const versions = (await get(`/units/${unitId}/versions`, keys.unitA)).json().versions;
    expect(versions).toMatchObject([
      { version: 1, name: '测试分局', changedBy: 'sup-1' },
      { version: 2, name: '测试分局（新）', changedBy: 'ops-1' },
    ]);
    expect(versions.map((v: { districts: string[] }) => v.districts)).toEqual([['nancheng', ownDistrict].sort(), ['nancheng', ownDistrict].sort()]);
  });

  it('lets staff read it and supervisors and ops change it', async () => {
    for (const key of [keys.registrar, keys.unitA, keys.leader, keys.supervisor, keys.ops]) expect((await get('/units', key)).statusCode).toBe(200);
    expectProblem(await get('/units', keys.integrator), 403, 'forbidden');
    for (const key of [keys.registrar, keys.unitA, keys.leader]) {
      expectProblem(await put(id('nobody'), { name: '无权', level: 'city', parentId: 'province' }, key), 403, 'forbidden');
    }
    expectProblem(await get(`/units/${id('missing')}`), 404, 'unit-not-found');
    expectProblem(await get(`/units/${id('missing')}/versions`), 404, 'unit-not-found');
  });

  it('refuses an unknown parent, a level not below the parent or above the children, and a cycle, naming the field', async () => {
    const parent = await city('rules-city');
    const child = id('rules-district');
    expect((await put(child, { name: '下级', level: 'district', parentId: parent })).statusCode).toBe(200);

    const unknown = expectProblem(await put(id('orphan'), { name: '孤儿', level: 'street', parentId: id('nowhere') }), 422, 'unknown-reference', 'parentId');
    expect(unknown.errors).toEqual([{ field: 'parentId', message: `parentId names no unit: ${id('nowhere')}` }]);
    // A city under a city, a district under a street: each level strictly below its parent's.
    expectProblem(await put(id('twin'), { name: '同级', level: 'city', parentId: parent }), 422, 'unit-misplaced', 'level');
    expectProblem(await put(id('upside'), { name: '倒挂', level: 'province', parentId: child }), 422, 'unit-misplaced', 'level');
    // The city made a street would sit below its own district.
    expectProblem(await put(parent, { name: '测试市局', level: 'street', parentId: 'province' }), 422, 'unit-misplaced', 'level');
    // Under its own descendant, or itself.
    const cycle = expectProblem(await put(parent, { name: '测试市局', level: 'city', parentId: child }), 422, 'unit-misplaced', 'parentId');
    expect(cycle).toMatchObject({ detail: expect.stringMatching(/cycle/) });
    expectProblem(await put(child, { name: '下级', level: 'district', parentId: child }), 422, 'unit-misplaced', 'parentId');
    // The body's own shape is checked before any of that.
    expectProblem(await put(id('bad'), { name: '坏', level: 'county', parentId: parent }), 400, 'validation', 'level');

    // Nothing refused was written.
    expect((await get(`/units/${parent}`)).json()).toMatchObject({ level: 'city', parentId: 'province', version: 1 });
    expectProblem(await get(`/units/${id('orphan')}`), 404, 'unit-not-found');
  });

  it('refuses the same in storeUnit itself, with a typed error', async () => {
    const refused = await storeUnit(
      h.database.db,
      { id: id('direct'), name: '直连', level: 'city', parentId: id('nowhere'), districts: [], active: true },
      'test',
    ).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UnitRefused);
    expect(refused).toMatchObject({ reason: 'unknown-parent', field: 'parentId' });
  });

  it('resolves a superior to the parent, and a jurisdiction to the nearest districts up the chain', async () => {
    const parent = await city('tree-city');
    const district = id('tree-district');
    const street = id('tree-street');
    expect((await put(district, { name: '继承分局', level: 'district', parentId: parent })).statusCode).toBe(200);
    expect((await put(street, { name: '自有街道', level: 'street', parentId: district, districts: [ownDistrict] })).statusCode).toBe(200);
    const { db } = h.database;

    expect((await superiorOf(db, street))?.id).toBe(district);
    expect((await superiorOf(db, district))?.id).toBe(parent);
    expect(await superiorOf(db, 'province')).toBeUndefined();
    expect(await superiorOf(db, id('missing'))).toBeUndefined();

    expect(await jurisdictionOf(db, district)).toEqual(['nancheng', ownDistrict].sort());
    expect(await jurisdictionOf(db, street)).toEqual([ownDistrict]);
    expect(await jurisdictionOf(db, 'province')).toBe('all');
    expect(await jurisdictionOf(db, id('missing'))).toBeUndefined();

    expect(await unitSubtree(db, parent)).toEqual([parent, district, street].sort());
    expect(await unitSubtree(db, street)).toEqual([street]);
    expect(await unitSubtree(db, id('missing'))).toEqual([]);

    const detail = (await get(`/units/${district}`)).json();
    expect(detail).toMatchObject({ id: district, superior: { id: parent, level: 'city' }, jurisdiction: ['nancheng', ownDistrict].sort() });
    expect((await get('/units/province')).json()).toMatchObject({ superior: null, jurisdiction: 'all' });
    // The seeded organisation the other tests assign into.
    expect((await get('/units/unit-b')).json()).toMatchObject({
      name: '东城街道办',
      level: 'street',
      superior: { id: 'dongcheng' },
      jurisdiction: ['dongcheng'],
    });
    expect((await get('/units/unit-a')).json()).toMatchObject({ name: '南城分局', level: 'district', superior: { id: 'city' }, jurisdiction: ['nancheng'] });
  });
});

describe('assignment', () => {
  it('refuses a unit not in the registry, an inactive one and one that does not cover the district, naming unit', async () => {
    const parent = await city('assign-city');
    const retired = id('retired');
    expect((await put(retired, { name: '已撤销分局', level: 'district', parentId: parent, active: false })).statusCode).toBe(200);
    const caseId = await acceptedCase();

    const nowhere = { id: id('nowhere'), name: '不存在', level: 'district' };
    expectProblem(await act(caseId, 'assign', keys.registrar, { unit: nowhere }), 422, 'unknown-reference', 'unit');
    expectProblem(
      await act(caseId, 'assign', keys.registrar, { unit: { id: retired, name: '已撤销分局', level: 'district' } }),
      422,
      'unknown-reference',
      'unit',
    );
    const outside = expectProblem(
      await act(caseId, 'assign', keys.registrar, { unit: { id: 'unit-b', name: '东城街道办', level: 'street' } }),
      422,
      'outside-jurisdiction',
      'unit',
    );
    expect(outside).toMatchObject({ detail: 'unit unit-b does not cover district nancheng' });
    // None of it reached the case.
    expect((await get(`/complaints/${caseId}`)).json()).toMatchObject({ status: 'accepted' });
    expect((await get(`/complaints/${caseId}`)).json().unit).toBeUndefined();
  });

  it("gives the case the registry's name, level and version, which a later change of the unit leaves as they were", async () => {
    const parent = await city('keep-city');
    const unitId = id('keep');
    expect((await put(unitId, { name: '原名分局', level: 'district', parentId: parent })).statusCode).toBe(200);
    const caseId = await acceptedCase();

    // What the body says of name, level and version is replaced by what the registry holds.
    const assigned = await act(caseId, 'assign', keys.registrar, { unit: { id: unitId, name: '随便写的', level: 'street', version: 9 } });
    expect(assigned.statusCode).toBe(200);
    const given = { id: unitId, name: '原名分局', level: 'district', version: 1 };
    expect((await get(`/complaints/${caseId}`)).json().unit).toEqual(given);

    const renamed = await put(unitId, { name: '新名分局', level: 'district', parentId: parent, districts: [ownDistrict] });
    expect(renamed.json()).toMatchObject({ name: '新名分局', version: 2 });
    expect((await get(`/complaints/${caseId}`)).json().unit).toEqual(given);

    // A reassignment looks the unit up the same way: the renamed unit no longer covers nancheng.
    const reason = '调整承办单位';
    expectProblem(
      await act(caseId, 'overrides/reassign', keys.supervisor, { reason, unit: { id: unitId, name: '新名分局', level: 'district' } }),
      422,
      'outside-jurisdiction',
      'unit',
    );
    expectProblem(
      await act(caseId, 'overrides/reassign', keys.supervisor, { reason, unit: { id: id('nowhere'), name: '不存在', level: 'district' } }),
      422,
      'unknown-reference',
      'unit',
    );
    const reassigned = await act(caseId, 'overrides/reassign', keys.supervisor, { reason, unit: { id: 'unit-a', name: '别名', level: 'city' } });
    expect(reassigned.statusCode).toBe(200);
    const { unit } = (await get(`/complaints/${caseId}`)).json();
    expect(unit).toMatchObject({ id: 'unit-a', name: '南城分局', level: 'district' });
    expect(unit.version).toBeGreaterThanOrEqual(1);
  });
});
