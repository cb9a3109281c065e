import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '../../lib/temporal-binaries';
import { startApiHarness, type ApiHarness } from './api';
import { chromiumPath, ensureConsoleBuilt } from './console';
import type { Person } from './people';

/** The README's screenshots. */
export const screenshots = path.join(projectRoot, 'docs', 'screenshots');
/** What a browser test leaves to be looked at and is not for the docs: a failure's screenshot, a download. */
export const artifacts = path.join(projectRoot, '.data', 'browser');

export interface BrowserHarness {
  h: ApiHarness;
  browser: Browser;
  /** Where the API listens: `http://127.0.0.1:<port>`. */
  origin: string;
  /** The console: `<origin>/console`. */
  base: string;
}

/**
 * The API harness (API, worker, Postgres) listening on a port of its own, with the console built
 * for it to serve, and Debian's Chromium to browse it.
 */
export async function startBrowserHarness(name: string, overrides?: Parameters<typeof startApiHarness>[1]): Promise<BrowserHarness> {
  await ensureConsoleBuilt();
  const h = await startApiHarness(name, overrides);
  try {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    mkdirSync(screenshots, { recursive: true });
    mkdirSync(artifacts, { recursive: true });
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    return { h, browser, origin, base: `${origin}/console` };
  } catch (err) {
    // The test's afterAll never gets the harness: it is closed here, or its worker keeps the run alive.
    await h.close();
    throw err;
  }
}

/** For afterAll: either may be missing, when the start failed. */
export async function stopBrowserHarness({ browser, h }: Partial<Pick<BrowserHarness, 'browser' | 'h'>>): Promise<void> {
  await browser?.close();
  await h?.close();
}

/** A browser of its own (its own cookies), as the console's people have it: a desktop screen, Chinese, Shanghai's clock. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  return { context, page: await context.newPage() };
}

/** Signs in through the console's form (`base` is the console's URL); done once the page names the person. */
export async function signIn(page: Page, base: string, person: Person): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#account').fill(person.id);
  await page.locator('#password').fill(person.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  await expect.poll(() => page.getByText(person.name).count(), { timeout: 15_000 }).toBeGreaterThan(0);
}

/**
 * A browser of the person's own, signed in. What its pages write to the browser console as
 * errors, or throw, goes to `errors`, each after the person's id. `watch` gets the page before it
 * loads anything.
 */
export async function signedIn(
  browser: Browser,
  base: string,
  person: Person,
  errors: string[],
  { context: contextOptions, watch }: { context?: BrowserContextOptions; watch?: (page: Page) => void } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, contextOptions);
  const { page } = opened;
  watch?.(page);
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${person.id}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${person.id}: ${error.message}`));
  await signIn(page, base, person);
  return opened;
}

/**
 * Picks an option of an Ant Design select with the keyboard, as a person may: ArrowDown opens the
 * list and walks it (the input names the active option in aria-activedescendant), Enter picks.
 * No mouse: a click while the list is still opening (its animation) can miss.
 */
export async function choose(page: Page, field: string, option: string): Promise<void> {
  const input = page.locator(`#${field}`);
  const select = page.locator('.ant-select', { has: input });
  await input.focus();
  for (let step = 0; step < 50; step++) {
    await input.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    const label = active ? await page.locator(`[id="${active}"]`).getAttribute('aria-label') : null;
    if (label?.includes(option)) break;
  }
  await input.press('Enter');
  await expect.poll(() => select.filter({ hasText: option }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // A multiple select keeps its list open after a pick: Escape closes it. Not for a single select,
  // whose list is closed by then: the Escape would reach the dialog and close it.
  if (await select.evaluate((el) => el.classList.contains('ant-select-multiple'))) await input.press('Escape');
}

/**
 * Waits until nothing moves: Ant Design's motions (rc-motion's -appear, -enter and -leave classes)
 * are over and every finite CSS animation has finished. Axe measures colours as drawn (a dialog
 * still fading in blends its text with what lies behind it), and a click on a dialog still zooming
 * in was seen lost on a loaded CI machine.
 */
export async function motionless(page: Page): Promise<void> {
  // Checked every frame, and still for three frames in a row: a render that lands just after one
  // still frame (an answer arriving, a button enabled by it) has started its transition by then.
  // The count is this call's own, kept on the page, and starts again if the page is replaced.
  const count = `stillFrames${Math.random().toString(36).slice(2)}`;
  const movingNow = `(() => {
    const motion = /-(appear|enter|leave)(-(prepare|start|active))?$/;
    const frame = (globalThis.${count}Frame = (globalThis.${count}Frame ?? 0) + 1);
    const seen = (globalThis.${count}Seen ??= new WeakMap());
    const classed = [...document.querySelectorAll('[class]')].filter((el) => {
      if (![...el.classList].some((c) => motion.test(c))) {
        seen.delete(el);
        return false;
      }
      if (!seen.has(el)) seen.set(el, frame);
      // rc-motion drops its classes when the element's transition ends. One whose transition never
      // ran (its end missed on a loaded machine) would keep them for good: moving for 60 frames at most.
      return frame - seen.get(el) < 60 || el.getAnimations().length > 0;
    });
    const animations = document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
    return [...classed.map((el) => el.className), ...animations.map((a) => a.animationName ?? a.transitionProperty ?? 'animation')];
  })()`;
  try {
    await page.waitForFunction(
      `(() => {
        globalThis.${count} = ${movingNow}.length > 0 ? 0 : (globalThis.${count} ?? 0) + 1;
        return globalThis.${count} >= 3;
      })()`,
      undefined,
      { polling: 'raf' },
    );
  } catch (err) {
    const moving = await page.evaluate(movingNow).catch(() => 'unknown (the page is gone)');
    throw new Error(`the page did not stop moving: ${JSON.stringify(moving)}`, { cause: err });
  }
}
