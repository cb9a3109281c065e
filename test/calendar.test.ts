import { describe, expect, it } from 'vitest';
import { calendarYear, calendarYears, officialYear, parseCalendarYear, provisionalYear } from '../lib/calendar-data';
import { addWorkingDays, addWorkingTime, isWorkingDay, workingDaysBetween, type CalendarYear } from '../workflows/calendar';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const years = calendarYears([2026, 2027]);

describe('the official 2026 calendar (State Council notice, bundled)', () => {
  it('has the Spring Festival break 15–23 February with make-up Saturdays 14 and 28 February', () => {
    const y2026 = officialYear(2026)!;
    expect(y2026.status).toBe('official');
    for (let day = 15; day <= 23; day++) expect(isWorkingDay(`2026-02-${day}`, years)).toBe(false);
    expect(isWorkingDay('2026-02-14', years)).toBe(true); // a Saturday
    expect(isWorkingDay('2026-02-28', years)).toBe(true); // a Saturday
    expect(isWorkingDay('2026-02-13', years)).toBe(true);
    expect(isWorkingDay('2026-02-24', years)).toBe(true);
  });

  it('has the National Day break 1–7 October with make-up days 20 September and 10 October', () => {
    for (let day = 1; day <= 7; day++) expect(isWorkingDay(`2026-10-0${day}`, years)).toBe(false);
    expect(isWorkingDay('2026-09-20', years)).toBe(true); // a Sunday
    expect(isWorkingDay('2026-10-10', years)).toBe(true); // a Saturday
    expect(isWorkingDay('2026-09-25', years)).toBe(false); // Mid-Autumn, a Friday
  });
});

describe('adding working days', () => {
  it('counts a make-up Saturday and skips the Spring Festival break', () => {
    // Registered Thu 12 Feb 10:00: Fri 13 (1), Sat 14 make-up (2), 15–23 off, Tue 24 (3).
    const letter = addWorkingDays(at('2026-02-12T10:00:00+08:00'), 3, years);
    expect(iso(letter.dueAt)).toBe('2026-02-24T16:00:00.000Z'); // 25 Feb 00:00 Shanghai
    expect(letter.provisional).toBe(false);
    const phone = addWorkingDays(at('2026-02-12T10:00:00+08:00'), 2, years);
    expect(iso(phone.dueAt)).toBe('2026-02-14T16:00:00.000Z'); // the end of the make-up Saturday
  });

  it('carries 15 working days across Mid-Autumn and National Day', () => {
    // From Mon 21 Sep 09:00: 22,23,24 (3); 25–27 off; 28,29,30 (6); 1–7 Oct off; 8,9 (8); Sat 10
    // make-up (9); 12–16 (14); 17,18 weekend; Mon 19 (15).
    const due = addWorkingDays(at('2026-09-21T09:00:00+08:00'), 15, years);
    expect(iso(due.dueAt)).toBe('2026-10-19T16:00:00.000Z');
  });

  it('places fractional working time: 50 % and 80 % of 15 days', () => {
    const start = at('2026-09-21T09:00:00+08:00');
    // 7.5 days: the 8th counted day is Fri 9 Oct; half of it is noon.
    expect(iso(addWorkingTime(start, 7.5, years).dueAt)).toBe('2026-10-09T04:00:00.000Z');
    // 12 days: the end of Wed 14 Oct.
    expect(iso(addWorkingTime(start, 12, years).dueAt)).toBe('2026-10-14T16:00:00.000Z');
  });

  it('starts counting on the next day unless the start is exactly midnight', () => {
    expect(iso(addWorkingDays(at('2026-11-23T10:00:00+08:00'), 1, years).dueAt)).toBe('2026-11-24T16:00:00.000Z');
    expect(iso(addWorkingDays(at('2026-11-23T00:00:00+08:00'), 1, years).dueAt)).toBe('2026-11-23T16:00:00.000Z');
  });

  it('marks a deadline reaching into the unpublished 2027 as provisional', () => {
    // From Fri 18 Dec: 21–25 (5), 28–31 (9), 1 Jan off (provisional New Year), 4–8 Jan (14), Mon 11 (15).
    const crossing = addWorkingDays(at('2026-12-18T10:00:00+08:00'), 15, years);
    expect(iso(crossing.dueAt)).toBe('2027-01-11T16:00:00.000Z');
    expect(crossing.provisional).toBe(true);
    expect(addWorkingDays(at('2026-11-23T10:00:00+08:00'), 15, years).provisional).toBe(false);
  });

  it('recomputes to a later, official deadline when the 2027 schedule is published', () => {
    const published: CalendarYear = {
      ...provisionalYear(2027),
      status: 'official',
      source: 'test fixture',
      holidays: [...provisionalYear(2027).holidays, '2027-01-04', '2027-01-05'].sort(),
    };
    const official = calendarYears([2026, 2027], [published]);
    expect(calendarYear(2027, [published]).status).toBe('official');
    // 31 Dec (9), 4–5 Jan now off, 6,7,8 (12), 11,12,13 (15).
    const due = addWorkingDays(at('2026-12-18T10:00:00+08:00'), 15, official);
    expect(iso(due.dueAt)).toBe('2027-01-13T16:00:00.000Z');
    expect(due.provisional).toBe(false);
  });

  it('counts whole working days between two instants the same way', () => {
    const from = at('2026-02-12T10:00:00+08:00');
    expect(workingDaysBetween(from, addWorkingDays(from, 3, years).dueAt, years)).toBe(3);
  });

  it('refuses to compute in a year it has no data for', () => {
    expect(() => addWorkingDays(at('2028-03-01T10:00:00+08:00'), 5, years)).toThrow(/no calendar data for 2028/);
  });
});

describe('the provisional calendar of a year not yet published', () => {
  it('has the 13 statutory days of 2027, lunar dates computed, and no make-up days', () => {
    const y = provisionalYear(2027);
    expect(y.status).toBe('provisional');
    expect(y.workdays).toEqual([]);
    expect(y.holidays).toEqual([
      '2027-01-01',
      '2027-02-05', // Spring Festival's Eve
      '2027-02-06', // lunar New Year
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // Qingming
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // Dragon Boat
      '2027-09-15', // Mid-Autumn
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  it('matches the statutory days of a published year where they fall on weekdays', () => {
    // 2026 as published includes every statutory day (and more, the bridge days).
    const statutory = provisionalYear(2026).holidays;
    const official = officialYear(2026)!.holidays;
    expect(statutory.filter((d) => !official.includes(d))).toEqual([]);
  });
});

describe('loading an official year from ops', () => {
  it('accepts a well-formed year, sorted and without repeats', () => {
    const year = parseCalendarYear({
      year: 2027,
      status: 'official',
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: ['2027-01-02', '2027-01-01', '2027-01-01'],
      workdays: ['2027-02-20'],
    });
    expect(year.holidays).toEqual(['2027-01-01', '2027-01-02']);
  });

  it('rejects bad input with every reason', () => {
    expect(() => parseCalendarYear({ year: 2027, status: 'final', source: '', holidays: ['2027-02-30', '2028-01-01'], workdays: ['2027-02-22'] })).toThrow(
      /status must be "official" or "provisional".*source must name.*"2027-02-30" is not a date.*2028-01-01 is not in 2027.*2027-02-22 is a weekday/,
    );
    expect(() => parseCalendarYear('2027')).toThrow(/year must be/);
  });
});
