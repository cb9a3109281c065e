import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type ConnectionError, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Database } from '../db/client';
import type { ApiKey } from '../lib/api-keys';
import type { Attachments } from '../lib/attachments';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { defaultPolicy, type Policy } from '../workflows/policy';
import { authPlugin } from './auth';
import { intakeLimits } from './admission';
import { CaseGateway } from './case-gateway';
import { ActionReceiptSchema, CaseViewSchema } from './case-view';
import { startClaimSweeper } from './claim-expiry';
import { defaultDeadlines, holdToDeadline, type Deadlines } from './deadline';
import { Intake } from './intake';
import { errorHandler, Problem, problemBody, problemTypes, sendProblem, withProblemMediaType, type ProblemType } from './problem';
import { actionRoutesPlugin } from './routes/actions';
import { jointPartRoutes, PartStateSchema } from './routes/joint-parts';
import { attachmentRoutes } from './routes/attachments';
import { codecRoutes } from './routes/codec';
import { consoleRoutes } from './routes/console';
import { temporalUiRoutes } from './routes/temporal-ui';
import { deadLetterRoutes } from './routes/dead-letters';
import { deliveryRoutes } from './routes/deliveries';
import { templateRoutes } from './routes/templates';
import { publicStatusRoutes } from './routes/public-status';
import { rewardClaimRoutes } from './routes/rewards';
import { rewardReportRoutes } from './routes/reward-report';
import { surveyRoutes } from './routes/survey';
import { hotlineRoutes } from './routes/hotline';
import { inboxRoutes } from './routes/inbox';
import { defaultHotlineMapping, type HotlineMapping } from '../lib/hotline';
import type { SurveyLinks } from '../lib/survey-links';
import { feedRoutes } from './routes/feed';
import { webhookRoutes } from './routes/webhooks';
import { complaintRoutes } from './routes/complaints';
import { directoryRoutes } from './routes/directory';
import { eventRoutes } from './routes/events';
import { calendarRoutes } from './routes/calendar';
import { dutyRoutes } from './routes/duty';
import { organisationRoutes } from './routes/organisation';
import { healthRoutes } from './routes/health';
import { RefundableCounts, refundedStatus } from './rate-limit-store';
import { reportRoutes } from './routes/reports';
import { sessionRoutes } from './routes/session';
import { accountRoutes } from './routes/accounts';
import { oidcRoutes } from './routes/oidc';
import { sessionCookie, Sessions } from './sessions';

export interface AppDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  database: Database;
  apiKeys: readonly ApiKey[];
  /** The policy new cases start with; running cases keep their own. */
  policy?: Policy;
  rateLimitPerMinute?: number;
  /** How long one call to Temporal may take before the API answers 503 (default 10 s). */
  temporalDeadlineMs?: number;
  /** The payload codec, served to ops at /codec for the Temporal UI and CLI. */
  codec?: PayloadCodec;
  /** Verifies the survey links sent with results (the worker signs them): without it, no survey routes. */
  surveys?: SurveyLinks;
  /** How the hotline platform writes its work orders (default: the 12345 platforms' field names). */
  hotline?: HotlineMapping;
  /** How long any request may take, from arrival to answer (default 10 s). */
  requestDeadlineMs?: number;
  /** How long a registration may take, queueing included (default 30 s). */
  intakeDeadlineMs?: number;
  /** How recent a poll must be for /readyz to count a worker (default: api/routes/health.ts workerPollWindowMs). */
  workerPollWindowMs?: number;
  /** Where attachments are kept (lib/attachments): without it, no attachment routes. */
  attachments?: Attachments;
  /** Whether the hourly sweep of stale intake claims runs (api/claim-expiry.ts); default yes. */
  sweepIntakeClaims?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    gateway: CaseGateway;
    intake: Intake;
  }
}

/**
 * An integrator's own request id, so one id follows a call through their logs and ours; one that
 * is too long or holds other characters is replaced, never echoed into logs, headers and Temporal.
 */
