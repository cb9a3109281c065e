import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUnit } from '../db/organisation';
import { monthBounds } from '../db/reports';
import { shanghaiDate } from '../workflows/calendar';
import type { Complaint } from '../workflows/model';
import type { ApiHarness } from './helpers/api';
import { artifacts, screenshots, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { uniqueId } from './helpers/cases';
import { addPerson, type Person } from './helpers/people';
import { reportRows } from './helpers/report-rows';

/**
 * 报表 in a real browser (Debian's Chromium, playwright-core) against the API and Postgres: a
 * supervisor whose unit covers a district of this file's own reads the four reports of the cases
 * seeded there, changes the period, and downloads the Excel export. The screenshot goes to
 * docs/screenshots/reports.png.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;

let h: ApiHarness;
let base: string;
let browser: Browser;
let readSide: ReturnType<typeof reportRows>;
let supervisor: Person;
let registrar: Person;
let oldCase = '';
/** Errors the pages wrote to the browser console, or threw: there must be none. */
const pageErrors: string[] = [];

const district = uniqueId('rpt-d');
const polluter = `甲化工厂 ${uniqueId('p')}`;
const handlingUnit = { id: uniqueId('rpt-unit'), name: '报表测试分局' };
const month = shanghaiDate(Date.now()).slice(0, 7);
const { start: monthStart, previousStart, lastYearStart } = monthBounds(month);
const lastMonth = shanghaiDate(previousStart.getTime()).slice(0, 7);

/** A case of the district at its own address, so only the polluter links reports. */
const here = (facts: Partial<Complaint> = {}): Partial<Complaint> => ({
  location: { address: `乙路 ${uniqueId('a')} 号`, district },
  polluter: `某厂 ${uniqueId('p')}`,
  category: 'odour',
  ...facts,
});

beforeAll(async () => {
  ({ h, base, browser } = await startBrowserHarness('console-reports-browser'));
  const db = h.database.db;
  // The supervisor's unit covers only this district: the reports show exactly the cases below.
  const bureau = uniqueId('rpt-city');
  await storeUnit(db, { id: bureau, name: '报表测试市局', level: 'city', parentId: 'province', districts: [district], active: true }, 'test');
  await storeUnit(db, { ...handlingUnit, level: 'district', parentId: bureau, districts: [], active: true }, 'test');
  supervisor = await addPerson(db, { name: '钱督办', roles: ['supervisor'], unitId: bureau });
  registrar = await addPerson(db, { name: '孙登记', roles: ['registrar'], unitId: bureau });

  readSide = reportRows(db, 'rpt');
  // This month (never before its start, should the test run just after midnight on the 1st):
  // four reports, three on time and one late; three about one polluter; one satisfied, one not.
  const thisMonth = (minutes: number) => new Date(Math.max(Date.now() - minutes * MINUTE, monthStart.getTime() + minutes * MINUTE));
  // Of their results two came in time, one late; one passed its spot check.
  await readSide.seed(here({ polluter }), thisMonth(1), { dispatchedOnTime: true, resultOnTime: true, spotCheck: 'passed', satisfaction: 'satisfied' });
  await readSide.seed(here({ polluter }), thisMonth(2), { dispatchedOnTime: true, resultOnTime: true, satisfaction: 'unsatisfied' });
  await readSide.seed(here({ polluter }), thisMonth(3), { dispatchedOnTime: true, resultOnTime: false });
  await readSide.seed(here(), thisMonth(4), { dispatchedOnTime: false });
  // Last month: one report, on time. The same month a year before: two, closed.
  await readSide.seed(here(), new Date(previousStart.getTime() + DAY), { dispatchedOnTime: true, status: 'closed' });
  await readSide.seed(here(), new Date(lastYearStart.getTime() + DAY), { status: 'closed' });
  await readSide.seed(here(), new Date(lastYearStart.getTime() + 2 * DAY), { status: 'closed' });
  // A hundred days old, still being handled, overdue at the unit, and owned by leaders of tier 2.
  oldCase = await readSide.seed(here(), new Date(Date.now() - 100 * DAY), {
    status: 'in_progress',
    overdue: true,
    handlingUnit: handlingUnit.id,
    escalationTier: 2,
  });
}, 240_000);

afterAll(async () => {
  await readSide?.remove();
  await stopBrowserHarness({ browser, h });
});

/** For signedIn: less motion, so charts draw at once. */
const lessMotion = { context: { reducedMotion: 'reduce' } } as const;

/** The chart named `label` is drawn: ECharts' SVG is in the page, with a size and shapes in it. */
async function expectChart(page: Page, label: string): Promise<void> {
  const svg = page.getByRole('img', { name: label }).locator('svg').first();
  await svg.waitFor();
  const box = await svg.boundingBox();
  expect(box?.width, label).toBeGreaterThan(100);
  expect(box?.height, label).toBeGreaterThan(100);
  await expect.poll(() => svg.locator('path').count(), { message: label }).toBeGreaterThan(0);
}

/** The texts of the table row whose first cell is `first`, once it shows `expected` (the data may still be loading). */
async function expectRow(page: Page, first: string, expected: unknown[]): Promise<void> {
  const row = page.locator('.ant-table-row').filter({ has: page.getByRole('cell', { name: first, exact: true }) });
  await expect.poll(async () => (await row.count()) > 0 && (await row.first().getByRole('cell').allInnerTexts()), { timeout: 15_000 }).toEqual(expected);
}

describe('报表 in Chromium', () => {
  it('a supervisor reads the four rates with numerators and denominators, as a chart and a table', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors, lessMotion);
    await page.getByRole('link', { name: '报表', exact: true }).click();
    await page.waitForURL(/\/console\/reports/);
    await expectRow(page, '及时受理率', ['及时受理率', '3', '4', '75.0%']);
    await expectRow(page, '群众满意率', ['群众满意率', '1', '2', '50.0%']);
    await expectRow(page, '按期办结率', ['按期办结率', '2', '3', '66.7%']);
    await expectRow(page, '办理规范率', ['办理规范率', '1', '1', '100.0%']);
    await expect.poll(() => page.getByText('分子 3 / 分母 4').count()).toBe(1);
    await expectChart(page, '四率柱状图');
    await page.screenshot({ path: path.join(screenshots, 'reports.png'), fullPage: true });

    // Another period, through the range picker: last month had one report, dispatched on time.
    const from = `${lastMonth}-01`;
    const to = shanghaiDate(monthStart.getTime() - 1);
    const start = page.getByPlaceholder('开始日期');
    await start.click();
    await start.fill(from);
    await start.press('Enter');
    const end = page.getByPlaceholder('结束日期');
    await end.fill(to);
    await end.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('from') === from && url.searchParams.get('to') === to);
    await expectRow(page, '及时受理率', ['及时受理率', '1', '1', '100.0%']);
    await expectChart(page, '四率柱状图');
    await context.close();
  });

  it('compares the month with the month before and a year before, and downloads it as Excel', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors, lessMotion);
    await page.goto(`${base}/reports`);
    await page.getByRole('tab', { name: '月度分析' }).click();
    // Four now, one the month before (环比 +300%), two a year before (同比 +100%).
    await expectRow(page, district, [district, '4', '1', '+300.0%', '2', '+100.0%']);
    await expectChart(page, `${month} 按区县统计柱状图：本月、上月、去年同期`);
    await page.getByText('按类别', { exact: true }).click();
    await expectRow(page, '异味', ['异味', '4', '1', '+300.0%', '2', '+100.0%']);
    await page.screenshot({ path: path.join(artifacts, 'reports-monthly.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toBe(`monthly-${month}.xlsx`);
    const saved = path.join(artifacts, download.suggestedFilename());
    await download.saveAs(saved);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(saved);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('月度分析');
    expect(sheet.getRow(1).values).toEqual([undefined, '维度', '项目', '本月', '上月', '环比变化', '环比', '去年同期', '同比变化', '同比']);
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['区县', district, 4, 1, 3, 3, 2, 2, 1]);
    await context.close();
  });

  it('shows the hotspots and the backlog, the oldest cases linked to their pages', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors, lessMotion);
    await page.goto(`${base}/reports?report=hotspots`);
    await expectRow(page, '污染源', ['污染源', polluter, '3', '0']);
    await expectChart(page, '热点与聚集条形图');
    await page.screenshot({ path: path.join(artifacts, 'reports-hotspots.png'), fullPage: true });

    await page.getByRole('tab', { name: '积案' }).click();
    const link = page.getByRole('link', { name: oldCase });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/console/cases/${oldCase}`);
    await expectRow(page, oldCase, [oldCase, '办理中', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), '100 天', handlingUnit.name]);
    await expectChart(page, '超期案件按承办单位柱状图');
    await expect.poll(() => page.getByRole('img', { name: '超期案件按承办单位柱状图' }).getByText(handlingUnit.name).count()).toBeGreaterThan(0);
    await expectChart(page, '领导包案按层级环形图');
    await expect.poll(() => page.getByRole('img', { name: '领导包案按层级环形图' }).getByText('二级（分局负责人）').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(artifacts, 'reports-backlog.png'), fullPage: true });
    // A threshold above the case's age leaves it out.
    await page.getByRole('spinbutton', { name: '积案天数' }).fill('200');
    await page.waitForURL((url) => url.searchParams.get('days') === '200');
    await expect.poll(() => page.getByRole('link', { name: oldCase }).count()).toBe(0);
    await context.close();
  });

  it('offers 报表 to supervisors, not to registrars, and leaves no error in the browser console', async () => {
    const { context, page } = await signedIn(browser, base, registrar, pageErrors, lessMotion);
    await expect.poll(() => page.getByRole('link', { name: '案件查询', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: '报表', exact: true }).count()).toBe(0);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
