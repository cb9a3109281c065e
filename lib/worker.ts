import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

export type WorkflowSource = { workflowBundle: { code: string } | { codePath: string } } | { workflowsPath: string };

/** The workflow bundle's entry; the SDK bundles it with webpack, so a plain path is what it takes. */
export const workflowsPath = path.join(__dirname, '..', 'workflows', 'index.ts');

export interface WorkerDeps {
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue'>;
  activities: object;
  /** A prebuilt bundle in tests and production; the source path (bundled at start) in development. */
  workflows?: WorkflowSource;
  connection?: NativeConnection;
  options?: Partial<WorkerOptions>;
}

/** The one place a worker is put together, for `npm start`, `npm run worker` and the tests. */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const connection = deps.connection ?? (await NativeConnection.connect({ address: deps.config.temporalAddress }));
  return Worker.create({
    connection,
    namespace: deps.config.temporalNamespace,
    taskQueue: deps.config.taskQueue,
    activities: deps.activities,
    ...(deps.workflows ?? { workflowsPath }),
    ...deps.options,
  });
}
