import { Type, type Static } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { backlog, hotspots, kpi, monthly, type Backlog, type Count, type Hotspot, type Kpi } from '../../db/reports';
import { defaultPolicy } from '../../workflows/policy';
import { DayOrInstant, period } from '../period';
import { problemResponses } from '../problem';

const roles = ['supervisor', 'leader', 'ops'] as const;
const Period = {
  from: DayOrInstant('2026-11-01'),
  to: DayOrInstant('2026-11-30'),
};
const KpiQuery = Type.Object({ ...Period, district: Type.Optional(Type.String()), unit: Type.Optional(Type.String()) });
const MonthQuery = Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', examples: ['2026-11'] }) });
const PeriodQuery = Type.Object(Period);
const BacklogQuery = Type.Object({ olderThanDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30 })) });

const Rate = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'numerator / denominator; null when nothing was measured' }),
});
const KpiSchema = Type.Object({ timelyAcceptance: Rate, onTimeCompletion: Rate, standardisation: Rate, satisfaction: Rate });
const MonthlySchema = Type.Object({
  month: Type.String(),
  counts: Type.Array(
    Type.Object({
      dimension: Type.Enum(['district', 'category', 'channel', 'industry']),
      key: Type.String(),
      count: Type.Integer(),
      previous: Type.Integer({ description: 'the previous month' }),
      change: Type.Integer(),
    }),
  ),
});
const HotspotsSchema = Type.Object({
  hotspots: Type.Array(
    Type.Object({
      type: Type.Enum(['location', 'polluter', 'cluster']),
      key: Type.String(),
      label: Type.String(),
      count: Type.Integer(),
      previous: Type.Integer({ description: 'the period of the same length just before' }),
    }),
  ),
});
const BacklogSchema = Type.Object({
  olderThanDays: Type.Integer(),
  open: Type.Object({
    count: Type.Integer(),
    oldest: Type.Array(
      Type.Object({ id: Type.String(), status: Type.String(), registeredAt: Type.String(), unit: Type.Union([Type.String(), Type.Null()]) }),
    ),
  }),
  overdueByUnit: Type.Array(Type.Object({ unit: Type.String(), count: Type.Integer() })),
  ownedByTier: Type.Array(Type.Object({ tier: Type.Integer(), count: Type.Integer() })),
});

/** JSON by default; CSV (one header row, then data) when the caller asks for text/csv. */
function send(request: FastifyRequest, reply: FastifyReply, json: unknown, rows: () => Record<string, unknown>[]) {
  if (!request.headers.accept?.includes('text/csv')) return json;
  return reply.type('text/csv; charset=utf-8').send(stringify(rows(), { header: true }));
}

const describe = (summary: string, querystring: object, body: object) => ({
  tags: ['reports'],
  summary,
  description: 'JSON, or CSV with `Accept: text/csv`.',
  querystring,
  response: { 200: body, ...problemResponses },
});

/** The read side's reports, from Postgres. */
export const reportRoutes: FastifyPluginAsync = async (app) => {
  const policy = () => app.deps.policy ?? defaultPolicy;

  app.get<{ Querystring: Static<typeof KpiQuery> }>(
    '/reports/kpi',
    { config: { roles }, schema: describe('The four rates (四率), each with numerator and denominator', KpiQuery, KpiSchema) },
    async (request, reply) => {
      const { district, unit } = request.query;
      const result = await kpi(app.deps.database.db, { ...period(request.query), ...(district ? { district } : {}), ...(unit ? { unit } : {}) });
      return send(request, reply, result, () => Object.entries(result).map(([name, r]) => ({ rate: name, ...r })));
    },
  );

  app.get<{ Querystring: Static<typeof MonthQuery> }>(
    '/reports/monthly',
    { config: { roles }, schema: describe('Counts by district, category, channel and industry, against the previous month', MonthQuery, MonthlySchema) },
    async (request, reply) => {
      const counts = await monthly(app.deps.database.db, request.query.month);
      return send(request, reply, { month: request.query.month, counts }, () => counts.map((c) => ({ ...c })));
    },
  );

  app.get<{ Querystring: Static<typeof PeriodQuery> }>(
    '/reports/hotspots',
    { config: { roles }, schema: describe('Places and polluters reported twice or more, and clusters', PeriodQuery, HotspotsSchema) },
    async (request, reply) => {
      const { clusterMinReports, clusterWindowDays } = policy();
      const spots = await hotspots(app.deps.database.db, { ...period(request.query), clusterMinReports, clusterWindowDays });
      return send(request, reply, { hotspots: spots }, () => spots.map((s) => ({ ...s })));
    },
  );

  app.get<{ Querystring: Static<typeof BacklogQuery> }>(
    '/reports/backlog',
    { config: { roles }, schema: describe('Old open cases, overdue cases by unit, owned cases by tier', BacklogQuery, BacklogSchema) },
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

// Compile-time: the response schemas describe what db/reports returns.
type Described = [
  Static<typeof KpiSchema>,
  Static<typeof MonthlySchema>['counts'][number],
  Static<typeof HotspotsSchema>['hotspots'][number],
  Static<typeof BacklogSchema>,
];
const _schemasFitReports = (...reports: [Kpi, Count, Hotspot, Backlog]): Described => reports;
void _schemasFitReports;
