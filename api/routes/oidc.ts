import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accountBySubject, storeOidcSignIn, takeOidcSignIn } from '../../db/accounts';
import { connectOidc, OidcSignInError, pendingSignInTtlMs, type Oidc, type PendingSignIn } from '../oidc';
import { Problem, problemResponses } from '../problem';
import { cookieOptions, sha256 } from '../sessions';

/** Holds the id of the browser's pending sign-in from the redirect to the callback. */
const pendingCookie = 'complaints_oidc';

const ReturnTo = Type.Optional(
  Type.String({ pattern: '^/(?![/\\\\])[\\x21-\\x7e]{0,500}$', description: 'where to go after sign-in: a path of this service', default: '/session' }),
);

interface Pending {
  signIn: PendingSignIn;
  returnTo: string;
}

/**
 * Sign-in through the bureau's identity provider (OIDC_* settings): the browser goes to the
 * provider and comes back to the callback, which maps the provider's `sub` to a staff account
 * (`oidcSubject`, set by an administrator) and signs the person in like a password would. The
 * provider is asked for its configuration on first use, so the API starts without it.
 */
export const oidcRoutes: FastifyPluginAsync = async (app) => {
  const { config } = app.deps;
  const settings =
    config.oidcIssuer && config.oidcClientId && config.oidcClientSecret && config.oidcRedirectUri
      ? { issuer: config.oidcIssuer, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret, redirectUri: config.oidcRedirectUri }
      : undefined;
  let connecting: Promise<Oidc> | undefined;
  const oidc = (): Promise<Oidc> => {
    if (!settings) throw new Problem('not-found', 'sign-in through an identity provider is not set up (OIDC_ISSUER)');
    // A failed discovery is tried again by the next sign-in.
    connecting ??= connectOidc(settings).catch((err: unknown) => {
      connecting = undefined;
      app.log.warn({ err }, 'OIDC discovery failed');
      throw new Problem('not-ready', 'the identity provider does not answer');
    });
    return connecting;
  };
  const { db } = app.deps.database;

  app.get<{ Querystring: { returnTo?: string } }>(
    '/session/oidc',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['people'],
        summary: "Sign in at the bureau's identity provider (统一身份认证): redirects there",
        querystring: Type.Object({ returnTo: ReturnTo }, { additionalProperties: false }),
        response: { 302: Type.Null({ description: 'to the identity provider' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { url, pending } = await (await oidc()).begin();
      const id = randomBytes(32).toString('base64url');
      await storeOidcSignIn(db, sha256(id), { signIn: pending, returnTo: request.query.returnTo ?? '/session' } satisfies Pending);
      reply.setCookie(pendingCookie, id, { ...cookieOptions(request), path: '/session/oidc', maxAge: pendingSignInTtlMs / 1000 });
      return reply.redirect(url, 302);
    },
  );

  const CallbackQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 2000 })), state: Type.Optional(Type.String({ maxLength: 2000 })) });
  app.get<{ Querystring: Static<typeof CallbackQuery> }>(
    '/session/oidc/callback',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['people'],
        summary: 'Where the identity provider sends the browser back; signs the person in and redirects on',
        // The provider adds its own parameters (iss, session_state, error…): they pass through to the check.
        querystring: Type.Object(CallbackQuery.properties, { additionalProperties: true }),
        response: { 303: Type.Null({ description: 'signed in: on to `returnTo`' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const id = request.cookies[pendingCookie];
      const pending = id ? ((await takeOidcSignIn(db, sha256(id), pendingSignInTtlMs)) as Pending | undefined) : undefined;
      reply.clearCookie(pendingCookie, { ...cookieOptions(request), path: '/session/oidc' });
      if (!pending) throw new Problem('unauthenticated', 'no sign-in is waiting for this browser (or it took over 10 minutes): start again');
      let subject: string;
      try {
        ({ subject } = await (await oidc()).finish(new URL(request.url, 'http://callback.invalid'), pending.signIn));
      } catch (err) {
        if (!(err instanceof OidcSignInError)) throw err;
        request.log.warn({ reason: err.reason }, 'OIDC sign-in refused');
        throw new Problem('unauthenticated', `the identity provider's answer was refused (${err.reason})`);
      }
      const account = await accountBySubject(db, subject);
      if (!account?.active) {
        request.log.warn({ subject }, 'OIDC sign-in of an identity with no active account');
        throw new Problem('forbidden', 'no active staff account is linked to this identity: ask an administrator');
      }
      await app.sessions.signIn(request, reply, account);
      request.log.info({ account: account.id }, 'signed in through the identity provider');
      return reply.redirect(pending.returnTo, 303);
    },
  );
};
