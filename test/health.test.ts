import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../api/app';
import { createDatabase, type Database } from '../db/client';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { startApiHarness } from './helpers/api';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const logger = createLogger(config);

/** Asks /readyz until `done` holds or `withinMs` passes; answers the last response. */
async function readyzUntil(app: Awaited<ReturnType<typeof buildApp>>, done: (status: number) => boolean, withinMs: number) {
  const until = Date.now() + withinMs;
  for (;;) {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    if (done(response.statusCode) || Date.now() > until) return response;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('health', () => {
  let temporal: Client;
  let database: Database;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    database = createDatabase(inject('databaseUrl'), { max: 1 });
  });

  afterAll(async () => {
    await temporal.connection.close();
    await database.close();
  });

  it('answers /healthz with a request id, whatever the parts behind it', async () => {
    const app = await buildApp({ config, logger, temporal, database, apiKeys: [], sweepIntakeClaims: false });
    const live = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-42' } });
    expect(live.statusCode).toBe(200);
    expect(live.headers['x-request-id']).toBe('req-42');
    await app.close();
  });

  it('answers /readyz when Temporal and Postgres are up and a worker polls the task queue', async () => {
    const h = await startApiHarness('health-ready');
    try {
      // The worker's first polls reach the server a moment after it starts.
      const ready = await readyzUntil(h.app, (status) => status === 200, 15_000);
      expect(ready.statusCode).toBe(200);
      const body = ready.json();
      expect(body).toMatchObject({ status: 'ready', checks: { temporal: { status: 'up' }, postgres: { status: 'up' }, worker: { status: 'up' } } });
      expect(body.checks.worker.pollers).toBeGreaterThanOrEqual(1);
    } finally {
      await h.close();
    }
  });

  it('answers /readyz with 503 naming the worker when no worker polls, while Temporal and Postgres are up', async () => {
    // The default task queue of this test's config: no worker of the suite polls it.
    const app = await buildApp({
      config: { ...config, taskQueue: `nobody-polls-${process.pid}` },
      logger,
      temporal,
      database,
      apiKeys: [],
      sweepIntakeClaims: false,
    });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body).toMatchObject({ type: '/problems/not-ready', detail: 'not ready: worker' });
    expect(body.checks).toMatchObject({ temporal: { status: 'up' }, postgres: { status: 'up' }, worker: { status: 'down', pollers: 0 } });
    await app.close();
  });

  it('turns not-ready, naming the worker, once the worker stops polling', async () => {
    // Temporal lists a poller with the time its last poll began, and keeps it after the worker is
    // gone; an idle worker's poll lasts up to a minute, so production counts polls of the last 70 s.
    // This test counts 10 s, so that it sees the stop without waiting 70 s.
    const h = await startApiHarness('health-worker-gone', { workerPollWindowMs: 10_000 });
    try {
      expect((await readyzUntil(h.app, (status) => status === 200, 15_000)).statusCode).toBe(200);
      await h.stopWorker();
      const stoppedAt = Date.now();
      const response = await readyzUntil(h.app, (status) => status === 503, 40_000);
      expect(response.statusCode).toBe(503);
      expect(Date.now() - stoppedAt).toBeLessThan(40_000);
      const body = response.json();
      expect(body.detail).toBe('not ready: worker');
      // Its last poll of one task type may still be in the window: down, whatever the count.
      expect(body.checks).toMatchObject({ temporal: { status: 'up' }, postgres: { status: 'up' }, worker: { status: 'down' } });
    } finally {
      await h.close();
    }
  }, 70_000);

  it('answers /readyz with 503 naming each part that is down', async () => {
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const deadDatabase = createDatabase('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const app = await buildApp({ config, logger, temporal: deadTemporal, database: deadDatabase, apiKeys: [], sweepIntakeClaims: false });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    // With Temporal down no one can tell whether a worker polls: it is not counted as there.
    expect(body).toMatchObject({ type: '/problems/not-ready', status: 503, detail: 'not ready: temporal, postgres, worker' });
    expect(body.checks.temporal.status).toBe('down');
    expect(body.checks.postgres.status).toBe('down');
    expect(body.checks.worker).toMatchObject({ status: 'down', pollers: 0 });
    await app.close();
    await deadDatabase.close();
  });
});
