import type { FastifyPluginAsync } from 'fastify';
import { ping } from '../../db/client';

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

export const healthRoutes: FastifyPluginAsync = async (app) => {
  /** Liveness: the process answers. Restart it if this fails. */
  app.get('/healthz', { config: { roles: 'public' }, schema: { tags: ['health'] } }, async () => ({ status: 'ok' }));

  /** Readiness: Temporal and Postgres both answer; 503 names the part that does not. */
  app.get('/readyz', { config: { roles: 'public' }, schema: { tags: ['health'] } }, async (_request, reply) => {
    const { temporal, database } = app.deps;
    const [temporalError, postgresError] = await Promise.all([
      check(() => temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace })),
      check(() => ping(database.pool)),
    ]);
    const checks = {
      temporal: temporalError ? { status: 'down', error: temporalError } : { status: 'up' },
      postgres: postgresError ? { status: 'down', error: postgresError } : { status: 'up' },
    };
    const ready = !temporalError && !postgresError;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
};
