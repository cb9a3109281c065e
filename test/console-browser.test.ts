import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, submission, type ApiHarness } from './helpers/api';
import { artifacts, choose, motionless, screenshots, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, type Person } from './helpers/people';
import { uniqueId } from './helpers/cases';
import { storeUnit } from '../db/organisation';

/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core) against the API,
 * a worker and Postgres: the people of a case each sign in and take their step through the
 * console's pages and dialogs. Screenshots of the main pages go to docs/screenshots/.
 */
const budgetKb = 400;

let h: ApiHarness;
let base: string;
let browser: Browser;
const people: Record<string, Person> = {};
/** Errors the pages wrote to the browser console, or threw: there must be none. */
const pageErrors: string[] = [];
/** The JavaScript of the first load of the landing page, gzipped, in bytes. */
let firstLoadJs = 0;
let caseId: string;
const district = uniqueId('browser-d');
const bureau = uniqueId('browser-city');
const handlingUnit = uniqueId('browser-unit');
const handlingUnitName = '浏览器测试分局';

beforeAll(async () => {
  ({ h, base, browser } = await startBrowserHarness('console-browser'));
  const db = h.database.db;
  // A district of this file's own: the registrar's 待认领 holds this case alone, not the cases other
  // files leave unclaimed in the shared database (GET /work gives the oldest 200).
  await storeUnit(db, { id: bureau, name: '浏览器测试市局', level: 'city', parentId: 'province', districts: [district], active: true }, 'test');
  await storeUnit(db, { id: handlingUnit, name: handlingUnitName, level: 'district', parentId: bureau, districts: [], active: true }, 'test');
  people.registrar = await addPerson(db, { name: '张登记', roles: ['registrar'], unitId: bureau });
  people.unit = await addPerson(db, { name: '李办理', roles: ['unit'], unitId: handlingUnit });
  people.supervisor = await addPerson(db, { name: '赵督办', roles: ['supervisor'], unitId: bureau });
  people.leader = await addPerson(db, { name: '王科长', roles: ['leader'], unitId: bureau });
  const leader = await h.app.inject({
    method: 'PUT',
    url: `/leaders/${people.leader.id}`,
    headers: credentials(keys.supervisor),
    payload: { name: '王科长', tier: 1, district: null },
  });
  expect(leader.statusCode).toBeLessThan(300);
  const registered = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(keys.integrator),
    payload: submission({
      category: 'odour',
      description: '化工厂夜间排放刺鼻气味，影响休息',
      location: { address: `城南路 1 号旁河道 ${district}`, district },
    }),
  });
  caseId = registered.json().id as string;
}, 240_000);

afterAll(() => stopBrowserHarness({ browser, h }));

/** For `watch`: collects the paths of the JavaScript the page loads into `scripts`. */
const collectScripts = (scripts: Set<string>) => (page: Page) =>
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.js')) scripts.add(url.pathname);
  });

async function openCase(page: Page): Promise<void> {
  await page.goto(`${base}/cases/${caseId}`);
  await page.getByText('办理过程').waitFor();
}

/** Clicks the action's button, fills its dialog and submits; waits for the dialog to close. */
async function act(page: Page, action: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}): Promise<void> {
  await page
    .getByRole('button', { name: action, exact: true })
    .click()
    .catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(artifacts, `${action}-button.png`), fullPage: true });
      throw err;
    });
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: '提交', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async (err: unknown) => {
    // What the dialog said (a validation message, the service's answer) is the diagnosis.
    await page.screenshot({ path: path.join(artifacts, `${action}.png`) });
    throw err;
  });
}

/** Waits for the case page to show the status; if it does not, what it shows instead is kept for the diagnosis. */
async function statusShown(page: Page, label: string): Promise<void> {
  await expect
    .poll(() => page.locator('h4, h3, .ant-tag', { hasText: label }).count(), { timeout: 15_000 })
    .toBeGreaterThan(0)
    .catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(artifacts, `status-${label}.png`), fullPage: true });
      throw err;
    });
}

