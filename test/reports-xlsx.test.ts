import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxType } from '../api/xlsx';
import { monthBounds } from '../db/reports';
import { shanghaiDate } from '../workflows/calendar';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { uniqueId } from './helpers/cases';
import { reportRows } from './helpers/report-rows';

/**
 * The reports as Excel workbooks (`format=xlsx` or the Excel type in `Accept`), read back with
 * exceljs: the same columns as the CSV, Chinese headers, numbers as numbers, a dated file name.
 */
const DAY = 86_400_000;

let h: ApiHarness;
let readSide: ReturnType<typeof reportRows>;

// A district of this file's own, so the counts below are exactly the seeded cases.
const district = uniqueId('xlsx-d');
const polluter = `=HYPERLINK("http://x.example/")-${uniqueId('p')}`;
const month = shanghaiDate(Date.now()).slice(0, 7);
const from = shanghaiDate(Date.now() - 20 * DAY);
const to = shanghaiDate(Date.now() + DAY);
let oldCase = '';

beforeAll(async () => {
  h = await startApiHarness('reports-xlsx');
  readSide = reportRows(h.database.db, 'xlsx');
  const now = Date.now();
  const here = { location: { address: `戊路 ${uniqueId('a')} 号`, district }, polluter, channel: 'wechat' as const, category: 'odour' };
  // This month: three reports, two of them dispatched on time, one late.
  await readSide.seed(here, new Date(now - 60_000), { dispatchedOnTime: true });
  await readSide.seed(here, new Date(now - 120_000), { dispatchedOnTime: true });
  await readSide.seed(here, new Date(now - 180_000), { dispatchedOnTime: false });
  // The same month a year before: two closed reports.
  const lastYear = new Date(monthBounds(month).lastYearStart.getTime() + DAY);
  await readSide.seed({ location: { address: `己路 ${uniqueId('y')} 号`, district } }, lastYear, { status: 'closed' });
  await readSide.seed({ location: { address: `己路 ${uniqueId('y')} 号`, district } }, lastYear, { status: 'closed' });
  oldCase = await readSide.seed({ location: { address: `庚路 ${uniqueId('c')} 号`, district } }, new Date('2004-06-01T01:00:00.000Z'), {
    status: 'in_progress',
    overdue: true,
    handlingUnit: 'unit-a',
  });
});

afterAll(async () => {
  await readSide?.remove();
  await h?.close();
});

const get = (url: string, accept = 'application/json') => h.app.inject({ method: 'GET', url, headers: { ...credentials(keys.supervisor), accept } });

/** The workbook's one sheet, as exceljs reads it back. */
async function sheetOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** The sheet's rows as arrays of cell values (exceljs rows start at column 1). */
function valuesOf(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value));
  });
  return rows;
}

const csvHeader = (body: string): string[] | undefined => parse(body, { bom: true, to: 1 })[0];

