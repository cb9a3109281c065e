import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { currentDueAt } from './projection';
import type { CaseState, Complaint } from './model';
import {
  Category,
  Channel,
  ComplaintStatus,
  District,
  DueAt,
  EscalationTier,
  HandlingUnit,
  Overdue,
  RepeatComplaint,
  Urgent,
} from './search-attributes';

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
    { key: Overdue, value: state.overdue },
    { key: EscalationTier, value: state.escalation.tier },
    { key: RepeatComplaint, value: state.complaint.repeatOf.length > 0 || state.repeatReports.length > 0 },
    { key: HandlingUnit, value: state.unit?.id ?? null },
    { key: DueAt, value: due ? new Date(due) : null },
  ];
  // Later pairs win: the initial ones only fill in what the state does not override.
  return [...new Map(pairs.map((p) => [p.key.name, p])).values()];
}
