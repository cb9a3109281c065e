import { ApplicationFailure, patched } from '@temporalio/workflow';
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import {
  close,
  closeWindow,
  confirmMergeOf,
  currentRules,
  escalate,
  extendWindow,
  finish,
  firstReceiverOf,
  handlingStatuses,
  isRapidResponse,
  markDispatched,
  newCase,
  notify,
  openStatuses,
  openWindow,
  record,
  registrarRecipient,
  restartClock,
  startRapidResponse,
  startRework,
  stopClock,
  superiorRecipient,
  tellComplainant,
  tellMergedComplainants,
  unitRecipient,
  type RegistrationRules,
} from './case';
import { clockStopped, firedKey, workingDeadline } from './deadlines';
import { checkAmount, openEarnedReward, whyNoApproval, whyNoClaim, whyNoPayment, whyNoProposal } from './rewards';
import { assignParts, checkCoUnit, waiveParts, workingParts } from './joint';
import { dispatchWorkingDays } from './policy';
import { CallbackOutcomeSchema, CaseId, caseIdPattern, Days, LeaderOwnerSchema, Note, Reason, resultFields, Text, UnitSchema } from './fields';
import {
  attachmentKinds,
  attachmentTypes,
  pauseParties,
  statuses,
  type Actor,
  type CaseFacts,
  type CaseState,
  type ComplaintWorkflowInput,
  type Escalation,
  type RepeatReport,
  type Role,
  type Status,
} from './model';

/**
 * Every action a person can take on a case, as data: its arguments, who may take it, from which
 * statuses, to which status it moves the case, and what it does. The workflow turns each into an
 * Update whose validator applies these rules, so an illegal move is rejected before it enters the
 * history; the API makes each a route whose body, validation and OpenAPI come from `args`.
 * Adding an action means adding an entry here. docs/lifecycle.md shows the table.
 */

/** Who acts: the API derives it from the caller's credentials, never from the body. */
export interface ActionArgs {
  actor: Actor;
}

type Args<S extends TObject> = Static<S> & ActionArgs;

interface ActionSpec<S extends TObject> {
  /** What the person fills in. Required fields must be present and, for text, not blank. */
  args: S;
  /** The route under /complaints/{id}/ and its one-line summary (zh in brackets). */
  path: string;
  summary: string;
  /** A supervisor's override: supervisors only, whatever else the workflow would allow. */
  override?: true;
  /**
   * No route of its own under /complaints/{id}/: its public route (api/routes/rewards.ts) checks
   * the caller and fills in the arguments, and the console never offers it.
   */
  internal?: true;
  /**
   * Its route takes a file, not JSON (api/routes/attachments.ts): the route stores the bytes and
   * fills in the arguments (id, hash, size, type) itself, so no caller names them.
   */
  upload?: true;
  /** 首接负责: a registrar takes it only as the case's first receiver; on a case nobody has claimed, taking it claims it. */
  firstReceiver?: true;
  roles: readonly Role[];
  from: readonly Status[];
  /** Where the action moves the case: the first, unless `apply` returns another of them. None: it stays. */
  to?: readonly Status[];
  /** Rules on the case and the person alone, known before the form is filled (the console offers only what passes). */
  when?: (state: CaseFacts, actor: Actor) => string | undefined;
  /** Rules on what the person filled in; returns the reason to reject, if any. */
  check?: (state: CaseState, args: Args<S>) => string | undefined;
  apply: (state: CaseState, args: Args<S>, now: string) => Status | void;
}

/** Keeps each entry's argument type its own (inferred from `args`). */
const action = <S extends TObject>(spec: ActionSpec<S>): ActionSpec<S> => spec;
const body = <P extends TProperties>(properties: P) => Type.Object(properties, { additionalProperties: false });
const reasoned = body({ reason: Reason });

/** Each reference stays in the case's state, and so in its history at every step: a bound keeps the history small. */
const maxAttachments = 100;

const handlingOrAccepted: readonly Status[] = ['accepted', ...handlingStatuses];
/** Where a clock runs that may stop for missing information: the dispatch's, then the handling's. */
const pausable: readonly Status[] = ['registered', ...handlingOrAccepted];

function checkDays(days: number, max: number): string | undefined {
  if (!Number.isInteger(days) || days < 1) return 'days must be a whole number of working days, at least 1';
  if (days > max) return `days must be at most ${max} working days (policy)`;
  return undefined;
}

function ownsCase(state: CaseFacts, actor: Actor): boolean {
  return state.escalation.owners.some((o) => o.leaderId === actor.id);
}

/** Whether the first-receiver rule (policy `firstReceiverOnly`) makes `actor` wait for, or take, the case. */
function firstReceiverRule(state: CaseFacts, actor: Actor): 'claims' | 'theirs' | 'not theirs' | 'open' {
  if (!state.policy.firstReceiverOnly || actor.role !== 'registrar') return 'open';
  const firstReceiver = firstReceiverOf(state);
  if (firstReceiver === undefined) return 'claims';
  return firstReceiver === actor.id ? 'theirs' : 'not theirs';
}

function claim(state: CaseState, actor: Actor, now: string): void {
  state.firstReceiver = actor.id;
  record(state, now, 'claimed', actor);
}

/**
 * Whether the case's repeats escalate it to a leader (领导包案). Before the policy (issue 18) every
 * repeat did (`oldRule`); now only the policy's count of unresolved reports: this one, the reports
 * merged into it, and the earlier cases still open at its registration.
 */
function repeatsEscalate(state: CaseState, oldRule: boolean): boolean {
  if (!patched('repeat-escalation-by-policy')) return oldRule;
  const reports = 1 + state.repeatReports.length + (state.complaint.unresolvedRepeatOf?.length ?? 0);
  return reports >= (state.policy.repeatEscalationReports ?? 3);
}

/** A merge by repeat detection waits for the registrar's decision (confirm or split). */
const mergeUndecided = (state: CaseFacts) => (state.mergeUnconfirmed ? undefined : 'the merge waits for no decision');

/** The callbacks of the case's own complainant, not of the reports merged into it. */
export function firstComplainantCallbacks(state: CaseFacts): CaseFacts['callbacks'] {
  return state.callbacks.filter((c) => c.for === undefined);
}

/** The findings the bureau reviews: the case's policy's, or before the rule existed, not-substantiated ones. */
function reviewedFindings(state: CaseState): readonly string[] {
  return state.policy.resultReviewFindings ?? ['not_substantiated'];
}

/**
 * The result reaches the complainant: the reply, a reward if one is due, and the callback's
 * deadline, or the close of an anonymous case (nobody to call back).
 */
