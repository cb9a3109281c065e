import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { findingZh, labelZh } from '../../lib/labels-zh';
import type { SurveyClaims, SurveyLinks } from '../../lib/survey-links';
import { Note } from '../../workflows/fields';
import { isArchived, type CaseRecord } from '../archived-case';
import { Problem, problemResponses } from '../problem';

/** The answers the complainant has; `unreachable` is the phone callback's alone. */
const answers = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

const TokenParams = Type.Object({
  token: Type.String({
    pattern: '^[A-Za-z0-9_.-]{1,30}\\.[A-Za-z0-9_-]{1,30}\\.[0-9a-z]{1,12}\\.[0-9a-z]{1,12}\\.[A-Za-z0-9_-]{22}$',
    description: 'the token of the link',
  }),
});
type TokenParams = Static<typeof TokenParams>;

const Answer = Type.Object({ outcome: Type.Enum(answers), note: Type.Optional(Note) }, { additionalProperties: false });

const SurveySchema = Type.Object({
  caseId: Type.String(),
  state: Type.Enum(['open', 'answered', 'closed'], {
    description: '`open`: waiting for the answer; `answered`: answered through this link; `closed`: the case has moved on (closed, or a new result)',
  }),
  expiresAt: Type.String({ format: 'date-time' }),
  finding: Type.Object({ code: Type.String(), label: Type.String({ description: 'zh-CN' }) }),
  reply: Type.String({ description: "the unit's reply to the complainant" }),
});

/** The survey's actor on the case: the complainant, through a link the system signed. */
const surveyActor = { role: 'system', id: 'survey' } as const;

/** Where the survey of `claims` stands on the case as it is now. */
function surveyState(record: CaseRecord, claims: SurveyClaims): 'open' | 'answered' | 'closed' {
  if (isArchived(record)) return 'closed';
  const answered = record.callbacks.some((c) => c.by === surveyActor.id && c.at >= claims.result);
  if (answered) return 'answered';
  return record.status === 'callback' && record.result?.submittedAt === claims.result ? 'open' : 'closed';
}

/**
 * The satisfaction survey (满意度评价) behind the link sent with the result: the complainant reads
 * what the unit found and answers once, which records the callback (回访) as a phone call would and
 * closes the case when satisfied. Public: the signed, expiring link is the credential.
 */
export const surveyRoutes: FastifyPluginAsync<{ surveys: SurveyLinks }> = async (app, { surveys }) => {
  const open = async (token: string): Promise<{ claims: SurveyClaims; record: CaseRecord }> => {
    const claims = surveys.verify(token);
    if (claims === 'expired') throw new Problem('link-expired', 'the survey link has expired; the bureau will call you back');
    if (!claims) throw new Problem('not-found', 'no such survey');
    return { claims, record: await app.gateway.view(claims.caseId) };
  };
  const config = { roles: 'public' as const, rateLimit: { max: 30, timeWindow: '1 minute', allowList: () => false } };

  app.get<{ Params: TokenParams }>(
    '/survey/:token',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'The satisfaction survey of a result: what it asks about, and whether it is open',
        params: TokenParams,
        response: { 200: SurveySchema, ...problemResponses },
      },
    },
    async (request) => {
      const { claims, record } = await open(request.params.token);
      const result = isArchived(record) ? undefined : record.result;
      return {
        caseId: claims.caseId,
        state: surveyState(record, claims),
        expiresAt: claims.expiresAt,
        finding: { code: result?.finding ?? '', label: result ? labelZh(findingZh, result.finding) : '' },
        reply: result?.reply ?? '',
      };
    },
  );

  app.post<{ Params: TokenParams; Body: Static<typeof Answer> }>(
    '/survey/:token',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'Answer the satisfaction survey, once: records the callback (回访)',
        params: TokenParams,
        body: Answer,
        response: {
          200: Type.Object({ caseId: Type.String(), status: Type.String({ description: "the case's status after the answer" }) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { claims, record } = await open(request.params.token);
      const state = surveyState(record, claims);
      if (state !== 'open')
        throw new Problem('survey-closed', state === 'answered' ? 'the survey has been answered' : 'the case has moved on since this result');
      const { outcome, note } = request.body;
      const answer = await app.gateway.act(
        claims.caseId,
        'recordCallback',
        { actor: surveyActor, outcome, ...(note !== undefined ? { note } : {}) },
        // One answer per link: a retry of the same answer joins the first.
        { caller: surveyActor.id, key: `${claims.caseId}:${claims.result}`, body: request.body },
      );
      return { caseId: claims.caseId, status: answer.status };
    },
  );
};
