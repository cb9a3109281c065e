/** Writes docs/lifecycle.md from the action table (npm run docs:lifecycle). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lifecycleDocument } from '../lib/lifecycle-doc';

const file = path.join(__dirname, '..', 'docs', 'lifecycle.md');
writeFileSync(file, lifecycleDocument());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
