import type { Role } from '../workflows/model';

/** The roles a caller can hold: every role but the workflow's own. */
export type CallerRole = Exclude<Role, 'system'>;

/** The roles of the bureau's staff, who sign in as people; integrators are machines with API keys. */
export const staffRoles = ['registrar', 'unit', 'leader', 'supervisor', 'ops', 'admin'] as const satisfies readonly CallerRole[];
export type StaffRole = (typeof staffRoles)[number];

/** Who is calling: a machine with an API key, or a person signed in with a session. */
export interface Principal {
  via: 'key' | 'session';
  /** The key's id, or the person's account id. */
  id: string;
  /** The person's name; keys have none. */
  name?: string;
  roles: readonly CallerRole[];
  /** The unit the caller belongs to (required for the `unit` role). */
  unitId?: string;
}

export const holds = (principal: Principal, role: CallerRole): boolean => principal.roles.includes(role);
