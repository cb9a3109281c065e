import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import type { CaseView, TimelineEntryView } from '../api/case-view';
import { AesGcmCodec, dataConverterFor } from '../lib/codec';
import { workflowIdFor } from '../workflows/case';
import { credentials, keys, startApiHarness, submission, testPayloadKeys, type ApiHarness } from './helpers/api';
import { makeComplaint, workflowInput } from './helpers/cases';
import { createTestWorker } from './helpers/temporal';

let h: ApiHarness;
/** The same API with a deadline short enough that an action waiting on a stopped worker answers 503 soon. */
let short: ApiHarness;

beforeAll(async () => {
  [h, short] = await Promise.all([startApiHarness('idem-actions'), startApiHarness('idem-actions-short', { temporalDeadlineMs: 1500 })]);
});

afterAll(async () => {
  await Promise.all([h?.close(), short?.close()]);
});

function act(api: ApiHarness, id: string, path: string, key: string, payload: object, idempotencyKey?: string) {
  const headers = { ...credentials(key), ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }) };
  return api.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers, payload });
}

async function register(): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() });
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}

async function timeline(id: string, kind: string): Promise<TimelineEntryView[]> {
  const response = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
  expect(response.statusCode).toBe(200);
  return response.json<CaseView>().timeline.filter((e) => e.kind === kind);
}

const uniqueKey = (name: string) => `${name}-${process.pid}-${Date.now()}`;

describe('an action with an Idempotency-Key', () => {
  it('is applied once when retried, and the retry answers what the first call answered', async () => {
    const id = await register();
    const key = uniqueKey('evidence');
    const body = { message: '补充夜间排放视频', links: ['https://example.org/v/1'] };
    const first = await act(h, id, 'evidence', keys.integrator, body, key);
    expect(first.statusCode).toBe(200);
    // The same body with its keys in another order is the same request.
    const again = await act(h, id, 'evidence', keys.integrator, { links: body.links, message: body.message }, key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await timeline(id, 'follow_up')).toHaveLength(1);
  });

  it('is scoped to its caller: another caller with the same key makes an action of its own', async () => {
    const id = await register();
    const key = uniqueKey('shared');
    expect((await act(h, id, 'evidence', keys.integrator, { message: '来自热线' }, key)).statusCode).toBe(200);
    expect((await act(h, id, 'evidence', keys.registrar, { message: '来自热线' }, key)).statusCode).toBe(200);
    expect(new Set((await timeline(id, 'follow_up')).map((e) => e.actor)).size).toBe(2);
  });

  it('with another body is another action, judged on its own (the key is scoped to the body too)', async () => {
    const id = await register();
    const key = uniqueKey('reused');
    const first = await act(h, id, 'evidence', keys.integrator, { message: '第一条' }, key);
    const second = await act(h, id, 'evidence', keys.integrator, { message: '第二条' }, key);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect((await timeline(id, 'follow_up')).map((e) => e.note)).toEqual(['第一条', '第二条']);
    // And rejected like any other action when the case does not allow it.
    const refused = await act(h, id, 'evidence', keys.integrator, { links: [] }, key);
    expect(refused.statusCode).toBe(409);
  });

  it('without a key behaves as before: each call is an action', async () => {
    const id = await register();
    for (let i = 0; i < 2; i++) expect((await act(h, id, 'evidence', keys.integrator, { message: '同一条' })).statusCode).toBe(200);
    expect(await timeline(id, 'follow_up')).toHaveLength(2);
  });

  it('refuses a key with control characters or over 200 characters', async () => {
    const id = await register();
    for (const bad of ['a\u0001b', 'x'.repeat(201)]) {
      const response = await act(h, id, 'evidence', keys.integrator, { message: '补充' }, bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.json().type).toBe('/problems/validation');
    }
    expect(await timeline(id, 'follow_up')).toHaveLength(0);
  });
});

