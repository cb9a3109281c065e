import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmCodec } from '../lib/codec';
import { keys, startApiHarness, testPayloadKeys, type ApiHarness } from './helpers/api';
import { addPerson, signIn } from './helpers/people';
import { freePort } from './helpers/ports';

/**
 * Who the codec answers, as a browser calls it: the Web UI on the API's own origin (npm start,
 * api/routes/temporal-ui.ts) or on an origin of CODEC_CORS_ORIGINS (a deployed UI with "include
 * credentials"). Only an ops person's session or an ops key decodes; every answer to an allowed
 * origin, the refusals included, carries the CORS headers, or the UI could not show why it failed.
 * And what the API passes on to the UI server at /temporal/: none of the API's credentials.
 */
const uiOrigin = 'https://temporal.bureau.example';
/** Low, so a test reaches it; each test spends its own caller's budget. */
const perMinute = 5;

let h: ApiHarness;
let sealed: { payloads: { metadata: Record<string, string>; data: string }[] };
const secret = '夜间偷排，联系人 王五 13700000000';
let opsCookie: { cookie: string };
let registrarCookie: { cookie: string };

/**
 * What reaches the UI server behind /temporal/: a plain HTTP server that notes the headers it is
 * sent, standing where the Web UI stands (test/temporal-ui-browser.test.ts runs the real one).
 */
