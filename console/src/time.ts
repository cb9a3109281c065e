/**
 * Times as the bureau reads them: Asia/Shanghai whatever the browser's zone, and how long is left
 * before a deadline.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { isWorkingDay, shanghaiDate, shanghaiDateTime, startOfDay, type CalendarYear } from '../../workflows/calendar';

// For the date pickers, which work in dayjs. The times shown in lists are formatted by the
// calendar's own arithmetic below: Shanghai is UTC+8 all year, and dayjs's zone conversion, which
// asks Intl for every value, took a tenth of the queue's first render (bench:console).
dayjs.extend(utc);
dayjs.extend(timezone);

export const zone = 'Asia/Shanghai';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** `2026-11-24 09:30`. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? shanghaiDateTime(Date.parse(iso)).slice(0, 16) : '—';
}

/**
 * A deadline. Working-day deadlines end at 00:00 Shanghai after the last day counted: that reads
 * as the last day's 24:00, as the service's notices write it, not as a day later.
 */
export function formatDue(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  const shown = shanghaiDateTime(at).slice(0, 16);
  return shown.endsWith(' 00:00') ? `${shanghaiDate(at - day)} 24:00` : shown;
}

function span(ms: number): string {
  if (ms >= day) return `${Math.floor(ms / day)} 天`;
  if (ms >= hour) return `${Math.floor(ms / hour)} 小时`;
  return `${Math.max(1, Math.floor(ms / minute))} 分钟`;
}

/** "剩余 2 天" / "已超期 3 小时": calendar time to or past a wall-clock deadline (rapid response, leader review). */
export function timeLeft(iso: string, now: number = Date.now()): { text: string; overdue: boolean } {
  const ms = Date.parse(iso) - now;
  return ms >= 0 ? { text: `剩余 ${span(ms)}`, overdue: false } : { text: `已超期 ${span(-ms)}`, overdue: true };
}

/**
 * The working time in [from, to): the parts of working days (00:00–24:00 Shanghai, by the bureau's
 * calendar: weekends, holidays and make-up working days) that lie inside. The calendar's own
 * `isWorkingDay`, the one the workflow counts deadlines with (workflows/calendar.ts).
 */
export function workingTimeBetween(from: number, to: number, years: readonly CalendarYear[]): number {
  let total = 0;
  for (let dayStart = startOfDay(shanghaiDate(from)); dayStart < to; dayStart += day) {
    if (isWorkingDay(shanghaiDate(dayStart), years)) total += Math.min(to, dayStart + day) - Math.max(from, dayStart);
  }
  return total;
}

/**
 * "剩余3个工作日" / "已超期2个工作日": the working time to or past a working-day deadline, in whole
 * working days, rounded down (a countdown never promises more time than is left); under one
 * working day, in hours, then minutes. `years` must cover both instants (useWorkingCalendar).
 */
export function workingCountdown(iso: string, now: number, years: readonly CalendarYear[]): { text: string; overdue: boolean } {
  const due = Date.parse(iso);
  const overdue = due < now;
  const ms = overdue ? workingTimeBetween(due, now, years) : workingTimeBetween(now, due, years);
  const prefix = overdue ? '已超期' : '剩余';
  let text: string;
  if (ms >= day) text = `${prefix}${Math.floor(ms / day)}个工作日`;
  else if (ms >= hour) text = `${prefix}${Math.floor(ms / hour)}小时`;
  else if (ms >= minute) text = `${prefix}${Math.floor(ms / minute)}分钟`;
  // Past due over a weekend or holiday only: no working time has been lost yet.
  else text = overdue ? '已超期' : '即将到期';
  return { text, overdue };
}

/** A time of day to the second (when a list was last refreshed). */
export function formatClock(ms: number): string {
  return shanghaiDateTime(ms).slice(11);
}
