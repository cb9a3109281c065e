/**
 * The worker of the benchmark's bare lane (scripts/bench/bare-workflow.ts), in a process of its
 * own so its CPU and memory are read apart from the service's. The same Temporal server and the
 * same payload codec as the service: what differs is only what the service does.
 *
 * It also serves the intake's floor: `POST /start`, a bare Fastify route that does nothing but
 * start the bare workflow with the body as its submission, so the benchmark can show what any
 * intake through HTTP costs before it does anything of its own.
 * Env: TEMPORAL_ADDRESS, DATA_DIR (the service's development payload keys), BENCH_TASK_QUEUE,
 * BENCH_HTTP_PORT.
 */
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import Fastify from 'fastify';
import { dataConverterFor, developmentPayloadKeys } from '../../lib/codec';
import { connectClient } from '../../lib/temporal';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS: address, DATA_DIR: dataDir, BENCH_TASK_QUEUE: taskQueue, BENCH_HTTP_PORT: httpPort } = process.env;
  if (!address || !dataDir || !taskQueue || !httpPort) throw new Error('TEMPORAL_ADDRESS, DATA_DIR, BENCH_TASK_QUEUE and BENCH_HTTP_PORT are required');
  const dataConverter = dataConverterFor(developmentPayloadKeys(path.join(dataDir, 'dev-payload-keys')));
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./bare-workflow'),
    activities: { nothing: async () => undefined },
    dataConverter,
  });
  const client = await connectClient({ temporalAddress: address, temporalNamespace: 'default' }, dataConverter);
  const app = Fastify();
  let started = 0;
  app.post('/start', async (request, reply) => {
    const id = `bench-floor-${process.pid}-${++started}`;
    await client.workflow.start('bareLifecycle', { taskQueue, workflowId: id, args: [{ steps: 5, submission: request.body }] });
    return reply.code(201).send({ id });
  });
  await app.listen({ host: '127.0.0.1', port: Number(httpPort) });
  process.on('SIGTERM', () => {
    worker.shutdown();
    void app.close();
  });
  const running = worker.run();
  // The benchmark waits for this line before it starts the lane.
  console.log('bare worker polling');
  await running;
  await client.connection.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
