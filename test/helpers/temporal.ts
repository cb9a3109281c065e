import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker, type WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import { addSearchAttributes } from '../../lib/temporal';
import { recordingActivities } from './cases';

let runtimeQuiet = false;

/** Keeps the SDK's own info lines out of the test output; warnings and errors still show. */
export function quietRuntime(): void {
  if (runtimeQuiet) return;
  runtimeQuiet = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** A time-skipping environment on the project's installed test server (one per test file). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = inject('testServerPath');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  });
  await addSearchAttributes(env.client);
  return env;
}

/** Attaches to the dev server started once for the whole run. */
export async function attachDevServer(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress'), namespace: 'default' });
}

/** A worker on the shared prebuilt bundle, so no test file pays for bundling. */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  options: Pick<WorkerOptions, 'taskQueue' | 'activities'> & Partial<WorkerOptions>,
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    workflowBundle: { codePath: inject('workflowBundlePath') },
    ...options,
  });
}

/**
 * A test file's time-skipping environment and worker with recording activities, set up before
 * its tests and torn down after. Read `env` inside tests (it exists once `beforeAll` ran).
 */
export function timeSkippingSuite(taskQueue: string) {
  const recorded = recordingActivities();
  const suite = { taskQueue, recorded, env: undefined as unknown as TestWorkflowEnvironment };
  let worker: Worker | undefined;
  let running: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    suite.env = await createTimeSkippingEnv();
    worker = await createTestWorker(suite.env, { taskQueue, activities: recorded.activities });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await suite.env?.teardown();
  });
  return suite;
}
