import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './client';
import { smsTemplates } from './schema';

export type SmsTemplate = typeof smsTemplates.$inferSelect;

/** Every version of every template, by kind, oldest version first. */
export function allSmsTemplates(db: Db): Promise<SmsTemplate[]> {
  return db.select().from(smsTemplates).orderBy(asc(smsTemplates.kind), asc(smsTemplates.version));
}

/** The version of a kind's template in force at `at`: the latest to take effect by then. */
export async function smsTemplateAt(db: Db, kind: string, at: Date): Promise<SmsTemplate | undefined> {
  const [row] = await db
    .select()
    .from(smsTemplates)
    .where(and(eq(smsTemplates.kind, kind), lte(smsTemplates.effectiveFrom, at)))
    .orderBy(desc(smsTemplates.effectiveFrom), desc(smsTemplates.version))
    .limit(1);
  return row;
}

/** One version of a kind's template. */
export async function smsTemplateVersion(db: Db, kind: string, version: number): Promise<SmsTemplate | undefined> {
  const [row] = await db
    .select()
    .from(smsTemplates)
    .where(and(eq(smsTemplates.kind, kind), eq(smsTemplates.version, version)));
  return row;
}

/**
 * Adds the next version of a kind's template. Two at once would take the same number: the second
 * fails on the key, and undefined says so.
 */
export async function addSmsTemplateVersion(db: Db, template: Omit<SmsTemplate, 'version'>): Promise<SmsTemplate | undefined> {
  const next = sql<number>`(select coalesce(max(${smsTemplates.version}), 0) + 1 from ${smsTemplates} where ${smsTemplates.kind} = ${template.kind})`;
  const [row] = await db
    .insert(smsTemplates)
    .values({ ...template, version: next })
    .onConflictDoNothing()
    .returning();
  return row;
}
