import { and, eq, inArray, lt, notExists, sql } from 'drizzle-orm';
import type { Db } from './client';
import { complaints, intakeKeys } from './schema';

/** An intake's idempotency key: the body it came with (hashed) and the case id it names. */
export type IntakeClaim = typeof intakeKeys.$inferSelect;

/** Claims the key for the case; false when it was claimed before (then read the claim). */
export async function claimIntakeKey(db: Db, claim: Omit<IntakeClaim, 'createdAt'>): Promise<boolean> {
  const claimed = await db
    .insert(intakeKeys)
    .values({ ...claim, createdAt: new Date() })
    .onConflictDoNothing()
    .returning();
  return claimed.length > 0;
}

/** The claim of a key, as it was first made. */
export async function intakeClaim(db: Db, key: string): Promise<IntakeClaim | undefined> {
  const [existing] = await db.select().from(intakeKeys).where(eq(intakeKeys.key, key));
  return existing;
}

/** Claims whose case has no row: the candidates for expiry, before Temporal is asked (api/claim-expiry.ts). */
const noCaseRow = notExists(sql`(select 1 from ${complaints} where ${complaints.id} = ${intakeKeys.caseId})`);

/** Up to `limit` claims made before `cutoff` whose case has no row. */
export function staleIntakeClaims(db: Db, cutoff: Date, limit: number): Promise<Pick<IntakeClaim, 'key' | 'caseId'>[]> {
  return db
    .select({ key: intakeKeys.key, caseId: intakeKeys.caseId })
    .from(intakeKeys)
    .where(and(lt(intakeKeys.createdAt, cutoff), noCaseRow))
    .limit(limit);
}

/** Deletes the given claims that are still stale; returns how many it deleted. */
export async function deleteStaleIntakeClaims(db: Db, keys: string[], cutoff: Date): Promise<number> {
  // The row check again, in the delete: a retry that completed the claim meanwhile keeps it.
  const deleted = await db
    .delete(intakeKeys)
    .where(and(inArray(intakeKeys.key, keys), lt(intakeKeys.createdAt, cutoff), noCaseRow))
    .returning({ key: intakeKeys.key });
  return deleted.length;
}
