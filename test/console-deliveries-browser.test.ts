import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../lib/mailer';
import { assignedCase, credentials, keys, type ApiHarness } from './helpers/api';
import { artifacts, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, eventually, type Person } from './helpers/people';
import { freePort } from './helpers/ports';
import { LocalSmtp, ownUnit } from './helpers/smtp';

/**
 * The case page shows how each notice's e-mails went: one sent, one refused by the mail server,
 * as a supervisor sees them in Chinese.
 */
let smtp: LocalSmtp;
let h: ApiHarness;
let browser: Browser;
let base: string;
let supervisor: Person;
let reached: Person;
let refused: Person;
let caseId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  smtp = new LocalSmtp(await freePort());
  await smtp.start();
  ({ h, browser, base } = await startBrowserHarness('console-deliveries', {
    delivery: {
      mailer: smtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'noreply@hbj.test'),
      retry: { initialInterval: '200 ms', maximumInterval: '1 second', giveUpAfter: '1 minute' },
    },
  }));
  const { db } = h.database;
  supervisor = await addPerson(db, { name: '赵督办', roles: ['supervisor'] });
  const unit = await ownUnit(db, 'deliveries-browser', 'nancheng');
  reached = await addPerson(db, { name: '南城甲', roles: ['unit'], unitId: unit.id, email: `jia-${process.pid}@hbj.test` });
  refused = await addPerson(db, { name: '南城乙', roles: ['unit'], unitId: unit.id, email: `yi-${process.pid}@hbj.test` });
  smtp.refused.add(refused.email!);
  caseId = await assignedCase(h.app, unit);
  // Both deliveries settled (one sent, one failed) before the page is opened.
  await eventually(
    async () =>
      (await h.app.inject({ method: 'GET', url: `/complaints/${caseId}/notices`, headers: credentials(keys.supervisor) })).json<{
        notices: { kind: string; deliveries: { status: string }[] }[];
      }>(),
    (r) => r.notices.find((n) => n.kind === 'assignment')?.deliveries.filter((d) => d.status !== 'queued').length === 2,
    'both deliveries settled',
  );
});

afterAll(async () => {
  await stopBrowserHarness({ browser, h });
  await smtp?.stop();
});

describe('the case page, notices e-mailed', () => {
  it('shows each e-mail of a notice, sent or failed, to whom, in the notices and on the timeline', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors);
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByText('办理过程').waitFor();
    const row = page.getByRole('row').filter({ hasText: '交办通知' });
    await expect.poll(() => row.getByText(`${reached.id}：邮件已发送`).count()).toBe(1);
    expect(await row.getByText(`${refused.id}：邮件发送失败`).count()).toBe(1);
    // The timeline shows the same under the step that raised the notice (交办).
    const timeline = page.locator('.ant-card').filter({ has: page.getByText('办理过程', { exact: true }) });
    expect(await timeline.getByText(`${reached.id}：邮件已发送`).count()).toBe(1);
    expect(await timeline.getByText(`${refused.id}：邮件发送失败`).count()).toBe(1);
    // The acceptance notice is for the complainant, who has no account: nothing e-mailed.
    expect(await page.getByRole('row').filter({ hasText: '受理告知' }).getByText('未发送').count()).toBe(1);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'notice-deliveries.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
