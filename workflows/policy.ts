import type { Channel } from './channels';

/**
 * The rules a bureau may tune (docs/domain.md, numbers marked "policy"). A case is started with
 * the policy in force at registration and keeps it to the end, so changing a deployment's policy
 * never changes the deadlines of cases already running.
 */
export interface Policy {
  /** Named and dated so the timeline says which rules a case ran under. */
  version: string;
  dispatchWorkingDays: Partial<Record<Channel, number>> & { default: number };
  handlingWorkingDays: number;
  /** Fractions of the handling window at which warnings (预警) are raised. */
  warningThresholds: [number, number];
  /** Working days past the handling deadline before leader ownership. */
  escalationGapWorkingDays: number;
  /** Longest extension a supervisor may grant, in working days; one extension per case. */
  maxExtensionWorkingDays: number;
  callbackWorkingDays: number;
  callbackAttempts: number;
  reworkWorkingDays: number;
  /** The rework that escalates to leader ownership (2 = the second). */
  reworksBeforeEscalation: number;
  /** Months between leader reviews of an owned case. */
  leaderReviewMonths: number;
  rapidResponseMinutes: number;
  /** Categories whose complaints count as urgent (noise and odour at night, in the seeds). */
  rapidResponseCategories: string[];
  spotCheckRate: number;
  /** Calendar days a closed case stays open to spot checks and reopening. */
  reviewWindowDays: number;
  /** Categories eligible for a reward when substantiated, and the payment deadline in months. */
  rewardCategories: string[];
  rewardPaymentMonths: number;
  /** Repeat detection: same category and polluter, address or place within this many metres and days. */
  repeatWindowDays: number;
  repeatRadiusMeters: number;
  /** A cluster: this many reports about one polluter within this many days. */
  clusterMinReports: number;
  clusterWindowDays: number;
  /** Intake: how far a `receivedAt` may run ahead of the server's clock (skew), and how far back. */
  receivedAtMaxSkewMinutes: number;
  receivedAtMaxAgeDays: number;
}

export const defaultPolicy: Policy = {
  version: '2026-11-default',
  dispatchWorkingDays: { letter: 3, visit: 3, phone: 2, web: 2, default: 2 },
  handlingWorkingDays: 15,
  warningThresholds: [0.5, 0.8],
  escalationGapWorkingDays: 5,
  maxExtensionWorkingDays: 15,
  callbackWorkingDays: 5,
  callbackAttempts: 3,
  reworkWorkingDays: 10,
  reworksBeforeEscalation: 2,
  leaderReviewMonths: 3,
  rapidResponseMinutes: 30,
  rapidResponseCategories: ['noise', 'odour'],
  spotCheckRate: 0.23,
  reviewWindowDays: 30,
  rewardCategories: ['hidden_discharge_pipe', 'hazardous_waste_dumping', 'idle_treatment_facility', 'high_pollution_fuel', 'unlicensed_surface_treatment'],
  rewardPaymentMonths: 3,
  repeatWindowDays: 90,
  repeatRadiusMeters: 200,
  clusterMinReports: 3,
  clusterWindowDays: 7,
  receivedAtMaxSkewMinutes: 5,
  receivedAtMaxAgeDays: 365,
};

export function dispatchWorkingDays(policy: Policy, channel: Channel): number {
  return policy.dispatchWorkingDays[channel] ?? policy.dispatchWorkingDays.default;
}
