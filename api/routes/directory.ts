import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { listLeaders, storeLeader } from '../../db/leaders';
import { directoryAccess } from '../../lib/directory-access';
import { shanghaiDate } from '../../workflows/calendar';
import { Day } from '../period';
import { problemResponses } from '../problem';
import { Text } from '../schemas';

const LeaderSchema = Type.Object(
  {
    id: Text(100, { example: 'chief-nancheng' }),
    name: Text(100, { example: '王科长' }),
    tier: Type.Enum([1, 2, 3], { description: '1 section chief, 2 branch bureau head, 3 city bureau leader' }),
    district: Type.Optional(Type.Union([Text(100), Type.Null()], { description: 'null or absent: a system leader for every district' })),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
const LeaderRowSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tier: Type.Integer(),
  district: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});
const SpotCheckSchema = Type.Object(
  {
    day: Type.Optional(Day('Shanghai day whose closures are sampled; default yesterday')),
    rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "default: the deployment's policy rate" })),
  },
  { additionalProperties: false },
);

/**
 * The leaders who take escalated cases (the directory the workflow asks), and a spot check on
 * demand, besides the daily schedule.
 */
export const directoryRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/leaders',
    {
      config: { roles: directoryAccess.leaders.read },
      schema: {
        tags: ['directory'],
        summary: 'The escalation directory, by tier',
        response: { 200: Type.Object({ leaders: Type.Array(LeaderRowSchema) }), ...problemResponses },
      },
    },
    async () => ({ leaders: await listLeaders(app.deps.database.db) }),
  );

  app.put<{ Params: { id: string }; Body: Omit<Static<typeof LeaderSchema>, 'id'> }>(
    '/leaders/:id',
    {
      config: { roles: directoryAccess.leaders.edit },
      schema: {
        tags: ['directory'],
        summary: 'Add or change a leader of the escalation directory',
        params: Type.Object({ id: LeaderSchema.properties.id }),
        body: Type.Omit(LeaderSchema, ['id']),
        response: { 200: LeaderRowSchema, ...problemResponses },
      },
    },
    async (request) => {
      const row = { ...request.body, id: request.params.id, district: request.body.district ?? null, active: request.body.active ?? true };
      await storeLeader(app.deps.database.db, row);
      return row;
    },
  );

  app.post<{ Body: Static<typeof SpotCheckSchema> }>(
    '/spot-checks',
    {
      config: { roles: ['supervisor', 'ops'] },
      schema: {
        tags: ['directory'],
        summary: 'Run a spot check now (the daily schedule runs one at 01:00)',
        body: SpotCheckSchema,
        response: {
          201: Type.Object({ day: Type.String({ format: 'date' }), selected: Type.Array(Type.String(), { description: 'the case ids put under review' }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const day = request.body.day ?? shanghaiDate(Date.now() - 86_400_000);
      const { rate } = request.body;
      return reply.code(201).send(await app.gateway.runSpotCheck({ day, requestId: request.id, ...(rate !== undefined ? { rate } : {}) }));
    },
  );
};
