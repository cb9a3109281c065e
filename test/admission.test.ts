import { describe, expect, it } from 'vitest';
import { Admission, KeyedBatcher } from '../api/admission';
import { Problem } from '../api/problem';

/** A job that runs until the test lets it finish. */
function held() {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { job: () => done, finish };
}

const refusal = (err: unknown) => {
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
};

describe('admission of intakes', () => {
  it('runs at most `concurrency` jobs, then starts the queued ones in arrival order', async () => {
    const admission = new Admission({ concurrency: 2, maxWaitMs: 60_000 });
    const started: number[] = [];
    const jobs = [held(), held(), held(), held()];
    const runs = jobs.map((j, n) =>
      admission.run(async () => {
        started.push(n);
        await j.job();
        return n;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    jobs[1]?.finish();
    await expect(runs[1]).resolves.toBe(1);
    expect(started).toEqual([0, 1, 2]);
    jobs[0]?.finish();
    jobs[2]?.finish();
    jobs[3]?.finish();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('turns a caller away when its wait runs out, without running its job, and says when to retry', async () => {
    const admission = new Admission({ concurrency: 1, maxWaitMs: 50 });
    const first = held();
    const running = admission.run(first.job);
    let ran = false;
    const err = await admission
      .run(async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(refusal(err).problem).toBe('overloaded');
    expect(refusal(err).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    first.finish();
    await running;
    expect(ran).toBe(false);
  });

  it('refuses at once when ten callers per place are waiting already', async () => {
    const admission = new Admission({ concurrency: 1, maxWaitMs: 60_000 });
    const blocker = held();
    const running = admission.run(blocker.job);
    const queued = Array.from({ length: 10 }, () => admission.run(async () => 'ran'));
    const refusedAtOnce = await admission.run(async () => 'ran').catch((e: unknown) => e);
    // Refused while the blocker still runs: nothing waited for a place that would not come in time.
    expect(refusal(refusedAtOnce).problem).toBe('overloaded');
    blocker.finish();
    await running;
    await expect(Promise.all(queued)).resolves.toEqual(Array(10).fill('ran'));
  });
});

describe('batches of one key', () => {
  it('makes what arrives during a batch the next batch, in order, and keeps keys apart', async () => {
    const batches: [string, number[]][] = [];
    const gate = held();
    const batcher = new KeyedBatcher<number, number>(async (key, items) => {
      batches.push([key, items]);
      if (items[0] === 1) await gate.job();
      return items.map((n) => n * 10);
    });
    const first = batcher.run('noise', 1);
    const later = [2, 3, 4].map((n) => batcher.run('noise', n));
    const otherKey = batcher.run('water', 9);
    await expect(otherKey).resolves.toBe(90);
    gate.finish();
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(later)).resolves.toEqual([20, 30, 40]);
    expect(batches).toEqual([
      ['noise', [1]],
      ['water', [9]],
      ['noise', [2, 3, 4]],
    ]);
  });

  it('tries the items of a failed batch alone, so only the bad one fails', async () => {
    const gate = held();
    const batcher = new KeyedBatcher<number, number>(async (_key, items) => {
      if (items[0] === 0) await gate.job();
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    });
    const first = batcher.run('odour', 0);
    const rest = [12, 13, 14].map((n) => batcher.run('odour', n).catch((e: unknown) => (e as Error).message));
    gate.finish();
    await first;
    await expect(Promise.all(rest)).resolves.toEqual([12, 'unlucky', 14]);
  });
});
