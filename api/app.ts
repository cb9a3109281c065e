import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { healthRoutes } from './routes/health';

export interface AppDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  database: Database;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Builds the HTTP API without listening, so tests drive it with `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed as a plain FastifyInstance.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Honour an integrator's request id so one id follows a call through their logs and ours.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
  });
  app.decorate('deps', deps);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(healthRoutes);
  return app;
}
