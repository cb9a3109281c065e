import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { caseEvents, complaints, units } from './schema';

/** What a hotline platform is told of a case's step: its work-order number, the unit handling it, what the step recorded. */
export interface HotlineFacts {
  workOrderNo: string;
  unit: string | null;
  payload: Record<string, unknown>;
}

/** The facts of event `seq` of a case; undefined when the case did not come as a work order. */
export async function hotlineFacts(db: Db, caseId: string, seq: number): Promise<HotlineFacts | undefined> {
  const registered = sql<
    string | null
  >`(select ${caseEvents.payload} ->> 'workOrder' from ${caseEvents} where ${caseEvents.caseId} = ${caseId} and ${caseEvents.kind} = 'registered')`;
  const [row] = await db
    .select({ workOrderNo: registered, unit: units.name, payload: caseEvents.payload })
    .from(caseEvents)
    .innerJoin(complaints, eq(complaints.id, caseEvents.caseId))
    .leftJoin(units, eq(units.id, complaints.handlingUnit))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.seq, seq)));
  if (!row?.workOrderNo) return undefined;
  return { workOrderNo: row.workOrderNo, unit: row.unit, payload: row.payload as Record<string, unknown> };
}
