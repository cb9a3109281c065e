import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOidc, OidcSignInError, pendingSignInTtlMs, type Oidc, type OidcSettings, type PendingSignIn } from '../api/oidc';
import { startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider';
import { freePort } from './helpers/ports';

const accounts = [
  { sub: 'staff-0042', name: 'Li Wei', preferred_username: 'liwei' },
  { sub: 'staff-0043', name: 'Zhang Min', preferred_username: 'zhangmin' },
];

/** Runs `finish` and answers the OidcSignInError it must throw. */
async function refusal(finish: Promise<unknown>): Promise<OidcSignInError> {
  const err: unknown = await finish.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OidcSignInError);
  return err as OidcSignInError;
}

describe('OIDC sign-in against a real provider', () => {
  let provider: TestOidcProvider;
  let settings: OidcSettings;
  let oidc: Oidc;

  beforeAll(async () => {
    // Nothing listens there: signIn answers the URL the browser would be sent to.
    const redirectUri = `http://127.0.0.1:${await freePort()}/session/oidc/callback`;
    provider = await startOidcProvider({ redirectUri, accounts });
    settings = { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, redirectUri };
    oidc = await connectOidc(settings);
  });

  afterAll(async () => {
    await provider?.close();
  });

  /** begin, then the browser's round trip through the provider's login and consent. */
  async function signIn(sub: string): Promise<{ callback: URL; pending: PendingSignIn }> {
    const { url, pending } = await oidc.begin();
    return { callback: new URL(await provider.signIn(url, sub)), pending };
  }

  it('signs a staff member in: begin, the provider login, finish answer their subject and name', async () => {
    const { url, pending } = await oidc.begin();
    const request = new URL(url).searchParams;
    expect(Object.fromEntries(request)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: settings.redirectUri,
      scope: 'openid profile',
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    expect(request.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url).not.toContain(pending.codeVerifier);

    const callback = new URL(await provider.signIn(url, 'staff-0042'));
    expect(callback.searchParams.get('code')).toBeTruthy();
    // The caller keeps the pending sign-in as JSON (in the session store).
    const kept = JSON.parse(JSON.stringify(pending)) as PendingSignIn;
    await expect(oidc.finish(callback, kept)).resolves.toEqual({ subject: 'staff-0042', name: 'Li Wei', preferredUsername: 'liwei' });
  });

  it('tells two staff members apart', async () => {
    const { callback, pending } = await signIn('staff-0043');
    await expect(oidc.finish(callback, pending)).resolves.toMatchObject({ subject: 'staff-0043', name: 'Zhang Min' });
  });

  it('refuses a callback whose state was tampered with', async () => {
    const { callback, pending } = await signIn('staff-0042');
    callback.searchParams.set('state', `${pending.state}x`);
    const err = await refusal(oidc.finish(callback, pending));
    expect(err.reason).toBe('state_mismatch');
    // The untouched callback still works: the refusal used nothing up.
    callback.searchParams.set('state', pending.state);
    await expect(oidc.finish(callback, pending)).resolves.toMatchObject({ subject: 'staff-0042' });
  });

  it('refuses a callback for another sign-in (its pending state is not the callback’s)', async () => {
    const { callback } = await signIn('staff-0042');
    const { pending: other } = await oidc.begin();
    expect((await refusal(oidc.finish(callback, other))).reason).toBe('state_mismatch');
  });

  it('refuses a code used a second time', async () => {
    const { callback, pending } = await signIn('staff-0042');
    await expect(oidc.finish(callback, pending)).resolves.toMatchObject({ subject: 'staff-0042' });
    const err = await refusal(oidc.finish(callback, pending));
    expect(err.reason).toBe('code_rejected');
    expect(err.oauthError).toBe('invalid_grant');
  });

  it('refuses an ID token whose nonce is not the pending sign-in’s', async () => {
    const { callback, pending } = await signIn('staff-0042');
    // State and PKCE verifier right, nonce from another begin: only the ID token check can catch it.
    const { pending: other } = await oidc.begin();
    const err = await refusal(oidc.finish(callback, { ...pending, nonce: other.nonce }));
    expect(err.reason).toBe('id_token_invalid');
    expect(err.message).not.toContain(pending.nonce);
    expect(err.message).not.toContain(other.nonce);
  });

  it('refuses a wrong PKCE verifier at the token endpoint', async () => {
    const { callback, pending } = await signIn('staff-0042');
    const { pending: other } = await oidc.begin();
    const err = await refusal(oidc.finish(callback, { ...pending, codeVerifier: other.codeVerifier }));
    expect(err.reason).toBe('code_rejected');
    expect(err.oauthError).toBe('invalid_grant');
  });

  it('refuses a pending sign-in older than ten minutes', async () => {
    let now = Date.now();
    const late = await connectOidc(settings, { now: () => now });
    const { url, pending } = await late.begin();
    const callback = new URL(await provider.signIn(url, 'staff-0042'));
    now += pendingSignInTtlMs + 1;
    expect((await refusal(late.finish(callback, pending))).reason).toBe('expired');
  });

  it('refuses an http issuer that is not on this machine', async () => {
    await expect(connectOidc({ ...settings, issuer: 'http://id.bureau.example' })).rejects.toThrow(/must use https/);
  });
});
