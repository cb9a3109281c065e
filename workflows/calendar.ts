/**
 * Chinese working days in Asia/Shanghai time. Pure and deterministic (workflow code imports it):
 * instants are epoch milliseconds, dates are `YYYY-MM-DD` strings, and only UTC arithmetic with
 * the fixed +08:00 offset is used (China has kept no daylight saving time since 1991).
 */

export type CalendarStatus = 'official' | 'provisional';

export interface CalendarYear {
  year: number;
  status: CalendarStatus;
  /** Where the data comes from, e.g. the package and the State Council notice. */
  source: string;
  /** Days off that would otherwise be working days, or fall inside a break. Sorted. */
  holidays: string[];
  /** Make-up working days (调休) that fall on a weekend. Sorted. */
  workdays: string[];
}

/** Where counting working time from an instant ends (a case's Deadline is built from it). */
export interface CountedEnd {
  /** Exclusive end: 00:00 Shanghai of the day after the last counted working day. */
  dueAt: number;
  /** Some day examined while counting lies in a year without official data. */
  provisional: boolean;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** No deadline of this service spans ten years; a longer walk means bad input. */
const MAX_DAYS_WALKED = 3_660;

export function shanghaiDate(instant: number): string {
  return new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The wall-clock time in Asia/Shanghai, `2026-11-24 09:30:00`, for people to read. */
export function shanghaiDateTime(instant: number): string {
  return new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function shanghaiYear(instant: number): number {
  return Number(shanghaiDate(instant).slice(0, 4));
}

/** The instant a Shanghai date begins. */
export function startOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS;
}

function yearOf(years: readonly CalendarYear[], date: string): CalendarYear {
  const year = Number(date.slice(0, 4));
  const found = years.find((y) => y.year === year);
  if (!found) throw new Error(`no calendar data for ${year}: load that year before computing deadlines in it`);
  return found;
}

export function isWorkingDay(date: string, years: readonly CalendarYear[]): boolean {
  const year = yearOf(years, date);
  if (year.workdays.includes(date)) return true;
  if (year.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Adds working time to an instant. Working time accrues only during whole working days
 * (00:00–24:00 Shanghai) that begin at or after `start`: a case registered on Monday at 10:00
 * starts counting on Tuesday, one registered at exactly 00:00 on a working day counts that day.
 * `workingDays` may be fractional: 7.5 ends at noon of the 8th counted working day.
 */
export function addWorkingTime(start: number, workingDays: number, years: readonly CalendarYear[]): CountedEnd {
  if (!Number.isFinite(start)) throw new Error('start must be an instant');
  if (!Number.isFinite(workingDays) || workingDays < 0) throw new Error('workingDays must be a number ≥ 0');
  let day = startOfDay(shanghaiDate(start));
  if (day < start) day += DAY_MS;
  let remaining = workingDays;
  let provisional = false;
  if (remaining === 0) return { dueAt: start, provisional };
  for (let walked = 0; walked < MAX_DAYS_WALKED; walked++, day += DAY_MS) {
    const date = shanghaiDate(day);
    if (yearOf(years, date).status === 'provisional') provisional = true;
    if (!isWorkingDay(date, years)) continue;
    if (remaining <= 1) return { dueAt: day + Math.round(remaining * DAY_MS), provisional };
    remaining -= 1;
  }
  throw new Error(`${workingDays} working days reach beyond ${MAX_DAYS_WALKED} calendar days`);
}

/** The end (24:00 Shanghai) of the nth counted working day after `start`. */
export function addWorkingDays(start: number, n: number, years: readonly CalendarYear[]): CountedEnd {
  if (!Number.isInteger(n) || n < 1) throw new Error('n must be a whole number of working days, at least 1');
  return addWorkingTime(start, n, years);
}

/**
 * Working days that began at or after `from` and before `to`: the days a clock stopped between
 * the two would have counted, wholly or in part (a stop within one day that began before it: 0).
 */
export function workingDaysBegun(from: number, to: number, years: readonly CalendarYear[]): number {
  let day = startOfDay(shanghaiDate(from));
  if (day < from) day += DAY_MS;
  let count = 0;
  for (; day < to; day += DAY_MS) if (isWorkingDay(shanghaiDate(day), years)) count += 1;
  return count;
}

/** Whole working days, counted as `addWorkingTime` counts them, that have ended by `to`. */
export function workingDaysBetween(from: number, to: number, years: readonly CalendarYear[]): number {
  let day = startOfDay(shanghaiDate(from));
  if (day < from) day += DAY_MS;
  let count = 0;
  for (; day + DAY_MS <= to; day += DAY_MS) if (isWorkingDay(shanghaiDate(day), years)) count += 1;
  return count;
}
