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

export function districtOf(record: CaseRecord): string {
  return isArchived(record) ? record.row.district : record.complaint.location.district;
}

export function unitOf(record: CaseRecord): string | null | undefined {
  return isArchived(record) ? record.row.handlingUnit : record.unit?.id;
}

/**
 * The co-units holding a part of the case (联合办理): the live case's parts, or those the last
 * projection of an archived one carried.
 */
export function coUnitsOf(record: CaseRecord): string[] {
  if (!isArchived(record)) return (record.jointParts ?? []).map((p) => p.unit.id);
  const last = [...record.events].reverse().find((e) => typeof e.payload === 'object' && e.payload !== null && 'projection' in e.payload);
  const projection = (last?.payload as { projection?: { jointParts?: { unit: string }[] } } | undefined)?.projection;
  return (projection?.jointParts ?? []).map((p) => p.unit);
}

/** The case's first receiver now (the read side keeps it in the row); none while it waits in the queue. */
export function firstReceiverOf(record: CaseRecord): string | undefined {
  if (!isArchived(record)) return record.firstReceiver ?? record.complaint.firstReceiver;
  return record.row.firstReceiver ?? registeredBy(record);
}

/** Who registered the case: the integrator's key, or the registrar (cases before `submittedBy` kept the integrator as first receiver). */
export function submitterOf(record: CaseRecord): string | undefined {
  if (!isArchived(record)) return record.complaint.submittedBy ?? record.complaint.firstReceiver;
  return registeredBy(record);
}

const registeredBy = (record: ArchivedCase) => registrationEvent(record.events)?.actor.split(':')[1];

/** The registration event: its actor is `registrar:<first receiver>` or `integrator:<key>`. */
export function registrationEvent(events: readonly CaseEvent[]): CaseEvent | undefined {
  return events.find((e) => e.kind === 'registered');
}
