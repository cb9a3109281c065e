import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';
import data from 'chinese-days/dist/chinese-days.json';
import type { CalendarYear } from '../workflows/calendar';

/**
 * Where the working-day calendar comes from, outside the workflow sandbox: the official schedules
 * bundled in `chinese-days` (State Council notices, through the last published year), official
 * years loaded later by ops, and for years not yet published a provisional calendar computed from
 * the statutory holidays.
 */

const PACKAGE_SOURCE = 'chinese-days@1.5.7 (State Council holiday notices)';
const days = data as { holidays: Record<string, string>; workdays: Record<string, string> };

function datesOf(map: Record<string, string>, year: number): string[] {
  return Object.keys(map)
    .filter((d) => d.startsWith(`${year}-`))
    .sort();
}

export function officialYear(year: number): CalendarYear | undefined {
  const holidays = datesOf(days.holidays, year);
  if (holidays.length === 0) return undefined;
  return { year, status: 'official', source: PACKAGE_SOURCE, holidays, workdays: datesOf(days.workdays, year) };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function lunarToSolar(year: number, month: number, day: number): string {
  const lunar = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return getSolarDateFromLunar(lunar).date;
}

/**
 * The 13 statutory days off in force since 2025 (全国年节及纪念日放假办法): New Year's Day;
 * Spring Festival's Eve and the first three days of the lunar year; Qingming; 1–2 May; the Dragon
 * Boat Festival (lunar 5/5); Mid-Autumn (lunar 8/15); 1–3 October. The make-up working days are
 * only known once the schedule is published, so a provisional year has none.
 */
export function provisionalYear(year: number): CalendarYear {
  const newYear = lunarToSolar(year, 1, 1);
  const holidays = [
    `${year}-01-01`,
    addDays(newYear, -1),
    newYear,
    addDays(newYear, 1),
    addDays(newYear, 2),
    getSolarTermDate(year, 4, 'pure_brightness'),
    `${year}-05-01`,
    `${year}-05-02`,
    lunarToSolar(year, 5, 5),
    lunarToSolar(year, 8, 15),
    `${year}-10-01`,
    `${year}-10-02`,
    `${year}-10-03`,
  ];
  return {
    year,
    status: 'provisional',
    source: 'provisional: statutory holidays only, pending the State Council notice',
    holidays: [...new Set(holidays)].sort(),
    workdays: [],
  };
}

export function calendarYear(year: number, overrides: readonly CalendarYear[] = []): CalendarYear {
  return overrides.find((y) => y.year === year) ?? officialYear(year) ?? provisionalYear(year);
}

export function calendarYears(years: number[], overrides: readonly CalendarYear[] = []): CalendarYear[] {
  return [...new Set(years)].sort((a, b) => a - b).map((y) => calendarYear(y, overrides));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates an official year supplied by ops (the JSON of `npm run calendar:publish`). */
export function parseCalendarYear(json: unknown): CalendarYear {
  const problems: string[] = [];
  const input = (typeof json === 'object' && json !== null ? json : {}) as Partial<Record<keyof CalendarYear, unknown>>;
  const year = input.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) {
    problems.push('year must be a whole number between 2000 and 2100');
  }
  if (input.status !== 'official' && input.status !== 'provisional') problems.push('status must be "official" or "provisional"');
  if (typeof input.source !== 'string' || input.source.trim() === '') problems.push('source must name where the data comes from');
  const dates = (field: 'holidays' | 'workdays'): string[] => {
    const value = input[field];
    if (!Array.isArray(value)) {
      problems.push(`${field} must be an array of YYYY-MM-DD dates`);
      return [];
    }
    const valid: string[] = [];
    for (const d of value) {
      if (typeof d !== 'string' || !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || addDays(d, 0) !== d) {
        problems.push(`${field}: ${JSON.stringify(d)} is not a date`);
      } else if (typeof year === 'number' && !d.startsWith(`${year}-`)) {
        problems.push(`${field}: ${d} is not in ${year}`);
      } else {
        valid.push(d);
      }
    }
    return [...new Set(valid)].sort();
  };
  const holidays = dates('holidays');
  const workdays = dates('workdays');
  for (const d of workdays) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) problems.push(`workdays: ${d} is a weekday; make-up days fall on weekends`);
    if (holidays.includes(d)) problems.push(`${d} is both a holiday and a make-up working day`);
  }
  if (problems.length > 0) throw new Error(`invalid calendar year: ${problems.join('; ')}`);
  return { year: year as number, status: input.status as CalendarYear['status'], source: (input.source as string).trim(), holidays, workdays };
}
