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
  category: string;
  /**
   * `repeat`: the same problem (重复件). `nearby`: the same place, but another polluter named by
   * both reports: a different case, linked so the registrar sees it.
   */
  link: 'repeat' | 'nearby';
}

const EARTH_RADIUS_M = 6_371_000;

/**
 * Earlier cases registered within the window that the new one repeats (重复件): about the same
 * polluter, in any category (a factory's noise and its odour are one polluter's); or of the same
 * category at the same normalised address or within the radius, unless both reports name
 * polluters and they differ: then it is another case nearby. Oldest first.
 */
export async function findEarlierCases(db: Db | Tx, q: RepeatQuery): Promise<EarlierCase[]> {
  const same: (SQL | undefined)[] = [eq(complaints.addressKey, q.addressKey)];
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
  const rows = await db
    .select({
      id: complaints.id,
      status: complaints.status,
      registeredAt: complaints.registeredAt,
      category: complaints.category,
      polluterKey: complaints.polluterKey,
    })
    .from(complaints)
    .where(
      and(
        gte(complaints.registeredAt, new Date(q.at.getTime() - q.windowDays * 86_400_000)),
        or(and(eq(complaints.category, q.category), or(...same)), q.polluterKey ? eq(complaints.polluterKey, q.polluterKey) : undefined),
      ),
    )
    .orderBy(asc(complaints.registeredAt), asc(complaints.id))
    .limit(50);
  return rows.map(({ polluterKey, ...row }) => {
    const otherPolluter = q.polluterKey !== null && polluterKey !== null && polluterKey !== q.polluterKey;
    return { ...row, link: otherPolluter ? 'nearby' : 'repeat' };
  });
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

const isOpen = (c: EarlierCase) => (openStatuses as readonly string[]).includes(c.status);

/** The most recent earlier repeat of the same category still open: the new report is added to it. */
export function openCaseAmong(cases: EarlierCase[], category: string): EarlierCase | undefined {
  return cases.filter((c) => c.link === 'repeat' && c.category === category && isOpen(c)).at(-1);
}

/** The repeats still unresolved (open): with the new report they count toward the repeat escalation (policy). */
export function unresolvedAmong(cases: EarlierCase[]): EarlierCase[] {
  return cases.filter((c) => c.link === 'repeat' && isOpen(c));
}
