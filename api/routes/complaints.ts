import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { listCases, type CaseFilter } from '../../db/cases';
import { holds, type Principal } from '../../lib/principal';
import { deliveriesOf } from '../../db/deliveries';
import { documentOf, documentsOf, type FormalDocument } from '../../db/documents';
import { noticesOf } from '../../db/notices';
import { channels, statuses, type Complaint } from '../../workflows/model';
import type { Policy } from '../../workflows/policy';
import { spotCheckOutcomes } from '../../workflows/projection';
import { cleared, loadVisibleCase, presentCase, readVisibleCase, unmaskComplainant } from '../case-access';
import { requestScope, type Scope } from '../scope';
import { caseView, CaseViewSchema, TimelineEntrySchema } from '../case-view';
import { boundAt, DayOrInstant } from '../period';
import { Problem, problemResponses } from '../problem';
import { caseIdPattern, CaseIdParams, ComplaintSubmissionSchema, NoticeSchema, Text, type ComplaintSubmission } from '../schemas';

const everyone = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops'] as const;

export const RegisteredSchema = Type.Object({
  id: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  workflowId: Type.String({ examples: ['complaint-20261124-3f9a0c1b2d'] }),
  status: Type.Enum(statuses, { examples: ['registered'] }),
  dispatchDueAt: Type.Optional(Type.String({ format: 'date-time', description: 'the dispatch deadline (CaseView deadlines.dispatch.dueAt)' })),
  mergedInto: Type.Optional(Type.String({ description: 'a repeat of an open case: the case this report was added to' })),
  queryCode: Type.Optional(
    Type.String({ description: 'the query code (查询码) the complainant reads the progress with (`POST /status`), also in the acceptance notice' }),
  ),
  claimCode: Type.Optional(
    Type.String({
      description:
        'An anonymous complaint only, in the answer that registered it (never again: the case keeps only its hash): the claim code (兑奖码) to tell the reporter, who claims a reward with it and the case number (`POST /rewards/claim`).',
      examples: ['K7MP3QXA9RTW'],
    }),
  ),
});

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(statuses)),
    district: Type.Optional(Text(100)),
    unit: Type.Optional(Text(100)),
    category: Type.Optional(Text(100)),
    channel: Type.Optional(Type.Enum(channels)),
    overdue: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    urgent: Type.Optional(Type.Boolean()),
    createdFrom: Type.Optional(DayOrInstant('2026-11-01')),
    createdTo: Type.Optional(DayOrInstant('2026-11-30')),
    text: Type.Optional(Text(200, { description: 'matches summary, address or polluter' })),
    firstReceiver: Type.Optional(
      Text(100, { description: "the first receiver's account; `me` for the caller, `none` for the cases waiting in a district queue" }),
    ),
    owner: Type.Optional(Text(100, { description: 'a leader who owns the case (领导包案); `me` for the caller' })),
    onDuty: Type.Optional(Type.Literal('me', { description: 'the cases waiting for the caller now, in any role it holds (as `GET /work`)' })),
    repeat: Type.Optional(Type.Boolean({ description: 'cases that repeat an earlier one' })),
    collective: Type.Optional(Type.Boolean({ description: 'collective reports (集体信访), made by several people together' })),
    paused: Type.Optional(Type.Boolean({ description: 'cases whose clock stands still, waiting for missing information (中止)' })),
    extensionPending: Type.Optional(Type.Boolean({ description: 'an extension request awaits a decision' })),
    open: Type.Optional(Type.Boolean({ description: 'open cases (someone still has to act), or finished ones' })),
    warned: Type.Optional(Type.Boolean({ description: 'a warning (预警) was raised in the open handling window' })),
    spotCheck: Type.Optional(Type.Enum(spotCheckOutcomes, { description: 'drawn for the spot check (随机抽查): `pending` awaits review' })),
    joint: Type.Optional(Type.Boolean({ description: 'joint cases (联合办理) with a co-unit part still being worked, or cases without one' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 500, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

const CaseRowSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.String(),
    channel: Type.String(),
    category: Type.String(),
    district: Type.String(),
    handlingUnit: Type.Union([Type.String(), Type.Null()]),
    escalationTier: Type.Integer(),
    overdue: Type.Boolean(),
    urgent: Type.Boolean(),
    complainants: Type.Integer({ minimum: 1, description: 'how many people made the report; more than 1: collective (集体信访)' }),
    dueAt: Type.Union([Type.String(), Type.Null()]),
    registeredAt: Type.String(),
    summary: Type.String(),
    firstReceiver: Type.Union([Type.String(), Type.Null()], { description: 'null: waiting in its district queue for a registrar to claim it' }),
    onDuty: Type.Union([Type.String(), Type.Null()], {
      description: 'who must act next: `registrar:<account>`, `registrars-of:<district>`, `unit:<unit>`, `supervisor`',
    }),
    extensionPending: Type.Boolean(),
    paused: Type.Boolean({ description: 'the clock stands still, waiting for missing information (中止)' }),
    warningLevel: Type.Integer({ minimum: 0, maximum: 2, description: 'warnings (预警) raised in the open handling window' }),
    spotCheck: Type.Union([Type.Enum(spotCheckOutcomes), Type.Null()]),
  },
  { additionalProperties: true },
);

const IdentityRequest = Type.Object(
  { reason: Text(500, { example: '回访核实', description: 'Why the caller needs to know who complained; kept in the audit of identity reads.' }) },
  { additionalProperties: false },
);

const IdentitySchema = Type.Object({
  id: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  complainant: Type.Object(
    {
      anonymous: Type.Boolean(),
      name: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
      idNumber: Type.Optional(Type.String()),
    },
    { additionalProperties: false, description: 'In full; masked as in views when anonymous, and only `anonymous` for an archived case.' },
  ),
});

/** Keyset pagination on (registered_at, id): stable while new cases keep arriving. */
function encodeCursor(registeredAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([registeredAt.toISOString(), id])).toString('base64url');
}
const caseId = new RegExp(caseIdPattern);
function decodeCursor(cursor: string): { registeredAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    // A forged cursor must not hand Postgres what it refuses (a NUL in the id, year 0 or 10000).
    const year = date.getUTCFullYear();
    if (Number.isNaN(year) || year < 1 || year > 9999 || typeof id !== 'string' || !caseId.test(id)) throw new Error('bad cursor');
    return { registeredAt: date, id };
  } catch {
    throw new Problem('validation', 'cursor is not one this API gave out', { errors: [{ field: 'cursor', message: 'is invalid' }] });
  }
}

