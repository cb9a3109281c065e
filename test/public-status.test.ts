import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { eventually } from './helpers/people';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('public-status');
});

afterAll(async () => {
  await h?.close();
});

interface StatusOut {
  caseId: string;
  status: { code: string; label: string };
  steps: { kind: string; label: string }[];
}

const ask = (body: Record<string, unknown>, remoteAddress = '127.0.0.1') => h.app.inject({ method: 'POST', url: '/status', payload: body, remoteAddress });

describe('the query code (查询码)', () => {
  it('is given at registration and in the acceptance notice, and reads the progress without signing in and without personal data', async () => {
    const complaint = submission({
      channel: 'phone',
      description: '夜间施工噪声扰民，影响休息',
      complainant: { anonymous: false, name: '李雷', phone: '13911112222' },
    });
    const registered = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.registrar), payload: complaint });
    expect(registered.statusCode, registered.body).toBe(201);
    const { id, queryCode } = registered.json<{ id: string; queryCode: string }>();
    expect(queryCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) });
    expect(view.json<{ complaint: { queryCode: string } }>().complaint.queryCode).toBe(queryCode);
    const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);

    const notices = await eventually(
      async () =>
        (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) })).json<{
          notices: { kind: string; text: string }[];
        }>().notices,
      (list) => list.some((n) => n.kind === 'acceptance'),
      'the acceptance notice',
    );
    expect(notices.find((n) => n.kind === 'acceptance')!.text).toContain(`查询码：${queryCode}`);

    const answer = await eventually(
      () => ask({ caseId: id, queryCode: queryCode.toLowerCase() }),
      (r) => r.statusCode === 200 && r.json<StatusOut>().steps.length === 2,
      'the status with both steps',
    );
    expect(answer.json<StatusOut>()).toMatchObject({
      caseId: id,
      status: { code: 'accepted', label: '已受理' },
      steps: [
        { kind: 'registered', label: '登记' },
        { kind: 'accepted', label: '受理' },
      ],
    });
    for (const personal of ['李雷', '13911112222', complaint.location.address, '夜间施工噪声', 'reg-1']) expect(answer.body).not.toContain(personal);
  });

  it('answers the same 404 to a wrong code and to an unknown case, and names a malformed field', async () => {
    const registered = await h.app.inject({
      method: 'POST',
      url: '/complaints',
      headers: credentials(keys.registrar),
      payload: submission({ channel: 'phone' }),
    });
    const { id } = registered.json<{ id: string }>();
    const wrong = await ask({ caseId: id, queryCode: 'AAAAAAAA' });
    const unknown = await ask({ caseId: '20260101-0000000000', queryCode: 'AAAAAAAA' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json<{ title: string; detail: string }>()).toEqual(expect.objectContaining({ detail: unknown.json<{ detail: string }>().detail }));
    const malformed = await ask({ caseId: id, queryCode: 'short' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ errors: { field: string }[] }>().errors).toEqual([expect.objectContaining({ field: 'queryCode' })]);
  });

  it('limits the guesses from one address to 30 a minute; another address is not held back', async () => {
    const guesses = Array.from({ length: 31 }, (_, i) =>
      ask(
        {
          caseId: '20260101-0000000000',
          queryCode: `GUESS${String(i)
            .padStart(3, '0')
            .replace(/\d/g, (d) => 'ABCDEFGHJK'[Number(d)]!)}`,
        },
        '10.9.8.7',
      ),
    );
    const codes = (await Promise.all(guesses)).map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 404)).toHaveLength(30);
    expect(codes.filter((c) => c === 429)).toHaveLength(1);
    expect((await ask({ caseId: '20260101-0000000000', queryCode: 'AAAAAAAA' }, '10.9.8.6')).statusCode).toBe(404);
  });
});
