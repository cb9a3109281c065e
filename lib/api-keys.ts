import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Role } from '../workflows/model';
import type { Principal } from './principal';

/** A caller of the API: who it is and what it may do. Keys are stored only as SHA-256 hashes. */
export interface ApiKey {
  id: string;
  role: Exclude<Role, 'system'>;
  /** For a handling unit: the unit whose cases it sees and acts on. */
  unitId?: string;
  sha256: string;
}

const roles: readonly ApiKey['role'][] = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops'];

export function hashKey(plain: string): string {
  return createHash('sha256').update(plain).digest('hex');
}

export function parseApiKeys(json: unknown, origin: string): ApiKey[] {
  if (!Array.isArray(json)) throw new Error(`${origin}: must be a JSON array of keys`);
  return json.map((entry: unknown, i) => {
    const k = entry as Partial<ApiKey>;
    const where = `${origin}[${i}]`;
    if (typeof k.id !== 'string' || !k.id) throw new Error(`${where}.id must be a non-empty string`);
    if (!roles.includes(k.role as ApiKey['role'])) throw new Error(`${where}.role must be one of ${roles.join(', ')}`);
    if (typeof k.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(k.sha256)) throw new Error(`${where}.sha256 must be 64 hex digits`);
    if (k.role === 'unit' && !k.unitId) throw new Error(`${where}.unitId is required for a unit key`);
    return { id: k.id, role: k.role as ApiKey['role'], sha256: k.sha256, ...(k.unitId ? { unitId: k.unitId } : {}) };
  });
}

export function loadApiKeys(file: string): ApiKey[] {
  return parseApiKeys(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Constant-time lookup of a presented key. */
export function findKey(keys: readonly ApiKey[], presented: string): Principal | undefined {
  const hash = Buffer.from(hashKey(presented), 'hex');
  const match = keys.find((k) => timingSafeEqual(Buffer.from(k.sha256, 'hex'), hash));
  if (!match) return undefined;
  return { via: 'key', id: match.id, roles: [match.role], ...(match.unitId ? { unitId: match.unitId } : {}) };
}

/**
 * Development only: one key per role in `file`, made on first use, so `npm start` has callers to
 * try the API with. Production passes API_KEYS_FILE with hashes only.
 */
export function developmentKeys(file: string): { keys: ApiKey[]; plain: Record<string, string> } {
  if (!existsSync(file)) {
    const plain: Record<string, string> = {};
    for (const id of ['integrator', 'registrar', 'unit-a', 'leader-1', 'leader-2', 'leader-3', 'supervisor', 'ops']) {
      plain[id] = `dev-${id}-${randomBytes(12).toString('hex')}`;
    }
    writeFileSync(file, JSON.stringify(plain, null, 2) + '\n', { mode: 0o600 });
  }
  const plain = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const keys: ApiKey[] = Object.entries(plain).map(([id, key]) => ({
    id,
    role: id === 'unit-a' ? 'unit' : id.startsWith('leader-') ? 'leader' : (id as ApiKey['role']),
    sha256: hashKey(key),
    ...(id === 'unit-a' ? { unitId: 'unit-a' } : {}),
  }));
  return { keys, plain };
}
