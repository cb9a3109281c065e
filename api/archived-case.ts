import { storedCase } from '../db/cases';
import type { Db } from '../db/client';
import type { CaseView } from '../workflows/model';
import type { CaseProjection } from '../workflows/projection';

/** A case whose workflow Temporal no longer keeps: its last projection and its audit trail. */
export type ArchivedCase = Pick<CaseView, 'workflowId' | 'status' | 'timeline' | 'onDuty'> & {
  archived: true;
  complaint: Pick<CaseView['complaint'], 'id' | 'channel' | 'category' | 'location'> & { complainant?: never };
  deadlines: Record<string, never>;
  escalation: { tier: number };
  projection: Omit<CaseProjection, 'unit' | 'owners' | 'callbacks' | 'spotCheckSelectedAt'>;
};

export async function archivedCase(db: Db, caseId: string): Promise<ArchivedCase | undefined> {
  const stored = await storedCase(db, caseId);
  if (!stored) return undefined;
  const { row, events } = stored;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const { lastSeq: _seq, updatedAt: _updated, ...projection } = row;
  return {
    archived: true,
    workflowId: row.workflowId,
    status: row.status as CaseView['status'],
    onDuty: null,
    complaint: {
      id: row.id,
      channel: row.channel as CaseView['complaint']['channel'],
      category: row.category,
      location: { address: row.address, district: row.district },
    },
    deadlines: {},
    escalation: { tier: row.escalationTier },
    timeline: events.map((e) => {
      const { note, projection: _projection, ...data } = e.payload as { note: string | null; projection?: unknown } & Record<string, unknown>;
      return { seq: e.seq, at: e.at.toISOString(), kind: e.kind, actor: e.actor, ...(note ? { note } : {}), data };
    }),
    projection: {
      ...projection,
      status: row.status as CaseView['status'],
      dueAt: iso(row.dueAt),
      registeredAt: row.registeredAt.toISOString(),
      acceptedAt: iso(row.acceptedAt),
      assignedAt: iso(row.assignedAt),
      resultSubmittedAt: iso(row.resultSubmittedAt),
      closedAt: iso(row.closedAt),
      spotCheck: row.spotCheck as CaseProjection['spotCheck'],
    },
  };
}

/** What the API shows of a case: the live one, or the archived one. */
export type CaseRecord = CaseView | ArchivedCase;

export function isArchived(record: CaseRecord): record is ArchivedCase {
  return 'archived' in record;
}

export function unitOf(record: CaseRecord): string | null | undefined {
  return isArchived(record) ? record.projection.handlingUnit : record.unit?.id;
}
