import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import { feedCursor, feedPosition, readFeed } from '../db/feed';
import { advanceCursor, getSubscription, noteWebhookError, signingSecrets, storeWebhookFailure } from '../db/webhooks';
import { defaultHotlineMapping, type HotlineMapping } from '../lib/hotline';
import { messageFor } from '../lib/webhook-messages';
import { postWebhook, webhookMessage } from '../lib/webhooks';
import { workflowIdFor } from '../workflows/case';
import { getCase } from '../workflows/definitions';
import type { WebhookActivities } from '../workflows/webhooks';

/** The reply of a case's current result, from its workflow (the read side keeps no reply). */
async function replyOf(caseId: string): Promise<string | undefined> {
  const snapshot = await Context.current().client.workflow.getHandle(workflowIdFor(caseId)).query(getCase);
  return snapshot.result?.reply;
}

/** The webhook poster's activities: thin adapters from its contract to db/ and the HTTP post. */
export function webhookActivities(db: Db, hotline: HotlineMapping = defaultHotlineMapping): WebhookActivities {
  const subscription = async (id: string) => {
    const found = await getSubscription(db, id);
    if (!found) throw new Error(`no webhook subscription ${id}`);
    return found;
  };
  return {
    async nextWebhookEvents({ subscriptionId, limit }) {
      const sub = await getSubscription(db, subscriptionId);
      if (!sub?.active) return { active: false, events: [] };
      const read = await readFeed(db, { filter: { registeredBy: sub.integrator }, after: sub.cursor ? feedPosition(sub.cursor) : undefined, limit });
      // A hotline hears of its steps alone, unless its subscription names the kinds.
      const kinds = sub.kinds.length > 0 ? sub.kinds : sub.format === 'hotline' ? Object.keys(hotline.steps) : [];
      const events = read
        .filter((e) => kinds.length === 0 || kinds.includes(e.kind))
        .map(({ position, at, ...event }) => ({ ...event, at: at.toISOString(), cursor: feedCursor(position) }));
      const last = read.at(-1);
      return { active: true, events, ...(last ? { cursor: feedCursor(last.position) } : {}) };
    },
    async sendWebhook({ subscriptionId, event }) {
      const sub = await subscription(subscriptionId);
      const message = await messageFor({ db, hotline, replyOf }, sub, event);
      // Nothing its receiver is told of (a case the hotline did not hand over): passed over.
      if (!message) return;
      await postWebhook(sub.url, signingSecrets(sub), message).catch(async (err: unknown) => {
        await noteWebhookError(db, subscriptionId, (err as Error).message);
        throw err;
      });
    },
    async recordWebhookFailure({ subscriptionId, event, reason }) {
      const { id: messageId } = webhookMessage(event);
      // Given up for the time it took, the receiver's last answer says why.
      const last = (await getSubscription(db, subscriptionId))?.lastError;
      await storeWebhookFailure(db, {
        id: `${subscriptionId}|${messageId}`,
        subscriptionId,
        messageId,
        caseId: event.caseId,
        seq: event.seq,
        kind: event.kind,
        at: new Date(event.at),
        lastError: last && !reason.includes(last) ? `${reason} — ${last}` : reason,
        failedAt: new Date(),
      });
    },
    advanceWebhookCursor: ({ subscriptionId, cursor }) => advanceCursor(db, subscriptionId, cursor),
  };
}
