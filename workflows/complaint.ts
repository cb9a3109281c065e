import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { applyAction, applyRule, registeredCase, validateAction, type ActionArgsByName, type RuleArgsByName } from './actions';
import type { CaseActivities } from './activities';
import { shanghaiYear } from './calendar';
import { applyCalendar, finished, mergedReport, notify, record, resumed, view, workflowIdFor } from './case';
import { dueDeadlines, nextDueAt } from './deadlines';
import { actionNames, actionUpdate, calendarPublished, getCase, repeatReported, repeatSplit, selectedForSpotCheck } from './definitions';
import { type CaseState, type CaseSnapshot, type ComplaintWorkflowInput, type OutboxItem } from './model';
import { actionOutcome, projectionOf, summaryOf } from './projection';
import { DeadlineTimer } from './deadline-timer';
import { partReported, workingParts } from './joint';
import { jointPartReported } from './joint-part';
import { runJointParts } from './joint-runner';
import { reviewWindowOver, fireDeadline } from './timers';
import { searchAttributesOf } from './visibility';

const { projectCase, recordNotice, recordChange, findLeaders, calendarYears } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage delays the read side; it must never lose a notice or an event.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const nowIso = () => new Date().toISOString();

/**
 * One complaint from registration to closure (docs/domain.md, steps 1–11). Actions arrive as
 * Updates and change the state at once; deadlines are named timers in the state, fired by the loop
 * below; notices and the Postgres projection leave through an outbox that activities empty.
 */
export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<CaseSnapshot> {
  const { workflowId } = workflowInfo();
  // Repeat detection may have found an open case about the same problem: the report then joins it.
  // A case registered by this code takes today's rules; replaying one registered before the
  // rapid-response rule (no marker in its history) takes the old one, and keeps it to the end.
  const state: CaseState = input.resume
    ? resumed(input.resume)
    : registeredCase(input, nowIso(), {
        rapidResponseByPolicy: patched('rapid-response-by-policy'),
        tellsComplainantEveryStep: patched('complainant-told-every-step'),
        mergeConfirmation: input.mergeInto !== undefined && patched('merge-confirmation'),
      });
  // Issue 16: a change's notices and projection in one activity, the deadline timer restarted only
  // when the deadline moves, and only the search attributes and memo that changed are written.
  // Cases started before keep the old ways to their end (no marker in their histories).
  const lean = patched('lean-case');
  let revision = 0;
  const publish = lean ? publishChanges() : publishAll();

  /** After every change: wake the loop and keep the Temporal UI's attributes and memo current. */
  const changed = () => {
    revision += 1;
    publish(state);
  };

  for (const name of actionNames) {
    setHandler(
      actionUpdate(name),
      async (args) => {
        const since = state.timeline.length;
        applyAction(state, name, args, nowIso());
        changed();
        // An action that escalated answers with the owners in place, so a leader acting on the
        // answer finds the case theirs (before, the outbox named them a moment later).
        const asked = state.outbox.find((item) => item.type === 'findLeaders');
        if (asked?.type === 'findLeaders' && state.escalation.owners.length === 0 && patched('owners-in-answer')) {
          // Bounded: with the directory unreachable the answer goes out without owners, well
          // within the API's deadline, and the outbox keeps asking.
          let settled = false;
          void assignLeaders(state, asked.tier, changed).finally(() => (settled = true));
          await condition(() => settled, '5 seconds');
        }
        return actionOutcome(state, since);
      },
      { validator: (args: ActionArgsByName[typeof name]) => validateAction(state, name, args) },
    );
  }
  setHandler(getCase, () => view(state, workflowId));
  const byRule =
    <K extends keyof RuleArgsByName>(name: K) =>
    (args: RuleArgsByName[K]) => {
      if (applyRule(state, name, args, nowIso())) changed();
    };
  setHandler(repeatReported, byRule('repeatReported'));
  setHandler(selectedForSpotCheck, byRule('selectedForSpotCheck'));
  setHandler(repeatSplit, byRule('repeatSplit'));
  setHandler(calendarPublished, ({ years }) => {
    // Issue 18: an official year that moves a missed deadline past now clears the overdue mark.
    applyCalendar(state, years, nowIso(), patched('calendar-clears-overdue'));
    changed();
  });
  // 联合办理: a co-unit's part reports its progress (signed, warned, overdue); its end is its result.
  setHandler(jointPartReported, (report) => {
    if (partReported(state, report, nowIso())) changed();
  });

  changed();
  const outbox = runOutbox(state, () => changed(), lean);
  const parts = runJointParts(state, () => changed());
  const limit = input.continueAsNewAfterEvents ?? 10_000;
  const timer = lean ? new DeadlineTimer() : undefined;

  while (!finished(state) && !reviewWindowOver(state)) {
    await coverCalendarYears(state);
    const due = dueDeadlines(state, Date.now());
    for (const [name, deadline] of due) fireDeadline(state, name, deadline, nowIso());
    if (due.length > 0) {
      changed();
      continue;
    }
    const info = workflowInfo();
    // Not while joint parts run: their child workflows belong to this run, and the parent close
    // policy would cancel them on continue-as-new. The case continues once they are done.
    const partsSettled = parts.idle() && workingParts(state).length === 0;
    if ((info.continueAsNewSuggested || info.historyLength >= limit) && partsSettled) {
      await outbox.drain();
      await condition(allHandlersFinished);
      return continueAsNew<typeof complaintWorkflow>({ ...input, resume: state });
    }
    const seen = revision;
    const next = nextDueAt(state);
    if (timer) {
      timer.arm(next);
      await condition(() => revision !== seen || timer.fired);
    } else {
      await condition(() => revision !== seen, next === undefined ? undefined : Math.max(next - Date.now(), 1));
    }
  }

  timer?.arm(undefined);
  await condition(allHandlersFinished);
  await outbox.drain();
  log.info('case finished', { status: state.status });
  return view(state, workflowId);
}

