import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './client';
import { noticeTemplates } from './schema';

export type NoticeTemplate = typeof noticeTemplates.$inferSelect;

/** Every version of every kind's own wording, by kind, oldest version first. */
export function allNoticeTemplates(db: Db): Promise<NoticeTemplate[]> {
  return db.select().from(noticeTemplates).orderBy(asc(noticeTemplates.kind), asc(noticeTemplates.version));
}

/** The bureau's wording of a kind in force at `at`, if it has one: the latest to take effect by then. */
export async function noticeTemplateAt(db: Db, kind: string, at: Date): Promise<NoticeTemplate | undefined> {
  const [row] = await db
    .select()
    .from(noticeTemplates)
    .where(and(eq(noticeTemplates.kind, kind), lte(noticeTemplates.effectiveFrom, at)))
    .orderBy(desc(noticeTemplates.effectiveFrom), desc(noticeTemplates.version))
    .limit(1);
  return row;
}

/** Adds the next version of a kind's wording; undefined when another was added at the same moment. */
export async function addNoticeTemplateVersion(db: Db, template: Omit<NoticeTemplate, 'version'>): Promise<NoticeTemplate | undefined> {
  const next = sql<number>`(select coalesce(max(${noticeTemplates.version}), 0) + 1 from ${noticeTemplates} where ${noticeTemplates.kind} = ${template.kind})`;
  const [row] = await db
    .insert(noticeTemplates)
    .values({ ...template, version: next })
    .onConflictDoNothing()
    .returning();
  return row;
}
