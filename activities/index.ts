import type { Db } from '../db/client';
import type { CaseActivities } from '../workflows/activities';
import { loadCalendarYears } from './calendar';
import { findLeaders } from './leaders';
import { recordNotice } from './notices';
import { projectCase } from './projection';
import { sampleClosedCases } from './spot-check';

/** The worker's activities: thin adapters from the workflows' contract to db/. */
export function createActivities({ db }: { db: Db }): CaseActivities {
  return {
    projectCase: (input) => projectCase(db, input),
    recordNotice: (input) => recordNotice(db, input),
    findLeaders: (input) => findLeaders(db, input),
    calendarYears: (years) => loadCalendarYears(db, years),
    sampleClosedCases: (input) => sampleClosedCases(db, input),
  };
}
