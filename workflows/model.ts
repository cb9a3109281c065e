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

export const roles = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops', 'system'] as const;
export type Role = (typeof roles)[number];

/** Who performs an action: the API derives it from the caller's key, never from the body. */
export interface Actor {
  role: Role;
  id: string;
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
  /** The first receiver (首接负责人), who owns the case to the end. */
  firstReceiver: string;
  /** Earlier cases this one repeats, found at registration. */
  repeatOf: string[];
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

export interface Unit {
  id: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'street';
}

export type Finding = 'substantiated' | 'partly_substantiated' | 'not_substantiated';
export type EnforcementAction = 'inspection' | 'order_to_rectify' | 'penalty' | 'case_filed' | 'mediation' | 'none';

export interface Result {
  finding: Finding;
  actions: EnforcementAction[];
  reply: string;
  submittedAt: string;
  by: string;
  /** Submitted within the (possibly extended) handling deadline: the on-time completion rate. */
  onTime: boolean;
}

export type CallbackOutcome = 'satisfied' | 'basically_satisfied' | 'unsatisfied' | 'unreachable';

export interface CallbackAttempt {
  outcome: CallbackOutcome;
  note?: string;
  at: string;
  by: string;
}

export interface LeaderOwner {
  leaderId: string;
  /** 双包案: a system leader and a territorial leader may own a case together. */
  kind: 'system' | 'territorial';
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

export type DeadlineName =
  | 'dispatch'
  | 'handling'
  | 'warning1'
  | 'warning2'
  | 'escalation'
  | 'callback'
  | 'rapidResponse'
  | 'leaderReview'
  | 'reviewWindow'
  | 'rewardPayment';

export interface Extension {
  days: number;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decision?: 'approved' | 'denied';
  decidedBy?: string;
  decidedAt?: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  /** Short zh-CN/English-neutral note for people; structured detail sits in `data`. */
  note?: string;
  data?: Record<string, unknown>;
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
  unit?: Unit;
  dutyOfficer?: string;
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
  callbacks: CallbackAttempt[];
  reworkCount: number;
  escalation: Escalation;
  spotCheck?: { selectedAt: string; passed?: boolean; note?: string; decidedAt?: string };
  /** 有奖举报: a substantiated report in a reward category; paid within the policy's months. */
  reward?: { openedAt: string; dueAt: string; paidAt?: string; reference?: string; overdue: boolean };
  closedAt?: string;
  closeReason?: string;
  mergedInto?: string;
  repeatReports: { caseId: string; at: string; summary: string }[];
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
  | 'reward';

export interface NoticeRequest {
  /** Idempotency key: the same notice is never stored twice, however often an activity retries. */
  key: string;
  kind: NoticeKind;
  recipient: string;
  params: Record<string, string | number | boolean>;
}

export type OutboxItem =
  | { type: 'notice'; notice: NoticeRequest }
  | { type: 'merge'; intoCaseId: string }
  | { type: 'findLeaders'; tier: Escalation['tier'] };

/** What queries and update results return: the full case, minus the internal outbox. */
export type CaseView = Omit<CaseState, 'outbox' | 'calendar' | 'fired' | 'projectedSeq'> & {
  workflowId: string;
  /** Who must act next, e.g. `unit:unit-a`, `registrar:reg-1`, `supervisor`; none once finished. */
  onDuty: string | null;
};
