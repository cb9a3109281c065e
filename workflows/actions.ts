import { ApplicationFailure } from '@temporalio/workflow';
import {
  actorName,
  close,
  closeWindow,
  escalate,
  extendWindow,
  finish,
  handlingStatuses,
  isRapidResponse,
  markDispatched,
  newCase,
  notify,
  openReward,
  openStatuses,
  openWindow,
  record,
  startRapidResponse,
  startRework,
  unitRecipient,
} from './case';
import { workingDeadline } from './deadlines';
import type {
  Actor,
  CallbackOutcome,
  CaseState,
  ComplaintWorkflowInput,
  EnforcementAction,
  Escalation,
  Finding,
  LeaderOwner,
  Role,
  Status,
  Unit,
} from './model';

/**
 * Every action a person can take on a case, as data: who may take it, from which statuses, what
 * must be filled in, and what it does. The workflow turns each into an Update whose validator
 * applies these rules, so an illegal move is rejected before it enters the history.
 */

export interface ActionArgs {
  actor: Actor;
}
export interface Reasoned extends ActionArgs {
  reason: string;
}

export interface ActionArgsByName {
  accept: ActionArgs & { note?: string };
  notAccept: Reasoned;
  transferOut: Reasoned & { department: string };
  merge: Reasoned & { intoCaseId: string };
  assign: ActionArgs & { unit: Unit; dutyOfficer?: string };
  refuseJurisdiction: Reasoned;
  acknowledge: ActionArgs;
  reportOnSite: ActionArgs & { report: string };
  submitResult: ActionArgs & { finding: Finding; actions: EnforcementAction[]; reply: string };
  recordCallback: ActionArgs & { outcome: CallbackOutcome; note?: string };
  requestExtension: Reasoned & { days: number };
  approveExtension: Reasoned;
  denyExtension: Reasoned;
  recordLeaderPlan: ActionArgs & { plan: string };
  recordLeaderProgress: ActionArgs & { note: string; resolved?: boolean };
  withdraw: Reasoned;
  addEvidence: ActionArgs & { links?: string[]; message?: string };
  recordSpotCheck: ActionArgs & { passed: boolean; note: string };
  recordRewardPaid: ActionArgs & { reference: string };
  // Supervisor overrides: each needs a reason, kept in the timeline.
  returnForRework: Reasoned;
  reassign: Reasoned & { unit: Unit };
  extend: Reasoned & { days: number };
  escalate: Reasoned & { tier?: 1 | 2 | 3; owners?: LeaderOwner[] };
  close: Reasoned;
  reopen: Reasoned;
  changeUrgency: Reasoned & { urgent: boolean };
}

export type ActionName = keyof ActionArgsByName;

interface ActionSpec<A extends ActionArgs> {
  roles: readonly Role[];
  from: readonly Status[];
  /** Fields that must be present and, for strings, not blank. */
  required: readonly (keyof A & string)[];
  /** Rules beyond role, status and fields; returns the reason to reject, if any. */
  check?: (state: CaseState, args: A) => string | undefined;
  apply: (state: CaseState, args: A, now: string) => void;
}

type ActionTable = { [K in ActionName]: ActionSpec<ActionArgsByName[K]> };

const handlingOrAccepted: readonly Status[] = ['accepted', ...handlingStatuses];

function checkDays(days: number, max: number): string | undefined {
  if (!Number.isInteger(days) || days < 1) return 'days must be a whole number of working days, at least 1';
  if (days > max) return `days must be at most ${max} working days (policy)`;
  return undefined;
}

function ownsCase(state: CaseState, actor: Actor): boolean {
  return state.escalation.owners.some((o) => o.leaderId === actor.id);
}

