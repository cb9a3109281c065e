import { and, eq, getTableColumns, notInArray, sql } from 'drizzle-orm';
import type { TimelineEntry } from '../workflows/model';
import type { CaseProjection } from '../workflows/projection';
import { notifyCaseChange } from './case-changes';
import type { Db, Tx } from './client';
import { callbacks, caseEvents, complaints, jointParts, leaderOwnerships, spotChecks } from './schema';

/** On conflict, every column but the key takes the incoming value. */
const excludedColumns = Object.fromEntries(
  Object.entries(getTableColumns(complaints))
    .filter(([key]) => key !== 'id')
    .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
);

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * Appends the case's new timeline entries and moves its row (and its detail rows) forward, in
 * one transaction. Events are keyed by (case, seq) and the row only ever moves to a higher seq,
 * so a retried or replayed call changes nothing. The last event of each batch carries the
 * projection itself, so the read side can be rebuilt from the events alone.
 */
export async function projectCase(db: Db, { projection, events }: { projection: CaseProjection; events: TimelineEntry[] }): Promise<void> {
  if (events.length === 0) return;
  const lastSeq = Math.max(...events.map((e) => e.seq));
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
          payload: {
            note: e.note ?? null,
            ...(e.actorName !== undefined ? { actorName: e.actorName } : {}),
            ...(e.data ?? {}),
            ...(e.seq === lastSeq ? { projection } : {}),
          },
        })),
      )
      .onConflictDoNothing();
    await writeProjection(tx, projection, lastSeq);
  });
}

/** The row and its details as of `seq`; an older projection than the stored one is ignored. */
export async function writeProjection(tx: Tx | Db, projection: CaseProjection, seq: number): Promise<void> {
  // The unit stays in the projection (the archived view reads it from the events); its row is
  // `complaints.handling_unit`, and `units` belongs to the organisation registry (db/organisation.ts).
  const { unit: _unit, owners, callbacks: current, callbackRounds, spotCheckSelectedAt, jointParts: parts, ...row } = projection;
  // Every round's attempts: a projection written before rounds were kept has only the current one.
  const attempts = [...(callbackRounds ?? []).flat(), ...current];
  // The unit before this write, for the change feed: a reassignment takes the case out of a unit's queue.
  const [before] = seq > 0 ? await tx.select({ unit: complaints.handlingUnit }).from(complaints).where(eq(complaints.id, row.id)) : [];
  const updatedAt = new Date();
  const moved = await tx
    .insert(complaints)
    .values({
      ...row,
      dueAt: date(row.dueAt),
      registeredAt: new Date(row.registeredAt),
      acceptedAt: date(row.acceptedAt),
      assignedAt: date(row.assignedAt),
      resultSubmittedAt: date(row.resultSubmittedAt),
      closedAt: date(row.closedAt),
      rewardOpenedAt: date(row.rewardOpenedAt),
      rewardDueAt: date(row.rewardDueAt),
      rewardClaimedAt: date(row.rewardClaimedAt),
      rewardPaidAt: date(row.rewardPaidAt),
      lastSeq: seq,
      updatedAt,
    })
    .onConflictDoUpdate({ target: complaints.id, set: excludedColumns, setWhere: sql`${complaints.lastSeq} < excluded.last_seq` })
    .returning({ id: complaints.id });
  if (moved.length === 0) return;
  const caseId = row.id;
  // In this transaction, so listeners hear of the change only once it is committed. Sequence 0 is an
  // intake's row whose workflow has not started: no case yet (its first projection follows).
  if (seq > 0) {
    const previousUnit = before && before.unit !== row.handlingUnit ? before.unit : null;
    await notifyCaseChange(tx, {
      id: caseId,
      status: row.status,
      version: seq,
      at: updatedAt.toISOString(),
      district: row.district,
      unit: row.handlingUnit,
      previousUnit,
    });
  }
  await tx.delete(leaderOwnerships).where(
    owners.length > 0
      ? and(
          eq(leaderOwnerships.caseId, caseId),
          notInArray(
            leaderOwnerships.leaderId,
            owners.map((o) => o.leaderId),
          ),
        )
      : eq(leaderOwnerships.caseId, caseId),
  );
  if (owners.length > 0) {
    // One row per leader: a leader named twice would make the insert touch its row twice, which Postgres refuses.
    const byLeader = new Map(owners.map((o) => [o.leaderId, o]));
    await tx
      .insert(leaderOwnerships)
      .values([...byLeader.values()].map((o) => ({ caseId, leaderId: o.leaderId, kind: o.kind, tier: row.escalationTier })))
      .onConflictDoUpdate({ target: [leaderOwnerships.caseId, leaderOwnerships.leaderId], set: { tier: row.escalationTier } });
  }
  if (attempts.length > 0) {
    await tx
      .insert(callbacks)
      .values(attempts.map((c) => ({ caseId, at: new Date(c.at), outcome: c.outcome, by: c.by })))
      .onConflictDoNothing();
  }
  // A part never leaves a case (a refused or waived one stays, marked): rows are upserted, none deleted.
  if (parts && parts.length > 0) {
    await tx
      .insert(jointParts)
      .values(parts.map((p) => ({ caseId, unitId: p.unit, status: p.status, dueAt: new Date(p.dueAt) })))
      .onConflictDoUpdate({ target: [jointParts.caseId, jointParts.unitId], set: { status: sql.raw('excluded.status'), dueAt: sql.raw('excluded.due_at') } });
  }
  if (spotCheckSelectedAt) {
    const passed = row.spotCheck === 'passed' ? true : row.spotCheck === 'failed' ? false : null;
    await tx
      .insert(spotChecks)
      .values({ caseId, selectedAt: new Date(spotCheckSelectedAt), passed })
      .onConflictDoUpdate({ target: [spotChecks.caseId, spotChecks.selectedAt], set: { passed } });
  }
}

/**
 * Takes back the row an intake wrote at sequence 0: only while no workflow has written to it, so
 * a workflow that did start keeps the row its first projection writes.
 */
export async function deleteUnstartedCase(db: Db, caseId: string): Promise<void> {
  await db.delete(complaints).where(and(eq(complaints.id, caseId), eq(complaints.lastSeq, 0)));
}

/**
 * Rebuilds every case's row from the projections the events carry: after a lost table, a new
 * column or a bug in the projection code. Idempotent; returns how many cases it rebuilt.
 */
export async function rebuildProjections(db: Db): Promise<number> {
  const latest = await db.execute<{ seq: number; projection: CaseProjection }>(sql`
    select distinct on (case_id) seq, payload->'projection' as projection
    from case_events where payload ? 'projection'
    order by case_id, seq desc`);
  for (const { seq, projection } of latest.rows) {
    await db.transaction(async (tx) => {
      await tx.delete(complaints).where(eq(complaints.id, projection.id));
      await writeProjection(tx, projection, seq);
    });
  }
  return latest.rows.length;
}
