import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';
import type { CaseEvent } from '../db/cases';
import { awaitingDispatch, dispatchMissed, dispatchOverdue } from '../workflows/case';
import {
  attachmentKinds,
  attachmentTypes,
  callbackOutcomes,
  channels,
  deadlineNames,
  enforcementActions,
  findings,
  jointPartStatuses,
  ownerKinds,
  pauseParties,
  statuses,
  timelineKinds,
  unitLevels,
  type ActionOutcome,
  type AttachmentRef,
  type CallbackAttempt,
  type CaseSnapshot,
  type Channel,
  type DeadlineName,
  type JointPart,
  type Status,
  type TimelineEntry,
  type TimelineKind,
} from '../workflows/model';
import { currentDueAt, type CaseProjection } from '../workflows/projection';
import { firstReceiverOf, isArchived, registrationEvent, type ArchivedCase, type CaseRecord } from './archived-case';

/**
 * The case as the API shows it (GET /complaints/{id}): what a person
 * at a desk needs, the same shape for a live case and an archived one. Built by `caseView` from
 * the workflow's snapshot or from the read side's row and events; the workflow's own bookkeeping
 * (policy, handling windows, how deadlines were computed, fired timers, outbox) stays inside.
 * Fastify serializes by this schema: a field it does not declare never reaches a client.
 *
 * Fields marked "absent when archived" are not kept by the read side: an archived case shows its
 * row, the last projection its events carry and its timeline, which holds the rest.
 */

