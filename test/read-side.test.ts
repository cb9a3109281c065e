import { eq, inArray } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { rebuildProjections, writeProjection } from '../db/projections';
import { findEarlierCases } from '../db/repeats';
import { seedDevelopmentLeaders } from '../db/development-leaders';
import { complaints, leaders } from '../db/schema';
import { shanghaiDate } from '../workflows/calendar';
import { newCase } from '../workflows/case';
import type { Complaint } from '../workflows/model';
import { normalizeKey, projectionOf, type CaseProjection } from '../workflows/projection';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { makeComplaint, uniqueId, workflowInput } from './helpers/cases';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('read-side');
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;

/** Writes a case row as the workflow would project it, with the given facts. */
async function seed(complaint: Partial<Complaint>, registeredAt: Date, facts: Partial<CaseProjection> = {}): Promise<string> {
  const c = makeComplaint({ id: uniqueId('seed'), ...complaint });
  const projection = { ...projectionOf(newCase(workflowInput(c), registeredAt.toISOString()), `complaint-${c.id}`), ...facts };
  await writeProjection(h.database.db, projection, 1);
  return c.id;
}

/** A point `meters` north of (lat, lng). */
const north = (lat: number, meters: number) => lat + (meters / 6_371_000) * (180 / Math.PI);

