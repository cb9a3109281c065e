import { and, asc, desc, eq, exists, gt, gte, ilike, inArray, isNotNull, isNull, like, lt, not, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { openStatuses } from '../workflows/case';
import type { SpotCheckOutcome } from '../workflows/projection';
import { caseEvents, complaints, jointParts, leaderOwnerships } from './schema';

/** A case's row of the read side. */
export type CaseRow = typeof complaints.$inferSelect;
/** An entry of a case's audit trail (without its place in the feed, db/feed.ts). */
export type CaseEvent = Omit<typeof caseEvents.$inferSelect, 'xid' | 'feedId'>;

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
  /** The caller's jurisdiction (api/scope.ts): only cases of these districts. */
  districts?: readonly string[];
  /** The first receiver's account; null: the cases still waiting in a district queue. */
  firstReceiver?: string | null;
  /** A leader who owns the case (领导包案). */
  owner?: string;
  /** Cases that repeat an earlier one. */
  repeat?: boolean;
  /** Cases whose clock stands still, waiting for missing information (中止). */
  paused?: boolean;
  /** Collective reports (集体信访): more than one complainant. */
  collective?: boolean;
  extensionPending?: boolean;
  /** Open cases (someone still has to act), or finished ones. */
  open?: boolean;
  /** Cases with a warning (预警) raised in their open handling window, or without one. */
  warned?: boolean;
  /** Closed cases drawn for the spot check (随机抽查), by its outcome; `pending` awaits review. */
  spotCheck?: SpotCheckOutcome;
  /** Cases waiting for someone: any of these `onDuty` values, a queue by prefix, or open cases a leader owns. */
  waitingFor?: { onDuty: readonly string[]; onDutyPrefix?: string; owner?: string; partOf?: string };
  /** A unit's own cases: those it handles and those it holds a joint part of (联合办理), the scope of a unit handler. */
  unitOrPart?: string;
  /** Cases with a joint part still being worked (联合办理), or without one. */
  joint?: boolean;
  /** Oldest first (a work queue), instead of newest first. */
  oldestFirst?: boolean;
  /** The last case of the previous page: the page goes on after it, in (registered_at, id) order. */
  after?: { registeredAt: Date; id: string };
}

/**
 * The list's `text` matches a substring: its own `%`, `_` and `\` are literal, not ILIKE wildcards.
 * A term of two characters or more is looked up first in the bigram index (every two characters
 * of the term are in any text that holds it); ILIKE keeps the rows that hold the term itself.
 */
function textMatch(text: string): SQL | undefined {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  const holds = or(ilike(complaints.summary, pattern), ilike(complaints.address, pattern), ilike(complaints.polluter, pattern));
  if ([...text].length < 2) return holds;
  return and(sql`complaint_text_bigrams(${complaints.summary}, ${complaints.address}, ${complaints.polluter}) @> text_bigrams(${text})`, holds);
}

const ownedBy = (leaderId: string) =>
  exists(sql`(select 1 from ${leaderOwnerships} where ${leaderOwnerships.caseId} = ${complaints.id} and ${leaderOwnerships.leaderId} = ${leaderId})`);

/** A joint part of the case (联合办理): any, or one still being worked; of one unit, or of any. */
const hasPart = (where: { unit?: string; working?: true }) =>
  exists(
    sql`(select 1 from ${jointParts} where ${jointParts.caseId} = ${complaints.id}${where.unit !== undefined ? sql` and ${jointParts.unitId} = ${where.unit}` : sql``}${where.working ? sql` and ${jointParts.status} = 'working'` : sql``})`,
  );

/** A case waits for someone while its workflow names them on duty; a leader's owned case, while it is open. */
function waiting(w: NonNullable<CaseFilter['waitingFor']>): SQL | undefined {
  return or(
    w.onDuty.length > 0 ? inArray(complaints.onDuty, [...w.onDuty]) : undefined,
    w.onDutyPrefix !== undefined ? like(complaints.onDuty, `${w.onDutyPrefix.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
    w.owner ? and(ownedBy(w.owner), isNotNull(complaints.onDuty)) : undefined,
    // A co-unit's part still being worked waits for it, whoever the case waits for.
    w.partOf !== undefined ? hasPart({ unit: w.partOf, working: true }) : undefined,
    // No condition at all matches nothing, not everything.
    sql`false`,
  );
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
    q.paused !== undefined ? eq(complaints.paused, q.paused) : undefined,
    q.collective !== undefined ? (q.collective ? gt(complaints.complainants, 1) : eq(complaints.complainants, 1)) : undefined,
    q.escalated !== undefined ? (q.escalated ? sql`${complaints.escalationTier} > 0` : eq(complaints.escalationTier, 0)) : undefined,
    q.registeredFrom ? gte(complaints.registeredAt, q.registeredFrom) : undefined,
    q.registeredTo ? lt(complaints.registeredAt, q.registeredTo) : undefined,
    q.text ? textMatch(q.text) : undefined,
    q.districts ? inArray(complaints.district, [...q.districts]) : undefined,
    q.firstReceiver === null ? isNull(complaints.firstReceiver) : q.firstReceiver ? eq(complaints.firstReceiver, q.firstReceiver) : undefined,
    q.owner ? ownedBy(q.owner) : undefined,
    q.repeat !== undefined ? (q.repeat ? isNotNull(complaints.repeatOf) : isNull(complaints.repeatOf)) : undefined,
    q.extensionPending !== undefined ? eq(complaints.extensionPending, q.extensionPending) : undefined,
    q.open !== undefined ? (q.open ? inArray(complaints.status, [...openStatuses]) : notInArray(complaints.status, [...openStatuses])) : undefined,
    q.warned !== undefined ? (q.warned ? gt(complaints.warningLevel, 0) : eq(complaints.warningLevel, 0)) : undefined,
    q.spotCheck ? eq(complaints.spotCheck, q.spotCheck) : undefined,
    q.waitingFor ? waiting(q.waitingFor) : undefined,
    q.unitOrPart !== undefined ? or(eq(complaints.handlingUnit, q.unitOrPart), hasPart({ unit: q.unitOrPart })) : undefined,
    q.joint !== undefined ? (q.joint ? hasPart({ working: true }) : not(hasPart({ working: true }))) : undefined,
  ];
  if (q.after) {
    const { registeredAt: at, id } = q.after;
    filters.push(or(lt(complaints.registeredAt, at), and(eq(complaints.registeredAt, at), lt(complaints.id, id))));
  }
  const rows = await db
    .select()
    .from(complaints)
    .where(and(...filters))
    .orderBy(...(q.oldestFirst ? [asc(complaints.registeredAt), asc(complaints.id)] : [desc(complaints.registeredAt), desc(complaints.id)]))
    .limit(limit + 1);
  return { page: rows.slice(0, limit), more: rows.length > limit };
}
