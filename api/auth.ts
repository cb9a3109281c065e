import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findKey, type ApiKey } from '../lib/api-keys';
import type { CallerRole, Principal } from '../lib/principal';
import type { Actor, Role } from '../workflows/model';
import { FailedLogins } from './failed-logins';
import { Problem } from './problem';
import { Sessions } from './sessions';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    sessions: Sessions;
    failedLogins: FailedLogins;
  }
  interface FastifyContextConfig {
    /** Who may call the route; `public` routes need no credentials. */
    roles?: readonly CallerRole[] | 'public';
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

const unauthenticated = (detail = 'sign in (POST /session), or send an API key as "Authorization: Bearer <key>" or "X-API-Key"') =>
  new Problem('unauthenticated', detail);

/**
 * Who is calling: a machine with an API key, or a person with a session cookie (api/sessions.ts).
 * Every route declares its roles in `config.roles`; a route that forgets to is closed to everyone,
 * not open. A caller passes when any role it holds is among them. A wrong key counts against the
 * caller's address (see failed-logins.ts), as does a wrong password at sign-in; a request without
 * any credentials is no attempt and is not counted.
 */
export const authPlugin = fp<{ keys: readonly ApiKey[]; sessions: Sessions }>(async (app, { keys, sessions }) => {
  const failedLogins = new FailedLogins();
  app.decorate('sessions', sessions);
  app.decorate('failedLogins', failedLogins);
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles;
    // CORS preflights carry no credentials by design; the CORS plugin answers them.
    if (request.routeOptions.url === undefined || request.method === 'OPTIONS') return;
    const key = presentedKey(request);
    // A public route needs nobody; it learns who calls if the credentials are good, and counts no failure.
    if (roles === 'public') {
      const caller = key !== undefined ? findKey(keys, key) : await sessions.resolve(request);
      if (caller) request.principal = caller;
      return;
    }
    let principal: Principal | undefined;
    if (key !== undefined) {
      principal = findKey(keys, key);
      if (!principal) {
        await refuse(failedLogins, request, reply);
        throw unauthenticated();
      }
    } else {
      principal = await sessions.resolve(request);
      if (!principal) throw unauthenticated(Sessions.presented(request) ? 'the session has ended: sign in again' : undefined);
    }
    request.principal = principal;
    if (!principal.roles.some((role) => roles?.includes(role))) {
      throw new Problem('forbidden', `${principal.roles.join(', ')} may not call ${request.method} ${request.routeOptions.url}`);
    }
  });
});

/** Counts a failed authentication of the caller's address: 429 past the limit, else a 401 held back a little. */
export async function refuse(failedLogins: FailedLogins, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const retryAfter = failedLogins.refusedFor(request.ip);
  if (retryAfter !== undefined) {
    reply.header('retry-after', String(retryAfter));
    throw new Problem('too-many-failed-logins', `too many failed sign-ins from this address; retry in ${retryAfter} s`);
  }
  await delay(failedLogins.fail(request.ip));
}

/** The actor of an act that `allowed` roles may take: the caller in the first of its roles among them. */
export function actorOf(principal: Principal, allowed: readonly Role[]): Actor {
  const role = principal.roles.find((r) => allowed.includes(r)) ?? principal.roles[0] ?? 'integrator';
  return {
    role,
    id: principal.id,
    ...(principal.name !== undefined ? { name: principal.name } : {}),
    ...(principal.unitId ? { unitId: principal.unitId } : {}),
  };
}