const Instant = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const closed = <T extends Record<string, TSchema>>(properties: T, options: { description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

const ComplainantView = closed(
  {
    anonymous: Type.Boolean(),
    name: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    idNumber: Type.Optional(Type.String()),
  },
  {
    description:
      'Identity and contact, masked (王***, 137********) for every role: registrars and supervisors unmask them with a reason at `POST /complaints/{id}/identity`, which is recorded. An archived case keeps only `anonymous`.',
  },
);

const ComplaintView = closed({
  id: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  channel: Type.Enum(channels),
  category: Type.String({ examples: ['water'] }),
  description: Type.Optional(Type.String({ description: 'Absent when archived.' })),
  location: closed({
    address: Type.String(),
    district: Type.String(),
    lat: Type.Optional(Type.Number()),
    lng: Type.Optional(Type.Number()),
  }),
  polluter: Type.Optional(Type.String()),
  industry: Type.Optional(Type.String({ description: "The polluter's industry, when known." })),
  complainant: ComplainantView,
  evidence: Type.Optional(Type.Array(Type.String(), { description: 'Links to photos, videos, documents. Absent when archived.' })),
  urgent: Type.Boolean(),
  collective: Type.Optional(
    closed({ complainants: Type.Integer({ minimum: 2 }) }, { description: '集体信访: a report made by several people together, and how many.' }),
  ),
  receivedAt: Type.Optional(Instant('When the complaint reached the bureau; the deadlines count from here. Absent when archived.')),
  firstReceiver: Type.Optional(
    Type.String({ description: 'The first receiver (首接负责人): the registrar or integrator who registered the case and owns it to the end.' }),
  ),
  repeatOf: Type.Array(Type.String(), {
    description: 'Earlier cases this one repeats, found at registration: about the same polluter in any category, or of its category at the same place.',
  }),
  nearby: Type.Optional(Type.Array(Type.String(), { description: 'Cases at the same place about another named polluter: different cases, linked.' })),
  workOrder: Type.Optional(
    closed(
      { number: Type.String({ description: '工单号' }), dueAt: Type.Optional(Type.String({ description: "the platform's deadline, as it wrote it" })) },
      { description: 'The hotline work order (工单) the case came as.' },
    ),
  ),
  queryCode: Type.Optional(
    Type.String({ description: 'The query code (查询码) told the complainant at acceptance: with the case number, it reads the progress at `POST /status`.' }),
  ),
});

const DeadlineView = (description: string) =>
  closed(
    {
      dueAt: Instant('Exclusive end: 00:00 Shanghai after the last counted working day, or the exact minute of a wall-clock deadline.'),
      provisional: Type.Boolean({ description: 'Rests on a year whose official holiday schedule is not yet published: may move when it is.' }),
      workingDays: Type.Boolean({
        description:
          "Counted in working days of the bureau's calendar (GET /calendar/{year}), so time left is too; false: on the wall clock (rapid response, leader review, review window).",
      }),
    },
    { description },
  );

const deadlineDescriptions: Record<DeadlineName, string> = {
  dispatch: 'Assign the case to its first unit (working days by channel).',
  handling: 'The unit submits its result (working days; a rework opens a new one).',
  warning1: 'First warning to the unit, at a share of the handling time.',
  warning2: "Second warning, to the unit's superior too.",
  escalation: "Still overdue then (the handling deadline plus the policy's gap): leader ownership, tier 1.",
  callback: 'Call the complainant back about the result.',
  rapidResponse: 'Urgent cases and rapid-response categories: the first on-site report (minutes).',
  leaderReview: 'Review of a leader-owned case: still overdue then means one tier up.',
  reviewWindow: 'After closure: the case may be drawn for a spot check until then.',
  rewardPayment: 'Pay the reward of a substantiated report (有奖举报).',
  extensionDecision: "A supervisor decides the unit's extension request (working days, policy `extensionDecisionWorkingDays`).",
  resultReview: 'The bureau reviews a result before its reply reaches the complainant (working days, policy `resultReviewWorkingDays`).',
  spotCheck: 'A supervisor decides the spot check of a case drawn for it (working days, policy `spotCheckWorkingDays`).',
  supervisionReply: "The unit answers a supervisor's supervision order (督办) (working days, policy `supervisionReplyWorkingDays`).",
  pauseAnswer: 'The answer a stopped clock waits for (中止): the clock runs again then, answered or not.',
  mergeDecision: 'A registrar confirms or splits a merge made by repeat detection; after it, the merge stands (policy `mergeDecisionWorkingDays`).',
};

const DeadlinesView = closed(
  Object.fromEntries(deadlineNames.map((name) => [name, Type.Optional(DeadlineView(deadlineDescriptions[name]))])) as {
    [K in DeadlineName]: ReturnType<typeof Type.Optional<ReturnType<typeof DeadlineView>>>;
  },
  { description: 'The deadlines running now, by name; one that passed or no longer applies is gone. Empty when archived.' },
);

const UnitView = closed({
  id: Type.String(),
  name: Type.String(),
  level: Type.Enum(unitLevels),
  version: Type.Optional(Type.Integer({ minimum: 1, description: "The registry's version of the unit the case was given; later changes leave it." })),
});

/** Who did it: the account id of the person (`officer-a`), or an integrator's key id, without the role the timeline's actors carry. */
const ActorId = (description: string) => Type.String({ description, examples: ['officer-a'] });
const CallbackAttemptView = closed({
  outcome: Type.Enum(callbackOutcomes),
  note: Type.Optional(Type.String()),
  at: Instant(),
  by: ActorId('Who called.'),
  for: Type.Optional(Type.String({ description: 'The merged report whose complainant was called; absent: the first complainant.' })),
});

const ResultView = (description: string) =>
  closed(
    {
      finding: Type.Enum(findings),
      actions: Type.Array(Type.Enum(enforcementActions)),
      reply: Type.String({ description: 'The reply to the complainant, or a co-unit’s account of its part.' }),
      submittedAt: Instant(),
      by: ActorId('Who submitted it.'),
      onTime: Type.Boolean({ description: 'Within the (possibly extended) deadline.' }),
    },
    { description },
  );

export const JointPartSchema = Type.Object(
  {
    unit: UnitView,
    task: Type.String({ description: 'What the co-unit is asked to do.' }),
    status: Type.Enum(jointPartStatuses, {
      description:
        '`working` until the co-unit submits (`done`) or refuses (`refused`), or a supervisor goes on without it (`waived`, also when the case ends).',
    }),
    workflowId: Type.String({ description: "The part's child workflow.", examples: ['complaint-20261124-3f9a0c1b2d-part-unit-b'] }),
    assignedAt: Instant(),
    assignedBy: ActorId('Who gave the part.'),
    dueAt: Instant("The part's own deadline (working days, policy `jointPartWorkingDays`)."),
    acknowledgedAt: Type.Optional(Instant('When the co-unit signed for it.')),
    warningLevel: Type.Integer({ minimum: 0, maximum: 2, description: 'Warnings raised on the part: 0 none, 1 and 2 at the policy’s shares of its time.' }),
    overdue: Type.Boolean({ description: "The part's deadline passed while it was worked." }),
    result: Type.Optional(ResultView("The co-unit's result for its part, for the lead unit to consolidate.")),
    reason: Type.Optional(Type.String({ description: 'Why it was refused, or waived.' })),
    endedAt: Type.Optional(Instant()),
  },
  { $id: 'JointPart', additionalProperties: false },
);

export type JointPartView = Static<typeof JointPartSchema>;

export const TimelineEntrySchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, description: 'Position in the case, from 1, without gaps.' }),
    at: Instant(),
    kind: Type.Enum(timelineKinds),
    actor: Type.String({
      description: '`role:account` of who did it (the key id for an integrator); `system:timer`, `system:policy`… for the workflow itself.',
      examples: ['registrar:reg-1'],
    }),
    actorName: Type.Optional(Type.String({ description: 'The name of the person who did it.', examples: ['张登记'] })),
    note: Type.Optional(Type.String({ description: 'What the person wrote: a reason, a note, a report.' })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Structured detail, by kind (a unit, a due time, an outcome…).' })),
  },
  { $id: 'TimelineEntry', additionalProperties: false },
);

