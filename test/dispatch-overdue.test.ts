import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { unassignedUnit } from '../db/reports';
import { Overdue } from '../workflows/search-attributes';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { actors, makeComplaint, uniqueId, unitA, workflowInput } from './helpers/cases';
import { timeSkippingSuite } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

/**
 * Issue 11, item 8: a case past its dispatch deadline with no unit is overdue, in the lists, the
 * backlog and the Temporal UI, until it is assigned. The workflow runs on the time-skipping server
 * (the deadline is days away); its projections go through the real activity into Postgres, where
 * the API reads them.
 */
const suite = timeSkippingSuite('dispatch-overdue');
const { recorded, taskQueue } = suite;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('dispatch-overdue');
});
afterAll(async () => {
  await h?.close();
});

const get = async (url: string) => {
  const response = await h.app.inject({ method: 'GET', url, headers: credentials(keys.supervisor) });
  expect(response.statusCode).toBe(200);
  return response.json();
};

/** Writes the case's read side as the worker would: its events and latest projection. */
async function project(c: CaseDriver): Promise<void> {
  await c.settled(recorded.projectedSeq);
  const projection = recorded.projectionOf(c.complaint.id);
  if (!projection) throw new Error(`no projection of ${c.complaint.id}`);
  await createActivities(h.database).projectCase({ projection, events: recorded.eventsOf(c.complaint.id) });
}

/** The Overdue search attribute as the server holds it once the worker's upsert reached it. */
async function overdueAttribute(c: CaseDriver, expected: boolean): Promise<boolean | undefined> {
  let value: boolean | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    value = (await c.handle.describe()).typedSearchAttributes.get(Overdue);
    if (value === expected) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return value;
}

const overdueIn = async (district: string): Promise<string[]> =>
  (await get(`/complaints?overdue=true&district=${district}`)).items.map((r: { id: string }) => r.id);

const unassignedCount = async (): Promise<number> =>
  (await get('/reports/backlog')).overdueByUnit.find((u: { unit: string }) => u.unit === unassignedUnit)?.count ?? 0;

describe('a case accepted but never assigned past its dispatch deadline', () => {
  it('is overdue in the list, the backlog and the Temporal UI until a unit has it', async () => {
    const district = uniqueId('dispatch');
    const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint({ location: { address: '城北路 9 号', district } })));
    await c.act('accept', { actor: actors.registrar });
    await project(c);
    expect(await overdueIn(district)).toEqual([]);
    const before = await unassignedCount();

    const { dispatch } = (await c.view()).deadlines;
    await c.advanceTo(dispatch!.dueAt, 1_000);
    await c.until((v) => v.timeline.some((e) => e.kind === 'dispatch_overdue'), 'the dispatch deadline passing');
    await project(c);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ status: 'accepted', handlingUnit: null, overdue: true, dispatchedOnTime: false });
    expect(await overdueIn(district)).toEqual([c.complaint.id]);
    expect(await unassignedCount()).toBe(before + 1);
    expect(await overdueAttribute(c, true)).toBe(true);

    // Assigned late: no longer overdue (its handling window starts now), and the KPI keeps it late.
    await c.act('assign', { actor: actors.registrar, unit: unitA });
    await project(c);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ handlingUnit: 'unit-a', overdue: false, dispatchedOnTime: false });
    expect(await overdueIn(district)).toEqual([]);
    expect(await unassignedCount()).toBe(before);
    expect(await overdueAttribute(c, false)).toBe(false);

    // Refused by the unit, it waits for another one, but its dispatch deadline is behind it.
    await c.act('refuseJurisdiction', { actor: actors.unitA, reason: '非本辖区' });
    await project(c);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ status: 'accepted', handlingUnit: null, overdue: false });
  });
});
