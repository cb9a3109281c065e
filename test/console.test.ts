import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { callerScript, consoleRoutes } from '../api/routes/console';
import { ensureConsoleBuilt } from './helpers/console';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { staff } from './helpers/staff';

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

  it('answers /console/ with the app, whose assets are under /console/, kept by no cache', async () => {
    const response = await get('/console/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.body).toContain('<div id="root"></div>');
    expect(response.body).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
  });

  it('names the caller in the page, as GET /session does, so its first reads need not ask', async () => {
    const named = (body: string) => {
      const script = /<script>window\.__consoleCaller = (.*?);<\/script>/.exec(body)?.[1];
      expect(script, 'the caller script').toBeDefined();
      return JSON.parse(script!) as unknown;
    };
    expect(named((await get('/console/')).body)).toBeNull();
    const asRegistrar = credentials(keys.registrar);
    const page = await harness.app.inject({ method: 'GET', url: '/console/cases/x', headers: asRegistrar });
    const session = await harness.app.inject({ method: 'GET', url: '/session', headers: asRegistrar });
    expect(session.statusCode).toBe(200);
    expect(named(page.body)).toEqual(session.json());
    expect(named(page.body)).toMatchObject({ via: 'session', id: staff.registrar.id, name: staff.registrar.name });
  });

  it('writes the caller so that no text in it can end its script', () => {
    const caller = { id: 'x', name: '</script><script>alert(1)</script>', roles: [] };
    const script = callerScript(caller);
    // The one </script> is the element's own end.
    expect(script.match(/<\/script/gi)).toHaveLength(1);
    const sandbox: { window: { __consoleCaller?: unknown } } = { window: {} };
    runInNewContext(script.replace(/^<script>|<\/script>$/g, ''), sandbox);
    expect(sandbox.window.__consoleCaller).toEqual(caller);
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
      expect(response.headers['cache-control'], url).toBe('private, no-store');
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
