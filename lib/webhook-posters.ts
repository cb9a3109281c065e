import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { activeSubscriptions } from '../db/webhooks';
import { webhookPosterId, webhookRetry, webhooksChanged } from '../workflows/webhooks';
import type { Config } from './config';

type PosterConfig = Pick<Config, 'taskQueue' | 'webhookGiveUpSeconds' | 'webhookPollMs'>;

/** Starts the subscription's poster (workflows/webhooks.ts), or wakes it when it runs: the subscription changed. */
export async function wakePoster(client: Client, config: PosterConfig, subscriptionId: string): Promise<void> {
  await client.workflow.signalWithStart('webhookPoster', {
    workflowId: webhookPosterId(subscriptionId),
    taskQueue: config.taskQueue,
    args: [{ subscriptionId, retry: webhookRetry(config.webhookGiveUpSeconds), pollInterval: `${config.webhookPollMs} ms` }],
    signal: webhooksChanged,
    signalArgs: [],
  });
}

/**
 * At the worker's start: every active subscription has its poster running (one ended by hand, or
 * lost with a Temporal restored without it, starts again from the cursor kept in Postgres).
 */
export async function ensureWebhookPosters(client: Client, db: Db, config: PosterConfig): Promise<number> {
  const subscriptions = await activeSubscriptions(db);
  for (const { id } of subscriptions) await wakePoster(client, config, id);
  return subscriptions.length;
}
