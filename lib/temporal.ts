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

/** Adds search attributes without asking first (the time-skipping test server cannot list them). */
export async function addSearchAttributes(client: Client, keys: readonly SearchAttributeKey<SearchAttributeType>[] = allSearchAttributes): Promise<void> {
  await client.connection.operatorService.addSearchAttributes({
    namespace: client.options.namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, indexedValueTypes[key.type]])),
  });
}
