/**
 * The words of the domain (see docs/domain.md), shared by the workflow, the activities and the
 * API. Plain data only: everything here crosses the Temporal boundary as JSON.
 */
import type { CalendarYear } from './calendar';
import type { Channel } from './channels';
import type { Policy } from './policy';

// Still one of the model's words, so importers of the model find it here.
export { channels, type Channel } from './channels';

export const statuses = [
  'registered',
  'accepted',
  'assigned',
  'in_progress',
  'rework',
  'result_review',
  'callback',
  'closed',
  'under_review',
  'not_accepted',
  'transferred_out',
  'merged',
  'withdrawn',
] as const;
export type Status = (typeof statuses)[number];

/** Statuses in which the case is over and the workflow completes. */
export const finalStatuses: readonly Status[] = ['not_accepted', 'transferred_out', 'merged', 'withdrawn'];

export const roles = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops', 'admin', 'system'] as const;
export type Role = (typeof roles)[number];

/** Who performs an action: the API derives it from the caller's credentials, never from the body. */
export interface Actor {
  role: Role;
  /** The person's account id, or an integrator's key id. */
  id: string;
  /** The person's name, for the timeline; integrators and the system have none. */
  name?: string;
  /** The handling unit a `unit` actor belongs to. */
  unitId?: string;
}

export interface Complainant {
  anonymous: boolean;
  name?: string;
  phone?: string;
  idNumber?: string;
}

export interface Location {
  address: string;
  district: string;
  lat?: number;
  lng?: number;
}

export interface Complaint {
  id: string;
  channel: Channel;
  category: string;
  description: string;
  location: Location;
  polluter?: string;
  /** The polluter's industry, when known (monthly reports count by it). */
  industry?: string;
  complainant: Complainant;
  evidence: string[];
  urgent: boolean;
  /** When the complaint reached the bureau (ISO 8601); the deadlines count from here. */
  receivedAt: string;
  /**
   * The first receiver (首接负责人) at registration: the registrar who took the case in. Absent
   * for a case from a platform, which waits in its district's queue until a registrar claims it.
   */
  firstReceiver?: string;
  /** The integrator (API key) that submitted the case, for a case from a platform. */
  submittedBy?: string;
  /** Earlier cases this one repeats, found at registration. */
  repeatOf: string[];
  /** Those of them still open then: with this report they count toward the repeat escalation (policy `repeatEscalationReports`). */
  unresolvedRepeatOf?: string[];
  /** Cases at the same place about another named polluter: different cases, linked as nearby. */
  nearby?: string[];
  /**
   * The query code (查询码) made at registration and told the complainant at acceptance: with the
   * case number it lets anyone holding both read the case's progress (`POST /status`). Absent
   * from cases registered before it existed.
   */
  queryCode?: string;
  /** 集体信访: a report made by several people together, and how many (2 or more). Absent: one person's. */
  collective?: { complainants: number };
  /** The hotline work order (工单) it came as: the platform's number, and its deadline as the platform wrote it. */
  workOrder?: { number: string; dueAt?: string };
  /**
   * An anonymous complainant's claim code (兑奖码), as SHA-256 (hex) of the case id, a colon and
   * the code: the code itself is told once, in the registration's answer, and kept nowhere, so
   * nobody reading the history (ops, through the codec) can claim a reward with it. Absent for a
   * named complainant (paid as who they are) and in cases registered before it existed.
   */
  claimCodeHash?: string;
}

export interface ComplaintWorkflowInput {
  complaint: Complaint;
  policy: Policy;
  /** Calendar years the deadlines may need, computed outside the workflow so replay sees the same. */
  calendar: CalendarYear[];
  /** An open case about the same problem, found at registration: the report is added to it. */
  mergeInto?: string;
  /** Carried across continue-as-new. */
  resume?: CaseState;
  /** History length at which the case continues as new (the server may suggest it earlier). */
  continueAsNewAfterEvents?: number;
}

export const unitLevels = ['province', 'city', 'district', 'street'] as const;