export const AttachmentSchema = Type.Object(
  {
    id: Type.String({ description: 'Its id: the file is at `GET /complaints/{id}/attachments/{attachmentId}`.', examples: ['q3Vb0m1aT2yJ5kQ9xW8cZA'] }),
    kind: Type.Enum(attachmentKinds),
    name: Type.String({ description: 'The file name as the uploader gave it.', examples: ['现场照片.jpg'] }),
    mimeType: Type.Enum(attachmentTypes, { description: 'The type its content shows (not its name).' }),
    size: Type.Integer({ minimum: 1, description: 'Bytes.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, hex: checked on every download.' }),
    by: ActorId('Who attached it.'),
    at: Instant(),
  },
  { $id: 'Attachment', additionalProperties: false },
);

export type AttachmentView = Static<typeof AttachmentSchema>;

export const CaseViewSchema = Type.Object(
  {
    workflowId: Type.String({ examples: ['complaint-20261124-3f9a0c1b2d'] }),
    archived: Type.Boolean({
      description:
        'The case is over and Temporal no longer keeps its workflow: the view is rebuilt from the read side, fields marked "absent when archived" are missing, `deadlines` is empty and actions answer 409 case-archived.',
    }),
    status: Type.Enum(statuses),
    onDuty: Type.Union([Type.String(), Type.Null()], {
      description: 'Who must act next (`registrar:reg-1`, `unit:unit-a`, `supervisor`); null once the case is over, and when archived.',
    }),
    complaint: ComplaintView,
    registeredAt: Instant(),
    acceptedAt: Type.Optional(Instant()),
    dispatchedAt: Type.Optional(Instant('When the case first reached a unit.')),
    dispatchedOnTime: Type.Union([Type.Boolean(), Type.Null()], {
      description:
        'Reached its first unit within the dispatch deadline (the timely acceptance rate); false as soon as that deadline passes unassigned; null until either.',
    }),
    dispatchOverdue: Type.Boolean({ description: 'Still waiting for its first unit after the dispatch deadline passed.' }),
    dispatchOverdueAt: Type.Optional(Instant('When the dispatch deadline passed before the case reached a unit (kept once it did).')),
    unit: Type.Optional(UnitView),
    dutyOfficer: Type.Optional(Type.String({ description: "The unit's officer in charge, when the assignment named one. Absent when archived." })),
    onSiteReportedAt: Type.Optional(Instant('First on-site report. Absent when archived.')),
    refusedBy: Type.Optional(Type.Array(Type.String(), { description: 'Units that refused jurisdiction. Absent when archived.' })),
    dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'The deadline that matters now (dispatch, then handling or rework, then callback), as lists show it.',
    }),
    deadlines: DeadlinesView,
    warnings: Type.Optional(
      Type.Array(closed({ level: Type.Enum([1, 2]), at: Instant() }), { description: 'Warnings of the handling deadline so far. Absent when archived.' }),
    ),
    overdue: Type.Boolean({ description: 'The handling (or rework) deadline passed without a result.' }),
    extension: Type.Optional(
      closed(
        {
          days: Type.Integer({ minimum: 1 }),
          reason: Type.String(),
          requestedBy: ActorId('Who asked for it.'),
          requestedAt: Instant(),
          decision: Type.Optional(Type.Enum(['approved', 'denied'])),
          decidedBy: Type.Optional(ActorId('Who decided.')),
          decidedAt: Type.Optional(Instant()),
        },
        { description: 'The extension the unit asked for, one per handling window; no decision yet while pending. Absent when archived.' },
      ),
    ),
    result: Type.Optional(ResultView("The unit's latest result (办结反馈). Absent when archived.")),
    jointParts: Type.Optional(
      Type.Array(JointPartSchema, {
        description:
          "联合办理: the co-units' parts, oldest first; the lead unit's result waits for every part still `working`. Absent when archived (the timeline keeps them).",
      }),
    ),
    callbacks: Type.Array(CallbackAttemptView, { description: 'Callback attempts (回访) since the latest result.' }),
    callbackRounds: Type.Array(Type.Array(CallbackAttemptView), {
      description: 'The callback rounds before, one per rework, oldest first: the first is the first-time satisfaction (一次办理满意率).',
    }),
    reworkCount: Type.Integer({ minimum: 0, description: 'Times returned to the unit for rework (退回整改).' }),
    pauses: Type.Optional(
      Type.Array(
        closed({
          awaiting: Type.Enum(pauseParties),
          party: Type.Optional(Type.String({ description: 'The third party asked (检测机构…).' })),
          question: Type.String({ description: 'What is missing.' }),
          by: ActorId('Who stopped the clock.'),
          at: Instant(),
          dueAt: Instant("The answer's deadline."),
          resumedAt: Type.Optional(Instant('When the clock ran again.')),
          answer: Type.Optional(Type.String()),
          expired: Type.Optional(Type.Boolean({ description: 'No answer by its deadline: the clock ran again without it.' })),
          workingDays: Type.Optional(Type.Integer({ minimum: 0, description: "Working days the clock's deadlines moved by." })),
        }),
        {
          description:
            'The stops of the clock for missing information (中止/补充材料), oldest first; the last stops it while it has no `resumedAt`. Absent when archived.',
        },
      ),
    ),
    supervisions: Type.Optional(
      Type.Array(
        closed({
          note: Type.String({ description: 'What the supervisor asks.' }),
          by: ActorId('The supervisor.'),
          at: Instant(),
          dueAt: Instant('The reply deadline.'),
          reply: Type.Optional(closed({ note: Type.String(), by: ActorId('Who answered for the unit.'), at: Instant(), onTime: Type.Boolean() })),
          overdue: Type.Optional(Type.Boolean({ description: 'The reply deadline passed unanswered.' })),
        }),
        { description: "The supervisor's supervision orders (督办), oldest first, each with the unit's answer. Absent when archived." },
      ),
    ),
    escalation: closed(
      {
        tier: Type.Integer({ minimum: 0, maximum: 3, description: '0 none, 1 section chief, 2 branch bureau head, 3 city bureau leader.' }),
        owners: Type.Array(closed({ leaderId: Type.String(), kind: Type.Enum(ownerKinds) }), {
          description: 'The owning leaders (双包案: a system and a territorial one).',
        }),
        reason: Type.Optional(Type.String()),
        since: Type.Optional(Instant()),
        plan: Type.Optional(Type.String({ description: 'The owning leader’s plan (一案一策).' })),
        progress: Type.Optional(
          Type.Array(closed({ note: Type.String(), at: Instant(), by: ActorId('The reporting leader.') }), { description: 'Absent when archived.' }),
        ),
        resolved: Type.Optional(Type.Boolean({ description: 'Absent when archived.' })),
      },
      { description: 'Leader ownership (领导包案). An archived case keeps the tier and the owners; its timeline holds the rest.' },
    ),
    spotCheck: Type.Optional(
      closed(
        {
          selectedAt: Instant(),
          passed: Type.Optional(Type.Boolean({ description: 'Absent until decided.' })),
          note: Type.Optional(Type.String()),
          decidedAt: Type.Optional(Instant()),
        },
        { description: 'Drawn for a spot check (随机抽查) after closure. An archived case keeps selectedAt and passed.' },
      ),
    ),
    reward: Type.Optional(
      closed(
        {
          openedAt: Instant(),
          dueAt: Instant(),
          paidAt: Type.Optional(Instant()),
          reference: Type.Optional(Type.String()),
          overdue: Type.Boolean(),
          eligibleBy: Type.Optional(
            Type.Object(
              {
                actions: Type.Optional(
                  Type.Array(Type.Enum(enforcementActions), { description: 'The violations found that the policy rewards (rewardActions).' }),
                ),
                category: Type.Optional(Type.String({ description: 'Else the reward category (rewardCategories) of a substantiated report.' })),
              },
              { additionalProperties: false, description: 'Why it is owed. Absent for a reward opened before eligibility followed the violation.' },
            ),
          ),
          approvalRequired: Type.Boolean({
            description: 'The payment waits for an amount another supervisor approved; false for a reward opened before the rule.',
          }),
          proposal: Type.Optional(
            closed(
              { amountYuan: Type.Integer({ description: 'Whole yuan.' }), basis: Type.String(), by: ActorId('Who proposed it.'), at: Instant() },
              { description: 'The amount proposed (奖励金额) and its basis.' },
            ),
          ),
          approval: Type.Optional(
            closed(
              { by: ActorId('The approving supervisor, not the proposer.'), at: Instant(), note: Type.Optional(Type.String()) },
              { description: 'The approval that fixes the amount.' },
            ),
          ),
          claimable: Type.Boolean({ description: 'An anonymous reporter holds a claim code (兑奖码) for it: `POST /rewards/claim`.' }),
          claimedAt: Type.Optional(Instant('When the anonymous reporter claimed it with the claim code.')),
        },
        { description: 'A reward owed for a report whose result found a violation (有奖举报). Absent when archived.' },
      ),
    ),
    closedAt: Type.Optional(Instant('When it was closed or otherwise ended.')),
    closeReason: Type.Optional(Type.String({ description: 'Absent when archived.' })),
    mergedInto: Type.Optional(Type.String({ description: 'A repeat of an open case: the case it was added to. Absent when archived.' })),
    mergeUnconfirmed: Type.Optional(
      Type.Boolean({ description: 'Merged by repeat detection: a registrar confirms the merge or splits the case off (`merge/confirm`, `merge/split`).' }),
    ),
    repeatReports: Type.Optional(
      Type.Array(
        closed({
          caseId: Type.String(),
          at: Instant(),
          summary: Type.String(),
          callable: Type.Boolean({ description: 'Its complainant is kept: told the result and called back (`callbacks` with `for`).' }),
        }),
        { description: 'Later reports of the same problem, merged into this case. Absent when archived.' },
      ),
    ),
    attachments: Type.Array(AttachmentSchema, {
      description:
        'Files of the case (附件): evidence photos, inspection records, penalty decisions; by reference, never the bytes. An archived case lists them from its timeline.',
    }),
    timeline: Type.Array(TimelineEntrySchema, { description: 'Every step, in order: the audit trail.' }),
  },
  { $id: 'CaseView', additionalProperties: false },
);

