import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findKey, type ApiKey, type Principal } from '../lib/api-keys';
import type { Actor, Role } from '../workflows/model';
import { FailedLogins } from './failed-logins';
import { Problem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Who may call the route; `public` routes need no key. */
    roles?: readonly Exclude<Role, 'system'>[] | 'public';
  }
}

// RFC 7235: the scheme is case-insensitive, so `bearer` and `BEARER` are Bearer too.
const bearerScheme = /^bearer +(.+)$/i;

function presentedKey(request: FastifyRequest): string | undefined {
  const bearer = bearerScheme.exec(request.headers.authorization ?? '');
  if (bearer?.[1]) return bearer[1].trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

const unauthenticated = () => new Problem('unauthenticated', 'send the key as "Authorization: Bearer <key>" or "X-API-Key"');

/**
 * API keys mapped to roles. Every route declares its roles in `config.roles`; a route that
 * forgets to is closed to everyone, not open. A wrong key counts against the caller's address
 * (see failed-logins.ts); a request without any key is no attempt and is not counted.
 */
export const authPlugin = fp<{ keys: readonly ApiKey[] }>(async (app, { keys }) => {
  const failedLogins = new FailedLogins();
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles;
    // CORS preflights carry no credentials by design; the CORS plugin answers them.
    if (roles === 'public' || request.routeOptions.url === undefined || request.method === 'OPTIONS') return;
    const key = presentedKey(request);
    if (!key) throw unauthenticated();
    const principal = findKey(keys, key);
    if (!principal) {
      const retryAfter = failedLogins.refusedFor(request.ip);
      if (retryAfter !== undefined) {
        reply.header('retry-after', String(retryAfter));
        throw new Problem('too-many-failed-logins', `too many wrong keys from this address; retry in ${retryAfter} s`);
      }
      await delay(failedLogins.fail(request.ip));
      throw unauthenticated();
    }
    request.principal = principal;
    if (!roles?.includes(principal.role)) {
      throw new Problem('forbidden', `role ${principal.role} may not call ${request.method} ${request.routeOptions.url}`);
    }
  });
});

export function actorOf(principal: Principal): Actor {
  return { role: principal.role, id: principal.id, ...(principal.unitId ? { unitId: principal.unitId } : {}) };
}