/** The old way: every attribute and the memo again whenever any of them changed. */
function publishAll(): (state: CaseState) => void {
  let published = '';
  return (state) => {
    const attributes = searchAttributesOf(state);
    const signature = JSON.stringify(attributes) + summaryOf(state);
    if (signature === published) return;
    published = signature;
    upsertSearchAttributes(attributes);
    upsertMemo({ summary: summaryOf(state) });
  };
}

/**
 * Only what changed: each search attribute whose value differs from what the workflow carries
 * (what the start set, at first), and the memo when its summary differs.
 */
function publishChanges(): (state: CaseState) => void {
  const { typedSearchAttributes, memo } = workflowInfo();
  const shown = (value: unknown) => JSON.stringify(value ?? null);
  const published = new Map<string, string>();
  let summary = typeof memo?.summary === 'string' ? memo.summary : undefined;
  return (state) => {
    const changes = searchAttributesOf(state).filter((pair) => {
      const current = published.get(pair.key.name) ?? shown(typedSearchAttributes.get(pair.key));
      return current !== shown(pair.value);
    });
    if (changes.length > 0) {
      upsertSearchAttributes(changes);
      for (const pair of changes) published.set(pair.key.name, shown(pair.value));
    }
    if (summaryOf(state) !== summary) {
      summary = summaryOf(state);
      upsertMemo({ summary });
    }
  };
}

/** Keeps the calendar one year ahead of today, so deadline arithmetic never meets a missing year. */
async function coverCalendarYears(state: CaseState): Promise<void> {
  const year = shanghaiYear(Date.now());
  const missing = [year, year + 1].filter((y) => !state.calendar.some((c) => c.year === y));
  if (missing.length === 0) return;
  state.calendar = [...state.calendar, ...(await calendarYears(missing))].sort((a, b) => a.year - b.year);
}

/**
 * Gives an escalated case its owners from the leader directory, unless it has them by now (the
 * outbox and an action's answer may both ask; the first answer counts).
 */
