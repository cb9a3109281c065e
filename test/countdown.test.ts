import { describe, expect, it } from 'vitest';
import { formatClock, formatDue, formatTime, workingCountdown, workingTimeBetween } from '../console/src/time';
import { officialYear } from '../lib/calendar-data';
import { addWorkingDays, type CalendarYear } from '../workflows/calendar';

/**
 * The console's countdowns (剩余N个工作日) count with the workflow's calendar function and the
 * bureau's data: across 国庆 2025 (1–8 October off, Sunday 28 September and Saturday 11 October
 * make-up working days), where calendar days and working days part ways.
 */
const years: CalendarYear[] = [officialYear(2025)!];
const shanghai = (wallClock: string) => Date.parse(`${wallClock}+08:00`);
const day = 86_400_000;
const text = (dueAt: number, now: string) => workingCountdown(new Date(dueAt).toISOString(), shanghai(now), years).text;

describe('working-day countdowns across 国庆', () => {
  it('agrees with the deadlines the workflow counts: n working days from a day’s start leave n', () => {
    const start = shanghai('2025-09-26T00:00:00');
    for (let n = 1; n <= 8; n++) {
      const { dueAt } = addWorkingDays(start, n, years);
      expect(workingTimeBetween(start, dueAt, years)).toBe(n * day);
      expect(text(dueAt, '2025-09-26T00:00:00')).toBe(`剩余${n}个工作日`);
    }
  });

  it('counts the working days left, not the calendar days', () => {
    // Registered on the last working day before the holiday: three working days end with the make-up Saturday.
    const { dueAt } = addWorkingDays(shanghai('2025-09-30T10:00:00'), 3, years);
    expect(new Date(dueAt).toISOString()).toBe('2025-10-11T16:00:00.000Z');
    expect(text(dueAt, '2025-09-30T10:00:00')).toBe('剩余3个工作日');
    // Twelve calendar days away, and the holiday spends none of the time.
    expect(text(dueAt, '2025-10-05T12:00:00')).toBe('剩余3个工作日');
    expect(text(dueAt, '2025-10-10T09:00:00')).toBe('剩余1个工作日');
    // Under a working day: hours, on the make-up Saturday.
    expect(text(dueAt, '2025-10-11T20:00:00')).toBe('剩余4小时');
    expect(text(dueAt, '2025-10-11T23:30:00')).toBe('剩余30分钟');
  });

  it('counts the working days past a deadline, and none lost during the holiday', () => {
    const dueAt = shanghai('2025-10-01T00:00:00');
    expect(text(dueAt, '2025-10-05T12:00:00')).toBe('已超期');
    expect(text(dueAt, '2025-10-09T09:00:00')).toBe('已超期9小时');
    // 9, 10, 11 October (the make-up Saturday) and half of Monday the 13th; Sunday the 12th is off.
    expect(text(dueAt, '2025-10-13T12:00:00')).toBe('已超期3个工作日');
    expect(workingCountdown(new Date(dueAt).toISOString(), shanghai('2025-10-13T12:00:00'), years).overdue).toBe(true);
  });
});

describe('times as the bureau reads them', () => {
  it('are Shanghai wall-clock times, whatever the instant’s own offset', () => {
    expect(formatTime('2026-11-30T17:05:00Z')).toBe('2026-12-01 01:05');
    expect(formatTime('2026-12-01T01:05:00+08:00')).toBe('2026-12-01 01:05');
    expect(formatTime(null)).toBe('—');
    expect(formatClock(Date.parse('2026-12-01T23:59:58+08:00'))).toBe('23:59:58');
  });

  it('write a deadline at a day’s end as that day’s 24:00, as the notices do', () => {
    expect(formatDue('2026-12-01T16:00:00Z')).toBe('2026-12-01 24:00');
    expect(formatDue('2026-12-31T16:00:00Z')).toBe('2026-12-31 24:00');
    expect(formatDue('2026-12-01T09:30:00+08:00')).toBe('2026-12-01 09:30');
    expect(formatDue(undefined)).toBe('—');
  });
});
