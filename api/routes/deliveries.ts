import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { failedDeliveries } from '../../db/deliveries';
import { problemResponses } from '../problem';
import { DeliveryChannelSchema } from '../schemas';

const Query = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false });

const FailedDeliverySchema = Type.Object({
  id: Type.String({ description: '`<notice id>|<channel>|<address>`' }),
  noticeId: Type.String(),
  caseId: Type.String(),
  channel: DeliveryChannelSchema,
  accountId: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()], { description: "the provider's last answer, or why it was given up" }),
  updatedAt: Type.String({ format: 'date-time', description: 'when it was given up' }),
});

/** Notices the service could not deliver: the address to correct, or the person to reach another way. */
export const deliveryRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/deliveries/failed',
    {
      config: { roles: ['ops', 'supervisor'] },
      schema: {
        tags: ['ops'],
        summary: 'Notice deliveries given up, newest first',
        querystring: Query,
        response: { 200: Type.Object({ items: Type.Array(FailedDeliverySchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const rows = await failedDeliveries(app.deps.database.db, request.query.limit ?? 100);
      return { items: rows.map(({ status: _status, providerId: _providerId, createdAt: _createdAt, ...row }) => row) };
    },
  );
};
