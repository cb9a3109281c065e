/**
 * The checks the fuzz stage runs after Schemathesis, against the service it fuzzed: every case's
 * read side still follows its workflow, and no workflow is stuck retrying an activity. Both look
 * at Temporal (the truth) through a client with the service's payload codec, and at Postgres.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type pg from 'pg';
import { complaintStatuses, pendingDeadLettersByCase, projectedSequences } from '../db/checks';
import { getCase } from '../workflows/definitions';
import type { CaseSnapshot } from '../workflows/model';

export interface CheckResult {
  checked: number;
  problems: string[];
  /** What was checked, for the progress line (e.g. workflows by execution status). */
  detail?: string;
}

/** Runs `work` over `items`, `width` at a time: a few hundred queries, without flooding the worker. */
async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  }
  return results;
}

export async function listWorkflows(client: Client, query?: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list(query ? { query } : {})) found.push(info);
  return found;
}

interface Projected {
  status: string;
  lastSeq: number;
  eventsSeq: number | null;
}

async function projectedRows(pool: pg.Pool, ids: readonly string[]): Promise<Map<string, Projected>> {
  const rows = await projectedSequences(pool, ids);
  return new Map(rows.map((r) => [r.id, { status: r.status, lastSeq: r.last_seq, eventsSeq: r.events_seq }]));
}

/**
 * Writes Postgres refused for good and set aside (dead_letters, not yet re-driven), by case: each
 * is input that got past the API's validation, and a read side that lags until ops re-drive it.
 * Empty where the table does not exist (code from before the dead-letter record).
 */
export async function pendingDeadLetters(pool: pg.Pool): Promise<Map<string, string[]>> {
  const byCase = new Map<string, string[]>();
  try {
    // One line per case, activity and error: a case's batches refused for one reason are one finding.
    for (const row of await pendingDeadLettersByCase(pool)) {
      const letters = byCase.get(row.case_id) ?? [];
      letters.push(`${row.activity} dead-lettered (${row.letters} letters): ${row.error.split('\n')[0]?.slice(0, 200)}`);
      byCase.set(row.case_id, letters);
    }
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table
  }
  return byCase;
}

/** What differs between the workflow's case and its row, or undefined when they agree. */
async function lagOf(client: Client, info: WorkflowExecutionInfo, row: Projected | undefined): Promise<string | undefined> {
  let view: CaseSnapshot;
  try {
    view = await client.workflow.getHandle(info.workflowId).query(getCase);
  } catch (err) {
    return `getCase query fails (${info.status.name}): ${(err as Error).message.split('\n')[0]}`;
  }
  const seq = view.timeline.at(-1)?.seq ?? 0;
  if (!row) return `no row in complaints (workflow ${info.status.name}, status ${view.status}, seq ${seq})`;
  const differences: string[] = [];
  if (row.status !== view.status) differences.push(`status ${row.status} in Postgres, ${view.status} in the workflow`);
  if (row.lastSeq !== seq) differences.push(`row at seq ${row.lastSeq}, workflow at ${seq}`);
  if ((row.eventsSeq ?? 0) !== seq) differences.push(`case_events up to ${row.eventsSeq ?? 'none'}, workflow at ${seq}`);
  return differences.length > 0 ? `${differences.join('; ')} (workflow ${info.status.name})` : undefined;
}

/**
 * Every `complaint-*` workflow against its row and events: status and last timeline sequence. The
 * read side trails the workflow by an activity, so the cases that differ are asked again, once a
 * second, until they agree or `waitSeconds` have passed; those still differing are the lagging ones.
 */
