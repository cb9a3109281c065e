import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import type { CaseView } from '../api/case-view';
import { recordNotice } from '../activities/notices';
import { storeSlot } from '../db/duty';
import { noticesOf, type Notice } from '../db/notices';
import { storeUnit } from '../db/organisation';
import { calendarYears } from '../lib/calendar-data';
import { mergePolicy } from '../lib/policy';
import { isWorkingDay, shanghaiDate, startOfDay } from '../workflows/calendar';
import { currentRules, newCase } from '../workflows/case';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { actors, makeComplaint, workflowInput } from './helpers/cases';
import { addPerson, signIn, type Person } from './helpers/people';
import { createTestWorker, createTimeSkippingEnv } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

/**
 * The duty roster (值班, issue 14 item 5): the roster through the API and CSV, duty recipients
 * resolved to whoever was on duty at the moment of the alert (a night, a public holiday), a gap
 * alerting the supervisors, `superior-of` resolved through the organisation, the rapid-response
 * rule by night hours, and the duty officer's fast path.
 */

const tag = `${process.pid}-${Date.now().toString(36)}`;
/** Districts of this file only: no other test's case or slot is in them. */
const district = (name: string) => `duty-${name}-${tag}`;
const districts = ['crud', 'csv', 'alerts', 'fast', 'clock', 'skip'].map(district);
const parentUnit = `duty-city-${tag}`;
const rapidTeam = { id: `duty-team-${tag}`, name: '快速响应组', level: 'district' as const };

const minute = 60_000;
const hour = 60 * minute;

let h: ApiHarness;
let leaderNight: Person;
let leaderHoliday: Person;
let leaderHoliday2: Person;
let leaderBureau: Person;
let officer: Person;
let otherRegistrar: Person;
let superiorStaff: Person;
let superiorRegistrar: Person;
let teamMember: Person;

beforeAll(async () => {
  h = await startApiHarness('duty');
  const { db } = h.database;
  await storeUnit(db, { id: parentUnit, name: '测试市局', level: 'city', parentId: 'province', districts, active: true }, 'test');
  await storeUnit(db, { ...rapidTeam, parentId: parentUnit, districts, active: true }, 'test');
  leaderNight = await addPerson(db, { name: '夜班领导', roles: ['leader'] });
  leaderHoliday = await addPerson(db, { name: '国庆值班领导', roles: ['leader'] });
  leaderHoliday2 = await addPerson(db, { name: '国庆值班领导二', roles: ['leader'] });
  leaderBureau = await addPerson(db, { name: '局值班领导', roles: ['leader'] });
  officer = await addPerson(db, { name: '值班员', roles: ['registrar'] });
  otherRegistrar = await addPerson(db, { name: '登记员', roles: ['registrar'] });
  superiorStaff = await addPerson(db, { name: '市局承办人', roles: ['unit'], unitId: parentUnit });
  superiorRegistrar = await addPerson(db, { name: '市局登记员', roles: ['registrar'], unitId: parentUnit });
  teamMember = await addPerson(db, { name: '队员', roles: ['unit'], unitId: rapidTeam.id });
});
afterAll(async () => {
  await h?.close();
});

const put = (id: string, payload: Record<string, unknown>, key: string = keys.supervisor) =>
  h.app.inject({ method: 'PUT', url: `/duty/${id}`, headers: credentials(key), payload });
const get = (url: string, key: string = keys.registrar) => h.app.inject({ method: 'GET', url, headers: credentials(key) });
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const importCsv = (csv: string, contentType = 'text/csv; charset=utf-8') =>
  h.app.inject({ method: 'POST', url: '/duty/import', headers: { ...credentials(keys.supervisor), 'content-type': contentType }, payload: csv });
const slotsIn = async (where: string, from: string, to: string) =>
  (await get(`/duty?${query({ district: where, from, to })}`)).json().slots as { id: string }[];

