import { clockDeadlines, monthsLater, recompute, wallClockDeadline, workingDeadline } from './deadlines';
import type {
  Actor,
  CaseState,
  CaseSnapshot,
  Complaint,
  ComplaintWorkflowInput,
  Escalation,
  NoticeKind,
  Pause,
  Reward,
  RepeatReport,
  Status,
  TimelineEntry,
  TimelineKind,
} from './model';
import { dispatchWorkingDays, inRapidResponseNight } from './policy';
import { workingDaysBegun, type CalendarYear } from './calendar';
import { finalStatuses } from './model';

/**
 * The case as state plus the small steps every action and timer is made of: record a timeline
 * entry, send a notice, open a handling window, escalate, close. All synchronous and free of I/O:
 * notices go to the outbox, which the workflow hands to activities. None of them changes the
 * status: that is the action's (workflows/actions.ts, `to`).
 */

export const workflowIdFor = (complaintId: string) => `complaint-${complaintId}`;

export function actorName(actor: Actor): string {
  return `${actor.role}:${actor.id}`;
}

/**
 * Rules a case is registered under that the workflow decides with patched() (registration outside
 * the workflow, in the API, takes the current ones): kept in the case, so it keeps them to the end.
 */
export interface RegistrationRules {
  /** patched('rapid-response-by-policy'): the on-site clock by urgency and night hours. */
  rapidResponseByPolicy: boolean;
  /** patched('complainant-told-every-step'): the complainant hears of every step they care about. */
  tellsComplainantEveryStep: boolean;
  /** patched('merge-confirmation'): a merge by repeat detection waits for a registrar to confirm or split it. */
  mergeConfirmation: boolean;
}

export const currentRules: RegistrationRules = { rapidResponseByPolicy: true, tellsComplainantEveryStep: true, mergeConfirmation: true };

export function newCase(input: ComplaintWorkflowInput, now: string, rules: RegistrationRules = currentRules): CaseState {
  const { complaint, policy, calendar } = input;
  const state: CaseState = {
    complaint,
    policy,
    calendar,
    status: 'registered',
    registeredAt: now,
    refusedBy: [],
    window: 0,
    deadlines: {},
    fired: [],
    warnings: [],
    overdue: false,
    callbacks: [],
    callbackRounds: [],
    reworkCount: 0,
    pauses: [],
    supervisions: [],
    escalation: { tier: 0, owners: [], progress: [], resolved: false },
    repeatReports: [],
    timeline: [],
    projectedSeq: 0,
    outbox: [],
    ...(rules.rapidResponseByPolicy ? { rapidResponseByPolicy: true as const } : {}),
    ...(rules.tellsComplainantEveryStep ? { tellsComplainantEveryStep: true as const } : {}),
  };
  // The dispatch deadline counts from when the bureau received the complaint, not from when the
  // workflow happened to start.
  state.deadlines.dispatch = workingDeadline(calendar, complaint.receivedAt, dispatchWorkingDays(policy, complaint.channel));
  record(
    state,
    now,
    'registered',
    complaint.firstReceiver !== undefined ? `registrar:${complaint.firstReceiver}` : `integrator:${complaint.submittedBy ?? '?'}`,
    undefined,
    {
      channel: complaint.channel,
      category: complaint.category,
      district: complaint.location.district,
      urgent: complaint.urgent,
      ...(complaint.collective ? { collective: complaint.collective.complainants } : {}),
      repeatOf: complaint.repeatOf,
      policy: policy.version,
      // Kept with the case's first event, which every projection rebuild keeps: POST /status checks it there.
      ...(complaint.queryCode !== undefined ? { queryCode: complaint.queryCode } : {}),
      // What the hotline platform knows the case by, for the steps it is told of.
      ...(complaint.workOrder ? { workOrder: complaint.workOrder.number } : {}),
    },
  );
  if (isRapidResponse(state)) startRapidResponse(state, complaint.receivedAt);
  return state;
}

/**
 * Whether the case gets the on-site clock: urgent, or of a rapid-response category and received
 * in the policy's night hours. A case registered before the rule (no `rapidResponseByPolicy`)
 * keeps the old one, any hour, so its replay and its deadlines stay as they were.
 */
export function isRapidResponse(state: CaseState): boolean {
  if (state.complaint.urgent) return true;
  if (!state.policy.rapidResponseCategories.includes(state.complaint.category)) return false;
  return !state.rapidResponseByPolicy || inRapidResponseNight(state.policy, Date.parse(state.complaint.receivedAt));
}

