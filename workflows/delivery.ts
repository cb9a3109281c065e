import { ActivityFailure, proxyActivities, type ActivityOptions } from '@temporalio/workflow';

/** How long a delivery is retried, and how far apart: policy, so it travels as data. */
export interface DeliveryRetry {
  /** The first retry's wait (a Temporal duration: `10 seconds`); each next one doubles it. */
  initialInterval: string;
  /** The longest wait between two attempts. */
  maximumInterval: string;
  /** After this the delivery is given up as failed, however the provider answers. */
  giveUpAfter: string;
}

/**
 * A notice texted to the complainant: their phone, and the notice's facts its SMS template's
 * variables take. Both are personal, so they travel only in Temporal's encrypted payloads.
 */
export interface TextTo {
  phone: string;
  facts: Record<string, string | number | boolean>;
}

/** The delivery workflow's contract with the outside world (activities/delivery.ts). */
export interface DeliveryActivities {
  /** The notice's e-mails still to send, planned once (a retry plans nothing twice). */
  planNoticeDeliveries(noticeId: string): Promise<string[]>;
  /** The notice's SMS, planned once; none when it cannot go (then it is failed, with why). */
  planNoticeSms(input: { noticeId: string; phone: string }): Promise<string[]>;
  /** Sends one e-mail; throws PermanentMailError when the provider refuses it for good. */
  sendNoticeEmail(deliveryId: string): Promise<void>;
  /** Sends one SMS; throws PermanentSmsError when the gateway refuses it for good. */
  sendNoticeSms(input: { deliveryId: string; text: TextTo }): Promise<void>;
  /** Marks a delivery given up, with why. */
  failNoticeDelivery(input: { deliveryId: string; reason: string }): Promise<void>;
}

/**
 * How a send to an outside party (a mail server, a webhook receiver) is tried: again and again, the
 * waits doubling, until `retry.giveUpAfter`; at once given up when it throws `refusal`.
 */
export function sendingOptions(retry: DeliveryRetry, refusal: string): ActivityOptions {
  return {
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: retry.giveUpAfter,
    retry: { initialInterval: retry.initialInterval, backoffCoefficient: 2, maximumInterval: retry.maximumInterval, nonRetryableErrorTypes: [refusal] },
  };
}

/** Why a send was given up, with what caused it: Temporal's verdict, then the party's last answer. */
export function whyGivenUp(err: unknown): string {
  if (!(err instanceof ActivityFailure)) return String(err);
  const messages: string[] = [];
  for (let cause: unknown = err.cause; cause instanceof Error && messages.length < 3; cause = cause.cause) messages.push(cause.message);
  return messages.join(': ');
}

const bookkeeping = proxyActivities<DeliveryActivities>({ startToCloseTimeout: '1 minute' });

/**
 * Delivers one notice (and the roster-gap alert it may have caused) to each person it is meant
 * for by e-mail, and to the complainant by SMS when `text` says where; each delivery on its own:
 * retried with a growing wait while the provider is away, given up after `retry.giveUpAfter` or
 * at once when it is refused for good, and then marked failed for ops. Nothing here touches the
 * case: a delivery never holds a case back.
 */
export async function deliverNotice({
  noticeId,
  retry,
  text,
}: {
  noticeId: string;
  retry: DeliveryRetry;
  text?: TextTo;
}): Promise<{ sent: number; failed: number }> {
  const { sendNoticeEmail } = proxyActivities<DeliveryActivities>(sendingOptions(retry, 'PermanentMailError'));
  const { sendNoticeSms } = proxyActivities<DeliveryActivities>(sendingOptions(retry, 'PermanentSmsError'));
  const attempt = async (deliveryId: string, send: () => Promise<void>) => {
    try {
      await send();
      return true;
    } catch (err) {
      await bookkeeping.failNoticeDelivery({ deliveryId, reason: whyGivenUp(err) });
      return false;
    }
  };
  const emails = await bookkeeping.planNoticeDeliveries(noticeId);
  // A notice made before SMS existed has no `text`: the same commands as it had then.
  const texts = text ? await bookkeeping.planNoticeSms({ noticeId, phone: text.phone }) : [];
  const sent = await Promise.all([
    ...emails.map((deliveryId) => attempt(deliveryId, () => sendNoticeEmail(deliveryId))),
    ...texts.map((deliveryId) => attempt(deliveryId, () => sendNoticeSms({ deliveryId, text: text! }))),
  ]);
  return { sent: sent.filter(Boolean).length, failed: sent.filter((ok) => !ok).length };
}