/**
 * Coordinates to 7 decimals (about 1 cm): finer is noise, and a value like 1e-300 would underflow
 * the distance arithmetic of repeat detection in Postgres.
 */
function withCoordinatesRounded(location: Complaint['location']): Complaint['location'] {
  // `|| 0`: no -0 from a tiny negative value.
  const round = (degrees: number) => Math.round(degrees * 1e7) / 1e7 || 0;
  const { lat, lng, ...rest } = location;
  return { ...rest, ...(lat !== undefined ? { lat: round(lat) } : {}), ...(lng !== undefined ? { lng: round(lng) } : {}) };
}

/**
 * When the bureau received the complaint: now, or the sender's time within the policy's bounds.
 * A time far ahead would start deadlines in a year the calendar does not cover; one long past
 * would open a case that is overdue before anyone saw it.
 */
function receivedAt(given: string | undefined, policy: Policy): string {
  const now = Date.now();
  if (given === undefined) return new Date(now).toISOString();
  const at = Date.parse(given);
  const refuse = (message: string) => new Problem('validation', `receivedAt ${message}`, { errors: [{ field: 'receivedAt', message }] });
  if (Number.isNaN(at)) throw refuse('is not a valid date-time');
  if (at > now + policy.receivedAtMaxSkewMinutes * 60_000) {
    throw refuse(`must not be more than ${policy.receivedAtMaxSkewMinutes} minutes ahead of the server's clock`);
  }
  if (at < now - policy.receivedAtMaxAgeDays * 86_400_000) {
    throw refuse(`must not be more than ${policy.receivedAtMaxAgeDays} days in the past`);
  }
  return new Date(at).toISOString();
}