describe('the console in Chromium', () => {
  it('a registrar signs in, finds the case in the queue, claims, accepts and assigns it', async () => {
    // The first load: the sign-in page, then the landing page (待办) after signing in.
    const scripts = new Set<string>();
    const { context, page } = await signedIn(browser, base, people.registrar!, pageErrors, { watch: collectScripts(scripts) });
    await page.getByRole('tab', { name: /待认领/ }).click();
    await page.getByRole('link', { name: caseId }).waitFor();
    for (const script of scripts) firstLoadJs += gzipSync((await h.app.inject({ method: 'GET', url: script })).rawPayload).length;
    await page.screenshot({ path: path.join(screenshots, 'work.png') });

    await page.getByRole('link', { name: caseId }).click();
    await page.getByText('办理过程').waitFor();
    await act(page, '认领');
    await act(page, '受理');
    await statusShown(page, '已受理');
    await act(page, '交办', (dialog) => choose(dialog.page(), 'unit', handlingUnitName));
    await statusShown(page, '已交办');
    await page.screenshot({ path: path.join(screenshots, 'case.png'), fullPage: true });
    await context.close();
  });

  it('shows a bad form in Chinese and sends nothing', async () => {
    const { context, page } = await signedIn(browser, base, people.unit!, pageErrors);
    await openCase(page);
    await page.getByRole('button', { name: '退回（非本单位管辖）', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '提交', exact: true }).click();
    await expect.poll(() => dialog.getByText('请填写理由').count()).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    expect((await h.app.inject({ method: 'GET', url: `/complaints/${caseId}`, headers: credentials(keys.supervisor) })).json().status).toBe('assigned');
    await context.close();
  });

  it('the unit signs for the case and submits its result', async () => {
    const { context, page } = await signedIn(browser, base, people.unit!, pageErrors);
    await openCase(page);
    await act(page, '签收');
    await statusShown(page, '办理中');
    await act(page, '办结反馈', async (dialog) => {
      await choose(dialog.page(), 'finding', '部分属实');
      await choose(dialog.page(), 'actions', '责令整改');
      await dialog.locator('#reply').fill('经现场核查，该厂夜间违规排放，已责令停产整改。');
    });
    await statusShown(page, '回访中');
    await context.close();
  });

  it('after an unsatisfied callback, a supervisor returns the case for rework with a reason and a confirmation', async () => {
    const registrar = await signedIn(browser, base, people.registrar!, pageErrors);
    await openCase(registrar.page);
    await act(registrar.page, '回访', (dialog) => choose(dialog.page(), 'outcome', '不满意'));
    await registrar.context.close();

    const { context, page } = await signedIn(browser, base, people.supervisor!, pageErrors);
    await openCase(page);
    await page.getByRole('button', { name: '退回整改', exact: true }).click();
    const dialog = page.getByRole('dialog').first();
    await dialog.locator('#reason').fill('群众不满意，整改不到位，限期重新办理');
    await dialog.getByRole('button', { name: '提交', exact: true }).click();
    // An override asks once more before it is sent; the confirmation closes once the answer is in.
    const confirmation = page.getByRole('dialog').filter({ hasText: '确认退回整改？' });
    await confirmation.waitFor();
    await motionless(page);
    await confirmation.getByRole('button', { name: '确认', exact: true }).click();
    await confirmation.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(artifacts, '退回整改-confirmation.png') });
      throw err;
    });
    await statusShown(page, '整改中');
    await page.screenshot({ path: path.join(screenshots, 'rework.png'), fullPage: true });
    await context.close();
  });

  it('a leader records the plan of a case it owns', async () => {
    const escalated = await h.app.inject({
      method: 'POST',
      url: `/complaints/${caseId}/overrides/escalate`,
      headers: credentials(keys.supervisor),
      payload: { tier: 1, reason: '反复投诉，领导包案', owners: [{ leaderId: people.leader!.id, kind: 'system' }] },
    });
    expect(escalated.statusCode, escalated.body).toBe(200);
    const { context, page } = await signedIn(browser, base, people.leader!, pageErrors);
    await openCase(page);
    await act(page, '包案方案', (dialog) => dialog.locator('#plan').fill('一案一策：三日内约谈企业负责人，一周内完成治理设施改造。'));
    await expect.poll(() => page.getByText('一案一策：三日内约谈企业负责人').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
  });

  it('keeps within its budget: the first load’s JavaScript and no errors in the browser console', () => {
    console.log(`console: first load ${(firstLoadJs / 1024).toFixed(1)} KB of JavaScript, gzipped (budget ${budgetKb} KB)`);
    expect(firstLoadJs).toBeGreaterThan(0);
    expect(firstLoadJs).toBeLessThanOrEqual(budgetKb * 1024);
    expect(pageErrors).toEqual([]);
  });
});
