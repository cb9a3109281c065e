import type { Db } from '../db/client';
import { storeNotice } from '../db/notices';
import type { NoticeRequest } from '../workflows/model';
import { renderNotice } from './notice-templates';

/** Stores the rendered notice under the workflow's idempotency key; a retry inserts nothing. */
export async function recordNotice(db: Db, { caseId, notice }: { caseId: string; notice: NoticeRequest }): Promise<void> {
  await storeNotice(db, {
    id: notice.key,
    caseId,
    kind: notice.kind,
    recipient: notice.recipient,
    text: renderNotice(notice.kind, notice.params),
  });
}
