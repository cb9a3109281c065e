/**
 * The worker of the benchmark's bare lane (scripts/bench/bare-workflow.ts), in a process of its
 * own so its CPU and memory are read apart from the service's. The same Temporal server and the
 * same payload codec as the service: what differs is only what the service does.
 * Env: TEMPORAL_ADDRESS, DATA_DIR (the service's development payload keys), BENCH_TASK_QUEUE.
 */
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { dataConverterFor, developmentPayloadKeys } from '../../lib/codec';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS: address, DATA_DIR: dataDir, BENCH_TASK_QUEUE: taskQueue } = process.env;
  if (!address || !dataDir || !taskQueue) throw new Error('TEMPORAL_ADDRESS, DATA_DIR and BENCH_TASK_QUEUE are required');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { nothing: async () => undefined },
    dataConverter: dataConverterFor(developmentPayloadKeys(path.join(dataDir, 'dev-payload-keys'))),
  });
  process.on('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  // The benchmark waits for this line before it starts the lane.
  console.log('bare worker polling');
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
