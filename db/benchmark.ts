import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from './client';

/**
 * The SQL of `npm run bench:reports` (scripts/bench-reports.ts): a synthetic load of complaints,
 * and the list and report queries the API issues, for EXPLAIN ANALYZE.
 */

/** Loads `rows` synthetic complaints registered over two years, and analyzes the table. */
export async function loadSyntheticComplaints(pool: pg.Pool, rows: number): Promise<void> {
  // 30 districts, 12 categories, 11 channels, 400 units, 20,000 addresses and 5,000 polluters;
  // a fifth still open, 3 % overdue, 1 % escalated: roughly a provincial deployment's shape.
  await pool.query(`
    insert into complaints (id, workflow_id, channel, category, district, address, polluter, polluter_key, address_key,
      lat, lng, industry, summary, urgent, anonymous, status, handling_unit, escalation_tier, rework_count, due_at,
      overdue, satisfaction, dispatched_on_time, result_on_time, spot_check, registered_at, last_seq, updated_at)
    select 'b' || g, 'complaint-b' || g,
      (array['letter','visit','phone','web','wechat','weibo','app','media','hotline_12345','superior_transfer','inspection_transfer'])[1 + g % 11],
      'cat-' || (g % 12), 'district-' || (g % 30),
      (array['河滨路','工业园','城南街','滨江大道','高新区','西湖路','解放路','人民路','建设路','环城路'])[1 + g % 10] || (g % 20000) || '号',
      '企业 ' || (g % 5000), '企业' || (g % 5000),
      '地址' || (g % 20000), 22.5 + (g % 1000) / 2000.0, 113.5 + (g % 997) / 2000.0, 'industry-' || (g % 8),
      'summary ' || g, g % 50 = 0, g % 3 = 0,
      case when g % 5 = 0 then (array['registered','accepted','assigned','in_progress','rework','callback'])[1 + g % 6] else 'closed' end,
      'unit-' || (g % 400), case when g % 100 = 0 then 1 + g % 3 else 0 end, 0,
      now() + ((g % 30) - 10) * interval '1 day', g % 33 = 0,
      (array['satisfied','basically_satisfied','unsatisfied','unreachable'])[1 + g % 4],
      g % 10 <> 0, g % 7 <> 0, case when g % 4 = 0 then (case when g % 9 = 0 then 'failed' else 'passed' end) end,
      now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second', 1, now()
    from generate_series(1, ${rows}) g`);
  await pool.query('analyze complaints');
}

const month = "now() - interval '30 days'";

function textSearch(term: string, indexed = true): string {
  const holds = ['summary', 'address', 'polluter'].map((column) => `${column} ilike '%${term}%'`).join(' or ');
  const candidates = indexed ? `complaint_text_bigrams(summary, address, polluter) @> text_bigrams('${term}') and ` : '';
  return `select * from complaints where ${candidates}(${holds}) order by registered_at desc, id desc limit 21`;
}
/** The list and report queries the API issues, by name. */
export const benchedQueries: [string, string][] = [
  ['list: newest page', 'select * from complaints order by registered_at desc, id desc limit 21'],
  ['list: by district', "select * from complaints where district = 'district-7' order by registered_at desc, id desc limit 21"],
  [
    'list: unit, in progress',
    "select * from complaints where handling_unit = 'unit-42' and status = 'in_progress' order by registered_at desc, id desc limit 21",
  ],
  ['list: overdue', 'select * from complaints where overdue = true order by registered_at desc, id desc limit 21'],
  // The text filter as db/cases.ts writes it: the bigram index first, ILIKE on what it finds.
  ['list: text, two characters (a tenth of the rows)', textSearch('河滨')],
  ['list: text, two characters found nowhere', textSearch('蓝莓')],
  ['list: text, a rare term', textSearch('企业 4242')],
  // For comparison, the filter as it was before the index: ILIKE alone reads every row for a term found nowhere.
  ['list: text, two characters found nowhere, ILIKE alone', textSearch('蓝莓', false)],
  [
    'report: kpi, one district, a month',
    `select count(*) filter (where dispatched_on_time), count(*) filter (where dispatched_on_time is not null),
       count(*) filter (where result_on_time), count(*) filter (where spot_check = 'passed')
     from complaints where registered_at >= ${month} and district = 'district-3'`,
  ],
  ['report: kpi, everything, a month', `select count(*) filter (where dispatched_on_time), count(*) from complaints where registered_at >= ${month}`],
  ['report: monthly by district', `select district, count(*) from complaints where registered_at >= now() - interval '60 days' group by district`],
  [
    'report: hotspots by polluter, a month',
    `select polluter_key, count(*) from complaints where registered_at >= ${month} group by polluter_key having count(*) >= 2`,
  ],
  [
    'report: backlog overdue by unit',
    "select handling_unit, count(*) from complaints where overdue and status in ('registered','accepted','assigned','in_progress','rework','callback') group by 1",
  ],
];

/** A query's EXPLAIN (ANALYZE, BUFFERS): its execution time and the first scan of its plan. */
export async function explainAnalyze(pool: pg.Pool, query: string): Promise<{ time: string; scan: string | undefined }> {
  const { rows: plan } = await pool.query(`explain (analyze, buffers) ${query}`);
  const lines = plan.map((r: Record<string, string>) => Object.values(r)[0] ?? '');
  const time = lines.find((l: string) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
  const scan = lines.find((l: string) => /Index|Seq Scan|Bitmap/.test(l))?.trim() ?? lines[0];
  return { time, scan };
}

/** The plan of repeat detection's query, as lines. */
export async function repeatDetectionPlan(db: Db): Promise<unknown[]> {
  const explained = await db.execute(sql`explain analyze select id from complaints where category = 'cat-5'
    and registered_at >= now() - interval '90 days' and (address_key = '地址1234' or polluter_key = '企业77'
    or (lat between 22.598 and 22.602 and lng between 113.598 and 113.602))`);
  return explained.rows.map((r) => Object.values(r)[0]);
}
