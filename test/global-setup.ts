import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { startDevServer } from '../lib/dev-server';
import { projectRoot, resolveTemporalBinary } from '../lib/temporal-binaries';
import { failureConverterPath } from '../lib/codec';
import { workflowsPath } from '../lib/worker';
import { freePort } from './helpers/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
    testServerPath: string | undefined;
    temporalAddress: string;
    /** The dev server's SQLite file, for tests that scan what Temporal stores. */
    temporalDbFile: string;
    databaseUrl: string;
  }
}

const log = (line: string) => console.log(`[global-setup] ${line}`);

/**
 * Once per `npm test`: the Temporal binaries, one workflow bundle for every test worker, and a
 * dev server and Postgres for the integration tests. Both servers listen on 127.0.0.1 only.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testServer = resolveTemporalBinary('testServer', { log });
  project.provide('testServerPath', testServer.path);

  const bundleDir = path.join(projectRoot, '.data', 'test');
  mkdirSync(bundleDir, { recursive: true });
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: new DefaultLogger('WARN') });
  writeFileSync(bundlePath, code);
  project.provide('workflowBundlePath', bundlePath);
  log('workflow code bundled');

  const temporalAddress = `127.0.0.1:${await freePort()}`;
  const temporalDbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'complaints-temporal-')), 'temporal.db');
  const devServer = await startDevServer({ address: temporalAddress, namespace: 'default', dbFile: temporalDbFile, log });
  project.provide('temporalAddress', temporalAddress);
  project.provide('temporalDbFile', temporalDbFile);
  log(`dev server on ${temporalAddress}`);

  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres: () => Promise<void> = async () => undefined;
  if (!databaseUrl) {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'complaints-test-'));
    // As root, Postgres runs as the "postgres" user, who must be able to enter the folder.
    chmodSync(parent, 0o755);
    const dataDir = path.join(parent, 'postgres');
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'complaints_test' });
    databaseUrl = embedded.url;
    stopPostgres = embedded.stop;
    log('embedded Postgres started');
  }
  const database = createDatabase(databaseUrl, { max: 1 });
  await runMigrations(database);
  await database.close();
  project.provide('databaseUrl', databaseUrl);

  return async () => {
    await devServer.teardown();
    await stopPostgres();
  };
}
