import type { Deadlines } from './deadline';
import { defaultRetryAfterSeconds, Problem } from './problem';

export interface AdmissionOptions {
  /** Runs at once. */
  concurrency: number;
  /** The longest a caller waits for its turn before it is turned away. */
  maxWaitMs: number;
}

/** Beyond this many waiting per place, a caller is turned away at once: they would not be served in time. */
const QUEUE_PER_PLACE = 10;
/** The most a refusal asks a caller to wait; beyond it the estimate means little. */
const MAX_RETRY_AFTER_SECONDS = 30;
/** How many recent completions measure the pace. */
const PACE_WINDOW = 50;

/**
 * Lets a bounded number of jobs run, queues more for a bounded time and turns the rest away
 * before they do anything: a 503 `overloaded` whose Retry-After is the queue's length at the pace
 * of the last completions. Without it a burst of intakes took every pool connection, each waited
 * out the pool's connection timeout, and most answered 503 after part of their work was done
 * (issue 12). A refused caller did nothing, so a retry with the same key is safe.
 */
export class Admission {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** When the last jobs finished (ms, ascending), for the pace. */
  private readonly finished: number[] = [];

  constructor(private readonly options: AdmissionOptions) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) await this.turn();
    this.running += 1;
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.finished.push(performance.now());
      if (this.finished.length > PACE_WINDOW) this.finished.shift();
      this.queue.shift()?.();
    }
  }

  /** Waits for a place; refused at once when the queue is too long, or when the wait runs out. */
  private turn(): Promise<void> {
    if (this.queue.length >= this.options.concurrency * QUEUE_PER_PLACE) return Promise.reject(this.refusal());
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(start), 1);
        reject(this.refusal());
      }, this.options.maxWaitMs);
      this.queue.push(start);
    });
  }

  /** Retry after the queue ahead has cleared at the recent pace (5 s while there is no pace yet). */
  private refusal(): Problem {
    const [first, last] = [this.finished[0], this.finished.at(-1)];
    const perSecond = first !== undefined && last !== undefined && last > first ? ((this.finished.length - 1) * 1000) / (last - first) : 0;
    const seconds = perSecond > 0 ? Math.ceil(this.queue.length / perSecond) : defaultRetryAfterSeconds;
    const problem = new Problem('overloaded', `too many intakes at once; retry in ${seconds} s with the same Idempotency-Key`);
    problem.retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
    return problem;
  }
}

/** The most items one batch takes, so one transaction stays short. */
const MAX_BATCH = 50;

/**
 * Runs the items of one key in batches, one batch at a time, in arrival order, in this process:
 * whatever arrived while a batch ran is the next batch. Intakes of one category must be handled
 * one after another (repeat detection under a Postgres advisory lock); one by one, each held a
 * pool connection to wait for the lock and paid for its own transaction, and the category managed
 * about 50 a second. A batch is one transaction with one lock, and the waiting is done here,
 * holding nothing. When a batch fails, its items are tried alone, so one bad item fails alone.
 */
export class KeyedBatcher<I, O> {
  private readonly pending = new Map<string, { item: I; resolve(o: O): void; reject(e: unknown): void }[]>();

  constructor(private readonly processBatch: (key: string, items: I[]) => Promise<O[]>) {}

  run(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.pending.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.pending.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.pending.get(key) ?? [];
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const results = await this.processBatch(
          key,
          batch.map((b) => b.item),
        );
        batch.forEach((b, i) => b.resolve(results[i] as O));
      } catch (err) {
        if (batch.length === 1) batch[0]?.reject(err);
        else {
          for (const b of batch) {
            await this.processBatch(key, [b.item]).then(
              ([result]) => b.resolve(result as O),
              (err: unknown) => b.reject(err),
            );
          }
        }
      }
    }
    this.pending.delete(key);
  }
}

/**
 * An intake queues for at most its deadline less one Temporal call: once it has its turn, its
 * workflow start still has the whole of a call's deadline (the rest of its work takes
 * milliseconds), so it is never cut short by the deadline after its work began.
 */
export function intakeLimits(concurrency: number, deadlines: Deadlines): AdmissionOptions {
  return { concurrency, maxWaitMs: Math.max(0, deadlines.intakeMs - deadlines.temporalCallMs) };
}
