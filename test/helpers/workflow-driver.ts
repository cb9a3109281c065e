import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActionArgsByName, ActionName } from '../../workflows/actions';
import { actionUpdate, getCase } from '../../workflows/definitions';
import type { ActionOutcome, CaseSnapshot, Complaint, ComplaintWorkflowInput } from '../../workflows/model';
import { workflowIdFor } from '../../workflows/case';
import { initialSearchAttributes } from '../../workflows/visibility';

export type CaseHandle = WorkflowHandle<(input: ComplaintWorkflowInput) => Promise<CaseSnapshot>>;

/** Drives one case the way the API will: start, updates, queries, and moving the clock. */
export class CaseDriver {
  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly handle: CaseHandle,
    readonly complaint: Complaint,
  ) {}

  /** Starts the case as received now by the test server's clock, which runs ahead of the wall. */
  static async start(env: TestWorkflowEnvironment, taskQueue: string, input: ComplaintWorkflowInput): Promise<CaseDriver> {
    const receivedAt = new Date(await env.currentTimeMs()).toISOString();
    input = { ...input, complaint: { ...input.complaint, receivedAt } };
    const handle: CaseHandle = await env.client.workflow.start('complaintWorkflow', {
      taskQueue,
      workflowId: workflowIdFor(input.complaint.id),
      args: [input],
      typedSearchAttributes: initialSearchAttributes(input.complaint),
    });
    return new CaseDriver(env, handle, input.complaint);
  }

  /** Sends the action as its Update; the case after it (a Query: the Update answers only the outcome). */
  async act<K extends ActionName>(name: K, args: ActionArgsByName[K]): Promise<CaseSnapshot> {
    await this.outcome(name, args);
    return this.view();
  }

  /** Sends the action as its Update; what the Update answers. */
  outcome<K extends ActionName>(name: K, args: ActionArgsByName[K]): Promise<ActionOutcome> {
    return this.handle.executeUpdate(actionUpdate(name), { args: [args] });
  }

  /** The update's rejection reason; fails the test if the update was accepted. */
  async rejected<K extends ActionName>(name: K, args: ActionArgsByName[K]): Promise<string> {
    try {
      await this.act(name, args);
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause;
      return cause?.message ?? (err as Error).message;
    }
    throw new Error(`${name} was accepted but should have been rejected`);
  }

  view(): Promise<CaseSnapshot> {
    return this.handle.query(getCase);
  }

  /**
   * Waits (in real time, bounded) until the case satisfies `predicate`. Timer events are applied
   * by the worker just after the server fires them, so a query right after a clock move may
   * still see the previous state.
   */
  async until(predicate: (view: CaseSnapshot) => boolean, what = 'the expected state'): Promise<CaseSnapshot> {
    let last: CaseSnapshot | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      last = await this.view();
      if (predicate(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case never reached ${what}; last status ${last?.status}`);
  }

  /** Moves the test server's clock to `offsetMs` after the ISO instant `at`. */
  async advanceTo(at: string, offsetMs = 0): Promise<void> {
    const now = await this.env.currentTimeMs();
    const target = Date.parse(at) + offsetMs;
    if (target > now) await this.env.sleep(target - now);
  }

  /** Waits until the read side (notices, projection) has caught up with the case's timeline. */
  async settled(projectedSeq: (caseId: string) => number): Promise<CaseSnapshot> {
    const view = await this.view();
    const last = view.timeline.at(-1)?.seq ?? 0;
    for (let attempt = 0; attempt < 250 && projectedSeq(this.complaint.id) < last; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (projectedSeq(this.complaint.id) < last) throw new Error(`read side stuck before seq ${last}`);
    return view;
  }

  /**
   * Waits for the workflow to complete and returns its final case. Never awaits `result()`: the
   * time-skipping server skips the clock while a result is awaited, past the timeout of an
   * activity still running and, once the workflow is done, up to ten years when no other timer is
   * pending. So: let the read side settle, move the clock past the review window, and wait.
   */
  async finished(projectedSeq: (caseId: string) => number): Promise<CaseSnapshot> {
    const view = await this.settled(projectedSeq);
    const window = view.deadlines.reviewWindow;
    if (window && view.status === 'closed') await this.advanceTo(window.dueAt, 1_000);
    for (let attempt = 0; attempt < 250; attempt++) {
      if ((await this.handle.describe()).status.name === 'COMPLETED') return this.view();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`case ${this.complaint.id} did not complete`);
  }

  kinds(view: CaseSnapshot): string[] {
    return view.timeline.map((e) => e.kind);
  }
}