describe('Excel reports', () => {
  it('come as a dated download with the four rates in Chinese, numbers as numbers, the header bold and frozen', async () => {
    const response = await get(`/reports/kpi?from=${from}&to=${to}&district=${encodeURIComponent(district)}&format=xlsx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(xlsxType);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="kpi-${from}_${to}.xlsx"`);
    expect(response.headers.vary).toBe('Accept');
    const sheet = await sheetOf(response.rawPayload);
    expect(sheet.name).toBe('四率');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(valuesOf(sheet)).toEqual([
      ['指标', '分子', '分母', '比率'],
      ['及时受理率', 2, 3, 0.6667],
      ['按期办结率', 0, 0, null],
      ['办理规范率', 0, 0, null],
      ['群众满意率', 0, 0, null],
      ['一次办理满意率', 0, 0, null],
    ]);
    // The rate reads as a percentage in Excel, and stays a number to compute with.
    expect(sheet.getCell('D2').numFmt).toBe('0.00%');
    expect(sheet.getCell('D2').type).toBe(ExcelJS.ValueType.Number);
  });

  it('are chosen by Accept, and format wins over it either way', async () => {
    const url = `/reports/monthly?month=${month}`;
    const byAccept = await get(url, xlsxType);
    expect(byAccept.headers['content-type']).toBe(xlsxType);
    expect(byAccept.headers['content-disposition']).toBe(`attachment; filename="monthly-${month}.xlsx"`);
    expect((await get(`${url}&format=json`, xlsxType)).headers['content-type']).toMatch(/^application\/json/);
    expect((await get(`${url}&format=xlsx`, 'text/csv')).headers['content-type']).toBe(xlsxType);
    expect((await get(`${url}&format=csv`, xlsxType)).headers['content-type']).toMatch(/^text\/csv/);
  });

  it('give the monthly counts with the month before and the same month a year before', async () => {
    const response = await get(`/reports/monthly?month=${month}&format=xlsx`);
    const sheet = await sheetOf(response.rawPayload);
    expect(sheet.name).toBe('月度分析');
    const rows = valuesOf(sheet);
    expect(rows[0]).toEqual(['维度', '项目', '本月', '上月', '环比变化', '环比', '去年同期', '同比变化', '同比']);
    // Three now, none the month before (no 环比), two a year before: 同比 +50%.
    expect(rows).toContainEqual(['区县', district, 3, 0, 3, null, 2, 1, 0.5]);
    // Codes read as their labels; other files' cases share the category, so only the shape is known.
    const odour = rows.find((r) => r[0] === '类别' && r[1] === '异味');
    expect(odour?.slice(2).every((cell) => typeof cell === 'number' || cell === null)).toBe(true);
    expect(rows.some((r) => r[1] === 'odour' || r[1] === 'wechat')).toBe(false);
    const json = (await get(`/reports/monthly?month=${month}`)).json<{ counts: { dimension: string; key: string }[] }>();
    expect(json.counts.find((c) => c.dimension === 'district' && c.key === district)).toEqual({
      dimension: 'district',
      key: district,
      count: 3,
      previous: 0,
      change: 3,
      changeRate: null,
      lastYear: 2,
      yearChange: 1,
      yearChangeRate: 0.5,
    });
  });

  it('keep formula text as text (no leading quote needed, nothing runs)', async () => {
    const response = await get(`/reports/hotspots?from=${from}&to=${to}&format=xlsx`);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="hotspots-${from}_${to}.xlsx"`);
    const sheet = await sheetOf(response.rawPayload);
    const row = valuesOf(sheet).find((r) => r[0] === '污染源' && r[2] === polluter);
    expect(row).toEqual(['污染源', expect.any(String), polluter, 3, 0]);
    sheet.eachRow((r) => r.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('list the backlog with Chinese statuses and Shanghai times, and English codes with lang=en', async () => {
    const response = await get('/reports/backlog?olderThanDays=3650&format=xlsx');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="backlog-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const zh = valuesOf(await sheetOf(response.rawPayload));
    expect(zh).toContainEqual(['积案明细', oldCase, null, '办理中', '2004-06-01 09:00:00', 'unit-a']);
    const en = await sheetOf((await get('/reports/backlog?olderThanDays=3650&format=xlsx&lang=en')).rawPayload);
    expect(en.name).toBe('backlog');
    expect(valuesOf(en)).toContainEqual(['oldest', oldCase, null, 'in_progress', '2004-06-01T01:00:00.000Z', 'unit-a']);
  });

  it('have the same header row as the CSV of every report, and just that row for an empty period', async () => {
    const urls = [
      '/reports/kpi?from=2001-01-01&to=2001-01-31',
      '/reports/monthly?month=2001-01',
      '/reports/hotspots?from=2001-01-01&to=2001-01-31',
      '/reports/identity-reads?from=2001-01-01&to=2001-01-31',
    ];
    for (const url of urls) {
      for (const lang of ['zh-CN', 'en']) {
        const csv = await get(`${url}&format=csv&lang=${lang}`);
        const xlsx = await get(`${url}&format=xlsx&lang=${lang}`);
        expect(xlsx.statusCode, url).toBe(200);
        const rows = valuesOf(await sheetOf(xlsx.rawPayload));
        expect(rows[0], url).toEqual(csvHeader(csv.body));
        // The four rates are always four rows; the others hold nothing in 2001.
        if (!url.startsWith('/reports/kpi')) expect(rows, url).toHaveLength(1);
      }
    }
  });

  it('refuse an unknown format naming the field, and callers without the role', async () => {
    const bad = await get(`/reports/kpi?from=${from}&to=${to}&format=pdf`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const unit = await h.app.inject({ method: 'GET', url: '/reports/backlog?format=xlsx', headers: credentials(keys.unitA) });
    expect(unit.statusCode).toBe(403);
  });

  it('describe the workbook as a response of every report in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/reports/kpi', '/reports/monthly', '/reports/hotspots', '/reports/backlog', '/reports/identity-reads']) {
      const operation = doc.paths[path].get;
      expect(operation.responses['200'].content[xlsxType], path).toEqual({ schema: { type: 'string', format: 'binary' } });
      const format = (operation.parameters as { name: string; schema: { enum?: string[] } }[]).find((p) => p.name === 'format');
      expect(format?.schema.enum, path).toEqual(['json', 'csv', 'xlsx']);
    }
  });
});
