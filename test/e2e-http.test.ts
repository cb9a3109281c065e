import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

/** Over real HTTP on 127.0.0.1, as an integrator's client sees the service. */
let h: ApiHarness;
let base: string;

beforeAll(async () => {
  h = await startApiHarness('e2e');
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await h?.close();
});

async function call(method: string, path: string, key: string, body?: object) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...credentials(key), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { status?: string } };
}

describe('a case from submission to closed over HTTP', () => {
  it('registers, accepts, assigns, handles, calls back and closes', async () => {
    const created = await call('POST', '/complaints', keys.integrator, submission());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const steps: [string, string, object, string][] = [
      ['accept', keys.registrar, {}, 'accepted'],
      ['assign', keys.registrar, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } }, 'assigned'],
      ['acknowledge', keys.unitA, {}, 'in_progress'],
      ['result', keys.unitA, { finding: 'substantiated', actions: ['order_to_rectify'], reply: '已责令停产整改' }, 'callback'],
      ['callbacks', keys.registrar, { outcome: 'satisfied' }, 'closed'],
    ];
    for (const [path, key, body, status] of steps) {
      const response = await call('POST', `/complaints/${id}/${path}`, key, body);
      expect([path, response.status, response.body.status]).toEqual([path, 200, status]);
    }
    const view = await call('GET', `/complaints/${id}`, keys.integrator);
    expect(view.body).toMatchObject({ status: 'closed', onDuty: null, result: { onTime: true } });

    let kinds: string[] = [];
    const told = ['acceptance', 'assignment', 'case_assigned', 'result_reply', 'case_closed'];
    for (let i = 0; i < 100 && kinds.length < told.length; i++) {
      const notices = await call('GET', `/complaints/${id}/notices`, keys.registrar);
      kinds = (notices.body.notices as { kind: string }[]).map((n) => n.kind);
      if (kinds.length < told.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(kinds).toEqual(told);
  });
});
