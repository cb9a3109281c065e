/**
 * `npm run payload-key -- [id]`: makes a new AES-256 key for PAYLOAD_KEYS and prints it as the
 * line to put in `.env` beside docker-compose.yml (or the deployment's secret store). To rotate,
 * append the new entry after the old ones (`old,new`): the newest encrypts, every one listed
 * still decrypts the histories written with it.
 */
import { newKeyEntry, parsePayloadKeys } from '../lib/codec';

const id = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
try {
  const entry = newKeyEntry(id);
  parsePayloadKeys(entry);
  console.log(`PAYLOAD_KEYS=${entry}`);
} catch (err) {
  console.error(`${(err as Error).message}\nusage: npm run payload-key -- [id: letters, digits, dot, dash, underscore]`);
  process.exit(2);
}
