import { createHash, randomInt, randomUUID } from 'node:crypto';
import stableStringify from 'safe-stable-stringify';
import { loadCalendarYears } from '../db/calendar';
import type { Db, Tx } from '../db/client';
import { claimIntakeKey, intakeClaim } from '../db/intake-keys';
import { deleteUnstartedCase, writeProjection } from '../db/projections';
import { findEarlierCases, inRepeatLock, openCaseAmong, unresolvedAmong } from '../db/repeats';
import { registeredCase } from '../workflows/actions';
import { shanghaiDate, shanghaiYear } from '../workflows/calendar';
import { view, workflowIdFor } from '../workflows/case';
import type { Complaint, ComplaintWorkflowInput } from '../workflows/model';
import { normalizeKey, projectionOf } from '../workflows/projection';
import { Admission, KeyedBatcher, type AdmissionOptions } from './admission';
import type { CaseRecord } from './archived-case';
import type { CaseGateway } from './case-gateway';
import { Problem } from './problem';

/** A complaint on its way in: its case id and the calendar its deadlines count in. */
interface Incoming {
  complaint: Omit<Complaint, 'id'>;
  caseId: string;
  calendar: ComplaintWorkflowInput['calendar'];
}

/** What its workflow starts with, and the case as registered. */
interface RegisteredIntake {
  input: ComplaintWorkflowInput;
  registered: ReturnType<typeof registeredCase>;
}

export interface IntakeDeps {
  db: Db;
  /** Temporal: the case a repeated key names, and the workflow start; the policy new cases start with. */
  gateway: CaseGateway;
  /** How many intakes register at once, and how long one may queue for its turn. */
  admission: AdmissionOptions;
}

/**
 * A registration's outcome. `claimCode` only in the answer that registered an anonymous case: a
 * repeat of the request finds the case, whose code is kept nowhere to be told again.
 */
export interface Registration {
  view: CaseRecord;
  created: boolean;
  claimCode?: string;
}

/** Registration of complaints: one case, one workflow and one row per intake. */
export class Intake {
  private readonly admission: Admission;
  /** Intakes of one category, registered a batch at a time under the category's lock. */
  private readonly byCategory = new KeyedBatcher<Incoming, RegisteredIntake>((category, intakes) =>
    inRepeatLock(this.deps.db, category, async (tx) => {
      const registered: RegisteredIntake[] = [];
      for (const intake of intakes) registered.push(await this.registerRow(tx, intake));
      return registered;
    }),
  );

