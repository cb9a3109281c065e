import type { Db } from '../db/client';
import { hotlineFacts } from '../db/hotline';
import type { WebhookSubscription } from '../db/webhooks';
import { hotlineBody, type HotlineMapping } from './hotline';
import { callbackOutcomeZh, labelZh } from './labels-zh';
import { webhookMessage, type WebhookEvent } from './webhooks';

/** What messages need beyond the feed: how the hotline writes, and the reply a result gave. */
export interface MessageContext {
  db: Db;
  hotline: HotlineMapping;
  /** The unit's reply of a case's current result (from its workflow). */
  replyOf(caseId: string): Promise<string | undefined>;
}

const isStep = (kind: string, mapping: HotlineMapping): kind is keyof HotlineMapping['steps'] => Object.hasOwn(mapping.steps, kind);

/**
 * The message of an event for a subscription, in its format; undefined when the event is nothing
 * its receiver is told of (a hotline hears of the steps of the work orders it handed over).
 */
export async function messageFor(
  context: MessageContext,
  subscription: Pick<WebhookSubscription, 'format'>,
  event: WebhookEvent,
): Promise<{ id: string; body: string } | undefined> {
  const message = webhookMessage(event);
  if (subscription.format === 'standard') return message;
  if (!isStep(event.kind, context.hotline)) return undefined;
  const facts = await hotlineFacts(context.db, event.caseId, event.seq);
  if (!facts) return undefined;
  const outcome = facts.payload.outcome;
  const body = hotlineBody(context.hotline, {
    workOrderNo: facts.workOrderNo,
    kind: event.kind,
    at: event.at,
    ...(facts.unit && event.kind !== 'accepted' ? { unit: facts.unit } : {}),
    ...(event.kind === 'result_submitted' ? { result: (await context.replyOf(event.caseId)) ?? '' } : {}),
    ...(event.kind === 'callback' && typeof outcome === 'string' ? { satisfaction: labelZh(callbackOutcomeZh, outcome) } : {}),
  });
  return { id: message.id, body: JSON.stringify(body) };
}
