import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SurveyLinks } from '../lib/survey-links';
import { credentials, keys, resultCase, startApiHarness, testPayloadKeys, type ApiHarness } from './helpers/api';
import { unitA } from './helpers/cases';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('survey');
});

afterAll(async () => {
  await h?.close();
});

const survey = (token: string) => h.app.inject({ method: 'GET', url: `/survey/${token}` });
const answer = (token: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/survey/${token}`, payload });
const caseOf = async (id: string) =>
  (await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) })).json<{
    status: string;
    callbacks: { outcome: string; by: string }[];
  }>();

describe('the satisfaction survey link', () => {
  it('comes with the result, shows what was found, and one answer records the callback and closes the case', async () => {
    const { id, token } = await resultCase(h.app, unitA, keys.unitA);
    const open = await survey(token);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json()).toMatchObject({
      caseId: id,
      state: 'open',
      finding: { code: 'substantiated', label: '属实' },
      reply: '经现场核查，已责令该厂停产整改。',
    });

    const answered = await answer(token, { outcome: 'satisfied', note: '处理及时' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toEqual({ caseId: id, status: 'closed' });
    const after = await caseOf(id);
    expect(after.status).toBe('closed');
    expect(after.callbacks).toEqual([expect.objectContaining({ outcome: 'satisfied', by: 'survey' })]);

    // Single use: the link shows it answered, and a second answer is refused.
    expect((await survey(token)).json<{ state: string }>().state).toBe('answered');
    const again = await answer(token, { outcome: 'unsatisfied' });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ type: string }>().type).toBe('/problems/survey-closed');
  });

  it('leaves an unsatisfied answer to a supervisor, as a phone callback would', async () => {
    const { id, token } = await resultCase(h.app, unitA, keys.unitA);
    const answered = await answer(token, { outcome: 'unsatisfied', note: '仍有异味' });
    expect(answered.json()).toEqual({ caseId: id, status: 'callback' });
    const actions = await h.app.inject({ method: 'GET', url: `/complaints/${id}/actions`, headers: credentials(keys.supervisor) });
    expect(actions.json<{ actions: { name: string }[] }>().actions.map((a) => a.name)).toEqual(expect.arrayContaining(['returnForRework']));
  });

  it('refuses a forged token (404), an expired one (410), and one of another result (409)', async () => {
    const { id, token } = await resultCase(h.app, unitA, keys.unitA);
    const signature = token.slice(-22);
    const forged = `${token.slice(0, -22)}${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await survey(forged)).statusCode).toBe(404);
    expect((await answer(forged, { outcome: 'satisfied' })).statusCode).toBe(404);

    const links = new SurveyLinks(testPayloadKeys, 'http://localhost:3000');
    const expired = links.token({ caseId: id, result: '2026-01-01T00:00:00.000Z', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const gone = await survey(expired);
    expect(gone.statusCode).toBe(410);
    expect(gone.json<{ type: string }>().type).toBe('/problems/link-expired');

    const otherResult = links.token({ caseId: id, result: '2026-01-01T00:00:00.000Z', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect((await survey(otherResult)).json<{ state: string }>().state).toBe('closed');
    expect((await answer(otherResult, { outcome: 'satisfied' })).statusCode).toBe(409);
    expect((await caseOf(id)).status).toBe('callback');
  });
});
