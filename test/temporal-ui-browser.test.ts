import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalUiCodecEndpoint, temporalUiPath } from '../api/routes/temporal-ui';
import { startDevServer } from '../lib/dev-server';
import { credentials, keys, submission, type ApiHarness } from './helpers/api';
import { artifacts, newPage, screenshots, signIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, type Person } from './helpers/people';
import { freePort } from './helpers/ports';
import { quietRuntime } from './helpers/temporal';

/**
 * Ops read histories in the Temporal Web UI (issue 15), in Chromium, as `npm start` runs it: a dev
 * server whose UI is served at /temporal with the codec at /codec, passed on by the API at
 * /temporal/ (api/routes/temporal-ui.ts), so UI, console and codec share one origin. An ops person
 * signed in to the console sees the case's input and an update's arguments decoded; a registrar
 * signed in, and a browser with no session, see the UI's decode failure and no plain text.
 */
const stamp = `${process.pid}-${Date.now() % 100_000}`;
/** Free text of the case and of the update that accepted it: ciphertext in the history. */
const description = `夜间偷排黑水，下游鱼塘死鱼 ${stamp}`;
const note = `受理说明：已电话联系，次日现场核查 ${stamp}`;

let devServer: TestWorkflowEnvironment;
let h: ApiHarness;
let api: string;
let browser: Browser;
let workflowId: string;
const people: Record<'ops' | 'registrar', Person> = {} as Record<'ops' | 'registrar', Person>;

beforeAll(async () => {
  quietRuntime();
  const [temporalPort, uiPort] = [await freePort(), await freePort()];
  devServer = await startDevServer({
    address: `127.0.0.1:${temporalPort}`,
    namespace: 'default',
    uiPort,
    uiPublicPath: temporalUiPath,
    uiCodecEndpoint: temporalUiCodecEndpoint,
  });
  ({
    h,
    origin: api,
    browser,
  } = await startBrowserHarness('temporal-ui-browser', {
    temporalAddress: `127.0.0.1:${temporalPort}`,
    env: { TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${uiPort}` },
  }));
  people.ops = await addPerson(h.database.db, { name: '钱运维', roles: ['ops'] });
  people.registrar = await addPerson(h.database.db, { name: '孙登记', roles: ['registrar'], unitId: 'city' });

  const registered = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(keys.integrator),
    payload: submission({ description }),
  });
  expect(registered.statusCode, registered.body).toBe(201);
  const caseId = registered.json<{ id: string }>().id;
  workflowId = `complaint-${caseId}`;
  const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${caseId}/accept`, headers: credentials(keys.registrar), payload: { note } });
  expect(accepted.statusCode, accepted.body).toBe(200);
}, 240_000);

afterAll(async () => {
  await stopBrowserHarness({ browser, h });
  await devServer?.teardown();
});

/** A browser of its own; signed in to the console as `person` unless none is given. Records the codec's answers. */
async function browse(person?: Person): Promise<{ page: Page; codecStatuses: number[]; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, { viewport: { width: 1600, height: 900 } });
  const codecStatuses: number[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === `${temporalUiCodecEndpoint}/decode`) codecStatuses.push(response.status());
  });
  if (person) await signIn(page, `${api}/console`, person);
  return { page, codecStatuses, close: () => context.close() };
}

/** The case's workflow in the UI, at the API's /temporal/, waited for until its history is listed. */
async function openHistory(page: Page, name: string): Promise<void> {
  await page.goto(`${api}${temporalUiPath}/namespaces/default/workflows/${workflowId}`);
  await page
    .getByText(workflowId)
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(artifacts, `temporal-ui-${name}.png`), fullPage: true });
      throw err;
    });
}

const shown = (page: Page, text: string) => page.getByText(text, { exact: false }).count();

/** The event history, with the update that accepted the case opened: its arguments (the registrar's note) are shown. */
async function openAcceptUpdate(page: Page): Promise<void> {
  await page.getByText('Event History').first().click();
  await page.getByText('Workflow Execution Update Accepted').first().click();
  await page.getByText('Accepted Request', { exact: true }).first().waitFor();
}

/** The UI's banner when the codec does not answer 2xx (it does not say which status). */
const codecFailure = 'Codec Server could not connect';

describe('the Temporal Web UI at /temporal/', () => {
  it('ops sees a decoded history: the complaint, and the arguments of the update that accepted it', async () => {
    const { page, codecStatuses, close } = await browse(people.ops);
    await openHistory(page, 'ops');
    // The workflow's input, decoded: the complaint as registered.
    await expect.poll(() => shown(page, description), { timeout: 30_000 }).toBeGreaterThan(0);
    await openAcceptUpdate(page);
    await expect.poll(() => shown(page, note), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, 'temporal-ui.png') });
    expect(codecStatuses.length).toBeGreaterThan(0);
    expect(codecStatuses.every((status) => status === 200)).toBe(true);
    expect(await page.getByText(codecFailure).filter({ visible: true }).count()).toBe(0);
    await close();
  });

  const refused = [
    { who: 'a registrar signed in', person: () => people.registrar, status: 403 },
    { who: 'a browser with no session', person: () => undefined, status: 401 },
  ];
  for (const { who, person, status } of refused) {
    it(`${who} sees no decoded text: the codec answers ${status} and the UI says it failed`, async () => {
      const { page, codecStatuses, close } = await browse(person());
      await openHistory(page, `${status}`);
      await page.getByText(codecFailure).filter({ visible: true }).first().waitFor({ timeout: 30_000 });
      await openAcceptUpdate(page);
      expect(codecStatuses.length).toBeGreaterThan(0);
      expect(codecStatuses.every((answer) => answer === status)).toBe(true);
      for (const text of [description, note, '13700000000']) expect(await shown(page, text)).toBe(0);
      await close();
    });
  }

  it('is no API: the UI stays out of the OpenAPI document', async () => {
    const spec = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(Object.keys(spec.json<{ paths: Record<string, unknown> }>().paths).filter((p) => p.startsWith(temporalUiPath))).toEqual([]);
  });

  it('keeps personal data out of the memo and search attributes, which the UI shows to anyone', async () => {
    const described = await h.client.workflow.getHandle(workflowId).describe();
    const visible = JSON.stringify({ memo: described.memo, attributes: described.typedSearchAttributes });
    expect(visible).toContain('accepted');
    for (const text of [description, note, '王五', '13700000000']) expect(visible).not.toContain(text);
  });
});
