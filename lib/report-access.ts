import type { StaffRole } from './principal';

/**
 * Who reads the reports (api/routes/reports.ts, but for the identity reads, supervisors only): the
 * routes take their `config.roles` from here and the console shows its 报表 link by the same list,
 * so it never offers a page that would answer 403. Type imports only: the browser bundle takes
 * this list alone.
 */
export const reportReaders = ['supervisor', 'leader', 'ops'] as const satisfies readonly StaffRole[];

/** Whether a caller holding `roles` may read the reports: any one role suffices, as at the API. */
export const mayReadReports = (roles: readonly string[]): boolean => roles.some((role) => (reportReaders as readonly string[]).includes(role));

/** Who reads the rewards due and overdue (有奖举报, GET /reports/rewards): those who see that they are paid. */
export const rewardReportReaders = ['supervisor', 'ops'] as const satisfies readonly StaffRole[];

export const mayReadRewardReport = (roles: readonly string[]): boolean => roles.some((role) => (rewardReportReaders as readonly string[]).includes(role));
