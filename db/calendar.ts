import { inArray } from 'drizzle-orm';
import { calendarYears } from '../lib/calendar-data';
import type { CalendarYear } from '../workflows/calendar';
import type { Db } from './client';
import { calendarYears as calendarYearsTable } from './schema';

/** Calendar years as the bureau knows them now: ops-loaded official data first, then bundled. */
export async function loadCalendarYears(db: Db, years: number[]): Promise<CalendarYear[]> {
  const overrides = await db.select().from(calendarYearsTable).where(inArray(calendarYearsTable.year, years));
  return calendarYears(
    years,
    overrides.map(({ year, status, source, holidays, workdays }) => ({ year, status, source, holidays, workdays })),
  );
}

/** Stores an official year, replacing what was stored for it. */
export async function storeCalendarYear(db: Db, year: CalendarYear): Promise<void> {
  await db
    .insert(calendarYearsTable)
    .values({ ...year, loadedAt: new Date() })
    .onConflictDoUpdate({
      target: calendarYearsTable.year,
      set: { status: year.status, source: year.source, holidays: year.holidays, workdays: year.workdays, loadedAt: new Date() },
    });
}
