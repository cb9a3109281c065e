import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SearchAttributeType, type DataConverter } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import type { Config } from './config';
import { allSearchAttributes } from '../workflows/search-attributes';

export type TemporalSettings = Pick<Config, 'temporalAddress' | 'temporalNamespace'>;

/**
 * A client whose calls fail fast when Temporal is down, with the service's data converter (the
 * payload encryption) so what it sends is ciphertext in the history.
 */
export async function connectClient(settings: TemporalSettings, dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address: settings.temporalAddress, connectTimeout: '5s' });
  return new Client({ connection, namespace: settings.temporalNamespace, ...(dataConverter ? { dataConverter } : {}) });
}

const indexedValueTypes: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the service's custom search attributes where they are missing, so a fresh namespace
 * (the compose stack, a new cluster) works without a manual `temporal operator` step.
 */
export async function ensureSearchAttributes(client: Client): Promise<string[]> {
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace: client.options.namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = allSearchAttributes.filter((key) => !known.has(key.name));
  if (missing.length > 0) await addSearchAttributes(client, missing);
  return missing.map((key) => key.name);
}

/**
 * A worker counts as polling when it started a poll within this window. Temporal records a
 * poller's lastAccessTime when a long poll begins, and an idle worker's poll lasts up to a minute
 * (measured: 50-60 s on the dev server), so a shorter window would call an idle, healthy worker
 * gone. A worker that stopped is therefore seen as gone 70 s after its last poll at most.
 */
export const workerPollWindowMs = 70_000;

/** The pollers of the task queue seen within the window: worker identities, and whether each task type has one. */
export async function recentPollers(client: Client, taskQueue: string, windowMs: number): Promise<{ identities: Set<string>; bothTypes: boolean }> {
  const since = Date.now() - windowMs;
  const identities = new Set<string>();
  let bothTypes = true;
  for (const taskQueueType of [temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType,
    });
    const recent = (pollers ?? []).filter((p) => p.lastAccessTime && millis(p.lastAccessTime) >= since);
    recent.forEach((p) => identities.add(p.identity ?? ''));
    if (recent.length === 0) bothTypes = false;
  }
  return { identities, bothTypes };
}

type Timestamp = NonNullable<temporal.api.taskqueue.v1.IPollerInfo['lastAccessTime']>;
const millis = (t: Timestamp): number => Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);

/** Adds search attributes without asking first (the time-skipping test server cannot list them). */
export async function addSearchAttributes(client: Client, keys: readonly SearchAttributeKey<SearchAttributeType>[] = allSearchAttributes): Promise<void> {
  await client.connection.operatorService.addSearchAttributes({
    namespace: client.options.namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, indexedValueTypes[key.type]])),
  });
}