function releaseResult(state: CaseState, now: string): 'callback' | 'closed' {
  const { finding, reply } = state.result!;
  notify(state, 'result_reply', 'complainant', { finding, reply });
  tellMergedComplainants(state, 'result_reply', { finding, reply });
  openEarnedReward(state, now);
  if (state.complaint.complainant.anonymous) {
    close(state, 'anonymous complaint: callback skipped', 'system:policy', now);
    return 'closed';
  }
  state.deadlines.callback = workingDeadline(state.calendar, now, state.policy.callbackWorkingDays);
  return 'callback';
}

/** The supervision order that awaits the unit's answer, if any. */
function openSupervision(state: CaseFacts): CaseFacts['supervisions'][number] | undefined {
  const last = state.supervisions.at(-1);
  return last && !last.reply ? last : undefined;
}

function checkUnit(state: CaseState, unit: { id: string; name: string }): string | undefined {
  if (!unit.id || !unit.name) return 'unit needs an id and a name';
  if (state.refusedBy.includes(unit.id)) return `unit ${unit.id} has already refused jurisdiction of this case`;
  // 联合办理: a co-unit still working its part cannot lead the case too (a case without parts passes as before).
  if (workingParts(state).some((p) => p.unit.id === unit.id)) return `unit ${unit.id} is working a joint part of this case`;
  return undefined;
}

