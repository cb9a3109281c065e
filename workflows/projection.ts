import { dispatchMissed, dispatchOverdue, firstReceiverOf, handlingStatuses, onDuty } from './case';
import { clockStopped, hasProvisionalDeadline } from './deadlines';
import type { ActionOutcome, CallbackAttempt, CaseState, JointPartStatus, LeaderOwner, Status, Unit } from './model';

/** Where a case drawn for the spot check (随机抽查) stands: `pending` awaits the supervisor's review. */
export const spotCheckOutcomes = ['pending', 'passed', 'failed'] as const;
export type SpotCheckOutcome = (typeof spotCheckOutcomes)[number];

/** Where a reward's amount stands: `not_required` for a reward opened before amounts were approved. */
export const rewardApprovals = ['not_required', 'awaiting_proposal', 'proposed', 'approved'] as const;
export type RewardApproval = (typeof rewardApprovals)[number];

/** The row the read side keeps per case (db/schema.ts `complaints`), as the workflow sees it. */
export interface CaseProjection {
  id: string;
  workflowId: string;
  channel: string;
  category: string;
  district: string;
  address: string;
  polluter: string | null;
  /** Normalised polluter and address, for repeat detection and hotspots. */
  polluterKey: string | null;
  addressKey: string;
  lat: number | null;
  lng: number | null;
  industry: string | null;
  summary: string;
  urgent: boolean;
  anonymous: boolean;
  /** How many people made the report: more than 1 for a collective one (集体信访). */
  complainants: number;
  status: Status;
  handlingUnit: string | null;
  escalationTier: number;
  repeatOf: string | null;
  reworkCount: number;
  dueAt: string | null;
  overdue: boolean;
  /** The warnings (预警) raised in the handling window open now: 0 none, 1 at 50 %, 2 at 80 % (policy). */
  warningLevel: 0 | 1 | 2;
  satisfaction: string | null;
  /** The first round's satisfaction (一次办理满意率): before any rework; null until reached, or when that round is not known. */
  firstSatisfaction: string | null;
  /** null until dispatched, or until the dispatch deadline passed without it. */
  dispatchedOnTime: boolean | null;
  /** null until a result is in; the latest result's timeliness after rework. */
  resultOnTime: boolean | null;
  spotCheck: SpotCheckOutcome | null;
  /** The first receiver now; null while the case waits in its district's registrar queue. */
  firstReceiver: string | null;
  onDuty: string | null;
  extensionPending: boolean;
  /** The clock stands still now, waiting for missing information (中止). */
  paused: boolean;
  /** How often the clock stopped, and the working days its deadlines moved by in all (stops that ended). */
  pauseCount: number;
  pausedWorkingDays: number;
  /** 有奖举报: the reward's dates, amount (yuan, proposed or approved) and approval; all null when none was opened. */
  rewardOpenedAt: string | null;
  rewardDueAt: string | null;
  rewardAmountYuan: number | null;
  rewardApproval: RewardApproval | null;
  rewardClaimedAt: string | null;
  rewardPaidAt: string | null;
  rewardOverdue: boolean;
  registeredAt: string;
  acceptedAt: string | null;
  assignedAt: string | null;
  resultSubmittedAt: string | null;
  closedAt: string | null;
  /** Carried to the detail tables (units, ownerships, callbacks, spot checks). */
  unit: Unit | null;
  owners: LeaderOwner[];
  callbacks: CallbackAttempt[];
  callbackRounds: CallbackAttempt[][];
  spotCheckSelectedAt: string | null;
  /** 联合办理: the co-units' parts, for the `joint_parts` rows (a co-unit's list) and an archived case's view. Absent from projections before it. */
  jointParts?: { unit: string; status: JointPartStatus; dueAt: string }[];
}

/** The deadline that matters to people now: dispatch, then handling/rework, then the result's review, the callback, the spot check. */
export function currentDueAt(state: Pick<CaseState, 'deadlines'>): string | undefined {
  const { dispatch, handling, resultReview, callback, spotCheck } = state.deadlines;
  return (handling ?? resultReview ?? callback ?? spotCheck ?? dispatch)?.dueAt;
}

/** An action's answer: the case after it, and the timeline entries from position `since` on. */
export function actionOutcome(state: CaseState, since: number): ActionOutcome {
  return { status: state.status, onDuty: onDuty(state), dueAt: currentDueAt(state) ?? null, recorded: state.timeline.slice(since) };
}

