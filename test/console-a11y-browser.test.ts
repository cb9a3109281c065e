import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, submission, type ApiHarness } from './helpers/api';
import { artifacts, motionless, newPage, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, eventually, signIn, type Person } from './helpers/people';

/**
 * The console's accessibility in a real browser (Debian's Chromium, playwright-core) against the
 * API, a worker and Postgres: axe-core finds no serious or critical violation on the sign-in page,
 * 待办, 案件查询, a case page and open action dialogs; and the action dialogs, an override's
 * reason and its confirmation included, are worked with the keyboard alone.
 */
const axeSource = (createRequire(__filename)('axe-core') as { source: string }).source;

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

let h: ApiHarness;
let base: string;
let browser: Browser;
let registrar: Person;
let supervisor: Person;
/** Claimed by the registrar: it waits for 受理, then 交办. */
let registrarCase: string;
/** In the district queue: the supervisor's overrides are worked on it. */
let supervisorCase: string;
const pageErrors: string[] = [];

async function register(description: string): Promise<string> {
  const answer = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission({ description }) });
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json().id as string;
}

beforeAll(async () => {
  ({ h, base, browser } = await startBrowserHarness('console-a11y'));
  registrar = await addPerson(h.database.db, { name: '周登记', roles: ['registrar'], unitId: 'city' });
  supervisor = await addPerson(h.database.db, { name: '吴督办', roles: ['supervisor'], unitId: 'city' });
  registrarCase = await register('工地夜间施工噪声扰民');
  supervisorCase = await register('河道发黑发臭，多次投诉未果');
  const cookie = await signIn(h.app, registrar);
  const claimed = await h.app.inject({ method: 'POST', url: `/complaints/${registrarCase}/claim`, headers: cookie, payload: {} });
  expect(claimed.statusCode, claimed.body).toBe(200);
  // The registrar's queue (GET /work) is the read side: wait until it holds the claimed case.
  const work = await eventually<{ items: { id: string; onDuty: string | null }[] }>(
    async () => (await h.app.inject({ method: 'GET', url: '/work', headers: cookie })).json(),
    (w) => w.items.some((row) => row.id === registrarCase && row.onDuty === `registrar:${registrar.id}`),
  );
  expect(work.items.map((row) => row.id)).toContain(registrarCase);
}, 240_000);

afterAll(() => stopBrowserHarness({ browser, h }));

async function openCase(page: Page, id: string): Promise<void> {
  await page.goto(`${base}/cases/${id}`);
  await page.getByText('办理过程').waitFor();
}

function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map(
        (n) => `    ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replaceAll('\n', '\n      ')}`,
      );
      return `${where}: ${v.id} (${v.impact}) ${v.help}\n  ${v.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Runs axe-core on the page once nothing moves; fails on a serious or critical violation, printing each. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  await motionless(page);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } };
    const results = await axe.run();
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html, failureSummary })),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !blocking.includes(v));
  if (minor.length > 0) console.log(`axe, minor or moderate (not failing):\n${describeViolations(where, minor)}`);
  expect(blocking, `axe found serious or critical violations:\n${describeViolations(where, blocking)}`).toEqual([]);
}

/** The focused element: `#id` when it has one (a field), else its text (a button), else its tag. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const { activeElement: active } = (
      globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null; tagName: string } | null } }
    ).document;
    if (!active) return '(none)';
    if (active.id) return `#${active.id}`;
    const text = (active.textContent ?? '').replace(/\s+/g, '');
    return text.length > 0 && text.length <= 20 ? text : `<${active.tagName.toLowerCase()}>`;
  });

/** Presses Tab until the focused element is `target` (its text, or `#id`); bounded. */
async function tabTo(page: Page, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < 60; presses++) {
    const now = await focused(page);
    if (now === target) return;
    seen.push(now);
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${target}; focus went through: ${seen.join(' → ')}`);
}

/** Picks an option of the focused Ant Design select with the keyboard: ArrowDown walks, Enter picks. */
async function chooseByKeyboard(page: Page, field: string, option: string): Promise<void> {
  const input = page.locator(`#${field}`);
  for (let step = 0; step < 50; step++) {
    await page.keyboard.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    const label = active ? await page.locator(`[id="${active}"]`).getAttribute('aria-label') : null;
    if (label?.includes(option)) break;
  }
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.ant-select', { has: input }).filter({ hasText: option }).count()).toBeGreaterThan(0);
}

const statusOf = async (id: string): Promise<{ status: string; complaint: { urgent: boolean } }> =>
  (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) })).json();