describe('the roster through the API', () => {
  const where = district('crud');
  const night = { duty: 'duty_leader', district: where, startsAt: '2026-11-20T22:00+08:00', endsAt: '2026-11-21T08:00+08:00' };

  it('stores, replaces, lists with the gaps of each duty, and deletes a slot', async () => {
    const stored = await put(`night-${tag}`, { ...night, accountId: leaderNight.id });
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json()).toMatchObject({
      id: `night-${tag}`,
      duty: 'duty_leader',
      district: where,
      startsAt: '2026-11-20T14:00:00.000Z',
      endsAt: '2026-11-21T00:00:00.000Z',
    });
    // The same id again replaces the slot: it now ends at 06:00.
    expect((await put(`night-${tag}`, { ...night, accountId: leaderNight.id, endsAt: '2026-11-21T06:00+08:00' })).statusCode).toBe(200);

    const listed = await get(`/duty?${query({ district: where, from: '2026-11-20T20:00+08:00', to: '2026-11-21T10:00+08:00' })}`);
    expect(listed.statusCode, listed.body).toBe(200);
    const body = listed.json();
    expect(body.slots).toEqual([expect.objectContaining({ id: `night-${tag}`, accountId: leaderNight.id, endsAt: '2026-11-20T22:00:00.000Z' })]);
    expect(body.gaps.duty_leader).toEqual([
      { from: '2026-11-20T12:00:00.000Z', to: '2026-11-20T14:00:00.000Z' },
      { from: '2026-11-20T22:00:00.000Z', to: '2026-11-21T02:00:00.000Z' },
    ]);
    expect(body.gaps.duty_officer).toEqual([{ from: '2026-11-20T12:00:00.000Z', to: '2026-11-21T02:00:00.000Z' }]);

    const deleted = await h.app.inject({ method: 'DELETE', url: `/duty/night-${tag}`, headers: credentials(keys.supervisor) });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().deleted).toMatchObject({ id: `night-${tag}`, accountId: leaderNight.id });
    expect(await slotsIn(where, '2026-11-20T20:00+08:00', '2026-11-21T10:00+08:00')).toEqual([]);
    const again = await h.app.inject({ method: 'DELETE', url: `/duty/night-${tag}`, headers: credentials(keys.supervisor) });
    expect(again.statusCode).toBe(404);
  });

  it('shows who holds each duty now, the district’s own slot before the bureau-wide one', async () => {
    const now = Date.now();
    const around = { startsAt: new Date(now - hour).toISOString(), endsAt: new Date(now + hour).toISOString() };
    expect((await put(`now-officer-${tag}`, { duty: 'duty_officer', district: where, accountId: officer.id, ...around })).statusCode).toBe(200);
    const answer = await get(`/duty/now?${query({ district: where })}`, keys.unitA);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().duties.duty_officer).toEqual([expect.objectContaining({ accountId: officer.id, name: '值班员', district: where })]);
    expect(answer.json().duties.duty_leader).toEqual([]);
    await h.app.inject({ method: 'DELETE', url: `/duty/now-officer-${tag}`, headers: credentials(keys.supervisor) });
  });

  it('refuses an unknown account (422), times out of order or without offset (400), and callers who may not edit (403)', async () => {
    const unknown = await put(`bad-${tag}`, { ...night, accountId: 'nobody-here' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      type: '/problems/unknown-reference',
      errors: [{ field: 'accountId', message: expect.stringContaining('nobody-here') }],
    });

    const backwards = await put(`bad-${tag}`, { ...night, accountId: leaderNight.id, endsAt: night.startsAt });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([{ field: 'endsAt', message: 'must be after the start' }]);

    const local = await put(`bad-${tag}`, { ...night, accountId: leaderNight.id, startsAt: '2026-11-20T22:00' });
    expect(local.statusCode).toBe(400);
    expect(local.json().errors).toEqual([expect.objectContaining({ field: 'startsAt' })]);

    const february30 = await put(`bad-${tag}`, { ...night, accountId: leaderNight.id, startsAt: '2026-02-30T22:00+08:00' });
    expect(february30.json().errors).toEqual([expect.objectContaining({ field: 'startsAt' })]);

    expect((await put(`bad-${tag}`, { ...night, accountId: leaderNight.id }, keys.registrar)).statusCode).toBe(403);
    expect((await get('/duty', keys.integrator)).statusCode).toBe(403);
  });

  it('is described in the OpenAPI document, the import as text/csv', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.tags).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'duty' })]));
    expect(Object.keys(spec.paths['/duty/import'].post.requestBody.content)).toEqual(['text/csv']);
    expect(spec.paths['/duty/{id}'].put.tags).toEqual(['duty']);
  });

  it('takes CSV on the import route only: elsewhere it stays a 415', async () => {
    const csvOnPut = await h.app.inject({
      method: 'PUT',
      url: `/duty/x-${tag}`,
      headers: { ...credentials(keys.supervisor), 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(csvOnPut.statusCode).toBe(415);
    const csvOnIntake = await h.app.inject({
      method: 'POST',
      url: '/complaints',
      headers: { ...credentials(keys.integrator), 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(csvOnIntake.statusCode).toBe(415);
  });
});

describe('CSV import', () => {
  const where = district('csv');
  const header = 'duty,district,account,starts_at,ends_at';
  const period = { from: '2026-10-01T00:00+08:00', to: '2026-10-02T00:00+08:00' };

  it('imports every row of a good file, and the same file again replaces rather than adds', async () => {
    const csv = [
      `\uFEFF${header}`,
      `duty_leader,${where},${leaderHoliday.id},2026-10-01T08:00+08:00,2026-10-01T20:00+08:00`,
      `duty_officer,${where},${officer.id},2026-10-01T08:00+08:00,2026-10-01T20:00+08:00`,
      // Two people on one duty: slots may overlap.
      `rapid_team,${where},${teamMember.id},2026-10-01T08:00:00+08:00,2026-10-01T20:00:00+08:00`,
      `rapid_team,${where},${superiorStaff.id},2026-10-01T00:00:00Z,2026-10-01T12:00:00Z`,
      '',
    ].join('\r\n');
    const imported = await importCsv(csv);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ imported: 4 });
    expect(await slotsIn(where, period.from, period.to)).toHaveLength(4);
    expect((await importCsv(csv)).json()).toEqual({ imported: 4 });
    expect(await slotsIn(where, period.from, period.to)).toHaveLength(4);
  });

  it('answers every bad row by line and column, and imports nothing', async () => {
    const elsewhere = district('csv-bad');
    const csv = [
      header,
      `duty_leader,${elsewhere},${leaderHoliday.id},2026-10-01T08:00+08:00,2026-10-01T20:00+08:00`,
      `duty_officer,${elsewhere},${officer.id},2026-10-01 08:00,2026-10-01T20:00+08:00`,
      `night_watch,${elsewhere},${officer.id},2026-10-01T20:00+08:00,2026-10-01T08:00+08:00`,
    ].join('\n');
    const refused = await importCsv(csv);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().errors).toEqual([
      { field: 'row 3.starts_at', message: expect.stringContaining('offset') },
      { field: 'row 4.duty', message: expect.stringContaining('duty_leader') },
    ]);
    expect(await slotsIn(elsewhere, period.from, period.to)).toEqual([]);

    const backwards = await importCsv([header, `duty_officer,${elsewhere},${officer.id},2026-10-01T20:00+08:00,2026-10-01T08:00+08:00`].join('\n'));
    expect(backwards.json().errors).toEqual([{ field: 'row 2.ends_at', message: 'must be after the start' }]);

    const unknown = await importCsv(
      [
        header,
        `duty_leader,${elsewhere},${leaderHoliday.id},2026-10-01T08:00+08:00,2026-10-01T20:00+08:00`,
        `duty_leader,,ghost-${tag},2026-10-01T08:00+08:00,2026-10-01T20:00+08:00`,
      ].join('\n'),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      type: '/problems/unknown-reference',
      errors: [{ field: 'row 3.account', message: expect.stringContaining(`ghost-${tag}`) }],
    });
    expect(await slotsIn(elsewhere, period.from, period.to)).toEqual([]);

    expect((await importCsv(`duty,account,starts_at\nduty_leader,${officer.id},2026-10-01T08:00+08:00`)).json().errors).toEqual([
      { field: 'header', message: `must be ${header}` },
    ]);
  });
});

