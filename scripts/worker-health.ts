/**
 * `node dist/scripts/worker-health.js`: exit status 0 when a worker on this host polls
 * TEMPORAL_TASK_QUEUE, 1 when none does or Temporal does not answer. The worker container's health
 * check (docker-compose.yml): a worker that started but cannot reach Temporal, or polls another
 * namespace or queue, is unhealthy rather than silently idle.
 */
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../lib/config';
import { recentPollers, workerPollWindowMs } from '../lib/temporal';

async function main(): Promise<boolean> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '3s' });
  try {
    const client = new Client({ connection, namespace: config.temporalNamespace });
    const { identities } = await recentPollers(client, config.taskQueue, workerPollWindowMs);
    const here = [...identities].filter((identity) => identity.endsWith(`@${os.hostname()}`));
    console.log(here.length > 0 ? `polling ${config.taskQueue}: ${here.join(', ')}` : `no worker on ${os.hostname()} polls ${config.taskQueue}`);
    return here.length > 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (healthy) => process.exit(healthy ? 0 : 1),
  (err: unknown) => {
    console.log(`Temporal does not answer: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