export type CaseView = Static<typeof CaseViewSchema>;
export type TimelineEntryView = Static<typeof TimelineEntrySchema>;

/**
 * Every action's answer: where the case stands after it and what it recorded. The whole case is
 * at `GET /complaints/{id}`.
 */
export const ActionReceiptSchema = Type.Object(
  {
    id: Type.String({ description: 'The case.', examples: ['20261124-3f9a0c1b2d'] }),
    status: CaseViewSchema.properties.status,
    onDuty: CaseViewSchema.properties.onDuty,
    dueAt: CaseViewSchema.properties.dueAt,
    recorded: Type.Array(TimelineEntrySchema, { description: 'The entries the action added to the timeline, in order.' }),
  },
  { $id: 'ActionReceipt', additionalProperties: false },
);

export type ActionReceipt = Static<typeof ActionReceiptSchema>;

/**
 * An action's answer from its Update's. A worker of an earlier version answers with the whole
 * case: what the action recorded is then the timeline's entries at its last instant (an action
 * records all of its entries at the instant it is applied).
 */
export function actionReceipt(caseId: string, answer: ActionOutcome | CaseSnapshot): ActionReceipt {
  const { status, onDuty, dueAt, recorded } =
    'recorded' in answer
      ? answer
      : {
          status: answer.status,
          onDuty: answer.onDuty,
          dueAt: currentDueAt(answer) ?? null,
          recorded: answer.timeline.filter((t) => t.at === answer.timeline.at(-1)?.at),
        };
  return { id: caseId, status, onDuty, dueAt, recorded: recorded.map(timelineEntryView) };
}

