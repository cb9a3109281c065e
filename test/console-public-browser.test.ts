import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, resultCase, submission, type ApiHarness } from './helpers/api';
import { artifacts, motionless, newPage, screenshots, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { unitA } from './helpers/cases';
import { eventually } from './helpers/people';

/**
 * The pages the public opens without signing in, on a phone's screen: the progress by the query
 * code, and the satisfaction survey of the link sent with the result.
 */
let h: ApiHarness;
let browser: Browser;
let base: string;
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

beforeAll(async () => {
  ({ h, browser, base } = await startBrowserHarness('console-public'));
});

afterAll(async () => {
  await stopBrowserHarness({ browser, h });
});

describe('the public pages', () => {
  it('查询进度: the case number and query code show where the case stands, step by step', async () => {
    const registered = await h.app.inject({
      method: 'POST',
      url: '/complaints',
      headers: credentials(keys.registrar),
      payload: submission({ channel: 'phone' }),
    });
    const { id, queryCode } = registered.json<{ id: string; queryCode: string }>();
    expect((await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} })).statusCode).toBe(200);
    // Both steps on the read side before the page asks.
    await eventually(
      () => h.app.inject({ method: 'POST', url: '/status', payload: { caseId: id, queryCode } }),
      (r) => r.statusCode === 200 && r.json<{ steps: unknown[] }>().steps.length === 2,
      'the status with both steps',
    );
    const { context, page } = await newPage(browser, phone);
    await page.goto(`${base}/status`);
    await page.getByLabel('编号').fill(id);
    await page.getByLabel('查询码').fill('WRONG234');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('alert').filter({ hasText: '编号或查询码不正确' }).waitFor();
    await page.getByLabel('查询码').fill(queryCode.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    const progress = page.getByRole('region', { name: '办理进度' });
    await progress.getByText('已受理').waitFor();
    expect(await progress.getByText(/\d{2}:\d{2} 受理$/).count()).toBe(1);
    expect(await progress.getByText(/\d{2}:\d{2} 登记$/).count()).toBe(1);
    await motionless(page);
    await page.screenshot({ path: path.join(screenshots, 'public-status.png'), fullPage: true });
    await context.close();
  });

  it('满意度评价: the complainant reads the result, answers once, and the case closes', async () => {
    const { id, token } = await resultCase(h.app, unitA, keys.unitA);
    const { context, page } = await newPage(browser, phone);
    await page.goto(`${base}/survey/${token}`);
    await page.getByText('经现场核查，已责令该厂停产整改。').waitFor();
    expect(await page.getByText('属实', { exact: true }).count()).toBe(1);
    await motionless(page);
    await page.screenshot({ path: path.join(screenshots, 'public-survey.png'), fullPage: true });
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('请选择您的评价').waitFor();
    await page.getByText('基本满意', { exact: true }).click();
    await page.getByLabel('意见或建议（选填）').fill('希望加强夜间巡查');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价').waitFor();
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    expect(view.json()).toMatchObject({ status: 'closed', callbacks: [{ outcome: 'basically_satisfied', by: 'survey', note: '希望加强夜间巡查' }] });
    // The link again: answered, nothing to fill in.
    await page.reload();
    await page.getByText('感谢您的评价').waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, 'public-survey-answered.png') });
    await context.close();
  });
});
