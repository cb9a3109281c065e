import { describe, expect, it } from 'vitest';
import { workingDeadline } from '../workflows/deadlines';
import { actors, makeComplaint, unitA, unitB, workflowInput } from './helpers/cases';
import { timeSkippingSuite } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

const suite = timeSkippingSuite('lifecycle');
const { recorded, taskQueue } = suite;

async function startCase(overrides: Parameters<typeof makeComplaint>[0] = {}) {
  return CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint(overrides)));
}

/** Registered → accepted → assigned to unit A → acknowledged. */
async function caseInProgress(overrides: Parameters<typeof makeComplaint>[0] = {}) {
  const c = await startCase(overrides);
  await c.act('accept', { actor: actors.registrar });
  await c.act('assign', { actor: actors.registrar, unit: unitA });
  await c.act('acknowledge', { actor: actors.unitA });
  return c;
}

/** A second supervisor: a reward's amount is approved by another than its proposer. */
const otherSupervisor = { role: 'supervisor', id: 'sup-2' } as const;
/** The anonymous reporter's claim through POST /rewards/claim. */
const claimant = { role: 'system', id: 'reward-claim' } as const;

const result = {
  finding: 'substantiated' as const,
  actions: ['inspection' as const, 'order_to_rectify' as const],
  reply: '经现场核查，该厂存在夜间偷排行为，已责令整改。',
};