describe('a case whose worker this test stops and starts', () => {
  const taskQueue = `idem-actions-own-${process.pid}`;
  const dataConverter = dataConverterFor(new AesGcmCodec(testPayloadKeys));
  let worker: Worker | undefined;
  let running: Promise<void> = Promise.resolve();

  async function startWorker() {
    worker = await createTestWorker(h.env, { taskQueue, activities: createActivities(h.database), dataConverter });
    running = worker.run();
  }
  async function stopWorker() {
    worker?.shutdown();
    await running;
    worker = undefined;
  }
  /** A case on this test's own task queue; the API reaches it by its workflow id alone. */
  async function startCase(continueAsNewAfterEvents?: number): Promise<string> {
    // From a platform: it waits in the district queue, and the registrar's first move claims it.
    const complaint = makeComplaint({ firstReceiver: undefined, submittedBy: 'hotline' });
    await h.client.workflow.start('complaintWorkflow', {
      taskQueue,
      workflowId: workflowIdFor(complaint.id),
      args: [workflowInput(complaint, continueAsNewAfterEvents ? { continueAsNewAfterEvents } : {})],
    });
    return complaint.id;
  }

  beforeAll(startWorker);
  afterAll(stopWorker);

  it('applies a callback answered 503 during a worker outage once: the retry with the same key counts attempt 1', async () => {
    const id = await startCase();
    const steps: [string, string, object][] = [
      ['accept', keys.registrar, {}],
      ['assign', keys.registrar, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } }],
      ['acknowledge', keys.unitA, {}],
      ['result', keys.unitA, { finding: 'substantiated', actions: ['order_to_rectify'], reply: '已责令整改' }],
    ];
    for (const [path, key, body] of steps) expect([path, (await act(h, id, path, key, body)).statusCode]).toEqual([path, 200]);

    await stopWorker();
    const key = uniqueKey('callback');
    const body = { outcome: 'unreachable', note: '无人接听' };
    // Nobody runs the workflow: the API's deadline runs out and the outcome is unknown to the caller.
    const cut = await act(short, id, 'callbacks', keys.registrar, body, key);
    // 503 either way: the request's own deadline or Temporal's, whichever the API notices first.
    expect(cut.statusCode).toBe(503);

    await startWorker();
    // A client retries a 503 a bounded number of times; the worker may take a moment to be handed the case.
    let retried = await act(h, id, 'callbacks', keys.registrar, body, key);
    for (let i = 0; i < 5 && retried.statusCode === 503; i++) retried = await act(h, id, 'callbacks', keys.registrar, body, key);
    expect(retried.statusCode).toBe(200);
    const again = await act(h, id, 'callbacks', keys.registrar, body, key);
    expect(again.json()).toEqual(retried.json());

    const callbacks = await timeline(id, 'callback');
    expect(callbacks.map((e) => e.data?.attempt)).toEqual([1]);
  });

  it('does not know a key used before the workflow continued as new (the documented limit)', async () => {
    const id = await startCase(30);
    const first = (await h.client.workflow.getHandle(workflowIdFor(id)).describe()).runId;
    const key = uniqueKey('before-can');
    expect((await act(h, id, 'evidence', keys.integrator, { message: '继续前' }, key)).statusCode).toBe(200);
    // Actions without a key grow the history past the limit. The workflow looks at its history
    // length when an action wakes it and continues as new once its outbox is drained, so past the
    // limit each action is followed by a pause for that (all bounded).
    const handle = h.client.workflow.getHandle(workflowIdFor(id));
    let runId = first;
    for (let i = 0; i < 40 && runId === first; i++) {
      expect((await act(h, id, 'evidence', keys.registrar, { message: `填充 ${i}` })).statusCode).toBe(200);
      for (let j = 0; j < 30 && runId === first; j++) {
        const run = await handle.describe();
        runId = run.runId;
        if (run.historyLength < 30) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(runId).not.toBe(first);
    expect((await act(h, id, 'evidence', keys.integrator, { message: '继续前' }, key)).statusCode).toBe(200);
    expect((await timeline(id, 'follow_up')).filter((e) => e.note === '继续前')).toHaveLength(2);
  });
});
