import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../db/schema';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, signIn, type Person } from './helpers/people';

let h: ApiHarness;
let registrar: Person;
let admin: Person;
beforeAll(async () => {
  h = await startApiHarness('people');
  registrar = await addPerson(h.database.db, { name: '张伟', roles: ['registrar'] });
  admin = await addPerson(h.database.db, { name: '管理员', roles: ['admin'] });
});
afterAll(async () => {
  await h?.close();
});

type Cookie = { name: string; value: string; secure?: boolean };
const sessionCookieOf = (response: { cookies: Cookie[] }) => response.cookies.find((c) => c.name === 'complaints_session');
const whoAmI = (headers: Record<string, string>) => h.app.inject({ method: 'GET', url: '/session', headers });
/** A route for the signed-in only: 401 once the session has ended (`GET /session` answers 204 then). */
const reach = (headers: Record<string, string>) => h.app.inject({ method: 'GET', url: '/work', headers });
const tokenHashes = async (accountId: string) =>
  (await h.database.db.select({ t: sessions.tokenSha256 }).from(sessions).where(eq(sessions.accountId, accountId))).map((r) => r.t);

describe('sign-in with a password', () => {
  it('sets an HttpOnly, SameSite cookie that identifies the person', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/session', payload: { account: registrar.id, password: registrar.password } });
    expect(response.statusCode).toBe(200);
    expect(response.json().caller).toEqual({ via: 'session', id: registrar.id, name: '张伟', roles: ['registrar'] });
    const cookie = sessionCookieOf(response)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Reached on a loopback address, as in development, the cookie is not Secure (no TLS there).
    expect(cookie.secure).toBeFalsy();
    const me = await whoAmI({ cookie: `complaints_session=${cookie.value}` });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ via: 'session', id: registrar.id, name: '张伟' });
  });

  it('marks the cookie Secure when the API is reached by any other name', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/session',
      headers: { host: 'complaints.sthjj.example.gov.cn' },
      payload: { account: registrar.id, password: registrar.password },
    });
    expect(response.statusCode).toBe(200);
    expect(sessionCookieOf(response)?.secure).toBe(true);
  });

  it('answers the same 401 for a wrong password, an unknown account and a disabled one', async () => {
    const disabled = await addPerson(h.database.db, { name: '离职人员', roles: ['registrar'] });
    await h.app.inject({
      method: 'PUT',
      url: `/accounts/${disabled.id}`,
      headers: await signIn(h.app, admin),
      payload: { name: '离职人员', roles: ['registrar'], active: false },
    });
    for (const payload of [
      { account: registrar.id, password: 'not the password' },
      { account: 'nobody-at-all', password: registrar.password },
      { account: disabled.id, password: disabled.password },
    ]) {
      const response = await h.app.inject({ method: 'POST', url: '/session', payload, remoteAddress: `10.9.0.${payload.account.length}` });
      expect(response.statusCode, payload.account).toBe(401);
      expect(response.json()).toMatchObject({ type: '/problems/unauthenticated', detail: 'wrong account or password' });
      expect(sessionCookieOf(response)).toBeUndefined();
    }
  });

  it('refuses an address after ten wrong passwords in a minute (429), while others still sign in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/session',
        payload: { account: registrar.id, password: `guess-${i}` },
        remoteAddress: '10.9.9.9',
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await h.app.inject({ method: 'POST', url: '/session', payload: { account: registrar.id, password: registrar.password } })).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('end at sign-out: the same cookie is refused afterwards, and GET /session says nobody is signed in', async () => {
    const headers = await signIn(h.app, registrar);
    const out = await h.app.inject({ method: 'DELETE', url: '/session', headers });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signedOut: true });
    expect(sessionCookieOf(out)?.value).toBe('');
    const after = await reach(headers);
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toMatch(/session has ended/);
    expect((await whoAmI(headers)).statusCode).toBe(204);
  });

  it('end when idle longer than SESSION_IDLE_MINUTES, and at their absolute end however active', async () => {
    const person = await addPerson(h.database.db, { name: '值班员', roles: ['registrar'] });
    const idle = await signIn(h.app, person);
    const [idleHash] = await tokenHashes(person.id);
    const idleMinutes = h.app.deps.config.sessionIdleMinutes;
    await h.database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - make_interval(mins => ${idleMinutes + 1})` })
      .where(eq(sessions.tokenSha256, idleHash!));
    expect((await reach(idle)).statusCode).toBe(401);

    const active = await signIn(h.app, person);
    expect((await reach(active)).statusCode).toBe(200);
    await h.database.db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.accountId, person.id));
    expect((await reach(active)).statusCode).toBe(401);
  });

  it('are never fixed: sign-in mints a new token and ends the one the browser brought', async () => {
    // An attacker plants a cookie in the victim's browser: first a made-up value, then a session of their own.
    const made = await h.app.inject({
      method: 'POST',
      url: '/session',
      cookies: { complaints_session: 'attacker-chosen-value' },
      payload: { account: registrar.id, password: registrar.password },
    });
    expect(sessionCookieOf(made)?.value).not.toBe('attacker-chosen-value');
    expect((await reach({ cookie: 'complaints_session=attacker-chosen-value' })).statusCode).toBe(401);

    const attacker = await addPerson(h.database.db, { name: '他人', roles: ['registrar'] });
    const planted = await signIn(h.app, attacker);
    const victim = await h.app.inject({
      method: 'POST',
      url: '/session',
      headers: planted,
      payload: { account: registrar.id, password: registrar.password },
    });
    expect(victim.statusCode).toBe(200);
    expect(`complaints_session=${sessionCookieOf(victim)?.value}`).not.toBe(planted.cookie);
    expect((await reach(planted)).statusCode).toBe(401);
  });

  it('end when the password is changed or the account disabled', async () => {
    const person = await addPerson(h.database.db, { name: '轮岗人员', roles: ['registrar'] });
    const before = await signIn(h.app, person);
    const adminHeaders = await signIn(h.app, admin);
    const set = await h.app.inject({
      method: 'PUT',
      url: `/accounts/${person.id}/password`,
      headers: adminHeaders,
      payload: { password: 'a-new-password-123' },
    });
    expect(set.statusCode).toBe(200);
    expect((await reach(before)).statusCode).toBe(401);
    const after = await signIn(h.app, { id: person.id, password: 'a-new-password-123' });
    const disable = await h.app.inject({
      method: 'PUT',
      url: `/accounts/${person.id}`,
      headers: adminHeaders,
      payload: { name: '轮岗人员', roles: ['registrar'], active: false },
    });
    expect(disable.statusCode).toBe(200);
    expect((await reach(after)).statusCode).toBe(401);
  });
});

describe('accounts', () => {
  it('are managed by administrators only', async () => {
    const adminHeaders = await signIn(h.app, admin);
    const id = `wang.fang-${process.pid}`;
    const created = await h.app.inject({
      method: 'PUT',
      url: `/accounts/${id}`,
      headers: adminHeaders,
      payload: { name: '王芳', roles: ['unit'], unitId: 'unit-a', password: 'initial-password-1' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id, name: '王芳', roles: ['unit'], unitId: 'unit-a', active: true, hasPassword: true });
    expect(created.json()).not.toHaveProperty('passwordHash');
    const changed = await h.app.inject({
      method: 'PUT',
      url: `/accounts/${id}`,
      headers: adminHeaders,
      payload: { name: '王芳', roles: ['unit', 'registrar'], unitId: 'unit-a' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await signIn(h.app, { id, password: 'initial-password-1' })).cookie).toMatch(/^complaints_session=/);

    const list = await h.app.inject({ method: 'GET', url: '/accounts', headers: adminHeaders });
    expect(list.json().accounts.map((a: { id: string }) => a.id)).toContain(id);
    for (const headers of [await signIn(h.app, registrar), credentials(keys.supervisor), credentials(keys.integrator)]) {
      expect((await h.app.inject({ method: 'GET', url: '/accounts', headers })).statusCode).toBe(403);
    }
  });

  it('refuse to link one identity to two accounts (409 naming oidcSubject)', async () => {
    const headers = await signIn(h.app, admin);
    const subject = `sub-shared-${process.pid}`;
    const first = await h.app.inject({
      method: 'PUT',
      url: `/accounts/first-${process.pid}`,
      headers,
      payload: { name: '甲', roles: ['registrar'], oidcSubject: subject },
    });
    expect(first.statusCode).toBe(201);
    const second = await h.app.inject({
      method: 'PUT',
      url: `/accounts/second-${process.pid}`,
      headers,
      payload: { name: '乙', roles: ['registrar'], oidcSubject: subject },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ type: '/problems/conflict', errors: [{ field: 'oidcSubject', message: 'is linked to another account already' }] });
  });

  it('refuse a unit handler without a unit, naming the field', async () => {
    const response = await h.app.inject({
      method: 'PUT',
      url: '/accounts/no-unit',
      headers: await signIn(h.app, admin),
      payload: { name: '某人', roles: ['unit'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: 'unitId', message: 'is required for the unit role' }]);
  });
});

describe('who acted', () => {
  it('the timeline records the person, name and account id, in the role the action needs', async () => {
    const both = await addPerson(h.database.db, { name: '李督办', roles: ['registrar', 'supervisor'] });
    const headers = await signIn(h.app, both);
    const registered = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() });
    const id = registered.json().id as string;
    const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers, payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const closed = await h.app.inject({ method: 'POST', url: `/complaints/${id}/overrides/close`, headers, payload: { reason: '重复登记，督办关闭' } });
    expect(closed.statusCode, closed.body).toBe(200);
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    const timeline = view.json().timeline as { kind: string; actor: string; actorName?: string }[];
    expect(timeline.find((t) => t.kind === 'accepted')).toMatchObject({ actor: `registrar:${both.id}`, actorName: '李督办' });
    expect(timeline.find((t) => t.kind === 'closed')).toMatchObject({ actor: `supervisor:${both.id}`, actorName: '李督办' });
    // An integrator is a machine: its key id, no name.
    expect(timeline.find((t) => t.kind === 'registered')?.actorName).toBeUndefined();
  });
});
