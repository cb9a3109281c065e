import { shanghaiDate, startOfDay } from './calendar';
import type { Channel } from './channels';
import type { EnforcementAction, Finding } from './model';

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
  /** Longest extension a supervisor may grant, in working days; one extension per handling window. */
  maxExtensionWorkingDays: number;
  /** Working days the supervisors have to decide an extension request before they are reminded (absent in policies before it: 2). */
  extensionDecisionWorkingDays?: number;
  /**
   * Findings whose result the bureau reviews before the reply reaches the complainant (Jiangsu
   * re-checks every `not_substantiated` one), and the working days the review takes before the
   * supervisors are reminded. Absent in policies before the review: `not_substantiated`, 2 days.
   */
  resultReviewFindings?: Finding[];
  resultReviewWorkingDays?: number;
  /** Working days the supervisor has to decide a case drawn for the spot check before a reminder (absent before: 5). */
  spotCheckWorkingDays?: number;
  /** The longest answer deadline of a clock stop (中止) for missing information, in working days (absent before: 15). */
  maxPauseWorkingDays?: number;
  /** Working days a unit has to answer a supervisor's supervision order (督办) (absent in policies before: 3). */
  supervisionReplyWorkingDays?: number;
  /** Working days a co-unit has for its part of a joint case (联合办理) (absent in policies before: 10). */
  jointPartWorkingDays?: number;
  callbackWorkingDays: number;
  callbackAttempts: number;
  reworkWorkingDays: number;
  /** The rework that escalates to leader ownership (2 = the second). */
  reworksBeforeEscalation: number;
  /** Months between leader reviews of an owned case. */
  leaderReviewMonths: number;
  rapidResponseMinutes: number;
  /** Categories whose complaints get the on-site clock when received in the night hours (noise and odour at night, in the seeds). */
  rapidResponseCategories: string[];
  /**
   * The night hours of rapid response, Asia/Shanghai wall clock (`HH:MM`), from `from` up to
   * `to`, across midnight when `to` is earlier. Urgent cases get the clock at any hour. Optional
   * only because policies recorded with cases before it existed lack it: those cases keep the
   * clock for every complaint of the categories, at any hour.
   */
  rapidResponseNightHours?: { from: string; to: string };
  spotCheckRate: number;
  /** Calendar days a closed case stays open to spot checks and reopening. */
  reviewWindowDays: number;
  /** Categories eligible for a reward when substantiated, and the payment deadline in months. */
  rewardCategories: string[];
  rewardPaymentMonths: number;
  /**
   * The violations that earn a reward whatever the category (有奖举报 follows what the handling
   * found, not what the reporter called it): a substantiated or partly substantiated result whose
   * enforcement actions include one of these. Absent in policies before: the categories alone.
   */
  rewardActions?: EnforcementAction[];
  /** The largest reward a proposal may name, in whole yuan (absent in policies before: 100000). */
  rewardMaxYuan?: number;
  /**
   * Who may unmask the complainant of a case in a reward category (有奖举报): the ids of the
   * accounts (or API keys) named here, and nobody else, whatever their role. Empty, the default,
   * means nobody: a bureau names its readers on purpose. The API reads the deployment's current
   * policy for this (not the one a case started with), so naming or removing a reader takes
   * effect for every case at once.
   */
  rewardIdentityReaders: string[];
  /**
   * 首接负责 (Shandong): a case from a platform waits in its district's registrar queue until a
   * registrar claims it, and from then only its first receiver (or a supervisor, or whoever it is
   * handed over to) accepts, assigns and calls back. Absent in the policy of cases started before
   * the rule, which keep the key of whoever registered them as first receiver, open to every registrar.
   */
  firstReceiverOnly?: boolean;
  /** Repeat detection: same category and polluter, address or place within this many metres and days. */
  repeatWindowDays: number;
  repeatRadiusMeters: number;
  /**
   * The report about one problem that escalates it to a leader: the case's own, those merged into
   * it, and the earlier cases still open (absent in policies before: 3). Before the rule, every repeat did.
   */
  repeatEscalationReports?: number;
  /** Working days a registrar has to confirm or split a merge made by repeat detection before it stands (absent before: 2). */
  mergeDecisionWorkingDays?: number;
  /** A cluster: this many reports about one polluter within this many days. */
  clusterMinReports: number;
  clusterWindowDays: number;
  /** Intake: how far a `receivedAt` may run ahead of the server's clock (skew), and how far back. */
  receivedAtMaxSkewMinutes: number;
  receivedAtMaxAgeDays: number;
}

