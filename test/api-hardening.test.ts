import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FailedLogins } from '../api/failed-logins';
import { patterns } from '../api/schemas';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';

/**
 * Issue 11, item 3 and the edge of items 1 and 5: bad input answers 4xx problem+json naming the
 * field, never a 500, and guessing keys from one address is slowed, then refused.
 */

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('api-hardening');
});

afterAll(async () => {
  await h?.close();
});

// Any well-formed id: validation answers before the handler looks the case up.
const someCase = '20260101-0000000000';

async function call(options: InjectOptions) {
  return h.app.inject(options);
}

/** A 400 problem+json whose `errors` name `field` with `message`. */
async function expectRefused(options: InjectOptions, field: string, message: string = patterns.line.message) {
  const response = await call(options);
  expect(response.statusCode, `${JSON.stringify(options)} → ${response.body}`).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().type).toBe('/problems/validation');
  expect(response.json().errors).toContainEqual({ field, message });
}

describe('text at the edge', () => {
  it('compiles to a pattern that, with the u flag, refuses control characters and lone surrogates only', () => {
    const many = new RegExp(patterns.text.pattern, 'u');
    const one = new RegExp(patterns.line.pattern, 'u');
    for (const ok of ['化工厂夜间排放', '𠀀 rare hanzi', '😀 emoji', 'a\\b %_']) {
      expect(many.test(ok), ok).toBe(true);
      expect(one.test(ok), ok).toBe(true);
    }
    expect(many.test('line 1\nline 2\tend')).toBe(true);
    expect(one.test('line 1\nline 2')).toBe(false);
    expect(one.test('a\tb')).toBe(false);
    for (const bad of ['a\u0000b', '\u001b[31m', 'a\rb', 'x\u007f', 'a\uD800b', '\uDC00', 'x\uD83D', '\uDE00\uD83D']) {
      expect(many.test(bad), JSON.stringify(bad)).toBe(false);
      expect(one.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses control characters and lone surrogates in a submission, naming each field', async () => {
    const body = submission({
      description: '夜间排放\u0000',
      category: 'water\nodour',
      polluter: 'a\uD800b',
      industry: 'chem\u007f',
      location: { address: '城南路\u001b18号', district: 'nan\tcheng' },
      complainant: { anonymous: false, name: '王\u0007五' },
      externalId: 'ext\u0000',
    });
    const response = await call({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'description', message: patterns.text.message },
        { field: 'category', message: patterns.line.message },
        { field: 'polluter', message: patterns.line.message },
        { field: 'industry', message: patterns.line.message },
        { field: 'location.address', message: patterns.line.message },
        { field: 'location.district', message: patterns.line.message },
        { field: 'complainant.name', message: patterns.line.message },
        { field: 'externalId', message: patterns.line.message },
      ]),
    );
  });

  it('accepts several lines, tabs, emoji and rare hanzi where text may have them', async () => {
    const response = await call({
      method: 'POST',
      url: '/complaints',
      headers: credentials(keys.integrator),
      payload: submission({ description: '第一行：河道发黑\n第二行：\t气味刺鼻 😷 𠀀', polluter: '某印染厂 😷' }),
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuses them in every free-text field of the actions', async () => {
    const unit = { id: 'unit-a', name: '南城分局', level: 'district' };
    const cases: [path: string, key: string, body: object, field: string, message?: string][] = [
      ['evidence', keys.integrator, { message: '补充\u0000' }, 'message', patterns.text.message],
      ['withdraw', keys.integrator, { reason: '\uDFFF' }, 'reason', patterns.text.message],
      ['accept', keys.registrar, { note: 'ok\u0008' }, 'note', patterns.text.message],
      ['transfer-out', keys.registrar, { department: '城管\n局', reason: '不属本局' }, 'department'],
      ['assign', keys.registrar, { unit, dutyOfficer: '张\u0000' }, 'dutyOfficer'],
      ['assign', keys.registrar, { unit: { ...unit, id: 'unit\u0000a' } }, 'unit.id'],
      ['assign', keys.registrar, { unit: { ...unit, name: '南城\t分局' } }, 'unit.name'],
      ['result', keys.unitA, { finding: 'substantiated', actions: ['inspection'], reply: '已整改\u001f' }, 'reply', patterns.text.message],
      ['reward-payment', keys.supervisor, { reference: 'PAY\u0000' }, 'reference'],
      ['overrides/escalate', keys.supervisor, { reason: '升级', owners: [{ leaderId: 'leader\u00001', kind: 'system' }] }, 'owners.0.leaderId'],
    ];
    for (const [path, key, payload, field, message] of cases) {
      await expectRefused({ method: 'POST', url: `/complaints/${someCase}/${path}`, headers: credentials(key), payload }, field, message);
    }
  });

  it('refuses them in list filters and report queries, which answered 500 before', async () => {
    for (const field of ['district', 'unit', 'category', 'text']) {
      await expectRefused({ method: 'GET', url: `/complaints?${field}=a%00b`, headers: credentials(keys.ops) }, field);
    }
    for (const field of ['district', 'unit']) {
      await expectRefused({ method: 'GET', url: `/reports/kpi?from=2026-01-01&to=2026-01-31&${field}=a%00b`, headers: credentials(keys.ops) }, field);
    }
  });

  it('refuses them in the leader directory, in the path as in the body', async () => {
    const put = (id: string, payload: object) => ({ method: 'PUT' as const, url: `/leaders/${id}`, headers: credentials(keys.ops), payload });
    await expectRefused(put('abc%00def', { name: '王科长', tier: 1 }), 'id');
    await expectRefused(put('chief-x', { name: '王\u0000', tier: 1 }), 'name');
    await expectRefused(put('chief-x', { name: '王科长', tier: 1, district: 'nan\u0000' }), 'district');
  });

  it('publishes the rule in the OpenAPI document, for clients and fuzzers', async () => {
    const spec = (await call({ method: 'GET', url: '/openapi.json' })).body;
    // The document is JSON, so each pattern appears JSON-escaped.
    expect(spec).toContain(JSON.stringify(patterns.text.pattern));
    expect(spec).toContain(JSON.stringify(patterns.line.pattern));
    expect(spec).toContain(JSON.stringify(patterns.dayOrInstant.pattern));
  });
});

describe('dates out of range', () => {
  const get = (url: string) => ({ method: 'GET' as const, url, headers: credentials(keys.ops) });

  it('refuses years before 2000 and after 2100 in list filters, report periods, months and spot checks', async () => {
    const { message: dayOrInstant } = patterns.dayOrInstant;
    await expectRefused(get('/complaints?createdFrom=0001-01-01'), 'createdFrom', dayOrInstant);
    await expectRefused(get('/complaints?createdTo=9999-12-31T23:59:59Z'), 'createdTo', dayOrInstant);
    await expectRefused(get('/reports/kpi?from=0001-01-01&to=2026-01-01'), 'from', dayOrInstant);
    await expectRefused(get('/reports/kpi?from=2026-01-01&to=9999-12-31T23:59:59Z'), 'to', dayOrInstant);
    await expectRefused(get('/reports/hotspots?from=1999-12-31&to=2026-01-01'), 'from', dayOrInstant);
    await expectRefused(get('/reports/monthly?month=0000-01'), 'month', patterns.month.message);
    await expectRefused(get('/reports/monthly?month=9999-12'), 'month', patterns.month.message);
    await expectRefused(
      { method: 'POST', url: '/spot-checks', headers: credentials(keys.ops), payload: { day: '0001-01-01', rate: 0 } },
      'day',
      patterns.day.message,
    );
  });

  it('accepts the first and the last day of the range', async () => {
    expect((await call(get('/complaints?createdFrom=2000-01-01&createdTo=2100-12-31'))).statusCode).toBe(200);
    expect((await call(get('/reports/kpi?from=2000-01-01&to=2100-12-31T23:59:59Z'))).statusCode).toBe(200);
    expect((await call(get('/reports/hotspots?from=2000-01-01&to=2100-12-31'))).statusCode).toBe(200);
    expect((await call(get('/reports/monthly?month=2100-12'))).statusCode).toBe(200);
  });

  it('refuses a forged cursor with a NUL in its id or a year Postgres cannot take', async () => {
    for (const forged of [
      ['2026-01-01T00:00:00.000Z', 'a\u0000b'],
      ['+275760-09-13T00:00:00.000Z', 'a'],
      ['0000-06-01T00:00:00.000Z', 'a'],
    ]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      await expectRefused(get(`/complaints?cursor=${cursor}`), 'cursor', 'is invalid');
    }
  });
});

describe('the list text filter', () => {
  it('matches %, _ and \\ literally, not as ILIKE wildcards', async () => {
    const token = `lit${process.pid}${Date.now()}`;
    const polluter = `${token} 50%_off\\x`;
    const registered = await call({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission({ polluter }) });
    expect(registered.statusCode).toBe(201);
    const ids = async (text: string) => {
      const response = await call({ method: 'GET', url: `/complaints?text=${encodeURIComponent(text)}`, headers: credentials(keys.ops) });
      expect(response.statusCode).toBe(200);
      return (response.json().items as { id: string }[]).map((c) => c.id);
    };
    const { id } = registered.json();
    // The read side is filled by the workflow just after the intake: a bounded wait for it.
    await vi.waitFor(async () => expect(await ids(polluter)).toEqual([id]), { timeout: 10_000, interval: 100 });
    expect(await ids(`${token} 50%_`)).toEqual([id]);
    // As wildcards, each of these would match the polluter; taken literally, none does.
    expect(await ids(`${token} 5_%`)).toEqual([]);
    expect(await ids(`${token}%off`)).toEqual([]);
    expect(await ids(`${token} 50__off`)).toEqual([]);
    expect(await ids(`${token} 50%_off\\\\x`)).toEqual([]);
  });

  it('finds a case by two Chinese characters, or one, in its address or polluter, and never by pieces of both', async () => {
    const token = `zh${process.pid}${Date.now()}`;
    const payload = submission({ polluter: `${token} 莓果加工厂`, location: { address: `${token} 号蓝莓园`, district: 'nancheng' } });
    const registered = await call({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload });
    expect(registered.statusCode).toBe(201);
    const { id } = registered.json();
    const ids = async (text: string) => {
      const response = await call({ method: 'GET', url: `/complaints?text=${encodeURIComponent(text)}&limit=100`, headers: credentials(keys.ops) });
      expect(response.statusCode).toBe(200);
      return (response.json().items as { id: string }[]).map((c) => c.id);
    };
    await vi.waitFor(async () => expect(await ids(`${token} 号`)).toEqual([id]), { timeout: 10_000, interval: 100 });
    expect(await ids('蓝莓')).toContain(id);
    expect(await ids('加工厂')).toContain(id);
    expect(await ids('莓')).toContain(id);
    // 蓝莓 is in the address and 莓果 in the polluter: both halves are there, the term is not.
    expect(await ids('蓝莓果')).not.toContain(id);
  });
});

describe('the codec endpoint', () => {
  const post = (path: 'decode' | 'encode', payload: object) => call({ method: 'POST', url: `/codec/${path}`, headers: credentials(keys.ops), payload });

  it('answers an empty list for {} (what the Temporal CLI sends) and for an empty list', async () => {
    for (const body of [{}, { payloads: [] }]) {
      for (const path of ['decode', 'encode'] as const) {
        const response = await post(path, body);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ payloads: [] });
      }
    }
  });

  it('answers 400 naming the payload it cannot decrypt, and still decodes good ones', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"秘密"').toString('base64') };
    const encoded = await post('encode', { payloads: [plain] });
    expect(encoded.statusCode).toBe(200);
    const [sealed] = encoded.json().payloads as { metadata: Record<string, string>; data: string }[];
    expect((await post('decode', { payloads: [sealed] })).json()).toEqual({ payloads: [plain] });

    const tampered = { ...sealed, data: Buffer.from('not the ciphertext').toString('base64') };
    const unknownKey = { ...sealed, metadata: { ...sealed?.metadata, 'encryption-key-id': Buffer.from('nope').toString('base64') } };
    for (const bad of [tampered, unknownKey]) {
      const response = await post('decode', { payloads: [sealed, bad] });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors).toEqual([{ field: 'payloads.1', message: expect.stringMatching(/cannot be decrypted/) }]);
    }
  });

  it('answers 400 for metadata or data that is not base64, whatever the metadata key (was a 500)', async () => {
    // The fuzzer's case: a key with a line break escaped the check of its value.
    expect((await post('decode', { payloads: [{ metadata: { '\nx': -5 }, data: 'AA==' }] })).statusCode).toBeLessThan(500);
    for (const payload of [{ metadata: { '\nx': -5.5 }, data: 'AA==' }, { metadata: { encoding: 'not base64!' } }, { data: '#' }]) {
      for (const path of ['decode', 'encode'] as const) {
        const response = await post(path, { payloads: [payload] });
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().type).toBe('/problems/validation');
      }
    }
  });
});

