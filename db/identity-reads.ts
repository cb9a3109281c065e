import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { identityReads } from './schema';

/** One read of a complainant's unmasked identity: who, when, which case, why. */
export type IdentityRead = typeof identityReads.$inferSelect;

/**
 * Records a read before the identity is shown (api/case-access.ts `unmaskComplainant`): if this
 * insert fails, the caller sees an error and not the identity, so no read goes unrecorded.
 */
export async function recordIdentityRead(db: Db, read: Omit<IdentityRead, 'id' | 'at'>): Promise<IdentityRead> {
  const row: IdentityRead = { id: randomUUID(), at: new Date(), ...read };
  await db.insert(identityReads).values(row);
  return row;
}

/** The reads within [from, to), of one case or of all, newest first (the report's order). */
export function identityReadsBetween(db: Db, q: { from: Date; to: Date; caseId?: string }): Promise<IdentityRead[]> {
  const filters: SQL[] = [gte(identityReads.at, q.from), lt(identityReads.at, q.to)];
  if (q.caseId !== undefined) filters.push(eq(identityReads.caseId, q.caseId));
  return db
    .select()
    .from(identityReads)
    .where(and(...filters))
    .orderBy(desc(identityReads.at), desc(identityReads.id));
}