export const defaultPolicy: Policy = {
  version: '2026-12-default',
  dispatchWorkingDays: { letter: 3, visit: 3, phone: 2, web: 2, default: 2 },
  handlingWorkingDays: 15,
  warningThresholds: [0.5, 0.8],
  escalationGapWorkingDays: 5,
  maxExtensionWorkingDays: 15,
  extensionDecisionWorkingDays: 2,
  resultReviewFindings: ['not_substantiated'],
  resultReviewWorkingDays: 2,
  spotCheckWorkingDays: 5,
  supervisionReplyWorkingDays: 3,
  maxPauseWorkingDays: 15,
  jointPartWorkingDays: 10,
  callbackWorkingDays: 5,
  callbackAttempts: 3,
  reworkWorkingDays: 10,
  reworksBeforeEscalation: 2,
  leaderReviewMonths: 3,
  rapidResponseMinutes: 30,
  rapidResponseCategories: ['noise', 'odour'],
  rapidResponseNightHours: { from: '22:00', to: '06:00' },
  spotCheckRate: 0.23,
  reviewWindowDays: 30,
  rewardCategories: ['hidden_discharge_pipe', 'hazardous_waste_dumping', 'idle_treatment_facility', 'high_pollution_fuel', 'unlicensed_surface_treatment'],
  rewardPaymentMonths: 3,
  rewardActions: ['penalty', 'case_filed'],
  rewardMaxYuan: 100_000,
  rewardIdentityReaders: [],
  firstReceiverOnly: true,
  repeatWindowDays: 90,
  repeatRadiusMeters: 200,
  repeatEscalationReports: 3,
  mergeDecisionWorkingDays: 2,
  clusterMinReports: 3,
  clusterWindowDays: 7,
  receivedAtMaxSkewMinutes: 5,
  receivedAtMaxAgeDays: 365,
};

export function dispatchWorkingDays(policy: Policy, channel: Channel): number {
  return policy.dispatchWorkingDays[channel] ?? policy.dispatchWorkingDays.default;
}

/**
 * Whether a released result earns the reporter a reward (patched('reward-by-violation')): a
 * violation the policy rewards was found (penalty, case filed), or a substantiated report in a
 * reward category, as before.
 */
export function rewardEligible(
  policy: Pick<Policy, 'rewardActions' | 'rewardCategories'>,
  category: string,
  result: { finding: Finding; actions: readonly EnforcementAction[] },
): { actions: EnforcementAction[] } | { category: string } | undefined {
  if (result.finding === 'not_substantiated') return undefined;
  const actions = result.actions.filter((a) => (policy.rewardActions ?? []).includes(a));
  if (actions.length > 0) return { actions };
  return result.finding === 'substantiated' && policy.rewardCategories.includes(category) ? { category } : undefined;
}

/** The largest reward a proposal may name, in yuan. */
export const rewardMaxYuan = (policy: Pick<Policy, 'rewardMaxYuan'>): number => policy.rewardMaxYuan ?? 100_000;

/** `HH:MM`, 00:00 to 23:59: what the policy file must give as a time of day. */
export const timeOfDayPattern = /^([01]\d|2[0-3]):[0-5]\d$/;

const minuteOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether the instant falls in the policy's rapid-response night hours, on the Shanghai wall
 * clock. No night hours in the policy (one recorded before they existed), or `from` equal to
 * `to` (a bureau that wants the clock around the clock): every hour counts.
 */
export function inRapidResponseNight(policy: Pick<Policy, 'rapidResponseNightHours'>, instant: number): boolean {
  const night = policy.rapidResponseNightHours;
  if (!night) return true;
  const minute = Math.floor((instant - startOfDay(shanghaiDate(instant))) / 60_000);
  const from = minuteOfDay(night.from);
  const to = minuteOfDay(night.to);
  if (from === to) return true;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}
