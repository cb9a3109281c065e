import { patched } from '@temporalio/workflow';
import { openReward } from './case';
import type { Actor, CaseFacts, CaseState } from './model';
import { rewardEligible, rewardMaxYuan } from './policy';

/**
 * 有奖举报 (issue 18 rule 9): who is owed a reward, and the rules on its amount, approval, claim
 * and payment. The actions themselves are entries of the action table (workflows/actions.ts).
 */

/**
 * Opens the reward a released result earns, if any. Issue 18: eligibility follows the violation
 * the result found (the enforcement actions), not only the intake category. A case that released
 * its result before (no marker in its history) keeps the old rule: a substantiated report in a
 * reward category; the timer and the wait for payment a new rule would add are commands its
 * history does not have.
 */
export function openEarnedReward(state: CaseState, now: string): void {
  if (state.reward) return;
  const result = state.result!;
  if (patched('reward-by-violation')) {
    const eligibleBy = rewardEligible(state.policy, state.complaint.category, result);
    if (eligibleBy) openReward(state, now, eligibleBy);
    return;
  }
  if (result.finding === 'substantiated' && state.policy.rewardCategories.includes(state.complaint.category)) openReward(state, now);
}

/** Why the reward's amount may not be proposed now. */
export function whyNoProposal(state: CaseFacts): string | undefined {
  if (!state.reward) return 'this case has no reward';
  if (state.reward.paidAt) return 'the reward was already paid';
  if (state.reward.approval) return 'the amount was already approved';
  return undefined;
}

export function checkAmount(state: CaseState, amountYuan: number): string | undefined {
  const max = rewardMaxYuan(state.policy);
  if (!Number.isInteger(amountYuan) || amountYuan < 1) return 'amountYuan must be a whole number of yuan, at least 1';
  return amountYuan > max ? `amountYuan must be at most ${max} yuan (policy rewardMaxYuan)` : undefined;
}

/** Why `actor` may not approve the proposed amount: two people, so one supervisor never sets and approves a payment alone. */
export function whyNoApproval(state: CaseFacts, actor: Actor): string | undefined {
  const unavailable = whyNoProposal(state);
  if (unavailable) return unavailable;
  const proposal = state.reward!.proposal;
  if (!proposal) return 'no amount has been proposed';
  return proposal.by === actor.id ? 'the amount must be approved by another supervisor than the one who proposed it' : undefined;
}

/** Why the reward cannot be claimed with a code: told the reporter alike whatever the reason (api/routes/rewards.ts). */
export function whyNoClaim(state: CaseFacts): string | undefined {
  if (!state.reward || state.reward.paidAt) return 'this case has no reward to claim';
  if (state.complaint.claimCodeHash === undefined) return 'this reward has no claim code: its reporter is named';
  return state.reward.claimedAt ? 'the reward was already claimed' : undefined;
}

/**
 * Why the reward may not be paid now. A reward opened under the approval rule waits for an
 * approved amount and, for an anonymous reporter, for their claim (nobody else to pay). Rewards
 * opened before keep the old rule, paid whenever a supervisor records it: a new rule would
 * refuse, in a running case, a payment the bureau was told it could record.
 */
export function whyNoPayment(state: CaseFacts): string | undefined {
  const { reward } = state;
  if (!reward) return 'this case has no reward to pay';
  if (reward.paidAt) return 'the reward was already paid';
  if (!reward.approvalRequired) return undefined;
  if (!reward.approval) return 'the amount must be proposed and approved before the reward is paid';
  if (state.complaint.claimCodeHash !== undefined && !reward.claimedAt) return 'the anonymous reporter has not claimed the reward with the claim code (兑奖码)';
  return undefined;
}
