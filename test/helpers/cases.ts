import type { CalendarYear } from '../../workflows/calendar';
import type { CaseActivities } from '../../workflows/activities';
import type { Actor, Complaint, ComplaintWorkflowInput, LeaderOwner, NoticeRequest, TimelineEntry, Unit } from '../../workflows/model';
import type { CaseProjection } from '../../workflows/projection';
import { defaultPolicy, type Policy } from '../../workflows/policy';
import { calendarYears } from '../../lib/calendar-data';

let counter = 0;

/** A unique id per call, so cases of one test file never collide on the shared server. */
export function uniqueId(prefix = 'c'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export function makeComplaint(overrides: Partial<Complaint> = {}): Complaint {
  return {
    id: uniqueId(),
    channel: 'phone',
    category: 'water',
    description: '河道发黑发臭，疑似企业夜间偷排',
    location: { address: '城南路 18 号旁河道', district: 'nancheng' },
    polluter: '某印染厂',
    complainant: { anonymous: false, name: '张三', phone: '13800000000' },
    evidence: [],
    urgent: false,
    receivedAt: new Date().toISOString(),
    firstReceiver: 'reg-1',
    repeatOf: [],
    ...overrides,
  };
}

export function workflowInput(
  complaint: Complaint,
  options: { policy?: Partial<Policy>; calendar?: CalendarYear[]; continueAsNewAfterEvents?: number } = {},
): ComplaintWorkflowInput {
  const year = new Date().getUTCFullYear();
  return {
    complaint,
    policy: { ...defaultPolicy, ...options.policy },
    // Generous: the test server's clock runs ahead of the wall clock as tests skip time.
    calendar: options.calendar ?? calendarYears([year - 1, year, year + 1, year + 2, year + 3]),
    ...(options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: options.continueAsNewAfterEvents } : {}),
  };
}

export const unitA: Unit = { id: 'unit-a', name: '南城分局', level: 'district' };
export const unitB: Unit = { id: 'unit-b', name: '东城街道办', level: 'street' };

export const actors = {
  registrar: { role: 'registrar', id: 'reg-1' },
  supervisor: { role: 'supervisor', id: 'sup-1' },
  integrator: { role: 'integrator', id: 'hotline' },
  unitA: { role: 'unit', id: 'officer-a', unitId: unitA.id },
  unitB: { role: 'unit', id: 'officer-b', unitId: unitB.id },
  leader: { role: 'leader', id: 'leader-1' },
} satisfies Record<string, Actor>;

/**
 * Activities that keep what they are given in memory, per case: the workflow logic under test is
 * real and runs on a real (time-skipping) Temporal server; only the database behind it is not.
 */
export function recordingActivities(leaders: LeaderOwner[] = [{ leaderId: 'leader-1', kind: 'system' }]) {
  const notices = new Map<string, NoticeRequest[]>();
  const events = new Map<string, TimelineEntry[]>();
  const projections = new Map<string, CaseProjection>();
  let sample: string[] = [];
  const activities: CaseActivities = {
    async projectCase({ projection, events: batch }) {
      projections.set(projection.id, projection);
      const known = events.get(projection.id) ?? [];
      for (const e of batch) if (!known.some((x) => x.seq === e.seq)) known.push(e);
      events.set(projection.id, known);
    },
    async recordNotice({ caseId, notice }) {
      const known = notices.get(caseId) ?? [];
      if (!known.some((n) => n.key === notice.key)) known.push(notice);
      notices.set(caseId, known);
    },
    async recordChange({ caseId, notices: batch, projection, events: written }) {
      for (const notice of batch) await activities.recordNotice({ caseId, notice });
      if (projection && written && written.length > 0) await activities.projectCase({ projection, events: written });
    },
    async findLeaders() {
      return leaders;
    },
    async calendarYears(years) {
      return calendarYears(years);
    },
    async sampleClosedCases() {
      return sample;
    },
  };
  return {
    activities,
    noticesOf: (caseId: string) => notices.get(caseId) ?? [],
    eventsOf: (caseId: string) => events.get(caseId) ?? [],
    projectionOf: (caseId: string) => projections.get(caseId),
    /** Highest timeline seq written to the read side: wait on it before reading notices. */
    projectedSeq: (caseId: string) => Math.max(0, ...(events.get(caseId) ?? []).map((e) => e.seq)),
    drawForSpotCheck: (ids: string[]) => {
      sample = ids;
    },
  };
}
