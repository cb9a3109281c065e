import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenerApplicationName } from '../db/case-changes';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, signIn } from './helpers/people';

/**
 * GET /events over a real HTTP listener: the read side's NOTIFY, one LISTEN connection per API
 * process, fanned out to each stream by its person's scope; sign-out and the app's close end it.
 */
let h: ApiHarness;
let base: string;
/** Registrars of one district each (their unit's jurisdiction), and a unit handler. */
const who: Record<'nancheng' | 'dongcheng' | 'unitA', { cookie: string }> = {} as never;
const opened: Stream[] = [];

beforeAll(async () => {
  h = await startApiHarness('events');
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const db = h.database.db;
  who.nancheng = await signIn(h.app, await addPerson(db, { name: '南城登记', roles: ['registrar'], unitId: 'unit-a' }));
  who.dongcheng = await signIn(h.app, await addPerson(db, { name: '东城登记', roles: ['registrar'], unitId: 'dongcheng' }));
  who.unitA = await signIn(h.app, await addPerson(db, { name: '南城办理', roles: ['unit'], unitId: 'unit-a' }));
});

afterAll(async () => {
  for (const stream of opened) stream.abort();
  await h?.close();
});

interface Received {
  event: string;
  data: unknown;
}

/** An open event stream, read as a browser's EventSource would, keeping every event it got. */
interface Stream {
  status: number;
  events: Received[];
  /** Settles when the server ends the stream. */
  ended: Promise<void>;
  abort(): void;
}

