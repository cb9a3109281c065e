import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ping } from '../../db/client';
import { ProblemSchema, sendProblem } from '../problem';

const CHECK_TIMEOUT_MS = 3_000;

/** Runs a check with a deadline: a dependency that hangs is as unready as one that refuses. */
async function check(run: () => Promise<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

const Check = Type.Object({ status: Type.Enum(['up', 'down']), error: Type.Optional(Type.String()) });
const Checks = Type.Object({ temporal: Check, postgres: Check });
const Readiness = Type.Object({ status: Type.Literal('ready'), checks: Checks });

export const healthRoutes: FastifyPluginAsync = async (app) => {
  /** Liveness: the process answers. Restart it if this fails. */
  app.get(
    '/healthz',
    { config: { roles: 'public' }, schema: { tags: ['health'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' }),
  );

  /** Readiness: Temporal and Postgres both answer; the 503 problem names the part that does not. */
  app.get(
    '/readyz',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal and Postgres answer',
        response: { 200: Readiness, 503: Type.Object({ ...ProblemSchema.properties, checks: Checks }) },
      },
    },
    async (request, reply) => {
      const { temporal, database } = app.deps;
      const [temporalError, postgresError] = await Promise.all([
        check(() => temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace })),
        check(() => ping(database.pool)),
      ]);
      const checks = {
        temporal: temporalError ? { status: 'down', error: temporalError } : { status: 'up' },
        postgres: postgresError ? { status: 'down', error: postgresError } : { status: 'up' },
      };
      if (!temporalError && !postgresError) return { status: 'ready', checks };
      const down = [temporalError ? 'temporal' : '', postgresError ? 'postgres' : ''].filter(Boolean).join(', ');
      return sendProblem(request, reply, 'not-ready', `not reachable: ${down}`, { checks });
    },
  );
};
