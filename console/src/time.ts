/**
 * Times as the bureau reads them: Asia/Shanghai whatever the browser's zone, and how long is left
 * before a deadline.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const zone = 'Asia/Shanghai';

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(zone).format('YYYY-MM-DD HH:mm') : '—';
}

/**
 * A deadline. Working-day deadlines end at 00:00 Shanghai after the last day counted: that reads
 * as the last day's 24:00, as the service's notices write it, not as a day later.
 */
export function formatDue(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = dayjs(iso).tz(zone);
  if (at.hour() === 0 && at.minute() === 0) return `${at.subtract(1, 'day').format('YYYY-MM-DD')} 24:00`;
  return at.format('YYYY-MM-DD HH:mm');
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

function span(ms: number): string {
  if (ms >= day) return `${Math.floor(ms / day)} 天`;
  if (ms >= hour) return `${Math.floor(ms / hour)} 小时`;
  return `${Math.max(1, Math.floor(ms / minute))} 分钟`;
}

/** "剩余 2 天" / "已超期 3 小时": calendar time to or past the deadline. */
export function timeLeft(iso: string, now: number = Date.now()): { text: string; overdue: boolean } {
  const ms = Date.parse(iso) - now;
  return ms >= 0 ? { text: `剩余 ${span(ms)}`, overdue: false } : { text: `已超期 ${span(-ms)}`, overdue: true };
}

/** A time of day to the second (when a list was last refreshed). */
export function formatClock(ms: number): string {
  return dayjs(ms).tz(zone).format('HH:mm:ss');
}
