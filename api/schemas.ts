import { Type, type Static } from '@fastify/type-provider-typebox';
import { deliveryChannels } from '../db/schema';
import { CaseId, Text } from '../workflows/fields';
import { channels, type Complaint } from '../workflows/model';

// The shared field schemas live with the workflow's actions; the API's own shapes use them.
export { caseIdPattern, patternMessages, patterns, Text, UnitSchema } from '../workflows/fields';

/**
 * Request and response shapes of the API, as TypeBox schemas: Fastify validates with them and
 * the OpenAPI document is generated from them. The compile-time checks at the bottom keep them
 * in step with the workflow's own types.
 */

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
    collective: Type.Optional(
      Type.Object(
        { complainants: Type.Integer({ minimum: 2, maximum: 100_000, description: 'how many people made the report together' }) },
        { additionalProperties: false, description: '集体信访: a report made by several people together' },
      ),
    ),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the bureau received it; defaults to now' })),
  },
  { $id: 'ComplaintSubmission', additionalProperties: false },
);
export type ComplaintSubmission = Static<typeof ComplaintSubmissionSchema>;

export const DeliveryChannelSchema = Type.Enum(deliveryChannels, { description: '`email` to staff, `sms` to the complainant' });

export const NoticeSchema = Type.Object(
  {
    id: Type.String({ description: 'the idempotency key integrators deliver it under' }),
    caseId: Type.String(),
    kind: Type.String({ examples: ['acceptance'] }),
    recipient: Type.String({ examples: ['complainant'] }),
    addressees: Type.Array(Type.String(), {
      description:
        'The accounts `recipient` stood for when the notice was raised: the people on duty then for `duty-leader` and `duty-officer`, the unit staff of the superior unit for `superior-of:<unit>`; empty for the others.',
    }),
    text: Type.String({ description: 'zh-CN' }),
    createdAt: Type.String({ format: 'date-time' }),
    deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when the first of its deliveries was sent (e-mail, SMS); null: none yet',
    }),
    document: Type.Union(
      [
        Type.Object({
          number: Type.String({ description: '文号, e.g. 环信受告〔2026〕12号' }),
          title: Type.String({ description: '受理告知书, 不予受理告知书, 转送告知书 or 督办通知' }),
          issuer: Type.String({ description: '发文机关 (BUREAU_NAME)' }),
          issuedAt: Type.String({ format: 'date-time' }),
        }),
        Type.Null(),
      ],
      { description: 'The formal document it was issued as; its text at `GET /complaints/{id}/notices/{noticeId}/document`.' },
    ),
    deliveries: Type.Array(
      Type.Object({
        channel: DeliveryChannelSchema,
        to: Type.Union([Type.String(), Type.Null()], { description: "the account e-mailed; the complainant's phone, masked (`138****5678`), texted" }),
        status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')], {
          description: '`queued`: being tried (again, while the provider is away); `sent`: the provider accepted it; `failed`: given up, with `lastError`',
        }),
        attempts: Type.Integer(),
        lastError: Type.Union([Type.String(), Type.Null()]),
        updatedAt: Type.String({ format: 'date-time' }),
      }),
      {
        description:
          'The notice sent by the service itself: by e-mail (SMTP_URL) to each person with an address; by SMS (SMS_URL) to the complainant who gave a mobile number, when the case did not come through a platform.',
      },
    ),
  },
  { $id: 'Notice' },
);

// The case as every route answers it: api/case-view.ts.
export { CaseViewSchema } from './case-view';

export const CaseIdParams = Type.Object({ id: CaseId });

// Compile-time: a submission carries what the workflow's Complaint needs, with the same types.
type Submitted = Omit<Complaint, 'id' | 'firstReceiver' | 'submittedBy' | 'repeatOf' | 'receivedAt' | 'evidence' | 'urgent'>;
const _submissionFitsComplaint = (s: ComplaintSubmission): Submitted => s;
void _submissionFitsComplaint;
