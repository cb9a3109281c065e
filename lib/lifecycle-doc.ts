import { actionNames, actions, rules } from '../workflows/actions';
import { finalStatuses, statuses, type Status } from '../workflows/model';
import { statusZh } from './labels-zh';

/**
 * docs/lifecycle.md, written from the action table (workflows/actions.ts): `npm run
 * docs:lifecycle` writes it, and a test fails when the file and the table differ.
 */

interface Move {
  name: string;
  label: string;
  from: readonly Status[];
  to: readonly Status[] | undefined;
  who: string;
}

const moves: Move[] = [
  ...actionNames.map((name): Move => {
    const spec = actions[name];
    return { name, label: spec.summary, from: spec.from, to: spec.to, who: (spec.override ? ['supervisor'] : spec.roles).join(', ') };
  }),
  ...Object.entries(rules).map(([name, rule]): Move => ({ name, label: 'signal from another system', from: rule.from, to: rule.to, who: 'system' })),
];

/** What a move does from one status: where it leads, or that it keeps the status. */
function cell(move: Move, from: Status): string {
  if (!move.from.includes(from)) return '';
  if (!move.to) return '·';
  return move.to.map((to) => (to === from ? '·' : `→ ${to}`)).join(' or ');
}

function matrix(): string[] {
  const header = ['action', 'who', ...statuses];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...moves.map((m) => `| \`${m.name}\` ${m.label} | ${m.who} | ${statuses.map((s) => cell(m, s)).join(' | ')} |`),
  ];
}

function diagram(): string[] {
  const edges = new Map<string, string[]>();
  const edge = (from: string, to: string, label: string) => edges.set(`${from} --> ${to}`, [...(edges.get(`${from} --> ${to}`) ?? []), label]);
  edge('[*]', 'registered', 'registration');
  for (const move of moves) {
    for (const from of move.from) {
      for (const to of move.to ?? []) if (to !== from) edge(from, to, move.name);
    }
  }
  for (const status of finalStatuses) edge(status, '[*]', 'workflow completes');
  edge('closed', '[*]', 'review window over');
  return [
    '```mermaid',
    'stateDiagram-v2',
    ...statuses.map((s) => `    ${s}: ${s} ${statusZh[s]}`),
    ...[...edges].map(([e, labels]) => `    ${e}: ${labels.join(', ')}`),
    '```',
  ];
}

export function lifecycleDocument(): string {
  return [
    '# The lifecycle of a case',
    '',
    '<!-- Written by `npm run docs:lifecycle` from workflows/actions.ts; a test fails when they differ. -->',
    '',
    'Each case is one workflow. A person moves it with an action (an Update, answered at once: a',
    'move the table does not allow is rejected with its reason and never enters the history); other',
    'systems report to it with signals, applied by rules. Deadlines raise warnings, supervision and',
    'escalation but never change the status. The rules of the domain behind each move are in',
    '[domain.md](domain.md).',
    '',
    '## States and moves',
    '',
    ...diagram(),
    '',
    '## Status × action',
    '',
    'A cell says what the action does from that status: `→ status` where it leads, `·` that it',
    'keeps the status, blank that it is rejected there (409 from the API). Overrides are for',
    'supervisors only.',
    '',
    ...matrix(),
    '',
    'Statuses: ' + statuses.map((s) => `\`${s}\` ${statusZh[s]}`).join(', ') + '.',
    '',
  ].join('\n');
}
