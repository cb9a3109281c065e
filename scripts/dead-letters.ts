/**
 * `npm run dead-letters`: the read-side writes Postgres refused for good.
 * `npm run dead-letters -- redrive [id …]`: writes them again (all pending, or the given ids)
 * after the fix; exits 1 if any is still refused.
 */
import { redriveDeadLetters } from '../activities/dead-letters';
import { pendingDeadLetters } from '../db/dead-letters';
import { runCommand } from './command';

runCommand(async (db) => {
  const [command, ...ids] = process.argv.slice(2);
  if (command === 'redrive') {
    const results = await redriveDeadLetters(db, ids.length > 0 ? ids : undefined);
    for (const r of results) console.log(`${r.ok ? 'written ' : 'refused '} ${r.id}${r.error ? `: ${r.error}` : ''}`);
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} written, ${failed} still refused`);
    return failed > 0 ? 1 : 0;
  }
  if (command !== undefined) {
    console.error(`unknown command ${command}: use no command to list, or "redrive [id …]"`);
    return 2;
  }
  const pending = await pendingDeadLetters(db);
  for (const l of pending) console.log(`${l.lastFailedAt.toISOString()}  ${l.id}  ×${l.failures}  ${l.error}`);
  console.log(`${pending.length} pending dead letters`);
  return 0;
});