export const actions: ActionTable = {
  accept: {
    roles: ['registrar'],
    from: ['registered'],
    required: [],
    apply(state, { actor, note }, now) {
      state.status = 'accepted';
      state.acceptedAt = now;
      record(state, now, 'accepted', actorName(actor), note);
      notify(state, 'acceptance', 'complainant', { dispatchDueAt: state.deadlines.dispatch?.dueAt ?? '' });
    },
  },
  notAccept: {
    roles: ['registrar'],
    from: ['registered'],
    required: ['reason'],
    apply(state, { actor, reason }, now) {
      finish(state, 'not_accepted', 'not_accepted', actorName(actor), now, reason);
      notify(state, 'not_accepted', 'complainant', { reason });
    },
  },
  transferOut: {
    roles: ['registrar'],
    from: ['registered', 'accepted'],
    required: ['reason', 'department'],
    apply(state, { actor, reason, department }, now) {
      finish(state, 'transferred_out', 'transferred_out', actorName(actor), now, reason);
      state.timeline.at(-1)!.data = { department };
      notify(state, 'transferred', 'complainant', { department, reason });
    },
  },
  merge: {
    roles: ['registrar'],
    from: ['registered'],
    required: ['reason', 'intoCaseId'],
    check: (state, { intoCaseId }) =>
      intoCaseId === state.complaint.id ? 'a case cannot be merged into itself' : undefined,
    apply(state, { actor, reason, intoCaseId }, now) {
      state.mergedInto = intoCaseId;
      finish(state, 'merged', 'merged', actorName(actor), now, reason);
      state.timeline.at(-1)!.data = { intoCaseId };
      state.outbox.push({ type: 'merge', intoCaseId });
    },
  },
  assign: {
    roles: ['registrar'],
    from: ['accepted'],
    required: ['unit'],
    check: (state, { unit }) => {
      if (!unit.id || !unit.name) return 'unit needs an id and a name';
      if (state.refusedBy.includes(unit.id)) return `unit ${unit.id} has already refused jurisdiction of this case`;
      return undefined;
    },
    apply(state, { actor, unit, dutyOfficer }, now) {
      state.status = 'assigned';
      state.unit = unit;
      if (dutyOfficer) state.dutyOfficer = dutyOfficer;
      if (state.dispatchedAt === undefined) markDispatched(state, now);
      openWindow(state, now, state.policy.handlingWorkingDays);
      record(state, now, 'assigned', actorName(actor), undefined, {
        unit: unit.id,
        level: unit.level,
        dueAt: state.deadlines.handling?.dueAt,
        dispatchedOnTime: state.dispatchedOnTime,
      });
      notify(state, 'assignment', unitRecipient(state), { dueAt: state.deadlines.handling?.dueAt ?? '' });
      if (state.complaint.repeatOf.length > 0 && state.escalation.tier === 0) {
        escalate(state, 1, 'repeat complaint', 'system:policy', now);
      }
    },
  },
  refuseJurisdiction: {
    roles: ['unit'],
    from: ['assigned'],
    required: ['reason'],
    apply(state, { actor, reason }, now) {
      const unitId = state.unit?.id ?? '';
      state.refusedBy.push(unitId);
      state.status = 'accepted';
      closeWindow(state);
      record(state, now, 'jurisdiction_refused', actorName(actor), reason, { unit: unitId });
      delete state.unit;
      notify(state, 'supervision', `registrar:${state.complaint.firstReceiver}`, { reason, refusedBy: unitId });
    },
  },
  acknowledge: {
    roles: ['unit'],
    from: ['assigned'],
    required: [],
    apply(state, { actor }, now) {
      state.status = 'in_progress';
      record(state, now, 'acknowledged', actorName(actor));
    },
  },
  reportOnSite: {
    roles: ['unit'],
    from: ['assigned', 'in_progress'],
    required: ['report'],
    apply(state, { actor, report }, now) {
      state.status = 'in_progress';
      state.onSiteReportedAt ??= now;
      const due = state.deadlines.rapidResponse?.dueAt;
      delete state.deadlines.rapidResponse;
      record(state, now, 'on_site_report', actorName(actor), report, due ? { withinRapidResponse: now <= due } : {});
    },
  },
  submitResult: {
    roles: ['unit'],
    from: ['assigned', 'in_progress', 'rework'],
    required: ['finding', 'actions', 'reply'],
    apply(state, { actor, finding, actions: taken, reply }, now) {
      const due = state.deadlines.handling?.dueAt;
      const onTime = due === undefined || now < due;
      state.result = { finding, actions: taken, reply, submittedAt: now, by: actor.id, onTime };
      closeWindow(state);
      delete state.deadlines.rapidResponse;
      record(state, now, 'result_submitted', actorName(actor), undefined, { finding, actions: taken, onTime });
      notify(state, 'result_reply', 'complainant', { finding, reply });
      if (finding === 'substantiated' && state.policy.rewardCategories.includes(state.complaint.category) && !state.reward) {
        openReward(state, now);
      }
      if (state.complaint.complainant.anonymous) {
        close(state, 'anonymous complaint: callback skipped', 'system:policy', now);
        return;
      }
      state.status = 'callback';
      state.deadlines.callback = workingDeadline(state.calendar, now, state.policy.callbackWorkingDays);
    },
  },
  recordCallback: {
    roles: ['registrar'],
    from: ['callback'],
    required: ['outcome'],
    check: (state) =>
      state.callbacks.some((c) => c.outcome === 'unsatisfied')
        ? 'the complainant was unsatisfied: a supervisor decides between rework and close'
        : undefined,
    apply(state, { actor, outcome, note }, now) {
      state.callbacks.push({ outcome, at: now, by: actor.id, ...(note !== undefined ? { note } : {}) });
      const attempt = state.callbacks.length;
      record(state, now, 'callback', actorName(actor), note, { outcome, attempt });
      if (outcome === 'satisfied' || outcome === 'basically_satisfied') {
        close(state, `callback: ${outcome}`, actorName(actor), now);
      } else if (outcome === 'unreachable' && attempt >= state.policy.callbackAttempts) {
        close(state, `callback: unreachable after ${attempt} attempts`, actorName(actor), now);
      } else if (outcome === 'unsatisfied') {
        delete state.deadlines.callback;
        notify(state, 'supervision', 'supervisor', { reason: 'complainant unsatisfied: decide rework or close' });
      }
    },
  },
  requestExtension: {
    roles: ['unit'],
    from: handlingStatuses,
    required: ['reason', 'days'],
    check: (state, { days }) =>
      state.extension
        ? `an extension was already ${state.extension.decision ?? 'requested'} for this case (only one is allowed)`
        : checkDays(days, state.policy.maxExtensionWorkingDays),
    apply(state, { actor, reason, days }, now) {
      state.extension = { days, reason, requestedBy: actor.id, requestedAt: now };
      record(state, now, 'extension_requested', actorName(actor), reason, { days });
    },
  },
  approveExtension: {
    roles: ['supervisor'],
    from: handlingStatuses,
    required: ['reason'],
    check: (state) => (state.extension && !state.extension.decision ? undefined : 'no extension request is pending'),
    apply(state, { actor, reason }, now) {
      const extension = state.extension!;
      Object.assign(extension, { decision: 'approved', decidedBy: actor.id, decidedAt: now });
      extendWindow(state, extension.days, now);
      record(state, now, 'extension_approved', actorName(actor), reason, {
        days: extension.days,
        dueAt: state.deadlines.handling?.dueAt,
      });
    },
  },
  denyExtension: {
    roles: ['supervisor'],
    from: handlingStatuses,
    required: ['reason'],
    check: (state) => (state.extension && !state.extension.decision ? undefined : 'no extension request is pending'),
    apply(state, { actor, reason }, now) {
      Object.assign(state.extension!, { decision: 'denied', decidedBy: actor.id, decidedAt: now });
      record(state, now, 'extension_denied', actorName(actor), reason);
    },
  },
  recordLeaderPlan: {
    roles: ['leader'],
    from: openStatuses,
    required: ['plan'],
    check: (state, { actor }) => (ownsCase(state, actor) ? undefined : 'only a leader who owns this case may record its plan'),
    apply(state, { actor, plan }, now) {
      state.escalation.plan = plan;
      record(state, now, 'leader_plan', actorName(actor), plan);
    },
  },
  recordLeaderProgress: {
    roles: ['leader'],
    from: openStatuses,
    required: ['note'],
    check: (state, { actor }) =>
      ownsCase(state, actor) ? undefined : 'only a leader who owns this case may report its progress',
    apply(state, { actor, note, resolved }, now) {
      state.escalation.progress.push({ note, at: now, by: actor.id });
      if (resolved) {
        state.escalation.resolved = true;
        delete state.deadlines.leaderReview;
      }
      record(state, now, 'leader_progress', actorName(actor), note, { resolved: resolved === true });
    },
  },
  withdraw: {
    roles: ['integrator', 'registrar'],
    from: openStatuses,
    required: ['reason'],
    apply(state, { actor, reason }, now) {
      finish(state, 'withdrawn', 'withdrawn', actorName(actor), now, reason);
      if (state.unit) notify(state, 'supervision', unitRecipient(state), { reason: `withdrawn: ${reason}` });
    },
  },
  addEvidence: {
    roles: ['integrator', 'registrar'],
    from: [...openStatuses, 'closed', 'under_review'],
    required: [],
    check: (_state, { links, message }) =>
      (links?.length ?? 0) === 0 && !message?.trim() ? 'give evidence links, a message, or both' : undefined,
    apply(state, { actor, links, message }, now) {
      state.complaint.evidence.push(...(links ?? []));
      record(state, now, 'follow_up', actorName(actor), message, { links: links ?? [] });
      if (state.unit && handlingStatuses.includes(state.status)) {
        notify(state, 'supervision', unitRecipient(state), { reason: 'new evidence or message from the complainant' });
      }
    },
  },
  recordSpotCheck: {
    roles: ['supervisor'],
    from: ['under_review'],
    required: ['passed', 'note'],
    apply(state, { actor, passed, note }, now) {
      state.spotCheck = { ...state.spotCheck!, passed, note, decidedAt: now };
      record(state, now, passed ? 'spot_check_passed' : 'spot_check_failed', actorName(actor), note);
      if (passed) {
        state.status = 'closed';
      } else {
        startRework(state, `spot check failed: ${note}`, actorName(actor), now);
      }
    },
  },
  recordRewardPaid: {
    roles: ['supervisor'],
    from: [...openStatuses, 'closed', 'under_review'],
    required: ['reference'],
    check: (state) =>
      !state.reward ? 'this case has no reward to pay' : state.reward.paidAt ? 'the reward was already paid' : undefined,
    apply(state, { actor, reference }, now) {
      Object.assign(state.reward!, { paidAt: now, reference });
      delete state.deadlines.rewardPayment;
      record(state, now, 'reward_paid', actorName(actor), undefined, { reference, onTime: now < state.reward!.dueAt });
    },
  },
  returnForRework: {
    roles: ['supervisor'],
    from: ['callback'],
    required: ['reason'],
    apply(state, { actor, reason }, now) {
      startRework(state, reason, actorName(actor), now);
    },
  },
  reassign: {
    roles: ['registrar', 'supervisor'],
    from: handlingOrAccepted,
    required: ['reason', 'unit'],
    check: (state, { unit }) => {
      if (!unit.id || !unit.name) return 'unit needs an id and a name';
      if (unit.id === state.unit?.id) return `the case is already with unit ${unit.id}`;
      if (state.refusedBy.includes(unit.id)) return `unit ${unit.id} has already refused jurisdiction of this case`;
      return undefined;
    },
    apply(state, { actor, reason, unit }, now) {
      const previous = state.unit?.id;
      state.unit = unit;
      state.status = 'assigned';
      if (state.dispatchedAt === undefined) markDispatched(state, now);
      delete state.deadlines.dispatch;
      openWindow(state, now, state.policy.handlingWorkingDays);
      record(state, now, 'reassigned', actorName(actor), reason, { from: previous, to: unit.id, dueAt: state.deadlines.handling?.dueAt });
      notify(state, 'assignment', unitRecipient(state), { dueAt: state.deadlines.handling?.dueAt ?? '' });
    },
  },
  extend: {
    roles: ['supervisor'],
    from: handlingStatuses,
    required: ['reason', 'days'],
    check: (state, { days }) => checkDays(days, state.policy.maxExtensionWorkingDays),
    apply(state, { actor, reason, days }, now) {
      extendWindow(state, days, now);
      record(state, now, 'extended', actorName(actor), reason, { days, dueAt: state.deadlines.handling?.dueAt });
    },
  },
  escalate: {
    roles: ['supervisor'],
    from: handlingStatuses,
    required: ['reason'],
    check: (state, { tier, owners }) => {
      if (tier !== undefined && ![1, 2, 3].includes(tier)) return 'tier must be 1, 2 or 3';
      if (tier !== undefined && tier < state.escalation.tier) return `the case is already at tier ${state.escalation.tier}`;
      if (owners && (owners.length < 1 || owners.length > 2)) return 'one leader, or two for dual ownership';
      return undefined;
    },
    apply(state, { actor, reason, tier, owners }, now) {
      const target = (tier ?? Math.min(3, state.escalation.tier + 1)) as Escalation['tier'];
      escalate(state, target, reason, actorName(actor), now);
      if (owners) {
        state.escalation.owners = owners;
        state.outbox = state.outbox.filter((item) => item.type !== 'findLeaders');
        record(state, now, 'leaders_assigned', actorName(actor), undefined, { owners });
      }
    },
  },
  close: {
    roles: ['supervisor'],
    from: [...openStatuses, 'under_review'],
    required: ['reason'],
    apply(state, { actor, reason }, now) {
      close(state, reason, actorName(actor), now);
    },
  },
  reopen: {
    roles: ['supervisor'],
    from: ['closed', 'under_review'],
    required: ['reason'],
    check: (state) => (state.unit ? undefined : 'the case was never assigned to a unit; it cannot be reworked'),
    apply(state, { actor, reason }, now) {
      startRework(state, reason, actorName(actor), now);
    },
  },
  changeUrgency: {
    roles: ['supervisor'],
    from: openStatuses,
    required: ['reason', 'urgent'],
    check: (state, { urgent }) => (state.complaint.urgent === urgent ? `urgent is already ${urgent}` : undefined),
    apply(state, { actor, reason, urgent }, now) {
      state.complaint.urgent = urgent;
      if (urgent && !state.onSiteReportedAt) startRapidResponse(state, now);
      if (!isRapidResponse(state)) delete state.deadlines.rapidResponse;
      record(state, now, 'urgency_changed', actorName(actor), reason, { urgent });
    },
  },
};

