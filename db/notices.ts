import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { notices } from './schema';

/** A notice as stored for integrators to deliver. */
export type Notice = typeof notices.$inferSelect;

/** Stores a rendered notice under its idempotency key (its id); a retry inserts nothing. */
export async function storeNotice(db: Db, notice: Omit<Notice, 'createdAt' | 'deliveredAt'>): Promise<void> {
  await storeNotices(db, [notice]);
}

/**
 * Stores notices that belong together (a duty notice and the roster-gap alert it caused) in one
 * statement, so a failure stores neither and the retry stores both; ids already on file are skipped.
 */
export async function storeNotices(db: Db, list: readonly Omit<Notice, 'createdAt' | 'deliveredAt'>[]): Promise<void> {
  if (list.length === 0) return;
  const createdAt = new Date();
  await db
    .insert(notices)
    .values(list.map((notice) => ({ ...notice, createdAt })))
    .onConflictDoNothing();
}

/** A notice by its id. */
export async function noticeById(db: Db, id: string): Promise<Notice | undefined> {
  const [row] = await db.select().from(notices).where(eq(notices.id, id));
  return row;
}

/** A case's notices, oldest first. */
export function noticesOf(db: Db, caseId: string): Promise<Notice[]> {
  return db.select().from(notices).where(eq(notices.caseId, caseId)).orderBy(notices.createdAt, notices.id);
}
