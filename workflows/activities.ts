import type { CalendarYear } from './calendar';
import type { LeaderOwner, NoticeRequest, TimelineEntry } from './model';
import type { CaseProjection } from './projection';

/**
 * What the workflows ask of the outside world. The worker implements it in activities/; the
 * workflows see only this contract, so no database or network code enters the sandbox.
 */
export interface CaseActivities {
  /** Appends timeline entries to the audit trail and updates the case's row, idempotently. */
  projectCase(input: { projection: CaseProjection; events: TimelineEntry[] }): Promise<void>;
  /** Stores a rendered notice for integrators to deliver; the key makes a retry a no-op. */
  recordNotice(input: { caseId: string; notice: NoticeRequest }): Promise<void>;
  /**
   * A change in one go (issue 16): its notices in order, then, when given, the projection, as
   * `recordNotice` and `projectCase` would write them one after another.
   */
  recordChange(input: { caseId: string; notices: NoticeRequest[]; projection?: CaseProjection; events?: TimelineEntry[] }): Promise<void>;
  /** The leaders of a tier for the case's district (one, or a system and a territorial leader). */
  findLeaders(input: { caseId: string; tier: number; district: string }): Promise<LeaderOwner[]>;
  /** Calendar years (official where published, else provisional) for a case that outlives its own. */
  calendarYears(years: number[]): Promise<CalendarYear[]>;
  /** Closed cases of a day drawn for review at the given rate; the same day always draws the same. */
  sampleClosedCases(input: { day: string; rate: number }): Promise<string[]>;
}
