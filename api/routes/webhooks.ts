import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { feedCursor, feedTail } from '../../db/feed';
import {
  getSubscription,
  getWebhookFailure,
  markResent,
  pendingWebhookFailures,
  rotateSecret,
  signingSecrets,
  createSubscription,
  subscriptionsOf,
  updateSubscription,
  type WebhookSubscription,
} from '../../db/webhooks';
import { wakePoster } from '../../lib/webhook-posters';
import { defaultHotlineMapping } from '../../lib/hotline';
import { messageFor } from '../../lib/webhook-messages';
import { newWebhookSecret, postWebhook } from '../../lib/webhooks';
import { timelineKinds } from '../../workflows/model';
import { webhookFormats } from '../../db/schema';
import { isArchived } from '../archived-case';
import { Problem, problemResponses } from '../problem';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'a name of your choosing', examples: ['hotline-main'] }) });

const SubscriptionBody = Type.Object(
  {
    url: Type.String({
      format: 'uri',
      pattern: '^https?://',
      maxLength: 2000,
      description: 'where the changes are posted (http or https)',
      examples: ['https://12345.example.gov.cn/hooks/complaints'],
    }),
    kinds: Type.Optional(
      Type.Array(Type.Enum(timelineKinds), {
        uniqueItems: true,
        maxItems: timelineKinds.length,
        description: 'the event kinds to post; none or empty: every kind',
      }),
    ),
    active: Type.Optional(
      Type.Boolean({ default: true, description: 'false: nothing is posted until it is true again (what happened meanwhile is posted then)' }),
    ),
    format: Type.Optional(
      Type.Enum(webhookFormats, {
        default: 'standard',
        description:
          '`standard`: each change as the feed has it; `hotline`: a hotline platform\'s steps (签收, 办结, 回访) of the work orders it handed over, in its own field names (README, "Hotline work orders")',
      }),
    ),
  },
  { additionalProperties: false },
);

