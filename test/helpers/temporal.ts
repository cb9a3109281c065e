import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { addSearchAttributes } from '../../lib/temporal';

let runtimeQuiet = false;

/** Keeps the SDK's own info lines out of the test output; warnings and errors still show. */
function quietRuntime(): void {
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
