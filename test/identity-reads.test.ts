import { parse } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityReads } from '../db/schema';
import { shanghaiDate } from '../workflows/calendar';
import { defaultPolicy } from '../workflows/policy';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, signIn, type Person } from './helpers/people';

/**
 * Issue 14, item 7: confidentiality by need to know. Views show every caller the complainant
 * masked; unmasking is an act of its own, with a reason, recorded before anything is shown and
 * reported to supervisors; a reward reporter is shown only to the accounts the policy names.
 */

const DAY = 86_400_000;
const unitA = { id: 'unit-a', name: '南城分局', level: 'district' };
/** The one account the policy lets see reward reporters. */
const rewardReaderId = `reward-reader-${process.pid}`;

let h: ApiHarness;
let registrar: Person;
let rewardReader: Person;
let registrarSession: { cookie: string };

beforeAll(async () => {
  h = await startApiHarness('identity-reads', {
    policy: { ...defaultPolicy, version: 'test-identity-readers', rewardIdentityReaders: [rewardReaderId] },
  });
  registrar = await addPerson(h.database.db, { name: '张伟', roles: ['registrar'] });
  rewardReader = await addPerson(h.database.db, { id: rewardReaderId, name: '赵主任', roles: ['supervisor'] });
  registrarSession = await signIn(h.app, registrar);
});
afterAll(async () => {
  await h?.close();
});

let counter = 0;
/** A complainant of its own, so a test finds its name and phone nowhere they should not be. */
function complainant() {
  counter += 1;
  const digits = String(Date.now() * 10 + counter).slice(-8);
  return { anonymous: false, name: `钱${digits}`, phone: `136${digits}` };
}

async function register(overrides: Record<string, unknown>): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission(overrides) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

const act = (id: string, path: string, headers: Record<string, string>, payload: object = {}) =>
  h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers, payload });
const unmask = (id: string, headers: Record<string, string>, payload: object = { reason: '回访核实' }) => act(id, 'identity', headers, payload);
const rowsOf = (body: string) => parse<Record<string, string>>(body, { bom: true, columns: true });
const readsOf = (caseId: string) => h.database.db.select().from(identityReads).where(eq(identityReads.caseId, caseId)).orderBy(asc(identityReads.at));

describe('case views', () => {
  it('show the complainant masked to everyone, registrars and supervisors included', async () => {
    const person = complainant();
    const id = await register({ complainant: person });
    const masked = { anonymous: false, name: `钱${'*'.repeat(person.name.length - 1)}`, phone: `136${'*'.repeat(8)}` };
    for (const headers of [credentials(keys.registrar), credentials(keys.supervisor), registrarSession, credentials(keys.ops)]) {
      const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers });
      expect(view.statusCode).toBe(200);
      expect(view.json().complaint.complainant).toEqual(masked);
    }
    // An action's answer holds no complainant at all.
    const accepted = await act(id, 'accept', credentials(keys.registrar));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).not.toContain(person.phone);
    expect(accepted.body).not.toContain(person.name);
    const list = await h.app.inject({ method: 'GET', url: '/complaints?limit=100', headers: credentials(keys.supervisor) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(person.phone);
    expect(list.body).not.toContain(person.name);
    // Looking is not unmasking: none of this is a read.
    expect(await readsOf(id)).toEqual([]);
  });
});

describe('unmasking', () => {
  it('answers the identity to a registrar who gives a reason, having recorded who, when, which case and why', async () => {
    const person = complainant();
    const id = await register({ complainant: { ...person, idNumber: '110101199001011234' } });
    const before = Date.now();
    const response = await unmask(id, registrarSession, { reason: '回访核实' });
    const after = Date.now();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ id, complainant: { ...person, idNumber: '110101199001011234' } });
    expect(response.headers['cache-control']).toBe('no-store');
    const reads = await readsOf(id);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ caseId: id, accountId: registrar.id, accountName: '张伟', reason: '回访核实' });
    expect(reads[0]!.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(reads[0]!.at.getTime()).toBeLessThanOrEqual(after);
  });

  it('names the person by account and name', async () => {
    const id = await register({ complainant: complainant() });
    expect((await unmask(id, credentials(keys.supervisor), { reason: '督办核查' })).statusCode).toBe(200);
    expect(await readsOf(id)).toMatchObject([{ accountId: 'sup-1', accountName: '测试督办员', reason: '督办核查' }]);
  });

  it('refuses without a reason, naming the field, and records nothing', async () => {
    const id = await register({ complainant: complainant() });
    const missing = await unmask(id, credentials(keys.registrar), {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ field: 'reason', message: "must have required property 'reason'" }]);
    const empty = await unmask(id, credentials(keys.registrar), { reason: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect(await readsOf(id)).toEqual([]);
  });

  it('is not for a handling unit or an integrator, even on a case they see', async () => {
    const person = complainant();
    const id = await register({ complainant: person });
    expect((await act(id, 'accept', credentials(keys.registrar))).statusCode).toBe(200);
    expect((await act(id, 'assign', credentials(keys.registrar), { unit: unitA })).statusCode).toBe(200);
    for (const key of [keys.unitA, keys.integrator]) {
      const response = await unmask(id, credentials(key));
      expect(response.statusCode).toBe(403);
      expect(response.json().type).toBe('/problems/forbidden');
      expect(response.body).not.toContain(person.phone);
    }
    expect(await readsOf(id)).toEqual([]);
  });

  it('answers an anonymous complainant as views do, and still records the read', async () => {
    const id = await register({ complainant: { anonymous: true } });
    const response = await unmask(id, credentials(keys.registrar));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id, complainant: { anonymous: true } });
    expect(await readsOf(id)).toMatchObject([{ accountId: 'reg-1', reason: '回访核实' }]);
  });

  it('shows nothing when the read cannot be recorded', async () => {
    const person = complainant();
    const id = await register({ complainant: person });
    const insert = vi.spyOn(h.database.db, 'insert').mockImplementationOnce(() => {
      throw new Error('Postgres refused the row');
    });
    try {
      const response = await unmask(id, credentials(keys.registrar));
      expect(insert).toHaveBeenCalledTimes(1);
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(response.body).not.toContain(person.phone);
      expect(response.body).not.toContain(person.name);
    } finally {
      insert.mockRestore();
    }
    expect(await readsOf(id)).toEqual([]);
  });
});