describe('request ids', () => {
  const withId = (id: string) => call({ method: 'GET', url: '/complaints?limit=1', headers: { ...credentials(keys.ops), 'x-request-id': id } });
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('echoes a safe request id', async () => {
    const response = await withId('hotline-2026.11:abc_1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('hotline-2026.11:abc_1');
  });

  it('replaces one that is too long or holds other characters with a generated one', async () => {
    for (const id of ['x'.repeat(129), 'a b', '<script>', 'id,with,commas', '请求']) {
      const response = await withId(id);
      expect(response.statusCode, id).toBe(200);
      expect(response.headers['x-request-id'], id).toMatch(uuid);
    }
    expect((await withId('x'.repeat(128))).headers['x-request-id']).toBe('x'.repeat(128));
  });
});

describe('the credentials scheme', () => {
  it('is case-insensitive (RFC 7235)', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const response = await call({ method: 'GET', url: '/complaints?limit=1', headers: { authorization: `${scheme} ${keys.ops}` } });
      expect(response.statusCode, scheme).toBe(200);
    }
  });
});

describe("Fastify's own errors", () => {
  const expectProblem = (response: Awaited<ReturnType<typeof call>>, status: number, type: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: `/problems/${type}`, status });
  };

  it('answers problem+json for bad JSON, an unknown route, a large body, a long path segment, a bad escape and another media type', async () => {
    const json = { ...credentials(keys.integrator), 'content-type': 'application/json' };
    expectProblem(await call({ method: 'POST', url: '/complaints', headers: json, payload: '{"bad' }), 400, 'validation');
    expectProblem(await call({ method: 'GET', url: '/nowhere', headers: credentials(keys.ops) }), 404, 'not-found');
    expectProblem(
      await call({ method: 'POST', url: '/complaints', headers: json, payload: JSON.stringify({ x: 'x'.repeat(300 * 1024) }) }),
      413,
      'payload-too-large',
    );
    expectProblem(await call({ method: 'GET', url: `/complaints/${'a'.repeat(150)}`, headers: credentials(keys.ops) }), 414, 'uri-too-long');
    expectProblem(await call({ method: 'GET', url: '/complaints/%zz', headers: credentials(keys.ops) }), 400, 'validation');
    expectProblem(
      await call({ method: 'POST', url: '/complaints', headers: { ...credentials(keys.integrator), 'content-type': 'text/xml' }, payload: '<a/>' }),
      415,
      'unsupported-media-type',
    );
  });

  it("answers the rate limiter's 429 as problem+json with Retry-After", async () => {
    const limited = await startApiHarness('api-hardening-rate', { rateLimitPerMinute: 1 });
    try {
      const get = () => limited.app.inject({ method: 'GET', url: '/complaints?limit=1', headers: credentials(keys.ops) });
      expect((await get()).statusCode).toBe(200);
      const refused = await get();
      expectProblem(refused, 429, 'rate-limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('answers what the HTTP parser refuses as problem+json too (URL over 16 KiB: 431; not HTTP: 400)', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;

    const long = httpRequest({ host: '127.0.0.1', port, path: `/complaints?text=${'a'.repeat(20_000)}`, headers: credentials(keys.ops) });
    long.end();
    const [response] = (await once(long, 'response')) as [import('node:http').IncomingMessage];
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(response.statusCode).toBe(431);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ type: '/problems/headers-too-large', status: 431 });

    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('NOT HTTP AT ALL\r\n\r\n');
    let raw = '';
    for await (const chunk of socket) raw += String(chunk);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: '/problems/validation', status: 400 });
  });

  it('declares application/problem+json, and only that, for every error response in the OpenAPI document', async () => {
    type Response = { content?: Record<string, unknown> };
    const spec = (await call({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
    }>();
    const errors = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([code]) => /^[45]/.test(code))
          .map(([code, response]) => ({ at: `${method} ${path} ${code}`, types: Object.keys(response.content ?? {}) })),
      ),
    );
    expect(errors.length).toBeGreaterThan(50);
    expect(errors.filter((e) => e.types.join() !== 'application/problem+json')).toEqual([]);
  });

  it('still serializes a problem by its schema: a validation problem keeps its errors', async () => {
    const response = await call({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: { channel: 'pigeon' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().errors).toContainEqual({ field: 'channel', message: expect.any(String) });
  });
});