/** Stores a duty notice as the workflow would raise it at `at`, and answers the case's notices. */
async function alert(caseId: string, at: string, recipient = 'duty-leader', where = district('alerts')): Promise<Notice[]> {
  const key = `${caseId}:3:rapid_response_missed:${recipient}`;
  await recordNotice(h.database.db, { caseId, notice: { key, kind: 'rapid_response_missed', recipient, params: { caseId, dueAt: at, district: where }, at } });
  return noticesOf(h.database.db, caseId);
}

describe('duty recipients, resolved at the moment of the alert', () => {
  const where = district('alerts');
  beforeAll(async () => {
    const { db } = h.database;
    const slot = (id: string, accountId: string, startsAt: string, endsAt: string, inDistrict: string | null = where) =>
      storeSlot(db, { id: `${id}-${tag}`, duty: 'duty_leader', district: inDistrict, accountId, startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
    await slot('night', leaderNight.id, '2026-11-20T22:00+08:00', '2026-11-21T08:00+08:00');
    await slot('national-day', leaderHoliday.id, '2026-10-01T08:00+08:00', '2026-10-01T20:00+08:00');
    await slot('national-day-noon', leaderHoliday2.id, '2026-10-01T12:00+08:00', '2026-10-01T14:00+08:00');
    // The bureau's own duty leader stands in where the district has nobody.
    await slot('bureau-night', leaderBureau.id, '2026-10-01T20:00+08:00', '2026-10-02T08:00+08:00', null);
  });

  it('goes to the duty leader of the night it was raised in', async () => {
    const [notice] = await alert(`night-${tag}`, '2026-11-21T02:30:00+08:00');
    expect(notice).toMatchObject({ recipient: 'duty-leader', addressees: [leaderNight.id] });
  });

  it('goes to the people on duty on a public holiday (National Day), both when two overlap', async () => {
    // 1 October is a statutory holiday, not a working day, in the official 2026 schedule.
    expect(isWorkingDay('2026-10-01', calendarYears([2026]))).toBe(false);
    const [notice] = await alert(`holiday-${tag}`, '2026-10-01T13:00:00+08:00');
    expect(notice?.addressees).toEqual([leaderHoliday.id, leaderHoliday2.id].sort());
    const [evening] = await alert(`holiday-evening-${tag}`, '2026-10-01T21:00:00+08:00');
    expect(evening?.addressees).toEqual([leaderBureau.id]);
  });

  it('alerts the supervisors to a gap in the roster, once however often the activity runs', async () => {
    const caseId = `gap-${tag}`;
    await alert(caseId, '2026-11-21T12:00:00+08:00');
    const notices = await alert(caseId, '2026-11-21T12:00:00+08:00');
    expect(notices.map((n) => [n.kind, n.recipient, n.addressees])).toEqual([
      ['rapid_response_missed', 'duty-leader', []],
      ['roster_gap', 'supervisor', []],
    ]);
    expect(notices[1]?.id).toBe(`${notices[0]?.id}:roster_gap`);
    expect(notices[1]?.text).toContain('【值班空缺】');
    expect(notices[1]?.text).toContain('值班领导');
    expect(notices[1]?.text).toContain(where);
  });

  it('sends superior-of:<unit> to the unit staff of its parent unit', async () => {
    const caseId = `superior-${tag}`;
    const [notice] = await alert(caseId, '2026-11-21T12:00:00+08:00', `superior-of:${rapidTeam.id}`);
    // Not the parent's registrar, nor the unit's own people; and no roster gap: it is no duty.
    expect(notice?.addressees).toEqual([superiorStaff.id]);
    expect(notice?.addressees).not.toContain(superiorRegistrar.id);
    expect(await noticesOf(h.database.db, caseId)).toHaveLength(1);
  });
});

/** Registers through the API as the hotline; answers the case id. */
async function register(overrides: Record<string, unknown>): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission(overrides) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function view(id: string): Promise<CaseView> {
  const response = await get(`/complaints/${id}`, keys.supervisor);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function until(id: string, predicate: (v: CaseView) => boolean, what: string): Promise<CaseView> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const v = await view(id);
    if (predicate(v)) return v;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`case ${id} never reached ${what}`);
}

async function noticesUntil(caseId: string, predicate: (n: Notice[]) => boolean): Promise<Notice[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const notices = await noticesOf(h.database.db, caseId);
    if (predicate(notices)) return notices;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`notices of ${caseId} never arrived`);
}

