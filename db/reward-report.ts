import { sql } from 'drizzle-orm';
import type { RewardApproval } from '../workflows/projection';
import type { Db } from './client';
import { inDistricts, type Districts } from './reports';

/** One reward of the report: where it stands on the day asked. */
export interface RewardRow {
  caseId: string;
  category: string;
  district: string;
  anonymous: boolean;
  openedAt: string;
  dueAt: string;
  /** `due`: unpaid and not yet due; `overdue`: unpaid past its due date; `paid`: paid in the period (`onTime` says whether by its due date). */
  state: 'due' | 'overdue' | 'paid';
  onTime: boolean | null;
  amountYuan: number | null;
  approval: RewardApproval;
  claimedAt: string | null;
  paidAt: string | null;
}

export interface RewardReport {
  rewards: RewardRow[];
  totals: { due: number; overdue: number; paid: number; amountDueYuan: number; amountOverdueYuan: number; amountPaidYuan: number };
}

/**
 * 有奖举报 due and overdue in a period: every reward due before its end and not paid before its
 * start. Unpaid ones are `due` or `overdue` as of `now` (however long ago they fell due), paid ones
 * show when and whether on time. Amounts count the proposed or approved amount; a reward without
 * one counts none. Overdue first, then by due date.
 */
export async function rewardsDue(db: Db, q: { from: Date; to: Date; districts?: Districts; now?: Date }): Promise<RewardReport> {
  const now = q.now ?? new Date();
  const result = await db.execute<{
    id: string;
    category: string;
    district: string;
    anonymous: boolean;
    reward_opened_at: Date;
    reward_due_at: Date;
    reward_amount_yuan: number | null;
    reward_approval: string | null;
    reward_claimed_at: Date | null;
    reward_paid_at: Date | null;
  }>(sql`
    select id, category, district, anonymous, reward_opened_at, reward_due_at, reward_amount_yuan, reward_approval, reward_claimed_at, reward_paid_at
    from complaints
    where reward_opened_at is not null and reward_due_at < ${q.to}
      and (reward_paid_at is null or reward_paid_at >= ${q.from}) and ${inDistricts(q.districts)}
    order by (reward_paid_at is null and reward_due_at <= ${now}) desc, reward_due_at, id
    limit 1000`);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const rewards = result.rows.map((r): RewardRow => {
    const due = new Date(r.reward_due_at);
    const paid = r.reward_paid_at ? new Date(r.reward_paid_at) : null;
    return {
      caseId: r.id,
      category: r.category,
      district: r.district,
      anonymous: r.anonymous,
      openedAt: new Date(r.reward_opened_at).toISOString(),
      dueAt: due.toISOString(),
      state: paid ? 'paid' : due <= now ? 'overdue' : 'due',
      onTime: paid ? paid < due : null,
      amountYuan: r.reward_amount_yuan === null ? null : Number(r.reward_amount_yuan),
      approval: (r.reward_approval ?? 'not_required') as RewardApproval,
      claimedAt: iso(r.reward_claimed_at),
      paidAt: iso(paid),
    };
  });
  const of = (state: RewardRow['state']) => rewards.filter((r) => r.state === state);
  const sum = (rows: RewardRow[]) => rows.reduce((total, r) => total + (r.amountYuan ?? 0), 0);
  return {
    rewards,
    totals: {
      due: of('due').length,
      overdue: of('overdue').length,
      paid: of('paid').length,
      amountDueYuan: sum(of('due')),
      amountOverdueYuan: sum(of('overdue')),
      amountPaidYuan: sum(of('paid')),
    },
  };
}
