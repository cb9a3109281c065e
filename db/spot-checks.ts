import { createHash } from 'node:crypto';
import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from './client';
import { complaints } from './schema';

/**
 * Draws the cases closed on a Shanghai day at `rate`. The draw hashes the case id with the day,
 * so a retried activity or a re-run of the same day selects the very same cases.
 */
export async function sampleClosedCases(db: Db, { day, rate }: { day: string; rate: number }): Promise<string[]> {
  const start = new Date(`${day}T00:00:00+08:00`);
  const end = new Date(start.getTime() + 86_400_000);
  const rows = await db
    .select({ id: complaints.id })
    .from(complaints)
    .where(and(eq(complaints.status, 'closed'), gte(complaints.closedAt, start), lt(complaints.closedAt, end)));
  return rows
    .map((r) => r.id)
    .filter((id) => drawn(id, day, rate))
    .sort();
}

export function drawn(caseId: string, day: string, rate: number): boolean {
  const hash = createHash('sha256').update(`${day}:${caseId}`).digest();
  return hash.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
