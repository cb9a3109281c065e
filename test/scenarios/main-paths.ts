import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { calendarYears, provisionalYear } from '../../lib/calendar-data';
import { shanghaiDate, shanghaiYear, startOfDay } from '../../workflows/calendar';
import { calendarPublished, selectedForSpotCheck } from '../../workflows/definitions';
import { getPart, partUpdate, type PartActionName, type PartArgsByName } from '../../workflows/joint-part';
import { actors, makeComplaint, unitA, unitB, workflowInput } from '../helpers/cases';
import { CaseDriver } from '../helpers/workflow-driver';

/**
 * The main paths of a case, each driven to its end. `scripts/record-histories.ts` records their
 * histories as fixtures; the replay test runs the fixtures against the current workflow code.
 * Inputs are fixed (ids, times) so a re-recording differs only where the code changed.
 */
type Scenario = (env: TestWorkflowEnvironment, taskQueue: string) => Promise<CaseDriver>;

const result = { finding: 'substantiated', actions: ['inspection', 'order_to_rectify'], reply: '已责令整改' } as const;

function start(env: TestWorkflowEnvironment, taskQueue: string, id: string, anonymous = false) {
  const complainant = anonymous ? { anonymous } : { anonymous, name: '样例', phone: '000' };
  return CaseDriver.start(env, taskQueue, workflowInput(makeComplaint({ id, complainant })));
}

/**
 * Moves the server's clock, if need be, to 10:00 Shanghai of the next day, so a case started
 * then is received in daytime (06:00–22:00) whatever the hour the recording runs.
 */
async function inShanghaiDaytime(env: TestWorkflowEnvironment): Promise<void> {
  const now = await env.currentTimeMs();
  const hour = (now - startOfDay(shanghaiDate(now))) / 3_600_000;
  if (hour >= 6 && hour < 21.5) return;
  const nextMorning = startOfDay(shanghaiDate(now + 12 * 3_600_000)) + 10 * 3_600_000;
  await env.sleep(nextMorning - now);
}

/** A noise complaint received by day that misses the on-site clock, when it has one, then runs to closure. */
async function daytimeNoise(env: TestWorkflowEnvironment, taskQueue: string, id: string): Promise<CaseDriver> {
  await inShanghaiDaytime(env);
  const complaint = makeComplaint({ id, category: 'noise', complainant: { anonymous: false, name: '样例', phone: '000' } });
  const c = await CaseDriver.start(env, taskQueue, workflowInput(complaint));
  const due = (await c.view()).deadlines.rapidResponse;
  if (due) {
    await c.advanceTo(due.dueAt, 1_000);
    await c.until((v) => v.timeline.some((e) => e.kind === 'rapid_response_missed'), 'the missed rapid response');
  }
  await toInProgress(c);
  await c.act('reportOnSite', { actor: actors.unitA, report: '已到现场，噪声源为冷却塔' });
  await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
  await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
  return c;
}

async function toInProgress(c: CaseDriver) {
  await c.act('accept', { actor: actors.registrar });
  await c.act('assign', { actor: actors.registrar, unit: unitA });
  await c.act('acknowledge', { actor: actors.unitA });
}

/** A co-unit's part (联合办理) acted on, once the case has started its workflow. */
async function actOnPart<K extends PartActionName>(env: TestWorkflowEnvironment, c: CaseDriver, unitId: string, name: K, args: PartArgsByName[K]) {
  const part = env.client.workflow.getHandle(`complaint-${c.complaint.id}-part-${unitId}`);
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      await part.query(getPart).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return part.executeUpdate(partUpdate(name), { args: [args] });
}

/** Overdue on handling: escalated by the deadline, the leader found by the outbox, then closed. */
async function overdueEscalated(env: TestWorkflowEnvironment, taskQueue: string, id: string): Promise<CaseDriver> {
  const c = await start(env, taskQueue, id);
  await toInProgress(c);
  const { escalation } = (await c.view()).deadlines;
  await c.advanceTo(escalation!.dueAt, 1_000);
  await c.until((v) => v.escalation.tier === 1 && v.escalation.owners.length > 0, 'tier 1');
  await c.act('recordLeaderPlan', { actor: actors.leader, plan: '挂牌督办' });
  await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
  await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
  return c;
}

