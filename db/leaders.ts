import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { LeaderOwner } from '../workflows/model';
import type { Db } from './client';
import { leaders } from './schema';

/** A leader of the escalation directory, as stored. */
export type Leader = typeof leaders.$inferSelect;

/**
 * The owners of an escalated case: the district's territorial leader of that tier and a system
 * leader of the tier, both when both exist (双包案), else whichever is on file.
 */
export async function findLeaders(db: Db, { tier, district }: { tier: number; district: string }): Promise<LeaderOwner[]> {
  const rows = await db
    .select()
    .from(leaders)
    .where(and(eq(leaders.tier, tier), eq(leaders.active, true), or(eq(leaders.district, district), isNull(leaders.district))))
    .orderBy(asc(leaders.id));
  const territorial = rows.find((r) => r.district === district);
  const system = rows.find((r) => r.district === null);
  return [
    ...(system ? [{ leaderId: system.id, kind: 'system' as const }] : []),
    ...(territorial ? [{ leaderId: territorial.id, kind: 'territorial' as const }] : []),
  ];
}

/** The whole directory, by tier. */
export function listLeaders(db: Db): Promise<Leader[]> {
  return db.select().from(leaders).orderBy(asc(leaders.tier), asc(leaders.id));
}

/** Adds the leader, or replaces what is on file for its id. */
export async function storeLeader(db: Db, leader: Leader): Promise<void> {
  await db.insert(leaders).values(leader).onConflictDoUpdate({ target: leaders.id, set: leader });
}

/** Those of `ids` that name an active leader. */
export async function activeLeaderIds(db: Db, ids: string[]): Promise<string[]> {
  const found = await db
    .select({ id: leaders.id })
    .from(leaders)
    .where(and(inArray(leaders.id, ids), eq(leaders.active, true)));
  return found.map((f) => f.id);
}
