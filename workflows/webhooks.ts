import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WebhookEvent } from '../lib/webhooks';
import { sendingOptions, whyGivenUp, type DeliveryRetry } from './delivery';

/** An event as the poster reads it: with its place in the feed, to go on from. */
export type PostedEvent = WebhookEvent & { cursor: string };

/** The poster's contract with the outside world (activities/webhooks.ts). */
export interface WebhookActivities {
  /** The subscription's next events after its cursor, of the kinds it wants; `active` false: it was switched off. */
  nextWebhookEvents(input: { subscriptionId: string; limit: number }): Promise<{ active: boolean; events: PostedEvent[]; cursor?: string }>;
  /** Posts one event, signed; throws WebhookRefused when the receiver refuses it for good (4xx). */
  sendWebhook(input: { subscriptionId: string; event: WebhookEvent }): Promise<void>;
  /** Keeps a message given up, with why, for ops to post again. */
  recordWebhookFailure(input: { subscriptionId: string; event: WebhookEvent; reason: string }): Promise<void>;
  /** Moves the subscription's cursor on: what is before it is done. */
  advanceWebhookCursor(input: { subscriptionId: string; cursor: string }): Promise<void>;
}

/** New events may be waiting, or the subscription changed: read now rather than at the next poll. */
export const webhooksChanged = defineSignal('webhooksChanged');

/** The poster of one subscription: its workflow id. */
export const webhookPosterId = (subscriptionId: string) => `webhooks-${subscriptionId}`;

const bookkeeping = proxyActivities<WebhookActivities>({ startToCloseTimeout: '1 minute' });

/** Rounds of reading before the poster starts afresh (continue-as-new), keeping its history short. */
const roundsPerRun = 200;

/**
 * Posts the changes of an integrator's cases to its subscription, one after another in the feed's
 * order (so each case's in its order), each retried while the receiver is away and given up after
 * `retry.giveUpAfter`, or at once when refused (4xx), into the failures ops post again. The
 * cursor is kept in Postgres, moved on after each event: a restart posts at most the one in hand
 * again, under the same `webhook-id`.
 */
export async function webhookPoster({
  subscriptionId,
  retry,
  pollInterval,
}: {
  subscriptionId: string;
  retry: DeliveryRetry;
  pollInterval: string;
}): Promise<void> {
  const { sendWebhook } = proxyActivities<WebhookActivities>(sendingOptions(retry, 'WebhookRefused'));
  let changed = false;
  setHandler(webhooksChanged, () => void (changed = true));
  for (let round = 0; round < roundsPerRun; round++) {
    changed = false;
    const { active, events, cursor } = await bookkeeping.nextWebhookEvents({ subscriptionId, limit: 100 });
    if (!active) return;
    for (const { cursor: at, ...event } of events) {
      try {
        await sendWebhook({ subscriptionId, event });
      } catch (err) {
        await bookkeeping.recordWebhookFailure({ subscriptionId, event, reason: whyGivenUp(err) });
      }
      await bookkeeping.advanceWebhookCursor({ subscriptionId, cursor: at });
    }
    // Events of other kinds, read and passed over: the cursor moves past them too.
    if (cursor !== undefined && cursor !== events.at(-1)?.cursor) await bookkeeping.advanceWebhookCursor({ subscriptionId, cursor });
    if (events.length === 0) await condition(() => changed, pollInterval);
  }
  await continueAsNew<typeof webhookPoster>({ subscriptionId, retry, pollInterval });
}

/** The retries of a webhook message given up after `giveUpSeconds`: waits doubling from a hundredth of it (0.2–10 s), at most a tenth (1 s–10 min). */
export function webhookRetry(giveUpSeconds: number): DeliveryRetry {
  const clamp = (ms: number, low: number, high: number) => `${Math.round(Math.min(Math.max(ms, low), high))} ms`;
  const span = giveUpSeconds * 1000;
  return { initialInterval: clamp(span / 100, 200, 10_000), maximumInterval: clamp(span / 10, 1000, 600_000), giveUpAfter: `${giveUpSeconds} seconds` };
}
