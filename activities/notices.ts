import type { Db } from '../db/client';
import { storeNotices } from '../db/notices';
import { caseDistrict, resolveRecipient } from '../db/recipients';
import type { NoticeRequest } from '../workflows/model';
import { noticeTemplateAt } from '../db/notice-templates';
import { fillWording, renderNotice } from './notice-templates';

/**
 * Stores the rendered notice under the workflow's idempotency key; a retry inserts nothing. Its
 * recipient is resolved to people as of the moment the workflow raised it (`notice.at`), however
 * late this runs: the duty leader of a night alert is whoever was on duty that night. A duty
 * nobody held then is a gap in the roster, and the supervisors get a `roster_gap` notice of it,
 * stored with the first in one statement under a key derived from the first's, so a retry adds
 * neither twice.
 */
/** A notice's words: the bureau's own wording in force when it was made, else the built-in one. */
async function wordNotice(db: Db, { kind, params }: NoticeRequest, at: Date): Promise<string> {
  const own = await noticeTemplateAt(db, kind, at);
  return own ? fillWording(own.text, params) : renderNotice(kind, params);
}

export async function recordNotice(db: Db, { caseId, notice }: { caseId: string; notice: NoticeRequest }): Promise<void> {
  const at = notice.at !== undefined ? new Date(notice.at) : new Date();
  const given = notice.params.district;
  const district = async () => (typeof given === 'string' && given !== '' ? given : caseDistrict(db, caseId));
  const { addressees, gap } = await resolveRecipient(db, notice.recipient, { at, district });
  const stored = { id: notice.key, caseId, kind: notice.kind, recipient: notice.recipient, text: await wordNotice(db, notice, at), addressees };
  if (!gap) return storeNotices(db, [stored]);
  const params = { caseId, duty: gap.duty, district: gap.district ?? '', at: at.toISOString(), notice: notice.key };
  await storeNotices(db, [
    stored,
    { id: `${notice.key}:roster_gap`, caseId, kind: 'roster_gap', recipient: 'supervisor', text: renderNotice('roster_gap', params), addressees: [] },
  ]);
}