describe('migrations', () => {
  it('apply again to a migrated database without change', async () => {
    const database = createDatabase(inject('databaseUrl'), { max: 1 });
    try {
      await runMigrations(database);
      await runMigrations(database);
      const { rows } = await database.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await database.close();
    }
  });

  it('apply to an empty database, where the development leaders go into the empty directory once', async () => {
    const name = `fresh_${Date.now()}`;
    await h.database.pool.query(`create database ${name}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const fresh = createDatabase(url.toString(), { max: 1 });
    try {
      await runMigrations(fresh);
      expect(await seedDevelopmentLeaders(fresh.db)).toBe(true);
      expect(await seedDevelopmentLeaders(fresh.db)).toBe(false);
      const rows = await fresh.db.select().from(leaders).orderBy(leaders.tier);
      expect(rows.map((l) => [l.id, l.tier, l.district])).toEqual([
        ['leader-1', 1, null],
        ['leader-2', 2, null],
        ['leader-3', 3, null],
      ]);
      await fresh.db.delete(leaders);
      await fresh.db.insert(leaders).values({ id: 'chief-x', name: '某科长', tier: 1, district: 'x' });
      expect(await seedDevelopmentLeaders(fresh.db)).toBe(false);
    } finally {
      await fresh.close();
      await h.database.pool.query(`drop database ${name}`);
    }
  });
});

describe('repeat detection', () => {
  it('links the same address, a place 150 m away, but not 250 m, another category or 91 days back', async () => {
    const category = uniqueId('cat');
    const now = new Date();
    const lat = 22.8;
    const lng = 113.7;
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const sameAddress = await seed({ category, location: { address: '东城大道 88 号', district: 'x' } }, at(10));
    const near = await seed({ category, location: { address: '别处 1 号', district: 'x', lat: north(lat, 150), lng } }, at(20));
    await seed({ category, location: { address: '别处 2 号', district: 'x', lat: north(lat, 250), lng } }, at(5));
    await seed({ category: `${category}-other`, location: { address: '东城大道 88 号', district: 'x' } }, at(3));
    await seed({ category, location: { address: '东城大道88号', district: 'x' } }, at(91));
    const found = await findEarlierCases(h.database.db, {
      category,
      polluterKey: null,
      addressKey: normalizeKey('东城大道８８号。'),
      lat,
      lng,
      at: now,
      windowDays: 90,
      radiusMeters: 200,
    });
    expect(found.map((c) => c.id)).toEqual([near, sameAddress]);
  });

  it('links reports about one polluter across categories, and a place within the radius about another named polluter as nearby', async () => {
    const category = uniqueId('cat');
    const polluter = `甲厂-${category}`;
    const now = new Date();
    const lat = 23.1;
    const lng = 113.3;
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const odour = await seed({ category: `${category}-odour`, polluter, location: { address: '工业园 1 号', district: 'x' } }, at(8));
    const otherRestaurant = await seed(
      { category, polluter: `乙餐馆-${category}`, location: { address: '美食街 3 号', district: 'x', lat: north(lat, 150), lng } },
      at(6),
    );
    const unnamedNear = await seed({ category, polluter: undefined, location: { address: '美食街 5 号', district: 'x', lat: north(lat, 120), lng } }, at(4));
    await seed({ category: `${category}-odour`, polluter: undefined, location: { address: '美食街 9 号', district: 'x', lat: north(lat, 50), lng } }, at(2));
    const found = await findEarlierCases(h.database.db, {
      category,
      polluterKey: normalizeKey(polluter),
      addressKey: normalizeKey('美食街 7 号'),
      lat,
      lng,
      at: now,
      windowDays: 90,
      radiusMeters: 200,
    });
    expect(found.map((c) => [c.id, c.link])).toEqual([
      [odour, 'repeat'],
      [otherRestaurant, 'nearby'],
      [unnamedNear, 'repeat'],
    ]);
  });

  it('adds a repeat of an open case to it at registration instead of opening a second one', async () => {
    const first = submission();
    const original = (await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: first })).json();
    const repeat = submission({ polluter: first.polluter, description: '又排了' });
    const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: repeat });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ status: 'merged', mergedInto: original.id });
    const repeatView = (await h.app.inject({ method: 'GET', url: `/complaints/${response.json().id}`, headers: credentials(keys.registrar) })).json();
    expect(repeatView).toMatchObject({ mergedInto: original.id, complaint: { repeatOf: [original.id] } });
    let originalView = { repeatReports: [] as { caseId: string }[] };
    for (let i = 0; i < 100 && originalView.repeatReports.length === 0; i++) {
      originalView = (await h.app.inject({ method: 'GET', url: `/complaints/${original.id}`, headers: credentials(keys.registrar) })).json();
      if (originalView.repeatReports.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(originalView.repeatReports.map((r) => r.caseId)).toEqual([response.json().id]);
  });

  it('opens one case for reports about one place that arrive together, and merges the others into it', async () => {
    const first = submission();
    // One place and one polluter: another polluter named at the same place would be another case (nearby).
    const reports = [
      first,
      ...['又排了', '还在排', '味道很大'].map((description) => submission({ location: first.location, polluter: first.polluter, description })),
    ];
    const responses = await Promise.all(
      reports.map((payload) => h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload })),
    );
    const registered = responses.map((r) => r.json<{ id: string; status: string }>());
    const opened = registered.filter((r) => r.status !== 'merged');
    expect(opened).toHaveLength(1);
    for (const { id } of registered.filter((r) => r.status === 'merged')) {
      const view = (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) })).json();
      expect(view.mergedInto).toBe(opened[0]?.id);
    }
  });
});

describe('rebuilding the projection from the events', () => {
  it('restores a lost row from the projection its last event carries', async () => {
    const { id } = (await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() })).json();
    await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
    let before: (typeof complaints.$inferSelect)[] = [];
    for (let i = 0; i < 100 && before[0]?.status !== 'accepted'; i++) {
      before = await h.database.db.select().from(complaints).where(eq(complaints.id, id));
      if (before[0]?.status !== 'accepted') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.database.db.delete(complaints).where(eq(complaints.id, id));
    expect(await rebuildProjections(h.database.db)).toBeGreaterThanOrEqual(1);
    const [after] = await h.database.db.select().from(complaints).where(eq(complaints.id, id));
    expect({ ...after, updatedAt: null }).toEqual({ ...before[0], updatedAt: null });
  });
});

describe('reports', () => {
  const district = uniqueId('kpi');
  const from = new Date(Date.now() - 20 * DAY);
  const to = new Date(Date.now() + DAY);
  const ids: string[] = [];

  beforeAll(async () => {
    const at = new Date(Date.now() - 10 * DAY);
    const here = (address: string, polluter?: string) => ({ location: { address, district }, ...(polluter ? { polluter } : {}) });
    // Hand-made: 5 cases. Dispatched on time: a, b, c; late: d; not yet: e → 3/4.
    // Results on time: a, b; late: c → 2/3. Spot checks: a passed, b failed → 1/2.
    // Callbacks reached: a satisfied, b basically satisfied, c unsatisfied; d unreachable → 2/3.
    // First time (before any rework): a satisfied, b unsatisfied (reworked), c unsatisfied → 1/3.
    // Clock stopped for missing information: c → 1/5.
    ids.push(
      await seed(here('甲路 1 号', '甲厂'), at, {
        dispatchedOnTime: true,
        resultOnTime: true,
        spotCheck: 'passed',
        satisfaction: 'satisfied',
        firstSatisfaction: 'satisfied',
        status: 'closed',
      }),
    );
    ids.push(
      await seed(here('甲路 1 号', '甲厂'), new Date(at.getTime() + DAY), {
        dispatchedOnTime: true,
        resultOnTime: true,
        spotCheck: 'failed',
        satisfaction: 'basically_satisfied',
        firstSatisfaction: 'unsatisfied',
        status: 'rework',
      }),
    );
    ids.push(
      await seed(here('乙路 2 号', '甲厂'), new Date(at.getTime() + 2 * DAY), {
        dispatchedOnTime: true,
        resultOnTime: false,
        satisfaction: 'unsatisfied',
        firstSatisfaction: 'unsatisfied',
        pauseCount: 1,
        pausedWorkingDays: 4,
        status: 'callback',
      }),
    );
    ids.push(
      await seed(here('丙路 3 号'), at, {
        dispatchedOnTime: false,
        satisfaction: 'unreachable',
        status: 'in_progress',
        overdue: true,
        handlingUnit: 'unit-k',
        escalationTier: 2,
      }),
    );
    ids.push(await seed(here('丁路 4 号'), at, { status: 'registered' }));
  });

  afterAll(async () => {
    await h.database.db.delete(complaints).where(inArray(complaints.id, ids));
  });

  const get = (url: string, accept = 'application/json') => h.app.inject({ method: 'GET', url, headers: { ...credentials(keys.supervisor), accept } });

  it('computes each of the four rates and the first-time satisfaction with its numerator and denominator', async () => {
    const response = await get(`/reports/kpi?from=${from.toISOString()}&to=${to.toISOString()}&district=${district}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      timelyAcceptance: { numerator: 3, denominator: 4, value: 0.75 },
      onTimeCompletion: { numerator: 2, denominator: 3, value: 0.6667 },
      standardisation: { numerator: 1, denominator: 2, value: 0.5 },
      satisfaction: { numerator: 2, denominator: 3, value: 0.6667 },
      firstTimeSatisfaction: { numerator: 1, denominator: 3, value: 0.3333 },
      paused: { numerator: 1, denominator: 5, value: 0.2 },
    });
  });

  it('gives the same numbers as CSV', async () => {
    const response = await get(`/reports/kpi?from=${from.toISOString()}&to=${to.toISOString()}&district=${district}&lang=en`, 'text/csv');
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse<Record<string, string>>(response.body, { columns: true, bom: true });
    expect(rows.map((r) => [r.rate, Number(r.numerator), Number(r.denominator)])).toEqual([
      ['timelyAcceptance', 3, 4],
      ['onTimeCompletion', 2, 3],
      ['standardisation', 1, 2],
      ['satisfaction', 2, 3],
      ['firstTimeSatisfaction', 1, 3],
      ['paused', 1, 5],
    ]);
  });

  it('finds the place reported twice, the polluter reported three times, and its cluster', async () => {
    const response = await get(`/reports/hotspots?from=${from.toISOString()}&to=${to.toISOString()}`);
    const spots = response.json().hotspots as { type: string; label: string; count: number }[];
    expect(spots.find((s) => s.type === 'location' && s.label === '甲路 1 号')?.count).toBe(2);
    expect(spots.find((s) => s.type === 'polluter' && s.label === '甲厂')?.count).toBe(3);
    expect(spots.find((s) => s.type === 'cluster' && s.label === '甲厂')?.count).toBe(3);
    expect(spots.some((s) => s.label === '丙路 3 号')).toBe(false);
  });

  it('counts a repeat within the radius at the place it repeats, as repeat detection linked them', async () => {
    // 80 m away, another address: a repeat of the first case at 甲路 1 号 (in another district, outside the KPI above).
    ids.push(await seed({ location: { address: '甲路 1 号对面', district: `${district}-near` } }, new Date(Date.now() - 5 * DAY), { repeatOf: ids[0]! }));
    const response = await get(`/reports/hotspots?from=${from.toISOString()}&to=${to.toISOString()}`);
    const spots = response.json().hotspots as { type: string; label: string; count: number }[];
    expect(spots.find((s) => s.type === 'location' && s.label === '甲路 1 号')?.count).toBe(3);
    expect(spots.some((s) => s.label === '甲路 1 号对面')).toBe(false);
  });

  it('counts the month by district against the previous month', async () => {
    const month = shanghaiDate(Date.now()).slice(0, 7);
    const response = await get(`/reports/monthly?month=${month}`);
    const counts = response.json().counts as { dimension: string; key: string; count: number; previous: number }[];
    const mine = counts.find((c) => c.dimension === 'district' && c.key === district);
    // Ten days back may fall in the previous month: together they are all five.
    expect((mine?.count ?? 0) + (mine?.previous ?? 0)).toBe(5);
  });

  it('shows overdue cases by unit and owned cases by tier in the backlog', async () => {
    const response = await get('/reports/backlog?olderThanDays=5');
    const body = response.json();
    expect(body.overdueByUnit).toContainEqual({ unit: 'unit-k', count: 1 });
    expect(body.ownedByTier.find((t: { tier: number }) => t.tier === 2)?.count).toBeGreaterThanOrEqual(1);
    expect(body.open.oldest.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([ids[2], ids[3], ids[4]]));
  });

  it('reads days as whole days in Shanghai, and gives the same rates as the instants around them', async () => {
    const byDay = await get(`/reports/kpi?from=${shanghaiDate(from.getTime())}&to=${shanghaiDate(to.getTime())}&district=${district}`);
    expect(byDay.statusCode).toBe(200);
    expect(byDay.json().timelyAcceptance).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
    // The cases were registered ten days back and later: a period ending the day before holds none of them.
    const before = await get(`/reports/kpi?from=${shanghaiDate(from.getTime())}&to=${shanghaiDate(Date.now() - 11 * DAY)}&district=${district}`);
    expect(before.json().timelyAcceptance).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('refuses a period that ends before it starts, days that do not exist, and callers without the role', async () => {
    const bad = await get(`/reports/kpi?from=${to.toISOString()}&to=${from.toISOString()}`);
    expect(bad.statusCode).toBe(400);
    const noSuchDay = await get('/reports/kpi?from=2026-02-30&to=2026-03-31');
    expect(noSuchDay.statusCode).toBe(400);
    expect(noSuchDay.json().errors).toEqual([{ field: 'from', message: 'is not a valid day or instant' }]);
    const unit = await h.app.inject({ method: 'GET', url: '/reports/backlog', headers: credentials(keys.unitA) });
    expect(unit.statusCode).toBe(403);
  });
});
