import { useEffect, useState } from 'react';

/** The time now, ticking every `ms`, so "剩余 2 天" moves on between refreshes. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Calls `load` now and every `ms` while the page is open (待办's live refresh; a change feed can
 * replace the polling later). A load still running is not started again.
 */
export function usePolling(load: (signal: AbortSignal) => Promise<void>, ms: number): void {
  useEffect(() => {
    const controller = new AbortController();
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      void load(controller.signal).finally(() => {
        running = false;
      });
    };
    run();
    // A hidden tab skips its turns; it catches up at the next one after it shows again.
    const timer = setInterval(() => {
      if (!document.hidden) run();
    }, ms);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [load, ms]);
}
