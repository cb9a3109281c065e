import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { attachDevServer, createTestWorker } from './helpers/temporal';
import { recordingActivities } from './helpers/cases';

/** The worker container's health check (docker-compose.yml), run as compose runs it: a process beside the worker. */
const run = promisify(execFile);
const script = path.join(__dirname, '..', 'scripts', 'worker-health.ts');
const taskQueue = `worker-health-${process.pid}`;

async function check(queue: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: queue, NODE_ENV: 'test' },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe('worker health check', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await attachDevServer();
    worker = await createTestWorker(env, { taskQueue, activities: recordingActivities().activities });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  });

  it('is healthy once a worker on this host polls the task queue', async () => {
    // The server lists a poller once its first poll arrived: bounded wait for it.
    let result = await check(taskQueue);
    for (let i = 0; result.code !== 0 && i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      result = await check(taskQueue);
    }
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining(`polling ${taskQueue}: ${process.pid}@`) as unknown });
  });

  it('is unhealthy when no worker here polls the queue, or Temporal does not answer', async () => {
    expect(await check(`${taskQueue}-nobody`)).toMatchObject({ code: 1, out: expect.stringContaining('no worker on') as unknown });
    const unreachable = await run(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', NODE_ENV: 'test' },
    }).catch((err: { code: number; stdout: string }) => err);
    expect(unreachable).toMatchObject({ code: 1, stdout: expect.stringContaining('Temporal does not answer') as unknown });
  });
});
