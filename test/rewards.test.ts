import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjection } from '../db/projections';
import { newCase } from '../workflows/case';
import { projectionOf } from '../workflows/projection';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { makeComplaint, uniqueId, workflowInput } from './helpers/cases';

/**
 * 有奖举报 through the API (issue 18 rule 9): the claim code told at registration, the reward the
 * violation earns, its amount proposed and approved, the anonymous reporter's claim, the payment,
 * and the report of rewards due and overdue.
 */
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('rewards');
});
afterAll(async () => {
  await h?.close();
});

const unit = { id: 'unit-a', name: '南城分局', level: 'district' } as const;

async function post(url: string, key: string | undefined, payload: object) {
  return h.app.inject({ method: 'POST', url, ...(key ? { headers: credentials(key) } : {}), payload });
}

describe('rewards (有奖举报)', () => {
  let caseId = '';
  let claimCode = '';

  it('tells an anonymous complainant a claim code at registration, and a named one none', async () => {
    const body = submission({ complainant: { anonymous: true } });
    const anonymous = await post('/complaints', keys.integrator, body);
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    ({ id: caseId, claimCode } = anonymous.json<{ id: string; claimCode: string }>());
    expect(claimCode).toMatch(/^[A-Z2-9]{12}$/);
    // Told once: a repeat of the registration finds the case, whose code is kept nowhere.
    const repeat = await post('/complaints', keys.integrator, body);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ id: caseId });
    expect(repeat.json()).not.toHaveProperty('claimCode');
    const named = await post('/complaints', keys.integrator, submission());
    expect(named.json()).not.toHaveProperty('claimCode');
    // The case keeps only the code's hash, and shows neither.
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${caseId}`, headers: credentials(keys.supervisor) });
    expect(view.body).not.toContain(claimCode);
    expect(view.body).not.toContain('claimCodeHash');
  });

  it('opens a reward when the result found a penalty, whose amount is proposed, approved, claimed and paid', async () => {
    for (const [path, key, payload] of [
      ['accept', keys.registrar, {}],
      ['assign', keys.registrar, { unit }],
      ['result', keys.unitA, { finding: 'substantiated', actions: ['penalty'], reply: '已立案处罚' }],
    ] as const) {
      const response = await post(`/complaints/${caseId}/${path}`, key, payload);
      expect(response.statusCode, response.body).toBe(200);
    }
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${caseId}`, headers: credentials(keys.supervisor) });
    expect(view.json().reward).toMatchObject({ approvalRequired: true, claimable: true, eligibleBy: { actions: ['penalty'] }, overdue: false });

    // Bad bodies name the field; the policy's ceiling is the case's rule.
    const bad = await post(`/complaints/${caseId}/reward/proposal`, keys.registrar, { amountYuan: 'many', basis: '依据' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('amountYuan');
    const tooMuch = await post(`/complaints/${caseId}/reward/proposal`, keys.registrar, { amountYuan: 100_001, basis: '依据' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().detail).toMatch(/amountYuan must be at most 100000/);
    expect((await post(`/complaints/${caseId}/reward/proposal`, keys.registrar, { amountYuan: 2000, basis: '按办法第八条' })).statusCode).toBe(200);
    expect((await post(`/complaints/${caseId}/reward/approval`, keys.registrar, {})).statusCode).toBe(403);
    expect((await post(`/complaints/${caseId}/reward-payment`, keys.supervisor, { reference: 'PAY-1' })).statusCode).toBe(409);
    expect((await post(`/complaints/${caseId}/reward/approval`, keys.supervisor, { note: '同意' })).statusCode).toBe(200);

    // The claim: public, and every refusal alike.
    const wrong = await post('/rewards/claim', undefined, { caseId, claimCode: 'ABCDEFGHJKMN' });
    expect(wrong.statusCode).toBe(404);
    expect((await post('/rewards/claim', undefined, { caseId: '20261124-0000000000', claimCode })).statusCode).toBe(404);
    expect((await post('/rewards/claim', undefined, { caseId, claimCode: 'short' })).statusCode).toBe(400);
    const claimed = await post('/rewards/claim', undefined, { caseId, claimCode: claimCode.toLowerCase() });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ caseId, claimedAt: expect.any(String) });
    const paid = await post(`/complaints/${caseId}/reward-payment`, keys.supervisor, { reference: 'PAY-1' });
    expect(paid.statusCode, paid.body).toBe(200);
  });

  it('reports the rewards due and overdue, with amount and approval, as JSON and CSV', async () => {
    const now = Date.now();
    const day = 86_400_000;
    /** A case row with a reward as the workflow projects it. */
    const seed = async (facts: object) => {
      const c = makeComplaint({ id: uniqueId('reward'), category: 'hazardous_waste_dumping' });
      await writeProjection(
        h.database.db,
        { ...projectionOf(newCase(workflowInput(c), new Date(now - 100 * day).toISOString()), `complaint-${c.id}`), ...facts },
        1,
      );
      return c.id;
    };
    const overdue = await seed({
      rewardOpenedAt: new Date(now - 95 * day).toISOString(),
      rewardDueAt: new Date(now - 5 * day).toISOString(),
      rewardApproval: 'awaiting_proposal',
    });
    const due = await seed({
      rewardOpenedAt: new Date(now - 10 * day).toISOString(),
      rewardDueAt: new Date(now + 2 * day).toISOString(),
      rewardAmountYuan: 800,
      rewardApproval: 'proposed',
    });
    const from = new Date(now - day).toISOString();
    const to = new Date(now + 5 * day).toISOString();
    const response = await h.app.inject({ method: 'GET', url: `/reports/rewards?from=${from}&to=${to}`, headers: credentials(keys.supervisor) });
    expect(response.statusCode, response.body).toBe(200);
    const { rewards, totals } = response.json<{
      rewards: { caseId: string; state: string; amountYuan: number | null; approval: string }[];
      totals: Record<string, number>;
    }>();
    const ids = rewards.map((r) => r.caseId);
    expect(ids.indexOf(overdue)).toBeLessThan(ids.indexOf(due));
    expect(rewards.find((r) => r.caseId === overdue)).toMatchObject({ state: 'overdue', amountYuan: null, approval: 'awaiting_proposal' });
    expect(rewards.find((r) => r.caseId === due)).toMatchObject({ state: 'due', amountYuan: 800, approval: 'proposed' });
    expect(totals.overdue).toBeGreaterThanOrEqual(1);
    expect(totals.amountDueYuan).toBeGreaterThanOrEqual(800);

    const csv = await h.app.inject({ method: 'GET', url: `/reports/rewards?from=${from}&to=${to}&format=csv`, headers: credentials(keys.supervisor) });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('兑付期限');
    expect(csv.body).toContain('已超期');
    expect((await h.app.inject({ method: 'GET', url: `/reports/rewards?from=${from}&to=${to}`, headers: credentials(keys.unitA) })).statusCode).toBe(403);
  });

  it('describes the new actions and routes in the OpenAPI document, the claim only as its public route', async () => {
    const paths = Object.keys((await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: object }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/complaints/{id}/reward/proposal', '/complaints/{id}/reward/approval', '/rewards/claim', '/reports/rewards']),
    );
    expect(paths).not.toContain('/complaints/{id}/reward/claim');
  });
});
