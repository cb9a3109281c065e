import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { deleteStaleIntakeClaims, staleIntakeClaims } from '../db/intake-keys';
import type { Logger } from '../lib/logger';
import { workflowIdFor } from '../workflows/case';

/**
 * Intake claims with no case behind them expire. register() claims an intake key before it starts
 * the case's workflow; when the start fails and the caller never retries, the claim names a case
 * that does not exist (908 such after the fault runs). A retry completes the claim with the same
 * case id, so a claim is kept for a day, far longer than any client retries, and then deleted if
 * there is still no `complaints` row and no workflow for its case: the key is free again.
 *
 * The API sweeps (it holds both Postgres and a Temporal client): every replica may, since the
 * delete is idempotent. No workflow code changes, so no running history has to replay anything new.
 */
export const intakeClaimMaxAgeMs = 24 * 60 * 60 * 1000;
const sweepEveryMs = 60 * 60 * 1000;
/** Claims looked at per sweep: each costs one describe call to Temporal. */
const batchSize = 200;

export async function expireStaleIntakeClaims(
  { db, temporal }: { db: Db; temporal: Client },
  { maxAgeMs = intakeClaimMaxAgeMs, now = new Date() }: { maxAgeMs?: number; now?: Date } = {},
): Promise<number> {
  const cutoff = new Date(now.getTime() - maxAgeMs);
  const candidates = await staleIntakeClaims(db, cutoff, batchSize);
  const orphans: string[] = [];
  for (const { key, caseId } of candidates) {
    // A workflow whose first projection has not landed (its worker down for a day) still owns the key.
    if (!(await workflowExists(temporal, caseId))) orphans.push(key);
  }
  if (orphans.length === 0) return 0;
  return deleteStaleIntakeClaims(db, orphans, cutoff);
}

/** Only "not found" means no workflow; any other answer (Temporal down) keeps the claim for now. */
async function workflowExists(temporal: Client, caseId: string): Promise<boolean> {
  try {
    await temporal.withDeadline(Date.now() + 5_000, () => temporal.workflow.getHandle(workflowIdFor(caseId)).describe());
    return true;
  } catch (err) {
    return !(err instanceof WorkflowNotFoundError);
  }
}

/** Sweeps hourly (the first a minute after start); its timers never keep the process alive. */
export function startClaimSweeper(deps: { db: Db; temporal: Client; logger: Logger }): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const deleted = await expireStaleIntakeClaims(deps);
      if (deleted > 0) deps.logger.info({ deleted }, 'expired intake claims with no case');
    } catch (err) {
      deps.logger.warn({ err }, 'intake claim sweep failed; next in an hour');
    }
    if (!stopped) timer = setTimeout(() => void run(), sweepEveryMs).unref();
  };
  timer = setTimeout(() => void run(), 60_000).unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
