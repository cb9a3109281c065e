import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, type ApiHarness } from './helpers/api';
import { artifacts, choose, screenshots, signedIn, startBrowserHarness, stopBrowserHarness } from './helpers/browser';
import { addPerson, type Person } from './helpers/people';

/**
 * The console's 通讯录 in a real browser (Debian's Chromium, playwright-core) against the API, a
 * worker and Postgres: a supervisor keeps the leaders, the units and the duty roster through the
 * pages, and each change is there after a reload and through the API; a leader reads them all
 * and is offered no edit; bad values are refused in Chinese and nothing is saved.
 */
let h: ApiHarness;
let base: string;
let browser: Browser;
const people = {} as Record<'supervisor' | 'leader' | 'registrar' | 'officer' | 'team', Person>;
/** Errors the pages wrote to the browser console or threw. The refusals this test provokes on purpose are counted apart. */
const pageErrors: string[] = [];
/** Unique to this run: the database is shared with the other test files. */
const run = `${process.pid}`;
const leaderId = `dir-leader-${run}`;
const leaderName = `周科长${run}`;
const unitId = `dir-unit-${run}`;
const unitName = `西城分局${run}`;
const district = `xicheng${run}`;

beforeAll(async () => {
  ({ h, base, browser } = await startBrowserHarness('console-directory'));
  const db = h.database.db;
  people.supervisor = await addPerson(db, { name: '赵督办', roles: ['supervisor'], unitId: 'city' });
  people.leader = await addPerson(db, { name: '钱局长', roles: ['leader'], unitId: 'city' });
  people.registrar = await addPerson(db, { name: '孙登记', roles: ['registrar'], unitId: 'city' });
  people.officer = await addPerson(db, { name: '李值班', roles: ['registrar'], unitId: 'city' });
  people.team = await addPerson(db, { name: '吴队长', roles: ['unit'], unitId: 'unit-a' });
}, 240_000);

afterAll(() => stopBrowserHarness({ browser, h }));

const api = async <T>(url: string): Promise<T> => {
  const response = await h.app.inject({ method: 'GET', url, headers: credentials(keys.supervisor) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

interface Slot {
  id: string;
  duty: string;
  district: string | null;
  accountId: string;
  startsAt: string;
  endsAt: string;
}
const slotsOf = async (query = '') =>
  (await api<{ slots: Slot[] }>(`/duty?from=${encodeURIComponent(shanghai(Date.now() - 2 * hour, 'T'))}%2B08:00${query}`)).slots;

const hour = 3_600_000;
/** A bounded wait for what the page shows: loading and rendering may take seconds on a busy machine. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** A time as the roster's pickers and CSV write it, Shanghai's wall clock: `2026-10-01 08:00`. */
function shanghai(ms: number, separator: ' ' | 'T' = ' '): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}${separator}${parts.hour}:${parts.minute}`;
}

/**
 * Types a value into a field that suggests (AutoComplete), takes tags or picks a date, Enter
 * taking a tag or a date; then leaves it by clicking the dialog's title, which closes its list or
 * panel. Not by Tab: a select's Tab picks its active option, as Enter does.
 */
async function typeIn(page: Page, field: string, value: string, enter = false): Promise<void> {
  const input = page.locator(`#${field}`);
  await input.click();
  await input.fill(value);
  if (enter) await input.press('Enter');
  await page.getByRole('dialog').locator('.ant-modal-title').click();
}

/** Saves the open dialog and waits for it to close; what the dialog said is the diagnosis when it stays. */
async function save(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '保存', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async (err: unknown) => {
    await page.screenshot({ path: path.join(artifacts, `directory-${name}.png`) });
    throw err;
  });
}

/** The form item (label, control, its error) of a dialog's field, by its label. */
const fieldOf = (dialog: Locator, label: string) => dialog.locator('.ant-form-item', { has: dialog.page().locator(`label:text-is("${label}")`) });