const kinds = (v: CaseView) => v.timeline.map((e) => e.kind);
const place = (where: string) => ({ address: `值班路 ${Math.random().toString(36).slice(2)} 号`, district: where });

describe('the rapid-response fast path (值班快速出警)', () => {
  const where = district('fast');
  beforeAll(async () => {
    const now = Date.now();
    const status = await put(`fast-officer-${tag}`, {
      duty: 'duty_officer',
      district: where,
      accountId: officer.id,
      startsAt: new Date(now - hour).toISOString(),
      endsAt: new Date(now + 2 * hour).toISOString(),
    });
    expect(status.statusCode, status.body).toBe(200);
  });

  it('alerts the supervisors when an urgent case missed its 30 minutes with no duty leader on the roster', async () => {
    const id = await register({ urgent: true, location: place(where), receivedAt: new Date(Date.now() - hour).toISOString() });
    await until(id, (v) => kinds(v).includes('rapid_response_missed'), 'the missed rapid response');
    const notices = await noticesUntil(id, (n) => n.some((x) => x.kind === 'roster_gap'));
    expect(notices.find((n) => n.kind === 'rapid_response_missed')).toMatchObject({ recipient: 'duty-leader', addressees: [] });
    expect(notices.find((n) => n.kind === 'roster_gap')).toMatchObject({ recipient: 'supervisor' });
  });

  it('lets the duty officer on duty take an urgent case to assigned in one move, with 30 minutes from the move', async () => {
    // Received an hour ago: its first 30 minutes have passed, so the move starts a new clock.
    const id = await register({ urgent: true, location: place(where), receivedAt: new Date(Date.now() - hour).toISOString() });
    await until(id, (v) => kinds(v).includes('rapid_response_missed'), 'the missed rapid response');
    const payload = { unit: rapidTeam, dutyOfficer: '李队长' };

    const refused = await h.app.inject({ method: 'POST', url: `/complaints/${id}/rapid-dispatch`, headers: await signIn(h.app, otherRegistrar), payload });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ type: '/problems/forbidden', detail: expect.stringContaining(`not on the roster as duty_officer`) });

    const moved = await h.app.inject({ method: 'POST', url: `/complaints/${id}/rapid-dispatch`, headers: await signIn(h.app, officer), payload });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'assigned', onDuty: `unit:${rapidTeam.id}` });
    const v = (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: await signIn(h.app, officer) })).json<CaseView>();
    expect(v).toMatchObject({ status: 'assigned', unit: { id: rapidTeam.id }, dutyOfficer: '李队长' });
    expect(kinds(v)).toEqual(expect.arrayContaining(['accepted', 'assigned']));
    const assigned = v.timeline.find((e) => e.kind === 'assigned')!;
    expect(assigned).toMatchObject({ actor: `registrar:${officer.id}`, data: { rapidDispatch: true, unit: rapidTeam.id } });
    expect(Date.parse(v.deadlines.rapidResponse!.dueAt) - Date.parse(assigned.at)).toBe(30 * minute);
    expect(assigned.data?.rapidResponseDueAt).toBe(v.deadlines.rapidResponse!.dueAt);
    expect(v.deadlines.handling).toBeDefined();
  });

  it('keeps a clock still running, and lets a supervisor make the move without being on the roster', async () => {
    const receivedAt = new Date(Date.now() - 5 * minute).toISOString();
    const id = await register({ urgent: true, location: place(where), receivedAt });
    const moved = await h.app.inject({
      method: 'POST',
      url: `/complaints/${id}/rapid-dispatch`,
      headers: credentials(keys.supervisor),
      payload: { unit: rapidTeam },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().recorded.find((e: { kind: string }) => e.kind === 'assigned').data.rapidResponseDueAt).toBe(
      new Date(Date.parse(receivedAt) + 30 * minute).toISOString(),
    );
  });
});

