import { describe, expect, it } from 'vitest';
import { calendarYears, provisionalYear } from '../lib/calendar-data';
import { shanghaiYear, type CalendarYear } from '../workflows/calendar';
import { calendarPublished } from '../workflows/definitions';
import type { CaseSnapshot } from '../workflows/model';
import { actors, makeComplaint, unitA, workflowInput } from './helpers/cases';
import { timeSkippingSuite } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

const suite = timeSkippingSuite('long-life');
const { taskQueue } = suite;

describe('a case that lives long', () => {
  it('continues as new with its whole state when the history grows', async () => {
    const input = workflowInput(makeComplaint(), { continueAsNewAfterEvents: 40 });
    const c = await CaseDriver.start(suite.env, taskQueue, input);
    const firstRun = (await c.handle.describe()).runId;
    await c.act('accept', { actor: actors.registrar });
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    // The Updates alone, as the API sends them, and no Query until the new run is there: the
    // time-skipping server holds a Query sent while the run is continuing as new (a loaded CI
    // machine saw every test of this file time out behind one).
    for (let i = 0; i < 12; i++) {
      await c.outcome('addEvidence', { actor: actors.integrator, message: `补充材料 ${i}` });
    }
    const latest = suite.env.client.workflow.getHandle(c.handle.workflowId);
    let runId = (await latest.describe()).runId;
    for (let i = 0; i < 200 && runId === firstRun; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      runId = (await latest.describe()).runId;
    }
    expect(runId).not.toBe(firstRun);
    // The new run carries the case on: the whole timeline, the same deadline, and it still takes actions.
    const carried = await latest.query<CaseSnapshot>('getCase');
    expect(carried).toMatchObject({ status: 'assigned', deadlines: assigned.deadlines });
    expect(carried.timeline.slice(0, assigned.timeline.length)).toEqual(assigned.timeline);
    expect(carried.timeline.map((e) => e.kind)).toEqual([...assigned.timeline.map((e) => e.kind), ...Array<string>(12).fill('follow_up')]);
    const next = await new CaseDriver(suite.env, latest, c.complaint).act('acknowledge', { actor: actors.unitA });
    expect(next.status).toBe('in_progress');
    expect(next.timeline.at(-1)?.seq).toBe(16);
  });

  it('recomputes provisional deadlines when the official calendar of the next year arrives', async () => {
    const now = await suite.env.currentTimeMs();
    const year = shanghaiYear(now);
    // The next year is provisional (its official schedule is not out), as every year until
    // its November; the case is assigned late in December so its deadline reaches into it.
    const calendar: CalendarYear[] = [...calendarYears([year]), provisionalYear(year + 1)];
    const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint(), { calendar }));
    await c.act('accept', { actor: actors.registrar });
    await c.advanceTo(`${year}-12-20T02:00:00.000Z`);
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    expect(assigned.deadlines.handling?.provisional).toBe(true);
    expect((await c.handle.describe()).memo?.summary).toMatch(/provisional deadline/);

    // Official data: the provisional holidays plus a New Year break through 8 January, which
    // holds at least three weekdays whatever the year.
    const provisional = provisionalYear(year + 1);
    const longBreak = [4, 5, 6, 7, 8].map((d) => `${year + 1}-01-0${d}`);
    const official: CalendarYear = {
      ...provisional,
      status: 'official',
      source: 'test fixture: a published schedule',
      holidays: [...new Set([...provisional.holidays, ...longBreak])].sort(),
    };
    await c.handle.signal(calendarPublished, { years: [official] });
    const view = await c.until((v) => c.kinds(v).includes('calendar_updated'), 'the recomputation');
    expect(view.deadlines.handling?.provisional).toBe(false);
    expect((await c.handle.describe()).memo?.summary).not.toMatch(/provisional deadline/);
    expect(Date.parse(view.deadlines.handling!.dueAt)).toBeGreaterThan(Date.parse(assigned.deadlines.handling!.dueAt));
    expect(view.timeline.at(-1)?.data).toMatchObject({
      changes: { handling: { from: assigned.deadlines.handling!.dueAt, to: view.deadlines.handling!.dueAt } },
    });
  });

  it('clears the overdue mark when the official calendar moves a missed deadline past now, and marks it again when that falls due', async () => {
    const year = shanghaiYear(await suite.env.currentTimeMs());
    const calendar: CalendarYear[] = [...calendarYears([year]), provisionalYear(year + 1)];
    const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint(), { calendar }));
    await c.act('accept', { actor: actors.registrar });
    await c.advanceTo(`${year}-12-20T02:00:00.000Z`);
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    const provisionalDue = assigned.deadlines.handling!.dueAt;
    expect(assigned.deadlines.handling?.provisional).toBe(true);

    // The provisional deadline passes: overdue, supervised.
    await c.advanceTo(provisionalDue, 3_600_000);
    await c.until((v) => v.overdue, 'overdue on the provisional deadline');

    // The official year adds a New Year break the provisional one lacked: the deadline moves past now.
    const provisional = provisionalYear(year + 1);
    const official: CalendarYear = {
      ...provisional,
      status: 'official',
      source: 'test fixture: a published schedule',
      holidays: [...new Set([...provisional.holidays, ...[4, 5, 6, 7, 8].map((d) => `${year + 1}-01-0${d}`)])].sort(),
    };
    await c.handle.signal(calendarPublished, { years: [official] });
    const updated = await c.until((v) => c.kinds(v).includes('calendar_updated'), 'the recomputation');
    const officialDue = updated.deadlines.handling!.dueAt;
    expect(Date.parse(officialDue)).toBeGreaterThan(Date.parse(provisionalDue) + 3_600_000);
    expect(updated.overdue).toBe(false);
    expect(updated.timeline.at(-1)?.data).toMatchObject({ overdueCleared: ['handling'] });

    // Overdue again when the official deadline passes, marked once more, not twice.
    await c.advanceTo(officialDue, 3_600_000);
    const late = await c.until((v) => v.overdue, 'overdue on the official deadline');
    expect(c.kinds(late).filter((k) => k === 'overdue')).toHaveLength(2);
  });

  it('counts a handling deadline across a holiday with a make-up working Saturday', async () => {
    const year = shanghaiYear(await suite.env.currentTimeMs()) + 1;
    // The first Monday of March of next year; that week's Tuesday to Thursday are declared off
    // and the Saturday after is a make-up working day (data as the State Council publishes it).
    let monday = Date.UTC(year, 2, 1);
    while (new Date(monday).getUTCDay() !== 1) monday += 86_400_000;
    const day = (offset: number) => new Date(monday + offset * 86_400_000).toISOString().slice(0, 10);
    const published: CalendarYear = {
      year,
      status: 'official',
      source: 'test fixture',
      holidays: [day(1), day(2), day(3)],
      workdays: [day(5)],
    };
    const calendar = [...calendarYears([year - 1]), published, provisionalYear(year + 1)];
    const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint(), { calendar, policy: { handlingWorkingDays: 5 } }));
    await c.act('accept', { actor: actors.registrar });
    await c.advanceTo(`${day(0)}T10:00:00+08:00`);
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    // Tue–Thu off; Fri (1), Sat make-up (2), Mon (3), Tue (4), Wed (5): due at Thursday 00:00.
    expect(assigned.deadlines.handling?.dueAt).toBe(new Date(`${day(10)}T00:00:00+08:00`).toISOString());
    expect(assigned.deadlines.handling?.provisional).toBe(false);
    // Half of 5 days: noon of the third counted day, the Monday after the make-up Saturday.
    expect(assigned.deadlines.warning1?.dueAt).toBe(new Date(`${day(7)}T12:00:00+08:00`).toISOString());
  });
});
