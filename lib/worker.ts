import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { failureConverterPath } from './codec';
import type { Config } from './config';

/**
 * `.ts` when this module runs from the sources (tsx, vitest), `.js` when it runs compiled in
 * `dist/` (`npm run build`): the workflow sources beside it have the same extension.
 */
const sourceExtension = path.extname(__filename);

/**
 * The workflow bundle's entry; the SDK bundles it with webpack, so a plain path is what it takes.
 * From the sources `workflows/index.ts`; in `dist/`, the compiled `dist/workflows/index.js`.
 */
export const workflowsPath = path.join(__dirname, '..', 'workflows', `index${sourceExtension}`);

/**
 * Where prebuilt bundles live (ignored by git): `build/` beside the sources (`npm run
 * build:workflows`, or the first worker start), `dist/build/` for the compiled service (`npm run
 * build`), so each finds the bundle made of its own workflow code.
 */
export const workflowBundleDir = path.join(__dirname, '..', 'build');

/** The packages whose code webpack puts into the bundle beside ours (typebox: the actions' argument schemas). */
const bundledPackages = ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker', 'typebox'];

function installedVersion(pkg: string): string {
  // Each resolves to <package>/lib/index.js (typebox: build/index.mjs); their package.json is not in their "exports".
  const manifest = path.join(path.dirname(require.resolve(pkg)), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * A hash of everything the bundle is made of: the workflow sources (they import only each other
 * and the SDK), the failure converter bundled with them, and the SDK's versions. A bundle named
 * after another hash is stale and never loaded.
 */
export function workflowBundleKey(): string {
  const hash = createHash('sha256');
  const dir = path.dirname(workflowsPath);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(sourceExtension))
    .sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  }
  hash.update(readFileSync(failureConverterPath));
  hash.update(`\0preload:${preloadModules.map((m) => path.basename(m)).join(',')}`);
  for (const pkg of bundledPackages) hash.update(`\0${pkg}@${installedVersion(pkg)}`);
  return hash.digest('hex').slice(0, 16);
}

export function workflowBundlePath(): string {
  return path.join(workflowBundleDir, `workflow-bundle-${workflowBundleKey()}.js`);
}

/**
 * Modules the worker evaluates once per worker thread, instead of once for each workflow it holds.
 * The SDK evaluates every module of the bundle again in each workflow's own scope, so that
 * workflows share no state. Evaluated for each, typebox (373 modules, the actions' argument
 * schemas are built with it) and the actions' table with the case's rules took a cached case's
 * heap from 83 KiB (a bare workflow's) to 574 KiB; shared, it is 90 KiB (docs/performance.md).
 * Neither keeps state of a workflow's (ESLint holds workflows/ to const module state); the SDK
 * freezes what it shares, and `workflows/preload` readies typebox for that.
 */
const preloadModules = ['typebox', ...['preload', 'actions'].map((name) => path.join(path.dirname(workflowsPath), `${name}${sourceExtension}`))];

/** Bundles the workflow code (webpack: 9–21 s on two busy cores), as the worker will load it. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    preloadModules,
    logger: new DefaultLogger('WARN'),
  });
  return code;
}

/**
 * Stores `code` as the bundle at `codePath` and removes stale bundles. Written to a temporary name
 * and renamed, so a worker starting meanwhile never loads half a file.
 */
function cacheBundle(codePath: string, code: string): void {
  mkdirSync(workflowBundleDir, { recursive: true });
  const partial = `${codePath}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, codePath);
  for (const file of readdirSync(workflowBundleDir)) {
    const other = path.join(workflowBundleDir, file);
    if (file.startsWith('workflow-bundle-') && file.endsWith('.js') && other !== codePath) rmSync(other, { force: true });
  }
}

/** `npm run build:workflows`: makes the current bundle unless it is there already; its path. */
export async function buildWorkflowBundle(): Promise<string> {
  const codePath = workflowBundlePath();
  if (!existsSync(codePath)) cacheBundle(codePath, await bundleWorkflows());
  return codePath;
}

/**
 * The current prebuilt bundle, made and cached on first use. Where the cache cannot be written
 * (a read-only image without a prebuilt bundle), the code bundled in memory serves this start.
 */
export async function currentWorkflowBundle(log: (line: string) => void): Promise<{ codePath: string } | { code: string }> {
  const codePath = workflowBundlePath();
  if (existsSync(codePath)) return { codePath };
  log('no prebuilt workflow bundle for these sources: bundling (`npm run build:workflows` ahead of time skips this)');
  const code = await bundleWorkflows();
  try {
    cacheBundle(codePath, code);
    return { codePath };
  } catch (err) {
    log(`could not cache the workflow bundle in ${workflowBundleDir}: ${(err as Error).message}`);
    return { code };
  }
}

export interface WorkerDeps {
  config: Pick<Config, 'temporalNamespace' | 'taskQueue'>;
  connection: NativeConnection;
  activities: object;
  options?: Partial<WorkerOptions>;
  log?: (line: string) => void;
}

/** The one place the service's worker is put together (`npm start`, `npm run worker`). */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporalNamespace,
    taskQueue: deps.config.taskQueue,
    activities: deps.activities,
    workflowBundle: await currentWorkflowBundle(deps.log ?? (() => undefined)),
    ...deps.options,
  });
}
