import { storedCase, type CaseEvent, type CaseRow } from '../db/cases';
import type { Db } from '../db/client';
import type { CaseSnapshot } from '../workflows/model';

/**
 * A case whose workflow Temporal no longer keeps: its row of the read side and its audit trail,
 * as stored. The API presents it as a CaseView (api/case-view.ts, `archivedCaseView`).
 */
export interface ArchivedCase {
  archived: true;
  row: CaseRow;
  events: CaseEvent[];
}

export async function archivedCase(db: Db, caseId: string): Promise<ArchivedCase | undefined> {
  const stored = await storedCase(db, caseId);
  return stored && { archived: true, ...stored };
}

/** A case as the API reads it, before it presents it: the live one, or the archived one. */
export type CaseRecord = CaseSnapshot | ArchivedCase;

export function isArchived(record: CaseRecord): record is ArchivedCase {
  return 'archived' in record;
}

export function unitOf(record: CaseRecord): string | null | undefined {
  return isArchived(record) ? record.row.handlingUnit : record.unit?.id;
}

/** Who registered the case: its first receiver (an archived case keeps it in its first event). */
export function firstReceiverOf(record: CaseRecord): string | undefined {
  if (!isArchived(record)) return record.complaint.firstReceiver;
  return registrationEvent(record.events)?.actor.split(':')[1];
}

/** The registration event: its actor is `registrar:<first receiver>`. */
export function registrationEvent(events: readonly CaseEvent[]): CaseEvent | undefined {
  return events.find((e) => e.kind === 'registered');
}
