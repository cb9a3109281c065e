import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { rewardsDue, type RewardReport, type RewardRow } from '../../db/reward-report';
import { categoryZh, labelZh, rewardApprovalZh, rewardStateZh } from '../../lib/labels-zh';
import { rewardReportReaders } from '../../lib/report-access';
import { shanghaiDate, shanghaiDateTime } from '../../workflows/calendar';
import { rewardApprovals } from '../../workflows/projection';
import { answer, ExportParams, exportResponse, type Column, type ExportLang } from '../export';
import { DayOrInstant, period } from '../period';
import { problemResponses } from '../problem';
import { districtsOf, requestScope } from '../scope';

const RewardsQuery = Type.Object({ from: DayOrInstant('2026-11-01'), to: DayOrInstant('2026-11-30'), ...ExportParams });

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer> | ReturnType<typeof Type.Boolean>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const RewardsSchema = Type.Object({
  rewards: Type.Array(
    Type.Object({
      caseId: Type.String(),
      category: Type.String(),
      district: Type.String(),
      anonymous: Type.Boolean({ description: 'paid only once the reporter claimed it with the claim code (兑奖码)' }),
      openedAt: Instant,
      dueAt: Instant,
      state: Type.Enum(['due', 'overdue', 'paid'], {
        description: '`due`: unpaid, not yet due; `overdue`: unpaid past its due date; `paid`: paid in the period',
      }),
      onTime: Nullable(Type.Boolean({ description: 'paid by its due date; null while unpaid' })),
      amountYuan: Nullable(Type.Integer({ description: 'the amount proposed or approved, whole yuan; null before a proposal' })),
      approval: Type.Enum(rewardApprovals, { description: '`not_required` for a reward opened before amounts were approved' }),
      claimedAt: Nullable(Instant),
      paidAt: Nullable(Instant),
    }),
  ),
  totals: Type.Object({
    due: Type.Integer(),
    overdue: Type.Integer(),
    paid: Type.Integer(),
    amountDueYuan: Type.Integer(),
    amountOverdueYuan: Type.Integer(),
    amountPaidYuan: Type.Integer(),
  }),
});

/** A time as people read it in Shanghai; the English CSV keeps the instant as the JSON has it. */
const time = (iso: string | null, lang: ExportLang) => (iso === null ? null : lang === 'en' ? iso : shanghaiDateTime(Date.parse(iso)));

const columns: Column<RewardRow>[] = [
  { header: { 'zh-CN': '案件编号', en: 'caseId' }, cell: (r) => r.caseId },
  { header: { 'zh-CN': '类别', en: 'category' }, cell: (r, lang) => (lang === 'en' ? r.category : labelZh(categoryZh, r.category)) },
  { header: { 'zh-CN': '区县', en: 'district' }, cell: (r) => r.district },
  { header: { 'zh-CN': '匿名', en: 'anonymous' }, cell: (r, lang) => (lang === 'en' ? String(r.anonymous) : r.anonymous ? '是' : '否') },
  { header: { 'zh-CN': '兑付期限', en: 'dueAt' }, cell: (r, lang) => time(r.dueAt, lang) },
  { header: { 'zh-CN': '状态', en: 'state' }, cell: (r, lang) => (lang === 'en' ? r.state : rewardStateZh[r.state]) },
  { header: { 'zh-CN': '金额（元）', en: 'amountYuan' }, cell: (r) => r.amountYuan },
  { header: { 'zh-CN': '审批', en: 'approval' }, cell: (r, lang) => (lang === 'en' ? r.approval : rewardApprovalZh[r.approval]) },
  { header: { 'zh-CN': '兑奖时间', en: 'claimedAt' }, cell: (r, lang) => time(r.claimedAt, lang) },
  { header: { 'zh-CN': '兑付时间', en: 'paidAt' }, cell: (r, lang) => time(r.paidAt, lang) },
];

/** A period's days for a file name: `to` is exclusive, so its name is the day before it ends. */
const periodName = (p: { from: Date; to: Date }) => `${shanghaiDate(p.from.getTime())}_${shanghaiDate(p.to.getTime() - 1)}`;

/** 有奖举报 due and overdue (issue 18 rule 9): supervisors and ops, who see that rewards are paid in time. */
export const rewardReportRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof RewardsQuery> }>(
    '/reports/rewards',
    {
      config: { roles: [...rewardReportReaders] },
      schema: {
        tags: ['reports'],
        summary: 'Rewards (有奖举报) due and overdue: each with its due date, amount, approval, claim and payment',
        description:
          'Every reward due before `to` and not paid before `from`: unpaid ones are `due` or `overdue` as of now, paid ones show when. Overdue first, then by due date; at most 1000. JSON; CSV with `format=csv`, an Excel workbook with `format=xlsx` (or by `Accept`), headers and codes in Chinese unless `lang=en`.',
        querystring: RewardsQuery,
        response: { 200: exportResponse(RewardsSchema), ...problemResponses },
      },
    },
    async (request, reply) => {
      const bounds = period(request.query);
      const districts = districtsOf(await requestScope(request, app.deps.database.db));
      const report = await rewardsDue(app.deps.database.db, { ...bounds, districts });
      return answer(request, reply, report, {
        name: `rewards-${periodName(bounds)}`,
        sheet: { 'zh-CN': '有奖举报', en: 'rewards' },
        columns,
        rows: () => report.rewards,
      });
    },
  );
};

// Compile-time: the response schema describes what db/reward-report returns.
const _schemaFitsReport = (report: RewardReport): Static<typeof RewardsSchema> => report;
void _schemaFitsReport;
