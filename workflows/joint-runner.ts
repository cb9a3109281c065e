import { condition, getExternalWorkflowHandle, ParentClosePolicy, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { partEnded } from './joint';
import { jointPartWorkflow, type JointPartInput } from './joint-part';
import type { CaseState, JointPart } from './model';

const nowIso = () => new Date().toISOString();

/**
 * Starts a child workflow for each part the case assigned (joint handling, 联合办理) and cancels
 * the ones it no longer waits for (waived, or the case closed), beside the main loop as the
 * outbox runs. Each part's end is its child's result, awaited through the handle: the case's
 * history shows the child's completion, and `partEnded` records it.
 *
 * A case without parts never gets past the first `condition`, which adds nothing to its history:
 * histories recorded before joint handling replay unchanged.
 */
export function runJointParts(state: CaseState, changed: () => void): { idle: () => boolean } {
  const started = new Map<string, ChildWorkflowHandle<typeof jointPartWorkflow>>();
  const cancelled = new Set<string>();
  const parts = () => state.jointParts ?? [];
  const toStart = () => parts().filter((p) => p.status === 'working' && !started.has(p.workflowId));
  const toCancel = () => parts().filter((p) => p.status === 'waived' && started.has(p.workflowId) && !cancelled.has(p.workflowId));
  let busy = false;

  const start = async (part: JointPart) => {
    const input: JointPartInput = {
      caseId: state.complaint.id,
      unit: part.unit,
      task: part.task,
      assignedAt: part.assignedAt,
      workingDays: state.policy.jointPartWorkingDays ?? 10,
      warningThresholds: state.policy.warningThresholds,
      calendar: state.calendar,
    };
    const handle = await startChild(jointPartWorkflow, {
      workflowId: part.workflowId,
      args: [input],
      // REQUEST_CANCEL, not ABANDON: a part of a case that ended has nobody to report to, and its
      // timers would warn a co-unit about a case that is over. Not TERMINATE either: a cancelled
      // part completes by itself as waived, so its own history says how it ended.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    started.set(part.workflowId, handle);
    void handle.result().then(
      (outcome) => {
        if (partEnded(state, part.unit.id, outcome, nowIso())) changed();
      },
      // Cancelled by the case, which already marked it waived; anything else leaves it marked as it was.
      () => undefined,
    );
  };

  const loop = async () => {
    for (;;) {
      await condition(() => toStart().length > 0 || toCancel().length > 0);
      busy = true;
      for (const part of toStart()) {
        await start(part).catch((err: unknown) => {
          // Not started (its id taken by a workflow of another run): the case cannot wait for it.
          Object.assign(part, { status: 'waived', reason: `the part could not start: ${String(err)}`, endedAt: nowIso() });
          changed();
        });
      }
      for (const part of toCancel()) {
        cancelled.add(part.workflowId);
        // Already ended on its own (done or refused at the same moment): nothing to cancel.
        await getExternalWorkflowHandle(part.workflowId)
          .cancel()
          .catch(() => undefined);
      }
      busy = false;
    }
  };
  void loop();
  return { idle: () => !busy && toStart().length === 0 && toCancel().length === 0 };
}
