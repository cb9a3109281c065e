import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../api/app';
import { createDatabase, type Database } from '../db/client';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const logger = createLogger(config);

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

  it('answers /healthz and /readyz when Temporal and Postgres are up, with a request id', async () => {
    const app = await buildApp({ config, logger, temporal, database, apiKeys: [] });
    const live = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-42' } });
    expect(live.statusCode).toBe(200);
    expect(live.headers['x-request-id']).toBe('req-42');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { temporal: { status: 'up' }, postgres: { status: 'up' } } });
    await app.close();
  });

  it('answers /readyz with 503 naming each part that is down', async () => {
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const deadDatabase = createDatabase('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const app = await buildApp({ config, logger, temporal: deadTemporal, database: deadDatabase, apiKeys: [] });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ type: '/problems/not-ready', status: 503, detail: 'not reachable: temporal, postgres' });
    expect(body.checks.temporal.status).toBe('down');
    expect(body.checks.postgres.status).toBe('down');
    await app.close();
    await deadDatabase.close();
  });
});
