import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { identityReadsBetween, type IdentityRead } from '../../db/identity-reads';
import { backlog, hotspots, kpi, monthly, unassignedUnit, type Backlog, type Count, type Hotspot, type Kpi, type Rate as RateValue } from '../../db/reports';
import { reportReaders } from '../../lib/report-access';
import { countKeyZh, dimensionZh, hotspotTypeZh, labelZh, rateZh, reportPlaceholderZh, statusZh } from '../../lib/labels-zh';
import { shanghaiDate, shanghaiDateTime } from '../../workflows/calendar';
import { defaultPolicy } from '../../workflows/policy';
import { answer, ExportParams, exportResponse, type Column, type ExportLang } from '../export';
import { DayOrInstant, Month, period } from '../period';
import { problemResponses } from '../problem';
import { districtsOf, requestScope } from '../scope';
import { caseIdPattern, Text } from '../schemas';

const roles = reportReaders;
const Period = {
  from: DayOrInstant('2026-11-01'),
  to: DayOrInstant('2026-11-30'),
};
const KpiQuery = Type.Object({ ...Period, district: Type.Optional(Text(100)), unit: Type.Optional(Text(100)), ...ExportParams });
const MonthQuery = Type.Object({ month: Month(), ...ExportParams });
const PeriodQuery = Type.Object({ ...Period, ...ExportParams });
const IdentityReadsQuery = Type.Object({
  ...Period,
  caseId: Type.Optional(Type.String({ pattern: caseIdPattern, description: 'Only the reads of this case' })),
  ...ExportParams,
});
const BacklogQuery = Type.Object({ olderThanDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30 })), ...ExportParams });

