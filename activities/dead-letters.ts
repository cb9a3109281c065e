import { log } from '@temporalio/activity';
import type { Db } from '../db/client';
import { markRedriveFailed, markRedriven, pendingDeadLetters, storeDeadLetter } from '../db/dead-letters';
import { isPermanentDbError, redactDbError, sqlState } from '../db/errors';
import { projectCase } from '../db/projections';
import type { CaseActivities } from '../workflows/activities';
import { recordNotice } from './notices';

/** The read-side writes that may be dead-lettered, by activity name, each with its input. */
const writers = {
  projectCase: (db: Db, input: Parameters<CaseActivities['projectCase']>[0]) => projectCase(db, input),
  recordNotice: (db: Db, input: Parameters<CaseActivities['recordNotice']>[0]) => recordNotice(db, input),
};
export type DeadLetterActivity = keyof typeof writers;

interface Letter<K extends DeadLetterActivity> {
  activity: K;
  /** The write's own idempotency key: the same write refused again is the same letter. */
  key: string;
  caseId: string;
  input: Parameters<(typeof writers)[K]>[1];
}

/**
 * Runs a read-side write for a case. A refusal that no retry can change (bad data, a broken
 * constraint) is stored as a dead letter and logged at error level, and the activity completes,
 * so the case goes on; anything else (Postgres down, a timeout) is thrown for Temporal to retry,
 * redacted so no query parameter reaches the history or a log.
 */
export async function writeOrDeadLetter<K extends DeadLetterActivity>(db: Db, letter: Letter<K>): Promise<void> {
  const write = writers[letter.activity] as (db: Db, input: Letter<K>['input']) => Promise<void>;
  try {
    await write(db, letter.input);
  } catch (err) {
    if (!isPermanentDbError(err)) throw redactDbError(err);
    const id = `${letter.activity}:${letter.key}`;
    const error = (redactDbError(err) as Error).message;
    await storeDeadLetter(db, {
      id,
      activity: letter.activity,
      caseId: letter.caseId,
      input: JSON.stringify(letter.input),
      sqlState: sqlState(err) ?? null,
      error,
    }).catch((stored: unknown) => {
      throw redactDbError(stored);
    });
    log.error('dead letter recorded', { deadLetter: id, activity: letter.activity, caseId: letter.caseId, sqlState: sqlState(err), error });
  }
}

export interface RedriveResult {
  id: string;
  ok: boolean;
  error?: string;
}

/**
 * Writes the pending dead letters again (all, or the given ids), oldest first, after the fix that
 * makes Postgres take them. Writes are idempotent, so re-driving a letter twice changes nothing.
 */
export async function redriveDeadLetters(db: Db, ids?: readonly string[]): Promise<RedriveResult[]> {
  const pending = await pendingDeadLetters(db, ids);
  const results: RedriveResult[] = [];
  for (const letter of pending) {
    const write = writers[letter.activity as DeadLetterActivity] as ((db: Db, input: unknown) => Promise<void>) | undefined;
    try {
      if (!write) throw new Error(`no writer for activity ${letter.activity}`);
      await write(db, JSON.parse(letter.input));
      await markRedriven(db, letter.id);
      results.push({ id: letter.id, ok: true });
    } catch (err) {
      const error = (redactDbError(err) as Error).message;
      await markRedriveFailed(db, letter.id, error);
      results.push({ id: letter.id, ok: false, error });
    }
  }
  return results;
}
