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

/** The delivery workflow's contract with the outside world (activities/delivery.ts). */
export interface DeliveryActivities {
  /** The notice's deliveries still to send, planned once (a retry plans nothing twice). */
  planNoticeDeliveries(noticeId: string): Promise<string[]>;
  /** Sends one delivery; throws PermanentMailError when the provider refuses it for good. */
  sendNoticeEmail(deliveryId: string): Promise<void>;
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
 * for, each delivery on its own: retried with a growing wait while the provider is away, given
 * up after `retry.giveUpAfter` or at once when it is refused for good, and then marked failed
 * for ops. Nothing here touches the case: a delivery never holds a case back.
 */
export async function deliverNotice({ noticeId, retry }: { noticeId: string; retry: DeliveryRetry }): Promise<{ sent: number; failed: number }> {
  const { sendNoticeEmail } = proxyActivities<DeliveryActivities>(sendingOptions(retry, 'PermanentMailError'));
  const deliveries = await bookkeeping.planNoticeDeliveries(noticeId);
  const sent = await Promise.all(
    deliveries.map(async (deliveryId) => {
      try {
        await sendNoticeEmail(deliveryId);
        return true;
      } catch (err) {
        await bookkeeping.failNoticeDelivery({ deliveryId, reason: whyGivenUp(err) });
        return false;
      }
    }),
  );
  return { sent: sent.filter(Boolean).length, failed: sent.filter((ok) => !ok).length };
}
