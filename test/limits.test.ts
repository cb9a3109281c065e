import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { credentials, keys, startApiHarness } from './helpers/api';

describe('limits', () => {
  it('answers 503 with Retry-After within the request deadline when Postgres stalls', async () => {
    const h = await startApiHarness('limits-deadline', { requestDeadlineMs: 2_000 });
    // Every connection of the API's pool held: the next query waits for one (5 s before pg gives up).
    const held: pg.PoolClient[] = [];
    try {
      for (let i = 0; i < (h.database.pool.options.max ?? 10); i++) held.push(await h.database.pool.connect());
      const started = Date.now();
      const response = await h.app.inject({ method: 'GET', url: '/complaints?limit=1', headers: credentials(keys.ops) });
      const took = Date.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.json().type).toBe('/problems/deadline-exceeded');
      expect(response.headers['retry-after']).toBe('5');
      // Not a speed test: the point is the deadline (2 s here), not the 5 s + 15 s of the waits beneath.
      expect(took).toBeLessThan(4_500);
    } finally {
      held.forEach((client) => client.release());
      await h.close();
    }
  });

  it('does not count calls that failed with 503 against the rate limit', async () => {
    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const h = await startApiHarness('limits-rate', { temporal: dead, temporalDeadlineMs: 1_000, rateLimitPerMinute: 3 });
    try {
      // A case view asks Temporal, which is down: 503, five times, more than the limit.
      for (let i = 0; i < 5; i++) {
        const failed = await h.app.inject({ method: 'GET', url: '/complaints/20260101-0000000000', headers: credentials(keys.ops) });
        expect(failed.statusCode).toBe(503);
      }
      // The list reads Postgres, which is up: the whole budget of 3 is still there.
      const list = () => h.app.inject({ method: 'GET', url: '/complaints?limit=1', headers: credentials(keys.ops) });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await list()).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      // 429s do not count either, and keep Retry-After.
      const refused = await list();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
    } finally {
      await h.close();
      await dead.connection.close().catch(() => undefined);
    }
  });
});
