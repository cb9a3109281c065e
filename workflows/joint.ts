import { notify, record, registrarRecipient, unitRecipient, workflowIdFor } from './case';
import { workingDeadline } from './deadlines';
import type { JointPartOutcome, JointPartReport } from './joint-part';
import { jointPartWorkflowId } from './joint-part';
import type { Actor, CaseFacts, CaseState, JointPart, Unit } from './model';

/**
 * 联合办理 on the case's side: the co-units' parts as the case keeps them, and what it does when a
 * part is assigned, reports, ends or is waived. Synchronous and free of I/O like workflows/case.ts:
 * the parts' child workflows are started and cancelled by workflows/joint-runner.ts.
 */

/** Working days of a part when the case's policy predates joint handling. */
const defaultPartWorkingDays = 10;

export const jointPartsOf = (state: Pick<CaseFacts, 'jointParts'>): JointPart[] => state.jointParts ?? [];

/** The parts still being worked: the lead unit's result waits for them. */
export const workingParts = (state: Pick<CaseFacts, 'jointParts'>): JointPart[] => jointPartsOf(state).filter((p) => p.status === 'working');

const partRecipient = (unitId: string) => `unit:${unitId}`;

/** Why a co-unit cannot take a part of this case, if it cannot. */
export function checkCoUnit(state: CaseState, unit: Unit, seen: Set<string>): string | undefined {
  if (!unit.id || !unit.name) return 'coUnits: each unit needs an id and a name';
  if (unit.id === state.unit?.id) return `coUnits: unit ${unit.id} is the lead unit of this case`;
  if (state.refusedBy.includes(unit.id)) return `coUnits: unit ${unit.id} has already refused jurisdiction of this case`;
  if (jointPartsOf(state).some((p) => p.unit.id === unit.id)) return `coUnits: unit ${unit.id} already has a part in this case`;
  if (seen.has(unit.id)) return `coUnits: unit ${unit.id} is named twice`;
  seen.add(unit.id);
  return undefined;
}

/** Gives each co-unit its part; their child workflows start once the action is in (joint-runner). */
export function assignParts(state: CaseState, coUnits: { unit: Unit; task: string }[], actor: Actor, now: string): void {
  const days = state.policy.jointPartWorkingDays ?? defaultPartWorkingDays;
  const dueAt = workingDeadline(state.calendar, now, days).dueAt;
  const caseWorkflowId = workflowIdFor(state.complaint.id);
  const parts = coUnits.map(({ unit, task }): JointPart => ({
    unit,
    task,
    status: 'working',
    workflowId: jointPartWorkflowId(caseWorkflowId, unit.id),
    assignedAt: now,
    assignedBy: actor.id,
    dueAt,
    warningLevel: 0,
    overdue: false,
  }));
  (state.jointParts ??= []).push(...parts);
  record(state, now, 'joint_assigned', actor, undefined, { lead: state.unit?.id, coUnits: parts.map((p) => ({ unit: p.unit.id, task: p.task })), dueAt });
  for (const part of parts) notify(state, 'joint_part', partRecipient(part.unit.id), { event: 'assigned', unit: part.unit.name, task: part.task, dueAt });
}

/** A supervisor goes on without the parts still being worked: their child workflows are cancelled (joint-runner). */
export function waiveParts(state: CaseState, reason: string, now: string): JointPart[] {
  const waived = workingParts(state);
  for (const part of waived) Object.assign(part, { status: 'waived', reason, endedAt: now });
  return waived;
}

/** What a part told the case while it runs: on its timeline, and to whom it concerns. */
export function partReported(state: CaseState, report: JointPartReport, now: string): boolean {
  const part = workingParts(state).find((p) => p.unit.id === report.unitId);
  if (!part) return false;
  const data = { unit: part.unit.id };
  switch (report.event) {
    case 'acknowledged':
      part.acknowledgedAt = report.at;
      record(state, now, 'joint_part_acknowledged', report.actor, undefined, data);
      return true;
    case 'warning':
      part.warningLevel = report.level;
      record(state, now, 'joint_part_warning', 'system:timer', undefined, { ...data, level: report.level, dueAt: report.dueAt });
      notify(state, 'warning', partRecipient(part.unit.id), { level: report.level, dueAt: report.dueAt });
      return true;
    case 'overdue':
      part.overdue = true;
      record(state, now, 'joint_part_overdue', 'system:timer', undefined, { ...data, dueAt: report.dueAt });
      notify(state, 'supervision', partRecipient(part.unit.id), { reason: 'joint part deadline passed', dueAt: report.dueAt });
      // The lead unit consolidates: it hears that a part it waits for is late.
      notify(state, 'joint_part', unitRecipient(state), { event: 'overdue', unit: part.unit.name, dueAt: report.dueAt });
      return true;
  }
}

/**
 * A part's child workflow ended: its result for the lead unit to consolidate, or its refusal, which
 * leaves the other parts as they are. The lead unit and the first receiver hear of it.
 */
export function partEnded(state: CaseState, unitId: string, outcome: JointPartOutcome, now: string): boolean {
  const part = workingParts(state).find((p) => p.unit.id === unitId);
  if (!part || outcome.status === 'waived') return false;
  if (outcome.status === 'done') {
    const { result } = outcome;
    Object.assign(part, { status: 'done', result, endedAt: now });
    record(state, now, 'joint_part_done', `unit:${result.by}`, result.reply, {
      unit: unitId,
      finding: result.finding,
      actions: result.actions,
      onTime: result.onTime,
    });
    notify(state, 'joint_part', unitRecipient(state), { event: 'done', unit: part.unit.name });
    return true;
  }
  Object.assign(part, { status: 'refused', reason: outcome.reason, endedAt: now });
  record(state, now, 'joint_part_refused', `unit:${outcome.by}`, outcome.reason, { unit: unitId });
  for (const recipient of [unitRecipient(state), registrarRecipient(state)]) {
    notify(state, 'joint_part', recipient, { event: 'refused', unit: part.unit.name, reason: outcome.reason });
  }
  return true;
}
