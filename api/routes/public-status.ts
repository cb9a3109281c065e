import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { publicStatus } from '../../db/public-status';
import { categoryZh, labelZh, statusZh, timelineKindZh } from '../../lib/labels-zh';
import { CaseId } from '../../workflows/fields';
import { Problem, problemResponses } from '../problem';

const Query = Type.Object(
  {
    caseId: CaseId,
    queryCode: Type.String({
      pattern: '^[A-Za-z0-9]{8}$',
      description: 'the query code (查询码) of the acceptance notice; letters in either case',
      examples: ['K7MP3QXA'],
    }),
  },
  { additionalProperties: false },
);

const Labelled = (description: string) => Type.Object({ code: Type.String(), label: Type.String({ description: 'zh-CN' }) }, { description });

const StatusSchema = Type.Object({
  caseId: Type.String(),
  status: Labelled('where the case stands'),
  category: Labelled('what it is about'),
  district: Type.String(),
  unit: Type.Union([Type.String(), Type.Null()], { description: 'the body handling it' }),
  registeredAt: Type.String({ format: 'date-time' }),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the current step is due' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  steps: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), kind: Type.String(), label: Type.String({ description: 'zh-CN' }) })),
});

/**
 * The complainant's window on their case (件件有回音): with the case number and the query code of
 * the acceptance notice, anyone reads how it moves, without signing in and without a word of
 * personal data: no names, no contact, no description, nobody's account. A POST, so the code stays
 * out of URLs and their logs; limited per address, since it is open to all.
 */
export const publicStatusRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: Static<typeof Query> }>(
    '/status',
    {
      config: { roles: 'public', rateLimit: { max: 30, timeWindow: '1 minute', allowList: () => false } },
      schema: {
        tags: ['public'],
        summary: "A case's progress, by its number and query code (查询码), for the complainant",
        body: Query,
        response: { 200: StatusSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { caseId, queryCode } = request.body;
      const found = await publicStatus(app.deps.database.db, caseId, queryCode.toUpperCase());
      if (!found) throw new Problem('not-found', 'no case with that number and query code');
      return {
        caseId: found.caseId,
        status: { code: found.status, label: labelZh(statusZh, found.status) },
        category: { code: found.category, label: labelZh(categoryZh, found.category) },
        district: found.district,
        unit: found.unit,
        registeredAt: found.registeredAt.toISOString(),
        dueAt: found.dueAt?.toISOString() ?? null,
        closedAt: found.closedAt?.toISOString() ?? null,
        steps: found.steps.map((s) => ({ at: s.at.toISOString(), kind: s.kind, label: timelineKindZh[s.kind] })),
      };
    },
  );
};
