import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Db } from '../db/client';
import { deliveryWithNotice, failDelivery, planEmailDeliveries, planSmsDelivery, recordAttempt } from '../db/deliveries';
import { smsTemplateVersion } from '../db/sms-templates';
import { noticeKindZh } from '../lib/labels-zh';
import type { Mailer } from '../lib/mailer';
import { PermanentSmsError, type SmsGateway } from '../lib/sms';
import type { DeliveryActivities, DeliveryRetry, TextTo } from '../workflows/delivery';
import type { NoticeKind } from '../workflows/model';
import { noticeFact } from './notice-templates';

/** What delivery needs: the channels configured (SMTP_URL, SMS_*), and how long each is tried. */
export interface DeliveryDeps {
  mailer?: Mailer;
  sms?: SmsGateway;
  retry: DeliveryRetry;
}

/** A mainland mobile number, however it was written (`+86 138-0000-0000`); undefined for a landline. */
export function mobileNumber(phone: string): string | undefined {
  const digits = phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
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
export async function startDelivery(noticeId: string, retry: DeliveryRetry, text?: TextTo): Promise<void> {
  const { client, info } = Context.current();
  try {
    await client.workflow.start('deliverNotice', {
      taskQueue: info.taskQueue,
      workflowId: deliveryWorkflowId(noticeId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ noticeId, retry, ...(text ? { text } : {}) }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The delivery workflow's activities: thin adapters from its contract to db/ and the mailer. */
export function deliveryActivities(db: Db, { mailer, sms }: DeliveryDeps): DeliveryActivities {
  return {
    planNoticeDeliveries: async (noticeId) => (mailer ? planEmailDeliveries(db, noticeId) : []),
    planNoticeSms: async ({ noticeId, phone }) => (sms ? planSmsDelivery(db, noticeId, mobileNumber(phone)) : []),
    async sendNoticeSms({ deliveryId, text }) {
      const found = await deliveryWithNotice(db, deliveryId);
      if (!found || found.delivery.status !== 'queued' || !sms) return;
      const { delivery, notice } = found;
      const template = await smsTemplateVersion(db, notice.kind, delivery.templateVersion ?? 0);
      if (!template?.providerTemplateId) throw new PermanentSmsError(`the SMS template ${notice.kind} v${delivery.templateVersion} is gone`);
      try {
        const serial = await sms.send({
          phone: mobileNumber(text.phone) ?? text.phone,
          templateId: template.providerTemplateId,
          values: template.params.map((name) => noticeFact(text.facts, name)),
          reference: delivery.id,
        });
        await recordAttempt(db, deliveryId, { sent: serial });
      } catch (err) {
        await recordAttempt(db, deliveryId, { error: (err as Error).message });
        throw err;
      }
    },
    async sendNoticeEmail(deliveryId) {
      const found = await deliveryWithNotice(db, deliveryId);
      // Sent already (an attempt whose answer was lost), or given up: nothing to do.
      if (!found || found.delivery.status !== 'queued' || !mailer) return;
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
