import { and, asc, desc, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './client';
import { caseEvents, complaints } from './schema';

/** Whose cases a feed reads (the caller's scope, api/scope.ts); none given: every case. */
export interface FeedFilter {
  /** Cases in these districts. */
  districts?: readonly string[];
  /** Cases the unit handles now. */
  unit?: string;
  /** Cases the integrator registered (its registration event names it). */
  registeredBy?: string;
}

/** Where a reader stands in the feed: past every event up to this transaction and row. */
export interface FeedPosition {
  xid: string;
  feedId: number;
}

/** A position as callers hold it: `<transaction>-<row>`, opaque to them. */
export const feedCursor = ({ xid, feedId }: FeedPosition): string => `${xid}-${feedId}`;

export function feedPosition(cursor: string): FeedPosition {
  const [xid, feedId] = cursor.split('-') as [string, string];
  return { xid, feedId: Number(feedId) };
}

/** Where the feed ends now: a reader starting here gets what is written from now on. */
export async function feedTail(db: Db): Promise<FeedPosition | undefined> {
  const [row] = await db
    .select({ xid: caseEvents.xid, feedId: caseEvents.feedId })
    .from(caseEvents)
    .where(sql`${caseEvents.xid} < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy(desc(caseEvents.xid), desc(caseEvents.feedId))
    .limit(1);
  return row;
}

export interface FeedEvent {
  position: FeedPosition;
  caseId: string;
  seq: number;
  kind: string;
  at: Date;
}

const registered = alias(caseEvents, 'registered');

function inScope(db: Db, filter: FeedFilter): SQL | undefined {
  const one = () => db.select({ one: sql`1` });
  const row = (match: SQL) =>
    exists(
      one()
        .from(complaints)
        .where(and(eq(complaints.id, caseEvents.caseId), match)),
    );
  return and(
    filter.districts ? row(inArray(complaints.district, [...filter.districts])) : undefined,
    filter.unit !== undefined ? row(eq(complaints.handlingUnit, filter.unit)) : undefined,
    filter.registeredBy !== undefined
      ? exists(
          one()
            .from(registered)
            .where(and(eq(registered.caseId, caseEvents.caseId), eq(registered.kind, 'registered'), eq(registered.actor, `integrator:${filter.registeredBy}`))),
        )
      : undefined,
  );
}

/**
 * The events after `after` (from the start without it), in the feed's order, at most `limit`.
 * Only transactions that began before every one still running are read (their ids are below the
 * snapshot's xmin): none of those can still commit, so a later read never finds an event before a
 * position it was given. Each case's events come in their order (a case's writes follow each other).
 */
export async function readFeed(db: Db, { filter, after, limit }: { filter: FeedFilter; after?: FeedPosition; limit: number }): Promise<FeedEvent[]> {
  const rows = await db
    .select({ xid: caseEvents.xid, feedId: caseEvents.feedId, caseId: caseEvents.caseId, seq: caseEvents.seq, kind: caseEvents.kind, at: caseEvents.at })
    .from(caseEvents)
    .where(
      and(
        sql`${caseEvents.xid} < pg_snapshot_xmin(pg_current_snapshot())`,
        after ? sql`(${caseEvents.xid}, ${caseEvents.feedId}) > (${after.xid}::xid8, ${after.feedId})` : undefined,
        inScope(db, filter),
      ),
    )
    .orderBy(asc(caseEvents.xid), asc(caseEvents.feedId))
    .limit(limit);
  return rows.map(({ xid, feedId, ...event }) => ({ position: { xid, feedId }, ...event }));
}