  constructor(private readonly deps: IntakeDeps) {
    this.admission = new Admission(deps.admission);
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
  register(complaint: Omit<Complaint, 'id'>, idempotency: { key: string; body: unknown } | undefined): Promise<Registration> {
    return this.admission.run(() => this.admitted(complaint, idempotency));
  }

  private async admitted(complaint: Omit<Complaint, 'id'>, idempotency: { key: string; body: unknown } | undefined): Promise<Registration> {
    let caseId = newCaseId(new Date(complaint.receivedAt));
    let created = true;
    // An anonymous reporter can be paid a reward only by what they hold: the claim code, told once
    // in this answer; the case keeps its hash (claimCodeHash), so no reader of the history holds it.
    let claimCode = complaint.complainant.anonymous ? newClaimCode() : undefined;
    let codeHash = claimCode !== undefined ? claimCodeHash(caseId, claimCode) : undefined;
    if (idempotency) {
      // Key order and spacing are the sender's JSON library's business, not a different request.
      const bodySha256 = createHash('sha256')
        .update(stableStringify(idempotency.body) ?? '')
        .digest('hex');
      if (!(await claimIntakeKey(this.deps.db, { key: idempotency.key, bodySha256, caseId, claimCodeHash: codeHash ?? null }))) {
        const existing = await intakeClaim(this.deps.db, idempotency.key);
        if (!existing) throw new Problem('database-unavailable', 'intake key vanished');
        if (existing.bodySha256 !== bodySha256) {
          throw new Problem('idempotency-conflict', `key ${idempotency.key} was first used with a different body`);
        }
        caseId = existing.caseId;
        created = false;
        // The first request's code is the case's, whichever request starts it; a repeat tells none.
        claimCode = undefined;
        codeHash = existing.claimCodeHash ?? undefined;
        // A repeat finds its case, live or archived; only a first attempt cut short starts it.
        const found = await this.deps.gateway.view(caseId).catch((err: unknown) => {
          if (err instanceof Problem && err.problem === 'case-not-found') return undefined;
          throw err;
        });
        if (found) return { view: found, created };
      }
    }
    const calendar = await loadCalendarYears(this.deps.db, yearsFor(complaint.receivedAt));
    complaint = { ...complaint, queryCode: newQueryCode(), ...(codeHash !== undefined ? { claimCodeHash: codeHash } : {}) };
    // The row is written under the category's lock, with repeat detection; the lock is held for a
    // few statements per intake, never across a call to Temporal.
    const { input, registered } = await this.byCategory.run(complaint.category, { complaint, caseId, calendar });
    try {
      await this.deps.gateway.start(input);
    } catch (err) {
      // Only the row that no workflow has written to yet: if the start did go through, the
      // workflow's own first projection writes the row again.
      await deleteUnstartedCase(this.deps.db, caseId).catch(() => undefined);
      throw err;
    }
    // The workflow started: the answer is the case as registered, without waiting on a query
    // that could fail after the case exists.
    return { view: view(registered, workflowIdFor(caseId)), created, ...(claimCode !== undefined ? { claimCode } : {}) };
  }

  /** Repeat detection and the case's row, within the category's lock. */
  private async registerRow(tx: Tx, { complaint, caseId, calendar }: Incoming): Promise<RegisteredIntake> {
    const earlier = (await this.earlierCases(tx, complaint)).filter((c) => c.id !== caseId);
    const repeats = earlier.filter((c) => c.link === 'repeat');
    const nearby = earlier.filter((c) => c.link === 'nearby').map((c) => c.id);
    const unresolved = unresolvedAmong(earlier).map((c) => c.id);
    const full: Complaint = {
      ...complaint,
      id: caseId,
      repeatOf: repeats.map((c) => c.id),
      ...(unresolved.length > 0 ? { unresolvedRepeatOf: unresolved } : {}),
      ...(nearby.length > 0 ? { nearby } : {}),
    };
    const mergeInto = openCaseAmong(earlier, complaint.category)?.id;
    const input: ComplaintWorkflowInput = { complaint: full, policy: this.deps.gateway.policy, calendar, ...(mergeInto ? { mergeInto } : {}) };
    // The case as its workflow starts it, and its row until the workflow's first projection.
    const registered = registeredCase(input, new Date().toISOString());
    await writeProjection(tx, projectionOf(registered, workflowIdFor(caseId)), 0);
    return { input, registered };
  }

  /** Repeat detection at registration (docs/domain.md, step 1), by the deployment's policy. */
  private earlierCases(tx: Tx, complaint: Omit<Complaint, 'id'>) {
    const { policy } = this.deps.gateway;
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

/** Readable, sortable and unguessable: `20261124-` and 10 hex digits. */
function newCaseId(at: Date): string {
  const day = shanghaiDate(at.getTime()).replace(/-/g, '');
  return `${day}-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Letters and digits no one misreads on a phone (no 0 and O, no 1, I and L): 31 of them. */
const queryCodeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * A query code (查询码): 8 of those, about 40 bits. It is asked for with the case number, so a
 * guess is a guess at one case's code, and at one request each that takes longer than anyone has.
 */
function newQueryCode(): string {
  return Array.from({ length: 8 }, () => queryCodeAlphabet[randomInt(queryCodeAlphabet.length)]).join('');
}

/**
 * A claim code (兑奖码): 12 of the query code's letters, about 60 bits, as it is worth money; asked
 * for with the case number at POST /rewards/claim, limited per address.
 */
function newClaimCode(): string {
  return Array.from({ length: 12 }, () => queryCodeAlphabet[randomInt(queryCodeAlphabet.length)]).join('');
}

/** What the case keeps of a claim code: its SHA-256 with the case id, so one hash never stands for a code of another case. */
export function claimCodeHash(caseId: string, code: string): string {
  return createHash('sha256').update(`${caseId}:${code.toUpperCase()}`).digest('hex');
}

/** From the year received to the year after now: every year a deadline of the case can touch. */
function yearsFor(receivedAt: string): number[] {
  const first = shanghaiYear(Date.parse(receivedAt));
  const last = shanghaiYear(Date.now()) + 1;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
