import { readFileSync, existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newKeyEntry, parsePayloadKeys } from '../lib/codec';
import { createLogger } from '../lib/logger';
import { credentials, keys, startApiHarness, submission, testPayloadKeys, type ApiHarness } from './helpers/api';

/**
 * Complainants are confidential: their identity and contact, and all free text, must never be
 * readable in Temporal's history, the dev server's database file or the logs.
 */
let h: ApiHarness;
const name = `保密人${Date.now() % 100_000}`;
const phone = `139${String(Date.now()).slice(-8)}`;
let caseId = '';

beforeAll(async () => {
  h = await startApiHarness('confidential');
  const created = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(keys.integrator),
    payload: submission({ complainant: { anonymous: false, name, phone }, description: `夜间偷排，联系人 ${name}` }),
  });
  caseId = created.json().id;
  const steps: [string, string, object][] = [
    ['accept', keys.registrar, {}],
    ['assign', keys.registrar, { unit: { id: 'unit-a', name: '南城分局', level: 'district' } }],
    // An order to rectify: a penalty would earn a reward, whose reporter only the policy's readers may unmask.
    ['result', keys.unitA, { finding: 'substantiated', actions: ['order_to_rectify'], reply: `已回复 ${name}` }],
  ];
  for (const [path, key, payload] of steps) {
    const response = await h.app.inject({ method: 'POST', url: `/complaints/${caseId}/${path}`, headers: credentials(key), payload });
    expect(response.statusCode).toBe(200);
  }
});

afterAll(async () => {
  await h?.close();
});

/** The complainant in full, as a registrar who says why reads it. */
async function unmask(): Promise<unknown> {
  const response = await h.app.inject({
    method: 'POST',
    url: `/complaints/${caseId}/identity`,
    headers: credentials(keys.registrar),
    payload: { reason: '回访核实' },
  });
  expect(response.statusCode).toBe(200);
  return response.json().complainant;
}

/** The history as the server stores and serves it, with no codec: proto bytes. */
async function rawHistory(): Promise<Buffer> {
  const plain = new Client({ connection: h.env.connection });
  const history = await plain.workflow.getHandle(`complaint-${caseId}`).fetchHistory();
  return Buffer.from(temporal.api.history.v1.History.encode(temporal.api.history.v1.History.fromObject(history)).finish());
}

describe('confidentiality of complainants', () => {
  it('keeps name and phone out of the raw history, which the codec client still reads', async () => {
    const raw = await rawHistory();
    // The search works: the workflow type is stored in the clear.
    expect(raw.includes(Buffer.from('complaintWorkflow'))).toBe(true);
    expect(raw.includes(Buffer.from(phone))).toBe(false);
    expect(raw.includes(Buffer.from(name))).toBe(false);
    // Views mask the complainant for everyone; a registrar unmasks with a reason (test/identity-reads.test.ts).
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${caseId}`, headers: credentials(keys.registrar) });
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain(phone);
    expect(await unmask()).toMatchObject({ name, phone });
  });

  it("keeps them out of the dev server's database file", () => {
    const file = inject('temporalDbFile');
    const bytes = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from(`complaint-${caseId}`))).toBe(true);
    expect(bytes.includes(Buffer.from(phone))).toBe(false);
    expect(bytes.includes(Buffer.from(name))).toBe(false);
  });

  it('puts no personal data in search attributes or memo', async () => {
    const description = await h.client.workflow.getHandle(`complaint-${caseId}`).describe();
    const visible = JSON.stringify({ memo: description.memo, attributes: description.typedSearchAttributes });
    expect(visible).toContain('callback');
    expect(visible).not.toContain(phone);
    expect(visible).not.toContain(name);
  });

  it('decodes through the codec endpoint for ops only', async () => {
    const history = JSON.parse(historyToJSON(temporal.api.history.v1.History.decode(await rawHistory())));
    const input = history.events[0].workflowExecutionStartedEventAttributes.input;
    const call = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/codec/decode', headers: { ...headers, 'x-namespace': 'default' }, payload: input });
    expect((await call({})).statusCode).toBe(401);
    expect((await call(credentials(keys.registrar))).statusCode).toBe(403);
    const decoded = await call(credentials(keys.ops));
    expect(decoded.statusCode).toBe(200);
    const data = Buffer.from(decoded.json().payloads[0].data, 'base64').toString('utf8');
    expect(data).toContain(phone);

    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
  });

  it('never writes the complainant to a log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ nodeEnv: 'production', logLevel: 'info' }, sink);
    logger.info({ complainant: { name, phone }, complaint: { complainant: { name, phone } } }, 'registered');
    logger.info({ req: { headers: { authorization: `Bearer ${keys.ops}` } } }, 'request');
    const text = lines.join('');
    expect(text).toContain('registered');
    expect(text).not.toContain(phone);
    expect(text).not.toContain(name);
    expect(text).not.toContain(keys.ops);
  });

  // Last: it replaces the harness with one whose workers hold the rotated keys.
  it('keeps running a case started under the old key after a new key becomes current', async () => {
    const rotated = parsePayloadKeys(`test-1:${testPayloadKeys.keys.get('test-1')!.toString('base64')},${newKeyEntry('test-2')}`);
    expect(rotated.current).toBe('test-2');
    await h.close();
    // Same task queue: the case is now run by workers that hold both keys and write with the new one.
    h = await startApiHarness('confidential', { payloadKeys: rotated });
    const response = await h.app.inject({
      method: 'POST',
      url: `/complaints/${caseId}/callbacks`,
      headers: credentials(keys.registrar),
      payload: { outcome: 'satisfied' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'closed' });
    expect(await unmask()).toMatchObject({ name, phone });
    const history = historyToJSON(temporal.api.history.v1.History.decode(await rawHistory()));
    const keyIds = [...history.matchAll(/"encryption-key-id":\s*"([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString());
    expect(keyIds[0]).toBe('test-1');
    expect(keyIds.at(-1)).toBe('test-2');
    expect(new Set(keyIds)).toEqual(new Set(['test-1', 'test-2']));
  });
});
