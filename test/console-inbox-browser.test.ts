import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedCase, type ApiHarness } from './helpers/api';
import { motionless, screenshots, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, type Person } from './helpers/people';
import { ownUnit } from './helpers/smtp';

/** A unit officer's 消息: the header counts what is unread, the page lists it, and reading clears the count. */
let h: ApiHarness;
let browser: Browser;
let base: string;
let officer: Person;
const pageErrors: string[] = [];

beforeAll(async () => {
  ({ h, browser, base } = await startBrowserHarness('console-inbox'));
  const unit = await ownUnit(h.database.db, 'inbox-browser', 'nancheng');
  officer = await addPerson(h.database.db, { name: '南城消息员', roles: ['unit'], unitId: unit.id });
  await assignedCase(h.app, unit);
  await assignedCase(h.app, unit);
});

afterAll(async () => {
  await stopBrowserHarness({ browser, h });
});

describe('消息', () => {
  it('counts the unread notices in the header, lists them, and clears the count once they are read', async () => {
    const { context, page } = await signedIn(browser, base, officer, pageErrors);
    const header = page.getByRole('link', { name: /^消息/ });
    await expect.poll(() => header.getAttribute('aria-label')).toBe('消息，2 条未读');
    await header.click();
    await page.getByRole('heading', { name: '消息（2 条未读）' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: '交办通知' }).count()).toBe(2);
    await motionless(page);
    await page.screenshot({ path: path.join(screenshots, 'inbox.png') });
    await page.getByRole('row').filter({ hasText: '交办通知' }).first().getByRole('button', { name: '标为已读' }).click();
    await page.getByRole('heading', { name: '消息（1 条未读）' }).waitFor();
    await expect.poll(() => header.getAttribute('aria-label')).toBe('消息，1 条未读');
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.getByRole('heading', { name: '消息', exact: true }).waitFor();
    await expect.poll(() => header.getAttribute('aria-label')).toBe('消息');
    expect(await page.getByText('未读', { exact: true }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
