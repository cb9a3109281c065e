import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Problem } from '../problem';
import { sessionCookie } from '../sessions';

/** Where the API serves the Temporal Web UI: the public path the UI itself is started with. */
export const temporalUiPath = '/temporal';

/**
 * The codec as the UI is told to call it: a path, so the browser sends it to the origin the UI was
 * opened on (this API's, whatever name it is reached by), with the console's session cookie.
 */
export const temporalUiCodecEndpoint = '/codec';

/**
 * What of the caller's credentials the UI server gets: none of this service's. The session and
 * API keys are the API's own; the UI server needs only its CSRF cookie, and a session forwarded
 * to it would reach a process that has no use for it.
 */
function forwardedHeaders(_request: unknown, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { authorization: _authorization, 'x-api-key': _apiKey, cookie, ...rest } = headers;
  const kept = (cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith(`${sessionCookie}=`));
  return kept.length > 0 ? { ...rest, cookie: kept.join('; ') } : rest;
}

/**
 * The Temporal Web UI, passed on from `upstream` (a UI started with the public path `/temporal`)
 * at `/temporal/` of the API (issue 15). Ops read decoded histories in it without setting
 * anything: the UI, the console and the codec share one origin, so the UI's call to `/codec`
 * carries the session of the person signed in to the console, and the codec answers only an ops
 * person (api/routes/codec.ts); anyone else sees the ciphertext and the UI's decode failure. The
 * pages are public, as the UI on its own port is; they show what Temporal holds, which is
 * encrypted (lib/codec.ts) but for the memo and search attributes, which carry no personal data.
 */
export const temporalUiRoutes: FastifyPluginAsync<{ upstream: string }> = async (app, { upstream }) => {
  // The UI's assets and polls are no API: out of the OpenAPI document, and out of the request log
  // at info (a page load is a hundred requests); a quieter level configured stays.
  const logLevel = (['warn', 'error', 'fatal', 'silent'] as const).find((level) => level === app.log.level) ?? 'warn';
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
    route.logLevel = logLevel;
  });
  await app.register(httpProxy, {
    upstream,
    prefix: temporalUiPath,
    rewritePrefix: temporalUiPath,
    // Public: no role is needed to load the UI, and its requests are not counted against the
    // caller's rate limit (api/app.ts allows public routes), which a page load would spend.
    config: { roles: 'public' },
    disableRequestLogging: true,
    replyOptions: {
      rewriteRequestHeaders: forwardedHeaders,
      // A UI that is down or went away mid-answer is a 503 problem like any part that does not answer, not a 500.
      onError: (reply, { error }) => {
        reply.log.warn({ err: error }, 'the Temporal Web UI does not answer');
        void reply.send(new Problem('not-ready', 'the Temporal Web UI does not answer'));
      },
    },
  });
};
