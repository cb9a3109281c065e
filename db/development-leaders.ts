import type { Db } from './client';
import { leaders } from './schema';

/**
 * Development only: the leaders behind the development keys `leader-1` to `leader-3`, one system
 * leader per tier, so a case escalated under `npm start` finds an owner who can act. Only into an
 * empty directory: a directory someone has edited is theirs.
 */
export async function seedDevelopmentLeaders(db: Db): Promise<boolean> {
  const existing = await db.select({ id: leaders.id }).from(leaders).limit(1);
  if (existing.length > 0) return false;
  await db
    .insert(leaders)
    .values([
      { id: 'leader-1', name: '开发用科长', tier: 1, district: null },
      { id: 'leader-2', name: '开发用分局长', tier: 2, district: null },
      { id: 'leader-3', name: '开发用市局领导', tier: 3, district: null },
    ])
    .onConflictDoNothing();
  return true;
}
