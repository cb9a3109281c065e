import { describe, expect, it } from 'vitest';
import type { ActionArgsByName } from '../workflows/actions';
import { selectedForSpotCheck } from '../workflows/definitions';
import type { Status } from '../workflows/model';
import { actors, makeComplaint, unitA, unitB, workflowInput } from './helpers/cases';
import { timeSkippingSuite } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

const suite = timeSkippingSuite('overrides');
const { taskQueue } = suite;

const result = { actor: actors.unitA, finding: 'partly_substantiated', actions: ['inspection'], reply: '部分属实' } as const;

/** Brings a fresh case to `status` through the ordinary actions. */
async function caseIn(status: Status): Promise<CaseDriver> {
  const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint()));
  const steps: (() => Promise<unknown>)[] = [
    () => c.act('accept', { actor: actors.registrar }),
    () => c.act('assign', { actor: actors.registrar, unit: unitA }),
    () => c.act('acknowledge', { actor: actors.unitA }),
    () => c.act('submitResult', { ...result, actions: [...result.actions] }),
    () => c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' }),
  ];
  const order: Status[] = ['registered', 'accepted', 'assigned', 'in_progress', 'callback', 'closed'];
  if (status === 'rework') {
    for (const step of steps.slice(0, 4)) await step();
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied' });
    await c.act('returnForRework', { actor: actors.supervisor, reason: 'setup' });
    return c;
  }
  if (status === 'under_review') {
    for (const step of steps) await step();
    await c.handle.signal(selectedForSpotCheck, { day: '2026-11-24' });
    await c.until((v) => v.status === 'under_review', 'under review');
    return c;
  }
  for (const step of steps.slice(0, order.indexOf(status))) await step();
  expect((await c.view()).status).toBe(status);
  return c;
}

const reason = '督办决定';
const overrides: {
  [K in 'returnForRework' | 'reassign' | 'extend' | 'escalate' | 'close' | 'reopen' | 'changeUrgency']: {
    args: ActionArgsByName[K];
    legal: Status[];
    illegal: Status[];
    check: (view: Awaited<ReturnType<CaseDriver['view']>>) => void;
  };
} = {
  returnForRework: {
    args: { actor: actors.supervisor, reason },
    legal: ['callback'],
    illegal: ['in_progress', 'closed'],
    check: (v) => expect(v.status).toBe('rework'),
  },
  reassign: {
    args: { actor: actors.supervisor, reason, unit: unitB },
    legal: ['accepted', 'assigned', 'in_progress', 'rework'],
    illegal: ['registered', 'callback', 'closed', 'under_review'],
    check: (v) => expect([v.status, v.unit?.id]).toEqual(['assigned', 'unit-b']),
  },
  extend: {
    args: { actor: actors.supervisor, reason, days: 5 },
    legal: ['assigned', 'in_progress', 'rework'],
    illegal: ['registered', 'accepted', 'callback', 'closed'],
    check: (v) => expect(v.timeline.at(-1)?.kind).toBe('extended'),
  },
  escalate: {
    args: { actor: actors.supervisor, reason, owners: [{ leaderId: 'leader-9', kind: 'territorial' }] },
    legal: ['assigned', 'in_progress', 'rework'],
    illegal: ['registered', 'accepted', 'callback', 'closed'],
    check: (v) => expect([v.escalation.tier, v.escalation.owners[0]?.leaderId]).toEqual([1, 'leader-9']),
  },
  close: {
    args: { actor: actors.supervisor, reason },
    legal: ['registered', 'accepted', 'assigned', 'in_progress', 'rework', 'callback', 'under_review'],
    illegal: ['closed'],
    check: (v) => expect([v.status, v.closeReason]).toEqual(['closed', reason]),
  },
  reopen: {
    args: { actor: actors.supervisor, reason },
    legal: ['closed', 'under_review'],
    illegal: ['registered', 'in_progress', 'callback'],
    check: (v) => expect([v.status, v.reworkCount]).toEqual(['rework', 1]),
  },
  changeUrgency: {
    args: { actor: actors.supervisor, reason, urgent: true },
    legal: ['registered', 'accepted', 'assigned', 'in_progress', 'rework', 'callback'],
    illegal: ['closed', 'under_review'],
    check: (v) => expect([v.complaint.urgent, v.deadlines.rapidResponse !== undefined]).toEqual([true, true]),
  },
};

describe('supervisor overrides', () => {
  for (const [name, spec] of Object.entries(overrides) as [keyof typeof overrides, (typeof overrides)[keyof typeof overrides]][]) {
    for (const status of spec.legal) {
      it(`${name} is accepted from ${status} and kept in the timeline with its reason`, async () => {
        const c = await caseIn(status);
        const view = await c.act(name, spec.args);
        spec.check(view);
        expect(view.timeline.some((e) => e.actor === 'supervisor:sup-1' && e.note === reason)).toBe(true);
      });
    }
    for (const status of spec.illegal) {
      it(`${name} is rejected from ${status}`, async () => {
        const c = await caseIn(status);
        expect(await c.rejected(name, spec.args as never)).toMatch(new RegExp(`cannot ${name} a case that is ${status}`));
      });
    }
  }

  it('rejects an override from anyone but a supervisor', async () => {
    const c = await caseIn('in_progress');
    expect(await c.rejected('extend', { actor: actors.unitA, reason, days: 3 })).toMatch(/not allowed for role unit/);
    expect(await c.rejected('close', { actor: actors.registrar, reason })).toMatch(/not allowed for role registrar/);
  });

  it('rejects an override without a reason', async () => {
    const c = await caseIn('in_progress');
    expect(await c.rejected('close', { actor: actors.supervisor, reason: '  ' })).toBe('reason is required');
  });
});
