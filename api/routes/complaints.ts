import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { listCases } from '../../db/cases';
import { noticesOf } from '../../db/notices';
import { channels, statuses, type Complaint } from '../../workflows/model';
import type { Policy } from '../../workflows/policy';
import { loadVisibleCase, presentCase, readVisibleCase } from '../case-access';
import { caseView, CaseViewSchema, TimelineEntrySchema } from '../case-view';
import { boundAt, DayOrInstant } from '../period';
import { Problem, problemResponses } from '../problem';
import { caseIdPattern, CaseIdParams, ComplaintSubmissionSchema, NoticeSchema, Text, type ComplaintSubmission } from '../schemas';

const everyone = ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops'] as const;

const RegisteredSchema = Type.Object({
  id: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  workflowId: Type.String({ examples: ['complaint-20261124-3f9a0c1b2d'] }),
  status: Type.Enum(statuses, { examples: ['registered'] }),
  dispatchDueAt: Type.Optional(Type.String({ format: 'date-time', description: 'the dispatch deadline (CaseView deadlines.dispatch.dueAt)' })),
  mergedInto: Type.Optional(Type.String({ description: 'a repeat of an open case: the case this report was added to' })),
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
    dueAt: Type.Union([Type.String(), Type.Null()]),
    registeredAt: Type.String(),
    summary: Type.String(),
  },
  { additionalProperties: true },
);

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
      const complaint: Omit<Complaint, 'id'> = {
        ...submission,
        location: withCoordinatesRounded(submission.location),
        evidence: submission.evidence ?? [],
        urgent: submission.urgent ?? false,
        receivedAt: receivedAt(submission.receivedAt, app.gateway.policy),
        firstReceiver: request.principal.id,
        repeatOf: [],
      };
      const idempotency = key ? { key: `${request.principal.id}:${key}`, body: request.body } : undefined;
      const { view: record, created } = await app.intake.register(complaint, idempotency);
      // The answer is a receipt: a few fields of the case's CaseView, whose whole is at Location.
      const view = caseView(record);
      const id = view.complaint.id;
      return reply
        .code(created ? 201 : 200)
        .header('location', `/complaints/${id}`)
        .send({
          id,
          workflowId: view.workflowId,
          status: view.status,
          dispatchDueAt: view.deadlines.dispatch?.dueAt,
          mergedInto: view.mergedInto,
        });
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
          'The same CaseView every action answers with. A case whose workflow Temporal no longer keeps is served from the read side with `archived: true` and fewer fields (see the schema).',
        params: CaseIdParams,
        response: { 200: CaseViewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const record = await readVisibleCase(app, request, request.params.id);
      return presentCase(record, request.principal);
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
      config: { roles: ['registrar', 'supervisor', 'integrator', 'unit', 'ops'] },
      schema: {
        tags: ['complaints'],
        summary: 'Notices recorded for delivery',
        params: CaseIdParams,
        response: { 200: Type.Object({ id: Type.String(), notices: Type.Array(NoticeSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      await loadVisibleCase(app, request, request.params.id);
      return { id: request.params.id, notices: await noticesOf(app.deps.database.db, request.params.id) };
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
      const unit = request.principal.role === 'unit' ? request.principal.unitId : q.unit;
      const { page, more } = await listCases(
        app.deps.database.db,
        {
          status: q.status,
          district: q.district,
          unit,
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
};