const safeRequestId = /^[A-Za-z0-9._:-]{1,128}$/;
function requestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && safeRequestId.test(given) ? given : randomUUID();
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers or a URL over 16 KiB,
 * malformed HTTP, a request too slow to arrive) is answered as problem+json too, on the socket.
 */
function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem: ProblemType =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request-timeout' : 'validation';
  const { status } = problemTypes[problem];
  const body = JSON.stringify(problemBody(problem, problem === 'validation' ? 'the request is not valid HTTP' : undefined));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Builds the HTTP API without listening, so tests drive it with `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed as a plain FastifyInstance.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- it changes the app's type, not the value's
    loggerInstance: deps.logger as FastifyBaseLogger,
    // genReqId reads and checks x-request-id itself: Fastify would take the header as it is.
    requestIdHeader: false,
    genReqId: requestId,
    // Errors of the router (a path segment over 100 characters: 414, a bad %-escape: 400).
    frameworkErrors: (error, request, reply) => void errorHandler(error, request, reply),
    clientErrorHandler,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  const deadlines: Deadlines = {
    requestMs: deps.requestDeadlineMs ?? defaultDeadlines.requestMs,
    intakeMs: deps.intakeDeadlineMs ?? defaultDeadlines.intakeMs,
    temporalCallMs: deps.temporalDeadlineMs ?? defaultDeadlines.temporalCallMs,
  };
  const gateway = new CaseGateway({
    temporal: deps.temporal,
    db: deps.database.db,
    taskQueue: deps.config.taskQueue,
    policy: deps.policy ?? defaultPolicy,
    deadlineMs: deadlines.temporalCallMs,
  });
  app.decorate('gateway', gateway);
  app.decorate('intake', new Intake({ db: deps.database.db, gateway, admission: intakeLimits(deps.config.intakeConcurrency, deadlines) }));
  app.setErrorHandler(errorHandler);
  // JSON only: anything else is a 415, not a body that fails validation.
  app.removeContentTypeParser('text/plain');
  // The API's own description and its viewer are public; every other route names its roles.
  // Every route's error responses are declared as what sendProblem sends: problem+json.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, roles: 'public' };
    if (route.schema?.response) route.schema = { ...route.schema, response: withProblemMediaType(route.schema.response) };
  });
  // Every route answers within the deadline, whatever Postgres and Temporal wait underneath.
  app.addHook('onRoute', (route) => holdToDeadline(route, deadlines));
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 'not-found', `no route ${request.method} ${request.url}`));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    // Swagger UI at /docs needs its inline scripts and styles.
    contentSecurityPolicy: false,
  });
  // Shapes the OpenAPI document shows once, as named components, that the routes' answers refer to.
  const components = [CaseViewSchema, ActionReceiptSchema, PartStateSchema];
  for (const schema of components) app.addSchema(schema);
  const componentIds = new Set<unknown>(components.map((schema) => (schema as { $id?: string }).$id));
  await app.register(swagger, {
    // Components are named by their $id (CaseView, TimelineEntry…), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // A response that is one of the components is a reference to it, not a copy.
    transform: ({ schema, url }) => {
      const response = schema?.response as Record<string, { $id?: unknown }> | undefined;
      if (!response) return { schema, url };
      const referenced = Object.fromEntries(
        Object.entries(response).map(([status, s]) => [status, componentIds.has(s?.$id) ? { $ref: `${String(s.$id)}#` } : s]),
      );
      return { schema: { ...schema, response: referenced }, url };
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Complaint service API',
        version: '1.0.0',
        description:
          'Register environmental complaints and move them through acceptance, assignment, handling, callback and closure. Staff sign in (`POST /session`) and are known by a session cookie; integrators send `Authorization: Bearer <key>`. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: sessionCookie },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
      tags: [
        { name: 'complaints', description: 'Intake and views' },
        { name: 'actions', description: 'Moves of registrars, units, leaders and integrators' },
        { name: 'overrides', description: 'Supervisor overrides; each needs a reason' },
        { name: 'directory', description: 'Leaders who own escalated cases; spot checks on demand' },
        { name: 'organisation', description: 'The units, their level, parent and jurisdiction, and every version' },
        { name: 'duty', description: 'The 7×24 duty roster (值班): duty leaders, duty officers and rapid-response teams, by district and slot' },
        { name: 'reports', description: 'Rates, monthly counts, hotspots, backlog (JSON or CSV)' },
        { name: 'webhooks', description: 'Integrators hear of their cases: subscriptions, signed posts (Standard Webhooks), the messages given up' },
        { name: 'notices', description: 'How notices are worded where a gateway needs it approved first (SMS templates)' },
        { name: 'ops', description: 'The payload codec for the Temporal UI and CLI; what did not go through (dead letters, deliveries, webhooks)' },
        { name: 'public', description: "For the complainant, without signing in: the case's progress by its query code (查询码), the satisfaction survey" },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'people', description: 'Sign-in, sessions and staff accounts' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(cookie);
  const sessions = new Sessions(deps.database.db, {
    idleMs: deps.config.sessionIdleMinutes * 60_000,
    maxMs: deps.config.sessionMaxHours * 3_600_000,
  });
  await app.register(authPlugin, { keys: deps.apiKeys, sessions });
  // Calls answered 5xx or 429 are refunded, so a client retrying through our outage keeps its budget.
  const rateCounts = new RefundableCounts();
  app.addHook('onResponse', async (request, reply) => {
    if (refundedStatus(reply.statusCode)) rateCounts.refund(request);
  });
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 600,
    store: rateCounts.storeClass(),
    // The plugin calls one of these right after counting a request: remember it for the refund.
    onExceeding: (request, key) => rateCounts.markCounted(request, key),
    onExceeded: (request, key) => rateCounts.markCounted(request, key),
    timeWindow: '1 minute',
    // Per key, so one busy integrator cannot starve the others; unauthenticated calls per address.
    keyGenerator: (request) => request.principal?.id ?? request.ip,
    allowList: (request) => request.routeOptions.config.roles === 'public',
    // Thrown by the plugin after it has set Retry-After, so errorHandler answers problem+json.
    errorResponseBuilder: (_request, context) => new Problem('rate-limited', `retry in ${context.after}`),
  });

  app.get('/openapi.json', { config: { roles: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes);
  await app.register(sessionRoutes);
  await app.register(accountRoutes);
  await app.register(oidcRoutes);
  await app.register(complaintRoutes);
  await app.register(eventRoutes);
  await app.register(feedRoutes);
  await app.register(webhookRoutes);
  await app.register(calendarRoutes);
  await app.register(actionRoutesPlugin);
  await app.register(jointPartRoutes);
  await app.register(reportRoutes);
  await app.register(rewardReportRoutes);
  await app.register(directoryRoutes);
  await app.register(organisationRoutes);
  await app.register(dutyRoutes);
  await app.register(deadLetterRoutes);
  await app.register(deliveryRoutes);
  await app.register(templateRoutes);
  await app.register(publicStatusRoutes);
  await app.register(rewardClaimRoutes);
  await app.register(inboxRoutes);
  await app.register(consoleRoutes);
  if (deps.config.temporalUiUpstream) await app.register(temporalUiRoutes, { upstream: deps.config.temporalUiUpstream });
  if (deps.sweepIntakeClaims ?? true) {
    const sweeper = startClaimSweeper({ db: deps.database.db, temporal: deps.temporal, logger: deps.logger });
    app.addHook('onClose', async () => sweeper.stop());
  }
  if (deps.surveys) await app.register(surveyRoutes, { surveys: deps.surveys });
  if (deps.attachments) await app.register(attachmentRoutes, { attachments: deps.attachments });
  await app.register(hotlineRoutes, { mapping: deps.hotline ?? defaultHotlineMapping });
  if (deps.codec) await app.register(codecRoutes, { codec: deps.codec, origins: deps.config.codecCorsOrigins });
  return app;
}
