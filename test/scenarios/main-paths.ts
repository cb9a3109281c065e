import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { actors, makeComplaint, unitA, unitB, workflowInput } from '../helpers/cases';
import { CaseDriver } from '../helpers/workflow-driver';

/**
 * The main paths of a case, each driven to its end. `scripts/record-histories.ts` records their
 * histories as fixtures; the replay test runs the fixtures against the current workflow code.
 * Inputs are fixed (ids, times) so a re-recording differs only where the code changed.
 */
type Scenario = (env: TestWorkflowEnvironment, taskQueue: string) => Promise<CaseDriver>;

const result = { finding: 'substantiated', actions: ['inspection', 'order_to_rectify'], reply: '已责令整改' } as const;

function start(env: TestWorkflowEnvironment, taskQueue: string, id: string, anonymous = false) {
  const complainant = anonymous ? { anonymous } : { anonymous, name: '样例', phone: '000' };
  return CaseDriver.start(env, taskQueue, workflowInput(makeComplaint({ id, complainant })));
}

async function toInProgress(c: CaseDriver) {
  await c.act('accept', { actor: actors.registrar });
  await c.act('assign', { actor: actors.registrar, unit: unitA });
  await c.act('acknowledge', { actor: actors.unitA });
}

export const scenarios: Record<string, Scenario> = {
  async 'happy-path'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-happy');
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  async 'not-accepted'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-not-accepted');
    await c.act('notAccept', { actor: actors.registrar, reason: '不属于受理范围' });
    return c;
  },
  async 'refused-and-reassigned'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-refused');
    await c.act('accept', { actor: actors.registrar });
    await c.act('assign', { actor: actors.registrar, unit: unitA });
    await c.act('refuseJurisdiction', { actor: actors.unitA, reason: '非本辖区' });
    await c.act('assign', { actor: actors.registrar, unit: unitB });
    await c.act('submitResult', { actor: actors.unitB, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'basically_satisfied' });
    return c;
  },
  async 'overdue-escalated'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-overdue');
    await toInProgress(c);
    const { escalation } = (await c.view()).deadlines;
    await c.advanceTo(escalation!.dueAt, 1_000);
    await c.until((v) => v.escalation.tier === 1 && v.escalation.owners.length > 0, 'tier 1');
    await c.act('recordLeaderPlan', { actor: actors.leader, plan: '挂牌督办' });
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  async 'rework-twice'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-rework');
    await toInProgress(c);
    for (let i = 0; i < 2; i++) {
      await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
      await c.act('recordCallback', { actor: actors.registrar, outcome: 'unsatisfied' });
      await c.act('returnForRework', { actor: actors.supervisor, reason: '诉求合理' });
    }
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  async 'escalated-in-answer'(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-escalated-in-answer');
    await toInProgress(c);
    // The answer to the escalation names the owner (patched('owners-in-answer')).
    await c.act('escalate', { actor: actors.supervisor, reason: '久拖不决' });
    await c.act('recordLeaderPlan', { actor: actors.leader, plan: '挂牌督办' });
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    await c.act('recordCallback', { actor: actors.registrar, outcome: 'satisfied' });
    return c;
  },
  async anonymous(env, taskQueue) {
    const c = await start(env, taskQueue, 'replay-anonymous', true);
    await toInProgress(c);
    await c.act('submitResult', { actor: actors.unitA, ...result, actions: [...result.actions] });
    return c;
  },
};
