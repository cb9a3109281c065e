import sse from '@fastify/sse';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LiveHub, type EndReason } from '../live-events';
import { Problem, problemResponses } from '../problem';
import { requestScope } from '../scope';
import { sessionCookie, sha256 } from '../sessions';

/** The staff who read cases; an integrator polls its own cases' views instead. */
const watchers = ['registrar', 'unit', 'leader', 'supervisor', 'ops'] as const;

/** A comment line this often keeps proxies and the browser from taking a quiet stream for a dead one. */
const keepAliveMs = 20_000;
/** How soon a browser reconnects after the stream ended (the EventSource `retry`). */
const reconnectMs = 5_000;
/** Tabs of one person; each holds a connection (a browser allows 6 per host over HTTP/1.1). */
const maxStreamsPerPerson = 5;

const CaseMovedSchema = Type.Object({
  id: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  status: Type.String({ examples: ['assigned'] }),
  version: Type.Integer({ description: "the case row's sequence: a higher one is newer", examples: [7] }),
  at: Type.String({ format: 'date-time', description: 'when the read side recorded the move' }),
});

const streamDescription = [
  'A live stream (Server-Sent Events, `text/event-stream`) of the cases the caller may see, for the console: it re-reads what it shows instead of polling.',
  '',
  '- `event: ready`, once, when the stream is up.',
  '- `event: case`, data `{ id, status, version, at }` (JSON): a case in the caller’s scope moved (its read-side row was written and committed), or just left the caller’s unit. No personal data: read the case to see more.',
  '- `event: session-ended`: the session was signed out, went idle or ended; the stream closes. Sign in again.',
  '- `event: unavailable` or `event: closing`: the server stops this stream (its change feed was lost, or it is shutting down); reconnect and re-read.',
  `- Comment lines (\`: heartbeat\`) every ${keepAliveMs / 1000} s keep the connection open.`,
  '',
  `Events missed while disconnected are not replayed (no \`Last-Event-ID\`): re-read on reconnect. At most ${maxStreamsPerPerson} streams per person at once (429 beyond).`,
].join('\n');

function sessionOf(request: FastifyRequest): string | undefined {
  const token = request.cookies[sessionCookie];
  return request.principal.via === 'session' && token ? sha256(token) : undefined;
}

/** Sends the reason as the last event, then ends the response; a socket already gone is left alone. */
function endStream(request: FastifyRequest, reply: FastifyReply, reason: EndReason): void {
  if (!reply.sse.isConnected) return;
  reply.sse
    .send({ event: reason, data: {} })
    .catch(() => undefined)
    .finally(() => {
      reply.sse.close();
      // A closing server waits for its connections: this one is done, not kept alive for another request.
      if (reason === 'closing') request.raw.socket.destroySoon();
    });
}

/**
 * `GET /events`: the live change stream (api/live-events.ts). Registered with fastify-plugin so its
 * hooks see the whole app: a sign-out or a new sign-in ends the streams of the session it ends,
 * and the app's close ends every stream before the server waits for its connections.
 */
export const eventRoutes = fp(async (app) => {
  const hub = new LiveHub({
    db: app.deps.database.db,
    pool: app.deps.database.pool,
    logger: app.deps.logger,
    sessionIdleMs: app.sessions.limits.idleMs,
    maxPerPerson: maxStreamsPerPerson,
    sessionCheckMs: 30_000,
  });
  // preClose: onClose runs after the server has begun waiting for the open streams to end.
  app.addHook('preClose', async () => hub.close());
  app.addHook('onResponse', async (request, reply) => {
    const ended = request.routeOptions.url === '/session' && (request.method === 'DELETE' || request.method === 'POST') && reply.statusCode < 300;
    const token = request.cookies[sessionCookie];
    if (ended && token) hub.endSession(sha256(token));
  });

  await app.register(async (scoped) => {
    await scoped.register(sse, { heartbeatInterval: keepAliveMs });
    scoped.get(
      '/events',
      {
        sse: 'only',
        config: { roles: watchers },
        schema: {
          tags: ['complaints'],
          summary: 'Live changes of the cases the caller may see (Server-Sent Events)',
          description: streamDescription,
          response: {
            200: {
              description: 'An endless `text/event-stream`; each `case` event’s data is the JSON below.',
              content: { 'text/event-stream': { schema: CaseMovedSchema } },
            },
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const scope = await requestScope(request, app.deps.database.db);
        const leave = await hub
          .join({
            personId: request.principal.id,
            scope,
            sessionSha256: sessionOf(request),
            send: (event) => void reply.sse.send({ event: 'case', data: event }).catch(() => undefined),
            end: (reason) => endStream(request, reply, reason),
          })
          .catch((err: unknown) => {
            if (err instanceof Problem && err.problem === 'rate-limited') err.retryAfterSeconds = 60;
            throw err;
          });
        // The browser may have gone while the feed was being listened to: the close already happened.
        if (!reply.sse.isConnected) return leave();
        reply.sse.onClose(leave);
        reply.sse.keepAlive();
        // The onSend hook that sets it does not run for a stream.
        reply.header('x-request-id', request.id);
        await reply.sse.send({ event: 'ready', data: {}, retry: reconnectMs });
      },
    );
  });
  app.decorate('liveHub', hub);
});

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
  }
}