const SubscriptionView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  kinds: Type.Array(Type.String()),
  format: Type.Enum(webhookFormats),
  active: Type.Boolean(),
  cursor: Type.Union([Type.String(), Type.Null()], { description: 'the last change posted (or passed over), as in `GET /feed`' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: "your receiver's last answer that was not a 2xx" }),
  lastErrorAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  secret: Type.Optional(Type.String({ description: 'only when made: the Standard Webhooks secret (`whsec_…`) to verify the signatures with; keep it' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const FailureView = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  messageId: Type.String({ description: 'the `webhook-id` it was posted under, again on a re-send' }),
  caseId: Type.String(),
  seq: Type.Integer(),
  kind: Type.String(),
  at: Type.String({ format: 'date-time' }),
  lastError: Type.String({ description: "the receiver's last answer, or the timeout" }),
  failedAt: Type.String({ format: 'date-time' }),
});

const shown = ({ id, url, kinds, format, active, cursor, lastError, lastErrorAt, createdAt, updatedAt }: WebhookSubscription) => ({
  id,
  url,
  kinds,
  format,
  active,
  cursor,
  lastError,
  lastErrorAt: lastErrorAt?.toISOString() ?? null,
  createdAt: createdAt.toISOString(),
  updatedAt: updatedAt.toISOString(),
});

/**
 * Webhooks (Standard Webhooks): an integrator subscribes to the changes of the cases it
 * registered; the service posts each, signed, in order, retried, and keeps those given up for ops
 * to post again.
 */
export const webhookRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps.database;
  const integrator = { roles: ['integrator'] as const };
  const own = async (integratorId: string, id: string) => {
    const found = await getSubscription(db, id);
    if (!found || found.integrator !== integratorId) throw new Problem('not-found', `no webhook subscription ${id}`);
    return found;
  };

  app.get(
    '/webhooks',
    {
      config: integrator,
      schema: {
        tags: ['webhooks'],
        summary: 'Your webhook subscriptions',
        response: { 200: Type.Object({ items: Type.Array(SubscriptionView) }), ...problemResponses },
      },
    },
    async (request) => ({ items: (await subscriptionsOf(db, request.principal.id)).map(shown) }),
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof SubscriptionBody> }>(
    '/webhooks/:id',
    {
      config: integrator,
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe to the changes of your cases, or change a subscription',
        description:
          'Made (201), it answers its `secret` once, and posts what happens from then on; changed (200), it goes on from where it was. Each change is a `POST` of `{ type: "case.<kind>", timestamp, data: { caseId, seq, kind, at } }` with the Standard Webhooks headers `webhook-id` (`<caseId>:<seq>`), `webhook-timestamp` and `webhook-signature`.',
        params: IdParams,
        body: SubscriptionBody,
        response: { 200: SubscriptionView, 201: SubscriptionView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const existing = await getSubscription(db, id);
      if (existing && existing.integrator !== request.principal.id) throw new Problem('conflict', `webhook subscription ${id} is another integrator's`);
      const change = {
        integrator: request.principal.id,
        url: request.body.url,
        kinds: request.body.kinds ?? [],
        format: request.body.format ?? 'standard',
        active: request.body.active ?? true,
      };
      // A new subscription starts at the feed's end: it hears what happens from now on.
      const tail = existing ? undefined : await feedTail(db);
      const created = existing
        ? undefined
        : await createSubscription(db, id, { ...change, secret: newWebhookSecret(), cursor: tail ? feedCursor(tail) : null });
      const stored = created ?? (await updateSubscription(db, id, change))!;
      if (stored.active) await wakePoster(app.deps.temporal, app.deps.config, id);
      return reply.code(created ? 201 : 200).send({ ...shown(stored), ...(created ? { secret: created.secret } : {}) });
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/webhooks/:id/secret',
    {
      config: integrator,
      schema: {
        tags: ['webhooks'],
        summary: 'A new secret; the old one still signs for 24 hours',
        description: 'Until `previousValidUntil` every message carries two signatures, one per secret: switch the receiver to the new secret meanwhile.',
        params: IdParams,
        response: { 200: Type.Object({ secret: Type.String(), previousValidUntil: Type.String({ format: 'date-time' }) }), ...problemResponses },
      },
    },
    async (request) => {
      await own(request.principal.id, request.params.id);
      const secret = newWebhookSecret();
      const until = new Date(Date.now() + 24 * 3_600_000);
      await rotateSecret(db, request.params.id, secret, until);
      return { secret, previousValidUntil: until.toISOString() };
    },
  );

  app.get(
    '/webhooks/failures',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['webhooks', 'ops'],
        summary: 'Webhook messages given up, not yet posted again',
        response: { 200: Type.Object({ items: Type.Array(FailureView) }), ...problemResponses },
      },
    },
    async () => ({
      items: (await pendingWebhookFailures(db)).map(({ resentAt: _resentAt, at, failedAt, ...f }) => ({
        ...f,
        at: at.toISOString(),
        failedAt: failedAt.toISOString(),
      })),
    }),
  );

  app.post<{ Params: { id: string } }>(
    '/webhooks/failures/:id/resend',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['webhooks', 'ops'],
        summary: 'Post a message given up again, now (same `webhook-id`, signed anew)',
        params: Type.Object({ id: Type.String({ maxLength: 300 }) }),
        response: { 200: Type.Object({ id: Type.String(), resent: Type.Literal(true) }), ...problemResponses },
      },
    },
    async (request) => {
      const failure = await getWebhookFailure(db, request.params.id);
      if (!failure) throw new Problem('not-found', `no webhook failure ${request.params.id}`);
      const subscription = await getSubscription(db, failure.subscriptionId);
      if (!subscription) throw new Problem('not-found', `the subscription ${failure.subscriptionId} is gone`);
      const replyOf = async (caseId: string) => {
        const record = await app.gateway.view(caseId);
        return isArchived(record) ? undefined : record.result?.reply;
      };
      const event = { caseId: failure.caseId, seq: failure.seq, kind: failure.kind, at: failure.at.toISOString() };
      const message = await messageFor({ db, hotline: app.deps.hotline ?? defaultHotlineMapping, replyOf }, subscription, event);
      if (message) {
        await postWebhook(subscription.url, signingSecrets(subscription), message).catch((err: unknown) => {
          throw new Problem('receiver-refused', `the receiver answered: ${(err as Error).message}`);
        });
      }
      await markResent(db, failure.id);
      return { id: failure.id, resent: true as const };
    },
  );
};