export const actions = {
  accept: action({
    args: body({ note: Type.Optional(Note) }),
    path: 'accept',
    summary: 'Accept the complaint (受理)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['registered'],
    to: ['accepted'],
    apply(state, { actor, note }, now) {
      state.acceptedAt = now;
      record(state, now, 'accepted', actor, note);
      const { queryCode } = state.complaint;
      notify(state, 'acceptance', 'complainant', { dispatchDueAt: state.deadlines.dispatch?.dueAt ?? '', ...(queryCode !== undefined ? { queryCode } : {}) });
    },
  }),
  notAccept: action({
    args: reasoned,
    path: 'not-accept',
    summary: 'Do not accept, with a reason (不予受理)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['registered'],
    to: ['not_accepted'],
    apply(state, { actor, reason }, now) {
      finish(state, 'not_accepted', actor, now, reason);
      notify(state, 'not_accepted', 'complainant', { reason });
    },
  }),
  transferOut: action({
    args: body({ department: Text(200, { example: '城管局' }), reason: Reason }),
    path: 'transfer-out',
    summary: 'Transfer to another department (转送)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['registered', 'accepted'],
    to: ['transferred_out'],
    apply(state, { actor, reason, department }, now) {
      finish(state, 'transferred_out', actor, now, reason);
      state.timeline.at(-1)!.data = { department };
      notify(state, 'transferred', 'complainant', { department, reason });
    },
  }),
  merge: action({
    args: body({ intoCaseId: CaseId, reason: Reason }),
    path: 'merge',
    summary: 'Merge into an open case about the same problem',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['registered'],
    to: ['merged'],
    check: (state, { intoCaseId }) => (intoCaseId === state.complaint.id ? 'a case cannot be merged into itself' : undefined),
    apply(state, { actor, reason, intoCaseId }, now) {
      state.mergedInto = intoCaseId;
      finish(state, 'merged', actor, now, reason);
      state.timeline.at(-1)!.data = { intoCaseId };
      state.outbox.push({ type: 'merge', intoCaseId });
      tellComplainant(state, 'case_merged', { intoCaseId });
    },
  }),
  confirmMerge: action({
    args: body({ note: Type.Optional(Note) }),
    path: 'merge/confirm',
    summary: 'Confirm a merge made by repeat detection (并案确认)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['merged'],
    when: mergeUndecided,
    apply(state, { actor, note }, now) {
      confirmMergeOf(state, actor, now, note);
    },
  }),
  splitMerge: action({
    args: reasoned,
    path: 'merge/split',
    summary: 'Split a case merged by repeat detection off again: an independent case with its own deadlines (拆分)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['merged'],
    to: ['registered'],
    when: mergeUndecided,
    apply(state, { actor, reason }, now) {
      const from = state.mergedInto!;
      delete state.mergeUnconfirmed;
      delete state.mergedInto;
      delete state.closedAt;
      delete state.closeReason;
      // Its own clock again, from the split: the registrar could not act on it while it was merged.
      state.deadlines = { dispatch: workingDeadline(state.calendar, now, dispatchWorkingDays(state.policy, state.complaint.channel)) };
      record(state, now, 'merge_split', actor, reason, { fromCaseId: from, dispatchDueAt: state.deadlines.dispatch?.dueAt });
      state.outbox.push({ type: 'split', fromCaseId: from });
    },
  }),
  claim: action({
    args: body({}),
    path: 'claim',
    summary: 'Claim a case from the district queue: become its first receiver (首接)',
    roles: ['registrar'],
    from: openStatuses,
    when: (state, actor) =>
      firstReceiverRule(state, actor) === 'claims' ? undefined : `the case already has its first receiver: ${firstReceiverOf(state) ?? '?'}`,
    apply(state, { actor }, now) {
      claim(state, actor, now);
    },
  }),
  handOver: action({
    args: body({ to: Text(100, { example: 'reg-2' }), reason: Reason }),
    path: 'hand-over',
    summary: 'Hand the case over to another registrar, who becomes its first receiver (移交)',
    roles: ['registrar', 'supervisor'],
    from: openStatuses,
    when(state, actor) {
      if (!state.policy.firstReceiverOnly) return 'this case predates first receivers: any registrar may take it';
      return actor.role === 'registrar' && firstReceiverRule(state, actor) !== 'theirs'
        ? 'only the first receiver or a supervisor may hand the case over'
        : undefined;
    },
    check: (state, { to }) => (to === firstReceiverOf(state) ? `${to} is already the first receiver` : undefined),
    apply(state, { actor, to, reason }, now) {
      const from = firstReceiverOf(state) ?? null;
      state.firstReceiver = to;
      record(state, now, 'handed_over', actor, reason, { from, to });
      notify(state, 'handover', `registrar:${to}`, { from: from ?? actor.id, reason });
    },
  }),
  warnUnit: action({
    args: body({ note: Note }),
    path: 'warn-unit',
    summary: 'The first receiver warns a slow unit (预警)',
    firstReceiver: true,
    roles: ['registrar'],
    from: handlingStatuses,
    apply(state, { actor, note }, now) {
      record(state, now, 'unit_warned', actor, note);
      notify(state, 'warning', unitRecipient(state), { level: 0, reason: note, dueAt: state.deadlines.handling?.dueAt ?? '' });
    },
  }),
  superviseUnit: action({
    args: body({ note: Note }),
    path: 'supervise-unit',
    summary: "The first receiver supervises a late unit (跟踪督办); the unit's superior is copied",
    firstReceiver: true,
    roles: ['registrar'],
    from: handlingStatuses,
    apply(state, { actor, note }, now) {
      record(state, now, 'unit_supervised', actor, note);
      const params = { reason: note, dueAt: state.deadlines.handling?.dueAt ?? '' };
      notify(state, 'supervision', unitRecipient(state), params);
      notify(state, 'supervision', superiorRecipient(state), params);
    },
  }),
  supervise: action({
    args: body({ note: Note, days: Type.Optional(Days) }),
    path: 'supervision',
    summary: "A supervisor's supervision order (督办): the unit answers in writing by its reply deadline",
    roles: ['supervisor'],
    from: handlingStatuses,
    when: (state) => (openSupervision(state) ? 'a supervision order already awaits its answer' : undefined),
    check: (state, { days }) => (days === undefined ? undefined : checkDays(days, state.policy.maxExtensionWorkingDays)),
    apply(state, { actor, note, days }, now) {
      const deadline = workingDeadline(state.calendar, now, days ?? state.policy.supervisionReplyWorkingDays ?? 3);
      state.deadlines.supervisionReply = deadline;
      state.supervisions.push({ note, by: actor.id, at: now, dueAt: deadline.dueAt });
      record(state, now, 'supervision_ordered', actor, note, { dueAt: deadline.dueAt });
      const params = { reason: note, replyDueAt: deadline.dueAt };
      notify(state, 'supervision', unitRecipient(state), params);
      notify(state, 'supervision', superiorRecipient(state), params);
    },
  }),
  answerSupervision: action({
    args: body({ reply: Note }),
    path: 'supervision/reply',
    summary: 'The unit answers the supervision order (督办回复)',
    roles: ['unit'],
    from: [...handlingStatuses, 'result_review', 'callback'],
    when: (state) => (openSupervision(state) ? undefined : 'no supervision order awaits an answer'),
    apply(state, { actor, reply }, now) {
      const supervision = openSupervision(state)!;
      supervision.reply = { note: reply, by: actor.id, at: now, onTime: now < supervision.dueAt };
      delete state.deadlines.supervisionReply;
      record(state, now, 'supervision_answered', actor, reply, { onTime: supervision.reply.onTime });
      notify(state, 'supervision', 'supervisor', { reason: 'supervision answered' });
    },
  }),
  pause: action({
    args: body({
      awaiting: Type.Enum(pauseParties),
      party: Type.Optional(Text(200, { example: '第三方检测机构' })),
      question: Note,
      days: Days,
    }),
    path: 'pause',
    summary: 'Stop the clock for missing information (中止/补充材料): ask the complainant or a third party, with a deadline for the answer',
    firstReceiver: true,
    roles: ['registrar', 'unit'],
    from: pausable,
    when: (state) => (clockStopped(state) ? 'the clock is already stopped: it waits for an answer' : undefined),
    check: (state, { awaiting, party, days }) =>
      checkDays(days, state.policy.maxPauseWorkingDays ?? 15) ??
      (awaiting === 'third_party' && !party?.trim() ? 'party is required when a third party is asked' : undefined) ??
      (awaiting === 'complainant' && state.complaint.complainant.anonymous ? 'an anonymous complainant cannot be asked' : undefined),
    apply(state, { actor, awaiting, party, question, days }, now) {
      stopClock(state, { awaiting, ...(party !== undefined ? { party } : {}), question, by: actor.id }, days, actor, now);
    },
  }),
  resume: action({
    args: body({ answer: Note }),
    path: 'pause/resume',
    summary: 'The answer came: the clock runs again, its deadlines moved by the working days it stood still',
    firstReceiver: true,
    roles: ['registrar', 'unit'],
    from: pausable,
    when: (state) => (clockStopped(state) ? undefined : 'the clock is not stopped'),
    apply(state, { actor, answer }, now) {
      restartClock(state, { answer }, actor, now);
    },
  }),
  assign: action({
    args: body({ unit: UnitSchema, dutyOfficer: Type.Optional(Text(100)) }),
    path: 'assign',
    summary: 'Assign to a handling unit (交办)',
    firstReceiver: true,
    roles: ['registrar'],
    from: ['accepted'],
    to: ['assigned'],
    check: (state, { unit }) => checkUnit(state, unit),
    apply(state, { actor, unit, dutyOfficer }, now) {
      state.unit = unit;
      if (dutyOfficer) state.dutyOfficer = dutyOfficer;
      if (state.dispatchedAt === undefined) markDispatched(state, now);
      openWindow(state, now, state.policy.handlingWorkingDays);
      record(state, now, 'assigned', actor, undefined, {
        unit: unit.id,
        level: unit.level,
        dueAt: state.deadlines.handling?.dueAt,
        dispatchedOnTime: state.dispatchedOnTime,
      });
      notify(state, 'assignment', unitRecipient(state), { dueAt: state.deadlines.handling?.dueAt ?? '' });
      tellComplainant(state, 'case_assigned', { unit: unit.name, dueAt: state.deadlines.handling?.dueAt ?? '' });
      const repeated = state.complaint.repeatOf.length > 0 || state.repeatReports.length > 0;
      if (repeated && state.escalation.tier === 0 && repeatsEscalate(state, state.complaint.repeatOf.length > 0)) {
        escalate(state, 1, 'repeat complaint', 'system:policy', now);
      }
    },
  }),
  rapidDispatch: action({
    args: body({ unit: UnitSchema, dutyOfficer: Type.Optional(Text(100)) }),
    path: 'rapid-dispatch',
    summary: '值班快速出警: accept and assign to the rapid team in one move',
    firstReceiver: true,
    roles: ['registrar', 'supervisor'],
    from: ['registered'],
    to: ['assigned'],
    // Who may: the duty officer on duty now for the case's district, or a supervisor. The
    // workflow cannot read the roster; the API checks it (api/routes/action-references.ts).
    check: (state, { unit }) => checkUnit(state, unit),
    apply(state, { actor, unit, dutyOfficer }, now) {
      const clock = state.deadlines.rapidResponse;
      // A clock still running keeps its earlier end; none, or one that already rang, starts now.
      const running = clock !== undefined && !state.fired.includes(firedKey(state, 'rapidResponse', clock));
      const before = state.timeline.length;
      acceptAndAssign(state, actor, unit, dutyOfficer, now);
      if (!running) startRapidResponse(state, now);
      const assigned = state.timeline.slice(before).find((e) => e.kind === 'assigned');
      if (assigned) assigned.data = { ...assigned.data, rapidDispatch: true, rapidResponseDueAt: state.deadlines.rapidResponse?.dueAt };
    },
  }),
  refuseJurisdiction: action({
    args: reasoned,
    path: 'refuse-jurisdiction',
    summary: 'The unit refuses jurisdiction',
    roles: ['unit'],
    from: ['assigned'],
    to: ['accepted'],
    apply(state, { actor, reason }, now) {
      const unitId = state.unit?.id ?? '';
      state.refusedBy.push(unitId);
      closeWindow(state);
      record(state, now, 'jurisdiction_refused', actor, reason, { unit: unitId });
      delete state.unit;
      notify(state, 'supervision', registrarRecipient(state), { reason, refusedBy: unitId });
    },
  }),
  acknowledge: action({
    args: body({}),
    path: 'acknowledge',
    summary: 'The unit signs for the case (签收)',
    roles: ['unit'],
    from: ['assigned'],
    to: ['in_progress'],
    apply(state, { actor }, now) {
      record(state, now, 'acknowledged', actor);
    },
  }),
  reportOnSite: action({
    args: body({ report: Note }),
    path: 'on-site-reports',
    summary: 'First on-site report',
    roles: ['unit'],
    from: ['assigned', 'in_progress'],
    to: ['in_progress'],
    apply(state, { actor, report }, now) {
      state.onSiteReportedAt ??= now;
      const due = state.deadlines.rapidResponse?.dueAt;
      delete state.deadlines.rapidResponse;
      record(state, now, 'on_site_report', actor, report, due ? { withinRapidResponse: now <= due } : {});
    },
  }),
  submitResult: action({
    args: body(resultFields('经现场核查，已责令整改')),
    path: 'result',
    summary: 'Submit the handling result (办结反馈)',
    roles: ['unit'],
    from: ['assigned', 'in_progress', 'rework'],
    // 联合办理: the lead unit consolidates the co-units' parts, so it waits for them (or for a
    // supervisor who waives them). A case without parts passes as before: no patch is needed.
    when: (state) => {
      const working = workingParts(state).map((p) => p.unit.id);
      return working.length > 0
        ? `joint parts are still being worked by ${working.join(', ')}: wait for their results or refusals, or ask a supervisor to waive them`
        : undefined;
    },
    // A finding the bureau reviews waits for it; an anonymous complainant cannot be called back: the case closes at once.
    to: ['callback', 'closed', 'result_review'],
    apply(state, { actor, finding, actions: taken, reply }, now) {
      const due = state.deadlines.handling?.dueAt;
      const onTime = due === undefined || now < due;
      state.result = { finding, actions: taken, reply, submittedAt: now, by: actor.id, onTime };
      closeWindow(state);
      delete state.deadlines.rapidResponse;
      const review = reviewedFindings(state).includes(finding) && patched('result-review');
      record(state, now, 'result_submitted', actor, undefined, { finding, actions: taken, onTime, ...(review ? { review } : {}) });
      if (!review) return releaseResult(state, now);
      // Issue 18: the reply waits for the bureau's review (Jiangsu re-checks each not-substantiated result).
      state.deadlines.resultReview = workingDeadline(state.calendar, now, state.policy.resultReviewWorkingDays ?? 2);
      notify(state, 'supervision', 'supervisor', { reason: `result to review: ${finding}` });
      return 'result_review';
    },
  }),
  approveResult: action({
    args: body({ note: Type.Optional(Note) }),
    path: 'result-review/approve',
    summary: "Approve the unit's result after review (结果审核): the reply goes to the complainant",
    roles: ['supervisor'],
    from: ['result_review'],
    to: ['callback', 'closed'],
    apply(state, { actor, note }, now) {
      delete state.deadlines.resultReview;
      record(state, now, 'result_approved', actor, note, { finding: state.result?.finding });
      return releaseResult(state, now);
    },
  }),
  rejectResult: action({
    args: reasoned,
    path: 'result-review/reject',
    summary: "Reject the unit's result after review: back to the unit for rework (退回重办)",
    roles: ['supervisor'],
    from: ['result_review'],
    to: ['rework'],
    apply(state, { actor, reason }, now) {
      delete state.deadlines.resultReview;
      record(state, now, 'result_rejected', actor, reason, { finding: state.result?.finding });
      startRework(state, reason, actor, now);
    },
  }),
  recordCallback: action({
    args: body({
      outcome: CallbackOutcomeSchema,
      note: Type.Optional(Note),
      for: Type.Optional(
        Type.String({ pattern: caseIdPattern, description: 'the case of a merged report whose complainant was called; absent: the first complainant' }),
      ),
    }),
    path: 'callbacks',
    summary: 'Record a callback attempt and the satisfaction (回访)',
    firstReceiver: true,
    // `system`: the complainant's own answer, through the survey link sent with the result.
    roles: ['registrar', 'system'],
    from: ['callback'],
    // Satisfied, or unreachable too often: closed. Otherwise it waits, for a supervisor if unsatisfied.
    to: ['callback', 'closed'],
    when: (state) =>
      firstComplainantCallbacks(state).some((c) => c.outcome === 'unsatisfied')
        ? 'the complainant was unsatisfied: a supervisor decides between rework and close'
        : undefined,
    check: (state, args) =>
      args.for === undefined || state.repeatReports.some((r) => r.caseId === args.for && r.complainant)
        ? undefined
        : `${args.for} is not a report merged into this case whose complainant can be called`,
    apply(state, { actor, outcome, note, for: merged }, now) {
      if (merged !== undefined) {
        // A merged report's complainant is called back like the first; the case's course follows the first's.
        state.callbacks.push({ outcome, at: now, by: actor.id, for: merged, ...(note !== undefined ? { note } : {}) });
        record(state, now, 'callback', actor, note, { outcome, for: merged });
        if (outcome === 'unsatisfied') notify(state, 'supervision', 'supervisor', { reason: `complainant of ${merged} unsatisfied` });
        return;
      }
      state.callbacks.push({ outcome, at: now, by: actor.id, ...(note !== undefined ? { note } : {}) });
      const attempt = firstComplainantCallbacks(state).length;
      record(state, now, 'callback', actor, note, { outcome, attempt });
      if (outcome === 'satisfied' || outcome === 'basically_satisfied') {
        close(state, `callback: ${outcome}`, actor, now);
        return 'closed';
      }
      if (outcome === 'unreachable' && attempt >= state.policy.callbackAttempts) {
        close(state, `callback: unreachable after ${attempt} attempts`, actor, now);
        return 'closed';
      }
      if (outcome === 'unsatisfied') {
        delete state.deadlines.callback;
        notify(state, 'supervision', 'supervisor', { reason: 'complainant unsatisfied: decide rework or close' });
      }
    },
  }),
  requestExtension: action({
    args: body({ days: Days, reason: Reason }),
    path: 'extension-request',
    summary: 'Ask for an extension (once per handling window)',
    roles: ['unit'],
    from: handlingStatuses,
    // One per handling window: after a rework the unit may ask again.
    when: (state) =>
      state.extension && (state.extension.window ?? state.window) === state.window
        ? `an extension was already ${state.extension.decision ?? 'requested'} in this handling window (only one is allowed)`
        : undefined,
    check: (state, { days }) => checkDays(days, state.policy.maxExtensionWorkingDays),
    apply(state, { actor, reason, days }, now) {
      state.extension = { days, reason, requestedBy: actor.id, requestedAt: now, window: state.window };
      record(state, now, 'extension_requested', actor, reason, { days });
      // Issue 18: the supervisors hear of it at once, and are reminded when they have not decided in time.
      if (patched('extension-to-supervisors')) {
        state.deadlines.extensionDecision = workingDeadline(state.calendar, now, state.policy.extensionDecisionWorkingDays ?? 2);
        notify(state, 'supervision', 'supervisor', { reason: 'extension requested: decide', days });
      }
    },
  }),
  approveExtension: action({
    args: reasoned,
    path: 'extension-request/approve',
    summary: 'Approve the pending extension',
    roles: ['supervisor'],
    from: handlingStatuses,
    when: (state) => (state.extension && !state.extension.decision ? undefined : 'no extension request is pending'),
    apply(state, { actor, reason }, now) {
      const extension = state.extension!;
      Object.assign(extension, { decision: 'approved', decidedBy: actor.id, decidedAt: now });
      delete state.deadlines.extensionDecision;
      extendWindow(state, extension.days, now);
      record(state, now, 'extension_approved', actor, reason, {
        days: extension.days,
        dueAt: state.deadlines.handling?.dueAt,
      });
      tellComplainant(state, 'case_extended', { dueAt: state.deadlines.handling?.dueAt ?? '', reason: extension.reason });
    },
  }),
  denyExtension: action({
    args: reasoned,
    path: 'extension-request/deny',
    summary: 'Deny the pending extension',
    roles: ['supervisor'],
    from: handlingStatuses,
    when: (state) => (state.extension && !state.extension.decision ? undefined : 'no extension request is pending'),
    apply(state, { actor, reason }, now) {
      Object.assign(state.extension!, { decision: 'denied', decidedBy: actor.id, decidedAt: now });
      delete state.deadlines.extensionDecision;
      record(state, now, 'extension_denied', actor, reason);
    },
  }),
  recordLeaderPlan: action({
    args: body({ plan: Note }),
    path: 'leader-plan',
    summary: 'The owning leader records the plan (一案一策)',
    roles: ['leader'],
    from: openStatuses,
    when: (state, actor) => (ownsCase(state, actor) ? undefined : 'only a leader who owns this case may record its plan'),
    apply(state, { actor, plan }, now) {
      state.escalation.plan = plan;
      record(state, now, 'leader_plan', actor, plan);
    },
  }),
  recordLeaderProgress: action({
    args: body({ note: Note, resolved: Type.Optional(Type.Boolean()) }),
    path: 'leader-progress',
    summary: 'The owning leader reports progress',
    roles: ['leader'],
    from: openStatuses,
    when: (state, actor) => (ownsCase(state, actor) ? undefined : 'only a leader who owns this case may report its progress'),
    apply(state, { actor, note, resolved }, now) {
      state.escalation.progress.push({ note, at: now, by: actor.id });
      if (resolved) {
        state.escalation.resolved = true;
        delete state.deadlines.leaderReview;
      }
      record(state, now, 'leader_progress', actor, note, { resolved: resolved === true });
    },
  }),
  withdraw: action({
    args: reasoned,
    path: 'withdraw',
    summary: 'The complainant withdraws (撤回)',
    roles: ['integrator', 'registrar'],
    from: openStatuses,
    to: ['withdrawn'],
    apply(state, { actor, reason }, now) {
      finish(state, 'withdrawn', actor, now, reason);
      if (state.unit) notify(state, 'supervision', unitRecipient(state), { reason: `withdrawn: ${reason}` });
    },
  }),
  addEvidence: action({
    args: body({
      links: Type.Optional(Type.Array(Type.String({ format: 'uri' }), { maxItems: 50 })),
      message: Type.Optional(Note),
    }),
    path: 'evidence',
    summary: 'Add evidence links or a follow-up message',
    roles: ['integrator', 'registrar'],
    from: [...openStatuses, 'closed', 'under_review'],
    check: (_state, { links, message }) => ((links?.length ?? 0) === 0 && !message?.trim() ? 'give evidence links, a message, or both' : undefined),
    apply(state, { actor, links, message }, now) {
      state.complaint.evidence.push(...(links ?? []));
      record(state, now, 'follow_up', actor, message, { links: links ?? [] });
      if (state.unit && handlingStatuses.includes(state.status)) {
        notify(state, 'supervision', unitRecipient(state), { reason: 'new evidence or message from the complainant' });
      }
    },
  }),
  // Joint handling (联合办理). New Update handlers: nothing a running case has done changes, so no
  // patched() is needed; a case without parts replays and runs as before.
  jointAssign: action({
    args: body({
      coUnits: Type.Array(
        Type.Object({ unit: UnitSchema, task: Text(500, { multiLine: true, example: '街道办配合现场核查油烟净化设施' }) }, { additionalProperties: false }),
        { minItems: 1, maxItems: 10, description: 'The co-units (协办单位), each with its part; never the lead unit or one that refused jurisdiction.' },
      ),
    }),
    path: 'joint-parts',
    summary: 'Joint handling (联合办理): give co-units a part each, with its own deadline; the lead unit consolidates their results',
    firstReceiver: true,
    roles: ['registrar', 'supervisor'],
    from: handlingStatuses,
    check(state, { coUnits }) {
      const seen = new Set<string>();
      for (const { unit, task } of coUnits) {
        const reason = checkCoUnit(state, unit, seen) ?? (task.trim() === '' ? 'coUnits: each part needs a task' : undefined);
        if (reason) return reason;
      }
      return undefined;
    },
    apply(state, { actor, coUnits }, now) {
      assignParts(state, coUnits, actor, now);
    },
  }),
  waiveJointParts: action({
    args: reasoned,
    path: 'overrides/waive-joint-parts',
    summary: "Go on without the co-units' parts still being worked (联合办理): the lead unit may submit the result",
    override: true,
    roles: ['supervisor'],
    from: handlingStatuses,
    when: (state) => (workingParts(state).length > 0 ? undefined : 'no joint part is being worked'),
    apply(state, { actor, reason }, now) {
      const waived = waiveParts(state, reason, now);
      record(state, now, 'joint_parts_waived', actor, reason, { units: waived.map((p) => p.unit.id) });
      for (const part of waived) notify(state, 'joint_part', `unit:${part.unit.id}`, { event: 'waived', unit: part.unit.name, reason });
      notify(state, 'joint_part', unitRecipient(state), { event: 'waived', unit: waived.map((p) => p.unit.name).join('、'), reason });
    },
  }),
  // A new Update handler changes nothing a running case has done, so no patched() is needed:
  // histories recorded before it replay as they were, and a case carried across continue-as-new
  // without `attachments` starts one at its first file.
  attach: action({
    args: body({
      id: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: 'the attachment id the API made' }),
      kind: Type.Enum(attachmentKinds),
      name: Text(200, { example: '现场照片.jpg' }),
      mimeType: Type.Enum(attachmentTypes),
      size: Type.Integer({ minimum: 1 }),
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    }),
    path: 'attachments',
    summary: 'Attach a file: an evidence photo, an inspection record, a penalty decision (附件)',
    upload: true,
    roles: ['integrator', 'registrar', 'unit', 'supervisor'],
    from: [...openStatuses, 'closed', 'under_review'],
    when: (state) => ((state.attachments?.length ?? 0) >= maxAttachments ? `the case already holds ${maxAttachments} attachments, the most it may` : undefined),
    check: (state, { id }) => (state.attachments?.some((a) => a.id === id) ? `attachment ${id} is already on the case` : undefined),
    apply(state, { actor, id, kind, name, mimeType, size, sha256 }, now) {
      (state.attachments ??= []).push({ id, kind, name, mimeType, size, sha256, by: actor.id, at: now });
      record(state, now, 'attachment_added', actor, undefined, { id, kind, name, mimeType, size, sha256 });
    },
  }),
  recordSpotCheck: action({
    args: body({ passed: Type.Boolean(), note: Note }),
    path: 'spot-check',
    summary: 'Record the result of a spot check (随机抽查)',
    roles: ['supervisor'],
    from: ['under_review'],
    // Passed: closed again. Failed: back to the unit for rework.
    to: ['closed', 'rework'],
    apply(state, { actor, passed, note }, now) {
      state.spotCheck = { ...state.spotCheck!, passed, note, decidedAt: now };
      delete state.deadlines.spotCheck;
      record(state, now, passed ? 'spot_check_passed' : 'spot_check_failed', actor, note);
      if (passed) return 'closed';
      startRework(state, `spot check failed: ${note}`, actor, now);
      return 'rework';
    },
  }),
  // New Update handlers (propose, approve, claim) change nothing a running case has done: no patched().
  proposeReward: action({
    args: body({
      amountYuan: Type.Integer({ minimum: 1, description: 'the reward in whole yuan (at most the policy’s rewardMaxYuan)', examples: [2000] }),
      basis: Text(2000, { multiLine: true, example: '依据《有奖举报办法》第八条，查实并处罚款' }),
    }),
    path: 'reward/proposal',
    summary: 'Propose the reward amount and its basis (奖励金额): another supervisor approves it',
    roles: ['registrar', 'supervisor'],
    from: [...openStatuses, 'closed', 'under_review'],
    when: whyNoProposal,
    check: (state, { amountYuan }) => checkAmount(state, amountYuan),
    apply(state, { actor, amountYuan, basis }, now) {
      state.reward!.proposal = { amountYuan, basis, by: actor.id, at: now };
      record(state, now, 'reward_proposed', actor, basis, { amountYuan });
      notify(state, 'supervision', 'supervisor', { reason: 'reward amount to approve', amountYuan });
    },
  }),
  approveReward: action({
    args: body({ note: Type.Optional(Note) }),
    path: 'reward/approval',
    summary: 'Approve the proposed reward amount (奖励审批): a supervisor other than its proposer',
    roles: ['supervisor'],
    from: [...openStatuses, 'closed', 'under_review'],
    when: whyNoApproval,
    apply(state, { actor, note }, now) {
      const reward = state.reward!;
      reward.approval = { by: actor.id, at: now, ...(note !== undefined ? { note } : {}) };
      record(state, now, 'reward_approved', actor, note, { amountYuan: reward.proposal!.amountYuan, proposedBy: reward.proposal!.by });
    },
  }),
  claimReward: action({
    args: body({ codeSha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the case id, a colon and the claim code' }) }),
    path: 'reward/claim',
    summary: 'The anonymous reporter claims the reward with the claim code (兑奖): POST /rewards/claim',
    internal: true,
    roles: ['system'],
    from: [...openStatuses, 'closed', 'under_review'],
    when: whyNoClaim,
    check: (state, { codeSha256 }) => (codeSha256 === state.complaint.claimCodeHash ? undefined : 'the claim code does not match'),
    apply(state, { actor }, now) {
      state.reward!.claimedAt = now;
      record(state, now, 'reward_claimed', actor);
      notify(state, 'supervision', 'supervisor', { reason: 'reward claimed' });
    },
  }),
  recordRewardPaid: action({
    args: body({ reference: Text(200, { example: 'PAY-2026-0042' }) }),
    path: 'reward-payment',
    summary: 'Record that the reward was paid (有奖举报): an approved amount first, for a reward opened since amounts are approved',
    roles: ['supervisor'],
    from: [...openStatuses, 'closed', 'under_review'],
    when: whyNoPayment,
    apply(state, { actor, reference }, now) {
      const reward = state.reward!;
      Object.assign(reward, { paidAt: now, reference });
      delete state.deadlines.rewardPayment;
      const amountYuan = reward.approval ? reward.proposal?.amountYuan : undefined;
      record(state, now, 'reward_paid', actor, undefined, { reference, onTime: now < reward.dueAt, ...(amountYuan !== undefined ? { amountYuan } : {}) });
    },
  }),
  // Supervisor overrides: each needs a reason, kept in the timeline.
  returnForRework: action({
    args: reasoned,
    path: 'overrides/return-for-rework',
    summary: 'Return for rework (退回整改)',
    override: true,
    roles: ['supervisor'],
    from: ['callback'],
    to: ['rework'],
    apply(state, { actor, reason }, now) {
      startRework(state, reason, actor, now);
    },
  }),
  reassign: action({
    args: body({ unit: UnitSchema, reason: Reason }),
    path: 'overrides/reassign',
    summary: 'Reassign to another unit (改派)',
    override: true,
    roles: ['registrar', 'supervisor'],
    from: handlingOrAccepted,
    to: ['assigned'],
    check: (state, { unit }) => checkUnit(state, unit) ?? (unit.id === state.unit?.id ? `the case is already with unit ${unit.id}` : undefined),
    apply(state, { actor, reason, unit }, now) {
      const previous = state.unit?.id;
      state.unit = unit;
      if (state.dispatchedAt === undefined) markDispatched(state, now);
      delete state.deadlines.dispatch;
      openWindow(state, now, state.policy.handlingWorkingDays);
      record(state, now, 'reassigned', actor, reason, { from: previous, to: unit.id, dueAt: state.deadlines.handling?.dueAt });
      notify(state, 'assignment', unitRecipient(state), { dueAt: state.deadlines.handling?.dueAt ?? '' });
      tellComplainant(state, 'case_assigned', { unit: unit.name, dueAt: state.deadlines.handling?.dueAt ?? '' });
    },
  }),
  extend: action({
    args: body({ days: Days, reason: Reason }),
    path: 'overrides/extend',
    summary: 'Extend the handling deadline',
    override: true,
    roles: ['supervisor'],
    from: handlingStatuses,
    check: (state, { days }) => checkDays(days, state.policy.maxExtensionWorkingDays),
    apply(state, { actor, reason, days }, now) {
      extendWindow(state, days, now);
      record(state, now, 'extended', actor, reason, { days, dueAt: state.deadlines.handling?.dueAt });
      tellComplainant(state, 'case_extended', { dueAt: state.deadlines.handling?.dueAt ?? '', reason });
    },
  }),
  escalate: action({
    args: body({
      reason: Reason,
      tier: Type.Optional(Type.Enum([1, 2, 3])),
      owners: Type.Optional(Type.Array(LeaderOwnerSchema, { minItems: 1, maxItems: 2 })),
    }),
    path: 'overrides/escalate',
    summary: 'Escalate to leader ownership',
    override: true,
    roles: ['supervisor'],
    from: handlingStatuses,
    check: (state, { tier, owners }) => {
      if (tier !== undefined && ![1, 2, 3].includes(tier)) return 'tier must be 1, 2 or 3';
      if (tier !== undefined && tier < state.escalation.tier) return `the case is already at tier ${state.escalation.tier}`;
      if (owners && (owners.length < 1 || owners.length > 2)) return 'one leader, or two for dual ownership';
      return undefined;
    },
    apply(state, { actor, reason, tier, owners }, now) {
      const target = (tier ?? Math.min(3, state.escalation.tier + 1)) as Escalation['tier'];
      escalate(state, target, reason, actor, now);
      if (owners) {
        state.escalation.owners = owners;
        state.outbox = state.outbox.filter((item) => item.type !== 'findLeaders');
        record(state, now, 'leaders_assigned', actor, undefined, { owners });
      }
    },
  }),
  close: action({
    args: reasoned,
    path: 'overrides/close',
    summary: 'Close the case',
    override: true,
    roles: ['supervisor'],
    from: [...openStatuses, 'under_review'],
    to: ['closed'],
    apply(state, { actor, reason }, now) {
      close(state, reason, actor, now);
    },
  }),
  reopen: action({
    args: reasoned,
    path: 'overrides/reopen',
    summary: 'Reopen a closed case for rework',
    override: true,
    roles: ['supervisor'],
    from: ['closed', 'under_review'],
    to: ['rework'],
    when: (state) => (state.unit ? undefined : 'the case was never assigned to a unit; it cannot be reworked'),
    apply(state, { actor, reason }, now) {
      startRework(state, reason, actor, now);
    },
  }),
  changeUrgency: action({
    args: body({ urgent: Type.Boolean(), reason: Reason }),
    path: 'overrides/urgency',
    summary: 'Change the urgency',
    override: true,
    roles: ['supervisor'],
    from: openStatuses,
    check: (state, { urgent }) => (state.complaint.urgent === urgent ? `urgent is already ${urgent}` : undefined),
    apply(state, { actor, reason, urgent }, now) {
      state.complaint.urgent = urgent;
      if (urgent && !state.onSiteReportedAt) startRapidResponse(state, now);
      if (!isRapidResponse(state)) delete state.deadlines.rapidResponse;
      record(state, now, 'urgency_changed', actor, reason, { urgent });
    },
  }),
};

/**
 * Rapid dispatch is acceptance and assignment in one move: it takes their own steps (records,
 * notices, the handling window), so the three never drift apart.
 */
function acceptAndAssign(state: CaseState, actor: Actor, unit: Static<typeof UnitSchema>, dutyOfficer: string | undefined, now: string): void {
  actions.accept.apply(state, { actor }, now);
  actions.assign.apply(state, { actor, unit, ...(dutyOfficer !== undefined ? { dutyOfficer } : {}) }, now);
}

export type ActionName = keyof typeof actions;
export type ActionArgsByName = { [K in ActionName]: (typeof actions)[K] extends ActionSpec<infer S> ? Args<S> : never };
export const actionNames = Object.keys(actions) as ActionName[];

/** One action's entry, with its argument type kept. */
function specOf<K extends ActionName>(name: K) {
  // TypeScript cannot narrow the table's union of entries by a generic key: the entry for K takes K's arguments.
  return actions[name] as unknown as Omit<ActionSpec<TObject>, 'check' | 'apply'> & {
    check?: (state: CaseState, args: ActionArgsByName[K]) => string | undefined;
    apply: (state: CaseState, args: ActionArgsByName[K], now: string) => Status | void;
  };
}

/**
 * Why `actor` may not take the action on the case now, whatever they would fill in (role, unit,
 * status, first receiver, the entry's `when`); undefined: they may. The console offers only the
 * actions this lets through, and the validator starts with it.
 */
export function whyNot(state: CaseFacts, name: ActionName, actor: Actor): string | undefined {
  const spec = specOf(name);
  if (!spec.roles.includes(actor.role)) return `${name} is not allowed for role ${actor.role}`;
  if (notTheirs(state, actor)) return `unit ${actor.unitId ?? '?'} is not the unit handling this case`;
  if (!spec.from.includes(state.status)) return `cannot ${name} a case that is ${state.status}`;
  if (spec.firstReceiver && firstReceiverRule(state, actor) === 'not theirs') {
    return `only the first receiver (${firstReceiverOf(state) ?? '?'}) or a supervisor may ${name} this case: ask for a hand-over`;
  }
  return spec.when?.(state, actor);
}

/** A unit acting on a case another unit handles (or none): a case outside its scope. */
const notTheirs = (state: CaseFacts, actor: Actor) => actor.role === 'unit' && actor.unitId !== state.unit?.id;

/**
 * Applies the table's rules; throws an ActionRejected failure the caller sees as the reason, or
 * NotInScope for a unit acting on a case that is not its own, which the API answers as it answers
 * every case outside a caller's scope (404, api/scope.ts): the API asks the workflow rather than
 * reading the case first.
 */
export function validateAction<K extends ActionName>(state: CaseState, name: K, args: ActionArgsByName[K]): void {
  const spec = specOf(name);
  const reject = (reason: string, type = 'ActionRejected') => {
    throw ApplicationFailure.create({ type, message: reason, nonRetryable: true });
  };
  const actor = (args as Partial<ActionArgs> | undefined)?.actor;
  if (!actor?.role || !actor.id) return reject('actor with role and id is required');
  const unavailable = whyNot(state, name, actor);
  if (unavailable) return reject(unavailable, notTheirs(state, actor) ? 'NotInScope' : 'ActionRejected');
  for (const field of spec.args.required ?? []) {
    const value = (args as unknown as Record<string, unknown>)[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return reject(`${field} is required`);
    }
  }
  const reason = spec.check?.(state, args);
  if (reason) reject(reason);
}

/** Applies an action, then moves the case to the status it leads to: the only place a status changes by a person's act. */
export function applyAction<K extends ActionName>(state: CaseState, name: K, args: ActionArgsByName[K], now: string): void {
  const spec = specOf(name);
  const { actor } = args as ActionArgs;
  if (spec.firstReceiver && firstReceiverRule(state, actor) === 'claims') claim(state, actor, now);
  // An action that may move the case starts a stopped clock first: what follows counts on a running clock.
  if (spec.to && clockStopped(state)) restartClock(state, {}, actor, now);
  const next = spec.apply(state, args, now) ?? spec.to?.[0] ?? state.status;
  moveTo(state, next, spec.to, name);
}

/** Sets the status, refusing one the table does not declare: the table and docs/lifecycle.md stay the truth. */
function moveTo(state: CaseState, next: Status, declared: readonly Status[] | undefined, by: string): void {
  if (next !== state.status && !declared?.includes(next)) {
    throw new Error(`${by} moved a case to ${next}, which its table entry does not declare`);
  }
  state.status = next;
}

/**
 * What other systems tell a case (signals): rules rather than actions, since nobody waits for an
 * answer. One that does not apply is ignored.
 */
interface RuleSpec<A> {
  from: readonly Status[];
  to?: readonly Status[];
  /** False: the report does not apply (already drawn for a spot check, say) and changes nothing. */
  applies?: (state: CaseState) => boolean;
  apply: (state: CaseState, args: A, now: string) => void;
}

export interface RuleArgsByName {
  /** A report merged into this case was split off again: it is a case of its own. */
  repeatSplit: { caseId: string };
  /** A report about this case arrived on another case (a merged duplicate or a repeat), with its complainant. */
  repeatReported: RepeatReport;
  /** The daily spot check drew this closed case for review (随机抽查). */
  selectedForSpotCheck: { day: string };
}

export const rules: { [K in keyof RuleArgsByName]: RuleSpec<RuleArgsByName[K]> } = {
  repeatReported: {
    from: statuses,
    apply(state, report, now) {
      state.repeatReports.push(report);
      record(state, now, 'repeat_reported', `system:${report.caseId}`, report.summary, { caseId: report.caseId });
      if (handlingStatuses.includes(state.status) && state.escalation.tier === 0 && repeatsEscalate(state, true)) {
        escalate(state, 1, 'repeat complaint', 'system:policy', now);
      }
    },
  },
  repeatSplit: {
    from: statuses,
    apply(state, { caseId }, now) {
      state.repeatReports = state.repeatReports.filter((r) => r.caseId !== caseId);
      record(state, now, 'repeat_split', `system:${caseId}`, undefined, { caseId });
    },
  },
  selectedForSpotCheck: {
    from: ['closed'],
    to: ['under_review'],
    applies: (state) => !state.spotCheck?.selectedAt,
    apply(state, { day }, now) {
      state.spotCheck = { selectedAt: now };
      // Issue 18: the review gets a deadline and a reminder instead of waiting for ever.
      if (patched('spot-check-deadline')) {
        state.deadlines.spotCheck = workingDeadline(state.calendar, now, state.policy.spotCheckWorkingDays ?? 5);
      }
      record(state, now, 'spot_check_selected', 'system:spot-check', undefined, {
        day,
        ...(state.deadlines.spotCheck ? { dueAt: state.deadlines.spotCheck.dueAt } : {}),
      });
      notify(state, 'supervision', 'supervisor', { reason: 'closed case drawn for spot check' });
    },
  },
};

/** Applies a rule if it applies; true when the case changed. */
export function applyRule<K extends keyof RuleArgsByName>(state: CaseState, name: K, args: RuleArgsByName[K], now: string): boolean {
  const rule = rules[name] as RuleSpec<RuleArgsByName[K]>;
  if (!rule.from.includes(state.status) || rule.applies?.(state) === false) return false;
  rule.apply(state, args, now);
  moveTo(state, rule.to?.[0] ?? state.status, rule.to, name);
  return true;
}

/**
 * A new case as its workflow starts it: registered, or merged at once into the open case that
 * repeat detection found, which a registrar then confirms or splits (since patched('merge-confirmation')).
 */
export function registeredCase(input: ComplaintWorkflowInput, now: string, rules: RegistrationRules = currentRules): CaseState {
  const state = newCase(input, now, rules);
  if (input.mergeInto) {
    applyAction(state, 'merge', { actor: { role: 'system', id: 'repeat-detection' }, intoCaseId: input.mergeInto, reason: 'repeat of an open case' }, now);
    if (rules.mergeConfirmation) {
      state.mergeUnconfirmed = true;
      state.deadlines.mergeDecision = workingDeadline(state.calendar, now, state.policy.mergeDecisionWorkingDays ?? 2);
      notify(state, 'supervision', registrarRecipient(state), { reason: 'merged by repeat detection: confirm or split', intoCaseId: input.mergeInto });
    }
  }
  return state;
}
