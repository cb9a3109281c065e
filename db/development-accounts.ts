import { hashPassword } from '../lib/passwords';
import type { StaffRole } from '../lib/principal';
import { getAccount, setPasswordHash, storeAccount } from './accounts';
import type { Db } from './client';

/**
 * Development only: one account per staff role, in the development organisation
 * (db/development-organisation.ts), so `npm start` has people to sign in as. The leaders are the
 * escalation directory's leader-1 to leader-3 (db/development-leaders.ts). Only missing accounts
 * are added: accounts someone has edited are theirs.
 */
export const developmentAccounts: { id: string; name: string; roles: StaffRole[]; unitId: string | null }[] = [
  { id: 'registrar', name: '张登记', roles: ['registrar'], unitId: 'city' },
  { id: 'officer-a', name: '李办理', roles: ['unit'], unitId: 'unit-a' },
  { id: 'leader-1', name: '王科长', roles: ['leader'], unitId: 'city' },
  { id: 'leader-2', name: '陈分局长', roles: ['leader'], unitId: 'city' },
  { id: 'leader-3', name: '刘局长', roles: ['leader'], unitId: 'city' },
  { id: 'supervisor', name: '赵督办', roles: ['supervisor'], unitId: 'city' },
  { id: 'ops', name: '孙运维', roles: ['ops'], unitId: null },
  { id: 'admin', name: '周管理', roles: ['admin'], unitId: null },
];

/** Adds the missing development accounts, all with `password`; answers the ids added. */
export async function seedDevelopmentAccounts(db: Db, password: string): Promise<string[]> {
  const added: string[] = [];
  const hash = await hashPassword(password);
  for (const { id, ...account } of developmentAccounts) {
    if (await getAccount(db, id)) continue;
    await storeAccount(db, id, { ...account, active: true, oidcSubject: null });
    await setPasswordHash(db, id, hash);
    added.push(id);
  }
  return added;
}
