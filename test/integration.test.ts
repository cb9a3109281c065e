import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../activities';
import { createDatabase, type Database } from '../db/client';
import { calendarYears as calendarYearsTable, caseEvents, complaints, leaders, notices } from '../db/schema';
import { calendarYears, parseCalendarYear, provisionalYear } from '../lib/calendar-data';
import { publishCalendarYear } from '../lib/calendar-publish';
import { ensureSpotCheckSchedule, spotCheckScheduleId } from '../lib/schedules';
import { newCase } from '../workflows/case';
import { projectionOf } from '../workflows/projection';
import { actors, makeComplaint, unitA, workflowInput } from './helpers/cases';
import { attachDevServer, createTestWorker } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';
import { eventually } from './helpers/people';

/**
 * The real worker with the real activities, against the Temporal dev server and Postgres: what
 * `npm start` runs, minus the HTTP layer.
 */
const taskQueue = `integration-${process.pid}`;
let env: TestWorkflowEnvironment;
let database: Database;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await attachDevServer();
  database = createDatabase(inject('databaseUrl'));
  await database.db.insert(leaders).values({ id: 'chief-nancheng', name: '科长', tier: 1, district: 'nancheng' }).onConflictDoNothing();
  worker = await createTestWorker(env, { taskQueue, activities: createActivities(database) });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.close();
});

describe('worker against the dev server and Postgres', () => {
  it('projects a case into Postgres, stores its notices once, and keeps search attributes current', async () => {
    const c = await CaseDriver.start(env, taskQueue, workflowInput(makeComplaint()));
    const id = c.complaint.id;
    await c.act('accept', { actor: actors.registrar });
    await c.act('assign', { actor: actors.registrar, unit: unitA });
    await c.act('escalate', { actor: actors.supervisor, reason: '重点案件' });
    await c.act('submitResult', {
      actor: actors.unitA,
      finding: 'substantiated',
      actions: ['penalty'],
      reply: '已立案处罚',
    });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });

    const row = await eventually(
      async () => (await database.db.select().from(complaints).where(eq(complaints.id, id)))[0],
      (r) => r?.status === 'closed',
      'the closed projection',
    );
    expect(row).toMatchObject({ handlingUnit: 'unit-a', escalationTier: 1, satisfaction: 'satisfied', district: 'nancheng' });

    const events = await database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.seq);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.kind)).toContain('leaders_assigned');

    const stored = await database.db.select().from(notices).where(eq(notices.caseId, id));
    // The escalation goes to the unit's superior and to each owner: the district's territorial
    // leader, and a system leader if other tests put one in the shared directory.
    const owners = (await c.view()).escalation.owners;
    expect(owners).toContainEqual({ leaderId: 'chief-nancheng', kind: 'territorial' });
    expect(
      stored
        .filter((n) => n.kind === 'escalation')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual(['superior-of:unit-a', ...owners.map((o) => `leader:${o.leaderId}`)].sort());
    // The penalty earned the reporter a reward (有奖举报): the supervisors hear of it.
    expect(
      stored
        .filter((n) => n.kind !== 'escalation')
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['acceptance', 'assignment', 'case_assigned', 'case_closed', 'result_reply', 'reward']);
    expect(stored.find((n) => n.kind === 'acceptance')?.text).toMatch(/已受理/);
    // The complainant's identity never reaches a notice text.
    expect(stored.map((n) => n.text).join('\n')).not.toMatch(/张三|13800000000/);

    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({
          query: `ComplaintStatus = "closed" AND HandlingUnit = "unit-a" AND EscalationTier = 1 AND WorkflowId = "${c.handle.workflowId}"`,
        })) {
          ids.push(wf.workflowId);
        }
        return ids;
      },
      (ids) => ids.length === 1,
      'the case in a visibility query',
    );
    expect(found).toEqual([c.handle.workflowId]);
    const description = await c.handle.describe();
    expect(description.memo).toMatchObject({ summary: expect.stringContaining('closed') });
  });

  it('publishes an official year: stored, and running cases recompute their provisional deadlines', async () => {
    const year = new Date().getUTCFullYear() + 1;
    // 40 working days from now always reach into next year, which is provisional until published.
    const calendar = [...calendarYears([year - 1]), provisionalYear(year), provisionalYear(year + 1)];
    const c = await CaseDriver.start(env, taskQueue, workflowInput(makeComplaint(), { calendar, policy: { handlingWorkingDays: 40 } }));
    await c.act('accept', { actor: actors.registrar });
    const before = await c.act('assign', { actor: actors.registrar, unit: unitA });
    expect(before.deadlines.handling?.provisional).toBe(true);

    const official = parseCalendarYear({
      ...provisionalYear(year),
      status: 'official',
      source: 'test fixture',
      holidays: [...provisionalYear(year).holidays, `${year}-01-04`, `${year}-01-05`, `${year}-01-06`],
    });
    const lines: string[] = [];
    try {
      const { signalled, failed } = await publishCalendarYear(database.db, env.client, official, (l) => lines.push(l), `TaskQueue = "${taskQueue}"`);
      expect(failed).toEqual([]);
      expect(signalled).toBeGreaterThanOrEqual(1);
      expect(lines.at(-1)).toMatch(/signalled \d+ running cases/);
      const stored = await database.db.select().from(calendarYearsTable).where(eq(calendarYearsTable.year, year));
      expect(stored[0]?.status).toBe('official');
      const after = await c.until((v) => c.kinds(v).includes('calendar_updated'), 'the recomputation');
      expect(after.deadlines.handling?.provisional).toBe(false);
    } finally {
      await database.db.delete(calendarYearsTable).where(eq(calendarYearsTable.year, year));
    }
  });

  it('creates the daily spot-check schedule once, at 01:00 Shanghai time', async () => {
    const created = await ensureSpotCheckSchedule(env.client, taskQueue, 0.23);
    const again = await ensureSpotCheckSchedule(env.client, taskQueue, 0.5);
    expect([created, again]).toEqual([true, false]);
    const schedule = await env.client.schedule.getHandle(spotCheckScheduleId).describe();
    expect(schedule.spec.timezone).toBe('Asia/Shanghai');
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 1, end: 1, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'spotCheckWorkflow', args: [{ rate: 0.23 }] });
    await env.client.schedule.getHandle(spotCheckScheduleId).delete();
  });

  it('writes an activity retried with the same input only once', async () => {
    const activities = createActivities(database);
    const id = makeComplaint().id;
    const state = newCase(workflowInput(makeComplaint({ id })), new Date().toISOString());
    const projection = projectionOf(state, `complaint-${id}`);
    const events = [{ seq: 1, at: new Date().toISOString(), kind: 'registered' as const, actor: 'registrar:r' }];
    await activities.projectCase({ projection, events });
    await activities.projectCase({ projection, events });
    const notice = { key: `${id}:1:acceptance:complainant`, kind: 'acceptance' as const, recipient: 'complainant', params: { caseId: id } };
    await activities.recordNotice({ caseId: id, notice });
    await activities.recordNotice({ caseId: id, notice });
    expect(await database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id))).toHaveLength(1);
    expect(await database.db.select().from(notices).where(eq(notices.caseId, id))).toHaveLength(1);
  });
});
