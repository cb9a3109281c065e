/**
 * `npm run api-key -- <id> <integrator|ops>`: makes a new API key for a machine (staff sign in
 * with accounts: `npm run user`). Prints the key once (give it to
 * the caller) and the entry to add to API_KEYS_FILE, which holds only its SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { hashKey, machineRoles, parseApiKeys } from '../lib/api-keys';

const [id, role] = process.argv.slice(2);
try {
  const key = `cs_${randomBytes(24).toString('base64url')}`;
  const [entry] = parseApiKeys([{ id, role, sha256: hashKey(key) }], 'arguments');
  console.log(`key (shown once): ${key}`);
  console.log(`entry for API_KEYS_FILE: ${JSON.stringify(entry)}`);
} catch (err) {
  console.error(`${(err as Error).message}\nusage: npm run api-key -- <id> <${machineRoles.join('|')}>`);
  process.exit(2);
}