/** Escalated by a supervisor while in progress, then closed. */
async function escalatedInAnswer(env: TestWorkflowEnvironment, taskQueue: string, id: string): Promise<CaseDriver> {
  const c = await start(env, taskQueue, id);
  await toInProgress(c);
  // The answer to the escalation names the owner (patched('owners-in-answer')).
  await c.act('escalate', { actor: actors.supervisor, reason: '久拖不决' });
  await c.act('recordLeaderPlan', { actor: actors.leader, plan: '挂牌督办' });
  await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
  await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
  return c;
}

export const scenarios: Record<string, Scenario> = {
  async 'happy-path'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-happy');
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  async 'not-accepted'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-not-accepted');
    await c.act('notAccept', { actor: actors.registrar, reason: '不属于受理范围' });
    return c;
  },
  async 'refused-and-reassigned'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-refused');
    await c.act('accept', { actor: actors.registrar });
    await c.act('assign', { actor: actors.registrar, unit: unitA });
    await c.act('refuseJurisdiction', { actor: actors.unitA, reason: '非本辖区' });
    await c.act('assign', { actor: actors.registrar, unit: unitB });
    await c.act('submitResult', { actor: actors.unitB, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'basically_satisfied' });
    return c;
  },
  'overdue-escalated': (env, taskQueue) => overdueEscalated(env, taskQueue, 'replay-overdue'),
  async 'rework-twice'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-rework');
    await toInProgress(c);
    for (let i = 0; i < 2; i++) {
      await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
      await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied' });
      await c.act('returnForRework', { actor: actors.supervisor, reason: '诉求合理' });
    }
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  'escalated-in-answer': (env, taskQueue) => escalatedInAnswer(env, taskQueue, 'replay-escalated-in-answer'),
  // Recorded before patched('rapid-response-by-policy'), by the code of then, with the policy of
  // then (no night hours): every noise complaint got the 30-minute clock, by day too.
  'rapid-response-daytime': (env, taskQueue) => daytimeNoise(env, taskQueue, 'replay-rapid-daytime'),
  // The same case in a rolling deploy: the API already gives new cases the policy with night
  // hours, a worker of the release before runs it. Recorded with that release's workflow code
  // (`npm run record-histories -- --workflows .data/head-workflows/index.ts rapid-response-old-worker`,
  // the folder holding `git show` of its workflows/): only the patch keeps its replay deterministic.
  'rapid-response-old-worker': (env, taskQueue) => daytimeNoise(env, taskQueue, 'replay-rapid-old-worker'),
  // Recorded with patched('lean-case') (issue 16): a change's notices and projection in one
  // activity, the deadline timer left running when the deadline stays, only what changed
  // published. The deadline fires, and the leaders are found, both under the new ways.
  'overdue-escalated-lean': (env, taskQueue) => overdueEscalated(env, taskQueue, 'replay-overdue-lean'),
  'escalated-in-answer-lean': (env, taskQueue) => escalatedInAnswer(env, taskQueue, 'replay-escalated-in-answer-lean'),
  // Recorded before patched('calendar-clears-overdue') (issue 18), by the code of then: the
  // official year moves a missed provisional deadline past now, and the case stays overdue.
  async 'calendar-over-missed-deadline'(env, taskQueue) {
    const year = shanghaiYear(await env.currentTimeMs());
    const c = await CaseDriver.start(
      env,
      taskQueue,
      workflowInput(makeComplaint({ id: 'replay-calendar-overdue' }), { calendar: [...calendarYears([year]), provisionalYear(year + 1)] }),
    );
    await c.act('accept', { actor: actors.registrar });
    await c.advanceTo(`${year}-12-20T02:00:00.000Z`);
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    await c.advanceTo(assigned.deadlines.handling!.dueAt, 3_600_000);
    await c.until((v) => v.overdue, 'overdue on the provisional deadline');
    const provisional = provisionalYear(year + 1);
    const breakDays = [4, 5, 6, 7, 8].map((d) => `${year + 1}-01-0${d}`);
    await c.handle.signal(calendarPublished, {
      years: [{ ...provisional, status: 'official', source: 'scenario', holidays: [...new Set([...provisional.holidays, ...breakDays])].sort() }],
    });
    await c.until((v) => v.timeline.some((e) => e.kind === 'calendar_updated'), 'the recomputation');
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  // Recorded before patched('extension-to-supervisors') (issue 18), by the code of then: the
  // request notified nobody and had no decision deadline.
  async 'extension-approved'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-extension');
    await toInProgress(c);
    await c.act('requestExtension', { actor: actors.unitA, days: 5, reason: '需第三方检测' });
    await c.act('approveExtension', { actor: actors.supervisor, reason: '检测周期合理' });
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  // Recorded before patched('result-review') and patched('spot-check-deadline') (issue 18), by the
  // code of then: a not-substantiated result replied at once, and the spot check had no deadline.
  async 'not-substantiated-spot-checked'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-not-substantiated');
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, finding: 'not_substantiated', actions: ['inspection'], reply: '未发现夜间生产' });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    await c.handle.signal(selectedForSpotCheck, { day: '2026-12-04' });
    await c.until((v) => v.status === 'under_review', 'under review');
    await c.act('recordSpotCheck', { actor: actors.supervisor, passed: true, note: '核查记录完整' });
    return c;
  },
  // Recorded before patched('reward-by-violation') (issue 18 rule 9), by the code of then: a penalty
  // in a category outside the reward list earned no reward, and the case completed after its
  // review window. The new rule would open a reward (a timer, a wait for payment) it never had.
  async 'penalty-before-reward-by-violation'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-penalty-no-reward');
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, finding: 'substantiated', actions: ['penalty'], reply: '已立案处罚' });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  // Recorded with patched('reward-by-violation'): the penalty opens a reward, whose amount one
  // supervisor proposes and another approves before it is paid; then the review window ends it.
  async 'reward-approved-and-paid'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-reward-paid');
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, finding: 'partly_substantiated', actions: ['case_filed'], reply: '已立案查处' });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    await c.act('proposeReward', { actor: actors.supervisor, amountYuan: 2000, basis: '查实立案，按办法第八条' });
    await c.act('approveReward', { actor: { role: 'supervisor', id: 'sup-2' } });
    await c.act('recordRewardPaid', { actor: actors.supervisor, reference: 'PAY-REPLAY' });
    return c;
  },
  // 联合办理: two co-units' parts as child workflows; one warned then refused, the other submits;
  // the lead unit's result once both have ended.
  async 'joint-handling'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-joint');
    await toInProgress(c);
    const unitC = { id: 'unit-c', name: '南城环境监测站', level: 'district' } as const;
    const assigned = await c.act('jointAssign', {
      actor: actors.registrar,
      coUnits: [
        { unit: unitB, task: '街道办配合现场核查' },
        { unit: unitC, task: '夜间采样监测' },
      ],
    });
    await actOnPart(env, c, unitB.id, 'acknowledge', { actor: actors.unitB });
    await actOnPart(env, c, unitC.id, 'acknowledge', { actor: { role: 'unit', id: 'officer-c', unitId: unitC.id } });
    const part = assigned.jointParts![0]!;
    // Past the first warning of the parts (half their time), which they report to the case.
    const half = Date.parse(part.assignedAt) + (Date.parse(part.dueAt) - Date.parse(part.assignedAt)) * 0.6;
    await c.advanceTo(new Date(half).toISOString());
    await c.until((v) => v.jointParts?.every((p) => p.warningLevel === 1) === true, 'the parts warned');
    await actOnPart(env, c, unitB.id, 'refuse', { actor: actors.unitB, reason: '不在本街道辖区' });
    await actOnPart(env, c, unitC.id, 'submit', { actor: { role: 'unit', id: 'officer-c', unitId: unitC.id }, ...result, actions: [...result.actions] });
    await c.until((v) => v.jointParts?.every((p) => p.status !== 'working') === true, 'both parts ended');
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  // Recorded before patched('repeat-escalation-by-policy') (issue 18), by the code of then: a
  // repeat of a case long closed still escalated to a leader at assignment.
  async 'repeat-escalated-at-assignment'(env, taskQueue) {
    const complaint = makeComplaint({ id: 'replay-repeat', repeatOf: ['20260101-aaaaaaaaaa'], complainant: { anonymous: false, name: '样例', phone: '000' } });
    const c = await CaseDriver.start(env, taskQueue, workflowInput(complaint));
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  // Recorded before patched('merge-confirmation') (issue 18), by the code of then: a report that
  // repeat detection merged at registration was final at once.
  async 'merged-at-registration'(env, taskQueue) {
    const open = await start(env, taskQueue, 'replay-merge-target');
    await toInProgress(open);
    const complaint = makeComplaint({ id: 'replay-merged', repeatOf: ['replay-merge-target'], complainant: { anonymous: false, name: '样例', phone: '000' } });
    return CaseDriver.start(env, taskQueue, { ...workflowInput(complaint), mergeInto: 'replay-merge-target' });
  },
  async anonymous(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-anonymous', true);
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    return c;
  },
};
