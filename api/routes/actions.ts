import { Type, type TSchema } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actions, type ActionArgsByName, type ActionName } from '../../workflows/actions';
import type { Role } from '../../workflows/model';
import { actorOf } from '../auth';
import { loadVisibleCase, presentCase } from '../case-access';
import { CaseIdParams, CaseViewSchema, Text, UnitSchema } from '../schemas';
import { problemResponses } from '../problem';
import { checkReferences } from './action-references';

const Reason = Text(2000, { multiLine: true, example: '诉求合理，需重新核查' });
const Days = Type.Integer({ minimum: 1, maximum: 60, examples: [5] });
const Note = Text(5000, { multiLine: true });
const Owner = Type.Object(
  { leaderId: Text(100), kind: Type.Enum(['system', 'territorial']) },
  { additionalProperties: false },
);
/** Control characters refused like any other text; the Update id is made of caller, action, key and body (actionUpdateId). */
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Text(200)) });
const obj = (props: Record<string, TSchema>) => Type.Object(props, { additionalProperties: false });

interface ActionRoute {
  path: string;
  action: ActionName;
  summary: string;
  body: TSchema;
  /** Overrides are for supervisors only, whatever else the workflow would allow. */
  override?: boolean;
}

/** One route per workflow action; who may call it comes from the workflow's own action table. */
export const actionRoutes: ActionRoute[] = [
  { path: 'accept', action: 'accept', summary: 'Accept the complaint (受理)', body: obj({ note: Type.Optional(Note) }) },
  { path: 'not-accept', action: 'notAccept', summary: 'Do not accept, with a reason (不予受理)', body: obj({ reason: Reason }) },
  {
    path: 'transfer-out',
    action: 'transferOut',
    summary: 'Transfer to another department (转送)',
    body: obj({ department: Text(200, { example: '城管局' }), reason: Reason }),
  },
  {
    path: 'merge',
    action: 'merge',
    summary: 'Merge into an open case about the same problem',
    body: obj({ intoCaseId: CaseIdParams.properties.id, reason: Reason }),
  },
  {
    path: 'assign',
    action: 'assign',
    summary: 'Assign to a handling unit (交办)',
    body: obj({ unit: UnitSchema, dutyOfficer: Type.Optional(Text(100)) }),
  },
  { path: 'refuse-jurisdiction', action: 'refuseJurisdiction', summary: 'The unit refuses jurisdiction', body: obj({ reason: Reason }) },
  { path: 'acknowledge', action: 'acknowledge', summary: 'The unit signs for the case (签收)', body: obj({}) },
  { path: 'on-site-reports', action: 'reportOnSite', summary: 'First on-site report', body: obj({ report: Note }) },
  {
    path: 'result',
    action: 'submitResult',
    summary: 'Submit the handling result (办结反馈)',
    body: obj({
      finding: Type.Enum(['substantiated', 'partly_substantiated', 'not_substantiated']),
      actions: Type.Array(Type.Enum(['inspection', 'order_to_rectify', 'penalty', 'case_filed', 'mediation', 'none']), { minItems: 1 }),
      reply: Text(5000, { multiLine: true, example: '经现场核查，已责令整改' }),
    }),
  },
  {
    path: 'callbacks',
    action: 'recordCallback',
    summary: 'Record a callback attempt and the satisfaction (回访)',
    body: obj({
      outcome: Type.Enum(['satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable']),
      note: Type.Optional(Note),
    }),
  },
  { path: 'extension-request', action: 'requestExtension', summary: 'Ask for an extension (once)', body: obj({ days: Days, reason: Reason }) },
  { path: 'extension-request/approve', action: 'approveExtension', summary: 'Approve the pending extension', body: obj({ reason: Reason }) },
  { path: 'extension-request/deny', action: 'denyExtension', summary: 'Deny the pending extension', body: obj({ reason: Reason }) },
  { path: 'leader-plan', action: 'recordLeaderPlan', summary: 'The owning leader records the plan (一案一策)', body: obj({ plan: Note }) },
  {
    path: 'leader-progress',
    action: 'recordLeaderProgress',
    summary: 'The owning leader reports progress',
    body: obj({ note: Note, resolved: Type.Optional(Type.Boolean()) }),
  },
  { path: 'withdraw', action: 'withdraw', summary: 'The complainant withdraws (撤回)', body: obj({ reason: Reason }) },
  {
    path: 'evidence',
    action: 'addEvidence',
    summary: 'Add evidence links or a follow-up message',
    body: obj({
      links: Type.Optional(Type.Array(Type.String({ format: 'uri' }), { maxItems: 50 })),
      message: Type.Optional(Note),
    }),
  },
  {
    path: 'spot-check',
    action: 'recordSpotCheck',
    summary: 'Record the result of a spot check (随机抽查)',
    body: obj({ passed: Type.Boolean(), note: Note }),
  },
  {
    path: 'reward-payment',
    action: 'recordRewardPaid',
    summary: 'Record that the reward was paid (有奖举报)',
    body: obj({ reference: Text(200, { example: 'PAY-2026-0042' }) }),
  },
  { path: 'overrides/return-for-rework', action: 'returnForRework', override: true, summary: 'Return for rework (退回整改)', body: obj({ reason: Reason }) },
  { path: 'overrides/reassign', action: 'reassign', override: true, summary: 'Reassign to another unit (改派)', body: obj({ unit: UnitSchema, reason: Reason }) },
  { path: 'overrides/extend', action: 'extend', override: true, summary: 'Extend the handling deadline', body: obj({ days: Days, reason: Reason }) },
  {
    path: 'overrides/escalate',
    action: 'escalate',
    override: true,
    summary: 'Escalate to leader ownership',
    body: obj({
      reason: Reason,
      tier: Type.Optional(Type.Enum([1, 2, 3])),
      owners: Type.Optional(Type.Array(Owner, { minItems: 1, maxItems: 2 })),
    }),
  },
  { path: 'overrides/close', action: 'close', override: true, summary: 'Close the case', body: obj({ reason: Reason }) },
  { path: 'overrides/reopen', action: 'reopen', override: true, summary: 'Reopen a closed case for rework', body: obj({ reason: Reason }) },
  {
    path: 'overrides/urgency',
    action: 'changeUrgency',
    override: true,
    summary: 'Change the urgency',
    body: obj({ urgent: Type.Boolean(), reason: Reason }),
  },
];