/**
 * Registers a submission for its caller: POST /complaints, and a hotline's work orders. A repeat
 * of `idempotency.key` (the caller's own) answers the same case. The answer is a receipt: a few
 * fields of the case's CaseView, whose whole is at `GET /complaints/{id}`.
 */
export async function registerComplaint(
  app: FastifyInstance,
  principal: Principal,
  submission: Omit<ComplaintSubmission, 'externalId'>,
  idempotency: { key: string; body: unknown } | undefined,
  extra: Pick<Complaint, 'workOrder'> = {},
): Promise<{ receipt: Static<typeof RegisteredSchema>; created: boolean }> {
  const complaint: Omit<Complaint, 'id'> = {
    ...submission,
    ...extra,
    location: withCoordinatesRounded(submission.location),
    evidence: submission.evidence ?? [],
    urgent: submission.urgent ?? false,
    receivedAt: receivedAt(submission.receivedAt, app.gateway.policy),
    // 首接负责: a registrar taking a case in is its first receiver; a platform's case waits in
    // its district's registrar queue until a registrar claims it.
    ...(holds(principal, 'registrar') ? { firstReceiver: principal.id } : { submittedBy: principal.id }),
    repeatOf: [],
  };
  const {
    view: record,
    created,
    claimCode,
  } = await app.intake.register(complaint, idempotency && { key: `${principal.id}:${idempotency.key}`, body: idempotency.body });
  const view = caseView(record);
  return {
    created,
    receipt: {
      id: view.complaint.id,
      workflowId: view.workflowId,
      status: view.status,
      dispatchDueAt: view.deadlines.dispatch?.dueAt,
      mergedInto: view.mergedInto,
      queryCode: view.complaint.queryCode,
      ...(claimCode !== undefined ? { claimCode } : {}),
    },
  };
}

const documentFields = (document: FormalDocument | undefined) =>
  document ? { number: document.number, title: document.title, issuer: document.issuer, issuedAt: document.issuedAt.toISOString() } : null;

