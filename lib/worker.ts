import path from 'node:path';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

/** The workflow bundle's entry; the SDK bundles it with webpack, so a plain path is what it takes. */
export const workflowsPath = path.join(__dirname, '..', 'workflows', 'index.ts');

export interface WorkerDeps {
  config: Pick<Config, 'temporalNamespace' | 'taskQueue'>;
  connection: NativeConnection;
  activities: object;
  options?: Partial<WorkerOptions>;
}

/** The one place the service's worker is put together (`npm start`, `npm run worker`). */
export function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporalNamespace,
    taskQueue: deps.config.taskQueue,
    activities: deps.activities,
    workflowsPath,
    ...deps.options,
  });
}
