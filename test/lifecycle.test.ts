import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lifecycleDocument } from '../lib/lifecycle-doc';
import { actionNames, actions, rules } from '../workflows/actions';
import { finalStatuses, statuses } from '../workflows/model';

describe('docs/lifecycle.md', () => {
  it('is what the action table says (npm run docs:lifecycle writes it)', () => {
    const file = readFileSync(path.join(__dirname, '..', 'docs', 'lifecycle.md'), 'utf8');
    expect(file).toBe(lifecycleDocument());
  });

  it('has every status reachable and every open status left by some action', () => {
    const moves = [...actionNames.map((n) => actions[n]), ...Object.values(rules)];
    const reached = new Set(['registered', ...moves.flatMap((m) => m.to ?? [])]);
    const left = new Set(moves.flatMap((m) => (m.to ? m.from : [])));
    expect(statuses.filter((s) => !reached.has(s))).toEqual([]);
    expect(statuses.filter((s) => !finalStatuses.includes(s) && !left.has(s))).toEqual([]);
  });
});