/** Applies the table's rules; throws an ActionRejected failure the caller sees as the reason. */
export function validateAction<K extends ActionName>(state: CaseState, name: K, args: ActionArgsByName[K]): void {
  const spec = actions[name] as ActionSpec<ActionArgsByName[K]>;
  const reject = (reason: string) => {
    throw ApplicationFailure.create({ type: 'ActionRejected', message: reason, nonRetryable: true });
  };
  const actor = args?.actor;
  if (!actor?.role || !actor.id) return reject('actor with role and id is required');
  if (!spec.roles.includes(actor.role)) return reject(`${name} is not allowed for role ${actor.role}`);
  if (actor.role === 'unit' && actor.unitId !== state.unit?.id) {
    return reject(`unit ${actor.unitId ?? '?'} is not the unit handling this case`);
  }
  if (!spec.from.includes(state.status)) return reject(`cannot ${name} a case that is ${state.status}`);
  for (const field of spec.required) {
    const value = (args as unknown as Record<string, unknown>)[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return reject(`${field} is required`);
    }
  }
  const reason = spec.check?.(state, args);
  if (reason) reject(reason);
}

export function applyAction<K extends ActionName>(state: CaseState, name: K, args: ActionArgsByName[K], now: string): void {
  (actions[name] as ActionSpec<ActionArgsByName[K]>).apply(state, args, now);
}

/** A new case as its workflow starts it: registered, or merged at once into the open case that repeat detection found. */
export function registeredCase(input: ComplaintWorkflowInput, now: string): CaseState {
  const state = newCase(input, now);
  if (input.mergeInto) {
    applyAction(
      state,
      'merge',
      { actor: { role: 'system', id: 'repeat-detection' }, intoCaseId: input.mergeInto, reason: 'repeat of an open case' },
      now,
    );
  }
  return state;
}
