import { inArray, sql, type SQL } from 'drizzle-orm';
import { openStatuses } from '../workflows/case';
import type { Db } from './client';
import { complaints } from './schema';

/**
 * The reports of the read side (docs/domain.md, "Measures"), as SQL over the `complaints`
 * projection. Every rate is computed over the cases registered in the period and returned with
 * its numerator and denominator, so a reader can recompute it.
 */

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when nothing was measured. */
  value: number | null;
}

export interface Kpi {
  timelyAcceptance: Rate;
  onTimeCompletion: Rate;
  standardisation: Rate;
  satisfaction: Rate;
  /** Satisfied at the first callback, before any rework (一次办理满意率). */
  firstTimeSatisfaction: Rate;
  /** Cases whose clock stopped for missing information (中止), of the cases registered (their deadlines moved by the stops). */
  paused: Rate;
}

const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
});

const isOpen = inArray(complaints.status, [...openStatuses]);

/** Reports cover the caller's jurisdiction (api/scope.ts): these districts, or every one when absent. */
export type Districts = readonly string[] | undefined;

export function inDistricts(districts: Districts, column = sql`district`): SQL {
  if (!districts) return sql`true`;
  if (districts.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(
    districts.map((d) => sql`${d}`),
    sql`, `,
  )})`;
}

export async function kpi(db: Db, q: { from: Date; to: Date; district?: string; unit?: string; districts?: Districts }): Promise<Kpi> {
  const filters: SQL[] = [sql`registered_at >= ${q.from}`, sql`registered_at < ${q.to}`, inDistricts(q.districts)];
  if (q.district) filters.push(sql`district = ${q.district}`);
  if (q.unit) filters.push(sql`handling_unit = ${q.unit}`);
  const { rows } = await db.execute<Record<string, string>>(sql`
    select
      count(*) filter (where dispatched_on_time) as timely_num,
      count(*) filter (where dispatched_on_time is not null) as timely_den,
      count(*) filter (where result_on_time) as on_time_num,
      count(*) filter (where result_on_time is not null) as on_time_den,
      count(*) filter (where spot_check = 'passed') as standard_num,
      count(*) filter (where spot_check in ('passed', 'failed')) as standard_den,
      count(*) filter (where satisfaction in ('satisfied', 'basically_satisfied')) as satisfied_num,
      count(*) filter (where satisfaction is not null and satisfaction <> 'unreachable') as satisfied_den,
      count(*) filter (where first_satisfaction in ('satisfied', 'basically_satisfied')) as first_satisfied_num,
      count(*) filter (where first_satisfaction is not null and first_satisfaction <> 'unreachable') as first_satisfied_den,
      count(*) filter (where pause_count > 0) as paused_num,
      count(*) as paused_den
    from complaints where ${sql.join(filters, sql` and `)}`);
  const r = Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  return {
    timelyAcceptance: rate(r.timely_num ?? 0, r.timely_den ?? 0),
    onTimeCompletion: rate(r.on_time_num ?? 0, r.on_time_den ?? 0),
    standardisation: rate(r.standard_num ?? 0, r.standard_den ?? 0),
    satisfaction: rate(r.satisfied_num ?? 0, r.satisfied_den ?? 0),
    firstTimeSatisfaction: rate(r.first_satisfied_num ?? 0, r.first_satisfied_den ?? 0),
    paused: rate(r.paused_num ?? 0, r.paused_den ?? 0),
  };
}

export interface Count {
  dimension: 'district' | 'category' | 'channel' | 'industry';
  key: string;
  count: number;
  /** The month before (环比's base). */
  previous: number;
  /** count − previous */
  change: number;
  /** (count − previous) / previous, or null when the month before had none. */
  changeRate: number | null;
  /** The same month a year before (同比's base). */
  lastYear: number;
  /** count − lastYear */
  yearChange: number;
  /** (count − lastYear) / lastYear, or null when that month had none. */
  yearChangeRate: number | null;
}

/** The key under which the monthly report counts cases with no industry (exports show it as 未知). */
export const unknownIndustry = '(unknown)';

/** Shanghai month `YYYY-MM` → its start and end instants, the previous month's start, and the same month a year before. */
export function monthBounds(month: string): { start: Date; end: Date; previousStart: Date; lastYearStart: Date; lastYearEnd: Date } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  // Date.UTC rolls month 0 and 13 over into the year before and after.
  const at = (y: number, mo: number) => new Date(Date.UTC(y, mo - 1, 1) - 8 * 3_600_000);
  return { start: at(year, m), end: at(year, m + 1), previousStart: at(year, m - 1), lastYearStart: at(year - 1, m), lastYearEnd: at(year - 1, m + 1) };
}

const growth = (count: number, base: number): number | null => (base === 0 ? null : Math.round(((count - base) / base) * 10_000) / 10_000);

export async function monthly(db: Db, month: string, districts?: Districts): Promise<Count[]> {
  const { start, end, previousStart, lastYearStart, lastYearEnd } = monthBounds(month);
  // Each case falls in one of three months: this one, the one before, or this one a year before
  // (disjoint even in January, whose month before is last December).
  const counts = (key: string) =>
    sql.raw(`${key} as key, count(*) filter (where month = 'current') as count, count(*) filter (where month = 'previous') as previous,
      count(*) filter (where month = 'last_year') as last_year from period group by ${key}`);
  const { rows } = await db.execute<{ dimension: Count['dimension']; key: string; count: string; previous: string; last_year: string }>(sql`
    with period as (
      select district, category, channel, coalesce(industry, ${unknownIndustry}::text) as industry,
             case when registered_at >= ${start} then 'current' when registered_at >= ${previousStart} then 'previous' else 'last_year' end as month
      from complaints
      where ((registered_at >= ${previousStart} and registered_at < ${end}) or (registered_at >= ${lastYearStart} and registered_at < ${lastYearEnd}))
        and ${inDistricts(districts)}
    )
    select 'district' as dimension, ${counts('district')}
    union all
    select 'category', ${counts('category')}
    union all
    select 'channel', ${counts('channel')}
    union all
    select 'industry', ${counts('industry')}
    order by dimension, count desc, key`);
  return rows.map((r) => {
    const [count, previous, lastYear] = [Number(r.count), Number(r.previous), Number(r.last_year)];
    return {
      dimension: r.dimension,
      key: r.key,
      count,
      previous,
      change: count - previous,
      changeRate: growth(count, previous),
      lastYear,
      yearChange: count - lastYear,
      yearChangeRate: growth(count, lastYear),
    };
  });
}

export interface Hotspot {
  type: 'location' | 'polluter' | 'cluster';
  key: string;
  label: string;
  count: number;
  /** Reports in the period of the same length just before. */
  previous: number;
}

export async function hotspots(
  db: Db,
  q: { from: Date; to: Date; clusterMinReports: number; clusterWindowDays: number; districts?: Districts },
): Promise<Hotspot[]> {
  const previousFrom = new Date(q.from.getTime() - (q.to.getTime() - q.from.getTime()));
  const { rows } = await db.execute<{ type: Hotspot['type']; key: string; label: string; count: string; previous: string }>(sql`
    with period as (
      -- A place is where repeat detection put the report: a repeat (same address, or within the
      -- radius) counts at the place of the earlier case it repeats.
      select coalesce(root.address_key, c.address_key) as address_key, coalesce(root.address, c.address) as address,
             c.polluter_key, c.polluter, c.registered_at, c.registered_at >= ${q.from} as current
      from complaints c left join complaints root on root.id = c.repeat_of
      where c.registered_at >= ${previousFrom} and c.registered_at < ${q.to} and ${inDistricts(q.districts, sql`c.district`)}
    ),
    windows as (
      select polluter_key, polluter, count(*) over (
        partition by polluter_key order by registered_at
        range between make_interval(days => ${q.clusterWindowDays}) preceding and current row) as n
      from period where current and polluter_key is not null
    )
    select 'location' as type, address_key as key, min(address) as label,
           count(*) filter (where current) as count, count(*) filter (where not current) as previous
      from period group by address_key having count(*) filter (where current) >= 2
    union all
    select 'polluter', polluter_key, min(polluter), count(*) filter (where current), count(*) filter (where not current)
      from period where polluter_key is not null group by polluter_key having count(*) filter (where current) >= 2
    union all
    select 'cluster', polluter_key, min(polluter), max(n), 0
      from windows group by polluter_key having max(n) >= ${q.clusterMinReports}
    order by type, count desc, key`);
  return rows.map((r) => ({ ...r, count: Number(r.count), previous: Number(r.previous) }));
}

/**
 * The key under which the backlog counts overdue cases with no unit: those past their dispatch
 * deadline and not yet assigned (exports show it as 未交办).
 */
export const unassignedUnit = '(unassigned)';

export interface Backlog {
  olderThanDays: number;
  open: { count: number; oldest: { id: string; status: string; registeredAt: string; unit: string | null }[] };
  /** Open overdue cases, late on handling or on dispatch (the latter under `unassignedUnit`). */
  overdueByUnit: { unit: string; count: number }[];
  ownedByTier: { tier: number; count: number }[];
}

export async function backlog(db: Db, olderThanDays: number, districts?: Districts, now = new Date()): Promise<Backlog> {
  const before = new Date(now.getTime() - olderThanDays * 86_400_000);
  const open = sql`${isOpen} and ${inDistricts(districts)}`;
  const [openCount, oldest, overdue, owned] = await Promise.all([
    db.execute<{ count: string }>(sql`select count(*) from complaints where ${open} and registered_at < ${before}`),
    db.execute<{ id: string; status: string; registered_at: Date; handling_unit: string | null }>(sql`
      select id, status, registered_at, handling_unit from complaints
      where ${open} and registered_at < ${before} order by registered_at, id limit 100`),
    db.execute<{ unit: string; count: string }>(sql`
      select coalesce(handling_unit, ${unassignedUnit}::text) as unit, count(*) from complaints
      where overdue and ${open} group by 1 order by 2 desc, 1`),
    db.execute<{ tier: number; count: string }>(sql`
      select escalation_tier as tier, count(*) from complaints
      where escalation_tier > 0 and ${open} group by 1 order by 1`),
  ]);
  return {
    olderThanDays,
    open: {
      count: Number(openCount.rows[0]?.count ?? 0),
      oldest: oldest.rows.map((r) => ({
        id: r.id,
        status: r.status,
        registeredAt: new Date(r.registered_at).toISOString(),
        unit: r.handling_unit,
      })),
    },
    overdueByUnit: overdue.rows.map((r) => ({ unit: r.unit, count: Number(r.count) })),
    ownedByTier: owned.rows.map((r) => ({ tier: Number(r.tier), count: Number(r.count) })),
  };
}