export const actionRoutesPlugin: FastifyPluginAsync = async (app) => {
  for (const route of actionRoutes) {
    const roles = (route.override ? ['supervisor'] : actions[route.action].roles).filter(
      (r): r is Exclude<Role, 'system'> => r !== 'system',
    );
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
      `/complaints/:id/${route.path}`,
      {
        config: { roles },
        schema: {
          tags: [route.override ? 'overrides' : 'actions'],
          summary: route.summary,
          description:
            `Update \`${route.action}\` of the case workflow. Roles: ${roles.join(', ')}. ` +
            'With an `Idempotency-Key` a retry (even after a 503) returns the first outcome and applies the action once; ' +
            'the same key with another body is another action.',
          params: CaseIdParams,
          headers: IdempotencyHeaders,
          body: route.body,
          response: { 200: CaseViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { gateway } = app;
        await loadVisibleCase(app, request, request.params.id);
        const given = { ...request.body, actor: actorOf(request.principal) } as ActionArgsByName[typeof route.action];
        const args = await checkReferences(app, route.action, given);
        const key = request.headers['idempotency-key'];
        // The body as sent, not the checked args: a retry must find the same id even if the
        // leader directory changed between the two calls.
        const idempotency = typeof key === 'string' ? { caller: request.principal.id, key, body: request.body } : undefined;
        const view = await gateway.act(request.params.id, route.action, args, idempotency);
        return presentCase(view, request.principal);
      },
    );
  }
};
