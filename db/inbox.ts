import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { peopleFor } from './deliveries';
import { inbox, notices } from './schema';

export interface InboxItem {
  noticeId: string;
  caseId: string;
  kind: string;
  text: string;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * Files a notice just recorded, and the roster-gap alert stored with it, in the inbox of each
 * person each is meant for. Filed once: a retried activity adds nothing.
 */
export async function fileInInboxes(db: Db, noticeId: string): Promise<void> {
  for (const notice of await db
    .select()
    .from(notices)
    .where(inArray(notices.id, [noticeId, `${noticeId}:roster_gap`]))) {
    const people = await peopleFor(db, notice);
    if (people.length === 0) continue;
    await db
      .insert(inbox)
      .values(people.map((accountId) => ({ accountId, noticeId: notice.id, caseId: notice.caseId, createdAt: notice.createdAt })))
      .onConflictDoNothing();
  }
}

async function unreadCount(db: Db, accountId: string): Promise<number> {
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(inbox)
    .where(and(eq(inbox.accountId, accountId), isNull(inbox.readAt)));
  return count?.n ?? 0;
}

/** A person's inbox, newest first (the unread only, if asked), and how many are unread. */
export async function inboxOf(
  db: Db,
  accountId: string,
  { unreadOnly, limit }: { unreadOnly: boolean; limit: number },
): Promise<{ unread: number; items: InboxItem[] }> {
  const mine = eq(inbox.accountId, accountId);
  const [items, unread] = await Promise.all([
    db
      .select({ noticeId: inbox.noticeId, caseId: inbox.caseId, kind: notices.kind, text: notices.text, createdAt: inbox.createdAt, readAt: inbox.readAt })
      .from(inbox)
      .innerJoin(notices, eq(notices.id, inbox.noticeId))
      .where(unreadOnly ? and(mine, isNull(inbox.readAt)) : mine)
      .orderBy(desc(inbox.createdAt), desc(inbox.noticeId))
      .limit(limit),
    unreadCount(db, accountId),
  ]);
  return { unread, items };
}

/** Marks the notices read (all of the person's when none are named); answers how many are still unread. */
export async function markRead(db: Db, accountId: string, noticeIds: readonly string[] | undefined): Promise<number> {
  const mine = and(eq(inbox.accountId, accountId), isNull(inbox.readAt));
  await db
    .update(inbox)
    .set({ readAt: new Date() })
    .where(noticeIds ? and(mine, inArray(inbox.noticeId, [...noticeIds])) : mine);
  return unreadCount(db, accountId);
}
