import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAccount } from '../db/accounts';
import { startApiHarness, type ApiHarness } from './helpers/api';
import { startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider';
import { freePort } from './helpers/ports';

/**
 * Staff sign-in through the bureau's identity provider, end to end through the API's routes: a
 * real oidc-provider on 127.0.0.1, the browser's round trip driven over HTTP.
 */
let h: ApiHarness;
let provider: TestOidcProvider;
const linked = `oidc-linked-${process.pid}`;

beforeAll(async () => {
  const redirectUri = `http://127.0.0.1:${await freePort()}/session/oidc/callback`;
  provider = await startOidcProvider({
    redirectUri,
    accounts: [
      { sub: `sub-${linked}`, name: '刘值班', preferred_username: 'liu' },
      { sub: 'sub-stranger', name: '陌生人', preferred_username: 'stranger' },
    ],
  });
  h = await startApiHarness('oidc-sign-in', {
    env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, OIDC_REDIRECT_URI: redirectUri },
  });
  await storeAccount(h.database.db, linked, { name: '刘值班', roles: ['registrar'], unitId: null, active: true, oidcSubject: `sub-${linked}` });
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

/** The browser: to the API, on to the provider's login as `sub`, and back to the API's callback with the pending cookie. */
async function roundTrip(sub: string, returnTo = '/console/') {
  const start = await h.app.inject({ method: 'GET', url: `/session/oidc?returnTo=${encodeURIComponent(returnTo)}` });
  expect(start.statusCode, start.body).toBe(302);
  const pending = start.cookies.find((c) => c.name === 'complaints_oidc');
  expect(pending).toMatchObject({ httpOnly: true, path: '/session/oidc' });
  const callback = new URL(await provider.signIn(start.headers.location as string, sub));
  const back = () => h.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies: { complaints_oidc: pending!.value } });
  return { back };
}

describe('sign-in through the identity provider', () => {
  it('signs a linked person in and sends the browser on, with a session like a password sign-in', async () => {
    const { back } = await roundTrip(`sub-${linked}`);
    const done = await back();
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/console/');
    const session = done.cookies.find((c) => c.name === 'complaints_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const me = await h.app.inject({ method: 'GET', url: '/session', cookies: { complaints_session: session!.value } });
    expect(me.json()).toMatchObject({ via: 'session', id: linked, name: '刘值班', roles: ['registrar'] });

    // The same callback again (a replayed URL) finds no pending sign-in.
    const replay = await back();
    expect(replay.statusCode).toBe(401);
  });

  it('refuses an identity no staff account is linked to (403) and sets no session', async () => {
    const { back } = await roundTrip('sub-stranger');
    const refused = await back();
    expect(refused.statusCode).toBe(403);
    expect(refused.cookies.find((c) => c.name === 'complaints_session')).toBeUndefined();
  });

  it('refuses a callback without the browser that started it, and a returnTo off this service', async () => {
    const start = await h.app.inject({ method: 'GET', url: '/session/oidc' });
    const callback = new URL(await provider.signIn(start.headers.location as string, `sub-${linked}`));
    const stolen = await h.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    expect(stolen.statusCode).toBe(401);
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const open = await h.app.inject({ method: 'GET', url: `/session/oidc?returnTo=${encodeURIComponent(returnTo)}` });
      expect(open.statusCode, returnTo).toBe(400);
      expect(open.json().errors[0].field).toBe('returnTo');
    }
  });
});
