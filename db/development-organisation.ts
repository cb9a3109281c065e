import type { Db } from './client';
import { storeMissingUnits, type UnitChange } from './organisation';

/**
 * Development and tests only: a small organisation, so `npm start`, the tests and the fuzz can
 * assign cases. `unit-a` and `unit-b` are the units the development and test keys belong to and
 * the tests assign (test/helpers/cases.ts); the city covers the districts the tests' cases are in.
 * Parents come before their children.
 */
const developmentUnits: readonly UnitChange[] = [
  { id: 'province', name: '省生态环境厅', level: 'province', parentId: null, districts: [], active: true },
  { id: 'city', name: '市生态环境局', level: 'city', parentId: 'province', districts: ['nancheng', 'dongcheng', 'x'], active: true },
  { id: 'unit-a', name: '南城分局', level: 'district', parentId: 'city', districts: ['nancheng'], active: true },
  { id: 'dongcheng', name: '东城分局', level: 'district', parentId: 'city', districts: ['dongcheng'], active: true },
  // No districts of its own: it covers its district unit's.
  { id: 'unit-b', name: '东城街道办', level: 'street', parentId: 'dongcheng', districts: [], active: true },
];

/**
 * Adds the development units that are missing and leaves those on file alone (a registry someone
 * has edited is theirs), so it may run at every start; returns the ids it added.
 */
export function seedDevelopmentOrganisation(db: Db): Promise<string[]> {
  return storeMissingUnits(db, developmentUnits, 'seed');
}