describe('the 30-minute clock by policy: urgent cases, and noise and odour at night', () => {
  const where = district('clock');
  const yesterday = startOfDay(shanghaiDate(Date.now() - 24 * hour));

  it('gives a daytime noise complaint no clock, and a night one its 30 minutes (run by the workflow)', async () => {
    const day = await register({ category: 'noise', location: place(where), receivedAt: new Date(yesterday + 10 * hour).toISOString() });
    const nightReceived = new Date(yesterday + 23.5 * hour).toISOString();
    const night = await register({ category: 'noise', location: place(where), receivedAt: nightReceived });
    const nightView = await until(night, (v) => kinds(v).includes('rapid_response_missed'), 'the night alarm');
    expect(nightView.deadlines.rapidResponse?.dueAt).toBe(new Date(Date.parse(nightReceived) + 30 * minute).toISOString());
    const dayView = await view(day);
    expect(dayView.deadlines.rapidResponse).toBeUndefined();
    expect(kinds(dayView)).not.toContain('rapid_response_missed');
  });

  it('draws the night at 22:00 and 06:00 Shanghai, for the policy’s categories only; urgent is any hour', () => {
    const at = (hhmm: string) => new Date(startOfDay('2026-12-01') + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * minute).toISOString();
    const clock = (category: string, hhmm: string, urgent = false) =>
      newCase(workflowInput(makeComplaint({ category, urgent, receivedAt: at(hhmm) })), at(hhmm)).deadlines.rapidResponse !== undefined;
    expect(['21:59', '22:00', '02:00', '05:59', '06:00', '12:00'].map((t) => clock('noise', t))).toEqual([false, true, true, true, false, false]);
    expect(clock('odour', '23:00')).toBe(true);
    expect(clock('water', '23:00')).toBe(false);
    expect(clock('water', '12:00', true)).toBe(true);
  });

  it('keeps the old rule for a case registered before it: every noise complaint, day or night', () => {
    const noon = new Date(startOfDay('2026-12-01') + 12 * hour).toISOString();
    const input = workflowInput(makeComplaint({ category: 'noise', receivedAt: noon }));
    expect(newCase(input, noon, { ...currentRules, rapidResponseByPolicy: false }).deadlines.rapidResponse?.dueAt).toBe(
      new Date(Date.parse(noon) + 30 * minute).toISOString(),
    );
    // A policy recorded before night hours existed has none: any hour counts.
    const { rapidResponseNightHours: _night, ...oldPolicy } = input.policy;
    expect(newCase({ ...input, policy: oldPolicy }, noon).deadlines.rapidResponse).toBeDefined();
  });

  it('takes night hours from the policy file, HH:MM; the same hour twice means around the clock', () => {
    const noon = new Date(startOfDay('2026-12-01') + 12 * hour).toISOString();
    const policy = mergePolicy({ version: 'city-2027', rapidResponseNightHours: { from: '00:00', to: '00:00' } });
    expect(newCase(workflowInput(makeComplaint({ category: 'noise', receivedAt: noon }), { policy }), noon).deadlines.rapidResponse).toBeDefined();
    expect(mergePolicy({ version: 'city-2027', rapidResponseNightHours: { from: '21:00' } }).rapidResponseNightHours).toEqual({ from: '21:00', to: '06:00' });
    expect(() => mergePolicy({ version: 'city-2027', rapidResponseNightHours: { from: '25:00', to: '06:00' } })).toThrow(/rapidResponseNightHours/);
  });
});