describe('failed logins', () => {
  it('slows an address after 5 failures, refuses it after 10 until the window passes, and leaves others alone', () => {
    let now = 1_000_000;
    const failures = new FailedLogins(undefined, () => now);
    const delays = Array.from({ length: 10 }, () => failures.fail('10.0.0.1'));
    expect(delays).toEqual([0, 0, 0, 0, 0, 100, 200, 300, 400, 500]);
    expect(failures.refusedFor('10.0.0.1')).toBe(60);
    expect(failures.refusedFor('10.0.0.2')).toBeUndefined();
    now += 59_001;
    expect(failures.refusedFor('10.0.0.1')).toBe(1);
    now += 999;
    expect(failures.refusedFor('10.0.0.1')).toBeUndefined();
    expect(failures.fail('10.0.0.1')).toBe(0);
  });

  it('keeps at most maxAddresses windows, dropping the oldest', () => {
    const failures = new FailedLogins({ limit: 1, windowMs: 60_000, slowAfter: 0, delayStepMs: 0, maxAddresses: 2 });
    for (const address of ['a', 'b', 'c']) failures.fail(address);
    expect(failures.refusedFor('a')).toBeUndefined();
    expect(failures.refusedFor('b')).toBeDefined();
    expect(failures.refusedFor('c')).toBeDefined();
  });

  it('answers 429 with Retry-After to an address after 10 wrong keys, but its valid keys and other addresses still pass', async () => {
    const from = (remoteAddress: string, headers: Record<string, string>) => call({ method: 'GET', url: '/complaints?limit=1', remoteAddress, headers });
    const guesser = '198.51.100.7';
    const codes: number[] = [];
    let lastMs = 0;
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      codes.push((await from(guesser, credentials(`guess-${i}`))).statusCode);
      lastMs = performance.now() - started;
    }
    expect(codes).toEqual(Array(10).fill(401));
    // The 10th failure waits 500 ms before its 401 (timers never fire early by more than 1 ms).
    expect(lastMs).toBeGreaterThanOrEqual(490);

    const refused = await from(guesser, credentials('guess-10'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().type).toBe('/problems/too-many-failed-logins');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect((await from(guesser, credentials(keys.ops))).statusCode).toBe(200);
    expect((await from(guesser, { 'x-api-key': keys.integrator })).statusCode).toBe(200);
    // A person's session from the same address is no guess either.
    expect((await from(guesser, credentials(keys.supervisor))).statusCode).toBe(200);
    // No key at all is no attempt: a plain 401, not counted.
    expect((await from(guesser, {})).statusCode).toBe(401);
    expect((await from('198.51.100.8', credentials('guess'))).statusCode).toBe(401);
  });
});
