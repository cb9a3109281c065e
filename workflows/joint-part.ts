import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { Type, type Static, type TObject } from 'typebox';
import type { CalendarYear } from './calendar';
import { workingDeadline } from './deadlines';
import { Reason, resultFields } from './fields';
import type { Actor, Deadline, JointPartResult, Unit } from './model';

/**
 * 联合办理: one co-unit's part of a joint case, as a child workflow of the case. The co-unit signs
 * for it, then submits its part of the result or refuses the part, by its own deadline with its own
 * warnings. Progress (signed, warned, overdue) goes to the case by signal, for its timeline and
 * notices; the end (done, refused) is the child's result, which the case awaits, so the case's
 * history shows it as the child's completion. A supervisor who goes on without the part cancels it:
 * it then ends as waived.
 */

export interface JointPartInput {
  caseId: string;
  unit: Unit;
  task: string;
  assignedAt: string;
  workingDays: number;
  warningThresholds: [number, number];
  /** The case's calendar, as data: the part's deadlines count as the case's do. */
  calendar: CalendarYear[];
}

export const jointPartWorkflowId = (caseWorkflowId: string, unitId: string) => `${caseWorkflowId}-part-${unitId}`;

export const partStatuses = ['assigned', 'in_progress', 'done', 'refused', 'waived'] as const;
export type PartStatus = (typeof partStatuses)[number];

export interface PartState {
  caseId: string;
  unit: Unit;
  task: string;
  status: PartStatus;
  assignedAt: string;
  deadlines: { handling: Deadline; warning1: Deadline; warning2: Deadline };
  /** Deadlines already fired, by name. */
  fired: string[];
  acknowledgedAt?: string;
  warningLevel: 0 | 1 | 2;
  overdue: boolean;
  result?: JointPartResult;
  reason?: string;
  endedAt?: string;
  by?: string;
}

/** How a part ended: the case's child handle answers it. */
export type JointPartOutcome =
  { status: 'done'; result: JointPartResult } | { status: 'refused'; reason: string; by: string; at: string } | { status: 'waived' };

/** What the part tells the case while it runs. */
export type JointPartReport =
  | { unitId: string; event: 'acknowledged'; actor: Actor; at: string }
  | { unitId: string; event: 'warning'; level: 1 | 2; dueAt: string; at: string }
  | { unitId: string; event: 'overdue'; dueAt: string; at: string };

export const jointPartReported = defineSignal<[JointPartReport]>('jointPartReported');
export const getPart = defineQuery<PartState>('getPart');

const body = <P extends Record<string, TObject['properties'][string]>>(properties: P) => Type.Object(properties, { additionalProperties: false });

interface PartActionSpec<S extends TObject> {
  args: S;
  /** The route under /complaints/{id}/parts/{unitId}/ and its summary. */
  path: string;
  summary: string;
  from: readonly PartStatus[];
  apply: (part: PartState, args: Static<S> & { actor: Actor }, now: string) => void;
}
const partAction = <S extends TObject>(spec: PartActionSpec<S>): PartActionSpec<S> => spec;

/**
 * What the co-unit does on its part, as data: each is an Update of the part's workflow and a route
 * of the API (api/routes/joint-parts.ts) whose body and OpenAPI come from `args`. Only the co-unit
 * acts on its part.
 */
export const partActions = {
  acknowledge: partAction({
    args: body({}),
    path: 'acknowledge',
    summary: 'The co-unit signs for its part of a joint case (协办签收)',
    from: ['assigned'],
    apply(part, _args, now) {
      part.acknowledgedAt = now;
      part.status = 'in_progress';
    },
  }),
  submit: partAction({
    args: body(resultFields('街道办已配合现场核查，油烟净化器未开启')),
    path: 'result',
    summary: "The co-unit submits its part's result to the lead unit (协办反馈)",
    from: ['assigned', 'in_progress'],
    apply(part, { actor, finding, actions, reply }, now) {
      part.result = { finding, actions, reply, submittedAt: now, by: actor.id, onTime: now < part.deadlines.handling.dueAt };
      Object.assign(part, { status: 'done', endedAt: now, by: actor.id });
    },
  }),
  refuse: partAction({
    args: body({ reason: Reason }),
    path: 'refuse',
    summary: 'The co-unit refuses its part, with a reason (拒绝协办); the other parts go on',
    from: ['assigned', 'in_progress'],
    apply(part, { actor, reason }, now) {
      Object.assign(part, { status: 'refused', reason, endedAt: now, by: actor.id });
    },
  }),
};

export type PartActionName = keyof typeof partActions;
export type PartArgsByName = { [K in PartActionName]: Static<(typeof partActions)[K]['args']> & { actor: Actor } };
export const partActionNames = Object.keys(partActions) as PartActionName[];

export function partUpdate<K extends PartActionName>(name: K): UpdateDefinition<PartState, [PartArgsByName[K]], string> {
  return defineUpdate<PartState, [PartArgsByName[K]]>(`part.${name}`);
}

