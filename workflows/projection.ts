import { hasProvisionalDeadline } from './deadlines';
import type { CaseState, Status } from './model';

/** The row the read side keeps per case (db/schema.ts `complaints`), as the workflow sees it. */
export interface CaseProjection {
  id: string;
  workflowId: string;
  channel: string;
  category: string;
  district: string;
  address: string;
  polluter: string | null;
  summary: string;
  urgent: boolean;
  anonymous: boolean;
  status: Status;
  handlingUnit: string | null;
  escalationTier: number;
  repeatOf: string | null;
  reworkCount: number;
  dueAt: string | null;
  overdue: boolean;
  satisfaction: string | null;
  registeredAt: string;
  acceptedAt: string | null;
  assignedAt: string | null;
  resultSubmittedAt: string | null;
  closedAt: string | null;
}

/** The deadline that matters to people now: dispatch, then handling/rework, then callback. */
export function currentDueAt(state: CaseState): string | undefined {
  const { dispatch, handling, callback } = state.deadlines;
  return (handling ?? callback ?? dispatch)?.dueAt;
}

export function projectionOf(state: CaseState, workflowId: string): CaseProjection {
  const { complaint } = state;
  const reached = state.callbacks.filter((c) => c.outcome !== 'unreachable').at(-1);
  return {
    id: complaint.id,
    workflowId,
    channel: complaint.channel,
    category: complaint.category,
    district: complaint.location.district,
    address: complaint.location.address,
    polluter: complaint.polluter ?? null,
    summary: summaryOf(state),
    urgent: complaint.urgent,
    anonymous: complaint.complainant.anonymous,
    status: state.status,
    handlingUnit: state.unit?.id ?? null,
    escalationTier: state.escalation.tier,
    repeatOf: complaint.repeatOf[0] ?? null,
    reworkCount: state.reworkCount,
    dueAt: currentDueAt(state) ?? null,
    overdue: state.overdue,
    satisfaction: reached?.outcome ?? null,
    registeredAt: state.registeredAt,
    acceptedAt: state.acceptedAt ?? null,
    assignedAt: state.dispatchedAt ?? null,
    resultSubmittedAt: state.result?.submittedAt ?? null,
    closedAt: state.closedAt ?? null,
  };
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
    hasProvisionalDeadline(state) ? 'provisional deadline' : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}
