import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { shanghaiYear, type CalendarYear } from '../../workflows/calendar';
import { get } from './api';

/** The time now, ticking every `ms`, so "剩余2个工作日" moves on between re-reads. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * The bureau's working-day calendar (GET /calendar/{year}), read once a year per page load and
 * shared by every countdown on screen. A year that failed to load is asked for again a minute later.
 */
const calendar = new Map<number, CalendarYear | { failedAt: number } | 'loading'>();
const calendarListeners = new Set<() => void>();
let calendarVersion = 0;
const retryFailedMs = 60_000;

function changed(): void {
  calendarVersion += 1;
  for (const listener of calendarListeners) listener();
}

function loadYear(year: number): void {
  const known = calendar.get(year);
  if (known === 'loading' || (known && !('failedAt' in known)) || (known && Date.now() - known.failedAt < retryFailedMs)) return;
  calendar.set(year, 'loading');
  get<CalendarYear>(`/calendar/${year}`).then(
    (loaded) => {
      calendar.set(year, loaded);
      changed();
    },
    () => {
      calendar.set(year, { failedAt: Date.now() });
      changed();
    },
  );
}

const subscribeCalendar = (listener: () => void) => {
  calendarListeners.add(listener);
  return () => calendarListeners.delete(listener);
};

/** No countdown of this service spans more years; a longer one is told in calendar time. */
const maxYears = 4;

/**
 * The calendar years from one instant to the other, once all of them are loaded; undefined until
 * then (or if one cannot be), and the caller shows calendar time meanwhile.
 */
export function useWorkingCalendar(a: number, b: number): readonly CalendarYear[] | undefined {
  const version = useSyncExternalStore(subscribeCalendar, () => calendarVersion);
  const first = shanghaiYear(Math.min(a, b));
  const last = shanghaiYear(Math.max(a, b));
  const span = last - first + 1;
  useEffect(() => {
    if (span > maxYears) return;
    for (let year = first; year <= last; year++) loadYear(year);
  }, [first, last, span, version]);
  return useMemo(() => {
    if (span > maxYears) return undefined;
    const years: CalendarYear[] = [];
    for (let year = first; year <= last; year++) {
      const known = calendar.get(year);
      if (!known || known === 'loading' || 'failedAt' in known) return undefined;
      years.push(known);
    }
    return years;
    // `version` is the dependency that says the map changed.
  }, [first, last, span, version]);
}