export function projectionOf(state: CaseState, workflowId: string): CaseProjection {
  const { complaint } = state;
  return {
    id: complaint.id,
    workflowId,
    channel: complaint.channel,
    category: complaint.category,
    district: complaint.location.district,
    address: complaint.location.address,
    polluter: complaint.polluter ?? null,
    polluterKey: complaint.polluter ? normalizeKey(complaint.polluter) : null,
    addressKey: normalizeKey(complaint.location.address),
    lat: complaint.location.lat ?? null,
    lng: complaint.location.lng ?? null,
    industry: complaint.industry ?? null,
    summary: summaryOf(state),
    urgent: complaint.urgent,
    anonymous: complaint.complainant.anonymous,
    complainants: complaint.collective?.complainants ?? 1,
    status: state.status,
    handlingUnit: state.unit?.id ?? null,
    escalationTier: state.escalation.tier,
    repeatOf: complaint.repeatOf[0] ?? null,
    reworkCount: state.reworkCount,
    dueAt: currentDueAt(state) ?? null,
    // Lists and the backlog ask for every late case: late on handling, or never dispatched in time.
    overdue: state.overdue || dispatchOverdue(state),
    warningLevel: warningLevel(state),
    satisfaction: verdictOf(state.callbacks),
    firstSatisfaction: verdictOf(firstRound(state)),
    dispatchedOnTime: state.dispatchedOnTime ?? (dispatchMissed(state) ? false : null),
    resultOnTime: state.result?.onTime ?? null,
    spotCheck: state.spotCheck ? (state.spotCheck.passed === undefined ? 'pending' : state.spotCheck.passed ? 'passed' : 'failed') : null,
    firstReceiver: firstReceiverOf(state) ?? null,
    onDuty: onDuty(state),
    extensionPending: state.extension !== undefined && state.extension.decision === undefined,
    paused: clockStopped(state),
    pauseCount: state.pauses.length,
    pausedWorkingDays: state.pauses.reduce((sum, p) => sum + (p.workingDays ?? 0), 0),
    ...rewardColumns(state),
    registeredAt: state.registeredAt,
    acceptedAt: state.acceptedAt ?? null,
    assignedAt: state.dispatchedAt ?? null,
    resultSubmittedAt: state.result?.submittedAt ?? null,
    closedAt: state.closedAt ?? null,
    unit: state.unit ?? null,
    owners: state.escalation.owners,
    callbacks: state.callbacks,
    callbackRounds: state.callbackRounds,
    spotCheckSelectedAt: state.spotCheck?.selectedAt ?? null,
    jointParts: (state.jointParts ?? []).map((p) => ({ unit: p.unit.id, status: p.status, dueAt: p.dueAt })),
  };
}

function rewardColumns(
  state: CaseState,
): Pick<CaseProjection, 'rewardOpenedAt' | 'rewardDueAt' | 'rewardAmountYuan' | 'rewardApproval' | 'rewardClaimedAt' | 'rewardPaidAt' | 'rewardOverdue'> {
  const { reward } = state;
  const approval: RewardApproval | null = !reward
    ? null
    : reward.approval
      ? 'approved'
      : reward.proposal
        ? 'proposed'
        : reward.approvalRequired
          ? 'awaiting_proposal'
          : 'not_required';
  return {
    rewardOpenedAt: reward?.openedAt ?? null,
    rewardDueAt: reward?.dueAt ?? null,
    rewardAmountYuan: reward?.proposal?.amountYuan ?? null,
    rewardApproval: approval,
    rewardClaimedAt: reward?.claimedAt ?? null,
    rewardPaidAt: reward?.paidAt ?? null,
    rewardOverdue: reward?.overdue ?? false,
  };
}

/** What the complainant said in a round: its last answer (an unreachable attempt says nothing). */
function verdictOf(round: CallbackAttempt[] | undefined): string | null {
  // The first complainant's: a merged report's complainant is called too, but the case's course follows the first's.
  return round?.filter((c) => c.outcome !== 'unreachable' && c.for === undefined).at(-1)?.outcome ?? null;
}

/** The callbacks before any rework, when every round since is known (a case resumed from before rounds were kept may have lost them). */
function firstRound(state: CaseState): CallbackAttempt[] | undefined {
  if (state.callbackRounds.length !== state.reworkCount) return undefined;
  return state.callbackRounds[0] ?? state.callbacks;
}

/** Warnings belong to a handling window; a reassignment or rework opens a new one without them. */
function warningLevel(state: CaseState): 0 | 1 | 2 {
  if (!handlingStatuses.includes(state.status)) return 0;
  return state.warnings.reduce<0 | 1 | 2>((level, w) => (w.window === state.window && w.level > level ? w.level : level), 0);
}

/**
 * The key two reports of one place or one polluter share: width-folded (NFKC), lower case,
 * without spaces or punctuation. "城南路18号" and "城南路 18 号。" are the same address.
 */
export function normalizeKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** One line for the Temporal UI's memo: no names, no phone numbers, no free text. */
export function summaryOf(state: CaseState): string {
  const { complaint } = state;
  const parts = [
    complaint.category,
    complaint.location.district,
    state.status,
    state.unit ? `unit ${state.unit.id}` : undefined,
    state.escalation.tier > 0 ? `tier ${state.escalation.tier}` : undefined,
    state.overdue ? 'OVERDUE' : undefined,
    clockStopped(state) ? 'clock stopped' : undefined,
    hasProvisionalDeadline(state) ? 'provisional deadline' : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}
