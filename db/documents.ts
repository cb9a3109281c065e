import { and, eq, sql } from 'drizzle-orm';
import { shanghaiYear } from '../workflows/calendar';
import type { Db } from './client';
import { formalDocuments } from './schema';

export type FormalDocument = typeof formalDocuments.$inferSelect;

/** The document a notice was issued as, if it is one. */
export async function documentOf(db: Db, noticeId: string): Promise<FormalDocument | undefined> {
  const [row] = await db.select().from(formalDocuments).where(eq(formalDocuments.noticeId, noticeId));
  return row;
}

/** A case's documents. */
export function documentsOf(db: Db, caseId: string): Promise<FormalDocument[]> {
  return db.select().from(formalDocuments).where(eq(formalDocuments.caseId, caseId));
}

/**
 * Issues a notice as a formal document, once: the next number of its kind in the year it is
 * issued (Asia/Shanghai), `<prefix>〔<year>〕<n>号`, and the text `compose` writes around it. Two
 * issued at once may take the same number; the second then takes the next.
 */
export async function issueDocument(
  db: Db,
  document: Pick<FormalDocument, 'noticeId' | 'caseId' | 'kind' | 'title' | 'issuer' | 'issuedAt'> & { prefix: string; compose: (number: string) => string },
): Promise<FormalDocument> {
  const { prefix, compose, ...fields } = document;
  const year = shanghaiYear(fields.issuedAt.getTime());
  for (let attempt = 0; attempt < 10; attempt++) {
    const issued = await documentOf(db, fields.noticeId);
    if (issued) return issued;
    const [last] = await db
      .select({ seq: sql<number>`coalesce(max(${formalDocuments.seq}), 0)::int` })
      .from(formalDocuments)
      .where(and(eq(formalDocuments.kind, fields.kind), eq(formalDocuments.year, year)));
    const seq = (last?.seq ?? 0) + 1;
    const number = `${prefix}〔${year}〕${seq}号`;
    const [row] = await db
      .insert(formalDocuments)
      .values({ ...fields, year, seq, number, text: compose(number) })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
  }
  throw new Error(`could not number the ${fields.kind} document of notice ${fields.noticeId}: too many issued at once`);
}
