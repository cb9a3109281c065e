import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { staffRoles, type CallerRole } from '../../lib/principal';
import { actionNames, actions, whyNot, type ActionArgsByName, type ActionName } from '../../workflows/actions';
import { partActions, type PartActionName } from '../../workflows/joint-part';
import type { CaseSnapshot } from '../../workflows/model';
import type { Principal } from '../../lib/principal';
import { isArchived } from '../archived-case';
import { actorOf } from '../auth';
import { checkActionScope, loadVisibleCase, readVisibleCase } from '../case-access';
import { CaseIdParams, Text } from '../schemas';
import { actionReceipt, ActionReceiptSchema } from '../case-view';
import { Problem, problemResponses } from '../problem';
import { checkReferences } from './action-references';

/** Control characters refused like any other text; the Update id is made of caller, action, key and body (actionUpdateId). */
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Text(200)) });

/** Who may call an action's route: supervisors for an override, else the roles of its entry. */
export const routeRoles = (name: ActionName): CallerRole[] =>
  (actions[name].override ? ['supervisor'] : actions[name].roles).filter((r): r is CallerRole => r !== 'system');

const AvailableActionSchema = Type.Object({
  name: Type.String({ examples: ['accept'], description: "an action of the table, or `part.<action>` on the caller's joint part (联合办理)" }),
  path: Type.String({ description: 'POST /complaints/{id}/<path> (`parts/{unitId}/…` for a joint part)', examples: ['accept'] }),
  summary: Type.String(),
  override: Type.Boolean({ description: "a supervisor's override: asks for a reason" }),
  upload: Type.Boolean({ description: 'takes a file, not JSON: `POST /complaints/{id}/attachments` (attach)' }),
  args: Type.Record(Type.String(), Type.Unknown(), { description: "the JSON Schema of the action's body" }),
});

/**
 * 联合办理: what a co-unit may do on its part of the case now, as the console offers it: routes of
 * the part's workflow (api/routes/joint-parts.ts), under the case's path like every action.
 */
function partActionsOf(record: CaseSnapshot, principal: Principal) {
  const unitId = principal.roles.includes('unit') ? principal.unitId : undefined;
  const part = (record.jointParts ?? []).find((p) => p.unit.id === unitId && p.status === 'working');
  if (!part || unitId === undefined) return [];
  const names: PartActionName[] = part.acknowledgedAt === undefined ? ['acknowledge', 'submit', 'refuse'] : ['submit', 'refuse'];
  return names.map((name) => {
    const { path, summary, args } = partActions[name];
    return { name: `part.${name}`, path: `parts/${unitId}/${path}`, summary, override: false, upload: false, args: args as unknown as Record<string, unknown> };
  });
}

/** One route per workflow action: path, body, roles and summary all come from the workflow's action table. */
export const actionRoutesPlugin: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string } }>(
    '/complaints/:id/actions',
    {
      config: { roles: [...staffRoles, 'integrator'] },
      schema: {
        tags: ['actions'],
        summary: 'The actions the caller may take on the case now (what the console offers)',
        description:
          'Each with the JSON Schema of its body. What is left out would answer 403 or 409 whatever the body: the role, the unit, the status, the first receiver and the rules on the case (a pending extension, an owning leader…) are checked here as the workflow checks them; only what the body says is left to the action itself. An archived case takes none.',
        params: CaseIdParams,
        response: { 200: Type.Object({ actions: Type.Array(AvailableActionSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const record = await readVisibleCase(app, request, request.params.id);
      if (isArchived(record)) return { actions: [] };
      const available = actionNames.filter((name) => {
        const roles = routeRoles(name);
        return request.principal.roles.some((r) => roles.includes(r)) && whyNot(record, name, actorOf(request.principal, roles)) === undefined;
      });
      return {
        actions: [
          ...available.map((name) => {
            const { path, summary, override, upload, args } = actions[name];
            return { name, path, summary, override: override === true, upload: upload === true, args: args as unknown as Record<string, unknown> };
          }),
          ...partActionsOf(record, request.principal),
        ],
      };
    },
  );

  for (const name of actionNames) {
    const spec = actions[name];
    // Its route is the upload's (api/routes/attachments.ts), or the reward claim's (api/routes/rewards.ts), which make the arguments themselves.
    if (spec.upload || spec.internal) continue;
    const override = spec.override === true;
    const roles = routeRoles(name);
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
      `/complaints/:id/${spec.path}`,
      {
        config: { roles },
        schema: {
          tags: [override ? 'overrides' : 'actions'],
          summary: spec.summary,
          description:
            `Update \`${name}\` of the case workflow. Roles: ${roles.join(', ')}. ` +
            'With an `Idempotency-Key` a retry (even after a 503) returns the first outcome and applies the action once; ' +
            'the same key with another body is another action.',
          params: CaseIdParams,
          headers: IdempotencyHeaders,
          body: spec.args,
          response: { 200: ActionReceiptSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { gateway } = app;
        await checkActionScope(app, request, request.params.id);
        const given = { ...request.body, actor: actorOf(request.principal, roles) } as ActionArgsByName[typeof name];
        const args = await checkReferences(app, request.params.id, name, given);
        const key = request.headers['idempotency-key'];
        // The body as sent, not the checked args: a retry must find the same id even if the
        // leader directory or the organisation registry changed between the two calls.
        const idempotency = typeof key === 'string' ? { caller: request.principal.id, key, body: request.body } : undefined;
        const answer = await gateway.act(request.params.id, name, args, idempotency).catch(async (err: unknown) => {
          // An archived case has no workflow to tell a unit whether it was theirs: its row does (404 if not).
          if (err instanceof Problem && err.problem === 'case-archived') await loadVisibleCase(app, request, request.params.id);
          throw err;
        });
        return actionReceipt(request.params.id, answer);
      },
    );
  }
};
