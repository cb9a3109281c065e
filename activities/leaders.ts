import { and, asc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { leaders } from '../db/schema';
import type { LeaderOwner } from '../workflows/model';

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