function attemptView(a: CallbackAttempt): Static<typeof CallbackAttemptView> {
  return { outcome: a.outcome, ...defined({ note: a.note }), at: a.at, by: a.by, ...defined({ for: a.for }) };
}

function timelineEntryView(t: TimelineEntry): TimelineEntryView {
  return {
    seq: t.seq,
    at: t.at,
    kind: t.kind,
    actor: t.actor,
    ...defined({ actorName: t.actorName, note: t.note }),
    ...(t.data !== undefined ? { data: t.data } : {}),
  };
}

/** The case as the API shows it: the one way from what the API read to what it answers. */
export function caseView(record: CaseRecord): CaseView {
  return isArchived(record) ? archivedCaseView(record) : liveCaseView(record);
}

/** A live case, from its workflow's snapshot. */
export function liveCaseView(s: CaseSnapshot): CaseView {
  const { complaint: c, escalation: e } = s;
  return {
    workflowId: s.workflowId,
    archived: false,
    status: s.status,
    onDuty: s.onDuty,
    complaint: {
      id: c.id,
      channel: c.channel,
      category: c.category,
      description: c.description,
      location: { address: c.location.address, district: c.location.district, ...defined({ lat: c.location.lat, lng: c.location.lng }) },
      ...defined({ polluter: c.polluter, industry: c.industry }),
      complainant: {
        anonymous: c.complainant.anonymous,
        ...defined({ name: c.complainant.name, phone: c.complainant.phone, idNumber: c.complainant.idNumber }),
      },
      evidence: [...c.evidence],
      urgent: c.urgent,
      ...defined({ collective: c.collective && { complainants: c.collective.complainants } }),
      receivedAt: c.receivedAt,
      firstReceiver: c.firstReceiver,
      repeatOf: [...c.repeatOf],
      ...defined({ nearby: c.nearby && [...c.nearby] }),
      ...defined({ queryCode: c.queryCode, workOrder: c.workOrder }),
    },
    registeredAt: s.registeredAt,
    ...defined({ acceptedAt: s.acceptedAt, dispatchedAt: s.dispatchedAt }),
    dispatchedOnTime: s.dispatchedOnTime ?? (dispatchMissed(s) ? false : null),
    dispatchOverdue: dispatchOverdue(s),
    ...defined({ dispatchOverdueAt: s.dispatchOverdueAt }),
    ...(s.unit ? { unit: { id: s.unit.id, name: s.unit.name, level: s.unit.level, ...defined({ version: s.unit.version }) } } : {}),
    ...defined({ dutyOfficer: s.dutyOfficer, onSiteReportedAt: s.onSiteReportedAt }),
    refusedBy: [...s.refusedBy],
    dueAt: currentDueAt(s) ?? null,
    deadlines: Object.fromEntries(
      deadlineNames.flatMap((name) => {
        const d = s.deadlines[name];
        return d ? [[name, { dueAt: d.dueAt, provisional: d.provisional, workingDays: 'workingDays' in d.basis }]] : [];
      }),
    ),
    warnings: s.warnings.map((w) => ({ level: w.level, at: w.at })),
    overdue: s.overdue,
    ...(s.extension
      ? {
          extension: {
            days: s.extension.days,
            reason: s.extension.reason,
            requestedBy: s.extension.requestedBy,
            requestedAt: s.extension.requestedAt,
            ...defined({ decision: s.extension.decision, decidedBy: s.extension.decidedBy, decidedAt: s.extension.decidedAt }),
          },
        }
      : {}),
    ...(s.result
      ? {
          result: {
            finding: s.result.finding,
            actions: [...s.result.actions],
            reply: s.result.reply,
            submittedAt: s.result.submittedAt,
            by: s.result.by,
            onTime: s.result.onTime,
          },
        }
      : {}),
    jointParts: (s.jointParts ?? []).map(jointPartView),
    callbacks: s.callbacks.map(attemptView),
    callbackRounds: s.callbackRounds.map((round) => round.map(attemptView)),
    reworkCount: s.reworkCount,
    pauses: s.pauses.map((p) => ({
      awaiting: p.awaiting,
      question: p.question,
      by: p.by,
      at: p.at,
      dueAt: p.dueAt,
      ...defined({ party: p.party, resumedAt: p.resumedAt, answer: p.answer, expired: p.expired, workingDays: p.workingDays }),
    })),
    supervisions: s.supervisions.map((v) => ({
      note: v.note,
      by: v.by,
      at: v.at,
      dueAt: v.dueAt,
      ...defined({ reply: v.reply && { ...v.reply }, overdue: v.overdue }),
    })),
    escalation: {
      tier: e.tier,
      owners: e.owners.map((o) => ({ leaderId: o.leaderId, kind: o.kind })),
      ...defined({ reason: e.reason, since: e.since, plan: e.plan }),
      progress: e.progress.map((p) => ({ note: p.note, at: p.at, by: p.by })),
      resolved: e.resolved,
    },
    ...(s.spotCheck
      ? {
          spotCheck: {
            selectedAt: s.spotCheck.selectedAt,
            ...defined({ passed: s.spotCheck.passed, note: s.spotCheck.note, decidedAt: s.spotCheck.decidedAt }),
          },
        }
      : {}),
    ...(s.reward
      ? {
          reward: {
            openedAt: s.reward.openedAt,
            dueAt: s.reward.dueAt,
            ...defined({ paidAt: s.reward.paidAt, reference: s.reward.reference }),
            overdue: s.reward.overdue,
            ...defined({ eligibleBy: s.reward.eligibleBy && { ...s.reward.eligibleBy } }),
            approvalRequired: s.reward.approvalRequired === true,
            ...defined({
              proposal: s.reward.proposal && {
                amountYuan: s.reward.proposal.amountYuan,
                basis: s.reward.proposal.basis,
                by: s.reward.proposal.by,
                at: s.reward.proposal.at,
              },
              approval: s.reward.approval && { by: s.reward.approval.by, at: s.reward.approval.at, ...defined({ note: s.reward.approval.note }) },
            }),
            claimable: s.complaint.claimCodeHash !== undefined,
            ...defined({ claimedAt: s.reward.claimedAt }),
          },
        }
      : {}),
    ...defined({ closedAt: s.closedAt, closeReason: s.closeReason, mergedInto: s.mergedInto, mergeUnconfirmed: s.mergeUnconfirmed }),
    repeatReports: s.repeatReports.map((r) => ({
      caseId: r.caseId,
      at: r.at,
      summary: r.summary,
      callable: r.complainant !== undefined && !r.complainant.anonymous,
    })),
    attachments: (s.attachments ?? []).map(attachmentView),
    timeline: s.timeline.map(timelineEntryView),
  };
}

