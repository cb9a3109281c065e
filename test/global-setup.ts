import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../db/client';
import { seedDevelopmentOrganisation } from '../db/development-organisation';
import { seedTestStaff } from './helpers/staff';
import { startEmbeddedPostgres } from '../db/embedded';
import { runMigrations } from '../db/migrate';
import { startDevServer } from '../lib/dev-server';
import { projectRoot, resolveTemporalBinary } from '../lib/temporal-binaries';
import { bundleWorkflows } from '../lib/worker';
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

/** One step of the teardown: stop a server, remove a temporary folder. */
type Undo = () => Promise<void> | void;

/**
 * Once per `npm test`: the Temporal binaries, one workflow bundle for every test worker, and a
 * dev server and Postgres for the integration tests. Both servers listen on 127.0.0.1 only.
 * The teardown stops them and removes their temporary folders (about 50 MB a run).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const undo: Undo[] = [];
  const teardown = () => undoAll(undo);
  try {
    await startAll(project, undo);
  } catch (err) {
    // Vitest runs no teardown for a setup that threw: undo here what was started so far.
    await teardown().catch((cleanup: unknown) => log(`cleaning up after the failed setup: ${String(cleanup)}`));
    throw err;
  }
  return teardown;
}

/** Runs every step, the last made first (a server stops before its folder goes), even if one fails. */
async function undoAll(undo: Undo[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of undo.splice(0).reverse()) {
    try {
      await step();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'global teardown: some steps failed');
}

/** A temporary folder under os.tmpdir() that the teardown removes. */
function temporaryDir(prefix: string, undo: Undo[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  undo.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startAll(project: TestProject, undo: Undo[]): Promise<void> {
  const testServer = resolveTemporalBinary('testServer', { log });
  project.provide('testServerPath', testServer.path);

  const bundleDir = path.join(projectRoot, '.data', 'test');
  mkdirSync(bundleDir, { recursive: true });
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  const code = await bundleWorkflows();
  writeFileSync(bundlePath, code);
  project.provide('workflowBundlePath', bundlePath);
  log('workflow code bundled');

  const temporalAddress = `127.0.0.1:${await freePort()}`;
  const temporalDbFile = path.join(temporaryDir('complaints-temporal-', undo), 'temporal.db');
  const devServer = await startDevServer({ address: temporalAddress, namespace: 'default', dbFile: temporalDbFile, log });
  undo.push(() => devServer.teardown());
  project.provide('temporalAddress', temporalAddress);
  project.provide('temporalDbFile', temporalDbFile);
  log(`dev server on ${temporalAddress}`);

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const parent = temporaryDir('complaints-test-', undo);
    // As root, Postgres runs as the "postgres" user, who must be able to enter the folder.
    chmodSync(parent, 0o755);
    const dataDir = path.join(parent, 'postgres');
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'complaints_test' });
    undo.push(() => embedded.stop());
    databaseUrl = embedded.url;
    log('embedded Postgres started');
  }
  const database = createDatabase(databaseUrl, { max: 1 });
  try {
    await runMigrations(database);
    // The units the tests assign (unit-a, unit-b) and their organisation: assign takes registered units only.
    await seedDevelopmentOrganisation(database.db);
    await seedTestStaff(database.db);
  } finally {
    await database.close();
  }
  project.provide('databaseUrl', databaseUrl);
}