const Rate = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'numerator / denominator; null when nothing was measured' }),
});
const KpiSchema = Type.Object({ timelyAcceptance: Rate, onTimeCompletion: Rate, standardisation: Rate, satisfaction: Rate, firstTimeSatisfaction: Rate });
const MonthlySchema = Type.Object({
  month: Type.String(),
  counts: Type.Array(
    Type.Object({
      dimension: Type.Enum(['district', 'category', 'channel', 'industry']),
      key: Type.String(),
      count: Type.Integer(),
      previous: Type.Integer({ description: 'the previous month' }),
      change: Type.Integer({ description: 'count − previous' }),
      changeRate: Type.Union([Type.Number(), Type.Null()], { description: '环比: change / previous; null when the previous month had none' }),
      lastYear: Type.Integer({ description: 'the same month a year before' }),
      yearChange: Type.Integer({ description: 'count − lastYear' }),
      yearChangeRate: Type.Union([Type.Number(), Type.Null()], { description: '同比: yearChange / lastYear; null when that month had none' }),
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
    oldest: Type.Array(Type.Object({ id: Type.String(), status: Type.String(), registeredAt: Type.String(), unit: Type.Union([Type.String(), Type.Null()]) })),
  }),
  overdueByUnit: Type.Array(
    Type.Object({
      unit: Type.String({ description: 'the handling unit; "(unassigned)" for cases past their dispatch deadline with no unit yet' }),
      count: Type.Integer(),
    }),
  ),
  ownedByTier: Type.Array(Type.Object({ tier: Type.Integer(), count: Type.Integer() })),
});

const IdentityReadsSchema = Type.Object({
  reads: Type.Array(
    Type.Object({
      id: Type.String(),
      caseId: Type.String(),
      accountId: Type.String({ description: 'The account (or API key) that read the identity' }),
      accountName: Type.String({ description: "The person's name; the key's id for an API key" }),
      reason: Type.String(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});

/** A code as the reader asked for it: the Chinese label, or the code itself. */
const say = <Code extends string>(labels: Readonly<Record<Code, string>>, code: string, lang: ExportLang) => (lang === 'en' ? code : labelZh(labels, code));
const unassigned = (lang: ExportLang) => say(reportPlaceholderZh, unassignedUnit, lang);

const kpiColumns: Column<RateValue & { rate: string }>[] = [
  { header: { 'zh-CN': '指标', en: 'rate' }, cell: (r, lang) => say(rateZh, r.rate, lang) },
  { header: { 'zh-CN': '分子', en: 'numerator' }, cell: (r) => r.numerator },
  { header: { 'zh-CN': '分母', en: 'denominator' }, cell: (r) => r.denominator },
  { header: { 'zh-CN': '比率', en: 'value' }, cell: (r) => r.value, percent: true },
];

const monthlyColumns: Column<Count>[] = [
  { header: { 'zh-CN': '维度', en: 'dimension' }, cell: (c, lang) => say(dimensionZh, c.dimension, lang) },
  {
    header: { 'zh-CN': '项目', en: 'key' },
    cell: (c, lang) => (lang === 'en' ? c.key : countKeyZh(c.dimension, c.key)),
  },
  { header: { 'zh-CN': '本月', en: 'count' }, cell: (c) => c.count },
  { header: { 'zh-CN': '上月', en: 'previous' }, cell: (c) => c.previous },
  { header: { 'zh-CN': '环比变化', en: 'change' }, cell: (c) => c.change },
  { header: { 'zh-CN': '环比', en: 'changeRate' }, cell: (c) => c.changeRate, percent: true },
  { header: { 'zh-CN': '去年同期', en: 'lastYear' }, cell: (c) => c.lastYear },
  { header: { 'zh-CN': '同比变化', en: 'yearChange' }, cell: (c) => c.yearChange },
  { header: { 'zh-CN': '同比', en: 'yearChangeRate' }, cell: (c) => c.yearChangeRate, percent: true },
];

const hotspotColumns: Column<Hotspot>[] = [
  { header: { 'zh-CN': '类型', en: 'type' }, cell: (s, lang) => say(hotspotTypeZh, s.type, lang) },
  { header: { 'zh-CN': '匹配键', en: 'key' }, cell: (s) => s.key },
  { header: { 'zh-CN': '名称', en: 'label' }, cell: (s) => s.label },
  { header: { 'zh-CN': '数量', en: 'count' }, cell: (s) => s.count },
  { header: { 'zh-CN': '上期', en: 'previous' }, cell: (s) => s.previous },
];

const identityReadColumns: Column<IdentityRead>[] = [
  // People read times in Shanghai; the English CSV keeps the instant as the JSON has it.
  { header: { 'zh-CN': '查看时间', en: 'at' }, cell: (r, lang) => (lang === 'en' ? r.at.toISOString() : shanghaiDateTime(r.at.getTime())) },
  { header: { 'zh-CN': '案件编号', en: 'caseId' }, cell: (r) => r.caseId },
  { header: { 'zh-CN': '账号', en: 'accountId' }, cell: (r) => r.accountId },
  { header: { 'zh-CN': '姓名', en: 'accountName' }, cell: (r) => r.accountName },
  { header: { 'zh-CN': '查看事由', en: 'reason' }, cell: (r) => r.reason },
];

/** The backlog's parts as one table: each row one figure, or (oldest) one case. */
type BacklogRow =
  | { section: 'open'; days: number; count: number }
  | { section: 'oldest'; case: Backlog['open']['oldest'][number] }
  | { section: 'overdue'; unit: string; count: number }
  | { section: 'owned'; tier: number; count: number };
const sectionZh = { open: '积案', oldest: '积案明细', overdue: '超期', owned: '领导包案' } as const satisfies Record<BacklogRow['section'], string>;
const oldest = <T>(row: BacklogRow, f: (c: Backlog['open']['oldest'][number]) => T) => (row.section === 'oldest' ? f(row.case) : null);

const backlogColumns: Column<BacklogRow>[] = [
  { header: { 'zh-CN': '分类', en: 'section' }, cell: (r, lang) => say(sectionZh, r.section, lang) },
  {
    header: { 'zh-CN': '项目', en: 'key' },
    cell: (r, lang) => {
      const en = lang === 'en';
      switch (r.section) {
        case 'open':
          return en ? `older_than_${r.days}_days` : `超过${r.days}天`;
        case 'oldest':
          return r.case.id;
        case 'overdue':
          return r.unit === unassignedUnit ? unassigned(lang) : r.unit;
        case 'owned':
          return en ? `tier_${r.tier}` : `第${r.tier}级`;
      }
    },
  },
  { header: { 'zh-CN': '数量', en: 'count' }, cell: (r) => (r.section === 'oldest' ? null : r.count) },
  { header: { 'zh-CN': '状态', en: 'status' }, cell: (r, lang) => oldest(r, (c) => say(statusZh, c.status, lang)) },
  {
    header: { 'zh-CN': '登记时间', en: 'registeredAt' },
    // People read times in Shanghai; the English CSV keeps the instant as the JSON has it.
    cell: (r, lang) => oldest(r, (c) => (lang === 'en' ? c.registeredAt : shanghaiDateTime(Date.parse(c.registeredAt)))),
  },
  { header: { 'zh-CN': '承办单位', en: 'unit' }, cell: (r, lang) => oldest(r, (c) => c.unit ?? unassigned(lang)) },
];

/** A period's days for a file name: `to` is exclusive, so its name is the day before it ends. */
const periodName = (p: { from: Date; to: Date }) => `${shanghaiDate(p.from.getTime())}_${shanghaiDate(p.to.getTime() - 1)}`;

const describe = (summary: string, querystring: object, body: object) => ({
  tags: ['reports'],
  summary,
  description:
    'JSON; CSV with `format=csv` or `Accept: text/csv`; an Excel workbook (xlsx) with `format=xlsx` or `Accept: ' +
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (`format` wins over `Accept`). Both downloads have the same ' +
    'columns, headers and codes in Chinese unless `lang=en`, and a dated file name. The CSV is UTF-8 with a BOM; the workbook has ' +
    'one sheet, its header row bold and frozen, numbers as numbers and rates as percentages.',
  querystring,
  response: { 200: exportResponse(body), ...problemResponses },
});

/** The read side's reports, from Postgres. */
export const reportRoutes: FastifyPluginAsync = async (app) => {
  const policy = () => app.deps.policy ?? defaultPolicy;

  app.get<{ Querystring: Static<typeof KpiQuery> }>(
    '/reports/kpi',
    { config: { roles }, schema: describe('The four rates (四率), each with numerator and denominator', KpiQuery, KpiSchema) },
    async (request, reply) => {
      const { district, unit } = request.query;
      const bounds = period(request.query);
      const scope = await requestScope(request, app.deps.database.db);
      const result = await kpi(app.deps.database.db, {
        ...bounds,
        ...(district ? { district } : {}),
        ...(unit ? { unit } : {}),
        districts: districtsOf(scope),
      });
      return answer(request, reply, result, {
        name: `kpi-${periodName(bounds)}`,
        sheet: { 'zh-CN': '四率', en: 'kpi' },
        columns: kpiColumns,
        rows: () => (Object.entries(result) as [keyof Kpi, RateValue][]).map(([rate, r]) => ({ rate, ...r })),
      });
    },
  );

  app.get<{ Querystring: Static<typeof MonthQuery> }>(
    '/reports/monthly',
    {
      config: { roles },
      schema: describe(
        'Counts by district, category, channel and industry, against the previous month (环比) and the same month a year before (同比)',
        MonthQuery,
        MonthlySchema,
      ),
    },
    async (request, reply) => {
      const counts = await monthly(app.deps.database.db, request.query.month, districtsOf(await requestScope(request, app.deps.database.db)));
      return answer(
        request,
        reply,
        { month: request.query.month, counts },
        {
          name: `monthly-${request.query.month}`,
          sheet: { 'zh-CN': '月度分析', en: 'monthly' },
          columns: monthlyColumns,
          rows: () => counts,
        },
      );
    },
  );

  app.get<{ Querystring: Static<typeof PeriodQuery> }>(
    '/reports/hotspots',
    { config: { roles }, schema: describe('Places and polluters reported twice or more, and clusters', PeriodQuery, HotspotsSchema) },
    async (request, reply) => {
      const { clusterMinReports, clusterWindowDays } = policy();
      const bounds = period(request.query);
      const districts = districtsOf(await requestScope(request, app.deps.database.db));
      const spots = await hotspots(app.deps.database.db, { ...bounds, clusterMinReports, clusterWindowDays, districts });
      return answer(
        request,
        reply,
        { hotspots: spots },
        {
          name: `hotspots-${periodName(bounds)}`,
          sheet: { 'zh-CN': '热点与聚集', en: 'hotspots' },
          columns: hotspotColumns,
          rows: () => spots,
        },
      );
    },
  );

  app.get<{ Querystring: Static<typeof BacklogQuery> }>(
    '/reports/backlog',
    { config: { roles }, schema: describe('Old open cases, overdue cases by unit, owned cases by tier', BacklogQuery, BacklogSchema) },
    async (request, reply) => {
      const now = new Date();
      const districts = districtsOf(await requestScope(request, app.deps.database.db));
      const result = await backlog(app.deps.database.db, request.query.olderThanDays ?? 30, districts, now);
      return answer(request, reply, result, {
        name: `backlog-${shanghaiDate(now.getTime())}`,
        sheet: { 'zh-CN': '积案', en: 'backlog' },
        columns: backlogColumns,
        rows: (): BacklogRow[] => [
          { section: 'open', days: result.olderThanDays, count: result.open.count },
          ...result.open.oldest.map((c) => ({ section: 'oldest' as const, case: c })),
          ...result.overdueByUnit.map((u) => ({ section: 'overdue' as const, ...u })),
          ...result.ownedByTier.map((t) => ({ section: 'owned' as const, ...t })),
        ],
      });
    },
  );

  // The audit of unmasking (POST /complaints/{id}/identity): supervisors only, who oversee who read what.
  app.get<{ Querystring: Static<typeof IdentityReadsQuery> }>(
    '/reports/identity-reads',
    {
      config: { roles: ['supervisor'] },
      schema: describe("Every read of a complainant's unmasked identity: who, when, which case, why; newest first", IdentityReadsQuery, IdentityReadsSchema),
    },
    async (request, reply) => {
      const { caseId } = request.query;
      const bounds = period(request.query);
      const reads = await identityReadsBetween(app.deps.database.db, { ...bounds, ...(caseId ? { caseId } : {}) });
      // Who read which complainant is itself confidential: no cache may keep it.
      reply.header('cache-control', 'no-store');
      return answer(
        request,
        reply,
        { reads: reads.map((r) => ({ ...r, at: r.at.toISOString() })) },
        {
          name: `identity-reads-${periodName(bounds)}`,
          sheet: { 'zh-CN': '身份查看记录', en: 'identity reads' },
          columns: identityReadColumns,
          rows: () => reads,
        },
      );
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