describe('the console’s accessibility (axe-core)', () => {
  it('the sign-in page', async () => {
    // A page whose errors are not kept: Chromium logs the 401 of the refused sign-in below.
    const { context, page } = await newPage(browser);
    await page.goto(`${base}/login`);
    await page.locator('#account').waitFor();
    await expectAccessible(page, 'sign-in');
    // A refused sign-in says why, in the page.
    await page.locator('#account').fill(registrar.id);
    await page.locator('#password').fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '账号或密码错误' }).waitFor();
    await expectAccessible(page, 'sign-in refused');
    await context.close();
  });

  it('待办, 案件查询, a case page, the registrar’s 受理 dialog and a page that does not exist', async () => {
    const { context, page } = await signedIn(browser, base, registrar, pageErrors);
    await page.getByRole('tab', { name: /待受理/ }).click();
    await page.getByRole('link', { name: registrarCase }).waitFor();
    await expectAccessible(page, '待办');
    await page.getByRole('link', { name: '案件查询', exact: true }).click();
    // The new page's heading first: the case's link is on 待办 too, until the route has changed.
    await page.getByRole('heading', { name: '案件查询', level: 1 }).waitFor();
    await page.getByRole('link', { name: registrarCase }).waitFor();
    await expectAccessible(page, '案件查询');
    await openCase(page, registrarCase);
    await page.getByRole('button', { name: '受理', exact: true }).waitFor();
    await expectAccessible(page, 'case page');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByRole('dialog').waitFor();
    await expectAccessible(page, '受理 dialog');
    await page.getByRole('dialog').getByRole('button', { name: '取消', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.goto(`${base}/no-such-page`);
    await page.getByRole('heading', { name: '页面不存在', level: 1 }).waitFor();
    await expectAccessible(page, 'not found');
    await context.close();
  });

  it('a supervisor’s override: its dialog, with a reason, and its confirmation', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors);
    await openCase(page, supervisorCase);
    await page.getByRole('button', { name: '变更紧急程度', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expectAccessible(page, '变更紧急程度 dialog');
    await dialog.locator('#reason').fill('涉及学校周边');
    await dialog.getByRole('button', { name: '提交', exact: true }).click();
    const confirmation = page.getByRole('dialog').filter({ hasText: '确认变更紧急程度？' });
    await confirmation.waitFor();
    await expectAccessible(page, '变更紧急程度 confirmation');
    await confirmation.getByRole('button', { name: '取消', exact: true }).click();
    await confirmation.waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await statusOf(supervisorCase)).complaint.urgent).toBe(false);
    await context.close();
  });
});

describe('the action dialogs by keyboard alone', () => {
  it('a registrar accepts and assigns a case with the keyboard; Escape closes a dialog and focus returns to its button', async () => {
    const { context, page } = await signedIn(browser, base, registrar, pageErrors);
    await openCase(page, registrarCase);
    await page.getByRole('button', { name: '受理', exact: true }).waitFor();

    await tabTo(page, '受理');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await tabTo(page, '#note');
    await page.keyboard.type('材料齐全，予以受理');
    await tabTo(page, '提交');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await expect.poll(async () => (await statusOf(registrarCase)).status, { timeout: 15_000 }).toBe('accepted');

    // Escape closes the dialog unsent, and focus is back on the button that opened it.
    await page.getByRole('button', { name: '交办', exact: true }).waitFor();
    await tabTo(page, '交办');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => focused(page)).toBe('交办');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expectAccessible(page, '交办 dialog');
    await tabTo(page, '#unit');
    await chooseByKeyboard(page, 'unit', '南城分局');
    await tabTo(page, '#dutyOfficer');
    await page.keyboard.type('钱队长');
    await tabTo(page, '提交');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await expect.poll(async () => (await statusOf(registrarCase)).status, { timeout: 15_000 }).toBe('assigned');
    await context.close();
  });

  it('a supervisor changes the urgency with the keyboard: the reason dialog, then its confirmation', async () => {
    const { context, page } = await signedIn(browser, base, supervisor, pageErrors);
    await openCase(page, supervisorCase);
    await page.getByRole('button', { name: '变更紧急程度', exact: true }).waitFor();
    await tabTo(page, '变更紧急程度');
    await page.keyboard.press('Enter');
    const reasonDialog = page.getByRole('dialog').filter({ hasText: '须填写理由' });
    await reasonDialog.waitFor();
    await tabTo(page, '#urgent');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('#urgent').getAttribute('aria-checked')).toBe('true');
    await tabTo(page, '#reason');
    await page.keyboard.type('涉及学校周边，按紧急处理');
    await tabTo(page, '提交');
    await page.keyboard.press('Enter');

    // The confirmation takes the focus, on 取消 (a second Enter carries out nothing); Escape goes
    // back to the reason dialog, nothing sent.
    const confirmation = page.getByRole('dialog').filter({ hasText: '确认变更紧急程度？' });
    await confirmation.waitFor();
    await expect.poll(() => focused(page)).toBe('取消');
    // A look at the focus in a dialog (not for the docs: the other browser test's screenshots are the README's).
    await page.screenshot({ path: path.join(artifacts, 'keyboard-confirmation.png') });
    await page.keyboard.press('Escape');
    await confirmation.waitFor({ state: 'hidden' });
    expect((await statusOf(supervisorCase)).complaint.urgent).toBe(false);
    await expect.poll(() => focused(page)).toBe('提交');

    await page.keyboard.press('Enter');
    await confirmation.waitFor();
    await expect.poll(() => focused(page)).toBe('取消');
    await tabTo(page, '确认');
    await page.keyboard.press('Enter');
    await reasonDialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await expect.poll(async () => (await statusOf(supervisorCase)).complaint.urgent, { timeout: 15_000 }).toBe(true);
    await context.close();
  });

  it('left no error in the browser console', () => {
    expect(pageErrors).toEqual([]);
  });
});