describe('通讯录 in Chromium', () => {
  it('a supervisor adds a leader; it is there after a reload and through the API', async () => {
    const { context, page } = await signedIn(browser, base, people.supervisor, pageErrors);
    await page.getByRole('link', { name: '通讯录' }).click();
    await page.getByRole('tab', { name: '包案领导' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/directory/leaders'));
    await page.getByRole('button', { name: '新增领导', exact: true }).click();
    await page.locator('#id').fill(leaderId);
    await page.locator('#name').fill(leaderName);
    await choose(page, 'tier', '二级');
    await typeIn(page, 'district', 'nancheng');
    await save(page, 'leader');
    const row = page.getByRole('row', { name: new RegExp(leaderName) });
    await poll(() => row.textContent()).toMatch(/二级（分局负责人）.*属地包案.*nancheng.*在任/);

    await page.reload();
    await poll(() => row.textContent()).toMatch(/二级（分局负责人）.*属地包案.*nancheng/);
    const { leaders } = await api<{ leaders: { id: string; name: string; tier: number; district: string | null; active: boolean }[] }>('/leaders');
    expect(leaders.find((l) => l.id === leaderId)).toEqual({ id: leaderId, name: leaderName, tier: 2, district: 'nancheng', active: true });
    await context.close();
  });

  it('a supervisor adds a unit under the city and edits it; both versions are on file', async () => {
    const { context, page } = await signedIn(browser, base, people.supervisor, pageErrors);
    await page.goto(`${base}/directory/units`);
    await page.getByRole('button', { name: '在 市生态环境局 下新增单位' }).click();
    await page.locator('#id').fill(unitId);
    await page.locator('#name').fill(unitName);
    await choose(page, 'level', '区县级');
    await save(page, 'unit-add');
    const row = page.getByRole('row', { name: new RegExp(unitName) });
    await poll(() => row.textContent()).toMatch(/区县级.*沿用上级.*第 1 版/);

    await page.getByRole('button', { name: `编辑 ${unitName}` }).click();
    await page.locator('#name').fill(`${unitName}（新）`);
    await typeIn(page, 'districts', district, true);
    await save(page, 'unit-edit');
    const edited = page.getByRole('row', { name: new RegExp(`${unitName}（新）`) });
    await poll(() => edited.textContent()).toMatch(new RegExp(`区县级.*${district}.*第 2 版`));

    await page.reload();
    await poll(() => edited.textContent()).toMatch(new RegExp(`${district}.*第 2 版`));
    const unit = await api<{ name: string; parentId: string; level: string; districts: string[]; version: number }>(`/units/${unitId}`);
    expect(unit).toMatchObject({ name: `${unitName}（新）`, parentId: 'city', level: 'district', districts: [district], version: 2 });
    await context.close();
  });

  it('a supervisor adds a duty slot and imports a roster; who is on duty now shows them, after a reload too', async () => {
    const { context, page } = await signedIn(browser, base, people.supervisor, pageErrors);
    await page.goto(`${base}/directory/duty?district=nancheng`);
    await page.getByRole('button', { name: '新增班次', exact: true }).click();
    await choose(page, 'duty', '值班领导');
    // The district is the one shown: the dialog starts with it.
    await poll(() => page.locator('#district').inputValue()).toBe('nancheng');
    await page.locator('#accountId').fill(people.registrar.id);
    await typeIn(page, 'startsAt', shanghai(Date.now() - hour), true);
    await typeIn(page, 'endsAt', shanghai(Date.now() + 11 * hour), true);
    await save(page, 'slot');
    const now = page.locator('.ant-card', { hasText: '现在值班（nancheng）' });
    await poll(() => now.textContent()).toContain(`${people.registrar.name}（${people.registrar.id}）`);

    // The officer and the rapid team for the whole bureau, by CSV: they stand in for nancheng.
    const start = `${shanghai(Date.now() - 2 * hour, 'T')}+08:00`;
    const end = `${shanghai(Date.now() + 10 * hour, 'T')}+08:00`;
    await page.getByRole('button', { name: '导入 CSV', exact: true }).click();
    await page.getByLabel('值班表 CSV 文件').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `duty,district,account,starts_at,ends_at\nduty_officer,,${people.officer.id},${start},${end}\nrapid_team,,${people.team.id},${start},${end}\n`,
      ),
    });
    await page.getByRole('dialog').getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden', timeout: 15_000 });
    await poll(() => now.textContent()).toMatch(new RegExp(`${people.officer.name}.*${people.team.name}`));
    await poll(() => page.locator('.ant-tag', { hasText: '空缺' }).count()).toBe(0);
    // The toasts (已保存, 已导入) gone, the roster as it reads.
    await poll(() => page.locator('.ant-message-notice').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'directory.png') });

    await page.reload();
    await poll(() => now.textContent()).toMatch(new RegExp(`${people.registrar.name}.*${people.officer.name}.*${people.team.name}`));
    const slots = await slotsOf('&district=nancheng');
    expect(slots.filter((s) => s.district === 'nancheng' && s.accountId === people.registrar.id).map((s) => s.duty)).toEqual(['duty_leader']);
    expect(
      slots
        .filter((s) => s.district === null && [people.officer.id, people.team.id].includes(s.accountId))
        .map((s) => s.duty)
        .sort(),
    ).toEqual(['duty_officer', 'rapid_team']);

    // The rapid team's slot deleted, its person is on duty no more.
    await page
      .getByRole('button', { name: new RegExp(`^删除班次 ${people.team.id}`) })
      .first()
      .click();
    await page.getByRole('button', { name: '删除', exact: true }).click();
    await poll(() => now.textContent()).not.toContain(people.team.name);
    expect((await slotsOf()).some((s) => s.accountId === people.team.id)).toBe(false);
    await context.close();
  });

  it('refuses bad values in Chinese, next to their fields, and saves nothing', async () => {
    const registrarSlots = (await slotsOf()).filter((s) => s.accountId === people.registrar.id);
    const { context, page } = await signedIn(browser, base, people.supervisor, pageErrors);
    // Every change the page sends: only the two the API must refuse get past the forms.
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') sent.push(`${request.method()} ${new URL(request.url()).pathname.replace(/\/[^/]*$/, '/…')}`);
    });

    // An empty leader: the form says what is missing and sends nothing.
    await page.goto(`${base}/directory/leaders`);
    await page.getByRole('button', { name: '新增领导', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => fieldOf(dialog, '姓名').textContent()).toContain('请填写姓名');
    await poll(() => fieldOf(dialog, '包案层级').textContent()).toContain('请选择包案层级');
    await dialog.getByRole('button', { name: '取消', exact: true }).click();

    // A unit may not sit at its parent's level: refused before it is sent.
    await page.goto(`${base}/directory/units`);
    await page.getByRole('button', { name: `编辑 ${unitName}（新）` }).click();
    await choose(page, 'level', '市级');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => fieldOf(dialog, '级别').textContent()).toContain('级别须低于上级单位（市级）');
    await dialog.getByRole('button', { name: '取消', exact: true }).click();

    // A slot that ends before it starts, then one of nobody: the form refuses the first, the API (422) the second, beside 值班人账号.
    await page.goto(`${base}/directory/duty`);
    await page.getByRole('button', { name: '新增班次', exact: true }).click();
    await choose(page, 'duty', '值班员');
    await page.locator('#accountId').fill(`nobody-${run}`);
    await typeIn(page, 'startsAt', shanghai(Date.now() + 5 * hour), true);
    await typeIn(page, 'endsAt', shanghai(Date.now() + 2 * hour), true);
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => fieldOf(dialog, '结束时间').textContent()).toContain('结束时间须晚于开始时间');
    await typeIn(page, 'endsAt', shanghai(Date.now() + 8 * hour), true);
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => fieldOf(dialog, '值班人账号').textContent()).toContain(`没有在职账号“nobody-${run}”`);
    await poll(() => dialog.getByRole('alert').textContent()).toContain('未保存');
    await dialog.getByRole('button', { name: '取消', exact: true }).click();

    // A roster with a bad row: every error listed by its line and column, and no row imported.
    await page.getByRole('button', { name: '导入 CSV', exact: true }).click();
    const good = `duty_leader,nancheng,${people.registrar.id},${shanghai(Date.now(), 'T')}+08:00,${shanghai(Date.now() + hour, 'T')}+08:00`;
    await page.getByLabel('值班表 CSV 文件').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`duty,district,account,starts_at,ends_at\n${good}\nnight_watch,nancheng,${people.registrar.id},tomorrow,2026-10-01T08:00+08:00\n`),
    });
    await dialog.getByRole('button', { name: '导入', exact: true }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('未导入任何班次');
    const errors = dialog.locator('.ant-table-tbody');
    await poll(() => errors.textContent()).toMatch(/第 3 行值班类型须为 duty_leader, duty_officer, rapid_team 之一/);
    await poll(() => errors.textContent()).toMatch(/第 3 行开始时间时间格式应为/);
    await dialog.getByRole('button', { name: '取消', exact: true }).click();

    expect(sent).toEqual(['PUT /duty/…', 'POST /duty/…']);
    const slots = await slotsOf();
    expect(slots.filter((s) => s.accountId === people.registrar.id)).toEqual(registrarSlots);
    expect(slots.some((s) => s.accountId === `nobody-${run}`)).toBe(false);
    expect((await api<{ level: string; version: number }>(`/units/${unitId}`)).version).toBe(2);
    await context.close();
  });

  it('a leader reads every directory and is offered no edit; a registrar does not see the leaders', async () => {
    const { context, page } = await signedIn(browser, base, people.leader, pageErrors);
    await page.getByRole('link', { name: '通讯录' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/directory/duty'));
    await poll(() => page.getByText('现在值班（全局）').count()).toBe(1);
    await page.getByRole('tab', { name: '包案领导' }).click();
    await poll(() => page.getByRole('row', { name: new RegExp(leaderName) }).count()).toBe(1);
    await page.getByRole('tab', { name: '单位' }).click();
    await poll(() => page.getByRole('row', { name: new RegExp(unitName) }).count()).toBe(1);
    await page.goto(`${base}/directory/duty?district=nancheng`);
    await poll(() => page.getByRole('row', { name: new RegExp(people.registrar.id) }).count()).toBeGreaterThan(0);
    for (const directory of ['duty', 'leaders', 'units']) {
      await page.goto(`${base}/directory/${directory}`);
      await page.getByText('仅供查看').waitFor();
      for (const name of ['新增领导', '新增单位', '添加下级', '新增班次', '导入 CSV', '编辑', '删除']) {
        expect(await page.getByRole('button', { name }).count(), `${directory}: ${name}`).toBe(0);
      }
    }
    await context.close();

    const registrar = await signedIn(browser, base, people.registrar, pageErrors);
    await registrar.page.goto(`${base}/directory/duty`);
    await registrar.page.getByText('仅供查看').waitFor();
    expect(await registrar.page.getByRole('tab', { name: '包案领导' }).count()).toBe(0);
    await registrar.page.goto(`${base}/directory/leaders`);
    await registrar.page.getByText('无权查看包案领导名录').waitFor();
    await registrar.context.close();
  });

  it('writes no error to the browser console but the refusals it provoked', () => {
    // Chromium logs every 4xx answer to fetch; the test provoked two (the unknown account, the bad CSV).
    const provoked = pageErrors.filter((e) => /Failed to load resource: the server responded with a status of (400|422)/.test(e));
    expect(provoked.length).toBeLessThanOrEqual(2);
    expect(pageErrors.filter((e) => !provoked.includes(e))).toEqual([]);
  });
});
