import { Type, type Static } from '@fastify/type-provider-typebox';
import { channels, statuses, type Complaint } from '../workflows/model';

/**
 * Request and response shapes of the API, as TypeBox schemas: Fastify validates with them and
 * the OpenAPI document is generated from them. The compile-time checks at the bottom keep them
 * in step with the workflow's own types.
 */

/**
 * Patterns the schemas share, each with the message a caller reads when a value does not match
 * (Ajv's own, "must match pattern ...", would print the regular expression; see validationErrors).
 *
 * Text refuses control characters and lone surrogates: Postgres cannot store NUL (one in a
 * timeline note froze a case's projection), and the others corrupt logs, CSV cells and
 * terminals. Ajv compiles patterns with the `u` flag, where \uD800-\uDFFF matches only a lone
 * surrogate, never half of a pair, so emoji and rare hanzi pass. As JSON-schema patterns the
 * rules are in the OpenAPI document, for clients and fuzzers to follow.
 */
export const patterns = {
  /** Many lines: newline and tab allowed; CR refused, so lines end with \n alone. */
  text: {
    pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F\\uD800-\\uDFFF]*$',
    message: 'is not allowed: control characters (other than newline and tab) or lone surrogates',
  },
  /** One line: no tab or newline either. */
  line: {
    pattern: '^[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]*$',
    message: 'is not allowed: control characters, tabs, line breaks or lone surrogates',
  },
  // Periods and days lie in the years 2000 to 2100: wider than any case's life, and narrow
  // enough that Postgres and the date arithmetic of reports (previous periods) stay in range.
  day: {
    pattern: '^(20\\d{2}|2100)-\\d{2}-\\d{2}$',
    message: 'must be a day (YYYY-MM-DD) in the years 2000 to 2100',
  },
  dayOrInstant: {
    pattern: '^(20\\d{2}|2100)-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    message: 'must be a day (YYYY-MM-DD) or an RFC 3339 instant in the years 2000 to 2100',
  },
  month: {
    pattern: '^(20\\d{2}|2100)-(0[1-9]|1[0-2])$',
    message: 'must be a month (YYYY-MM) in the years 2000 to 2100',
  },
} as const;

export const patternMessages: ReadonlyMap<string, string> = new Map(Object.values(patterns).map((p) => [p.pattern, p.message]));

/**
 * Every free-text string the API accepts: one line (ids, names, places, filters) unless
 * `multiLine` (descriptions, reasons, notes, replies).
 */
export const Text = (max: number, options: { multiLine?: boolean; example?: string; description?: string } = {}) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    pattern: (options.multiLine ? patterns.text : patterns.line).pattern,
    ...(options.example ? { examples: [options.example] } : {}),
    ...(options.description ? { description: options.description } : {}),
  });

export const LocationSchema = Type.Object(
  {
    address: Text(500, { example: '城南路 18 号旁河道' }),
    district: Text(100, { example: 'nancheng' }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);

export const ComplainantSchema = Type.Object(
  {
    anonymous: Type.Boolean(),
    name: Type.Optional(Text(100, { example: '张三' })),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$', examples: ['13800000000'] })),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9Xx]{15,18}$' })),
  },
  { additionalProperties: false },
);

export const ComplaintSubmissionSchema = Type.Object(
  {
    externalId: Type.Optional(Text(200, { description: "The integrator's own id; repeats return the same case" })),
    channel: Type.Enum(channels, { examples: ['hotline_12345'] }),
    category: Text(100, { example: 'odour' }),
    description: Text(5000, { multiLine: true, example: '化工厂夜间排放刺鼻气味' }),
    location: LocationSchema,
    polluter: Type.Optional(Text(300, { example: '某化工有限公司' })),
    industry: Type.Optional(Text(100, { example: 'chemicals' })),
    complainant: ComplainantSchema,
    evidence: Type.Optional(Type.Array(Type.String({ format: 'uri' }), { maxItems: 50 })),
    urgent: Type.Optional(Type.Boolean()),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the bureau received it; defaults to now' })),
  },
  { $id: 'ComplaintSubmission', additionalProperties: false },
);
export type ComplaintSubmission = Static<typeof ComplaintSubmissionSchema>;

export const UnitSchema = Type.Object(
  {
    id: Text(100, { example: 'unit-a' }),
    name: Text(200, { example: '南城分局' }),
    level: Type.Enum(['province', 'city', 'district', 'street']),
  },
  { additionalProperties: false },
);

export const TimelineEntrySchema = Type.Object(
  {
    seq: Type.Integer(),
    kind: Type.String({ examples: ['assigned'] }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String({ examples: ['registrar:reg-1'] }),
    note: Type.Optional(Type.String()),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'TimelineEntry', additionalProperties: true },
);

export const NoticeSchema = Type.Object(
  {
    id: Type.String({ description: 'the idempotency key integrators deliver it under' }),
    caseId: Type.String(),
    kind: Type.String({ examples: ['acceptance'] }),
    recipient: Type.String({ examples: ['complainant'] }),
    text: Type.String({ description: 'zh-CN' }),
    createdAt: Type.String({ format: 'date-time' }),
    deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Notice' },
);

export const CaseViewSchema = Type.Object(
  {
    workflowId: Type.String(),
    status: Type.Enum(statuses),
    complaint: Type.Object({ id: Type.String() }, { additionalProperties: true }),
    deadlines: Type.Record(Type.String(), Type.Unknown()),
    escalation: Type.Object({ tier: Type.Integer() }, { additionalProperties: true }),
    timeline: Type.Array(TimelineEntrySchema),
  },
  { $id: 'CaseView', additionalProperties: true },
);

export const caseIdPattern = '^[A-Za-z0-9_-]{1,100}$';
export const CaseIdParams = Type.Object({ id: Type.String({ pattern: caseIdPattern }) });

// Compile-time: a submission carries what the workflow's Complaint needs, with the same types.
type Submitted = Omit<Complaint, 'id' | 'firstReceiver' | 'repeatOf' | 'receivedAt' | 'evidence' | 'urgent'>;
const _submissionFitsComplaint = (s: ComplaintSubmission): Submitted => s;
void _submissionFitsComplaint;