async function assignLeaders(state: CaseState, tier: number, changed: () => void): Promise<void> {
  const wanted = () => state.escalation.tier === tier && state.escalation.owners.length === 0;
  if (!wanted()) return;
  const owners = await findLeaders({ caseId: state.complaint.id, tier, district: state.complaint.location.district });
  if (!wanted()) return;
  state.escalation.owners = owners;
  if (owners.length > 0) {
    record(state, nowIso(), 'leaders_assigned', 'system:directory', undefined, { owners, tier });
    for (const owner of owners) notify(state, 'escalation', `leader:${owner.leaderId}`, { tier });
  } else {
    record(state, nowIso(), 'leader_missing', 'system:directory', undefined, { tier });
    notify(state, 'supervision', 'supervisor', { reason: `no leader of tier ${tier} on file: designate one` });
  }
  changed();
}

/**
 * Empties the outbox in order through activities, beside the main loop so a slow database delays
 * notices but never a deadline.
 */
function runOutbox(state: CaseState, changed: () => void, lean: boolean) {
  let busy = false;
  const pending = () => state.outbox.length > 0 || (state.timeline.at(-1)?.seq ?? 0) > state.projectedSeq;

  const deliver = async (item: OutboxItem) => {
    switch (item.type) {
      case 'notice':
        await recordNotice({ caseId: state.complaint.id, notice: item.notice });
        return;
      case 'merge':
        try {
          await getExternalWorkflowHandle(workflowIdFor(item.intoCaseId)).signal(repeatReported, mergedReport(state));
        } catch (err) {
          record(state, nowIso(), 'merge_target_unreachable', 'system:outbox', String(err), { intoCaseId: item.intoCaseId });
        }
        return;
      case 'split':
        // The case merged into, if still running, drops the report; one already over keeps it in its history.
        await getExternalWorkflowHandle(workflowIdFor(item.fromCaseId))
          .signal(repeatSplit, { caseId: state.complaint.id })
          .catch((err: unknown) => record(state, nowIso(), 'merge_target_unreachable', 'system:outbox', String(err), { intoCaseId: item.fromCaseId }));
        return;
      case 'findLeaders':
        await assignLeaders(state, item.tier, changed);
        return;
    }
  };

  /**
   * One activity for what a change left: its notices, then the projection. Notices ahead of a
   * merge or a leaders' lookup go before it, without the projection, which waits for the notices
   * behind: once the projection shows an entry, the notices it caused are stored too.
   */
  const recordLean = async () => {
    while (pending()) {
      const leading = state.outbox.findIndex((item) => item.type !== 'notice');
      const count = leading === -1 ? state.outbox.length : leading;
      const notices = state.outbox.slice(0, count).flatMap((item) => (item.type === 'notice' ? [item.notice] : []));
      if (leading === -1) {
        const events = state.timeline.filter((e) => e.seq > state.projectedSeq);
        const projection = events.length > 0 ? { projection: projectionOf(state, workflowInfo().workflowId), events } : {};
        await recordChange({ caseId: state.complaint.id, notices, ...projection });
        state.outbox.splice(0, count);
        if (events.length > 0) state.projectedSeq = events.at(-1)!.seq;
      } else if (count > 0) {
        await recordChange({ caseId: state.complaint.id, notices });
        state.outbox.splice(0, count);
      } else {
        await deliver(state.outbox[0]!);
        state.outbox.shift();
      }
    }
  };

  const loop = async () => {
    for (;;) {
      await condition(pending);
      busy = true;
      if (lean) {
        await recordLean();
        busy = false;
        continue;
      }
      // Notices first: once the projection shows an entry, the notices it caused are stored too.
      while (state.outbox.length > 0) {
        await deliver(state.outbox[0]!);
        state.outbox.shift();
      }
      const events = state.timeline.filter((e) => e.seq > state.projectedSeq);
      if (events.length > 0) {
        await projectCase({ projection: projectionOf(state, workflowInfo().workflowId), events });
        state.projectedSeq = events.at(-1)!.seq;
      }
      busy = false;
    }
  };
  void loop();
  return { drain: () => condition(() => !busy && !pending()) };
}
