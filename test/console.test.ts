import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../api/routes/console';
import { ensureConsoleBuilt } from './helpers/console';
import { startApiHarness, type ApiHarness } from './helpers/api';

/**
 * The console as the API serves it (api/routes/console.ts): the built app at /console/, its
 * client routes answered with index.html, hashed assets cached for good.
 */
describe('console', () => {
  let harness: ApiHarness;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    harness = await startApiHarness('console');
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  const get = (url: string) => harness.app.inject({ method: 'GET', url });

  it('answers /console/ with the app, whose assets are under /console/, never cached', async () => {
    const response = await get('/console/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<div id="root"></div>');
    expect(response.body).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
  });

  it('serves a hashed asset with a long cache', async () => {
    const index = await get('/console/');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const response = await get(script!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a client route with index.html, and a missing asset with 404', async () => {
    const index = await get('/console/');
    for (const url of ['/console/cases/x', '/console/login', '/console/cases?status=registered']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(index.body);
    }
    const missing = await get('/console/assets/gone-1234.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('never serves a file outside the build', async () => {
    const response = await get('/console/..%2f..%2fpackage.json');
    expect(response.body).not.toContain('"name": "complaint-service"');
  });

  it('redirects /console to /console/', async () => {
    const response = await get('/console');
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/console/');
  });

  it('needs no credentials and stays out of the OpenAPI document', async () => {
    expect((await get('/console/')).statusCode).toBe(200);
    const paths = Object.keys((await get('/openapi.json')).json().paths);
    expect(paths.filter((p) => p.startsWith('/console'))).toEqual([]);
  });

  it('answers 503 problem+json while the console is not built', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'console-'));
    const app = Fastify();
    await app.register(consoleRoutes, { dist: empty });
    try {
      const response = await app.inject({ method: 'GET', url: '/console/' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ detail: 'the console is not built: npm run build:console' });
    } finally {
      await app.close();
      await rm(empty, { recursive: true });
    }
  });
});
