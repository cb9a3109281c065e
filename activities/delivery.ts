import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Db } from '../db/client';
import { deliveryWithNotice, failDelivery, planEmailDeliveries, recordAttempt } from '../db/deliveries';
import { noticeKindZh } from '../lib/labels-zh';
import type { Mailer } from '../lib/mailer';
import type { DeliveryActivities, DeliveryRetry } from '../workflows/delivery';
import type { NoticeKind } from '../workflows/model';

/** What delivery needs: where notices are e-mailed from, and how long each is tried. */
export interface DeliveryDeps {
  mailer: Mailer;
  retry: DeliveryRetry;
}

/** A provider away is tried again after 10 s, then ever less often up to every 10 minutes, for a day. */
export const defaultDeliveryRetry: DeliveryRetry = { initialInterval: '10 seconds', maximumInterval: '10 minutes', giveUpAfter: '24 hours' };

/** A notice's delivery workflow: one per notice the case raised, so a retried start is the same one. */
const deliveryWorkflowId = (noticeId: string) => `notice-${noticeId}`;

/**
 * Starts the delivery of a notice just stored, from the activity that stored it, on its worker's
 * task queue. A second start of the same notice (the activity retried) is refused by Temporal and
 * taken as done.
 */
export async function startDelivery(noticeId: string, retry: DeliveryRetry): Promise<void> {
  const { client, info } = Context.current();
  try {
    await client.workflow.start('deliverNotice', {
      taskQueue: info.taskQueue,
      workflowId: deliveryWorkflowId(noticeId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ noticeId, retry }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The delivery workflow's activities: thin adapters from its contract to db/ and the mailer. */
export function deliveryActivities(db: Db, { mailer }: DeliveryDeps): DeliveryActivities {
  return {
    planNoticeDeliveries: (noticeId) => planEmailDeliveries(db, noticeId),
    async sendNoticeEmail(deliveryId) {
      const found = await deliveryWithNotice(db, deliveryId);
      // Sent already (an attempt whose answer was lost), or given up: nothing to do.
      if (!found || found.delivery.status !== 'queued') return;
      const { delivery, notice } = found;
      const label = noticeKindZh[notice.kind as NoticeKind] ?? '通知';
      try {
        const messageId = await mailer.send({
          to: delivery.address,
          subject: `【环境信访】${label}（编号 ${notice.caseId}）`,
          text: notice.text,
          messageId: `<${Buffer.from(delivery.id).toString('base64url')}@complaints.invalid>`,
        });
        await recordAttempt(db, deliveryId, { sent: messageId });
      } catch (err) {
        await recordAttempt(db, deliveryId, { error: (err as Error).message });
        throw err;
      }
    },
    failNoticeDelivery: ({ deliveryId, reason }) => failDelivery(db, deliveryId, reason),
  };
}
