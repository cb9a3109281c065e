import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Role } from '../workflows/model';
import type { Principal } from './principal';

/**
 * A machine's credentials: integrators (hotlines, portals, bots) and ops tooling (the Temporal
 * CLI's codec, monitors). People sign in with accounts instead (api/sessions.ts), so the
 * timeline names them and their jurisdiction applies. Keys are stored only as SHA-256 hashes.
 */
export interface ApiKey {
  id: string;
  role: MachineRole;
  sha256: string;
}

export const machineRoles = ['integrator', 'ops'] as const satisfies readonly Exclude<Role, 'system'>[];
export type MachineRole = (typeof machineRoles)[number];

export function hashKey(plain: string): string {
  return createHash('sha256').update(plain).digest('hex');
}

export function parseApiKeys(json: unknown, origin: string): ApiKey[] {
  if (!Array.isArray(json)) throw new Error(`${origin}: must be a JSON array of keys`);
  return json.map((entry: unknown, i) => {
    const k = entry as Partial<ApiKey>;
    const where = `${origin}[${i}]`;
    if (typeof k.id !== 'string' || !k.id) throw new Error(`${where}.id must be a non-empty string`);
    if (!machineRoles.includes(k.role as MachineRole)) {
      throw new Error(`${where}.role must be one of ${machineRoles.join(', ')}: staff sign in with accounts (npm run user), not keys`);
    }
    if (typeof k.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(k.sha256)) throw new Error(`${where}.sha256 must be 64 hex digits`);
    return { id: k.id, role: k.role as MachineRole, sha256: k.sha256 };
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
  return { via: 'key', id: match.id, roles: [match.role] };
}

/**
 * Development only: a key for each machine role in `file` (`integrator`, `ops`), made on first
 * use, so `npm start` has callers to try the API with; people sign in with the development
 * accounts. Staff keys an older file still holds are dropped. Production passes API_KEYS_FILE
 * with hashes only.
 */
export function developmentKeys(file: string): { keys: ApiKey[]; plain: Record<MachineRole, string> } {
  const found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<string, string>>) : {};
  const plain = Object.fromEntries(machineRoles.map((role) => [role, found[role] ?? `dev-${role}-${randomBytes(12).toString('hex')}`])) as Record<
    MachineRole,
    string
  >;
  if (machineRoles.some((role) => found[role] !== plain[role]) || Object.keys(found).length !== machineRoles.length) {
    writeFileSync(file, JSON.stringify(plain, null, 2) + '\n', { mode: 0o600 });
  }
  const keys = machineRoles.map((role): ApiKey => ({ id: role, role, sha256: hashKey(plain[role]) }));
  return { keys, plain };
}
