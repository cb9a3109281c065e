import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A change of a case as a webhook carries it: what the feed says of it (`GET /feed`), no personal data. */
export interface WebhookEvent {
  caseId: string;
  seq: number;
  kind: string;
  /** ISO 8601. */
  at: string;
}

/** A new Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/**
 * The message for an event: its id (`webhook-id`, the same on every attempt and re-send, so the
 * receiver can drop a repeat) and its JSON body.
 */
export function webhookMessage(event: WebhookEvent): { id: string; body: string } {
  return { id: `${event.caseId}:${event.seq}`, body: JSON.stringify({ type: `case.${event.kind}`, timestamp: event.at, data: event }) };
}

/** Why a receiver's answer will not change by asking again: its own refusal of the request (4xx but 408 and 429). */
export class WebhookRefused extends Error {
  override name = 'WebhookRefused';
}

/**
 * Posts the message, signed (`webhook-signature`) with each secret given: during a rotation, the
 * new and the previous one, so a receiver holding either verifies it. Resolves on a 2xx answer.
 */
export async function postWebhook(url: string, secrets: readonly string[], { id, body }: { id: string; body: string }, timeoutMs = 10_000): Promise<void> {
  const sentAt = new Date();
  const signature = secrets.map((secret) => new Webhook(secret).sign(id, sentAt, body)).join(' ');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  if (response.ok) return;
  const answer = `${response.status} ${(await response.text().catch(() => '')).slice(0, 200)}`.trim();
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new WebhookRefused(answer);
  throw new Error(answer);
}