describe('complaint lifecycle', () => {
  it('runs the happy path from registration to closed and archives after the review window', async () => {
    const c = await startCase();
    expect(await c.view()).toMatchObject({ status: 'registered', onDuty: 'registrar:reg-1' });
    expect((await c.act('accept', { actor: actors.registrar })).status).toBe('accepted');
    const assigned = await c.act('assign', { actor: actors.registrar, unit: unitA });
    expect(assigned.status).toBe('assigned');
    expect(assigned.unit?.id).toBe('unit-a');
    expect(assigned.deadlines.handling?.dueAt).toBeDefined();
    expect(assigned.deadlines.dispatch).toBeUndefined();
    expect(assigned.onDuty).toBe('unit:unit-a');
    // An Update answers the action's outcome, not the whole case: where the case stands and what it recorded.
    const acknowledged = await c.outcome('acknowledge', { actor: actors.unitA });
    expect(acknowledged).toEqual({
      status: 'in_progress',
      onDuty: 'unit:unit-a',
      dueAt: assigned.deadlines.handling?.dueAt,
      recorded: [expect.objectContaining({ kind: 'acknowledged' })],
    });
    const submitted = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(submitted.status).toBe('callback');
    expect(submitted.result?.onTime).toBe(true);
    const closed = await c.outcome('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    expect(closed).toMatchObject({ status: 'closed', onDuty: null });
    expect(closed.recorded.map((e) => e.kind)).toEqual(['callback', 'closed']);

    // The case stays open to spot checks for the review window, then the workflow completes.
    const final = await c.finished(recorded.projectedSeq);
    expect(final).toMatchObject({ status: 'closed', onDuty: null });
    expect(c.kinds(final)).toEqual(['registered', 'accepted', 'assigned', 'acknowledged', 'result_submitted', 'callback', 'closed']);

    const notices = recorded.noticesOf(c.complaint.id).map((n) => `${n.kind}->${n.recipient}`);
    // The complainant hears of every step they care about (件件有回音).
    expect(notices).toEqual([
      'acceptance->complainant',
      'assignment->unit:unit-a',
      'case_assigned->complainant',
      'result_reply->complainant',
      'case_closed->complainant',
    ]);
    expect(recorded.noticesOf(c.complaint.id).find((n) => n.kind === 'case_assigned')?.params).toMatchObject({
      unit: unitA.name,
      dueAt: assigned.deadlines.handling?.dueAt,
    });
    expect(recorded.eventsOf(c.complaint.id).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(recorded.projectionOf(c.complaint.id)?.status).toBe('closed');
    expect(recorded.projectionOf(c.complaint.id)?.satisfaction).toBe('satisfied');
  });

  it('ends a case that is not accepted, with a notice giving the reason', async () => {
    const c = await startCase();
    await c.act('notAccept', { actor: actors.registrar, reason: '不属于生态环境部门职责范围' });
    const final = await c.finished(recorded.projectedSeq);
    expect(final.status).toBe('not_accepted');
    expect(recorded.noticesOf(c.complaint.id).map((n) => n.kind)).toEqual(['not_accepted']);
  });

  it('transfers a case out to another department', async () => {
    const c = await startCase();
    await c.act('accept', { actor: actors.registrar });
    await c.act('transferOut', { actor: actors.registrar, department: '城管局', reason: '占道经营油烟归城管' });
    const final = await c.finished(recorded.projectedSeq);
    expect(final.status).toBe('transferred_out');
    expect(final.timeline.at(-1)?.data).toEqual({ department: '城管局' });
  });

  it('merges duplicates into the open case, keeps their complainants, and escalates at the third report (policy)', async () => {
    const original = await caseInProgress();
    const duplicate = await startCase({ complainant: { anonymous: false, name: '李先生', phone: '13900002222' } });
    await duplicate.act('merge', { actor: actors.registrar, intoCaseId: original.complaint.id, reason: '同一企业同一问题' });
    expect((await duplicate.finished(recorded.projectedSeq)).mergedInto).toBe(original.complaint.id);
    const once = await original.until((v) => v.repeatReports.length === 1, 'the repeat report');
    expect(once.repeatReports[0]).toMatchObject({ caseId: duplicate.complaint.id, complainant: { name: '李先生' }, contact: { phone: '13900002222' } });
    // Two reports of one problem: not yet the policy's three.
    expect(once.escalation.tier).toBe(0);
    // The duplicate's complainant is told which case now carries their report.
    expect(recorded.noticesOf(duplicate.complaint.id).find((n) => n.kind === 'case_merged')).toMatchObject({
      recipient: 'complainant',
      params: { intoCaseId: original.complaint.id },
    });
    const third = await startCase({ complainant: { anonymous: true } });
    await third.act('merge', { actor: actors.registrar, intoCaseId: original.complaint.id, reason: '同一问题' });
    const escalated = await original.until((v) => v.repeatReports.length === 2, 'the third report');
    expect(escalated.escalation).toMatchObject({ tier: 1, reason: 'repeat complaint' });

    // The result reaches the merged complainant too (texted), and they are called back like the first.
    await original.act('submitResult', { actor: actors.unitA, ...result });
    await original.settled(recorded.projectedSeq);
    expect(
      recorded
        .noticesOf(original.complaint.id)
        .filter((n) => n.kind === 'result_reply')
        .map((n) => n.recipient),
    ).toEqual(['complainant', `complainant-of:${duplicate.complaint.id}`]);
    const called = await original.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied', for: duplicate.complaint.id });
    // Their answer is kept, but the case's course follows the first complainant's.
    expect(called).toMatchObject({ status: 'callback', onDuty: 'registrar:reg-1' });
    expect(await original.rejected('recordCallback', { actor: actors.registrar, outcome: 'satisfied', for: third.complaint.id })).toMatch(/can be called/);
    const closed = await original.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    expect(closed.status).toBe('closed');
    expect(closed.callbacks.map((c) => [c.outcome, c.for ?? null])).toEqual([
      ['unsatisfied', duplicate.complaint.id],
      ['satisfied', null],
    ]);
  });

  it('escalates a repeat at assignment only when the earlier reports stayed unresolved (policy), not for a repeat of a case long closed', async () => {
    const ofClosed = await startCase({ repeatOf: ['20260101-aaaaaaaaaa'] });
    await ofClosed.act('accept', { actor: actors.registrar });
    expect((await ofClosed.act('assign', { actor: actors.registrar, unit: unitA })).escalation.tier).toBe(0);
    const ofOpen = await startCase({
      repeatOf: ['20261101-bbbbbbbbbb', '20261102-cccccccccc'],
      unresolvedRepeatOf: ['20261101-bbbbbbbbbb', '20261102-cccccccccc'],
    });
    await ofOpen.act('accept', { actor: actors.registrar });
    expect((await ofOpen.act('assign', { actor: actors.registrar, unit: unitA })).escalation).toMatchObject({ tier: 1, reason: 'repeat complaint' });
  });

  it('holds a merge by repeat detection for the registrar: split off, the case runs on its own; undecided, the merge stands at its deadline', async () => {
    const original = await caseInProgress();
    const detected = () => CaseDriver.start(suite.env, taskQueue, { ...workflowInput(makeComplaint()), mergeInto: original.complaint.id });
    const toSplit = await detected();
    const merged = await toSplit.view();
    expect(merged).toMatchObject({ status: 'merged', mergedInto: original.complaint.id, mergeUnconfirmed: true, onDuty: 'registrar:reg-1' });
    await original.until((v) => v.repeatReports.some((r) => r.caseId === toSplit.complaint.id), 'the report merged in');
    const split = await toSplit.act('splitMerge', { actor: actors.registrar, reason: '不同排放口，另案办理' });
    expect(split).toMatchObject({ status: 'registered', onDuty: 'registrar:reg-1' });
    expect(split.mergedInto).toBeUndefined();
    expect(split.deadlines.dispatch).toBeDefined();
    const dropped = await original.until((v) => original.kinds(v).includes('repeat_split'), 'the split report dropped');
    expect(dropped.repeatReports.map((r) => r.caseId)).not.toContain(toSplit.complaint.id);
    // Independent again: it is accepted and assigned as any case.
    await toSplit.act('accept', { actor: actors.registrar });
    expect((await toSplit.act('assign', { actor: actors.registrar, unit: unitB })).status).toBe('assigned');

    const undecided = await detected();
    const waiting = await undecided.view();
    await undecided.advanceTo(waiting.deadlines.mergeDecision!.dueAt, 1_000);
    const stood = await undecided.finished(recorded.projectedSeq);
    expect(stood).toMatchObject({ status: 'merged', mergedInto: original.complaint.id });
    expect(stood.mergeUnconfirmed).toBeUndefined();
    expect(stood.timeline.at(-1)).toMatchObject({ kind: 'merge_confirmed', actor: 'system:timer' });
  });

  it('sends a refused case back for reassignment and keeps the refusing unit out', async () => {
    const c = await startCase();
    await c.act('accept', { actor: actors.registrar });
    await c.act('assign', { actor: actors.registrar, unit: unitA });
    const refused = await c.act('refuseJurisdiction', { actor: actors.unitA, reason: '不在本辖区' });
    expect(refused.status).toBe('accepted');
    expect(refused.deadlines.handling).toBeUndefined();
    expect(await c.rejected('assign', { actor: actors.registrar, unit: unitA })).toMatch(/already refused/);
    const reassigned = await c.act('assign', { actor: actors.registrar, unit: unitB });
    expect(reassigned.unit?.id).toBe('unit-b');
    // The old unit can no longer act on the case.
    expect(await c.rejected('acknowledge', { actor: actors.unitA })).toMatch(/not the unit handling/);
  });

  it('raises both warnings at their instants, then supervision, then climbs the leader tiers', async () => {
    const c = await caseInProgress();
    const start = await c.view();
    const { warning1, warning2, handling, escalation } = start.deadlines;
    if (!warning1 || !warning2 || !handling || !escalation) throw new Error('handling window not open');

    await c.advanceTo(warning1.dueAt, -60_000);
    expect((await c.view()).warnings).toHaveLength(0);
    await c.advanceTo(warning1.dueAt, 1_000);
    let view = await c.until((v) => v.warnings.length === 1, 'the first warning');
    expect(Date.parse(view.warnings[0]!.at)).toBeGreaterThanOrEqual(Date.parse(warning1.dueAt));

    await c.advanceTo(warning2.dueAt, -60_000);
    expect((await c.view()).warnings).toHaveLength(1);
    await c.advanceTo(warning2.dueAt, 1_000);
    view = await c.until((v) => v.warnings.length === 2, 'the second warning');
    expect(view.overdue).toBe(false);
    await c.settled(recorded.projectedSeq);
    // The first warning goes to the unit; the second also to its superior (patch warning2-copies-superior).
    expect(
      recorded
        .noticesOf(c.complaint.id)
        .filter((n) => n.kind === 'warning')
        .map((n) => `${n.params.level}->${n.recipient}`),
    ).toEqual(['1->unit:unit-a', '2->unit:unit-a', '2->superior-of:unit-a']);

    await c.advanceTo(handling.dueAt, 1_000);
    view = await c.until((v) => v.overdue, 'overdue');
    await c.settled(recorded.projectedSeq);
    const supervision = recorded
      .noticesOf(c.complaint.id)
      .filter((n) => n.kind === 'supervision')
      .map((n) => n.recipient);
    expect(supervision).toEqual(['unit:unit-a', 'superior-of:unit-a']);
    expect(view.escalation.tier).toBe(0);

    await c.advanceTo(escalation.dueAt, -60_000);
    expect((await c.view()).escalation.tier).toBe(0);
    await c.advanceTo(escalation.dueAt, 1_000);
    view = await c.until((v) => v.escalation.tier === 1 && v.escalation.owners.length === 1, 'tier 1 with its leader');
    expect(view.escalation.owners[0]).toEqual({ leaderId: 'leader-1', kind: 'system' });

    // Still overdue at each quarterly review: one tier up, to the city bureau leader and no further.
    for (const tier of [2, 3]) {
      await c.advanceTo(view.deadlines.leaderReview!.dueAt, 1_000);
      view = await c.until((v) => v.escalation.tier === tier, `tier ${tier}`);
    }
    await c.advanceTo(view.deadlines.leaderReview!.dueAt, 1_000);
    view = await c.until((v) => c.kinds(v).includes('leader_review'), 'a review at the top tier');
    expect(view.escalation.tier).toBe(3);

    // The owning leader records the plan and resolves the case.
    await c.act('recordLeaderPlan', { actor: actors.leader, plan: '一案一策：停产整治，月底复查' });
    expect(await c.rejected('recordLeaderPlan', { actor: { role: 'leader', id: 'someone-else' }, plan: 'x' })).toMatch(/only a leader who owns/);
    await c.act('submitResult', { actor: actors.unitA, ...result });
    const done = await c.act('recordCallback', { actor: actors.registrar, outcome: 'basically_satisfied' });
    expect(done.status).toBe('closed');
    expect(done.result?.onTime).toBe(false);
    expect(done.escalation.resolved).toBe(true);
  });

  it('moves the deadline when an extension is approved, once only', async () => {
    const c = await caseInProgress();
    const before = (await c.view()).deadlines.handling!.dueAt;
    await c.act('requestExtension', { actor: actors.unitA, days: 5, reason: '需第三方检测' });
    const approved = await c.act('approveExtension', { actor: actors.supervisor, reason: '检测周期合理' });
    expect(Date.parse(approved.deadlines.handling!.dueAt)).toBeGreaterThan(Date.parse(before));
    expect(approved.extension?.decision).toBe('approved');
    expect(await c.rejected('requestExtension', { actor: actors.unitA, days: 3, reason: '再延' })).toMatch(/only one/);
    // The complainant is told the new deadline, and why: the unit's reason.
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).find((n) => n.kind === 'case_extended')).toMatchObject({
      recipient: 'complainant',
      params: { dueAt: approved.deadlines.handling!.dueAt, reason: '需第三方检测' },
    });
  });

  it('sends an extension request to the supervisors with a decision deadline, reminds them when it passes, and allows another after a rework', async () => {
    const c = await caseInProgress();
    const requested = await c.act('requestExtension', { actor: actors.unitA, days: 5, reason: '需第三方检测' });
    const decisionDue = requested.deadlines.extensionDecision!.dueAt;
    await c.settled(recorded.projectedSeq);
    const toSupervisors = () => recorded.noticesOf(c.complaint.id).filter((n) => n.kind === 'supervision' && n.recipient === 'supervisor');
    expect(toSupervisors().map((n) => n.params.reason)).toEqual(['extension requested: decide']);

    await c.advanceTo(decisionDue, 1_000);
    const reminded = await c.until((v) => c.kinds(v).includes('extension_decision_overdue'), 'the reminder');
    await c.settled(recorded.projectedSeq);
    expect(toSupervisors().map((n) => n.params.reason)).toEqual(['extension requested: decide', 'extension request awaiting decision']);
    expect(reminded.timeline.at(-1)?.data).toEqual({ dueAt: decisionDue });

    const denied = await c.act('denyExtension', { actor: actors.supervisor, reason: '理由不充分' });
    expect(denied.deadlines.extensionDecision).toBeUndefined();
    expect(await c.rejected('requestExtension', { actor: actors.unitA, days: 3, reason: '再申请' })).toMatch(/in this handling window/);

    // A rework opens a new handling window: the unit may ask again.
    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied' });
    await c.act('returnForRework', { actor: actors.supervisor, reason: '诉求合理' });
    const again = await c.act('requestExtension', { actor: actors.unitA, days: 3, reason: '整改需采购设备' });
    expect(again.extension).toMatchObject({ days: 3, window: again.window });
    expect(again.deadlines.extensionDecision).toBeDefined();
  });

  it("holds a not-substantiated result for the bureau's review, reminds the supervisors when it is late, and replies once approved", async () => {
    const c = await caseInProgress();
    const notFound = { finding: 'not_substantiated' as const, actions: ['inspection' as const], reply: '经现场核查，未发现夜间生产。' };
    const held = await c.act('submitResult', { actor: actors.unitA, ...notFound });
    expect(held).toMatchObject({ status: 'result_review', onDuty: 'supervisor' });
    expect(held.deadlines.callback).toBeUndefined();
    const reviewDue = held.deadlines.resultReview!.dueAt;
    await c.settled(recorded.projectedSeq);
    const kinds = () => recorded.noticesOf(c.complaint.id).map((n) => `${n.kind}->${n.recipient}`);
    // The complainant hears nothing of a result still under review.
    expect(kinds()).not.toContain('result_reply->complainant');
    expect(kinds()).toContain('supervision->supervisor');
    expect(await c.rejected('recordCallback', { actor: actors.registrar, outcome: 'satisfied' })).toMatch(/result_review/);

    await c.advanceTo(reviewDue, 1_000);
    await c.until((v) => c.kinds(v).includes('result_review_overdue'), 'the review reminder');
    const approved = await c.act('approveResult', { actor: actors.supervisor, note: '核查属实' });
    expect(approved.status).toBe('callback');
    expect(approved.deadlines.resultReview).toBeUndefined();
    expect(approved.deadlines.callback).toBeDefined();
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).find((n) => n.kind === 'result_reply')?.params).toMatchObject({ finding: 'not_substantiated' });
  });

  it('sends a result the review rejects back to the unit for rework, and replies at once to a finding the policy does not review', async () => {
    const c = await caseInProgress();
    await c.act('submitResult', { actor: actors.unitA, finding: 'not_substantiated', actions: ['inspection'], reply: '未发现问题' });
    expect(await c.rejected('approveResult', { actor: actors.unitA })).toMatch(/not allowed for role unit/);
    const rejected = await c.act('rejectResult', { actor: actors.supervisor, reason: '核查不充分，应夜间复查' });
    expect(rejected).toMatchObject({ status: 'rework', reworkCount: 1, onDuty: 'unit:unit-a' });
    expect(c.kinds(rejected).slice(-2)).toEqual(['result_rejected', 'returned_for_rework']);
    const replied = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(replied.status).toBe('callback');
  });

  it("takes a supervisor's supervision order (督办) with a reply deadline, marks it overdue when unanswered, and records the unit's late answer", async () => {
    const c = await caseInProgress();
    const ordered = await c.act('supervise', { actor: actors.supervisor, note: '群众反映强烈，请三日内书面回复' });
    const replyDue = ordered.deadlines.supervisionReply!.dueAt;
    expect(ordered.supervisions).toEqual([expect.objectContaining({ note: '群众反映强烈，请三日内书面回复', by: actors.supervisor.id, dueAt: replyDue })]);
    expect(await c.rejected('supervise', { actor: actors.supervisor, note: '再次督办' })).toMatch(/already awaits its answer/);
    await c.settled(recorded.projectedSeq);
    const supervisionsTo = () =>
      recorded
        .noticesOf(c.complaint.id)
        .filter((n) => n.kind === 'supervision')
        .map((n) => `${n.recipient}:${String(n.params.reason)}`);
    expect(supervisionsTo()).toEqual(['unit:unit-a:群众反映强烈，请三日内书面回复', 'superior-of:unit-a:群众反映强烈，请三日内书面回复']);

    await c.advanceTo(replyDue, 1_000);
    const late = await c.until((v) => c.kinds(v).includes('supervision_reply_overdue'), 'the unanswered supervision');
    expect(late.supervisions[0]?.overdue).toBe(true);
    await c.settled(recorded.projectedSeq);
    expect(supervisionsTo().slice(2)).toEqual(['superior-of:unit-a:supervision order unanswered', 'supervisor:supervision order unanswered']);

    const answered = await c.act('answerSupervision', { actor: actors.unitA, reply: '已约谈企业负责人，限期整改' });
    expect(answered.supervisions[0]?.reply).toMatchObject({ note: '已约谈企业负责人，限期整改', onTime: false });
    expect(answered.deadlines.supervisionReply).toBeUndefined();
    expect(await c.rejected('answerSupervision', { actor: actors.unitA, reply: 'x' })).toMatch(/no supervision order/);
    // Answered, a new order may follow; in time, its answer is on time.
    await c.act('supervise', { actor: actors.supervisor, note: '请报送整改照片', days: 1 });
    const again = await c.act('answerSupervision', { actor: actors.unitA, reply: '已报送' });
    expect(again.supervisions.map((v) => v.reply?.onTime)).toEqual([false, true]);
  });

  it('stops the clock while a third party supplies what is missing: no warning fires, and the deadlines move by the working days it stood still', async () => {
    const c = await caseInProgress();
    const before = await c.view();
    const paused = await c.act('pause', { actor: actors.unitA, awaiting: 'third_party', party: '第三方检测机构', question: '需检测废水pH值', days: 15 });
    expect(paused.pauses).toEqual([expect.objectContaining({ awaiting: 'third_party', party: '第三方检测机构', by: actors.unitA.id })]);
    expect(await c.rejected('pause', { actor: actors.unitA, awaiting: 'third_party', party: 'x', question: 'y', days: 1 })).toMatch(/already stopped/);
    // The first warning's instant passes while the clock stands still: nothing fires.
    await c.advanceTo(before.deadlines.warning1!.dueAt, 3_600_000);
    await c.settled(recorded.projectedSeq);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ paused: true, pauseCount: 1 });
    const resumed = await c.act('resume', { actor: actors.unitA, answer: '检测报告已收到，pH 值超标' });
    expect(c.kinds(resumed)).not.toContain('warning');
    const moved = resumed.pauses[0]!.workingDays!;
    expect(moved).toBeGreaterThanOrEqual(7);
    // Each deadline of the clock moves by exactly those working days.
    const calendar = workflowInput(c.complaint).calendar;
    expect(resumed.deadlines.handling!.dueAt).toBe(workingDeadline(calendar, before.deadlines.handling!.dueAt, moved).dueAt);
    expect(resumed.deadlines.warning2!.dueAt).toBe(workingDeadline(calendar, before.deadlines.warning2!.dueAt, moved).dueAt);
    expect(resumed.timeline.at(-1)).toMatchObject({ kind: 'clock_resumed', data: { workingDays: moved, dueAt: resumed.deadlines.handling!.dueAt } });
    // Running again, the moved warning fires once at its new instant.
    await c.advanceTo(resumed.deadlines.warning1!.dueAt, 1_000);
    const warned = await c.until((v) => c.kinds(v).includes('warning'), 'the moved warning');
    expect(warned.warnings).toHaveLength(1);
    await c.settled(recorded.projectedSeq);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ paused: false, pauseCount: 1, pausedWorkingDays: moved });
  });

  it('asks the complainant for what is missing, runs the clock again when the answer is late, and restarts it before a result', async () => {
    const c = await caseInProgress();
    const paused = await c.act('pause', { actor: actors.unitA, awaiting: 'complainant', question: '请提供夜间噪声发生的具体时段', days: 2 });
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).find((n) => n.kind === 'information_requested')).toMatchObject({
      recipient: 'complainant',
      params: { question: '请提供夜间噪声发生的具体时段', dueAt: paused.deadlines.pauseAnswer!.dueAt },
    });
    await c.advanceTo(paused.deadlines.pauseAnswer!.dueAt, 1_000);
    const expired = await c.until((v) => c.kinds(v).includes('clock_resumed'), 'the clock running again');
    expect(expired.pauses[0]).toMatchObject({ expired: true, workingDays: 2 });
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).at(-1)).toMatchObject({ kind: 'supervision', recipient: 'unit:unit-a' });

    // Stopped again, a result starts the clock first: the result is judged on a running clock.
    await c.act('pause', { actor: actors.unitA, awaiting: 'third_party', party: '自然资源局', question: '核实用地性质', days: 5 });
    const submitted = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(c.kinds(submitted).slice(-2)).toEqual(['clock_resumed', 'result_submitted']);
    expect(submitted.pauses.map((p) => p.resumedAt !== undefined)).toEqual([true, true]);
    expect(await c.rejected('pause', { actor: actors.unitA, awaiting: 'complainant', question: 'x', days: 1 })).toMatch(/cannot pause a case that is callback/);
  });

  it('keeps attachments by reference (id and hash, never the bytes), at most once each, after closing too', async () => {
    const c = await caseInProgress();
    const file = { kind: 'evidence_photo' as const, name: '现场照片.jpg', mimeType: 'image/jpeg' as const, size: 2048, sha256: 'a'.repeat(64) };
    const attached = await c.act('attach', { actor: actors.unitA, id: 'A'.repeat(22), ...file });
    expect(attached.attachments).toEqual([expect.objectContaining({ id: 'A'.repeat(22), sha256: 'a'.repeat(64), by: actors.unitA.id })]);
    expect(attached.timeline.at(-1)).toMatchObject({ kind: 'attachment_added', data: { name: '现场照片.jpg', size: 2048 } });
    expect(await c.rejected('attach', { actor: actors.unitA, id: 'A'.repeat(22), ...file })).toMatch(/already on the case/);
    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    const penalty = { ...file, kind: 'penalty_decision' as const, name: '处罚决定书.pdf', mimeType: 'application/pdf' as const };
    const closed = await c.act('attach', { actor: actors.supervisor, id: 'B'.repeat(22), ...penalty });
    expect(closed.status).toBe('closed');
    expect(closed.attachments?.map((a) => a.kind)).toEqual(['evidence_photo', 'penalty_decision']);
  });

  it('keeps the deadline when an extension is denied', async () => {
    const c = await caseInProgress();
    const before = (await c.view()).deadlines.handling!.dueAt;
    await c.act('requestExtension', { actor: actors.unitA, days: 5, reason: '人手不足' });
    const denied = await c.act('denyExtension', { actor: actors.supervisor, reason: '理由不充分' });
    expect(denied.deadlines.handling!.dueAt).toBe(before);
    expect(denied.extension?.decision).toBe('denied');
    expect(await c.rejected('approveExtension', { actor: actors.supervisor, reason: 'x' })).toMatch(/no extension request/);
  });

  it('returns an unsatisfied, reasonable complaint for rework and escalates at the second rework', async () => {
    const c = await caseInProgress();
    await c.act('submitResult', { actor: actors.unitA, ...result });
    const unsatisfied = await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied', note: '仍有异味' });
    expect(unsatisfied.onDuty).toBe('supervisor');
    expect(await c.rejected('recordCallback', { actor: actors.registrar, outcome: 'satisfied' })).toMatch(/supervisor decides/);
    const rework = await c.act('returnForRework', { actor: actors.supervisor, reason: '诉求合理，异味仍存在' });
    expect(rework.status).toBe('rework');
    expect(rework.reworkCount).toBe(1);
    expect(rework.escalation.tier).toBe(0);
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).some((n) => n.kind === 'rework')).toBe(true);
    expect(recorded.noticesOf(c.complaint.id).find((n) => n.kind === 'case_reworked')).toMatchObject({
      recipient: 'complainant',
      params: { dueAt: rework.deadlines.handling!.dueAt },
    });

    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied' });
    const second = await c.act('returnForRework', { actor: actors.supervisor, reason: '第二次整改' });
    expect(second.reworkCount).toBe(2);
    expect(second.escalation.tier).toBe(1);
  });

  it('keeps every callback round through reworks, and the first-time satisfaction beside the final one', async () => {
    const c = await caseInProgress();
    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unreachable' });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied', note: '仍有异味' });
    const rework = await c.act('returnForRework', { actor: actors.supervisor, reason: '诉求合理，异味仍存在' });
    // The new result starts a new round: the attempts count afresh, and the first round stays.
    expect(rework.callbacks).toEqual([]);
    expect(rework.callbackRounds.map((round) => round.map((a) => a.outcome))).toEqual([['unreachable', 'unsatisfied']]);
    await c.act('submitResult', { actor: actors.unitA, ...result });
    const closed = await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    expect(closed.status).toBe('closed');
    expect(closed.callbacks.map((a) => a.outcome)).toEqual(['satisfied']);
    expect(closed.callbackRounds).toHaveLength(1);
    await c.settled(recorded.projectedSeq);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ satisfaction: 'satisfied', firstSatisfaction: 'unsatisfied' });
  });

  it('closes after the last unreachable callback attempt', async () => {
    const c = await caseInProgress();
    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unreachable' });
    const second = await c.act('recordCallback', { actor: actors.registrar, outcome: 'unreachable' });
    expect(second.status).toBe('callback');
    const third = await c.act('recordCallback', { actor: actors.registrar, outcome: 'unreachable' });
    expect(third.status).toBe('closed');
    expect(third.closeReason).toMatch(/unreachable after 3 attempts/);
  });

  it('skips the callback of an anonymous complaint', async () => {
    const c = await caseInProgress({ complainant: { anonymous: true } });
    const view = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(view.status).toBe('closed');
    expect(view.closeReason).toMatch(/anonymous/);
    // Nobody to notify: no notice goes to an anonymous complainant.
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).filter((n) => n.recipient === 'complainant')).toEqual([]);
  });

  it('alerts the duty leader when an urgent case misses its 30 minutes on the wall clock', async () => {
    const c = await startCase({ urgent: true, category: 'noise' });
    const due = (await c.view()).deadlines.rapidResponse!;
    expect(Date.parse(due.dueAt) - Date.parse(c.complaint.receivedAt)).toBe(30 * 60_000);
    await c.advanceTo(due.dueAt, 1_000);
    const view = await c.until((v) => c.kinds(v).includes('rapid_response_missed'), 'the rapid-response alert');
    expect(view.status).toBe('registered');
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).map((n) => n.recipient)).toContain('duty-leader');
  });

  it('records an on-site report within the 30 minutes without an alert', async () => {
    const c = await startCase({ urgent: true });
    await c.act('accept', { actor: actors.registrar });
    await c.act('assign', { actor: actors.registrar, unit: unitA, dutyOfficer: 'duty-7' });
    const view = await c.act('reportOnSite', { actor: actors.unitA, report: '已到现场，噪声源为冷却塔' });
    expect(view.deadlines.rapidResponse).toBeUndefined();
    expect(view.timeline.at(-1)?.data).toEqual({ withinRapidResponse: true });
  });

  it('flags a dispatch that misses the channel deadline', async () => {
    const c = await startCase({ channel: 'letter' });
    const due = (await c.view()).deadlines.dispatch!;
    await c.advanceTo(due.dueAt, 1_000);
    await c.until((v) => c.kinds(v).includes('dispatch_overdue'), 'dispatch overdue');
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).map((n) => n.recipient)).toContain('registrar:reg-1');
  });

  it('puts a closed case drawn by the spot check under review and reopens it when the check fails', async () => {
    const c = await caseInProgress();
    await c.act('submitResult', { actor: actors.unitA, ...result });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    recorded.drawForSpotCheck([c.complaint.id]);
    const check = await suite.env.client.workflow.execute('spotCheckWorkflow', {
      taskQueue,
      workflowId: `spot-check-${c.complaint.id}`,
      args: [{ rate: 1, day: '2026-11-24' }],
    });
    expect(check.selected).toEqual([c.complaint.id]);
    const underReview = await c.until((v) => v.status === 'under_review', 'under review');
    // The supervisor has a deadline to decide, and is reminded when it passes.
    const decisionDue = underReview.deadlines.spotCheck!.dueAt;
    await c.advanceTo(decisionDue, 1_000);
    const reminded = await c.until((v) => c.kinds(v).includes('spot_check_overdue'), 'the spot-check reminder');
    expect(reminded).toMatchObject({ status: 'under_review', onDuty: 'supervisor' });
    await c.settled(recorded.projectedSeq);
    expect(
      recorded
        .noticesOf(c.complaint.id)
        .filter((n) => n.recipient === 'supervisor')
        .map((n) => n.params.reason),
    ).toEqual(['closed case drawn for spot check', 'spot check awaiting decision']);
    const failed = await c.act('recordSpotCheck', { actor: actors.supervisor, passed: false, note: '未附整改照片' });
    expect(failed.deadlines.spotCheck).toBeUndefined();
    expect(failed.status).toBe('rework');
    expect(failed.reworkCount).toBe(1);
    expect(failed.spotCheck?.passed).toBe(false);
  });

  it('lets a withdrawal end the case from any open state', async () => {
    const c = await caseInProgress();
    await c.act('withdraw', { actor: actors.integrator, reason: '问题已自行解决' });
    expect((await c.finished(recorded.projectedSeq)).status).toBe('withdrawn');
  });

  it('adds evidence and follow-up messages to the timeline', async () => {
    const c = await caseInProgress();
    const view = await c.act('addEvidence', { actor: actors.integrator, links: ['https://evidence.example/1.jpg'], message: '夜里又排了' });
    expect(view.complaint.evidence).toEqual(['https://evidence.example/1.jpg']);
    expect(await c.rejected('addEvidence', { actor: actors.integrator })).toMatch(/links, a message/);
  });

  it('opens a reward for a substantiated report in a reward category, warns when unpaid, and waits for payment', async () => {
    const c = await caseInProgress({ category: 'hazardous_waste_dumping', complainant: { anonymous: true } });
    const closed = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(closed.status).toBe('closed');
    const reward = closed.reward!;
    const months = (Date.parse(reward.dueAt) - Date.parse(reward.openedAt)) / 86_400_000;
    expect(months).toBeGreaterThanOrEqual(89);
    expect(months).toBeLessThanOrEqual(92);
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).map((n) => `${n.kind}->${n.recipient}`)).toContain('reward->supervisor');

    // Past the review window the case stays open while the reward is unpaid; past the due date it warns.
    await c.advanceTo(reward.dueAt, 1_000);
    const overdue = await c.until((v) => v.reward?.overdue === true, 'the overdue reward');
    expect(overdue.status).toBe('closed');
    expect((await c.handle.describe()).status.name).toBe('RUNNING');
    await c.settled(recorded.projectedSeq);
    expect(recorded.noticesOf(c.complaint.id).some((n) => n.kind === 'supervision' && n.params.reason === 'reward payment overdue')).toBe(true);

    expect(await c.rejected('recordRewardPaid', { actor: actors.registrar, reference: 'x' })).toMatch(/not allowed for role registrar/);
    // The amount first: one supervisor proposes, another approves.
    expect(await c.rejected('recordRewardPaid', { actor: actors.supervisor, reference: 'x' })).toMatch(/proposed and approved before/);
    await c.act('proposeReward', { actor: actors.supervisor, amountYuan: 5000, basis: '查实危险废物倾倒' });
    expect(await c.rejected('approveReward', { actor: actors.supervisor })).toMatch(/another supervisor/);
    await c.act('approveReward', { actor: otherSupervisor, note: '同意' });
    const paid = await c.act('recordRewardPaid', { actor: actors.supervisor, reference: 'PAY-0042' });
    expect(paid.timeline.at(-1)?.data).toEqual({ reference: 'PAY-0042', onTime: false, amountYuan: 5000 });
    expect((await c.finished(recorded.projectedSeq)).reward?.paidAt).toBeDefined();
  });

  it('opens a reward for the violation found (a penalty) whatever the category; the amount is approved and the anonymous reporter claims it with the code', async () => {
    const claimCodeHash = 'a'.repeat(64);
    const c = await caseInProgress({ category: 'water', complainant: { anonymous: true }, claimCodeHash });
    const released = await c.act('submitResult', {
      actor: actors.unitA,
      finding: 'partly_substantiated',
      actions: ['inspection', 'penalty'],
      reply: '部分属实，已处罚',
    });
    expect(released.status).toBe('closed');
    expect(released.reward).toMatchObject({ eligibleBy: { actions: ['penalty'] }, approvalRequired: true, overdue: false });
    expect(released.timeline.find((e) => e.kind === 'reward_opened')?.data).toMatchObject({ actions: ['penalty'] });

    // The policy's ceiling; a registrar may propose, and a new proposal replaces the last until approved.
    expect(await c.rejected('proposeReward', { actor: actors.registrar, amountYuan: 100_001, basis: '超额' })).toMatch(/at most 100000 yuan/);
    await c.act('proposeReward', { actor: actors.registrar, amountYuan: 1000, basis: '罚款十万元，按办法计奖' });
    const proposed = await c.act('proposeReward', { actor: actors.supervisor, amountYuan: 3000, basis: '按罚款额的3%计奖' });
    expect(proposed.reward?.proposal).toMatchObject({ amountYuan: 3000, by: actors.supervisor.id });
    await c.settled(recorded.projectedSeq);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ rewardAmountYuan: 3000, rewardApproval: 'proposed', rewardPaidAt: null });
    await c.act('approveReward', { actor: otherSupervisor });
    expect(await c.rejected('proposeReward', { actor: actors.supervisor, amountYuan: 10, basis: '改' })).toMatch(/already approved/);

    // An anonymous reporter is paid only once they claimed it with the code they were told.
    expect(await c.rejected('recordRewardPaid', { actor: actors.supervisor, reference: 'PAY-1' })).toMatch(/not claimed/);
    expect(await c.rejected('claimReward', { actor: claimant, codeSha256: 'b'.repeat(64) })).toMatch(/does not match/);
    const claimed = await c.act('claimReward', { actor: claimant, codeSha256: claimCodeHash });
    expect(claimed.reward?.claimedAt).toBeDefined();
    expect(await c.rejected('claimReward', { actor: claimant, codeSha256: claimCodeHash })).toMatch(/already claimed/);

    // Past its due date unpaid: overdue, on the read side too.
    await c.advanceTo(released.reward!.dueAt, 1_000);
    await c.until((v) => v.reward?.overdue === true, 'the overdue reward');
    await c.settled(recorded.projectedSeq);
    expect(recorded.projectionOf(c.complaint.id)).toMatchObject({ rewardOverdue: true, rewardApproval: 'approved' });
    await c.act('recordRewardPaid', { actor: actors.supervisor, reference: 'PAY-1' });
    const final = await c.finished(recorded.projectedSeq);
    expect(c.kinds(final).filter((k) => k.startsWith('reward_'))).toEqual([
      'reward_opened',
      'reward_proposed',
      'reward_proposed',
      'reward_approved',
      'reward_claimed',
      'reward_overdue',
      'reward_paid',
    ]);
    expect(recorded.noticesOf(c.complaint.id).map((n) => n.params.reason)).toEqual(expect.arrayContaining(['reward amount to approve', 'reward claimed']));
  });

  it('opens no reward for an order to rectify alone, nor for a case whose result found nothing', async () => {
    const c = await caseInProgress({ category: 'water', complainant: { anonymous: true } });
    expect(
      (await c.act('submitResult', { actor: actors.unitA, finding: 'substantiated', actions: ['order_to_rectify'], reply: '已责令整改' })).reward,
    ).toBeUndefined();
    expect(await c.rejected('proposeReward', { actor: actors.supervisor, amountYuan: 100, basis: '无' })).toMatch(/no reward/);
  });

  it('opens no reward for a category outside the reward list', async () => {
    const c = await caseInProgress({ category: 'water', complainant: { anonymous: true } });
    expect((await c.act('submitResult', { actor: actors.unitA, ...result })).reward).toBeUndefined();
  });
});
