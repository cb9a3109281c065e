import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findKey, type ApiKey, type Principal } from '../lib/api-keys';
import type { Actor, Role } from '../workflows/model';
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

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

/**
 * API keys mapped to roles. Every route declares its roles in `config.roles`; a route that
 * forgets to is closed to everyone, not open.
 */
export const authPlugin = fp<{ keys: readonly ApiKey[] }>(async (app, { keys }) => {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles;
    // CORS preflights carry no credentials by design; the CORS plugin answers them.
    if (roles === 'public' || request.routeOptions.url === undefined || request.method === 'OPTIONS') return;
    const key = presentedKey(request);
    const principal = key ? findKey(keys, key) : undefined;
    if (!principal) throw new Problem('unauthenticated', 'send the key as "Authorization: Bearer <key>" or "X-API-Key"');
    request.principal = principal;
    if (!roles?.includes(principal.role)) {
      throw new Problem('forbidden', `role ${principal.role} may not call ${request.method} ${request.routeOptions.url}`);
    }
  });
});

export function actorOf(principal: Principal): Actor {
  return { role: principal.role, id: principal.id, ...(principal.unitId ? { unitId: principal.unitId } : {}) };
}
