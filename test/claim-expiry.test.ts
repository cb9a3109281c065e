import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { expireStaleIntakeClaims } from '../api/claim-expiry';
import { intakeKeys } from '../db/schema';
import { workflowIdFor } from '../workflows/case';
import { credentials, keys, startApiHarness, submission } from './helpers/api';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe('intake claim expiry', () => {
  it('deletes claims older than a day with no case row and no workflow, and keeps every other', async () => {
    const h = await startApiHarness('claim-expiry');
    const db = h.database.db;
    const claim = (key: string, caseId: string, createdAt: Date) => db.insert(intakeKeys).values({ key, caseId, bodySha256: 'x', createdAt });
    const tag = `${process.pid}-${randomUUID().slice(0, 8)}`;
    const orphanKey = `orphan-${tag}`;
    const recentKey = `recent-${tag}`;
    const runningKey = `running-${tag}`;
    const runningCase = `running-case-${tag}`;
    const handle = await h.client.workflow.start('noSuchWorkflow', { taskQueue: `nobody-${tag}`, workflowId: workflowIdFor(runningCase) });
    try {
      // A start that failed long ago: nothing behind the claim.
      await claim(orphanKey, `orphan-case-${tag}`, hoursAgo(25));
      // A start that failed an hour ago: the client may still retry.
      await claim(recentKey, `recent-case-${tag}`, hoursAgo(1));
      // A workflow whose first projection has not landed yet (its worker down): no row, but a case.
      await claim(runningKey, runningCase, hoursAgo(25));
      // A case registered normally, its claim made a day old.
      const body = submission();
      const registered = await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: body });
      expect(registered.statusCode).toBe(201);
      const caseKeys = await db
        .update(intakeKeys)
        .set({ createdAt: hoursAgo(25) })
        .where(eq(intakeKeys.caseId, registered.json().id))
        .returning();
      expect(caseKeys).toHaveLength(1);

      await expireStaleIntakeClaims({ db, temporal: h.client });

      const left = await db
        .select({ key: intakeKeys.key })
        .from(intakeKeys)
        .where(inArray(intakeKeys.key, [orphanKey, recentKey, runningKey, caseKeys[0]!.key]));
      expect(left.map((r) => r.key).sort()).toEqual([recentKey, runningKey, caseKeys[0]!.key].sort());
      // Nothing more to expire: a second sweep (another API replica) deletes nothing.
      expect(await expireStaleIntakeClaims({ db, temporal: h.client })).toBe(0);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
      await h.close();
    }
  });
});
