import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accountView, getAccount, listAccounts, setPasswordHash, storeAccount, type AccountView } from '../../db/accounts';
import { brokenUniqueConstraint } from '../../db/errors';
import { hashPassword, passwordRules } from '../../lib/passwords';
import { staffRoles } from '../../lib/principal';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';

const AccountId = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9._@-]+$',
  description: 'the sign-in name: letters, digits and . _ @ -',
  examples: ['zhang.wei'],
});
const Password = Type.String({
  minLength: passwordRules.minLength,
  maxLength: passwordRules.maxLength,
  description: `${passwordRules.minLength} characters or more`,
});

const AccountSchema = Type.Object(
  {
    name: Text(100, { example: '张伟' }),
    roles: Type.Array(Type.Enum(staffRoles), { minItems: 1, uniqueItems: true, description: 'what the person does; several are allowed' }),
    unitId: Type.Optional(Type.Union([Text(100), Type.Null()], { description: 'the unit the person belongs to; required for the `unit` role' })),
    active: Type.Optional(Type.Boolean({ default: true, description: 'false: may not sign in, and is signed out at once' })),
    oidcSubject: Type.Optional(Type.Union([Text(255), Type.Null()], { description: "the identity provider's `sub` for this person" })),
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 254, examples: ['zhang.wei@hbj.example.gov.cn'] }), Type.Null()], {
        description: 'where the notices meant for this person are e-mailed (`SMTP_URL`); none: they are not e-mailed',
      }),
    ),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);

const AccountViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  unitId: Type.Union([Type.String(), Type.Null()]),
  oidcSubject: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const IdParams = Type.Object({ id: AccountId });

const shown = (a: AccountView) => ({ ...a, createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString() });

/** The bureau's staff accounts, managed by administrators (also from the shell: `npm run user`). */
export const accountRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps.database;
  const admin = { roles: ['admin'] as const };

  app.get(
    '/accounts',
    {
      config: admin,
      schema: { tags: ['people'], summary: 'Staff accounts', response: { 200: Type.Object({ accounts: Type.Array(AccountViewSchema) }), ...problemResponses } },
    },
    async () => ({ accounts: (await listAccounts(db)).map((a) => shown(accountView(a))) }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/accounts/:id',
    { config: admin, schema: { tags: ['people'], summary: 'One staff account', params: IdParams, response: { 200: AccountViewSchema, ...problemResponses } } },
    async (request) => {
      const account = await getAccount(db, request.params.id);
      if (!account) throw new Problem('not-found', `no account ${request.params.id}`);
      return shown(accountView(account));
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof AccountSchema> }>(
    '/accounts/:id',
    {
      config: admin,
      schema: {
        tags: ['people'],
        summary: 'Add a staff account or change one (roles, unit, active)',
        params: IdParams,
        body: AccountSchema,
        response: { 200: AccountViewSchema, 201: AccountViewSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { password, ...body } = request.body;
      if (body.roles.includes('unit') && !body.unitId) {
        throw new Problem('validation', 'a unit handler belongs to a unit', { errors: [{ field: 'unitId', message: 'is required for the unit role' }] });
      }
      const created = await storeAccount(db, id, {
        name: body.name,
        roles: body.roles,
        unitId: body.unitId ?? null,
        active: body.active ?? true,
        oidcSubject: body.oidcSubject ?? null,
        email: body.email ?? null,
      }).catch((err: unknown) => {
        if (brokenUniqueConstraint(err) !== 'accounts_oidc_subject_unique') throw err;
        const message = 'is linked to another account already';
        throw new Problem('conflict', `oidcSubject ${message}`, { errors: [{ field: 'oidcSubject', message }] });
      });
      if (password !== undefined) await setPasswordHash(db, id, await hashPassword(password));
      request.log.info({ account: id, by: request.principal.id, created }, 'account stored');
      const account = await getAccount(db, id);
      return reply.code(created ? 201 : 200).send(shown(accountView(account!)));
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: { password: string } }>(
    '/accounts/:id/password',
    {
      config: admin,
      schema: {
        tags: ['people'],
        summary: "Set a person's password; ends their sessions",
        params: IdParams,
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), sessionsEnded: Type.Boolean() }), ...problemResponses },
      },
    },
    async (request) => {
      const found = await setPasswordHash(db, request.params.id, await hashPassword(request.body.password));
      if (!found) throw new Problem('not-found', `no account ${request.params.id}`);
      return { id: request.params.id, sessionsEnded: true };
    },
  );
};