/**
 * An archived case, from the read side: its row, the projection its last event carries (unit,
 * owners, callbacks, spot check) and its events. What none of them keeps is left out (see the
 * schema's "absent when archived"); the timeline holds it.
 */
export function archivedCaseView(record: ArchivedCase): CaseView {
  const { row, events } = record;
  const iso = (d: Date | null) => d?.toISOString();
  const status = row.status as Status;
  // The projection as of the last batch of events; older events may lack the detail fields.
  const last = [...events].reverse().find((e) => isRecord(e.payload) && isRecord(e.payload.projection))?.payload as
    { projection: Partial<CaseProjection> } | undefined;
  const projection = last?.projection ?? {};
  const registered = registrationEvent(events);
  const registeredRepeats = isRecord(registered?.payload) ? registered.payload.repeatOf : undefined;
  // As the workflow has it (workflows/case.ts dispatchOverdue), from what the row keeps of it.
  const dispatchLate = row.assignedAt === null && awaitingDispatch.includes(status) && row.dispatchedOnTime === false;
  const selectedAt = projection.spotCheckSelectedAt ?? iso(events.find((e) => e.kind === 'spot_check_selected')?.at ?? null);
  return {
    workflowId: row.workflowId,
    archived: true,
    status,
    onDuty: null,
    complaint: {
      id: row.id,
      channel: row.channel as Channel,
      category: row.category,
      location: { address: row.address, district: row.district, ...defined({ lat: row.lat ?? undefined, lng: row.lng ?? undefined }) },
      ...defined({ polluter: row.polluter ?? undefined, industry: row.industry ?? undefined }),
      complainant: { anonymous: row.anonymous },
      urgent: row.urgent,
      ...(row.complainants > 1 ? { collective: { complainants: row.complainants } } : {}),
      ...defined({ firstReceiver: firstReceiverOf(record) }),
      repeatOf: isStringArray(registeredRepeats) ? registeredRepeats : row.repeatOf ? [row.repeatOf] : [],
    },
    registeredAt: row.registeredAt.toISOString(),
    ...defined({ acceptedAt: iso(row.acceptedAt), dispatchedAt: iso(row.assignedAt) }),
    dispatchedOnTime: row.dispatchedOnTime,
    dispatchOverdue: dispatchLate,
    ...defined({ dispatchOverdueAt: iso(events.find((e) => e.kind === 'dispatch_overdue')?.at ?? null) }),
    ...(projection.unit
      ? { unit: { id: projection.unit.id, name: projection.unit.name, level: projection.unit.level, ...defined({ version: projection.unit.version }) } }
      : {}),
    dueAt: iso(row.dueAt) ?? null,
    deadlines: {},
    // The row's overdue counts a missed dispatch too; the view tells the two apart.
    overdue: row.overdue && !dispatchLate,
    callbacks: (projection.callbacks ?? []).map(attemptView),
    callbackRounds: (projection.callbackRounds ?? []).map((round) => round.map(attemptView)),
    reworkCount: row.reworkCount,
    escalation: {
      tier: row.escalationTier,
      owners: (projection.owners ?? []).map((o) => ({ leaderId: o.leaderId, kind: o.kind })),
    },
    ...(selectedAt
      ? {
          spotCheck: {
            selectedAt,
            ...(row.spotCheck === 'passed' ? { passed: true } : row.spotCheck === 'failed' ? { passed: false } : {}),
          },
        }
      : {}),
    ...defined({ closedAt: iso(row.closedAt) }),
    attachments: attachmentsOf(events.map(timelineEntryOf)),
    timeline: events.map(timelineEntryOf),
  };
}

