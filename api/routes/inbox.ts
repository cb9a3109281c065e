import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { inboxOf, markRead } from '../../db/inbox';
import { staffRoles } from '../../lib/principal';
import { problemResponses } from '../problem';

const Query = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only what is not read yet' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const ReadBody = Type.Object(
  { noticeIds: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 200, description: 'none: every notice of the inbox' })) },
  { additionalProperties: false },
);

const ItemSchema = Type.Object({
  noticeId: Type.String(),
  caseId: Type.String(),
  kind: Type.String(),
  text: Type.String({ description: 'zh-CN' }),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/**
 * The caller's inbox (消息): every notice meant for them (an assignment to their unit, a warning, a
 * supervision, a duty alert…), as resolved when it was recorded, with what they have read.
 */
export const inboxRoutes: FastifyPluginAsync = async (app) => {
  const db = app.deps.database.db;
  app.get<{ Querystring: Static<typeof Query> }>(
    '/inbox',
    {
      config: { roles: staffRoles },
      schema: {
        tags: ['people'],
        summary: "The caller's notices, newest first, and how many are unread",
        querystring: Query,
        response: { 200: Type.Object({ unread: Type.Integer(), items: Type.Array(ItemSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const { unread, items } = await inboxOf(db, request.principal.id, { unreadOnly: request.query.unread ?? false, limit: request.query.limit ?? 50 });
      return { unread, items: items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), readAt: i.readAt?.toISOString() ?? null })) };
    },
  );

  app.post<{ Body: Static<typeof ReadBody> }>(
    '/inbox/read',
    {
      config: { roles: staffRoles },
      schema: {
        tags: ['people'],
        summary: 'Mark notices of the inbox read',
        body: ReadBody,
        response: { 200: Type.Object({ unread: Type.Integer() }), ...problemResponses },
      },
    },
    async (request) => ({ unread: await markRead(db, request.principal.id, request.body.noticeIds) }),
  );
};