describe('reward reporters (有奖举报)', () => {
  it('are shown only to the accounts the policy names', async () => {
    const person = complainant();
    const id = await register({ category: 'hazardous_waste_dumping', complainant: person });
    for (const headers of [credentials(keys.registrar), credentials(keys.supervisor), registrarSession]) {
      const refused = await unmask(id, headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().type).toBe('/problems/forbidden');
      expect(refused.body).not.toContain(person.phone);
    }
    // A refusal shows nothing, so it is not a read.
    expect(await readsOf(id)).toEqual([]);
    const named = await unmask(id, await signIn(h.app, rewardReader), { reason: '奖励发放核实身份' });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json().complainant).toEqual(person);
    expect(await readsOf(id)).toMatchObject([{ accountId: rewardReaderId, accountName: '赵主任', reason: '奖励发放核实身份' }]);
  });
});

describe('the report of identity reads', () => {
  const from = shanghaiDate(Date.now() - DAY);
  const to = shanghaiDate(Date.now() + DAY);

  it('lists the reads of a period for supervisors, newest first, as JSON and as CSV', async () => {
    const id = await register({ complainant: complainant() });
    expect((await unmask(id, registrarSession, { reason: '回访核实' })).statusCode).toBe(200);
    expect((await unmask(id, credentials(keys.supervisor), { reason: '=督办核查' })).statusCode).toBe(200);
    const url = `/reports/identity-reads?from=${from}&to=${to}&caseId=${id}`;

    const json = await h.app.inject({ method: 'GET', url, headers: credentials(keys.supervisor) });
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');
    const { reads } = json.json<{ reads: { caseId: string; accountId: string; accountName: string; reason: string; at: string }[] }>();
    expect(reads.map((r) => [r.caseId, r.accountId, r.accountName, r.reason])).toEqual([
      [id, 'sup-1', '测试督办员', '=督办核查'],
      [id, registrar.id, '张伟', '回访核实'],
    ]);
    expect(Date.parse(reads[0]!.at)).toBeGreaterThanOrEqual(Date.parse(reads[1]!.at));

    const zh = await h.app.inject({ method: 'GET', url: `${url}&format=csv`, headers: credentials(keys.supervisor) });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zh.headers['content-disposition']).toBe(`attachment; filename="identity-reads-${from}_${to}.csv"`);
    const rows = rowsOf(zh.body);
    expect(Object.keys(rows[0]!)).toEqual(['查看时间', '案件编号', '账号', '姓名', '查看事由']);
    // A reason that starts like a formula stays text in a spreadsheet.
    expect(rows.map((r) => [r['案件编号'], r['姓名'], r['查看事由']])).toEqual([
      [id, '测试督办员', "'=督办核查"],
      [id, '张伟', '回访核实'],
    ]);
    expect(rows[0]!['查看时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    const en = await h.app.inject({ method: 'GET', url: `${url}&lang=en`, headers: { ...credentials(keys.supervisor), accept: 'text/csv' } });
    const enRows = rowsOf(en.body);
    expect(enRows.map((r) => [r.caseId, r.accountId, r.reason])).toEqual([
      [id, 'sup-1', "'=督办核查"],
      [id, registrar.id, '回访核实'],
    ]);
    expect(enRows[1]!.at).toBe(reads[1]!.at);
  });

  it('is for supervisors only', async () => {
    for (const key of [keys.registrar, keys.leader, keys.ops, keys.unitA]) {
      const response = await h.app.inject({ method: 'GET', url: `/reports/identity-reads?from=${from}&to=${to}`, headers: credentials(key) });
      expect(response.statusCode, key).toBe(403);
    }
  });
});
