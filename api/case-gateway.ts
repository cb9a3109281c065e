import { createHash } from 'node:crypto';
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import stableStringify from 'safe-stable-stringify';
import type { Db } from '../db/client';
import type { ActionArgsByName, ActionName } from '../workflows/actions';
import { workflowIdFor } from '../workflows/case';
import { actionUpdate, getCase } from '../workflows/definitions';
import { getPart, jointPartWorkflowId, partUpdate, type PartActionName, type PartArgsByName, type PartState } from '../workflows/joint-part';
import type { ActionOutcome, CaseSnapshot, ComplaintWorkflowInput } from '../workflows/model';
import type { Policy } from '../workflows/policy';
import type { SpotCheckInput } from '../workflows/spot-check';
import { initialSearchAttributes } from '../workflows/visibility';
import { archivedCase, type CaseRecord } from './archived-case';
import { Problem } from './problem';

type CaseHandle = WorkflowHandle<(input: ComplaintWorkflowInput) => Promise<CaseSnapshot>>;

function isUnavailable(err: unknown): boolean {
  if (err instanceof ServiceError && isUnavailable(err.cause)) return true;
  if (!isGrpcServiceError(err)) return err instanceof ServiceError;
  // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED
  return [14, 4, 8, 1].includes(err.code);
}

/** Maps what Temporal says to the API's problem types. */
export function temporalProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof WorkflowNotFoundError) return new Problem('case-not-found');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    // A unit's action on a case that is not its own: outside its scope, so as if the case were not there.
    if (cause instanceof ApplicationFailure && cause.type === 'NotInScope') return new Problem('case-not-found');
    if (cause instanceof ApplicationFailure && cause.type === 'ActionRejected') {
      return new Problem('action-rejected', cause.message);
    }
    return new Problem('action-rejected', cause?.message ?? err.message);
  }
  // gRPC NOT_FOUND (5): its enum is in @grpc/grpc-js, the SDK's dependency rather than ours.
  if (isGrpcServiceError(err) && Number(err.code) === 5) return new Problem('case-not-found');
  if (err instanceof ServiceError && /already completed/i.test(err.message)) {
    return new Problem('case-archived', 'the case is closed and its review window has ended');
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new Problem('action-rejected', 'a case with this id already exists', {}, err);
  }
  if (isUnavailable(err)) return new Problem('temporal-unavailable', (err as Error).message);
  return new Problem('temporal-unavailable', (err as Error)?.message ?? String(err));
}

export interface CaseGatewayDeps {
  temporal: Client;
  db: Db;
  taskQueue: string;
  policy: Policy;
  /** Every call to Temporal carries this deadline: an outage answers 503, never hangs a request. */
  deadlineMs: number;
}

/** The API's one way to the workflows: start, act, query, each with a deadline and error mapping. */
export class CaseGateway {
  constructor(private readonly deps: CaseGatewayDeps) {}

  /** The policy new cases start with. */
  get policy(): Policy {
    return this.deps.policy;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.temporal.withDeadline(Date.now() + this.deps.deadlineMs, fn).catch((err: unknown) => {
      throw temporalProblem(err);
    });
  }

  handle(caseId: string): CaseHandle {
    return this.deps.temporal.workflow.getHandle(workflowIdFor(caseId));
  }

  /**
   * The live case from its workflow; once Temporal no longer keeps the workflow (past the
   * namespace's retention), the case as the read side kept it, marked archived.
   */
  async view(caseId: string): Promise<CaseRecord> {
    try {
      return await this.call(() => this.handle(caseId).query(getCase));
    } catch (err) {
      const archived = err instanceof Problem && err.problem === 'case-not-found' ? await archivedCase(this.deps.db, caseId) : undefined;
      if (archived) return archived;
      throw err;
    }
  }

