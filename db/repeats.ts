import { and, asc, eq, gte, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { openStatuses } from '../workflows/case';
import { complaints } from './schema';

export interface RepeatQuery {
  category: string;
  polluterKey: string | null;
  addressKey: string;
  lat: number | null;
  lng: number | null;
  at: Date;
  windowDays: number;
  radiusMeters: number;
}

export interface EarlierCase {
  id: string;
  status: string;
  registeredAt: Date;
}

const EARTH_RADIUS_M = 6_371_000;

/**
 * Earlier cases the new one repeats (重复件): the same category, and the same polluter, the same
 * normalised address, or a place within the radius, registered within the window. Oldest first.
 */
export async function findEarlierCases(db: Db | Tx, q: RepeatQuery): Promise<EarlierCase[]> {
  const same: (SQL | undefined)[] = [eq(complaints.addressKey, q.addressKey)];
  if (q.polluterKey) same.push(eq(complaints.polluterKey, q.polluterKey));
  if (q.lat !== null && q.lng !== null) {
    // A bounding box the index can use, then the great-circle distance (haversine).
    const dLat = (q.radiusMeters / EARTH_RADIUS_M) * (180 / Math.PI);
    const dLng = dLat / Math.max(Math.cos((q.lat * Math.PI) / 180), 0.01);
    same.push(
      and(
        sql`${complaints.lat} between ${q.lat - dLat} and ${q.lat + dLat}`,
        sql`${complaints.lng} between ${q.lng - dLng} and ${q.lng + dLng}`,
        sql`2 * ${EARTH_RADIUS_M} * asin(sqrt(
              power(sin(radians(${complaints.lat} - ${q.lat}) / 2), 2) +
              cos(radians(${q.lat})) * cos(radians(${complaints.lat})) *
              power(sin(radians(${complaints.lng} - ${q.lng}) / 2), 2))) <= ${q.radiusMeters}`,
      ),
    );
  }
  return db
    .select({ id: complaints.id, status: complaints.status, registeredAt: complaints.registeredAt })
    .from(complaints)
    .where(and(eq(complaints.category, q.category), gte(complaints.registeredAt, new Date(q.at.getTime() - q.windowDays * 86_400_000)), or(...same)))
    .orderBy(asc(complaints.registeredAt), asc(complaints.id))
    .limit(50);
}

/** Runs `run` in a transaction that holds the category's lock for repeat detection. */
export function inRepeatLock<T>(db: Db, category: string, run: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // Of two reports about one place arriving together the second must find the first: other API
    // processes queue on this lock, this one's intakes in the batcher.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`repeat:${category}`}))`);
    return run(tx);
  });
}

/** The most recent earlier case still open: the new report is added to it. */
export function openCaseAmong(cases: EarlierCase[]): EarlierCase | undefined {
  return cases.filter((c) => (openStatuses as readonly string[]).includes(c.status)).at(-1);
}