export const complaintRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: ComplaintSubmission }>(
    '/complaints',
    {
      config: { roles: ['integrator', 'registrar'], deadline: 'intake' },
      schema: {
        tags: ['complaints'],
        summary: 'Register a complaint (登记)',
        description:
          'Starts the case workflow. Idempotent on `externalId` or the `Idempotency-Key` header: a repeat returns the same case with 200; the same key with another body is 409. In a burst a registration queues for its turn and answers within 30 s; one that cannot be served in time gets 503 `overloaded` with `Retry-After`, having done nothing.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Text(200)) }),
        body: ComplaintSubmissionSchema,
        response: { 200: RegisteredSchema, 201: RegisteredSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { externalId, ...submission } = request.body;
      const header = request.headers['idempotency-key'];
      const key = (typeof header === 'string' ? header : undefined) ?? externalId;
      const { receipt, created } = await registerComplaint(app, request.principal, submission, key ? { key, body: request.body } : undefined);
      return reply
        .code(created ? 201 : 200)
        .header('location', `/complaints/${receipt.id}`)
        .send(receipt);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/complaints/:id',
    {
      config: { roles: everyone },
      schema: {
        tags: ['complaints'],
        summary: 'The case (CaseView), live or archived',
        description:
          'The whole case; an action answers only its ActionReceipt. A case whose workflow Temporal no longer keeps is served from the read side with `archived: true` and fewer fields (see the schema).',
        params: CaseIdParams,
        response: { 200: CaseViewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const record = await readVisibleCase(app, request, request.params.id);
      return presentCase(record);
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof IdentityRequest> }>(
    '/complaints/:id/identity',
    {
      config: { roles: cleared },
      schema: {
        tags: ['complaints'],
        summary: "Unmask the complainant's identity, saying why (recorded)",
        description:
          'Views show the complainant masked to everyone. A registrar or supervisor who needs to know who complained (a callback, a check) asks here with a `reason`; the read (who, when, which case, why) is recorded before the identity is answered, and supervisors report on it at `GET /reports/identity-reads`. A reward reporter (有奖举报) is shown only to the accounts the policy names in `rewardIdentityReaders` (403 for anyone else). An anonymous complainant, or an archived case, has nothing to unmask: the answer is the masked shape, and the read is recorded all the same.',
        params: CaseIdParams,
        body: IdentityRequest,
        response: { 200: IdentitySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const complainant = await unmaskComplainant(app, request, request.params.id, request.body.reason);
      // Personal data: no cache (browser or proxy) may keep a copy.
      reply.header('cache-control', 'no-store');
      return { id: request.params.id, complainant };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/complaints/:id/timeline',
    {
      config: { roles: everyone },
      schema: {
        tags: ['complaints'],
        summary: 'Every step of the case, in order',
        params: CaseIdParams,
        response: { 200: Type.Object({ id: Type.String(), timeline: Type.Array(TimelineEntrySchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const record = await readVisibleCase(app, request, request.params.id);
      return { id: request.params.id, timeline: caseView(record).timeline };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/complaints/:id/notices',
    {
      // The owning leader follows the case too (领导包案).
      config: { roles: ['registrar', 'supervisor', 'integrator', 'unit', 'leader', 'ops'] },
      schema: {
        tags: ['complaints'],
        summary: 'Notices recorded for delivery',
        params: CaseIdParams,
        response: { 200: Type.Object({ id: Type.String(), notices: Type.Array(NoticeSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      await loadVisibleCase(app, request, request.params.id);
      const { db } = app.deps.database;
      const [notices, deliveries, documents] = await Promise.all([
        noticesOf(db, request.params.id),
        deliveriesOf(db, request.params.id),
        documentsOf(db, request.params.id),
      ]);
      return {
        id: request.params.id,
        notices: notices.map((notice) => ({
          ...notice,
          document: documentFields(documents.find((d) => d.noticeId === notice.id)),
          deliveries: deliveries
            .filter((d) => d.noticeId === notice.id)
            .map((d) => ({
              channel: d.channel,
              to: d.channel === 'sms' ? d.address : d.accountId,
              status: d.status,
              attempts: d.attempts,
              lastError: d.lastError,
              updatedAt: d.updatedAt,
            })),
        })),
      };
    },
  );

  app.get<{ Params: { id: string; noticeId: string } }>(
    '/complaints/:id/notices/:noticeId/document',
    {
      config: { roles: ['registrar', 'supervisor', 'integrator', 'unit', 'leader', 'ops'] },
      schema: {
        tags: ['complaints'],
        summary: 'A formal document (受理告知书…) as issued: its text, to print or send',
        params: Type.Object({ id: CaseIdParams.properties.id, noticeId: Type.String({ maxLength: 300 }) }),
        response: { 200: { description: 'The document, zh-CN', content: { 'text/plain': { schema: Type.String() } } }, ...problemResponses },
      },
    },
    async (request, reply) => {
      await loadVisibleCase(app, request, request.params.id);
      const document = await documentOf(app.deps.database.db, request.params.noticeId);
      if (!document || document.caseId !== request.params.id)
        throw new Problem('not-found', `notice ${request.params.noticeId} of case ${request.params.id} is no formal document`);
      return reply.type('text/plain; charset=utf-8').send(document.text);
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/complaints',
    {
      config: { roles: everyone },
      schema: {
        tags: ['complaints'],
        summary: 'List cases with filters, newest first',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(CaseRowSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 20;
      const { principal } = request;
      const scope = await requestScope(request, app.deps.database.db);
      const me = (value: string | undefined) => (value === 'me' ? principal.id : value);
      const { page, more } = await listCases(
        app.deps.database.db,
        {
          ...scopeFilter(scope),
          ...(q.firstReceiver !== undefined ? { firstReceiver: q.firstReceiver === 'none' ? null : me(q.firstReceiver) } : {}),
          owner: me(q.owner),
          repeat: q.repeat,
          collective: q.collective,
          paused: q.paused,
          extensionPending: q.extensionPending,
          open: q.open,
          warned: q.warned,
          spotCheck: q.spotCheck,
          joint: q.joint,
          ...(q.onDuty === 'me' ? { waitingFor: waitingFor(principal, scope) } : {}),
          status: q.status,
          district: q.district,
          // A unit handler's scope (its cases and its joint parts' cases) narrows whatever unit it asks for.
          unit: q.unit,
          category: q.category,
          channel: q.channel,
          overdue: q.overdue,
          urgent: q.urgent,
          escalated: q.escalated,
          registeredFrom: q.createdFrom ? boundAt('createdFrom', q.createdFrom, 'from') : undefined,
          registeredTo: q.createdTo ? boundAt('createdTo', q.createdTo, 'to') : undefined,
          text: q.text,
          after: q.cursor ? decodeCursor(q.cursor) : undefined,
        },
        limit,
      );
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          ...r,
          dueAt: r.dueAt?.toISOString() ?? null,
          registeredAt: r.registeredAt.toISOString(),
        })),
        nextCursor: more && last ? encodeCursor(last.registeredAt, last.id) : null,
      };
    },
  );

  app.get(
    '/work',
    {
      config: { roles: everyone },
      schema: {
        tags: ['complaints'],
        summary: 'My work (待办): the cases waiting for the caller, in every role it holds',
        description:
          "A registrar: the cases it is first receiver of that wait for it, and its districts' queues of cases nobody has claimed; a unit handler: its unit's cases, and those whose joint part (联合办理) it still works; a supervisor: the decisions waiting (unsatisfied callbacks, spot checks); a leader: the open cases it owns. Within the caller's jurisdiction, oldest first, at most 200.",
        response: { 200: Type.Object({ items: Type.Array(CaseRowSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const scope = await requestScope(request, app.deps.database.db);
      const { page } = await listCases(
        app.deps.database.db,
        { ...scopeFilter(scope), waitingFor: waitingFor(request.principal, scope), oldestFirst: true },
        200,
      );
      return { items: page.map((r) => ({ ...r, dueAt: r.dueAt?.toISOString() ?? null, registeredAt: r.registeredAt.toISOString() })) };
    },
  );
};

/** The list narrowed to the caller's scope (api/scope.ts). */
function scopeFilter(scope: Scope): CaseFilter {
  switch (scope.kind) {
    case 'all':
    case 'submitted':
      // An integrator lists every case, masked (the read side does not keep who submitted a case); it reads only its own.
      return {};
    case 'districts':
      return { districts: scope.districts };
    case 'unit':
      // Its own cases, and those it holds a joint part of (联合办理).
      return { unitOrPart: scope.unitId };
  }
}

/** What waits for the caller: `onDuty` values for each role it holds (the workflow's words, see workflows/case.ts onDuty). */
function waitingFor(principal: Principal, scope: Scope): NonNullable<CaseFilter['waitingFor']> {
  const onDuty: string[] = [];
  let onDutyPrefix: string | undefined;
  if (holds(principal, 'registrar')) {
    onDuty.push(`registrar:${principal.id}`);
    if (scope.kind === 'districts') onDuty.push(...scope.districts.map((d) => `registrars-of:${d}`));
    else onDutyPrefix = 'registrars-of:';
  }
  const unitId = holds(principal, 'unit') ? principal.unitId : undefined;
  if (unitId) onDuty.push(`unit:${unitId}`);
  if (holds(principal, 'supervisor')) onDuty.push('supervisor');
  return {
    onDuty,
    ...(onDutyPrefix ? { onDutyPrefix } : {}),
    ...(holds(principal, 'leader') ? { owner: principal.id } : {}),
    // A co-unit's part still being worked (联合办理) waits for it too.
    ...(unitId ? { partOf: unitId } : {}),
  };
}
