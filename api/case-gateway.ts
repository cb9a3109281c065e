import { createHash, randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import stableStringify from 'safe-stable-stringify';
import type { Db, Tx } from '../db/client';
import { complaints, intakeKeys } from '../db/schema';
import { loadCalendarYears } from '../activities/calendar';
import { writeProjection } from '../activities/projection';
import { registeredCase, type ActionArgsByName, type ActionName } from '../workflows/actions';
import { shanghaiDate, shanghaiYear } from '../workflows/calendar';
import { view, workflowIdFor } from '../workflows/case';
import { actionUpdate, getCase } from '../workflows/definitions';
import type { CaseView, Complaint, ComplaintWorkflowInput } from '../workflows/model';
import type { Policy } from '../workflows/policy';
import type { SpotCheckInput } from '../workflows/spot-check';
import { initialSearchAttributes } from '../workflows/visibility';
import { normalizeKey, projectionOf } from '../workflows/projection';
import { findEarlierCases, openCaseAmong } from '../db/repeats';
import { Admission, KeyedBatcher, type AdmissionOptions } from './admission';
import { archivedCase, type CaseRecord } from './archived-case';
import { Problem } from './problem';

/** A complaint on its way in: its case id and the calendar its deadlines count in. */
interface Intake {
  complaint: Omit<Complaint, 'id'>;
  caseId: string;
  calendar: ComplaintWorkflowInput['calendar'];
}

/** What its workflow starts with, and the case as registered. */
interface RegisteredIntake {
  input: ComplaintWorkflowInput;
  registered: ReturnType<typeof registeredCase>;
}

type CaseHandle = WorkflowHandle<(input: ComplaintWorkflowInput) => Promise<CaseView>>;

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
    if (cause instanceof ApplicationFailure && cause.type === 'ActionRejected') {
      return new Problem('action-rejected', cause.message);
    }
    return new Problem('action-rejected', cause?.message ?? err.message);
  }
  if (isGrpcServiceError(err) && err.code === 5) return new Problem('case-not-found');
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
  /** How many intakes register at once, and how long one may queue for its turn. */
  intake: AdmissionOptions;
}

/** The API's one way to the workflows: start, act, query, each with a deadline and error mapping. */
export class CaseGateway {
  private readonly intakeAdmission: Admission;
  /** Intakes of one category, registered a batch at a time under the category's lock. */
  private readonly byCategory = new KeyedBatcher<Intake, RegisteredIntake>((category, intakes) =>
    this.deps.db.transaction(async (tx) => {
      // Of two reports about one place arriving together the second must find the first: other API
      // processes queue on this lock, this one's intakes in the batcher.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`repeat:${category}`}))`);
      const registered: RegisteredIntake[] = [];
      for (const intake of intakes) registered.push(await this.registerRow(tx, intake));
      return registered;
    }),
  );

  constructor(private readonly deps: CaseGatewayDeps) {
    this.intakeAdmission = new Admission(deps.intake);
  }

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
   * answered 503 after its deadline while the Update went on.
   */
  async act<K extends ActionName>(
    caseId: string,
    name: K,
    args: ActionArgsByName[K],
    idempotency?: ActionIdempotency,
  ): Promise<CaseView> {
    const updateId = idempotency ? actionUpdateId(name, idempotency) : undefined;
    try {
      return await this.call(() =>
        this.handle(caseId).executeUpdate(actionUpdate(name), { args: [args], ...(updateId ? { updateId } : {}) }),
      );
    } catch (err) {
      if (err instanceof Problem && err.problem === 'case-not-found' && (await archivedCase(this.deps.db, caseId))) {
        throw new Problem('case-archived', 'the case is closed and its workflow has completed');
      }
      throw err;
    }
  }

  /**
   * Registers a complaint once per idempotency key. The key is claimed in Postgres and names the
   * case id; under the category's lock, repeat detection runs and the case's row is written (at
   * sequence 0, which the workflow's first projection replaces); only then, outside any lock or
   * transaction, is the workflow started. A start that fails takes its row back, and a retry with
   * the same key finds the claim and completes the same case: one case, one workflow, one row.
   * Intakes beyond what can be served within the deadline are refused before any of this (503
   * overloaded, with Retry-After).
   */
  register(
    complaint: Omit<Complaint, 'id'>,
    idempotency: { key: string; body: unknown } | undefined,
  ): Promise<{ view: CaseRecord; created: boolean }> {
    return this.intakeAdmission.run(() => this.admitted(complaint, idempotency));
  }

