import { asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from './client';
import { webhookFailures, webhookSubscriptions } from './schema';

export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type WebhookFailure = typeof webhookFailures.$inferSelect;

export async function getSubscription(db: Db, id: string): Promise<WebhookSubscription | undefined> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row;
}

export function subscriptionsOf(db: Db, integrator: string): Promise<WebhookSubscription[]> {
  return db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.integrator, integrator)).orderBy(asc(webhookSubscriptions.id));
}

export function activeSubscriptions(db: Db): Promise<WebhookSubscription[]> {
  return db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.active, true)).orderBy(asc(webhookSubscriptions.id));
}

type SubscriptionChange = Pick<WebhookSubscription, 'integrator' | 'url' | 'kinds' | 'format' | 'active'>;

/** Changes a subscription's URL, kinds and state; undefined when there is none of that id. */
export async function updateSubscription(db: Db, id: string, change: SubscriptionChange): Promise<WebhookSubscription | undefined> {
  const [row] = await db
    .update(webhookSubscriptions)
    .set({ url: change.url, kinds: change.kinds, format: change.format, active: change.active, updatedAt: new Date() })
    .where(eq(webhookSubscriptions.id, id))
    .returning();
  return row;
}

/**
 * Adds a subscription with its first secret, starting at `cursor`; undefined when one of that id
 * was added meanwhile (two first PUTs at once).
 */
export async function createSubscription(
  db: Db,
  id: string,
  change: SubscriptionChange & Pick<WebhookSubscription, 'secret' | 'cursor'>,
): Promise<WebhookSubscription | undefined> {
  const now = new Date();
  const [row] = await db
    .insert(webhookSubscriptions)
    .values({ id, ...change, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** A new secret; the one before it still signs until `until`. */
export async function rotateSecret(db: Db, id: string, secret: string, until: Date): Promise<void> {
  const existing = await getSubscription(db, id);
  if (!existing) return;
  await db
    .update(webhookSubscriptions)
    .set({ secret, previousSecret: existing.secret, previousSecretUntil: until, updatedAt: new Date() })
    .where(eq(webhookSubscriptions.id, id));
}

/** The secrets a message is signed with now: the current one, and the previous one while it lasts. */
export function signingSecrets(subscription: WebhookSubscription, now = new Date()): string[] {
  const previous =
    subscription.previousSecret && subscription.previousSecretUntil && subscription.previousSecretUntil > now ? [subscription.previousSecret] : [];
  return [subscription.secret, ...previous];
}

/** Keeps the receiver's answer to a post that failed. */
export async function noteWebhookError(db: Db, id: string, error: string): Promise<void> {
  await db.update(webhookSubscriptions).set({ lastError: error, lastErrorAt: new Date() }).where(eq(webhookSubscriptions.id, id));
}

export async function advanceCursor(db: Db, id: string, cursor: string): Promise<void> {
  await db.update(webhookSubscriptions).set({ cursor }).where(eq(webhookSubscriptions.id, id));
}

export async function storeWebhookFailure(db: Db, failure: Omit<WebhookFailure, 'resentAt'>): Promise<void> {
  await db
    .insert(webhookFailures)
    .values(failure)
    .onConflictDoUpdate({ target: webhookFailures.id, set: { lastError: failure.lastError, failedAt: failure.failedAt, resentAt: null } });
}

/** Messages given up and not posted again since, newest first. */
export function pendingWebhookFailures(db: Db, limit = 200): Promise<WebhookFailure[]> {
  return db.select().from(webhookFailures).where(isNull(webhookFailures.resentAt)).orderBy(desc(webhookFailures.failedAt)).limit(limit);
}

export async function getWebhookFailure(db: Db, id: string): Promise<WebhookFailure | undefined> {
  const [row] = await db.select().from(webhookFailures).where(eq(webhookFailures.id, id));
  return row;
}

export async function markResent(db: Db, id: string): Promise<void> {
  await db.update(webhookFailures).set({ resentAt: new Date() }).where(eq(webhookFailures.id, id));
}