describe('a missed rapid dispatch, on the time-skipping server', () => {
  const where = district('skip');
  const taskQueue = `duty-skip-${process.pid}`;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // The real activities on this file's Postgres: the notice resolves its recipient there.
    worker = await createTestWorker(env, { taskQueue, activities: createActivities(h.database) });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('alerts the duty leader on duty when the 30 minutes ran out, not the one on duty when the activity ran', async () => {
    const c = await CaseDriver.start(
      env,
      taskQueue,
      workflowInput(makeComplaint({ category: 'water', location: { address: '值班路 1 号', district: where } })),
    );
    const moved = await c.act('rapidDispatch', { actor: actors.supervisor, unit: rapidTeam });
    expect(moved.status).toBe('assigned');
    const due = moved.deadlines.rapidResponse!.dueAt;
    const assigned = moved.timeline.find((e) => e.kind === 'assigned')!;
    expect(Date.parse(due) - Date.parse(assigned.at)).toBe(30 * minute);

    // Only from the moment the clock runs out is anyone on duty: on the wall clock, which the
    // server has skipped past, nobody is yet.
    await storeSlot(h.database.db, {
      id: `skip-leader-${tag}`,
      duty: 'duty_leader',
      district: where,
      accountId: leaderNight.id,
      startsAt: new Date(due),
      endsAt: new Date(Date.parse(due) + hour),
    });
    await c.advanceTo(due, 1_000);
    await c.until((v) => c.kinds(v).includes('rapid_response_missed'), 'the missed rapid response');
    const notices = await noticesUntil(c.complaint.id, (n) => n.some((x) => x.kind === 'rapid_response_missed'));
    expect(notices.find((n) => n.kind === 'rapid_response_missed')).toMatchObject({ recipient: 'duty-leader', addressees: [leaderNight.id] });
    expect(notices.some((n) => n.kind === 'roster_gap')).toBe(false);
  });
});
