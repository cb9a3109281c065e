import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CaseId } from '../../workflows/fields';
import { claimCodeHash } from '../intake';
import { Problem, problemResponses } from '../problem';

const Claim = Type.Object(
  {
    caseId: CaseId,
    claimCode: Type.String({
      pattern: '^[A-Za-z0-9]{12}$',
      description: 'the claim code (兑奖码) told the anonymous reporter at registration; letters in either case',
      examples: ['K7MP3QXA9RTW'],
    }),
  },
  { additionalProperties: false },
);

const Claimed = Type.Object({
  caseId: Type.String(),
  claimedAt: Type.String({ format: 'date-time', description: 'when the claim was recorded; the bureau pays the reward next' }),
});

/** The claim's actor on the case: the anonymous reporter, known only by the code. */
const claimActor = { role: 'system', id: 'reward-claim' } as const;

/** Answers that say nothing of which part was wrong: no case, no reward yet, another code, claimed already. */
const hidden = new Set(['action-rejected', 'case-not-found', 'case-archived']);

/**
 * 兑奖: an anonymous reporter whose report earned a reward claims it with the case number and the
 * claim code of the registration's answer. Public, without signing in, so limited per address; the
 * case compares the code's hash (claimReward), and every refusal reads alike, 404.
 */
export const rewardClaimRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: Static<typeof Claim> }>(
    '/rewards/claim',
    {
      config: { roles: 'public', rateLimit: { max: 10, timeWindow: '1 minute', allowList: () => false } },
      schema: {
        tags: ['public'],
        summary: 'An anonymous reporter claims a reward (兑奖) with the case number and claim code (兑奖码)',
        description:
          'Records on the case that the reward was claimed (update `claimReward`), after which a supervisor records the payment. 404 when the case has no reward open to claim, the code is not its code, or it was claimed already: the answer does not say which.',
        body: Claim,
        response: { 200: Claimed, ...problemResponses },
      },
    },
    async (request) => {
      const { caseId, claimCode } = request.body;
      const codeSha256 = claimCodeHash(caseId, claimCode);
      const answer = await app.gateway
        // One claim per code: a retry of the same request joins the first.
        .act(caseId, 'claimReward', { actor: claimActor, codeSha256 }, { caller: claimActor.id, key: caseId, body: { codeSha256 } })
        .catch((err: unknown) => {
          if (err instanceof Problem && hidden.has(err.problem)) {
            request.log.info({ caseId, reason: err.message }, 'reward claim refused');
            throw new Problem('not-found', 'no reward to claim with that case number and claim code');
          }
          throw err;
        });
      // A worker of an earlier version answers with the whole case (api/case-gateway.ts).
      const entries = 'recorded' in answer ? answer.recorded : answer.timeline;
      const claimed = [...entries].reverse().find((e) => e.kind === 'reward_claimed');
      return { caseId, claimedAt: claimed?.at ?? new Date().toISOString() };
    },
  );
};
