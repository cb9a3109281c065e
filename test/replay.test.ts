import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { quietRuntime } from './helpers/temporal';

const fixtures = path.join(__dirname, 'fixtures', 'histories');

/** A recorded history's payloads, decoded (the recordings have no codec: base64 of JSON). */
const payloadsOf = (file: string) =>
  [...readFileSync(path.join(fixtures, file), 'utf8').matchAll(/"data": *"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));

/**
 * Histories recorded from earlier versions of the workflow stand for cases running in production:
 * the current code must replay every one of them without a non-determinism error.
 */
describe('replay of recorded histories', () => {
  beforeAll(quietRuntime);
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.json'));

  it('has a recorded history for each main path', () => {
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual(
      [
        'anonymous',
        'calendar-over-missed-deadline',
        'dispatch-overdue',
        'escalated-in-answer',
        'escalated-in-answer-lean',
        'extension-approved',
        'happy-path',
        'joint-handling',
        'merged-at-registration',
        'not-accepted',
        'not-substantiated-spot-checked',
        'overdue-escalated',
        'overdue-escalated-lean',
        'penalty-before-reward-by-violation',
        'rapid-response-daytime',
        'rapid-response-old-worker',
        'refused-and-reassigned',
        'reward-approved-and-paid',
        'repeat-escalated-at-assignment',
        'rework-twice',
      ].sort(),
    );
  });

  it('includes a history recorded before the calendar-clears-overdue patch: a calendar published over a missed deadline', () => {
    const history = readFileSync(path.join(fixtures, 'calendar-over-missed-deadline.json'), 'utf8');
    // The signal reached a case already overdue, and the history has no marker of the patch:
    // replaying it exercises the old branch of patched('calendar-clears-overdue').
    expect(history).toContain('calendarPublished');
    expect(history).not.toContain('calendar-clears-overdue');
  });

  it('includes histories from before and after the reward-by-violation patch (issue 18 rule 9)', () => {
    // Before: a penalty in a category outside the reward list, released without the patch's
    // marker and without a reward: replaying it takes the old rule, which opens none (no timer,
    // no wait for payment).
    const before = readFileSync(path.join(fixtures, 'penalty-before-reward-by-violation.json'), 'utf8');
    expect(before).toContain('"submitResult"');
    const payloads = payloadsOf('penalty-before-reward-by-violation.json');
    expect(payloads.some((text) => text.includes('"penalty"'))).toBe(true);
    expect(payloads.some((text) => text.includes('reward-by-violation'))).toBe(false);
    expect(payloads.some((text) => text.includes('"reward_opened"'))).toBe(false);
    // After: the marker, and the reward's new actions, each an Update of its own.
    const after = readFileSync(path.join(fixtures, 'reward-approved-and-paid.json'), 'utf8');
    expect(payloadsOf('reward-approved-and-paid.json').some((text) => text.includes('reward-by-violation'))).toBe(true);
    for (const update of ['"proposeReward"', '"approveReward"', '"recordRewardPaid"']) expect(after).toContain(update);
  });

  it('includes a history recorded before the result-review and spot-check-deadline patches: a not-substantiated result replied at once', () => {
    const history = readFileSync(path.join(fixtures, 'not-substantiated-spot-checked.json'), 'utf8');
    expect(history).toContain('selectedForSpotCheck');
    expect(history).not.toContain('result-review');
    expect(history).not.toContain('spot-check-deadline');
  });

  it('includes a history recorded before the repeat-escalation-by-policy patch: a repeat escalated at assignment', () => {
    const history = readFileSync(path.join(fixtures, 'repeat-escalated-at-assignment.json'), 'utf8');
    // Escalated: the leaders were looked up, and no marker of the patch is in the history.
    expect(history).toContain('findLeaders');
    expect(history).not.toContain('repeat-escalation-by-policy');
  });

  it('includes a history recorded before the merge-confirmation patch: a merge at registration, final at once', () => {
    const history = readFileSync(path.join(fixtures, 'merged-at-registration.json'), 'utf8');
    expect(history).toContain('repeatReported');
    expect(history).not.toContain('merge-confirmation');
  });

  it('includes a history recorded before the warning2-copies-superior patch, which still replays', () => {
    const history = readFileSync(path.join(fixtures, 'overdue-escalated.json'), 'utf8');
    // The case passed its 80 % warning, and its history has no marker of the patch: replaying it
    // exercises the old branch of patched('warning2-copies-superior').
    expect(history).toContain('EVENT_TYPE_TIMER_FIRED');
    expect(history).not.toContain('EVENT_TYPE_MARKER_RECORDED');
  });

  it('includes a history recorded before the overdue-includes-dispatch patch, which still replays', () => {
    // The dispatch deadline passed unassigned and no search attributes were upserted then: the
    // patch keeps it so while this history replays.
    expect(readFileSync(path.join(fixtures, 'dispatch-overdue.json'), 'utf8')).not.toContain('EVENT_TYPE_MARKER_RECORDED');
    expect(payloadsOf('dispatch-overdue.json').some((text) => text.includes('"kind":"dispatch_overdue"'))).toBe(true);
  });

  it('includes histories from before and after the owners-in-answer patch', () => {
    // The second return for rework escalated in an Update, and the outbox found the leader later:
    // no marker, so replaying it takes the old branch of patched('owners-in-answer').
    const before = readFileSync(path.join(fixtures, 'rework-twice.json'), 'utf8');
    expect(before).toContain('"returnForRework"');
    expect(before).toContain('"findLeaders"');
    expect(before).not.toContain('EVENT_TYPE_MARKER_RECORDED');
    // The escalation's own answer waited for the leader: the patch's marker is in the history.
    const after = readFileSync(path.join(fixtures, 'escalated-in-answer.json'), 'utf8');
    expect(after).toContain('"escalate"');
    expect(after).toContain('EVENT_TYPE_MARKER_RECORDED');
  });

  it('includes histories recorded before the rapid-response-by-policy patch, which still replay', () => {
    // A noise complaint received by day got the 30-minute clock then, and missed it: the duty
    // leader was alerted. Without the patch's marker, replaying takes the old rule again.
    for (const file of ['rapid-response-daytime.json', 'rapid-response-old-worker.json']) {
      expect(readFileSync(path.join(fixtures, file), 'utf8')).not.toContain('EVENT_TYPE_MARKER_RECORDED');
      const payloads = payloadsOf(file);
      expect(
        payloads.some((text) => text.includes('"category":"noise"') && text.includes('"urgent":false')),
        file,
      ).toBe(true);
      expect(
        payloads.some((text) => text.includes('"kind":"rapid_response_missed"')),
        file,
      ).toBe(true);
    }
    // Its policy already has night hours (a worker of the release before ran a case the new API
    // started): only patched() keeps this replay from dropping the clock. The other's policy
    // predates night hours.
    expect(payloadsOf('rapid-response-old-worker.json').some((text) => text.includes('"rapidResponseNightHours"'))).toBe(true);
    expect(payloadsOf('rapid-response-daytime.json').some((text) => text.includes('"rapidResponseNightHours"'))).toBe(false);
  });

  it('includes histories from before and after the lean-case patch', () => {
    // Before: a notice is an activity of its own, and so is each projection write.
    const before = readFileSync(path.join(fixtures, 'overdue-escalated.json'), 'utf8');
    expect(before).toContain('"recordNotice"');
    expect(before).not.toContain('"recordChange"');
    // After: the marker, and a change's notices and projection in one recordChange; the deadline
    // fired, and the leaders were found, under the new ways.
    for (const file of ['overdue-escalated-lean.json', 'escalated-in-answer-lean.json']) {
      const after = readFileSync(path.join(fixtures, file), 'utf8');
      expect(
        payloadsOf(file).some((text) => text.includes('lean-case')),
        file,
      ).toBe(true);
      expect(after, file).toContain('"recordChange"');
      expect(after, file).not.toContain('"recordNotice"');
      expect(after, file).not.toContain('"projectCase"');
      expect(after, file).toContain('"findLeaders"');
    }
    expect(readFileSync(path.join(fixtures, 'overdue-escalated-lean.json'), 'utf8')).toContain('EVENT_TYPE_TIMER_FIRED');
  });

  it('includes a joint case (联合办理): its parts as child workflows started and completed, their progress as signals', () => {
    const history = readFileSync(path.join(fixtures, 'joint-handling.json'), 'utf8');
    const count = (type: string) => history.split(`"EVENT_TYPE_${type}"`).length - 1;
    expect(count('START_CHILD_WORKFLOW_EXECUTION_INITIATED')).toBe(2);
    expect(count('CHILD_WORKFLOW_EXECUTION_COMPLETED')).toBe(2);
    expect(history).toContain('"jointPartReported"');
    expect(history).toContain('"jointAssign"');
  });

  for (const file of files) {
    it(`replays ${file} against the current code`, async () => {
      const history = JSON.parse(readFileSync(path.join(fixtures, file), 'utf8'));
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, history);
    });
  }
});
