/**
 * `npm run bench:console [-- runs]`: how fast the console's landing page (待办) becomes usable with
 * a queue of 50 cases, and how much JavaScript a first load carries. A benchmark, not a test: its
 * numbers depend on the machine; it prints them and writes them nowhere.
 *
 * Method:
 * - The whole service as `npm start` runs it (scripts/service-under-test.ts: Temporal dev server,
 *   embedded Postgres, worker and API on loopback), serving the built console (console/dist, built
 *   first if missing).
 * - 50 complaints are registered through the API and claimed by the development registrar: its
 *   queue (GET /work) holds the 50, all in 待受理, the tab the page opens on.
 * - Debian's Chromium, headless, 1440×900, no CPU or network throttling. Each run is a new browser
 *   context (empty cache, as a first visit) with the registrar's session cookie, navigating to
 *   /console/. A first run warms the service and is not counted; then `runs` runs (default 20).
 * - Each run records, in milliseconds since the navigation started (the Performance API's time
 *   origin):
 *   - `rows`: the moment the DOM holds the queue: the active tab's table shows its rows (the
 *     queue's first page) with a link to each case, and its total reads 共 50 件. A MutationObserver
 *     installed before any script of the page sees it as React commits it.
 *   - `interactive`: the first task after the next frame once `rows` holds (requestAnimationFrame,
 *     then a MessageChannel message): the rows are painted and the main thread is free, so a click
 *     now is handled at once.
 *   - `TTFB` and `DOMContentLoaded` of the document (Navigation Timing), for reference.
 *   After the timing, the first row's link is clicked and the case page must open: the link works.
 *   Then the person comes back: /console/ again in the same context, whose cache holds the files
 *   and the code Chromium compiled from them, and `rows` and `interactive` are taken again.
 * - The first load's JavaScript: every .js file the browser fetched until `interactive` (and, for
 *   the sign-in page, until the network is idle), each gzipped here at zlib's default level (the
 *   API serves them uncompressed), summed.
 * - Median and p95 (nearest rank) over the counted runs.
 *
 * Bounded: it gives up after 10 minutes, and always stops the service.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../lib/temporal-binaries';
import { chromiumPath, ensureConsoleBuilt } from '../test/helpers/console';
import { runBounded } from './bench/bounded';
import { percentile, table } from './bench/stats';
import { startService, type ServiceUnderTest } from './service-under-test';

const runs = Number(process.argv[2] ?? 20);
const queueSize = 50;
const budgetKb = 400;
const budgetMs = 1_000;
const boundMs = 10 * 60_000;
const registrar = 'registrar';
const outDir = path.join(projectRoot, '.data', 'bench-console');
const log = (line: string) => console.log(`[bench] ${line}`);

interface Run {
  ttfb: number;
  domContentLoaded: number;
  /** The last script fetched (the page's lazy chunk included). */
  scriptsEnd: number;
  /** GET /session answered (who is signed in). */
  sessionEnd: number;
  /** GET /work answered (the queue). */
  workEnd: number;
  rows: number;
  interactive: number;
  rowsShown: number;
  jsGzipped: number;
  /** The same page loaded again in the same context: its files and their compiled code cached. */
  returnRows: number;
  returnInteractive: number;
}

/** The tab shown (the page opens on the first with cases): its panel, by the ARIA the tabs carry. */
const activePanel = '[role="tabpanel"][aria-hidden="false"]';

/**
 * Installed before the page's own scripts: records when the queue is in the DOM, and when the next
 * frame after it has been painted and the main thread is free (window.__queue).
 */