export async function checkProjections(client: Client, pool: pg.Pool, options: { waitSeconds: number; log: (line: string) => void }): Promise<CheckResult> {
  // A case that continued as new has several runs: its latest is the one the row follows.
  const latest = new Map<string, WorkflowExecutionInfo>();
  for (const w of await listWorkflows(client)) {
    const known = latest.get(w.workflowId);
    if (w.workflowId.startsWith('complaint-') && (!known || known.startTime < w.startTime)) latest.set(w.workflowId, w);
  }
  const workflows = [...latest.values()];
  const caseId = (w: WorkflowExecutionInfo) => w.workflowId.slice('complaint-'.length);
  const deadline = Date.now() + options.waitSeconds * 1000;
  let pending = workflows;
  let lags = new Map<string, string>();
  for (let round = 1; ; round += 1) {
    const rows = await projectedRows(pool, pending.map(caseId));
    const found = await inBatches(pending, 8, async (w) => [w, await lagOf(client, w, rows.get(caseId(w)))] as const);
    lags = new Map(found.flatMap(([w, lag]) => (lag ? [[w.workflowId, lag] as const] : [])));
    pending = pending.filter((w) => lags.has(w.workflowId));
    if (pending.length === 0 || Date.now() > deadline) break;
    if (round === 1) options.log(`${pending.length} of ${workflows.length} cases not yet projected; waiting up to ${options.waitSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const letters = await pendingDeadLetters(pool);
  const problems = [...lags.entries()].map(([workflowId, lag]) => {
    const set = letters.get(workflowId.slice('complaint-'.length));
    return `${workflowId}: ${lag}${set ? `; ${set.join('; ')}` : ''}`;
  });

  // The other way round: a row whose workflow does not exist is a case no one can act on.
  const known = new Set(workflows.map(caseId));
  for (const row of await complaintStatuses(pool)) {
    if (!known.has(row.id)) problems.push(`complaint-${row.id}: row (status ${row.status}) without a workflow`);
  }
  const byStatus = new Map<string, number>();
  for (const w of workflows) byStatus.set(w.status.name, (byStatus.get(w.status.name) ?? 0) + 1);
  const detail = [...byStatus.entries()].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ');
  return { checked: workflows.length, problems, detail };
}

/**
 * The message of an activity's last failure. With the failure converter encrypting failures
 * (`encodeCommonAttributes`), the message says only "Encoded failure" and the real one sits,
 * encrypted, in `encodedAttributes`: decode it with the service's codec.
 */
async function failureMessage(
  failure: { message?: string | null; encodedAttributes?: Payload | null } | null | undefined,
  codec: PayloadCodec,
): Promise<string> {
  if (!failure) return '(no failure recorded)';
  if (failure.encodedAttributes) {
    try {
      const [decoded] = await codec.decode([failure.encodedAttributes]);
      const attributes = decoded ? defaultPayloadConverter.fromPayload<{ message?: string }>(decoded) : undefined;
      if (attributes?.message) return attributes.message;
    } catch {
      // Not decodable with these keys: the plain message is the best there is.
    }
  }
  return failure.message ?? '';
}

/**
 * Sends to a party outside the service (a mail server, an integrator's webhook receiver): retried
 * while it is away, which the fuzz's made-up addresses always are, and given up after a bounded
 * time by their own workflows (workflows/delivery.ts, workflows/webhooks.ts), not for ever.
 */
const outsideParties = new Set(['sendNoticeEmail', 'sendNoticeSms', 'sendWebhook']);

/**
 * No running workflow may have an activity past `maxAttempts` attempts (a write that can never
 * succeed, retried for ever) or a workflow task failing again and again (a case frozen in place).
 */
export async function checkRetries(client: Client, codec: PayloadCodec, maxAttempts: number): Promise<CheckResult> {
  const running = await listWorkflows(client, 'ExecutionStatus = "Running"');
  const problems = (
    await inBatches(running, 8, async (info) => {
      const found: string[] = [];
      const description = await client.workflow
        .getHandle(info.workflowId, info.runId)
        .describe()
        .catch((err: unknown) => err as Error);
      if (description instanceof Error) return [`${info.workflowId}: describe fails: ${description.message.split('\n')[0]}`];
      const { raw } = description;
      for (const activity of raw.pendingActivities ?? []) {
        const attempt = activity.attempt ?? 0;
        if (attempt <= maxAttempts || outsideParties.has(activity.activityType?.name ?? '')) continue;
        const message = await failureMessage(activity.lastFailure, codec);
        found.push(`${info.workflowId}: activity ${activity.activityType?.name ?? '?'} at attempt ${attempt}: ${message.split('\n')[0]?.slice(0, 300)}`);
      }
      const task = raw.pendingWorkflowTask?.attempt ?? 0;
      if (task > maxAttempts) found.push(`${info.workflowId}: workflow task at attempt ${task} (the workflow cannot make progress; see its history)`);
      return found;
    })
  ).flat();
  return { checked: running.length, problems };
}
