import type { StaffRole } from './principal';

/**
 * Who reads and who keeps each directory: the leaders of escalation (api/routes/directory.ts),
 * the organisation's units (api/routes/organisation.ts) and the duty roster (api/routes/duty.ts).
 * The routes take their `config.roles` from here and the console (console/src/pages/directory)
 * offers its edit buttons by the same lists, so it never offers what would answer 403. Type
 * imports only: the browser bundle takes these lists alone.
 */
const everyone = ['registrar', 'unit', 'leader', 'supervisor', 'ops', 'admin'] as const satisfies readonly StaffRole[];

export const directoryAccess = {
  leaders: { read: ['supervisor', 'ops', 'leader'], edit: ['supervisor', 'ops'] },
  // Every member of staff reads the organisation; integrators are machines outside it.
  units: { read: everyone, edit: ['supervisor', 'ops', 'admin'] },
  duty: { read: everyone, edit: ['supervisor', 'admin'] },
} as const satisfies Record<string, { read: readonly StaffRole[]; edit: readonly StaffRole[] }>;

export type Directory = keyof typeof directoryAccess;

/** Whether a caller holding `roles` may read or edit the directory: any one role suffices, as at the API. */
export const mayAccess = (directory: Directory, access: 'read' | 'edit', roles: readonly string[]): boolean =>
  roles.some((role) => (directoryAccess[directory][access] as readonly string[]).includes(role));