let uiServer: Server;
const uiRequests: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  uiServer = createServer((request, response) => {
    uiRequests.push(request.headers);
    response.setHeader('set-cookie', '_csrf=from-the-ui; Path=/; SameSite=Strict');
    response.end('<!doctype html><title>Temporal</title>');
  });
  await new Promise<void>((resolve) => uiServer.listen(0, '127.0.0.1', resolve));
  h = await startApiHarness('codec-browser', {
    env: { CODEC_CORS_ORIGINS: uiOrigin, TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${(uiServer.address() as AddressInfo).port}` },
    rateLimitPerMinute: perMinute,
  });
  // A payload as the service writes it into a history: encrypted with the deployment's key.
  const [payload] = await new AesGcmCodec(testPayloadKeys).encode([
    { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(secret)) },
  ]);
  sealed = {
    payloads: [
      {
        metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(payload!.data!).toString('base64'),
      },
    ],
  };
  const db = h.database.db;
  opsCookie = await signIn(h.app, await addPerson(db, { name: '运维值守', roles: ['ops'] }));
  registrarCookie = await signIn(h.app, await addPerson(db, { name: '登记员', roles: ['registrar'] }));
}, 120_000);

afterAll(async () => {
  await h?.close();
  uiServer?.close();
});

let address = 0;
/** The UI's call: POST with its query and namespace header, from `origin`, from an address of its own (the failed-login count is per address). */
function decode(headers: Record<string, string>, options: Partial<InjectOptions> = {}) {
  address += 1;
  return h.app.inject({
    method: 'POST',
    url: '/codec/decode?preserveStorageRefs=true',
    remoteAddress: `10.0.0.${address}`,
    payload: sealed,
    ...options,
    headers: { origin: uiOrigin, 'x-namespace': 'default', ...headers, ...options.headers },
  });
}

const plainText = (body: { payloads: { data: string }[] }) => Buffer.from(body.payloads[0]!.data, 'base64').toString('utf8');

function expectCors(response: Awaited<ReturnType<typeof decode>>) {
  expect(response.headers['access-control-allow-origin'], response.body).toBe(uiOrigin);
  expect(response.headers['access-control-allow-credentials']).toBe('true');
  expect(String(response.headers.vary)).toMatch(/Origin/);
}

describe('the codec, called from a browser', () => {
  it('decodes for a person signed in with the ops role, and for an ops key (the CLI)', async () => {
    for (const credentials of [opsCookie, { authorization: `Bearer ${keys.ops}` }]) {
      const response = await decode(credentials);
      expect(response.statusCode, response.body).toBe(200);
      expectCors(response);
      expect(plainText(response.json())).toBe(JSON.stringify(secret));
    }
  });

  it('refuses anyone else, with the CORS headers so the UI can say why: 401 without a session, 403 for a registrar', async () => {
    const anonymous = await decode({});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectCors(anonymous);
    expect(anonymous.body).not.toContain(secret);

    const ended = await decode({ cookie: 'complaints_session=no-such-session' });
    expect(ended.statusCode).toBe(401);
    expect(ended.json().detail).toMatch(/session has ended/);
    expectCors(ended);

    const registrar = await decode(registrarCookie);
    expect(registrar.statusCode).toBe(403);
    expectCors(registrar);
    expect(registrar.body).not.toContain(secret);

    const integrator = await decode({ authorization: `Bearer ${keys.integrator}` });
    expect(integrator.statusCode).toBe(403);
    expectCors(integrator);
  });

  it('answers a bad body (400) and another media type (415) with the CORS headers too', async () => {
    const bad = await decode(opsCookie, { payload: { payloads: 'x' } });
    expect(bad.statusCode).toBe(400);
    expectCors(bad);
    const text = await decode({ ...opsCookie, 'content-type': 'text/plain' }, { payload: JSON.stringify(sealed) });
    expect(text.statusCode).toBe(415);
    expectCors(text);
  });

  it('answers past the rate limit (429) with the CORS headers too', async () => {
    const busy = await signIn(h.app, await addPerson(h.database.db, { name: '运维二', roles: ['ops'] }));
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof decode>> | undefined;
    for (let call = 0; call <= perMinute && !limited; call++) {
      const response = await decode(busy);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
    }
    expect(statuses.slice(0, perMinute)).toEqual(Array.from({ length: perMinute }, () => 200));
    expect(limited?.statusCode).toBe(429);
    expectCors(limited!);
  });

  it('gives no CORS headers to an origin not allowed, whatever the answer', async () => {
    for (const credentials of [{}, opsCookie]) {
      const response = await decode({ ...credentials, origin: 'https://elsewhere.example' });
      // Without Access-Control-Allow-Origin the browser shows the answer to no page of that origin.
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('answers the preflight of an allowed origin, credentials allowed', async () => {
    const preflight = (origin: string) =>
      h.app.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight(uiOrigin);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(uiOrigin);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/x-namespace/);
    expect((await preflight('https://elsewhere.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the Web UI passed on at /temporal/', () => {
  it("gives the UI server none of the API's credentials: no session cookie, no key; its own cookie goes both ways", async () => {
    uiRequests.length = 0;
    const response = await h.app.inject({
      method: 'GET',
      url: '/temporal/namespaces/default/workflows',
      headers: { cookie: `${opsCookie.cookie}; _csrf=from-the-ui`, authorization: `Bearer ${keys.ops}`, 'x-api-key': keys.ops },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Temporal</title>');
    expect(response.cookies.map((c) => c.name)).toEqual(['_csrf']);
    expect(uiRequests).toHaveLength(1);
    const [sent] = uiRequests;
    expect(sent?.cookie).toBe('_csrf=from-the-ui');
    expect(sent?.authorization).toBeUndefined();
    expect(sent?.['x-api-key']).toBeUndefined();
  });

  it("spends nobody's rate limit: a page load is many requests", async () => {
    const statuses = new Set<number>();
    for (let request = 0; request < perMinute * 2; request++) {
      statuses.add((await h.app.inject({ method: 'GET', url: `/temporal/_app/${request}.js`, headers: opsCookie })).statusCode);
    }
    expect([...statuses]).toEqual([200]);
  });

  it('answers 503 problem+json when the UI does not answer', async () => {
    const down = await freePort();
    const harness = await startApiHarness('codec-browser-ui-down', { env: { TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${down}` } });
    try {
      const response = await harness.app.inject({ method: 'GET', url: '/temporal/' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().detail).toMatch(/Temporal Web UI does not answer/);
    } finally {
      await harness.close();
    }
  });
});
