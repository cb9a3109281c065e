import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, resultCase, startApiHarness, type ApiHarness } from './helpers/api';
import { unitA } from './helpers/cases';
import { addPerson, eventually, signIn } from './helpers/people';

let h: ApiHarness;
let admin: { cookie: string };

beforeAll(async () => {
  h = await startApiHarness('notice-wording');
  admin = await signIn(h.app, await addPerson(h.database.db, { name: '文书管理员', roles: ['admin'] }));
});

afterAll(async () => {
  await h?.close();
});

describe("a bureau's own wording of its notices", () => {
  it('words the notices made from its effective time, version after version, with the facts filled in', async () => {
    const wording = { kind: 'case_closed', text: '您反映的编号为 {caseId} 的问题已办结（第 {version} 版措辞不存在的事实留空）。' };
    const added = await h.app.inject({ method: 'POST', url: '/notice-templates', headers: admin, payload: wording });
    expect(added.statusCode, added.body).toBe(201);
    const { version } = added.json<{ version: number }>();
    const next = await h.app.inject({
      method: 'POST',
      url: '/notice-templates',
      headers: admin,
      payload: { ...wording, text: '编号 {caseId} 的信访件已办结，感谢您的监督。' },
    });
    expect(next.json<{ version: number }>().version).toBe(version + 1);

    const { id, token } = await resultCase(h.app, unitA, keys.unitA);
    expect(token).toBeDefined();
    const callback = await h.app.inject({
      method: 'POST',
      url: `/complaints/${id}/callbacks`,
      headers: credentials(keys.registrar),
      payload: { outcome: 'satisfied' },
    });
    expect(callback.statusCode, callback.body).toBe(200);
    const closed = await eventually(
      async () =>
        (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) }))
          .json<{ notices: { kind: string; text: string }[] }>()
          .notices.find((n) => n.kind === 'case_closed'),
      (n) => n !== undefined,
      'the closing notice',
    );
    expect(closed!.text).toBe(`编号 ${id} 的信访件已办结，感谢您的监督。`);

    const list = await h.app.inject({ method: 'GET', url: '/notice-templates', headers: credentials(keys.ops) });
    expect(list.json<{ items: { kind: string; version: number }[] }>().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'case_closed', version }),
        expect.objectContaining({ kind: 'case_closed', version: version + 1 }),
      ]),
    );
  });

  it('refuses a wording with a malformed fact, and anyone but an admin', async () => {
    const broken = await h.app.inject({
      method: 'POST',
      url: '/notice-templates',
      headers: admin,
      payload: { kind: 'case_closed', text: '编号 {case id} 已办结' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ errors: { field: string }[] }>().errors).toEqual([expect.objectContaining({ field: 'text' })]);
    const bySupervisor = await h.app.inject({
      method: 'POST',
      url: '/notice-templates',
      headers: credentials(keys.supervisor),
      payload: { kind: 'case_closed', text: '已办结' },
    });
    expect(bySupervisor.statusCode).toBe(403);
  });
});
