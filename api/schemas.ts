import { Type, type Static } from '@fastify/type-provider-typebox';
import { channels, statuses, type Complaint } from '../workflows/model';

/**
 * Request and response shapes of the API, as TypeBox schemas: Fastify validates with them and
 * the OpenAPI document is generated from them. The compile-time checks at the bottom keep them
 * in step with the workflow's own types.
 */

const Text = (max: number, example?: string) =>
  Type.String({ minLength: 1, maxLength: max, ...(example ? { examples: [example] } : {}) });

export const LocationSchema = Type.Object(
  {
    address: Text(500, '城南路 18 号旁河道'),
    district: Text(100, 'nancheng'),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);

export const ComplainantSchema = Type.Object(
  {
    anonymous: Type.Boolean(),
    name: Type.Optional(Text(100, '张三')),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$', examples: ['13800000000'] })),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9Xx]{15,18}$' })),
  },
  { additionalProperties: false },
);

export const ComplaintSubmissionSchema = Type.Object(
  {
    externalId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The integrator's own id; repeats return the same case" }),
    ),
    channel: Type.Enum(channels, { examples: ['hotline_12345'] }),
    category: Text(100, 'odour'),
    description: Text(5000, '化工厂夜间排放刺鼻气味'),
    location: LocationSchema,
    polluter: Type.Optional(Text(300, '某化工有限公司')),
    industry: Type.Optional(Text(100, 'chemicals')),
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
    id: Text(100, 'unit-a'),
    name: Text(200, '南城分局'),
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

export const CaseIdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) });

// Compile-time: a submission carries what the workflow's Complaint needs, with the same types.
type Submitted = Omit<Complaint, 'id' | 'firstReceiver' | 'repeatOf' | 'receivedAt' | 'evidence' | 'urgent'>;
const _submissionFitsComplaint = (s: ComplaintSubmission): Submitted => s;
void _submissionFitsComplaint;
