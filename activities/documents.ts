import type { Db } from '../db/client';
import { issueDocument } from '../db/documents';
import { noticeById } from '../db/notices';
import { getUnit } from '../db/organisation';
import type { NoticeRequest } from '../workflows/model';
import { formalKind, formalText } from './notice-templates';

/** Whom a formal document is addressed to: the complainant, or the unit by its name. */
async function addresseeOf(db: Db, recipient: string): Promise<string> {
  if (recipient === 'complainant' || recipient.startsWith('complainant-of:')) return '信访人';
  const unitId = recipient.startsWith('unit:') ? recipient.slice('unit:'.length) : undefined;
  return (unitId && (await getUnit(db, unitId))?.name) ?? recipient;
}

/** Issues a notice that is a formal document as one (受理告知书…), numbered, once; another notice: nothing. */
export async function issueIfFormal(db: Db, issuer: string, caseId: string, notice: NoticeRequest): Promise<void> {
  const formal = formalKind(notice.kind, notice.recipient);
  // The notice as stored: its words are the document's (none when it was dead-lettered).
  const stored = formal && (await noticeById(db, notice.key));
  if (!formal || !stored) return;
  const addressee = await addresseeOf(db, notice.recipient);
  const issuedAt = notice.at !== undefined ? new Date(notice.at) : new Date();
  const body = stored.text;
  await issueDocument(db, {
    noticeId: notice.key,
    caseId,
    kind: notice.kind,
    title: formal.title,
    issuer,
    issuedAt,
    prefix: formal.prefix,
    compose: (number) => formalText({ title: formal.title, number, addressee, body, issuer, issuedAt }),
  });
}
