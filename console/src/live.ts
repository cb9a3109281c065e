/**
 * Live refresh: one EventSource on `GET /events` for the whole console, shared by every page that
 * shows cases. The server sends `case` (a case the person may see moved: id, status, version);
 * a page re-reads what it shows when a change concerns it, a short burst of changes as one
 * re-read. While the stream is down the pages poll every 15 s instead, and when it comes back they
 * re-read once, since changes made meanwhile were not sent. Reconnecting is silent.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { CaseMoved } from './types';

/** A case moved, or `resync`: the stream was down, anything may have changed. */
export type LiveChange = CaseMoved | 'resync';

type Status = 'up' | 'down';

const pollMs = 15_000;
/** A burst (an action's several projections, a busy queue) settles for this long before a re-read… */
const quietMs = 400;
/** …but a steady stream of changes still re-reads this often. */
const maxWaitMs = 3_000;
/** The stream is kept this long after the last page leaves, so moving between pages does not reconnect. */
const lingerMs = 5_000;
const retryMs = [5_000, 15_000, 30_000, 60_000];

class LiveFeed {
  private source: EventSource | undefined;
  private status: Status = 'down';
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changeListeners = new Set<(change: LiveChange) => void>();
  private readonly statusListeners = new Set<() => void>();

  readonly getStatus = (): Status => this.status;

  readonly subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.changeListeners.add(listener);
    clearTimeout(this.lingerTimer);
    if (!this.source && this.retryTimer === undefined) this.connect();
    return () => {
      this.changeListeners.delete(listener);
      if (this.changeListeners.size === 0) this.lingerTimer = setTimeout(() => this.stop(), lingerMs);
    };
  }

  private connect(): void {
    this.retryTimer = undefined;
    const source = new EventSource('/events');
    this.source = source;
    source.addEventListener('open', () => {
      this.attempts = 0;
      this.setStatus('up');
      // What moved before the stream opened was not sent: after a break, and also between a page's
      // first read and this first opening (a case projected in that moment would never show).
      this.emit('resync');
    });
    source.addEventListener('case', (event) => {
      try {
        this.emit(JSON.parse((event as MessageEvent<string>).data) as CaseMoved);
      } catch {
        // Not a change this console understands: nothing to re-read.
      }
    });
    // The server stops the stream (its change feed, a restart): the browser reconnects by itself.
    for (const name of ['closing', 'unavailable']) source.addEventListener(name, () => this.setStatus('down'));
    // Signed out, idle, disabled: no reconnecting. The pages' next read answers 401 and sign-in follows.
    source.addEventListener('session-ended', () => {
      this.stop();
      this.emit('resync');
    });
    source.addEventListener('error', () => {
      this.setStatus('down');
      // CONNECTING: the browser retries by itself. CLOSED: refused (401, 429, 503): retry later, more slowly each time.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.source = undefined;
        const delay = retryMs[Math.min(this.attempts, retryMs.length - 1)];
        this.attempts += 1;
        this.retryTimer = setTimeout(() => this.connect(), delay);
      }
    });
  }

  private stop(): void {
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.setStatus('down');
  }

  private setStatus(status: Status): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }

  private emit(change: LiveChange): void {
    for (const listener of this.changeListeners) listener(change);
  }
}

const feed = new LiveFeed();

/** Whether the live stream is up now. */
export function useLiveStatus(): boolean {
  return useSyncExternalStore(feed.subscribeStatus, feed.getStatus) === 'up';
}

/**
 * Calls `reload` after each change `concerns` accepts (a burst coalesced into one call), every 15 s
 * while the stream is down, and once when it comes back. Answers whether the stream is up.
 */
export function useLiveTrigger(reload: () => void, concerns: (change: CaseMoved) => boolean = () => true): boolean {
  const live = useLiveStatus();
  // The latest of each, read when a change arrives: the subscription itself lives as long as the page.
  const latest = useRef({ reload, concerns });
  useEffect(() => {
    latest.current = { reload, concerns };
  });

  useEffect(() => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    // A hidden tab re-reads once it is shown again, not at every change meanwhile.
    let missed = false;
    const fire = () => {
      clearTimeout(quiet);
      clearTimeout(deadline);
      quiet = deadline = undefined;
      if (document.hidden) missed = true;
      else latest.current.reload();
    };
    const shown = () => {
      if (document.hidden || !missed) return;
      missed = false;
      latest.current.reload();
    };
    document.addEventListener('visibilitychange', shown);
    const unsubscribe = feed.subscribe((change) => {
      if (change !== 'resync' && !latest.current.concerns(change)) return;
      clearTimeout(quiet);
      quiet = setTimeout(fire, quietMs);
      deadline ??= setTimeout(fire, maxWaitMs);
    });
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', shown);
      clearTimeout(quiet);
      clearTimeout(deadline);
    };
  }, []);

  // Polling only while the stream is down; a hidden tab skips its turns.
  useEffect(() => {
    if (live) return;
    const timer = setInterval(() => {
      if (!document.hidden) latest.current.reload();
    }, pollMs);
    return () => clearInterval(timer);
  }, [live]);

  return live;
}

/**
 * A list kept fresh: `load` now (unless the page `started` with its data) and whenever
 * useLiveTrigger says. A load still running is not started again; one asked for meanwhile follows
 * it. Answers whether the stream is up.
 */
export function useLiveRefresh(load: (signal: AbortSignal) => Promise<void>, concerns?: (change: CaseMoved) => boolean, started = false): boolean {
  const reload = useRef<() => void>(() => undefined);
  // The stream's opening re-reads anyway (resync): what moved since the first read is not missed.
  const skipFirst = useRef(started);
  useEffect(() => {
    const controller = new AbortController();
    let running = false;
    let again = false;
    const run = () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      void load(controller.signal).finally(() => {
        running = false;
        if (again && !controller.signal.aborted) {
          again = false;
          run();
        }
      });
    };
    reload.current = run;
    if (skipFirst.current) skipFirst.current = false;
    else run();
    return () => {
      controller.abort();
      reload.current = () => undefined;
    };
  }, [load]);
  return useLiveTrigger(() => reload.current(), concerns);
}
