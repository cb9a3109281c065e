import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { caseEvents, complaints } from './schema';

/** A case's row of the read side. */
export type CaseRow = typeof complaints.$inferSelect;
/** An entry of a case's audit trail. */
export type CaseEvent = typeof caseEvents.$inferSelect;

/** A case's row and its audit trail, once its workflow has written them. */
export async function storedCase(db: Db, caseId: string): Promise<{ row: CaseRow; events: CaseEvent[] } | undefined> {
  const [row] = await db.select().from(complaints).where(eq(complaints.id, caseId));
  // A row at sequence 0 was written by an intake whose workflow has not started (yet): no case.
  if (!row || row.lastSeq === 0) return undefined;
  const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq));
  return { row, events };
}

/** What a list of cases is narrowed to; every filter left out matches every case. */
export interface CaseFilter {
  status?: string;
  district?: string;
  unit?: string;
  category?: string;
  channel?: string;
  overdue?: boolean;
  urgent?: boolean;
  escalated?: boolean;
  registeredFrom?: Date;
  registeredTo?: Date;
  /** A substring of the summary, the address or the polluter. */
  text?: string;
  /** The last case of the previous page: the page goes on after it, in (registered_at, id) order. */
  after?: { registeredAt: Date; id: string };
}

/** The list's `text` matches a substring: its own `%`, `_` and `\` are literal, not ILIKE wildcards. */
function textMatch(text: string): SQL | undefined {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  return or(ilike(complaints.summary, pattern), ilike(complaints.address, pattern), ilike(complaints.polluter, pattern));
}

/** A page of cases, newest first (by registration, then id), and whether more follow. */
export async function listCases(db: Db, q: CaseFilter, limit: number): Promise<{ page: CaseRow[]; more: boolean }> {
  const filters: (SQL | undefined)[] = [
    q.status ? eq(complaints.status, q.status) : undefined,
    q.district ? eq(complaints.district, q.district) : undefined,
    q.unit ? eq(complaints.handlingUnit, q.unit) : undefined,
    q.category ? eq(complaints.category, q.category) : undefined,
    q.channel ? eq(complaints.channel, q.channel) : undefined,
    q.overdue !== undefined ? eq(complaints.overdue, q.overdue) : undefined,
    q.urgent !== undefined ? eq(complaints.urgent, q.urgent) : undefined,
    q.escalated !== undefined ? (q.escalated ? sql`${complaints.escalationTier} > 0` : eq(complaints.escalationTier, 0)) : undefined,
    q.registeredFrom ? gte(complaints.registeredAt, q.registeredFrom) : undefined,
    q.registeredTo ? lt(complaints.registeredAt, q.registeredTo) : undefined,
    q.text ? textMatch(q.text) : undefined,
  ];
  if (q.after) {
    const { registeredAt: at, id } = q.after;
    filters.push(or(lt(complaints.registeredAt, at), and(eq(complaints.registeredAt, at), lt(complaints.id, id))));
  }
  const rows = await db
    .select()
    .from(complaints)
    .where(and(...filters))
    .orderBy(desc(complaints.registeredAt), desc(complaints.id))
    .limit(limit + 1);
  return { page: rows.slice(0, limit), more: rows.length > limit };
}
