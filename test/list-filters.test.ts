import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjection } from '../db/projections';
import { newCase } from '../workflows/case';
import { projectionOf, type CaseProjection } from '../workflows/projection';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { makeComplaint, uniqueId, workflowInput } from './helpers/cases';

/**
 * The filters behind a supervisor's tabs (预警, 抽查待复核): read-side facts the workflow projects,
 * listed through `GET /complaints`.
 */
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('list-filters');
});
afterAll(async () => {
  await h?.close();
});

/** Writes a case row as the workflow would project it, with the given facts. */
async function seed(facts: Partial<CaseProjection>): Promise<string> {
  const c = makeComplaint({ id: uniqueId('filter') });
  await writeProjection(h.database.db, { ...projectionOf(newCase(workflowInput(c), new Date().toISOString()), `complaint-${c.id}`), ...facts }, 1);
  return c.id;
}

async function listed(query: string): Promise<string[]> {
  const response = await h.app.inject({ url: `/complaints?limit=100&${query}`, headers: credentials(keys.supervisor) });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { id: string }[]).map((c) => c.id);
}

describe('list filters', () => {
  it('lists warned cases apart from the others, with their warning level', async () => {
    const warned = await seed({ status: 'in_progress', warningLevel: 2 });
    const quiet = await seed({ status: 'in_progress', warningLevel: 0 });
    const ids = await listed('warned=true');
    expect(ids).toContain(warned);
    expect(ids).not.toContain(quiet);
    expect(await listed('warned=false')).toContain(quiet);
    const response = await h.app.inject({ url: `/complaints?warned=true&limit=100`, headers: credentials(keys.supervisor) });
    expect((response.json().items as { id: string; warningLevel: number }[]).find((c) => c.id === warned)?.warningLevel).toBe(2);
  });

  it('lists open cases apart from finished ones', async () => {
    const open = await seed({ status: 'in_progress', overdue: true });
    const closed = await seed({ status: 'closed', overdue: true });
    const ids = await listed('overdue=true&open=true');
    expect(ids).toContain(open);
    expect(ids).not.toContain(closed);
    expect(await listed('overdue=true&open=false')).toContain(closed);
  });

  it('lists the cases drawn for the spot check by outcome, and refuses an outcome that does not exist', async () => {
    const pending = await seed({ status: 'closed', spotCheck: 'pending' });
    const passed = await seed({ status: 'closed', spotCheck: 'passed' });
    expect(await listed('spotCheck=pending')).toEqual(expect.arrayContaining([pending]));
    expect(await listed('spotCheck=pending')).not.toContain(passed);
    const bad = await h.app.inject({ url: '/complaints?spotCheck=maybe', headers: credentials(keys.supervisor) });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('spotCheck');
  });
});

describe('the projected warning level', () => {
  const handlingCase = (window: number, warnings: { level: 1 | 2; window: number }[]) => {
    const state = newCase(workflowInput(makeComplaint({ id: uniqueId('warn') })), '2026-11-02T01:00:00.000Z');
    state.status = 'in_progress';
    state.window = window;
    state.warnings = warnings.map((w) => ({ ...w, at: '2026-11-10T01:00:00.000Z' }));
    return state;
  };

  it('is the highest warning of the handling window open now', () => {
    expect(projectionOf(handlingCase(1, [{ level: 1, window: 1 }]), 'w').warningLevel).toBe(1);
    expect(
      projectionOf(
        handlingCase(1, [
          { level: 1, window: 1 },
          { level: 2, window: 1 },
        ]),
        'w',
      ).warningLevel,
    ).toBe(2);
  });

  it('starts again at 0 in a new window (reassignment, rework) and outside handling', () => {
    expect(projectionOf(handlingCase(2, [{ level: 2, window: 1 }]), 'w').warningLevel).toBe(0);
    const closed = handlingCase(1, [{ level: 2, window: 1 }]);
    closed.status = 'closed';
    expect(projectionOf(closed, 'w').warningLevel).toBe(0);
  });
});
