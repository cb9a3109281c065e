import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';

interface Window {
  count: number;
  startedAt: number;
}

/**
 * The rate limiter's counts, with refunds: @fastify/rate-limit counts a call when it arrives (so a
 * burst cannot slip past the limit), and `refund` takes the call back once its answer shows it did
 * no work for the caller — a 5xx (our outage, not their excess) or a 429 (refused anyway). Without
 * this, a client retrying 503s during an outage used up its minute and got 429s after recovery.
 *
 * Fixed windows per key, as the plugin's own LocalStore counts them. A refund applies only to the
 * window the call was counted in, so it never gives credit in a later minute.
 */
export class RefundableCounts {
  private readonly windows = new Map<string, Window>();
  /** The key and window each counted request was counted in, until its response. */
  private readonly counted = new WeakMap<FastifyRequest, { key: string; startedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  incr(key: string, timeWindow: number): { current: number; ttl: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) {
      if (this.windows.size >= 10_000) this.prune(now, timeWindow);
      window = { count: 0, startedAt: now };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { current: window.count, ttl: window.startedAt + timeWindow - now };
  }

  /** Called by the plugin's onExceeding/onExceeded, right after it counted the request. */
  markCounted(request: FastifyRequest, key: string): void {
    const window = this.windows.get(key);
    if (window) this.counted.set(request, { key, startedAt: window.startedAt });
  }

  /** Takes back the request's count, if it was counted and its window is still the current one. */
  refund(request: FastifyRequest): void {
    const counted = this.counted.get(request);
    if (!counted) return;
    this.counted.delete(request);
    const window = this.windows.get(counted.key);
    if (window && window.startedAt === counted.startedAt && window.count > 0) window.count -= 1;
  }

  /** Keys are API key ids (public routes are not limited), so this only bounds memory against surprises. */
  private prune(now: number, timeWindow: number): void {
    for (const [key, window] of this.windows) {
      if (window.startedAt + timeWindow <= now) this.windows.delete(key);
    }
  }

  /** A store class for the plugin's `store` option, counting in these windows (one for all routes). */
  storeClass(): new () => FastifyRateLimitStore {
    const incr = (key: string, timeWindow: number) => this.incr(key, timeWindow);
    return class implements FastifyRateLimitStore {
      incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
        callback(null, incr(key, timeWindow));
      }
      child(): FastifyRateLimitStore {
        return this;
      }
    };
  }
}

/** Answers whose calls do not count against the caller's limit. */
export const refundedStatus = (status: number): boolean => status >= 500 || status === 429;
