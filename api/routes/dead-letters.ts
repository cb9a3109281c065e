import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { recentDeadLetters } from '../../db/dead-letters';
import { problemResponses } from '../problem';

const Query = Type.Object(
  {
    all: Type.Optional(Type.Boolean({ default: false, description: 'also the letters already re-driven' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

const DeadLetterSchema = Type.Object({
  id: Type.String({ examples: ['projectCase:20261124-3f9a0c1b2d:7'] }),
  activity: Type.String({ examples: ['projectCase'] }),
  caseId: Type.String(),
  sqlState: Type.Union([Type.String(), Type.Null()]),
  error: Type.String({ description: 'SQLSTATE and the table, column or constraint; never values' }),
  failures: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  lastFailedAt: Type.String({ format: 'date-time' }),
  redrivenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/**
 * Read-side writes Postgres refused for good. The case went on without them; ops fix the cause
 * and write them again with `npm run dead-letters -- redrive`. The stored input is not shown: it
 * is the case's data, and the list is for finding what to fix.
 */
export const deadLetterRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/dead-letters',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['ops'],
        summary: 'Read-side writes refused for good, newest first (pending only unless all=true)',
        querystring: Query,
        response: { 200: Type.Object({ items: Type.Array(DeadLetterSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const rows = await recentDeadLetters(app.deps.database.db, { all: request.query.all ?? false, limit: request.query.limit ?? 100 });
      return {
        items: rows.map(({ input: _input, ...row }) => ({
          ...row,
          createdAt: row.createdAt.toISOString(),
          lastFailedAt: row.lastFailedAt.toISOString(),
          redrivenAt: row.redrivenAt?.toISOString() ?? null,
        })),
      };
    },
  );
};
