import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebhookPosters } from '../lib/webhook-posters';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { eventually } from './helpers/people';
import { unitA } from './helpers/cases';

interface Message {
  id: string;
  type: string;
  data: { caseId: string; seq: number; kind: string; at: string };
}

/**
 * An integrator's receiver on 127.0.0.1. It verifies each message as the Standard Webhooks
 * specification writes it, with nothing of the service's: HMAC-SHA256, keyed with the secret's
 * base64 after `whsec_`, over `<webhook-id>.<webhook-timestamp>.<body>`; one of the space-separated
 * `v1,<base64>` signatures must match, and the timestamp be within five minutes.
 */
class Receiver {
  secret = '';
  /** What it answers besides 2xx: an outage, or a refusal. */
  failWith: number | undefined;
  readonly verified: Message[] = [];
  readonly attempts = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  verify(id: string, timestamp: string, body: string, signatures: string): boolean {
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
    return signatures.split(' ').some((s) => {
      const [version, value] = s.split(',');
      const given = Buffer.from(value ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const id = String(request.headers['webhook-id']);
        this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
        if (this.failWith) return void response.writeHead(this.failWith).end('unavailable');
        if (!this.verify(id, String(request.headers['webhook-timestamp']), body, String(request.headers['webhook-signature']))) {
          return void response.writeHead(401).end('bad signature');
        }
        this.verified.push({ id, ...(JSON.parse(body) as Omit<Message, 'id'>) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  of(caseId: string): Message[] {
    return this.verified.filter((m) => m.data.caseId === caseId);
  }
}

let h: ApiHarness;
const receiver = new Receiver();
const subscription = `wechat-${process.pid}`;
/** The WeChat bot's key: its subscription hears of the cases it registered. */
const wechat = credentials(keys.otherIntegrator);

beforeAll(async () => {
  await receiver.start();
  h = await startApiHarness('webhooks', { env: { WEBHOOK_POLL_MS: '200', WEBHOOK_GIVE_UP_SECONDS: '2' } });
  const made = await h.app.inject({ method: 'PUT', url: `/webhooks/${subscription}`, headers: wechat, payload: { url: receiver.url } });
  expect(made.statusCode, made.body).toBe(201);
  receiver.secret = made.json<{ secret: string }>().secret;
});

afterAll(async () => {
  // Switched off, its poster ends rather than polling on after the test.
  await h?.app.inject({ method: 'PUT', url: `/webhooks/${subscription}`, headers: wechat, payload: { url: receiver.url, active: false } });
  await h?.close();
  await receiver.stop();
});

async function registered(): Promise<string> {
  const response = await h.app.inject({ method: 'POST', url: '/complaints', headers: wechat, payload: submission({ channel: 'wechat' }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

describe('webhooks', () => {
  it("posts each change of the integrator's cases in order, signed as Standard Webhooks specifies", async () => {
    const id = await registered();
    for (const [action, payload] of [
      ['accept', {}],
      ['assign', { unit: unitA }],
    ] as const) {
      const response = await h.app.inject({ method: 'POST', url: `/complaints/${id}/${action}`, headers: credentials(keys.registrar), payload });
      expect(response.statusCode, response.body).toBe(200);
    }
    const messages = await eventually(
      async () => receiver.of(id),
      (m) => m.some((x) => x.data.kind === 'assigned'),
      'the assignment posted',
    );
    expect(messages.map((m) => m.data.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(messages.map((m) => m.id)).toEqual(messages.map((m) => `${id}:${m.data.seq}`));
    expect(messages.map((m) => m.type)).toEqual(expect.arrayContaining(['case.registered', 'case.accepted', 'case.assigned']));
    // Only the subscriber's cases: one the hotline registered is not posted to it.
    const other = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() });
    const otherId = other.json<{ id: string }>().id;
    const marker = await registered();
    await eventually(
      async () => receiver.of(marker),
      (m) => m.length > 0,
      'a later case posted',
    );
    expect(receiver.of(otherId)).toEqual([]);
  });

  it('signs with the old and the new secret while a rotation lasts', async () => {
    const rotated = await h.app.inject({ method: 'POST', url: `/webhooks/${subscription}/secret`, headers: wechat });
    expect(rotated.statusCode, rotated.body).toBe(200);
    // The receiver switches to the new secret at once: the message still verifies.
    receiver.secret = rotated.json<{ secret: string }>().secret;
    const id = await registered();
    await eventually(
      async () => receiver.of(id),
      (m) => m.length > 0,
      'a message verified with the new secret',
    );
  });

  it('retries a receiver that is away, gives the message up, and ops post it again', async () => {
    receiver.failWith = 503;
    const id = await registered();
    const failures = await eventually(
      async () =>
        (await h.app.inject({ method: 'GET', url: '/webhooks/failures', headers: credentials(keys.ops) })).json<{
          items: { id: string; messageId: string; lastError: string }[];
        }>(),
      (r) => r.items.some((f) => f.messageId === `${id}:1`),
      'the message given up',
    );
    const failure = failures.items.find((f) => f.messageId === `${id}:1`)!;
    expect(failure.lastError).toContain('503');
    expect(receiver.attempts.get(`${id}:1`)).toBeGreaterThanOrEqual(2);
    expect(receiver.of(id)).toEqual([]);

    receiver.failWith = undefined;
    const resent = await h.app.inject({ method: 'POST', url: `/webhooks/failures/${encodeURIComponent(failure.id)}/resend`, headers: credentials(keys.ops) });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(receiver.of(id).map((m) => m.id)).toEqual([`${id}:1`]);
    const after = (await h.app.inject({ method: 'GET', url: '/webhooks/failures', headers: credentials(keys.ops) })).json<{ items: { id: string }[] }>();
    expect(after.items.map((f) => f.id)).not.toContain(failure.id);
  });

  it('starts a poster that was ended again when the worker starts, and it goes on from its cursor', async () => {
    await h.client.workflow.getHandle(`webhooks-${subscription}`).terminate('ended by hand');
    const meanwhile = await registered();
    expect(await ensureWebhookPosters(h.client, h.database.db, h.app.deps.config)).toBeGreaterThanOrEqual(1);
    await eventually(
      async () => receiver.of(meanwhile),
      (m) => m.length > 0,
      'the change made while no poster ran',
    );
  });

  it('refuses a URL that is not http(s), naming the field, and another integrator’s subscription', async () => {
    const bad = await h.app.inject({ method: 'PUT', url: `/webhooks/${subscription}`, headers: wechat, payload: { url: 'ftp://example.org/x' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('url');
    const theirs = await h.app.inject({
      method: 'PUT',
      url: `/webhooks/${subscription}`,
      headers: credentials(keys.integrator),
      payload: { url: receiver.url },
    });
    expect(theirs.statusCode).toBe(409);
  });
});
