import { addWorkingTime, type CalendarYear } from './calendar';
import type { CaseState, Deadline, DeadlineName } from './model';

/**
 * Every timer of a case is a named deadline in its state, computed from a basis (a start and a
 * count of working days, or of wall-clock minutes). Keeping the basis lets an extension or a newly
 * published official calendar recompute a pending deadline without guessing how it was made.
 */

export function workingDeadline(calendar: readonly CalendarYear[], from: string, workingDays: number): Deadline {
  const { dueAt, provisional } = addWorkingTime(Date.parse(from), workingDays, calendar);
  return { dueAt: new Date(dueAt).toISOString(), provisional, basis: { from, workingDays } };
}

/** Rapid response runs 7×24 on the wall clock, not on working days. */
export function wallClockDeadline(from: string, minutes: number): Deadline {
  return { dueAt: new Date(Date.parse(from) + minutes * 60_000).toISOString(), provisional: false, basis: { from, minutes } };
}

/** Calendar months in UTC: a leader review falls on the same date a quarter later. */
export function monthsLater(from: string, months: number): Deadline {
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + months);
  return { dueAt: date.toISOString(), provisional: false, basis: { from, minutes: (date.getTime() - Date.parse(from)) / 60_000 } };
}

export function recompute(deadline: Deadline, calendar: readonly CalendarYear[]): Deadline {
  return 'workingDays' in deadline.basis ? workingDeadline(calendar, deadline.basis.from, deadline.basis.workingDays) : deadline;
}

export function firedKey(state: CaseState, name: DeadlineName, deadline: Deadline): string {
  return `${name}#${state.window}@${deadline.dueAt}`;
}

/** The deadlines of the case's clock: stopped while it waits for missing information (中止). */
export const clockDeadlines: readonly DeadlineName[] = ['dispatch', 'handling', 'warning1', 'warning2', 'escalation'];

/** Whether the clock is stopped now: the last pause has not resumed. */
export function clockStopped(state: Pick<CaseState, 'pauses'>): boolean {
  const last = state.pauses.at(-1);
  return last !== undefined && last.resumedAt === undefined;
}

export function pendingDeadlines(state: CaseState): [DeadlineName, Deadline][] {
  const stopped = clockStopped(state);
  return (Object.entries(state.deadlines) as [DeadlineName, Deadline][]).filter(
    ([name, deadline]) => !state.fired.includes(firedKey(state, name, deadline)) && !(stopped && clockDeadlines.includes(name)),
  );
}

/** The earliest instant at which some pending deadline falls due, if any. */
export function nextDueAt(state: CaseState): number | undefined {
  const times = pendingDeadlines(state).map(([, d]) => Date.parse(d.dueAt));
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Pending deadlines due by `now`, earliest first, so warnings precede the overdue notice. */
export function dueDeadlines(state: CaseState, now: number): [DeadlineName, Deadline][] {
  return pendingDeadlines(state)
    .filter(([, d]) => Date.parse(d.dueAt) <= now)
    .sort(([, a], [, b]) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/** True while any pending deadline rests on a provisional calendar year. */
export function hasProvisionalDeadline(state: CaseState): boolean {
  return pendingDeadlines(state).some(([, d]) => d.provisional);
}
