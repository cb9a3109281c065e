import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { patched } from '@temporalio/workflow';
import { dispatchOverdue } from './case';
import { currentDueAt } from './projection';
import type { CaseState, Complaint } from './model';
import { Category, Channel, ComplaintStatus, District, DueAt, EscalationTier, HandlingUnit, Overdue, RepeatComplaint, Urgent } from './search-attributes';

/** The attributes known at registration, set by the API when it starts the workflow. */
export function initialSearchAttributes(complaint: Complaint): SearchAttributePair[] {
  return [
    { key: ComplaintStatus, value: 'registered' },
    { key: Channel, value: complaint.channel },
    { key: Category, value: complaint.category },
    { key: District, value: complaint.location.district },
    { key: Urgent, value: complaint.urgent },
    { key: RepeatComplaint, value: complaint.repeatOf.length > 0 },
    { key: Overdue, value: false },
    { key: EscalationTier, value: 0 },
  ];
}

/** Everything ops filter on, kept current after every change; personal data never goes here. */
export function searchAttributesOf(state: CaseState): SearchAttributeUpdatePair[] {
  const due = currentDueAt(state);
  const pairs: SearchAttributeUpdatePair[] = [
    ...initialSearchAttributes(state.complaint),
    { key: ComplaintStatus, value: state.status },
    { key: Overdue, value: overdue(state) },
    { key: EscalationTier, value: state.escalation.tier },
    { key: RepeatComplaint, value: state.complaint.repeatOf.length > 0 || state.repeatReports.length > 0 },
    { key: HandlingUnit, value: state.unit?.id ?? null },
    { key: DueAt, value: due ? new Date(due) : null },
  ];
  // Later pairs win: the initial ones only fill in what the state does not override.
  return [...new Map(pairs.map((p) => [p.key.name, p])).values()];
}

/**
 * `Overdue = true` in the Temporal UI finds what `GET /complaints?overdue=true` lists: late on
 * handling, or past the dispatch deadline with no unit yet. The second part came after cases were
 * running: their histories upserted nothing when the dispatch deadline passed, so it is patched in
 * (false while such a history replays, true from the case's next change on).
 */
function overdue(state: CaseState): boolean {
  return state.overdue || (dispatchOverdue(state) && patched('overdue-includes-dispatch'));
}