async function open(headers: Record<string, string>): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${base}/events`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: Received[] = [];
  const read = async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event) events.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
      }
    }
  };
  const stream: Stream = { status: response.status, events, ended: read().catch(() => undefined), abort: () => controller.abort() };
  opened.push(stream);
  return stream;
}

const named = (stream: Stream, event: string) => stream.events.filter((e) => e.event === event);
const moves = (stream: Stream, id: string) =>
  named(stream, 'case')
    .map((e) => e.data as { id: string; status: string; version: number; at: string })
    .filter((d) => d.id === id);

async function register(district: string): Promise<string> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(keys.integrator),
    payload: submission({ location: { address: `${district} 河道 ${Date.now()}-${Math.random()}`, district } }),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

describe('GET /events', () => {
  it('tells a person of the moves of cases in its scope, and nothing of the others', async () => {
    const nancheng = await open(who.nancheng);
    const dongcheng = await open(who.dongcheng);
    expect([nancheng.status, dongcheng.status]).toEqual([200, 200]);
    await vi.waitFor(() => expect(named(nancheng, 'ready')).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(named(dongcheng, 'ready')).toHaveLength(1), { timeout: 10_000 });

    const id = await register('nancheng');
    await vi.waitFor(() => expect(moves(nancheng, id).map((m) => m.status)).toContain('registered'), { timeout: 20_000 });
    // Another person's move (a registrar who sees every district accepts it): the stream follows it.
    const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await vi.waitFor(() => expect(moves(nancheng, id).map((m) => m.status)).toContain('accepted'), { timeout: 20_000 });
    const versions = moves(nancheng, id).map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Only what the workflow projects, nothing of the complainant.
    expect(Object.keys(moves(nancheng, id)[0]!).sort()).toEqual(['at', 'id', 'status', 'version']);

    // Changes reach every stream in commit order: once dongcheng hears of its own district's new
    // case, it has been sent everything before it, and the nancheng case was not among it.
    const own = await register('dongcheng');
    await vi.waitFor(() => expect(moves(dongcheng, own).length).toBeGreaterThan(0), { timeout: 20_000 });
    expect(moves(dongcheng, id)).toEqual([]);
    expect(moves(nancheng, own)).toEqual([]);
    nancheng.abort();
    dongcheng.abort();
  });

  it('tells a unit of a case given to it', async () => {
    const unit = await open(who.unitA);
    await vi.waitFor(() => expect(named(unit, 'ready')).toHaveLength(1), { timeout: 10_000 });
    const id = await register('nancheng');
    const act = (path: string, payload: object) =>
      h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(keys.registrar), payload });
    expect((await act('accept', {})).statusCode).toBe(200);
    const assigned = await act('assign', { unit: { id: 'unit-a', name: '南城分局', level: 'district' } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await vi.waitFor(() => expect(moves(unit, id).map((m) => m.status)).toContain('assigned'), { timeout: 20_000 });
    // Before the assignment the case was not the unit's to see.
    expect(moves(unit, id).map((m) => m.status)).not.toContain('accepted');
    unit.abort();
  });

  it('is for signed-in staff, a few streams per person', async () => {
    expect((await open({})).status).toBe(401);
    expect((await open(credentials(keys.integrator))).status).toBe(403);
    const person = await signIn(h.app, await addPerson(h.database.db, { name: '多开', roles: ['supervisor'], unitId: 'city' }));
    const tabs = await Promise.all(Array.from({ length: 5 }, () => open(person)));
    expect(tabs.map((t) => t.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await open(person);
    expect(sixth.status).toBe(429);
    for (const tab of tabs) tab.abort();
  });

  it('ends the stream when its session is signed out', async () => {
    const person = await signIn(h.app, await addPerson(h.database.db, { name: '签退', roles: ['registrar'], unitId: 'city' }));
    const stream = await open(person);
    await vi.waitFor(() => expect(named(stream, 'ready')).toHaveLength(1), { timeout: 10_000 });
    expect((await h.app.inject({ method: 'DELETE', url: '/session', headers: person })).statusCode).toBeLessThan(300);
    await stream.ended;
    expect(named(stream, 'session-ended')).toHaveLength(1);
  });

  it('ends the streams when the LISTEN connection is lost, and listens again for the next', async () => {
    const stream = await open(who.nancheng);
    await vi.waitFor(() => expect(named(stream, 'ready')).toHaveLength(1), { timeout: 10_000 });
    const terminated = await h.database.pool.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      listenerApplicationName(),
    ]);
    expect(terminated.rowCount).toBe(1);
    // A deaf stream would leave the console waiting for nothing: it ends, and the console polls and reconnects.
    await stream.ended;
    expect(named(stream, 'unavailable')).toHaveLength(1);
    const again = await open(who.nancheng);
    await vi.waitFor(() => expect(named(again, 'ready')).toHaveLength(1), { timeout: 10_000 });
    const id = await register('nancheng');
    await vi.waitFor(() => expect(moves(again, id).length).toBeGreaterThan(0), { timeout: 20_000 });
    again.abort();
  });

  it('is described in the OpenAPI document as an event stream', async () => {
    type Operation = { summary?: string; description?: string; responses: Record<string, { content?: Record<string, unknown> }> };
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const operation = spec.paths['/events']?.get;
    expect(operation?.summary).toBeTruthy();
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(operation?.description).toContain('event: case');
  });

  it('gives the console the calendar its countdowns count with', async () => {
    const year = await h.app.inject({ method: 'GET', url: '/calendar/2025', headers: who.nancheng });
    expect(year.statusCode).toBe(200);
    expect(year.json()).toMatchObject({
      year: 2025,
      status: 'official',
      holidays: expect.arrayContaining(['2025-10-01', '2025-10-08']),
      workdays: expect.arrayContaining(['2025-09-28', '2025-10-11']),
    });
    const bad = await h.app.inject({ method: 'GET', url: '/calendar/1999', headers: who.nancheng });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('year');
  });

  // Last: it closes the app.
  it('ends every stream when the app closes, and the close does not wait for them', async () => {
    const stream = await open(who.nancheng);
    await vi.waitFor(() => expect(named(stream, 'ready')).toHaveLength(1), { timeout: 10_000 });
    expect(h.app.liveHub.size).toBeGreaterThan(0);
    await h.app.close();
    await stream.ended;
    expect(named(stream, 'closing')).toHaveLength(1);
    expect(h.app.liveHub.size).toBe(0);
  });
});
