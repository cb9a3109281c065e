import { createHash, randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createSession, deleteSession, touchSession, type Account } from '../db/accounts';
import type { Db } from '../db/client';
import type { CallerRole, Principal } from '../lib/principal';

/** The session cookie: an opaque random token; the server keeps only its SHA-256. */
export const sessionCookie = 'complaints_session';

export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export function principalOf(account: Account): Principal {
  return {
    via: 'session',
    id: account.id,
    name: account.name,
    roles: account.roles as CallerRole[],
    ...(account.unitId ? { unitId: account.unitId } : {}),
  };
}

/**
 * Browser sessions for the bureau's staff. Every sign-in mints a new token (a token the browser
 * brought is never promoted: no fixation); sign-out deletes it server-side; a session ends when
 * idle for `idleMs` or `maxMs` after sign-in. The cookie is HttpOnly, SameSite=Lax (no cross-site
 * POST carries it) and Secure unless the API is reached on a loopback address.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    readonly limits: SessionLimits,
  ) {}

  async signIn(request: FastifyRequest, reply: FastifyReply, account: Account): Promise<Date> {
    await this.signOut(request, reply);
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.limits.maxMs);
    await createSession(this.db, { tokenSha256: sha256(token), accountId: account.id, createdAt: now, lastSeenAt: now, expiresAt });
    reply.setCookie(sessionCookie, token, { ...cookieOptions(request), expires: expiresAt });
    return expiresAt;
  }

  /** The signed-in person, if the request carries a live session. */
  async resolve(request: FastifyRequest): Promise<Principal | undefined> {
    const token = request.cookies[sessionCookie];
    if (!token) return undefined;
    const live = await touchSession(this.db, sha256(token), this.limits.idleMs);
    return live && principalOf(live.account);
  }

  async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[sessionCookie];
    if (token) await deleteSession(this.db, sha256(token));
    if (token) reply.clearCookie(sessionCookie, cookieOptions(request));
  }

  /** Whether the request brings a session cookie at all (so a 401 can say the session ended). */
  static presented(request: FastifyRequest): boolean {
    return Boolean(request.cookies[sessionCookie]);
  }
}

export function cookieOptions(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: !loopbackHosts.has(request.hostname) };
}
