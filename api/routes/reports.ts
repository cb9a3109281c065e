import { Type, type Static } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { backlog, hotspots, kpi, monthly } from '../../db/reports';
import { defaultPolicy } from '../../workflows/policy';
import { Problem, ProblemSchema } from '../problem';

const roles = ['supervisor', 'leader', 'ops'] as const;
const Period = {
  from: Type.String({ format: 'date-time', examples: ['2026-11-01T00:00:00+08:00'] }),
  to: Type.String({ format: 'date-time', examples: ['2026-12-01T00:00:00+08:00'] }),
};
const KpiQuery = Type.Object({ ...Period, district: Type.Optional(Type.String()), unit: Type.Optional(Type.String()) });
const MonthQuery = Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', examples: ['2026-11'] }) });
const PeriodQuery = Type.Object(Period);
const BacklogQuery = Type.Object({ olderThanDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30 })) });

function period(q: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (!(from < to)) throw new Problem('validation', 'from must be before to', { errors: [{ field: 'to', message: 'must be after from' }] });
  return { from, to };
}

/** JSON by default; CSV (one header row, then data) when the caller asks for text/csv. */
function send(request: FastifyRequest, reply: FastifyReply, json: unknown, rows: () => Record<string, unknown>[]) {
  if (!request.headers.accept?.includes('text/csv')) return json;
  return reply.type('text/csv; charset=utf-8').send(stringify(rows(), { header: true }));
}

const describe = (summary: string, querystring: object) => ({
  tags: ['reports'],
  summary,
  description: 'JSON, or CSV with `Accept: text/csv`.',
  querystring,
  response: { '4xx': ProblemSchema, '5xx': ProblemSchema },
});

/** The read side's reports, from Postgres. */
export const reportRoutes: FastifyPluginAsync = async (app) => {
  const policy = () => app.deps.policy ?? defaultPolicy;

  app.get<{ Querystring: Static<typeof KpiQuery> }>(
    '/reports/kpi',
    { config: { roles }, schema: describe('The four rates (四率), each with numerator and denominator', KpiQuery) },
    async (request, reply) => {
      const { district, unit } = request.query;
      const result = await kpi(app.deps.database.db, { ...period(request.query), ...(district ? { district } : {}), ...(unit ? { unit } : {}) });
      return send(request, reply, result, () => Object.entries(result).map(([name, r]) => ({ rate: name, ...r })));
    },
  );

  app.get<{ Querystring: Static<typeof MonthQuery> }>(
    '/reports/monthly',
    { config: { roles }, schema: describe('Counts by district, category, channel and industry, against the previous month', MonthQuery) },
    async (request, reply) => {
      const counts = await monthly(app.deps.database.db, request.query.month);
      return send(request, reply, { month: request.query.month, counts }, () => counts.map((c) => ({ ...c })));
    },
  );

  app.get<{ Querystring: Static<typeof PeriodQuery> }>(
    '/reports/hotspots',
    { config: { roles }, schema: describe('Places and polluters reported twice or more, and clusters', PeriodQuery) },
    async (request, reply) => {
      const { clusterMinReports, clusterWindowDays } = policy();
      const spots = await hotspots(app.deps.database.db, { ...period(request.query), clusterMinReports, clusterWindowDays });
      return send(request, reply, { hotspots: spots }, () => spots.map((s) => ({ ...s })));
    },
  );

  app.get<{ Querystring: Static<typeof BacklogQuery> }>(
    '/reports/backlog',
    { config: { roles }, schema: describe('Old open cases, overdue cases by unit, owned cases by tier', BacklogQuery) },
    async (request, reply) => {
      const result = await backlog(app.deps.database.db, request.query.olderThanDays ?? 30);
      return send(request, reply, result, () => [
        { section: 'open', key: `older_than_${result.olderThanDays}_days`, count: result.open.count },
        ...result.overdueByUnit.map((u) => ({ section: 'overdue', key: u.unit, count: u.count })),
        ...result.ownedByTier.map((t) => ({ section: 'owned', key: `tier_${t.tier}`, count: t.count })),
      ]);
    },
  );
};
