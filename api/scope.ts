import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import { jurisdictionOf } from '../db/organisation';
import { holds, type CallerRole, type Principal } from '../lib/principal';

/**
 * Which cases a caller sees and acts on (issue: scope by jurisdiction):
 * - `all`: province-level staff (their unit covers every district), staff without a unit
 *   (ops, administrators), and the legacy per-role API keys;
 * - `districts`: registrars, supervisors and leaders, the districts of their unit's jurisdiction
 *   (its own, or inherited from the units above it);
 * - `unit`: unit handlers, the cases with their unit, and those it holds a joint part of (联合办理);
 * - `submitted`: integrators, the cases they submitted.
 * Everything outside answers 404, as if it did not exist.
 */
export type Scope =
  { kind: 'all' } | { kind: 'districts'; districts: readonly string[] } | { kind: 'unit'; unitId: string } | { kind: 'submitted'; by: string };

/** Roles whose scope is their unit's jurisdiction rather than the unit's own cases. */
const jurisdictionRoles: readonly CallerRole[] = ['registrar', 'leader', 'supervisor', 'ops', 'admin'];

export async function scopeOf(db: Db, principal: Principal): Promise<Scope> {
  if (principal.roles.some((r) => jurisdictionRoles.includes(r))) {
    if (principal.via === 'key' || !principal.unitId) return { kind: 'all' };
    const jurisdiction = await jurisdictionOf(db, principal.unitId);
    // A unit missing from the registry covers nothing: an account pointing at it sees no case.
    return jurisdiction === 'all' ? { kind: 'all' } : { kind: 'districts', districts: jurisdiction ?? [] };
  }
  if (holds(principal, 'unit')) return { kind: 'unit', unitId: principal.unitId ?? '' };
  return { kind: 'submitted', by: principal.id };
}

const scopes = new WeakMap<FastifyRequest, Promise<Scope>>();

/** The caller's scope, worked out once per request. */
export function requestScope(request: FastifyRequest, db: Db): Promise<Scope> {
  let scope = scopes.get(request);
  if (!scope) {
    scope = scopeOf(db, request.principal);
    scopes.set(request, scope);
  }
  return scope;
}

/** The districts a list or report is narrowed to; undefined: every district. */
export function districtsOf(scope: Scope): readonly string[] | undefined {
  return scope.kind === 'districts' ? scope.districts : undefined;
}