export function newPart(input: JointPartInput): PartState {
  const {
    calendar,
    assignedAt,
    workingDays,
    warningThresholds: [first, second],
  } = input;
  return {
    caseId: input.caseId,
    unit: input.unit,
    task: input.task,
    status: 'assigned',
    assignedAt,
    // As the case's own handling window (openWindow): the warnings at the policy's shares of the window.
    deadlines: {
      handling: workingDeadline(calendar, assignedAt, workingDays),
      warning1: workingDeadline(calendar, assignedAt, workingDays * first),
      warning2: workingDeadline(calendar, assignedAt, workingDays * second),
    },
    fired: [],
    warningLevel: 0,
    overdue: false,
  };
}

const open = (part: PartState) => part.status === 'assigned' || part.status === 'in_progress';

/** Why the actor may not take the action on the part; NotInScope for anyone but the co-unit (the API answers 404). */
export function validatePartAction<K extends PartActionName>(part: PartState, name: K, args: PartArgsByName[K]): void {
  const reject = (message: string, type = 'ActionRejected') => {
    throw ApplicationFailure.create({ type, message, nonRetryable: true });
  };
  const actor = (args as Partial<PartArgsByName[K]> | undefined)?.actor;
  if (!actor?.role || !actor.id) return reject('actor with role and id is required');
  if (actor.role !== 'unit' || actor.unitId !== part.unit.id) return reject(`only unit ${part.unit.id} acts on its part`, 'NotInScope');
  const spec = partActions[name];
  if (!spec.from.includes(part.status)) return reject(`cannot ${name} a part that is ${part.status}`);
  for (const field of spec.args.required ?? []) {
    const value = (args as unknown as Record<string, unknown>)[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return reject(`${field} is required`);
  }
}

function applyPartAction<K extends PartActionName>(part: PartState, name: K, args: PartArgsByName[K], now: string): void {
  // TypeScript cannot narrow the table's union of entries by a generic key: the entry for K takes K's arguments.
  const apply = partActions[name].apply as (part: PartState, args: PartArgsByName[K], now: string) => void;
  apply(part, args, now);
}

/** Fires what fell due, earliest first; returns the reports for the case. */
export function fireDue(part: PartState, now: number): JointPartReport[] {
  const at = new Date(now).toISOString();
  const due = (Object.entries(part.deadlines) as [keyof PartState['deadlines'], Deadline][])
    .filter(([name, d]) => !part.fired.includes(name) && Date.parse(d.dueAt) <= now)
    .sort(([, a], [, b]) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const reports: JointPartReport[] = [];
  for (const [name] of due) {
    part.fired.push(name);
    if (!open(part)) continue;
    const dueAt = part.deadlines.handling.dueAt;
    if (name === 'handling') {
      part.overdue = true;
      reports.push({ unitId: part.unit.id, event: 'overdue', dueAt, at });
    } else {
      const level = name === 'warning1' ? 1 : 2;
      part.warningLevel = level;
      reports.push({ unitId: part.unit.id, event: 'warning', level, dueAt, at });
    }
  }
  return reports;
}

function nextDueAt(part: PartState): number | undefined {
  const times = Object.entries(part.deadlines)
    .filter(([name]) => !part.fired.includes(name))
    .map(([, d]) => Date.parse(d.dueAt));
  return times.length > 0 ? Math.min(...times) : undefined;
}

export async function jointPartWorkflow(input: JointPartInput): Promise<JointPartOutcome> {
  const part = newPart(input);
  const parent = workflowInfo().parent;
  let revision = 0;
  const sent: Promise<void>[] = [];
  const report = (r: JointPartReport) => {
    if (!parent) return;
    // The case may have ended meanwhile: its part has nobody left to tell.
    sent.push(
      getExternalWorkflowHandle(parent.workflowId)
        .signal(jointPartReported, r)
        .catch(() => undefined),
    );
  };
  const handle = <K extends PartActionName>(name: K) =>
    setHandler(
      partUpdate(name),
      (args: PartArgsByName[K]) => {
        const now = new Date().toISOString();
        applyPartAction(part, name, args, now);
        if (name === 'acknowledge') report({ unitId: part.unit.id, event: 'acknowledged', actor: args.actor, at: now });
        revision += 1;
        return part;
      },
      { validator: (args: PartArgsByName[K]) => validatePartAction(part, name, args) },
    );
  for (const name of partActionNames) handle(name);
  setHandler(getPart, () => part);

  try {
    while (open(part)) {
      for (const r of fireDue(part, Date.now())) report(r);
      const seen = revision;
      const next = nextDueAt(part);
      await condition(() => revision !== seen || !open(part), next === undefined ? undefined : Math.max(next - Date.now(), 1));
    }
    await condition(allHandlersFinished);
    await Promise.all(sent);
  } catch (err) {
    // The case went on without the part (a supervisor waived it) or ended: the part is waived.
    if (!isCancellation(err)) throw err;
    part.status = 'waived';
    return { status: 'waived' };
  }
  if (part.status === 'done') return { status: 'done', result: part.result! };
  return { status: 'refused', reason: part.reason ?? '', by: part.by ?? '', at: part.endedAt ?? '' };
}