  private async admitted(
    complaint: Omit<Complaint, 'id'>,
    idempotency: { key: string; body: unknown } | undefined,
  ): Promise<{ view: CaseRecord; created: boolean }> {
    let caseId = newCaseId(new Date(complaint.receivedAt));
    let created = true;
    if (idempotency) {
      // Key order and spacing are the sender's JSON library's business, not a different request.
      const bodySha256 = createHash('sha256').update(stableStringify(idempotency.body) ?? '').digest('hex');
      const claimed = await this.deps.db
        .insert(intakeKeys)
        .values({ key: idempotency.key, bodySha256, caseId, createdAt: new Date() })
        .onConflictDoNothing()
        .returning();
      if (claimed.length === 0) {
        const [existing] = await this.deps.db.select().from(intakeKeys).where(eq(intakeKeys.key, idempotency.key));
        if (!existing) throw new Problem('database-unavailable', 'intake key vanished');
        if (existing.bodySha256 !== bodySha256) {
          throw new Problem('idempotency-conflict', `key ${idempotency.key} was first used with a different body`);
        }
        caseId = existing.caseId;
        created = false;
        // A repeat finds its case, live or archived; only a first attempt cut short starts it.
        const found = await this.view(caseId).catch((err: unknown) => {
          if (err instanceof Problem && err.problem === 'case-not-found') return undefined;
          throw err;
        });
        if (found) return { view: found, created };
      }
    }
    const calendar = await loadCalendarYears(this.deps.db, yearsFor(complaint.receivedAt));
    // The row is written under the category's lock, with repeat detection; the lock is held for a
    // few statements per intake, never across a call to Temporal.
    const { input, registered } = await this.byCategory.run(complaint.category, { complaint, caseId, calendar });
    try {
      await this.call(() =>
        this.deps.temporal.workflow.start('complaintWorkflow', {
          taskQueue: this.deps.taskQueue,
          workflowId: workflowIdFor(caseId),
          args: [input],
          typedSearchAttributes: initialSearchAttributes(input.complaint),
          memo: { summary: `${input.complaint.category} · ${input.complaint.location.district} · registered` },
          // Concurrent repeats find the case running; an id is never reused for a second case.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (err) {
      // Only the row that no workflow has written to yet: if the start did go through, the
      // workflow's own first projection writes the row again.
      await this.deps.db
        .delete(complaints)
        .where(and(eq(complaints.id, caseId), eq(complaints.lastSeq, 0)))
        .catch(() => undefined);
      throw err;
    }
    // The workflow started: the answer is the case as registered, without waiting on a query
    // that could fail after the case exists.
    return { view: view(registered, workflowIdFor(caseId)), created };
  }

  /** Repeat detection and the case's row, within the category's lock. */
  private async registerRow(tx: Tx, { complaint, caseId, calendar }: Intake): Promise<RegisteredIntake> {
    const earlier = (await this.earlierCases(tx, complaint)).filter((c) => c.id !== caseId);
    const full: Complaint = { ...complaint, id: caseId, repeatOf: earlier.map((c) => c.id) };
    const mergeInto = openCaseAmong(earlier)?.id;
    const input: ComplaintWorkflowInput = { complaint: full, policy: this.deps.policy, calendar, ...(mergeInto ? { mergeInto } : {}) };
    // The case as its workflow starts it, and its row until the workflow's first projection.
    const registered = registeredCase(input, new Date().toISOString());
    await writeProjection(tx, projectionOf(registered, workflowIdFor(caseId)), 0);
    return { input, registered };
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

  /** Repeat detection at registration (docs/domain.md, step 1), by the deployment's policy. */
  private earlierCases(tx: Tx, complaint: Omit<Complaint, 'id'>) {
    const { policy } = this.deps;
    return findEarlierCases(tx, {
      category: complaint.category,
      polluterKey: complaint.polluter ? normalizeKey(complaint.polluter) : null,
      addressKey: normalizeKey(complaint.location.address),
      lat: complaint.location.lat ?? null,
      lng: complaint.location.lng ?? null,
      at: new Date(complaint.receivedAt),
      windowDays: policy.repeatWindowDays,
      radiusMeters: policy.repeatRadiusMeters,
    });
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
export function actionUpdateId(name: ActionName, { caller, key, body }: ActionIdempotency): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([caller, name, key, stableStringify(body) ?? null]))
    .digest('base64url');
  return `${name}:${digest}`;
}

/** Readable, sortable and unguessable: `20261124-` and 10 hex digits. */
function newCaseId(at: Date): string {
  const day = shanghaiDate(at.getTime()).replace(/-/g, '');
  return `${day}-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** From the year received to the year after now: every year a deadline of the case can touch. */
function yearsFor(receivedAt: string): number[] {
  const first = shanghaiYear(Date.parse(receivedAt));
  const last = shanghaiYear(Date.now()) + 1;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