const observeQueue = `(() => {
  const want = '共 ${queueSize} 件';
  let seen = false;
  const check = () => {
    if (seen) return;
    const pane = document.querySelector('${activePanel}');
    const total = pane && pane.querySelector('.ant-pagination-total-text');
    const rows = pane ? pane.querySelectorAll('tr.ant-table-row') : [];
    if (!total || !total.textContent.includes(want) || rows.length === 0) return;
    if (![...rows].every((row) => row.querySelector('a[href*="/cases/"]'))) return;
    seen = true;
    const rendered = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__queue = { rows: rendered, interactive: performance.now(), rowsShown: rows.length };
      };
      channel.port2.postMessage(null);
    });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

/** What the observer looks for, as the page holds it now: for a run that never saw it. */
const queueShown = `(() => {
  const pane = document.querySelector('${activePanel}');
  return {
    pane: Boolean(pane),
    total: pane && pane.querySelector('.ant-pagination-total-text') ? pane.querySelector('.ant-pagination-total-text').textContent : null,
    rows: pane ? pane.querySelectorAll('tr.ant-table-row').length : 0,
    links: pane ? pane.querySelectorAll('tr.ant-table-row a[href*="/cases/"]').length : 0,
  };
})()`;

/** Navigation and Resource Timing: when the document, the scripts and the API's answers arrived. */
const navigationTiming = `(() => {
  const [nav] = performance.getEntriesByType('navigation');
  const resources = performance.getEntriesByType('resource');
  const end = (test) => Math.max(0, ...resources.filter((r) => test(new URL(r.name).pathname)).map((r) => r.responseEnd));
  return {
    ttfb: nav.responseStart,
    domContentLoaded: nav.domContentLoadedEventEnd,
    scriptsEnd: end((p) => p.endsWith('.js')),
    sessionEnd: end((p) => p === '/session'),
    workEnd: end((p) => p === '/work'),
  };
})()`;

async function call(service: ServiceUnderTest, caller: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${service.api}${route}`, {
    method,
    headers: { ...service.credentials[caller], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route} as ${caller} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** 50 complaints registered through the API, each claimed by the registrar; waits (bounded) until its queue holds them. */
async function seedQueue(service: ServiceUnderTest): Promise<void> {
  const started = Date.now();
  for (let n = 1; n <= queueSize; n++) {
    const created = (await call(service, 'integrator', 'POST', '/complaints', {
      externalId: `bench-console-${n}`,
      channel: 'hotline_12345',
      category: ['odour', 'noise', 'water'][n % 3],
      description: `基准案件 ${n}：夜间异味扰民`,
      // A place and a polluter of its own: no case is linked to another as a repeat.
      location: { address: `基准路 ${n} 号`, district: n % 2 === 0 ? 'nancheng' : 'dongcheng' },
      polluter: `基准企业 ${n}`,
      complainant: { anonymous: false, name: '李四', phone: '13900000000' },
    })) as { id: string };
    await call(service, registrar, 'POST', `/complaints/${created.id}/claim`, {});
  }
  for (let attempt = 0; ; attempt++) {
    const work = (await call(service, registrar, 'GET', '/work')) as { items: { onDuty: string | null }[] };
    const claimed = work.items.filter((row) => row.onDuty === `registrar:${registrar}`).length;
    if (claimed === queueSize) break;
    if (attempt >= 100) throw new Error(`the registrar's queue holds ${claimed} of ${queueSize} cases after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  log(`seeded: ${queueSize} cases claimed by '${registrar}' in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A new context (empty cache) and page; `scripts` collects the gzipped size of each .js fetched until `stop()`. */
async function freshPage(browser: Browser, cookie?: { name: string; value: string; url: string }) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (cookie) await context.addCookies([cookie]);
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const sizes: Promise<number>[] = [];
  let counting = true;
  page.on('response', (response) => {
    if (counting && new URL(response.url()).pathname.endsWith('.js')) sizes.push(response.body().then((body) => gzipSync(body).length));
  });
  const scriptBytes = async () => {
    counting = false;
    return (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  };
  return { context, page, errors, scriptBytes };
}

async function queueTimes(page: Page): Promise<{ rows: number; interactive: number; rowsShown: number }> {
  const handle = await page.waitForFunction('window.__queue', undefined, { timeout: 30_000 });
  return (await handle.jsonValue()) as { rows: number; interactive: number; rowsShown: number };
}

async function measureQueue(browser: Browser, service: ServiceUnderTest, cookie: { name: string; value: string; url: string }): Promise<Run> {
  const { context, page, errors, scriptBytes } = await freshPage(browser, cookie);
  try {
    await page.addInitScript({ content: observeQueue });
    await page.goto(`${service.api}/console/`, { waitUntil: 'commit' });
    const queue = await queueTimes(page);
    const jsGzipped = await scriptBytes();
    const timing = await page.evaluate<Pick<Run, 'ttfb' | 'domContentLoaded' | 'scriptsEnd' | 'sessionEnd' | 'workEnd'>>(navigationTiming);
    // Interactive means a click works: the first row's link opens its case.
    await page.locator(`${activePanel} tr.ant-table-row a[href*="/cases/"]`).first().click();
    await page.getByText('办理过程').waitFor({ timeout: 30_000 });
    // The person comes back: Chromium has the files in its cache, and the code cache it wrote.
    await page.goto(`${service.api}/console/`, { waitUntil: 'commit' });
    const back = await queueTimes(page);
    if (errors.length > 0) throw new Error(`the browser console shows errors: ${errors.join(' | ')}`);
    return { ...timing, ...queue, jsGzipped, returnRows: back.rows, returnInteractive: back.interactive };
  } catch (err) {
    // What the page showed is the diagnosis.
    await page.screenshot({ path: path.join(outDir, 'queue-failure.png') }).catch(() => undefined);
    log(`the queue as the page holds it: ${JSON.stringify(await page.evaluate(queueShown).catch(() => 'unreadable'))}`);
    log(
      `the run failed; the page is in ${path.relative(projectRoot, path.join(outDir, 'queue-failure.png'))}; browser console: ${errors.join(' | ') || 'no errors'}`,
    );
    throw err;
  } finally {
    await context.close();
  }
}

async function measureSignInPage(browser: Browser, service: ServiceUnderTest): Promise<number> {
  const { context, page, scriptBytes } = await freshPage(browser);
  try {
    await page.goto(`${service.api}/console/login`, { waitUntil: 'networkidle' });
    await page.locator('#account').waitFor();
    return await scriptBytes();
  } finally {
    await context.close();
  }
}

const ms = (n: number) => n.toFixed(0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, not ${process.argv[2]}`);
  mkdirSync(outDir, { recursive: true });
  await ensureConsoleBuilt();
  let service: ServiceUnderTest | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await service?.stop();
  };
  await runBounded(boundMs, log, cleanup, async () => {
    service = await startService({ log, logFile: path.join(outDir, 'service.log'), env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    await seedQueue(service);
    const session = service.credentials[registrar]?.cookie ?? '';
    const cookie = { name: session.slice(0, session.indexOf('=')), value: session.slice(session.indexOf('=') + 1), url: service.api };
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });

    const signInJs = await measureSignInPage(browser, service);
    log(`warm-up run (not counted) ...`);
    await measureQueue(browser, service, cookie);
    const loadBefore = os.loadavg()[0]!;
    const results: Run[] = [];
    for (let i = 1; i <= runs; i++) {
      const run = await measureQueue(browser, service, cookie);
      results.push(run);
      log(`run ${i}/${runs}: interactive ${ms(run.interactive)} ms, on return ${ms(run.returnInteractive)} ms`);
    }

    const metrics: [string, (r: Run) => number][] = [
      ['TTFB (document)', (r) => r.ttfb],
      ['DOMContentLoaded', (r) => r.domContentLoaded],
      ['last script fetched', (r) => r.scriptsEnd],
      // 0 when not asked: the API names the caller in the page (api/routes/console.ts).
      ['GET /session answered (0: not asked)', (r) => r.sessionEnd],
      ['GET /work answered', (r) => r.workEnd],
      ['queue rows in the DOM', (r) => r.rows],
      ['queue interactive', (r) => r.interactive],
      ['return visit: rows in the DOM', (r) => r.returnRows],
      ['return visit: interactive', (r) => r.returnInteractive],
    ];
    console.log(`\nThe work queue (待办) with ${queueSize} cases, ${runs} runs (ms since navigation start; budget: interactive within ${budgetMs} ms)\n`);
    console.log(
      table(
        ['metric', 'median', 'p95', 'min', 'max'],
        metrics.map(([label, of]) => {
          const values = results.map(of);
          return [label, ms(percentile(values, 50)), ms(percentile(values, 95)), ms(Math.min(...values)), ms(Math.max(...values))];
        }),
      ),
    );
    console.log(
      `\n${os.cpus().length} cores; load average (1 min) ${loadBefore.toFixed(1)} before the runs, ${os.loadavg()[0]!.toFixed(1)} after: other work on the machine slows every number`,
    );
    const shown = [...new Set(results.map((r) => r.rowsShown))].join(', ');
    console.log(`\nrows rendered: ${shown} (the queue's first page; the tab and its total count all ${queueSize})`);
    const queueJs = Math.max(...results.map((r) => r.jsGzipped));
    console.log(`\nFirst-load JavaScript, gzipped (budget ${budgetKb} KB)\n`);
    console.log(
      table(
        ['landing page', 'JavaScript'],
        [
          ['sign-in (/console/login)', kb(signInJs)],
          ['work queue, signed in (/console/)', kb(queueJs)],
        ],
      ),
    );
    const firstP95 = percentile(
      results.map((r) => r.interactive),
      95,
    );
    const returnP95 = percentile(
      results.map((r) => r.returnInteractive),
      95,
    );
    const largest = Math.max(signInJs, queueJs);
    const verdict = (within: boolean) => (within ? 'within' : 'OVER');
    console.log(
      `\np95 interactive: first visit ${ms(firstP95)} ms (${verdict(firstP95 <= budgetMs)} ${budgetMs} ms), return visit ${ms(returnP95)} ms (${verdict(returnP95 <= budgetMs)}); largest first load ${kb(largest)} (${verdict(largest <= budgetKb * 1024)} ${budgetKb} KB)`,
    );
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
