/**
 * Sign-in of bureau staff at the bureau's identity provider: OpenID Connect's authorization code
 * flow with PKCE (S256), `state` and `nonce`, over openid-client, which checks the authorization
 * response, exchanges the code and validates the ID token (signature, issuer, audience, expiry,
 * nonce). This module keeps no state: the session routes keep each `PendingSignIn` server-side
 * between `begin()` (redirect the browser) and `finish()` (the browser comes back).
 *
 * openid-client is ESM only; this CommonJS module loads it with Node's require(esm) (Node >= 22.12).
 */
import * as client from 'openid-client';

export interface OidcSettings {
  /** The issuer identifier, e.g. https://id.bureau.example/realms/staff; discovery starts from it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The callback URL registered at the provider, e.g. https://cases.bureau.example/session/oidc/callback. */
  redirectUri: string;
  /** Space-separated scopes; 'openid profile' when absent. */
  scope?: string;
}

/**
 * What `begin()` hands out and `finish()` needs back: kept server-side (never in a cookie the
 * browser could edit), JSON-serialisable, for at most `pendingSignInTtlMs`.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Who signed in, from the validated ID token (and the UserInfo endpoint for what it lacks). */
export interface OidcIdentity {
  /** The provider's stable identifier of the person (`sub`): the key to map to a staff member. */
  subject: string;
  name?: string;
  preferredUsername?: string;
  email?: string;
}

export interface Oidc {
  begin(): Promise<{ url: string; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<OidcIdentity>;
}

/** A sign-in left longer than this is refused: nobody takes ten minutes at a login form. */
export const pendingSignInTtlMs = 10 * 60_000;

/**
 * Why a sign-in was refused. Short and free of token contents, so it can go to the log and, if
 * wanted, to the person signing in.
 */
export type OidcSignInReason =
  /** The pending sign-in is older than `pendingSignInTtlMs`. */
  | 'expired'
  /** The callback's `state` is not the one `begin()` made: a forged or crossed callback. */
  | 'state_mismatch'
  /** The provider redirected back with an error (e.g. access_denied) instead of a code. */
  | 'provider_refused'
  /** The token endpoint (or UserInfo) refused: a code used twice or expired, a wrong PKCE verifier, a bad client secret. */
  | 'code_rejected'
  /** The ID token failed validation: nonce, issuer, audience, timestamps, signing key. */
  | 'id_token_invalid'
  /** The provider could not be reached or did not answer in time. */
  | 'provider_unreachable'
  /** Anything else the library refused in the provider's answers. */
  | 'invalid_response';

export class OidcSignInError extends Error {
  override readonly name = 'OidcSignInError';

  constructor(
    readonly reason: OidcSignInReason,
    /** The OAuth error code the provider sent (e.g. invalid_grant), if any. */
    readonly oauthError?: string,
    /** openid-client's error code (e.g. OAUTH_JWT_CLAIM_COMPARISON_FAILED), for the log. */
    readonly code?: string,
  ) {
    super(`OIDC sign-in failed: ${reason}${oauthError ? ` (${oauthError})` : ''}`);
  }
}

/** Hosts where an http issuer is allowed: a provider on this machine, as in tests and development. */
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Discovers the provider (its metadata at `<issuer>/.well-known/openid-configuration`, whose
 * `issuer` must equal `settings.issuer`). Throws when the provider cannot be reached: the
 * service should not start half-configured.
 */
export async function connectOidc(settings: OidcSettings, options: { now?: () => number } = {}): Promise<Oidc> {
  const now = options.now ?? Date.now;
  const issuer = new URL(settings.issuer);
  const config = await client
    .discovery(issuer, settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), discoveryOptions(issuer))
    .catch((err: unknown) => {
      throw new Error(`OIDC discovery of ${issuer.href} failed`, { cause: err });
    });
  const scope = settings.scope ?? 'openid profile';

  return {
    async begin() {
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        createdAt: now(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    async finish(callbackUrl, pending) {
      if (now() - pending.createdAt > pendingSignInTtlMs) throw new OidcSignInError('expired');
      // openid-client checks state too, but its error does not say which check failed.
      if (callbackUrl.searchParams.get('state') !== pending.state) throw new OidcSignInError('state_mismatch');
      // openid-client sends the given URL, without its query, as the token request's redirect_uri,
      // which must equal the registered one: behind a proxy the route sees another scheme or host.
      const current = new URL(settings.redirectUri);
      current.search = callbackUrl.search;
      try {
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          // Also makes the ID token required.
          expectedNonce: pending.nonce,
        });
        const idToken = tokens.claims();
        if (!idToken) throw new OidcSignInError('invalid_response');
        let name = text(idToken.name);
        let preferredUsername = text(idToken.preferred_username);
        let email = text(idToken.email);
        // A conforming provider that also issues an access token puts the scope's claims (name,
        // preferred_username) in UserInfo only, not in the ID token (OIDC Core 5.4).
        if ((name === undefined || preferredUsername === undefined) && config.serverMetadata().userinfo_endpoint) {
          // Checks that UserInfo's `sub` is the ID token's.
          const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
          name ??= text(userInfo.name);
          preferredUsername ??= text(userInfo.preferred_username);
          email ??= text(userInfo.email);
        }
        return { subject: idToken.sub, name, preferredUsername, email };
      } catch (err) {
        throw signInError(err);
      }
    },
  };
}

/** openid-client refuses http unless told; telling it is only acceptable for a provider on this machine. */
function discoveryOptions(issuer: URL): client.DiscoveryRequestOptions {
  if (issuer.protocol === 'https:') return {};
  if (issuer.protocol === 'http:' && loopbackHosts.has(issuer.hostname)) return { execute: [client.allowInsecureRequests] };
  throw new Error(`OIDC issuer ${issuer.href} must use https (plain http only on 127.0.0.1, localhost or ::1)`);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** ID token checks that failed, by openid-client's (oauth4webapi's) error codes. */
const idTokenCodes = new Set(['OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'OAUTH_KEY_SELECTION_FAILED']);

/**
 * The library's error as an OidcSignInError. The library's own error is not kept as `cause`: its
 * causes carry the token response and the ID token's claims, which must not reach the log.
 */
function signInError(err: unknown): OidcSignInError {
  if (err instanceof OidcSignInError) return err;
  if (err instanceof client.AuthorizationResponseError) return new OidcSignInError('provider_refused', oauthErrorCode(err.error), err.code);
  if (err instanceof client.ResponseBodyError) return new OidcSignInError('code_rejected', oauthErrorCode(err.error), err.code);
  if (err instanceof client.WWWAuthenticateChallengeError) return new OidcSignInError('code_rejected', undefined, err.code);
  if (err instanceof client.ClientError) {
    if (err.code === 'OAUTH_TIMEOUT') return new OidcSignInError('provider_unreachable', undefined, err.code);
    return new OidcSignInError(err.code && idTokenCodes.has(err.code) ? 'id_token_invalid' : 'invalid_response', undefined, err.code);
  }
  // fetch() rejects with a TypeError without a code when the connection fails; openid-client's
  // own TypeErrors (bad arguments) have one.
  if (err instanceof TypeError && !('code' in err)) return new OidcSignInError('provider_unreachable');
  return new OidcSignInError('invalid_response');
}

/**
 * The provider's OAuth error code, if it looks like one: an error in the callback comes from the
 * browser's URL, which anyone can write, and ends up in the log.
 */
function oauthErrorCode(value: string): string {
  return /^[\w.-]{1,64}$/.test(value) ? value : 'unrecognised';
}