export function startRapidResponse(state: CaseState, from: string): void {
  state.deadlines.rapidResponse = wallClockDeadline(from, state.policy.rapidResponseMinutes);
}

/** Adds a timeline entry; `by` is the person or system who did it (`system:timer` and the like for the workflow itself). */
export function record(state: CaseState, at: string, kind: TimelineKind, by: Actor | string, note?: string, data?: Record<string, unknown>): TimelineEntry {
  const entry: TimelineEntry = {
    seq: (state.timeline.at(-1)?.seq ?? 0) + 1,
    at,
    kind,
    actor: typeof by === 'string' ? by : actorName(by),
    ...(typeof by !== 'string' && by.name !== undefined ? { actorName: by.name } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(data !== undefined ? { data } : {}),
  };
  state.timeline.push(entry);
  return entry;
}

type NoticeParams = Record<string, string | number | boolean>;

/** Queues a notice; its key makes the activity that stores it idempotent. */
export function notify(state: CaseState, kind: NoticeKind, recipient: string, params: NoticeParams = {}): void {
  const { complainant } = state.complaint;
  if (recipient === 'complainant' && complainant.anonymous) return;
  const phone = recipient === 'complainant' ? textableContact(state.complaint)?.phone : undefined;
  queue(state, kind, recipient, params, phone);
}

/** Where the complainant of a complaint is texted: their phone, unless a platform that submitted it answers them. */
function textableContact({ complainant, submittedBy }: Pick<Complaint, 'complainant' | 'submittedBy'>): { phone: string } | undefined {
  return !complainant.anonymous && submittedBy === undefined && complainant.phone ? { phone: complainant.phone } : undefined;
}

/** This case as a report merged into another: what the open case keeps of it (its complainant included). */
export function mergedReport(state: CaseState): RepeatReport {
  const { complaint } = state;
  const contact = textableContact(complaint);
  return {
    caseId: complaint.id,
    summary: complaint.description.slice(0, 200),
    at: state.registeredAt,
    ...(complaint.complainant.anonymous ? {} : { complainant: complaint.complainant }),
    ...(contact ? { contact } : {}),
  };
}

/**
 * Tells the complainants of the reports merged into the case, each as `complainant-of:<their
 * case>`, as the first complainant is told (never an anonymous one).
 */
export function tellMergedComplainants(state: CaseState, kind: NoticeKind, params: NoticeParams): void {
  for (const report of state.repeatReports) {
    if (report.complainant && !report.complainant.anonymous) queue(state, kind, `complainant-of:${report.caseId}`, params, report.contact?.phone);
  }
}

function queue(state: CaseState, kind: NoticeKind, recipient: string, params: NoticeParams, phone: string | undefined): void {
  const last = state.timeline.at(-1);
  const seq = last?.seq ?? 0;
  state.outbox.push({
    type: 'notice',
    notice: {
      key: `${state.complaint.id}:${seq}:${kind}:${recipient}`,
      kind,
      recipient,
      params: { caseId: state.complaint.id, ...params },
      // The moment of the entry that caused it: duty recipients resolve to who was on duty then.
      ...(last ? { at: last.at } : {}),
      ...(phone ? { to: { phone } } : {}),
    },
  });
}

/**
 * Tells the complainant of a step they care about (件件有回音), in a case registered since they hear
 * of every step; never an anonymous one (notify).
 */
export function tellComplainant(state: CaseState, kind: NoticeKind, params: Record<string, string | number | boolean> = {}): void {
  if (state.tellsComplainantEveryStep) notify(state, kind, 'complainant', params);
}

/** The first receiver now: who claimed the case or had it handed over, else who registered it. */
export function firstReceiverOf(state: Pick<CaseState, 'firstReceiver' | 'complaint'>): string | undefined {
  return state.firstReceiver ?? state.complaint.firstReceiver;
}

/** The first receiver, or while nobody has claimed the case, the registrars of its district (their queue). */
export function registrarRecipient(state: CaseState): string {
  const firstReceiver = firstReceiverOf(state);
  return firstReceiver !== undefined ? `registrar:${firstReceiver}` : `registrars-of:${state.complaint.location.district}`;
}

export function unitRecipient(state: CaseState): string {
  return `unit:${state.unit?.id ?? 'unassigned'}`;
}

export function superiorRecipient(state: CaseState): string {
  return `superior-of:${state.unit?.id ?? 'unassigned'}`;
}

/**
 * Opens a handling window (on assignment, reassignment or rework): the deadline, both warnings and
 * the escalation point all count from the same start, so an extension moves them together.
 */
export function openWindow(state: CaseState, at: string, workingDays: number): void {
  state.window += 1;
  state.overdue = false;
  const [first, second] = state.policy.warningThresholds;
  state.deadlines.handling = workingDeadline(state.calendar, at, workingDays);
  state.deadlines.warning1 = workingDeadline(state.calendar, at, workingDays * first);
  state.deadlines.warning2 = workingDeadline(state.calendar, at, workingDays * second);
  state.deadlines.escalation = workingDeadline(state.calendar, at, workingDays + state.policy.escalationGapWorkingDays);
}

export function closeWindow(state: CaseState): void {
  delete state.deadlines.handling;
  delete state.deadlines.warning1;
  delete state.deadlines.warning2;
  delete state.deadlines.escalation;
  state.overdue = false;
}

/** Adds working days to the open window; a new due time also lifts the overdue mark. */
export function extendWindow(state: CaseState, days: number, now: string): void {
  const handling = state.deadlines.handling;
  if (!handling || !('workingDays' in handling.basis)) return;
  const { from, workingDays } = handling.basis;
  const total = workingDays + days;
  const [first, second] = state.policy.warningThresholds;
  state.deadlines.handling = workingDeadline(state.calendar, from, total);
  state.deadlines.warning1 = workingDeadline(state.calendar, from, total * first);
  state.deadlines.warning2 = workingDeadline(state.calendar, from, total * second);
  state.deadlines.escalation = workingDeadline(state.calendar, from, total + state.policy.escalationGapWorkingDays);
  if (Date.parse(state.deadlines.handling.dueAt) > Date.parse(now)) state.overdue = false;
}

/** Stops the case's clock (中止) until the answer, or its deadline `days` working days on. */
export function stopClock(state: CaseState, pause: Omit<Pause, 'at' | 'dueAt'>, days: number, actor: Actor, now: string): void {
  const deadline = workingDeadline(state.calendar, now, days);
  state.deadlines.pauseAnswer = deadline;
  state.pauses.push({ ...pause, at: now, dueAt: deadline.dueAt });
  record(state, now, 'clock_paused', actor, pause.question, {
    awaiting: pause.awaiting,
    ...(pause.party !== undefined ? { party: pause.party } : {}),
    dueAt: deadline.dueAt,
  });
  if (pause.awaiting === 'complainant') notify(state, 'information_requested', 'complainant', { question: pause.question, dueAt: deadline.dueAt });
}

/**
 * Starts the stopped clock again: each of its deadlines still to come when it stopped moves later
 * by the working days that began while it stood still (whole days, as deadlines end at 24:00).
 */
export function restartClock(state: CaseState, how: { answer?: string; expired?: true }, actor: Actor | string, now: string): void {
  const pause = state.pauses.at(-1)!;
  // An unanswered stop lasted to its deadline, however late the timer ran.
  const days = workingDaysBegun(Date.parse(pause.at), Date.parse(how.expired ? pause.dueAt : now), state.calendar);
  Object.assign(pause, { resumedAt: now, workingDays: days, ...how });
  delete state.deadlines.pauseAnswer;
  for (const name of days > 0 ? clockDeadlines : []) {
    const deadline = state.deadlines[name];
    if (!deadline || deadline.dueAt <= pause.at || !('workingDays' in deadline.basis)) continue;
    state.deadlines[name] = workingDeadline(state.calendar, deadline.basis.from, deadline.basis.workingDays + days);
  }
  record(state, now, 'clock_resumed', actor, how.answer, {
    workingDays: days,
    ...(how.expired ? { expired: true } : {}),
    dueAt: (state.deadlines.handling ?? state.deadlines.dispatch)?.dueAt,
  });
}

/** Leader ownership: raise to at least `tier` and review again a quarter later. */
export function escalate(state: CaseState, tier: Escalation['tier'], reason: string, actor: Actor | string, now: string): void {
  const next = Math.max(tier, state.escalation.tier) as Escalation['tier'];
  if (next === state.escalation.tier && state.escalation.tier > 0) {
    record(state, now, 'escalation_kept', actor, reason, { tier: next });
    return;
  }
  state.escalation = {
    ...state.escalation,
    tier: next,
    reason,
    since: state.escalation.since ?? now,
    resolved: false,
    // A higher tier means new leaders: the directory is asked again.
    owners: [],
  };
  state.deadlines.leaderReview = monthsLater(now, state.policy.leaderReviewMonths);
  record(state, now, 'escalated', actor, reason, { tier: next });
  state.outbox.push({ type: 'findLeaders', tier: next });
  notify(state, 'escalation', superiorRecipient(state), { tier: next, reason });
}

export const openStatuses: readonly Status[] = ['registered', 'accepted', 'assigned', 'in_progress', 'rework', 'result_review', 'callback'];
export const handlingStatuses: readonly Status[] = ['assigned', 'in_progress', 'rework'];

/**
 * The case closes or ends: no joint part (联合办理) is waited for any longer; the workflow cancels
 * their child workflows (workflows/joint-runner.ts). A case without parts is untouched.
 */
function endJointParts(state: CaseState, now: string): void {
  for (const part of state.jointParts ?? []) {
    if (part.status === 'working') Object.assign(part, { status: 'waived', reason: 'the case ended', endedAt: now });
  }
}

/** Closes the case (办结): its deadlines end and the spot-check window opens. */
export function close(state: CaseState, reason: string, actor: Actor | string, now: string): void {
  endJointParts(state, now);
  state.closedAt = now;
  state.closeReason = reason;
  closeWindow(state);
  delete state.deadlines.callback;
  delete state.deadlines.rapidResponse;
  delete state.deadlines.dispatch;
  delete state.deadlines.resultReview;
  delete state.deadlines.spotCheck;
  delete state.deadlines.supervisionReply;
  if (state.escalation.tier > 0) {
    state.escalation.resolved = true;
    delete state.deadlines.leaderReview;
  }
  state.deadlines.reviewWindow = wallClockDeadline(now, state.policy.reviewWindowDays * 24 * 60);
  record(state, now, 'closed', actor, reason);
  tellComplainant(state, 'case_closed');
}

/** Ends the case for good (not accepted, transferred, merged, withdrawn). */
export function finish(state: CaseState, kind: TimelineKind, actor: Actor | string, now: string, note?: string): void {
  endJointParts(state, now);
  state.closedAt = now;
  if (note !== undefined) state.closeReason = note;
  state.deadlines = {};
  record(state, now, kind, actor, note);
}

/** The dispatch deadline passed before the case reached a unit. */
export function dispatchMissed(state: Pick<CaseState, 'dispatchOverdueAt'>): boolean {
  return state.dispatchOverdueAt !== undefined;
}

/** Statuses in which a case still waits for its first unit. */
export const awaitingDispatch: readonly Status[] = ['registered', 'accepted'];

/**
 * Still waiting for its first unit after the dispatch deadline passed: overdue until assigned, as
 * a case past its handling deadline is. A case that reached a unit and came back (jurisdiction
 * refused) has no dispatch deadline left, so it is not.
 */
export function dispatchOverdue(state: Pick<CaseState, 'dispatchedAt' | 'status' | 'dispatchOverdueAt'>): boolean {
  return state.dispatchedAt === undefined && awaitingDispatch.includes(state.status) && dispatchMissed(state);
}

/** The case reaches its first unit: the moment the timely acceptance rate judges. */
export function markDispatched(state: CaseState, now: string): void {
  state.dispatchedAt = now;
  state.dispatchedOnTime = !dispatchMissed(state);
  delete state.deadlines.dispatch;
}

/**
 * A reward to pay within the policy's months, watched like any other deadline. `eligibleBy`
 * (patched('reward-by-violation')): why it is owed; such a reward is paid only once a second
 * supervisor approved its amount.
 */
export function openReward(state: CaseState, now: string, eligibleBy?: Reward['eligibleBy']): void {
  const deadline = monthsLater(now, state.policy.rewardPaymentMonths);
  state.deadlines.rewardPayment = deadline;
  state.reward = { openedAt: now, dueAt: deadline.dueAt, overdue: false, ...(eligibleBy ? { eligibleBy, approvalRequired: true as const } : {}) };
  record(state, now, 'reward_opened', 'system:policy', undefined, { dueAt: deadline.dueAt, ...(eligibleBy ?? {}) });
  notify(state, 'reward', 'supervisor', { dueAt: deadline.dueAt });
}

/** Sends the case back to its unit with a written rework deadline (退回整改). */
export function startRework(state: CaseState, reason: string, actor: Actor | string, now: string): void {
  state.reworkCount += 1;
  delete state.closedAt;
  delete state.closeReason;
  delete state.deadlines.callback;
  delete state.deadlines.reviewWindow;
  delete state.deadlines.spotCheck;
  // The round's verdict stays (一次办理满意率 is the first round's); the new result starts a new one.
  state.callbackRounds.push(state.callbacks);
  state.callbacks = [];
  openWindow(state, now, state.policy.reworkWorkingDays);
  record(state, now, 'returned_for_rework', actor, reason, {
    reworkCount: state.reworkCount,
    dueAt: state.deadlines.handling?.dueAt,
  });
  notify(state, 'rework', unitRecipient(state), { reason, dueAt: state.deadlines.handling?.dueAt ?? '' });
  tellComplainant(state, 'case_reworked', { dueAt: state.deadlines.handling?.dueAt ?? '' });
  if (state.reworkCount >= state.policy.reworksBeforeEscalation) {
    escalate(state, 1, `rework number ${state.reworkCount}`, 'system:policy', now);
  }
}

/**
 * Recomputes pending working-day deadlines after official calendar data arrived. With
 * `clearsOverdue` (patched: cases before kept the mark), a deadline already missed that the
 * official year moves past now is missed no longer: the case is not overdue until it falls due again.
 */
export function applyCalendar(state: CaseState, years: CalendarYear[], now: string, clearsOverdue: boolean): boolean {
  const byYear = new Map(state.calendar.map((y) => [y.year, y]));
  for (const year of years) byYear.set(year.year, year);
  state.calendar = [...byYear.values()].sort((a, b) => a.year - b.year);
  const changes: Record<string, { from: string; to: string }> = {};
  for (const [name, deadline] of Object.entries(state.deadlines)) {
    if (!deadline?.provisional) continue;
    const next = recompute(deadline, state.calendar);
    state.deadlines[name as keyof CaseState['deadlines']] = next;
    if (next.dueAt !== deadline.dueAt) changes[name] = { from: deadline.dueAt, to: next.dueAt };
  }
  const movedPastNow = (name: string) => clearsOverdue && changes[name] !== undefined && changes[name].to > now;
  const cleared: string[] = [];
  if (movedPastNow('handling') && state.overdue) {
    state.overdue = false;
    cleared.push('handling');
  }
  if (movedPastNow('dispatch') && state.dispatchOverdueAt !== undefined && state.dispatchedAt === undefined) {
    delete state.dispatchOverdueAt;
    cleared.push('dispatch');
  }
  record(state, now, 'calendar_updated', 'system:calendar', undefined, {
    years: years.map((y) => `${y.year}:${y.status}`),
    changes,
    ...(cleared.length > 0 ? { overdueCleared: cleared } : {}),
  });
  return Object.keys(changes).length > 0;
}

/**
 * Whether the workflow's work is done: a final status, unless a merge by repeat detection still
 * waits for the registrar's decision.
 */
export function finished(state: Pick<CaseState, 'status' | 'mergeUnconfirmed'>): boolean {
  return finalStatuses.includes(state.status) && !state.mergeUnconfirmed;
}

/** The merge by repeat detection stands: the case's work is done. */
export function confirmMergeOf(state: CaseState, actor: Actor | string, now: string, note?: string): void {
  delete state.mergeUnconfirmed;
  delete state.deadlines.mergeDecision;
  record(state, now, 'merge_confirmed', actor, note, { intoCaseId: state.mergedInto });
}

/** The actor the case waits for now. */
export function onDuty(state: CaseState): string | null {
  const registrar = registrarRecipient(state);
  switch (state.status) {
    case 'registered':
    case 'accepted':
      return registrar;
    case 'assigned':
    case 'in_progress':
    case 'rework':
      return unitRecipient(state);
    case 'callback':
      // After an unsatisfied callback the supervisor decides: rework or close.
      return state.callbacks.some((c) => c.outcome === 'unsatisfied' && c.for === undefined) ? 'supervisor' : registrar;
    case 'under_review':
    case 'result_review':
      return 'supervisor';
    case 'merged':
      return state.mergeUnconfirmed ? registrar : null;
    default:
      return null;
  }
}

/**
 * A case carried across continue-as-new by an earlier version of this code lacks the fields added
 * since; they are derived once from what it has.
 */
export function resumed(state: CaseState): CaseState {
  // Before dispatchOverdueAt, the timeline's dispatch_overdue entry was the only record of it.
  state.dispatchOverdueAt ??= state.timeline.find((e) => e.kind === 'dispatch_overdue')?.at;
  state.callbackRounds ??= [];
  state.supervisions ??= [];
  state.pauses ??= [];
  // Before attachments: none.
  state.attachments ??= [];
  // Before joint handling (联合办理): no parts.
  state.jointParts ??= [];
  return state;
}

export function view(state: CaseState, workflowId: string): CaseSnapshot {
  const { outbox: _outbox, calendar: _calendar, fired: _fired, projectedSeq: _projectedSeq, ...rest } = state;
  return { ...rest, workflowId, onDuty: onDuty(state) };
}
