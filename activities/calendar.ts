import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calendarYears as calendarYearsTable } from '../db/schema';
import { calendarYears } from '../lib/calendar-data';
import type { CalendarYear } from '../workflows/calendar';

/** Calendar years as the bureau knows them now: ops-loaded official data first, then bundled. */
export async function loadCalendarYears(db: Db, years: number[]): Promise<CalendarYear[]> {
  const overrides = await db.select().from(calendarYearsTable).where(inArray(calendarYearsTable.year, years));
  return calendarYears(
    years,
    overrides.map(({ year, status, source, holidays, workdays }) => ({ year, status, source, holidays, workdays })),
  );
}
