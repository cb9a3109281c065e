import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { getAccount } from '../../db/accounts';
import { passwordRules, verifyPassword } from '../../lib/passwords';
import { staffRoles, type Principal } from '../../lib/principal';
import { refuse } from '../auth';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';

const SignInSchema = Type.Object(
  {
    account: Text(100, { description: 'The account id (sign-in name)', example: 'reg-1' }),
    password: Type.String({ minLength: 1, maxLength: passwordRules.maxLength }),
  },
  { additionalProperties: false },
);

export const CallerSchema = Type.Object({
  via: Type.Union([Type.Literal('session'), Type.Literal('key')], { description: 'a signed-in person, or a machine with an API key' }),
  id: Type.String({ description: 'the account id, or the key id', examples: ['reg-1'] }),
  name: Type.Optional(Type.String({ examples: ['张登记'] })),
  roles: Type.Array(Type.String(), { examples: [['registrar']] }),
  unitId: Type.Optional(Type.String()),
});

const SignedInSchema = Type.Object({ caller: CallerSchema, expiresAt: Type.String({ format: 'date-time', description: 'the latest the session can last' }) });

const everyone = [...staffRoles, 'integrator'] as const;

/**
 * Sign-in and sign-out of the bureau's staff. A signed-in browser is known by its session cookie
 * (api/sessions.ts); integrators keep their API keys and never sign in.
 */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: Static<typeof SignInSchema> }>(
    '/session',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['people'],
        summary: 'Sign in with account and password (登录); sets the session cookie',
        body: SignInSchema,
        response: { 200: SignedInSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { account: id, password } = request.body;
      const account = await getAccount(app.deps.database.db, id);
      // The same answer, and about the same time, for a wrong name, a wrong password and a disabled account.
      const matches = await verifyPassword(account?.active ? account.passwordHash : null, password);
      if (!account || !matches) {
        await refuse(app.failedLogins, request, reply);
        throw new Problem('unauthenticated', 'wrong account or password');
      }
      const expiresAt = await app.sessions.signIn(request, reply, account);
      request.log.info({ account: account.id }, 'signed in');
      return { caller: callerOf(account.id, account.name, account.roles, account.unitId, 'session'), expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/session',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['people'],
        summary: 'Who is calling: the signed-in person, or the key',
        description: 'A browser that is not signed in (or whose session has ended) gets 204 and no body: the console then shows its sign-in page.',
        response: { 200: CallerSchema, 204: Type.Null({ description: 'nobody is signed in' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOfRequest(request);
      return caller ?? reply.code(204).send();
    },
  );

  app.delete(
    '/session',
    {
      config: { roles: everyone },
      schema: {
        tags: ['people'],
        summary: 'Sign out (退出): ends the session at once',
        description: 'The session is deleted on the server and the cookie cleared; the same cookie is refused afterwards. For an API key, nothing happens.',
        response: { 200: Type.Object({ signedOut: Type.Boolean() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await app.sessions.signOut(request, reply);
      return { signedOut: request.principal.via === 'session' };
    },
  );
};

/** Who calls, as `GET /session` names them: null when nobody (valid) does. Also told by the console's page (api/routes/console.ts). */
export function callerOfRequest(request: FastifyRequest): Caller | null {
  // Public routes leave `principal` unset when nobody (valid) calls.
  const principal = request.principal as Principal | null;
  if (!principal) return null;
  const { via, id, name, roles, unitId } = principal;
  return callerOf(id, name, roles, unitId, via);
}

type Caller = Static<typeof CallerSchema>;

function callerOf(id: string, name: string | undefined, roles: readonly string[], unitId: string | null | undefined, via: 'session' | 'key'): Caller {
  return { via, id, ...(name !== undefined ? { name } : {}), roles: [...roles], ...(unitId ? { unitId } : {}) };
}