export interface Unit {
  id: string;
  name: string;
  level: (typeof unitLevels)[number];
  /** The registry's version of the unit when the case was given it: a later change leaves the case's copy as it was. */
  version?: number;
}

export const findings = ['substantiated', 'partly_substantiated', 'not_substantiated'] as const;
export type Finding = (typeof findings)[number];
export const enforcementActions = ['inspection', 'order_to_rectify', 'penalty', 'case_filed', 'mediation', 'none'] as const;
export type EnforcementAction = (typeof enforcementActions)[number];

export interface Result {
  finding: Finding;
  actions: EnforcementAction[];
  reply: string;
  submittedAt: string;
  by: string;
  /** Submitted within the (possibly extended) handling deadline: the on-time completion rate. */
  onTime: boolean;
}

export const callbackOutcomes = ['satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];

export interface CallbackAttempt {
  outcome: CallbackOutcome;
  note?: string;
  at: string;
  by: string;
  /** The case of a report merged into this one whose complainant was called (absent: the first complainant). */
  for?: string;
}

/**
 * A report about this case that arrived as a case of its own and was merged into it. Its
 * complainant is kept (in the workflow's encrypted state only) so they hear the result and are
 * called back like the first; absent from reports merged before they were kept, or anonymous.
 */
export interface RepeatReport {
  caseId: string;
  at: string;
  summary: string;
  complainant?: Complainant;
  /** Where the result is texted: set when nobody else answers them (no platform submitted the report). */
  contact?: { phone: string };
}

/** 双包案: a system leader and a territorial leader may own a case together. */
export const ownerKinds = ['system', 'territorial'] as const;

export interface LeaderOwner {
  leaderId: string;
  kind: (typeof ownerKinds)[number];
}

export interface Escalation {
  /** 0 none, 1 section chief, 2 branch bureau head, 3 city bureau leader. */
  tier: 0 | 1 | 2 | 3;
  owners: LeaderOwner[];
  reason?: string;
  since?: string;
  plan?: string;
  progress: { note: string; at: string; by: string }[];
  resolved: boolean;
}

export interface Deadline {
  /** ISO instant; exclusive end (00:00 Shanghai after the last counted working day). */
  dueAt: string;
  /** Rests on a year whose official holiday schedule was not yet published. */
  provisional: boolean;
  /** How it was computed, so it can be recomputed when the official calendar arrives. */
  basis: { from: string; workingDays: number } | { from: string; minutes: number };
}

export const deadlineNames = [
  'dispatch',
  'handling',
  'warning1',
  'warning2',
  'escalation',
  'callback',
  'rapidResponse',
  'leaderReview',
  'reviewWindow',
  'rewardPayment',
  'extensionDecision',
  'mergeDecision',
  'resultReview',
  'spotCheck',
  'supervisionReply',
  'pauseAnswer',
] as const;
export type DeadlineName = (typeof deadlineNames)[number];

export interface Extension {
  days: number;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** The handling window it was asked in: one per window (a rework opens a new one). Absent: asked before windows counted. */
  window?: number;
  decision?: 'approved' | 'denied';
  decidedBy?: string;
  decidedAt?: string;
}

/** What a file attached to a case is (附件): the console's labels are in lib/labels-zh.ts. */
export const attachmentKinds = ['evidence_photo', 'inspection_record', 'penalty_decision', 'other'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

/** The file formats taken, as their content shows them (lib/attachments/content.ts sniffs them). */
export const attachmentTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'video/mp4'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/**
 * A file of the case, by reference: its bytes are in the object store (lib/attachments), sealed,
 * under the case's id and this id; the SHA-256 checks them when read back. Never the bytes here:
 * the state is in the workflow's history.
 */
export interface AttachmentRef {
  id: string;
  kind: AttachmentKind;
  /** The file name as the uploader gave it, for the download's Content-Disposition. */
  name: string;
  mimeType: AttachmentType;
  size: number;
  sha256: string;
  /** The account or key id of who attached it, and when. */
  by: string;
  at: string;
}

/** A supervisor's supervision order (督办): what they ask, and the unit's written answer by the reply deadline. */
export interface Supervision {
  note: string;
  by: string;
  at: string;
  dueAt: string;
  reply?: { note: string; by: string; at: string; onTime: boolean };
  /** The reply deadline passed unanswered. */
  overdue?: boolean;
}

export const pauseParties = ['complainant', 'third_party'] as const;

/**
 * The handling clock stopped (中止) while the complainant or a third party (a test lab, another
 * authority) supplies what is missing: until the answer, or its deadline.
 */
export interface Pause {
  awaiting: (typeof pauseParties)[number];
  /** Who the third party is (检测机构, 自然资源局). */
  party?: string;
  question: string;
  by: string;
  at: string;
  /** The answer's deadline: the clock starts again then, answered or not. */
  dueAt: string;
  resumedAt?: string;
  answer?: string;
  /** The answer's deadline passed: the clock started again without it. */
  expired?: boolean;
  /** Working days the stopped deadlines moved by, once the clock started again. */
  workingDays?: number;
}

/** A reward's amount (yuan) and who proposed it, on what basis (奖励金额及依据). */
export interface RewardProposal {
  amountYuan: number;
  basis: string;
  by: string;
  at: string;
}

/**
 * 有奖举报: a reward owed to the reporter. Opened when the result is released; paid within the
 * policy's months. Rewards opened under patched('reward-by-violation') carry `approvalRequired`
 * and `eligibleBy`; those opened before have neither and are paid as they always were.
 */
export interface Reward {
  openedAt: string;
  dueAt: string;
  paidAt?: string;
  reference?: string;
  overdue: boolean;
  /** What made the report eligible: the enforcement actions the policy rewards, or else the reward category. */
  eligibleBy?: { actions: EnforcementAction[] } | { category: string };
  /** The payment waits for an amount a second supervisor approved (四眼原则). Absent: a reward opened before the rule. */
  approvalRequired?: true;
  /** The amount proposed; a new proposal replaces it until one is approved, which fixes it. */
  proposal?: RewardProposal;
  approval?: { by: string; at: string; note?: string };
  /** When the anonymous reporter presented the case number and claim code (兑奖). */
  claimedAt?: string;
}

/** Every kind of timeline entry: what people did, what timers and policy did, what systems reported. */
export const timelineKinds = [
  // Registration and intake decisions.
  'registered',
  'accepted',
  'not_accepted',
  'transferred_out',
  'merged',
  'withdrawn',
  'follow_up',
  'attachment_added',
  'repeat_reported',
  'merge_target_unreachable',
  'merge_confirmed',
  'merge_split',
  'repeat_split',
  // First receiver (首接负责).
  'claimed',
  'handed_over',
  'unit_warned',
  'unit_supervised',
  // A supervisor's 督办, and the unit's answer.
  'supervision_ordered',
  'supervision_answered',
  'supervision_reply_overdue',
  // Assignment and handling.
  'assigned',
  'reassigned',
  'jurisdiction_refused',
  'acknowledged',
  'on_site_report',
  'result_submitted',
  'result_review_overdue',
  'result_approved',
  'result_rejected',
  'extension_requested',
  'extension_decision_overdue',
  'extension_approved',
  'extension_denied',
  'extended',
  'urgency_changed',
  // The clock stopped for missing information (中止/补充材料), and started again.
  'clock_paused',
  'clock_resumed',
  // Deadlines.
  'dispatch_overdue',
  'warning',
  'overdue',
  'rapid_response_missed',
  'callback_overdue',
  'calendar_updated',
  // Callback, rework, closure and review.
  'callback',
  'returned_for_rework',
  'closed',
  'spot_check_selected',
  'spot_check_passed',
  'spot_check_failed',
  'spot_check_overdue',
  // Leader ownership (领导包案).
  'escalated',
  'escalation_kept',
  'leaders_assigned',
  'leader_missing',
  'leader_plan',
  'leader_progress',
  'leader_review',
  // Rewards (有奖举报).
  'reward_opened',
  'reward_proposed',
  'reward_approved',
  'reward_claimed',
  'reward_paid',
  'reward_overdue',
  // Joint handling (联合办理): co-units' parts, each a child workflow of the case.
  'joint_assigned',
  'joint_part_acknowledged',
  'joint_part_warning',
  'joint_part_overdue',
  'joint_part_done',
  'joint_part_refused',
  'joint_parts_waived',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: TimelineKind;
  actor: string;
  /** The name of the person who acted, beside their `role:account` in `actor`. */
  actorName?: string;
  /** Short zh-CN/English-neutral note for people; structured detail sits in `data`. */
  note?: string;
  data?: Record<string, unknown>;
}

export const jointPartStatuses = ['working', 'done', 'refused', 'waived'] as const;
export type JointPartStatus = (typeof jointPartStatuses)[number];

/** What a co-unit found and did for its part, in the shape of a result: the lead unit consolidates it into the case's. */
export type JointPartResult = Result;

/**
 * 联合办理: a co-unit's part of the case, worked as a child workflow (`jointPartWorkflow`,
 * workflows/joint-part.ts) with its own deadline and warnings. The case keeps what the part
 * reported; the child's own state is a Query away.
 */
export interface JointPart {
  unit: Unit;
  /** What the lead unit or first receiver asks of the co-unit (e.g. 街道办配合现场核查). */
  task: string;
  status: JointPartStatus;
  /** The child workflow's id: `complaint-<id>-part-<unitId>`. */
  workflowId: string;
  assignedAt: string;
  assignedBy: string;
  dueAt: string;
  acknowledgedAt?: string;
  /** The highest warning raised on the part: 0 none, 1 and 2 as the case's (policy thresholds). */
  warningLevel: 0 | 1 | 2;
  overdue: boolean;
  result?: JointPartResult;
  /** Why the co-unit refused its part, or a supervisor went on without it (waived). */
  reason?: string;
  endedAt?: string;
}

export interface CaseState {
  complaint: Complaint;
  policy: Policy;
  calendar: CalendarYear[];
  status: Status;
  registeredAt: string;
  acceptedAt?: string;
  dispatchedAt?: string;
  /** Assigned within the channel's dispatch deadline: the timely acceptance rate. */
  dispatchedOnTime?: boolean;
  /** When the dispatch deadline passed with the case still waiting for its first unit. */
  dispatchOverdueAt?: string;
  unit?: Unit;
  dutyOfficer?: string;
  /**
   * Registered under patched('rapid-response-by-policy'): the on-site clock is for urgent cases
   * and, in the rapid-response categories, for those received in the night hours. Absent (cases
   * registered before): every complaint of the categories gets it.
   */
  rapidResponseByPolicy?: true;
  /**
   * Registered under patched('complainant-told-every-step'): the complainant also hears of the
   * assignment, an extension, a merge, a rework and the closing. Absent (cases registered before):
   * of acceptance or not, a transfer and the result only.
   */
  tellsComplainantEveryStep?: true;
  /** The first receiver now, once a registrar claimed the case or it was handed over (else the complaint's). */
  firstReceiver?: string;
  onSiteReportedAt?: string;
  refusedBy: string[];
  /** Handling windows are numbered so a timer of an earlier window never fires into a later one. */
  window: number;
  deadlines: Partial<Record<DeadlineName, Deadline>>;
  /** Timer events already fired, as `<deadline>@<dueAt>`. */
  fired: string[];
  warnings: { level: 1 | 2; at: string; window: number }[];
  overdue: boolean;
  extension?: Extension;
  result?: Result;
  /** The callback attempts (回访) of the current round: since the latest result. */
  callbacks: CallbackAttempt[];
  /**
   * The rounds before, one per rework, oldest first: the first is the first-time satisfaction
   * (一次办理满意率). Empty in a case resumed from before rounds were kept, whose earlier rounds
   * are gone.
   */
  callbackRounds: CallbackAttempt[][];
  reworkCount: number;
  /** The clock's stops (中止), oldest first; the last one stops it while it has not resumed. */
  pauses: Pause[];
  /** The supervisor's supervision orders (督办), oldest first; at most the last awaits its answer. */
  supervisions: Supervision[];
  escalation: Escalation;
  spotCheck?: { selectedAt: string; passed?: boolean; note?: string; decidedAt?: string };
  /** 有奖举报: a report whose result found a violation the policy rewards; paid within the policy's months. */
  reward?: Reward;
  closedAt?: string;
  closeReason?: string;
  mergedInto?: string;
  /**
   * Merged by repeat detection, not by a person: a registrar confirms the merge or splits the case
   * off again by `mergeDecision`, after which it is confirmed. Absent: nothing to decide.
   */
  mergeUnconfirmed?: true;
  repeatReports: RepeatReport[];
  /** Files attached (附件), by reference. Absent from cases that never had one, and from those carried across continue-as-new before it existed. */
  attachments?: AttachmentRef[];
  /** 联合办理: the co-units' parts, oldest first. Absent from cases that never had one (resumed() defaults it). */
  jointParts?: JointPart[];
  timeline: TimelineEntry[];
  /** Timeline entries up to this one are in Postgres. */
  projectedSeq: number;
  /** Notices and projections still to be written by activities. */
  outbox: OutboxItem[];
}

export type NoticeKind =
  | 'acceptance'
  | 'not_accepted'
  | 'transferred'
  | 'assignment'
  | 'warning'
  | 'supervision'
  | 'rework'
  | 'result_reply'
  | 'escalation'
  | 'rapid_response_missed'
  | 'callback_overdue'
  | 'reward'
  | 'handover'
  // To the complainant, in cases that tell them every step (tellsComplainantEveryStep).
  | 'case_assigned'
  | 'case_extended'
  | 'case_merged'
  | 'case_reworked'
  | 'case_closed'
  // To the complainant whenever the clock stops for what they must supply (补充材料).
  | 'information_requested'
  // 联合办理: a co-unit's part assigned, done, refused, waived or late (params.event).
  | 'joint_part'
  // Stored by the notice activity, never by the workflow: a duty recipient nobody was on duty for.
  | 'roster_gap';

export interface NoticeRequest {
  /** Idempotency key: the same notice is never stored twice, however often an activity retries. */
  key: string;
  kind: NoticeKind;
  recipient: string;
  params: Record<string, string | number | boolean>;
  /**
   * When the workflow raised it: `duty-leader` and the like stand for whoever was on duty then,
   * however late the activity runs. Absent from notices queued before it existed (then: now).
   */
  at?: string;
  /**
   * Where a notice to the complainant is texted: the phone they gave, when nobody else answers
   * them (a platform that submitted the case tells them itself). Never stored outside Temporal's
   * encrypted payloads: the activity that records the notice strips it.
   */
  to?: { phone: string };
}

export type OutboxItem =
  | { type: 'notice'; notice: NoticeRequest }
  | { type: 'merge'; intoCaseId: string }
  | { type: 'split'; fromCaseId: string }
  | { type: 'findLeaders'; tier: Escalation['tier'] };

/** The case without the workflow's bookkeeping: what rules on the case may read, in the workflow and in the API. */
export type CaseFacts = Omit<CaseState, 'outbox' | 'calendar' | 'fired' | 'projectedSeq'>;

/**
 * What queries and update results return: the case's state minus the outbox and the timer
 * bookkeeping. The API never hands it out as is: it presents it as its public CaseView.
 */
export type CaseSnapshot = CaseFacts & {
  workflowId: string;
  /** Who must act next, e.g. `unit:unit-a`, `registrar:reg-1`, `supervisor`; none once finished. */
  onDuty: string | null;
};

/**
 * What an action's Update answers: where the case stands after it and what it recorded. Not the
 * whole case: an answer is kept in the history for good, and five whole cases were half a case's
 * history bytes (docs/performance.md). The whole case is a Query away.
 */
export interface ActionOutcome {
  status: Status;
  onDuty: string | null;
  /** The deadline that matters now (dispatch, handling or callback), if any. */
  dueAt: string | null;
  /** The timeline entries the action added, in order. */
  recorded: TimelineEntry[];
}
