import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ping } from '../../db/client';
import { recentPollers, workerPollWindowMs } from '../../lib/temporal';
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
/** The worker: up when workflow and activity tasks of the task queue both have a recent poller. */
const WorkerCheck = Type.Object({
  status: Type.Enum(['up', 'down']),
  /** Workers (identities) that polled within the window. */
  pollers: Type.Integer({ minimum: 0 }),
  error: Type.Optional(Type.String()),
});
const Checks = Type.Object({ temporal: Check, postgres: Check, worker: WorkerCheck });
const Readiness = Type.Object({ status: Type.Literal('ready'), checks: Checks });

export const healthRoutes: FastifyPluginAsync = async (app) => {
  /** Liveness: the process answers. Restart it if this fails. */
  app.get(
    '/healthz',
    { config: { roles: 'public' }, schema: { tags: ['health'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' }),
  );

  /**
   * Readiness: Temporal and Postgres answer, and a worker polls the task queue; the 503 problem
   * names each part that does not. Without a worker the API still reads, but a new case would
   * start a workflow nobody runs, so the API is not ready for intake.
   */
  app.get(
    '/readyz',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal and Postgres answer, and a worker polls the task queue',
        response: { 200: Readiness, 503: Type.Object({ ...ProblemSchema.properties, checks: Checks }) },
      },
    },
    async (request, reply) => {
      const { temporal, database, config } = app.deps;
      let pollers = { identities: new Set<string>(), bothTypes: false };
      const [temporalError, postgresError, workerLookupError] = await Promise.all([
        check(() => temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace })),
        check(() => ping(database.pool)),
        check(async () => {
          pollers = await recentPollers(temporal, config.taskQueue, app.deps.workerPollWindowMs ?? workerPollWindowMs);
        }),
      ]);
      const workerError =
        workerLookupError ??
        (pollers.bothTypes
          ? undefined
          : `no worker polled task queue ${config.taskQueue} in the last ${Math.round((app.deps.workerPollWindowMs ?? workerPollWindowMs) / 1000)} s`);
      const checks = {
        temporal: temporalError ? { status: 'down', error: temporalError } : { status: 'up' },
        postgres: postgresError ? { status: 'down', error: postgresError } : { status: 'up' },
        worker: { status: workerError ? 'down' : 'up', pollers: pollers.identities.size, ...(workerError ? { error: workerError } : {}) },
      };
      if (!temporalError && !postgresError && !workerError) return { status: 'ready', checks };
      const down = [temporalError ? 'temporal' : '', postgresError ? 'postgres' : '', workerError ? 'worker' : ''].filter(Boolean).join(', ');
      return sendProblem(request, reply, 'not-ready', `not ready: ${down}`, { checks });
    },
  );
};
