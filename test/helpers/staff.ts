import { createSession, storeAccount } from '../../db/accounts';
import type { Db } from '../../db/client';
import type { StaffRole } from '../../lib/principal';
import { sha256 } from '../../api/sessions';

/**
 * The staff the API tests act as: accounts with a session each, made once by the global setup,
 * so a test sends the person's session cookie as a browser would. Without a unit they see every
 * case (like province staff); the unit handlers see their unit's.
 */
export const staff = {
  registrar: { id: 'reg-1', name: '测试登记员', roles: ['registrar'], token: 'test-session-registrar' },
  unitA: { id: 'officer-a', name: '南城办事员', roles: ['unit'], unitId: 'unit-a', token: 'test-session-unit-a' },
  unitB: { id: 'officer-b', name: '东城办事员', roles: ['unit'], unitId: 'unit-b', token: 'test-session-unit-b' },
  leader: { id: 'leader-1', name: '测试领导', roles: ['leader'], token: 'test-session-leader' },
  supervisor: { id: 'sup-1', name: '测试督办员', roles: ['supervisor'], token: 'test-session-supervisor' },
} as const satisfies Record<string, { id: string; name: string; roles: readonly StaffRole[]; unitId?: string; token: string }>;

/** Long enough for the whole suite; the idle limit is counted from the last use, the test's. */
const sessionHours = 24;

export async function seedTestStaff(db: Db): Promise<void> {
  const now = new Date();
  for (const person of Object.values(staff)) {
    await storeAccount(db, person.id, {
      name: person.name,
      roles: [...person.roles],
      unitId: 'unitId' in person ? person.unitId : null,
      active: true,
      oidcSubject: null,
    });
    await createSession(db, {
      tokenSha256: sha256(person.token),
      accountId: person.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
    });
  }
}
