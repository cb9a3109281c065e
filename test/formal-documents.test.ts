import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDocument } from '../db/documents';
import { shanghaiYear } from '../workflows/calendar';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { eventually } from './helpers/people';

interface NoticeOut {
  id: string;
  kind: string;
  document: { number: string; title: string; issuer: string } | null;
}

let h: ApiHarness;
const issuer = '南城区生态环境局';

beforeAll(async () => {
  h = await startApiHarness('formal-documents', { env: { BUREAU_NAME: issuer } });
});

afterAll(async () => {
  await h?.close();
});

async function registered(): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.registrar), payload: submission({ channel: 'letter' }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function documentNotice(id: string, kind: string): Promise<NoticeOut> {
  const found = await eventually(
    async () =>
      (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) }))
        .json<{ notices: NoticeOut[] }>()
        .notices.find((n) => n.kind === kind && n.document !== null),
    (n) => n !== undefined,
    `the ${kind} issued as a document`,
  );
  return found!;
}

const sequence = (number: string) => Number(/〕(\d+)号$/.exec(number)?.[1]);

describe('formal documents (公文)', () => {
  it('issues the acceptance as a numbered 受理告知书 of the bureau, dated, and serves its text', async () => {
    const accept = async () => {
      const id = await registered();
      const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
      expect(accepted.statusCode, accepted.body).toBe(200);
      return { id, notice: await documentNotice(id, 'acceptance') };
    };
    // One after the other: the second is issued after the first, so its number is higher.
    const { id: first, notice: a } = await accept();
    const { id: second, notice: b } = await accept();
    const year = shanghaiYear(Date.now());
    expect(a.document).toEqual({
      number: expect.stringMatching(new RegExp(`^环信受告〔${year}〕\\d+号$`)),
      title: '受理告知书',
      issuer,
      issuedAt: expect.any(String),
    });
    expect(sequence(b.document!.number)).toBeGreaterThan(sequence(a.document!.number));

    const text = await h.app.inject({
      method: 'GET',
      url: `/complaints/${first}/notices/${encodeURIComponent(a.id)}/document`,
      headers: credentials(keys.registrar),
    });
    expect(text.statusCode).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = text.body.split('\n');
    expect(lines.slice(0, 4)).toEqual(['受理告知书', a.document!.number, '', '信访人：']);
    expect(lines[4]).toContain(`您反映的问题（编号 ${first}）已受理`);
    expect(lines.slice(-2)).toEqual([issuer, expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日$/)]);
    // Another case's notice is not this case's document.
    const elsewhere = await h.app.inject({
      method: 'GET',
      url: `/complaints/${second}/notices/${encodeURIComponent(a.id)}/document`,
      headers: credentials(keys.registrar),
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('issues a refusal as a 不予受理告知书 with the reason in Chinese', async () => {
    const id = await registered();
    const refused = await h.app.inject({
      method: 'POST',
      url: `/complaints/${id}/not-accept`,
      headers: credentials(keys.registrar),
      payload: { reason: '不属于生态环境部门职责' },
    });
    expect(refused.statusCode, refused.body).toBe(200);
    const notice = await documentNotice(id, 'not_accepted');
    expect(notice.document).toMatchObject({ title: '不予受理告知书', number: expect.stringMatching(/^环信不受告〔\d{4}〕\d+号$/) });
    const text = await h.app.inject({
      method: 'GET',
      url: `/complaints/${id}/notices/${encodeURIComponent(notice.id)}/document`,
      headers: credentials(keys.registrar),
    });
    expect(text.body).toContain('理由：不属于生态环境部门职责');
  });

  it('keeps one number per notice however often it is issued', async () => {
    const base = { caseId: 'doc-once', kind: 'acceptance', title: '受理告知书', issuer, issuedAt: new Date(), prefix: '环信受告', compose: (n: string) => n };
    const noticeId = `doc-once-${process.pid}-${Date.now()}`;
    const [one, two] = await Promise.all([issueDocument(h.database.db, { ...base, noticeId }), issueDocument(h.database.db, { ...base, noticeId })]);
    expect(two.number).toBe(one.number);
  });
});
