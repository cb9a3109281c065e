import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { notices } from './schema';

/** A notice as stored for integrators to deliver. */
export type Notice = typeof notices.$inferSelect;

/** Stores a rendered notice under its idempotency key (its id); a retry inserts nothing. */
export async function storeNotice(db: Db, notice: Omit<Notice, 'createdAt' | 'deliveredAt'>): Promise<void> {
  await db
    .insert(notices)
    .values({ ...notice, createdAt: new Date() })
    .onConflictDoNothing();
}

/** A case's notices, oldest first. */
export function noticesOf(db: Db, caseId: string): Promise<Notice[]> {
  return db.select().from(notices).where(eq(notices.caseId, caseId)).orderBy(notices.createdAt, notices.id);
}