function jointPartView(p: JointPart): JointPartView {
  return {
    unit: { id: p.unit.id, name: p.unit.name, level: p.unit.level, ...defined({ version: p.unit.version }) },
    task: p.task,
    status: p.status,
    workflowId: p.workflowId,
    assignedAt: p.assignedAt,
    assignedBy: p.assignedBy,
    dueAt: p.dueAt,
    warningLevel: p.warningLevel,
    overdue: p.overdue,
    ...defined({ acknowledgedAt: p.acknowledgedAt, reason: p.reason, endedAt: p.endedAt }),
    ...(p.result ? { result: { ...p.result, actions: [...p.result.actions] } } : {}),
  };
}

function attachmentView(a: AttachmentRef): AttachmentView {
  return { id: a.id, kind: a.kind, name: a.name, mimeType: a.mimeType, size: a.size, sha256: a.sha256, by: a.by, at: a.at };
}

/** An archived case's attachments, from the entries that added them (their data is the reference). */
function attachmentsOf(timeline: TimelineEntryView[]): AttachmentView[] {
  return timeline.flatMap((t) => {
    const d = t.kind === 'attachment_added' ? t.data : undefined;
    if (!d || typeof d.id !== 'string' || typeof d.name !== 'string' || typeof d.size !== 'number' || typeof d.sha256 !== 'string') return [];
    const kind = attachmentKinds.find((k) => k === d.kind);
    const mimeType = attachmentTypes.find((m) => m === d.mimeType);
    if (!kind || !mimeType) return [];
    // `role:account` in the timeline, the account alone in the view (as `by` everywhere).
    return [{ id: d.id, kind, name: d.name, mimeType, size: d.size, sha256: d.sha256, by: t.actor.slice(t.actor.indexOf(':') + 1), at: t.at }];
  });
}

/** An event of the audit trail as a timeline entry: its payload less the note and the projection. */
function timelineEntryOf(e: CaseEvent): TimelineEntryView {
  const {
    note,
    actorName,
    projection: _projection,
    ...data
  } = (isRecord(e.payload) ? e.payload : {}) as { note?: unknown; actorName?: unknown; projection?: unknown };
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    kind: e.kind as TimelineKind,
    actor: e.actor,
    ...(typeof actorName === 'string' ? { actorName } : {}),
    ...(typeof note === 'string' ? { note } : {}),
    data,
  };
}

/** The entries whose value is defined: optional fields are left out, never sent as null. */
function defined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
