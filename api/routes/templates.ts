import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { addNoticeTemplateVersion, allNoticeTemplates } from '../../db/notice-templates';
import { addSmsTemplateVersion, allSmsTemplates } from '../../db/sms-templates';
import { noticeKindZh } from '../../lib/labels-zh';
import { Instant, instantMessage, isInstant } from '../instant';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';

const kinds = Object.keys(noticeKindZh) as (keyof typeof noticeKindZh)[];

const NewVersion = Type.Object(
  {
    kind: Type.Enum(kinds, { description: 'the notice kind it words' }),
    text: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'the wording as approved, variables written `{1}`, `{2}`…',
      examples: ['您反映的问题（编号{1}）已受理，我们将于{2}前交办处理。'],
    }),
    params: Type.Array(Type.String({ pattern: '^[a-zA-Z]{1,40}$' }), {
      maxItems: 20,
      description: "the notice's facts that fill the variables, in order: `caseId`, `dispatchDueAt`, `reason`, `department`, `finding`…",
      examples: [['caseId', 'dispatchDueAt']],
    }),
    providerTemplateId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "the gateway's id of the approved template; without it nothing is sent" }),
    ),
    effectiveFrom: Type.Optional(Instant('notices made from then on use it (default: now)')),
  },
  { additionalProperties: false },
);

const NewWording = Type.Object(
  {
    kind: Type.Enum(kinds, { description: 'the notice kind it words' }),
    text: Text(2000, {
      multiLine: true,
      description:
        "the wording, zh-CN, with the notice's facts written `{caseId}`, `{dueAt}`, `{reason}`, `{unit}`… (dates and reasons come in Chinese); no other braces",
      example: '您反映的问题（编号 {caseId}）已受理，我局将于 {dispatchDueAt} 前交办处理。',
    }),
    effectiveFrom: Type.Optional(Instant('notices made from then on use it (default: now)')),
  },
  { additionalProperties: false },
);

const NoticeTemplateSchema = Type.Object({
  kind: Type.String(),
  version: Type.Integer(),
  text: Type.String(),
  effectiveFrom: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
});

const TemplateSchema = Type.Object({
  kind: Type.String(),
  version: Type.Integer(),
  text: Type.String(),
  params: Type.Array(Type.String()),
  providerTemplateId: Type.Union([Type.String(), Type.Null()]),
  effectiveFrom: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
});

const shown = <T extends { effectiveFrom: Date }>(t: T) => ({ ...t, effectiveFrom: t.effectiveFrom.toISOString() });

/** When a new version takes effect: the instant given (a real one), else now. */
function effectiveFrom(given: string | undefined): Date {
  if (given === undefined) return new Date();
  if (!isInstant(given)) throw new Problem('validation', 'invalid body', { errors: [{ field: 'effectiveFrom', message: instantMessage }] });
  return new Date(given);
}

/** Two versions of one kind added at once: the second is refused, to be sent again. */
const addedMeanwhile = (kind: string) => new Problem('conflict', `another version of ${kind} was added at the same moment; send it again`);

/** The variables a wording uses, which must be `{1}` to `{n}`, each once: what the gateway fills. */
function variablesOf(text: string): number[] {
  return [...text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * How notices are worded, one version after another: the SMS templates approved at the gateway
 * (a bureau words them, has them approved, and adds them with the gateway's template id), and a
 * bureau's own wording of the notices' text, in place of the built-in one.
 */
export const templateRoutes: FastifyPluginAsync = async (app) => {
  const db = app.deps.database.db;
  app.get(
    '/sms-templates',
    {
      config: { roles: ['admin', 'ops', 'supervisor'] },
      schema: {
        tags: ['notices'],
        summary: 'Every version of the SMS templates the complainant is texted with',
        response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }), ...problemResponses },
      },
    },
    async () => ({ items: (await allSmsTemplates(db)).map(shown) }),
  );

  app.post<{ Body: Static<typeof NewVersion> }>(
    '/sms-templates',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['notices'],
        summary: "A kind's next SMS template version (its wording, the gateway's id, from when)",
        body: NewVersion,
        response: { 201: TemplateSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { kind, text, params, providerTemplateId } = request.body;
      const from = effectiveFrom(request.body.effectiveFrom);
      const used = variablesOf(text);
      if (used.length !== params.length || used.some((n, i) => n !== i + 1)) {
        throw new Problem('validation', 'invalid body', {
          errors: [
            {
              field: 'params',
              message: `names ${params.length} facts, and the text must use {1} to {${params.length}} once each (it uses ${used.map((n) => `{${n}}`).join(' ') || 'none'})`,
            },
          ],
        });
      }
      const added = await addSmsTemplateVersion(db, {
        kind,
        text,
        params,
        providerTemplateId: providerTemplateId ?? null,
        effectiveFrom: from,
        createdBy: request.principal.id,
      });
      if (!added) throw addedMeanwhile(kind);
      return reply.code(201).send(shown(added));
    },
  );

  app.get(
    '/notice-templates',
    {
      config: { roles: ['admin', 'ops', 'supervisor'] },
      schema: {
        tags: ['notices'],
        summary: "Every version of the bureau's own wording of the notices",
        response: { 200: Type.Object({ items: Type.Array(NoticeTemplateSchema) }), ...problemResponses },
      },
    },
    async () => ({ items: (await allNoticeTemplates(db)).map(shown) }),
  );

  app.post<{ Body: Static<typeof NewWording> }>(
    '/notice-templates',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['notices'],
        summary: "A notice kind's next own wording, in force from `effectiveFrom`",
        body: NewWording,
        response: { 201: NoticeTemplateSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { kind, text } = request.body;
      const from = effectiveFrom(request.body.effectiveFrom);
      // A fact is `{name}`, letters only: a brace anywhere else is a slip that would print as it is.
      if (/[{}]/.test(text.replace(/\{[a-zA-Z]{1,40}\}/g, ''))) {
        throw new Problem('validation', 'invalid body', { errors: [{ field: 'text', message: 'writes a fact as {name}, letters only; no other braces' }] });
      }
      const added = await addNoticeTemplateVersion(db, {
        kind,
        text,
        effectiveFrom: from,
        createdBy: request.principal.id,
      });
      if (!added) throw addedMeanwhile(kind);
      return reply.code(201).send(shown(added));
    },
  );
};
