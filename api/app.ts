import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Database } from '../db/client';
import type { ApiKey } from '../lib/api-keys';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { defaultPolicy, type Policy } from '../workflows/policy';
import { authPlugin } from './auth';
import { CaseGateway } from './case-gateway';
import { errorHandler, sendProblem } from './problem';
import { actionRoutesPlugin } from './routes/actions';
import { codecRoutes } from './routes/codec';
import { deadLetterRoutes } from './routes/dead-letters';
import { complaintRoutes } from './routes/complaints';
import { directoryRoutes } from './routes/directory';
import { healthRoutes } from './routes/health';
import { reportRoutes } from './routes/reports';

export interface AppDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  database: Database;
  apiKeys: readonly ApiKey[];
  /** The policy new cases start with; running cases keep their own. */
  policy?: Policy;
  rateLimitPerMinute?: number;
  /** How long one call to Temporal may take before the API answers 503. */
  temporalDeadlineMs?: number;
  /** The payload codec, served to ops at /codec for the Temporal UI and CLI. */
  codec?: PayloadCodec;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    gateway: CaseGateway;
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
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.decorate(
    'gateway',
    new CaseGateway({
      temporal: deps.temporal,
      db: deps.database.db,
      taskQueue: deps.config.taskQueue,
      policy: deps.policy ?? defaultPolicy,
      deadlineMs: deps.temporalDeadlineMs ?? 10_000,
    }),
  );
  app.setErrorHandler(errorHandler);
  // JSON only: anything else is a 415, not a body that fails validation.
  app.removeContentTypeParser('text/plain');
  // The API's own description and its viewer are public; every other route names its roles.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, roles: 'public' };
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 'not-found', `no route ${request.method} ${request.url}`));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    // Swagger UI at /docs needs its inline scripts and styles.
    contentSecurityPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Complaint service API',
        version: '1.0.0',
        description:
          'Register environmental complaints and move them through acceptance, assignment, handling, callback and closure. Authenticate with `Authorization: Bearer <key>`. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'complaints', description: 'Intake and views' },
        { name: 'actions', description: 'Moves of registrars, units, leaders and integrators' },
        { name: 'overrides', description: 'Supervisor overrides; each needs a reason' },
        { name: 'directory', description: 'Leaders who own escalated cases; spot checks on demand' },
        { name: 'reports', description: 'Rates, monthly counts, hotspots, backlog (JSON or CSV)' },
        { name: 'ops', description: 'The payload codec for the Temporal UI and CLI' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(authPlugin, { keys: deps.apiKeys });
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    // Per key, so one busy integrator cannot starve the others; unauthenticated calls per address.
    keyGenerator: (request) => request.principal?.id ?? request.ip,
    allowList: (request) => request.routeOptions.config.roles === 'public',
  });

  app.get('/openapi.json', { config: { roles: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes);
  await app.register(complaintRoutes);
  await app.register(actionRoutesPlugin);
  await app.register(reportRoutes);
  await app.register(directoryRoutes);
  await app.register(deadLetterRoutes);
  if (deps.codec) await app.register(codecRoutes, { codec: deps.codec, origins: deps.config.codecCorsOrigins });
  return app;
}