  /**
   * Sends an action as an Update. With an idempotency key the Update carries an id of its own
   * (actionUpdateId), which Temporal deduplicates within the workflow run: a retry joins the Update
   * still in flight or gets the outcome of the one already completed, even when the first call
   * answered 503 after its deadline while the Update went on. A worker of an earlier version
   * answers with the whole case (see `actionUpdate`).
   */
  async act<K extends ActionName>(caseId: string, name: K, args: ActionArgsByName[K], idempotency?: ActionIdempotency): Promise<ActionOutcome | CaseSnapshot> {
    const updateId = idempotency ? actionUpdateId(name, idempotency) : undefined;
    try {
      return await this.call(() => this.handle(caseId).executeUpdate(actionUpdate(name), { args: [args], ...(updateId ? { updateId } : {}) }));
    } catch (err) {
      if (err instanceof Problem && err.problem === 'case-not-found' && (await archivedCase(this.deps.db, caseId))) {
        throw new Problem('case-archived', 'the case is closed and its workflow has completed');
      }
      throw err;
    }
  }

  /**
   * A co-unit's action on its part of a joint case (联合办理), as an Update of the part's child
   * workflow; with an idempotency key as `act` does. A part that has ended takes no more actions.
   */
  async actOnPart<K extends PartActionName>(
    caseId: string,
    unitId: string,
    name: K,
    args: PartArgsByName[K],
    idempotency?: ActionIdempotency,
  ): Promise<PartState> {
    const updateId = idempotency ? actionUpdateId(`part.${name}`, idempotency) : undefined;
    const handle = this.deps.temporal.workflow.getHandle(jointPartWorkflowId(workflowIdFor(caseId), unitId));
    try {
      return await this.call(() => handle.executeUpdate(partUpdate(name), { args: [args], ...(updateId ? { updateId } : {}) }));
    } catch (err) {
      if (err instanceof Problem && err.problem === 'case-archived')
        throw new Problem('action-rejected', `the part of unit ${unitId} has ended: it takes no more actions`);
      throw err;
    }
  }

  /** A part of a joint case as its child workflow has it (404 when there is none). */
  part(caseId: string, unitId: string): Promise<PartState> {
    return this.call(() => this.deps.temporal.workflow.getHandle(jointPartWorkflowId(workflowIdFor(caseId), unitId)).query(getPart));
  }

  /** Starts a case's workflow (api/intake.ts registers the case first). */
  async start(input: ComplaintWorkflowInput): Promise<void> {
    await this.call(() =>
      this.deps.temporal.workflow.start('complaintWorkflow', {
        taskQueue: this.deps.taskQueue,
        workflowId: workflowIdFor(input.complaint.id),
        args: [input],
        typedSearchAttributes: initialSearchAttributes(input.complaint),
        memo: { summary: `${input.complaint.category} · ${input.complaint.location.district} · registered` },
        // Concurrent repeats find the case running; an id is never reused for a second case.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  }

  /** A spot check now, of the closures of `day` (default: the policy's rate); waits for the draw. */
  runSpotCheck({ day, rate, requestId }: { day: string; rate?: number; requestId: string }) {
    const args: [SpotCheckInput] = [{ day, rate: rate ?? this.deps.policy.spotCheckRate }];
    return this.call(() =>
      this.deps.temporal.workflow.execute('spotCheckWorkflow', {
        taskQueue: this.deps.taskQueue,
        workflowId: `spot-check-${day}-${requestId}`,
        args,
      }),
    );
  }
}

/** An action's `Idempotency-Key`, the caller who sent it, and the body it came with. */
export interface ActionIdempotency {
  caller: string;
  key: string;
  body: unknown;
}

/**
 * The Update id of an action sent with an idempotency key. The caller is in it, so two callers
 * using one key neither collide nor read each other's outcome; the action, so one key on two
 * actions is two Updates; and the body (key order aside), because Temporal answers a known id with
 * its first outcome whatever the arguments: the same key with another body is another Update,
 * judged on its own, rather than a 200 that silently drops what was sent. Hashed, so a 200-character
 * key stays within the server's id length and nothing of the body shows in the history's ids.
 */
export function actionUpdateId(name: ActionName | `part.${string}`, { caller, key, body }: ActionIdempotency): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([caller, name, key, stableStringify(body) ?? null]))
    .digest('base64url');
  return `${name}:${digest}`;
}
