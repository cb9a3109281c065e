/**
 * `npm run setup`: finds or installs the Temporal CLI and test server and says which it uses.
 * Safe to run again: a binary already found is kept. `npm start` and `npm test` do the same on
 * demand, so this is only a way to pay the download up front.
 */
import { describeBinary, resolveTemporalBinary, type BinaryKind } from '../lib/temporal-binaries';

const log = (line: string) => console.log(`[setup] ${line}`);
for (const kind of ['cli', 'testServer'] as BinaryKind[]) {
  log(describeBinary(resolveTemporalBinary(kind, { log })));
}
