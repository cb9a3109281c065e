import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenerApplicationName } from '../db/case-changes';
import { credentials, keys, submission, type ApiHarness } from './helpers/api';
import { screenshots, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, type Person } from './helpers/people';

/**
 * Live refresh in Chromium: a registrar has its queue, then a case, open; other people move cases
 * through the API; the page shows it without a reload (a marker set on `window` survives), and the
 * deadlines count working days.
 */
/** A district of this file's own, so the queue holds only this file's cases whatever runs beside it. */
const district = `live-${process.pid}`;
const unitId = `live-city-${process.pid}`;

let h: ApiHarness;
let base: string;
let browser: Browser;
let registrar: Person;
/** What the page wrote to the browser console as errors, or threw: there must be none. */
const pageErrors: string[] = [];

beforeAll(async () => {
  ({ h, base, browser } = await startBrowserHarness('console-live'));
  const unit = await h.app.inject({
    method: 'PUT',
    url: `/units/${unitId}`,
    headers: credentials(keys.supervisor),
    payload: { name: '实时测试市局', level: 'city', parentId: 'province', districts: [district] },
  });
  expect(unit.statusCode, unit.body).toBe(200);
  registrar = await addPerson(h.database.db, { name: '孙实时', roles: ['registrar'], unitId });
}, 240_000);

afterAll(() => stopBrowserHarness({ browser, h }));

async function register(): Promise<string> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(keys.integrator),
    payload: submission({ category: 'water', location: { address: `${district} 工地夜间施工 ${Date.now()}`, district } }),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

/** Set once on the loaded page's window: a reload (or any full navigation) would lose it. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(globalThis, { liveMarker: 'not reloaded' }));
const marker = (page: Page) => page.evaluate(() => (globalThis as unknown as { liveMarker?: string }).liveMarker);

/** The working-day countdown (剩余N个工作日, or hours under a day); calendar time reads 剩余 N 天, with spaces. */
const countdown = /^(剩余|已超期)(\d+个工作日|\d+小时|\d+分钟)$/;

describe('live refresh in Chromium', () => {
  it('the queue and the case page follow the moves others make, without a reload, and count working days', async () => {
    const { page } = await signedIn(browser, base, registrar, pageErrors);
    await page.getByText('实时更新').waitFor({ timeout: 15_000 });
    await markPage(page);

    // A platform's case arrives in the registrar's district: it shows in 待认领, with its countdown.
    const id = await register();
    const link = page.getByRole('link', { name: id });
    await link.waitFor({ timeout: 15_000 });
    const row = page.locator('tr', { has: link });
    await expect.poll(() => row.locator('td').nth(4).innerText(), { timeout: 15_000 }).toMatch(countdown);
    await expect.poll(() => page.getByRole('tab', { name: /待认领/ }).innerText()).toContain('1');
    expect(await marker(page)).toBe('not reloaded');
    await page.screenshot({ path: path.join(screenshots, 'work-live.png') });

    // Another registrar (who sees every district) claims and accepts it: it leaves this queue.
    const act = (path: string) => h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(keys.registrar), payload: {} });
    expect((await act('claim')).statusCode).toBe(200);
    await link.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await marker(page)).toBe('not reloaded');

    // A second case, opened in the console (a client-side route: the marker stays).
    const second = await register();
    await page.getByRole('link', { name: second }).click();
    await page.getByText('办理过程').waitFor();
    // Water, not noise: a noise complaint at night (22:00–06:00) has an on-site clock in minutes too.
    const dispatch = page.locator('.ant-card', { hasText: '截止时间' }).locator('tbody tr', { hasText: '交办期限' });
    await expect.poll(() => dispatch.locator('td').nth(2).innerText(), { timeout: 15_000 }).toMatch(countdown);
    const status = (label: string) => page.locator('.ant-tag', { hasText: new RegExp(`^${label}$`) });
    expect(await status('已登记').count()).toBeGreaterThan(0);

    // Someone else accepts it through the API: the open page shows the new status and the timeline entry.
    const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${second}/accept`, headers: credentials(keys.registrar), payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await expect.poll(() => status('已受理').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await marker(page)).toBe('not reloaded');
    await page.screenshot({ path: path.join(screenshots, 'case-live.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('falls back to polling while the stream is down, and reconnects without a word', async () => {
    const { page } = await signedIn(browser, base, registrar, pageErrors);
    await page.getByText('实时更新').waitFor({ timeout: 15_000 });
    await markPage(page);
    // The API loses its LISTEN connection: it ends the streams, the page polls until the browser reconnects.
    const terminated = await h.database.pool.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      listenerApplicationName(),
    ]);
    expect(terminated.rowCount).toBe(1);
    await page.getByText('每 15 秒自动刷新').waitFor({ timeout: 10_000 });
    await page.getByText('实时更新').waitFor({ timeout: 20_000 });
    // Live again: a new case shows without a reload, and nothing alarming was shown on the way.
    const id = await register();
    await page.getByRole('link', { name: id }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.ant-alert-error, .ant-message-error, .ant-notification').count()).toBe(0);
    expect(await marker(page)).toBe('not reloaded');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
