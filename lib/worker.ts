import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

export type WorkflowSource = { workflowBundle: { code: string } | { codePath: string } } | { workflowsPath: string };

export const workflowsPath = require.resolve('../workflows');

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
