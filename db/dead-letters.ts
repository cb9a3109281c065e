import { and, asc, desc, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { deadLetters } from './schema';

/** A read-side write Postgres refused for good, as stored. */
export type DeadLetter = typeof deadLetters.$inferSelect;

/**
 * Stores a refused write as a dead letter. Its id is the write's own key: refused again, the
 * letter counts one more failure and is pending again, even if it had been re-driven.
 */
export async function storeDeadLetter(db: Db, letter: Pick<DeadLetter, 'id' | 'activity' | 'caseId' | 'input' | 'sqlState' | 'error'>): Promise<void> {
  const now = new Date();
  await db
    .insert(deadLetters)
    .values({ ...letter, createdAt: now, lastFailedAt: now })
    .onConflictDoUpdate({
      target: deadLetters.id,
      set: { error: letter.error, lastFailedAt: now, failures: sql`${deadLetters.failures} + 1`, redrivenAt: null },
    });
}

/** The letters not yet re-driven (all, or those of the given ids), oldest first. */
export function pendingDeadLetters(db: Db, ids?: readonly string[]): Promise<DeadLetter[]> {
  return db
    .select()
    .from(deadLetters)
    .where(and(isNull(deadLetters.redrivenAt), ids ? inArray(deadLetters.id, [...ids]) : undefined))
    .orderBy(asc(deadLetters.createdAt));
}

/** The letters last refused most recently first: pending only, or all (re-driven too). */
export function recentDeadLetters(db: Db, { all, limit }: { all: boolean; limit: number }): Promise<DeadLetter[]> {
  return db
    .select()
    .from(deadLetters)
    .where(all ? undefined : isNull(deadLetters.redrivenAt))
    .orderBy(desc(deadLetters.lastFailedAt))
    .limit(limit);
}

/** The letter's write went through at last. */
export async function markRedriven(db: Db, id: string): Promise<void> {
  await db
    .update(deadLetters)
    .set({ redrivenAt: new Date() })
    .where(inArray(deadLetters.id, [id]));
}

/** The letter's write was refused again. */
export async function markRedriveFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(deadLetters)
    .set({ error, lastFailedAt: new Date(), failures: sql`${deadLetters.failures} + 1` })
    .where(inArray(deadLetters.id, [id]));
}
