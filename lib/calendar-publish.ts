import type { Client } from '@temporalio/client';
import { storeCalendarYear } from '../db/calendar';
import type { Db } from '../db/client';
import type { CalendarYear } from '../workflows/calendar';
import { calendarPublished } from '../workflows/definitions';

/**
 * Loads an official year (published by the State Council after the package's data was cut) and
 * hands it to every running case: those with deadlines on the provisional year recompute them,
 * and all of them use it for deadlines still to come (a rework next month, say).
 * Re-running it is harmless: the row is replaced and a case that already has the year recomputes
 * to the same instants.
 */
export async function publishCalendarYear(
  db: Db,
  client: Client,
  year: CalendarYear,
  progress: (line: string) => void = () => undefined,
  /** Narrows the cases told, e.g. to one task queue; by default every running case. */
  scope?: string,
): Promise<{ signalled: number; failed: string[] }> {
  await storeCalendarYear(db, year);
  progress(`stored ${year.year} (${year.status}, ${year.holidays.length} holidays, ${year.workdays.length} make-up days)`);

  let signalled = 0;
  const failed: string[] = [];
  const query = `ExecutionStatus = "Running" AND WorkflowType = "complaintWorkflow"${scope ? ` AND ${scope}` : ''}`;
  for await (const execution of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(execution.workflowId).signal(calendarPublished, { years: [year] });
      signalled += 1;
      if (signalled % 100 === 0) progress(`signalled ${signalled} cases ...`);
    } catch (err) {
      // A case that completed since the listing needs nothing; anything else is reported.
      failed.push(`${execution.workflowId}: ${(err as Error).message}`);
    }
  }
  progress(`signalled ${signalled} running cases${failed.length ? `, ${failed.length} failed` : ''}`);
  return { signalled, failed };
}
