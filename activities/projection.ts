import { getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { caseEvents, complaints } from '../db/schema';
import type { TimelineEntry } from '../workflows/model';
import type { CaseProjection } from '../workflows/projection';

/** On conflict, every column but the key takes the incoming value. */
const excludedColumns = Object.fromEntries(
  Object.entries(getTableColumns(complaints))
    .filter(([key]) => key !== 'id')
    .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
);

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * Appends the case's new timeline entries and moves its row forward, in one transaction. Events
 * are keyed by (case, seq) and the row only ever moves to a higher seq, so a retried or replayed
 * call changes nothing.
 */
export async function projectCase(
  db: Db,
  { projection, events }: { projection: CaseProjection; events: TimelineEntry[] },
): Promise<void> {
  if (events.length === 0) return;
  const lastSeq = Math.max(...events.map((e) => e.seq));
  const row = {
    ...projection,
    dueAt: date(projection.dueAt),
    registeredAt: new Date(projection.registeredAt),
    acceptedAt: date(projection.acceptedAt),
    assignedAt: date(projection.assignedAt),
    resultSubmittedAt: date(projection.resultSubmittedAt),
    closedAt: date(projection.closedAt),
    lastSeq,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(caseEvents)
      .values(
        events.map((e) => ({
          caseId: projection.id,
          seq: e.seq,
          kind: e.kind,
          actor: e.actor,
          at: new Date(e.at),
          payload: { note: e.note ?? null, ...(e.data ?? {}) },
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(complaints)
      .values(row)
      .onConflictDoUpdate({
        target: complaints.id,
        set: excludedColumns,
        setWhere: sql`${complaints.lastSeq} < excluded.last_seq`,
      });
  });
}
