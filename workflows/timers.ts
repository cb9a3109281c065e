import { patched } from '@temporalio/workflow';
import {
  confirmMergeOf,
  escalate,
  handlingStatuses,
  notify,
  openStatuses,
  record,
  registrarRecipient,
  restartClock,
  superiorRecipient,
  unitRecipient,
} from './case';
import { clockStopped, firedKey, monthsLater } from './deadlines';
import type { CaseState, Deadline, DeadlineName, Escalation } from './model';

/**
 * What happens when each deadline of a case falls due. A deadline fires once (it is marked in
 * `fired`); one whose condition no longer holds (the unit already submitted, the case closed) fires
 * silently.
 */
export function fireDeadline(state: CaseState, name: DeadlineName, deadline: Deadline, now: string): void {
  state.fired.push(firedKey(state, name, deadline));
  const inHandling = handlingStatuses.includes(state.status);
  switch (name) {
    case 'dispatch':
      if (state.dispatchedAt === undefined && openStatuses.includes(state.status)) {
        state.dispatchOverdueAt = now;
        record(state, now, 'dispatch_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'supervision', registrarRecipient(state), {
          reason: 'dispatch deadline passed',
          dueAt: deadline.dueAt,
        });
      }
      return;
    case 'warning1':
    case 'warning2': {
      const level = name === 'warning1' ? 1 : 2;
      const raised = state.warnings.some((w) => w.level === level && w.window === state.window);
      if (!inHandling || raised) return;
      state.warnings.push({ level, at: now, window: state.window });
      const dueAt = state.deadlines.handling?.dueAt ?? '';
      record(state, now, 'warning', 'system:timer', undefined, { level, dueAt });
      notify(state, 'warning', unitRecipient(state), { level, dueAt });
      // Added after cases were already running: the 80 % warning also goes to the unit's
      // superior. Histories recorded before the change replay without it (patched() is false).
      if (level === 2 && patched('warning2-copies-superior')) {
        notify(state, 'warning', superiorRecipient(state), { level, dueAt });
      }
      return;
    }
    case 'handling':
      if (!inHandling) return;
      state.overdue = true;
      record(state, now, 'overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
      // 督办: the unit and its superior both hear of it.
      notify(state, 'supervision', unitRecipient(state), { reason: 'handling deadline passed', dueAt: deadline.dueAt });
      notify(state, 'supervision', superiorRecipient(state), { reason: 'handling deadline passed', dueAt: deadline.dueAt });
      return;
    case 'escalation':
      if (inHandling && state.overdue && state.escalation.tier === 0) {
        escalate(state, 1, 'overdue past the escalation gap', 'system:timer', now);
      }
      return;
    case 'leaderReview':
      reviewLeaderCase(state, now);
      return;
    case 'callback':
      if (state.status === 'callback') {
        record(state, now, 'callback_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'callback_overdue', registrarRecipient(state), { dueAt: deadline.dueAt });
      }
      return;
    case 'rapidResponse':
      if (state.onSiteReportedAt === undefined && openStatuses.includes(state.status)) {
        record(state, now, 'rapid_response_missed', 'system:timer', undefined, { dueAt: deadline.dueAt });
        // The district tells the notice activity whose duty leader it is (the roster is per district).
        notify(state, 'rapid_response_missed', 'duty-leader', { dueAt: deadline.dueAt, district: state.complaint.location.district });
      }
      return;
    case 'rewardPayment':
      if (state.reward && !state.reward.paidAt) {
        state.reward.overdue = true;
        record(state, now, 'reward_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'supervision', 'supervisor', { reason: 'reward payment overdue', dueAt: deadline.dueAt });
      }
      return;
    case 'extensionDecision':
      if (state.extension && !state.extension.decision && inHandling) {
        record(state, now, 'extension_decision_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'supervision', 'supervisor', { reason: 'extension request awaiting decision', dueAt: deadline.dueAt });
      }
      return;
    case 'resultReview':
      if (state.status === 'result_review') {
        record(state, now, 'result_review_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'supervision', 'supervisor', { reason: 'result awaiting review', dueAt: deadline.dueAt });
      }
      return;
    case 'spotCheck':
      if (state.status === 'under_review' && state.spotCheck?.passed === undefined) {
        record(state, now, 'spot_check_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        notify(state, 'supervision', 'supervisor', { reason: 'spot check awaiting decision', dueAt: deadline.dueAt });
      }
      return;
    case 'supervisionReply': {
      const supervision = state.supervisions.at(-1);
      if (supervision && !supervision.reply && openStatuses.includes(state.status)) {
        supervision.overdue = true;
        record(state, now, 'supervision_reply_overdue', 'system:timer', undefined, { dueAt: deadline.dueAt });
        const params = { reason: 'supervision order unanswered', dueAt: deadline.dueAt };
        notify(state, 'supervision', superiorRecipient(state), params);
        notify(state, 'supervision', 'supervisor', params);
      }
      return;
    }
    case 'pauseAnswer':
      // Unanswered by its deadline: the clock runs again with what the case has, and whoever stopped it hears so.
      if (clockStopped(state)) {
        restartClock(state, { expired: true }, 'system:timer', now);
        notify(state, 'supervision', handlingStatuses.includes(state.status) ? unitRecipient(state) : registrarRecipient(state), {
          reason: 'no answer by its deadline: the clock runs again',
        });
      }
      return;
    case 'mergeDecision':
      // Nobody decided in time: the merge by repeat detection stands.
      if (state.mergeUnconfirmed) confirmMergeOf(state, 'system:timer', now, 'no decision by the deadline');
      return;
    case 'reviewWindow':
      // Ends the case's spot-check window; the workflow sees the fired mark and completes.
      return;
  }
}

/** Quarterly review of a leader-owned case: still overdue means one tier up (领导包案). */
function reviewLeaderCase(state: CaseState, now: string): void {
  if (state.escalation.resolved || !openStatuses.includes(state.status)) return;
  if (state.overdue && state.escalation.tier < 3) {
    escalate(state, (state.escalation.tier + 1) as Escalation['tier'], 'still overdue at leader review', 'system:timer', now);
    return;
  }
  record(state, now, 'leader_review', 'system:timer', undefined, { tier: state.escalation.tier, overdue: state.overdue });
  state.deadlines.leaderReview = monthsLater(now, state.policy.leaderReviewMonths);
}

/**
 * True once a closed case's spot-check window has passed with no review under way and no reward
 * left to pay: then the workflow completes.
 */
export function reviewWindowOver(state: CaseState): boolean {
  const window = state.deadlines.reviewWindow;
  const rewardUnpaid = state.reward !== undefined && state.reward.paidAt === undefined;
  return state.status === 'closed' && !rewardUnpaid && window !== undefined && state.fired.includes(firedKey(state, 'reviewWindow', window));
}
