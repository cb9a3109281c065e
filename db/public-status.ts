import { timingSafeEqual } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { TimelineKind } from '../workflows/model';
import type { Db } from './client';
import { caseEvents, complaints, units } from './schema';

/**
 * The steps the complainant is shown: how the case moved, never how the bureau watched over it
 * (warnings, supervision, escalations to leaders) or who worked on it.
 */
export const publicSteps = [
  'registered',
  'accepted',
  'not_accepted',
  'transferred_out',
  'merged',
  'assigned',
  'reassigned',
  'extension_approved',
  'extended',
  'result_submitted',
  'callback',
  'returned_for_rework',
  'closed',
] as const satisfies readonly TimelineKind[];

export interface PublicStatus {
  caseId: string;
  status: string;
  category: string;
  district: string;
  /** The handling unit's name. */
  unit: string | null;
  registeredAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  steps: { at: Date; kind: (typeof publicSteps)[number] }[];
}

const sameCode = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A case's progress for whoever holds its number and query code; undefined when either is wrong,
 * so an answer tells nothing of which. The code is the one its `registered` event keeps.
 */
export async function publicStatus(db: Db, caseId: string, queryCode: string): Promise<PublicStatus | undefined> {
  const [row] = await db
    .select({
      caseId: complaints.id,
      status: complaints.status,
      category: complaints.category,
      district: complaints.district,
      unit: units.name,
      registeredAt: complaints.registeredAt,
      dueAt: complaints.dueAt,
      closedAt: complaints.closedAt,
      code: sql<string | null>`${caseEvents.payload} ->> 'queryCode'`,
    })
    .from(complaints)
    .innerJoin(caseEvents, and(eq(caseEvents.caseId, complaints.id), eq(caseEvents.kind, 'registered')))
    .leftJoin(units, eq(units.id, complaints.handlingUnit))
    .where(eq(complaints.id, caseId));
  if (!row?.code || !sameCode(row.code, queryCode)) return undefined;
  const { code: _code, ...status } = row;
  const steps = await db
    .select({ at: caseEvents.at, kind: caseEvents.kind })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, [...publicSteps])))
    .orderBy(asc(caseEvents.seq));
  return { ...status, steps: steps as PublicStatus['steps'] };
}
