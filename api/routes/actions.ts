import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actionNames, actions, type ActionArgsByName } from '../../workflows/actions';
import type { Role } from '../../workflows/model';
import { actorOf } from '../auth';
import { loadVisibleCase, presentCase } from '../case-access';
import { CaseIdParams, CaseViewSchema, Text } from '../schemas';
import { problemResponses } from '../problem';
import { checkReferences } from './action-references';

/** Control characters refused like any other text; the Update id is made of caller, action, key and body (actionUpdateId). */
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Text(200)) });

/** One route per workflow action: path, body, roles and summary all come from the workflow's action table. */
export const actionRoutesPlugin: FastifyPluginAsync = async (app) => {
  for (const name of actionNames) {
    const spec = actions[name];
    const override = spec.override === true;
    const roles = (override ? ['supervisor'] : spec.roles).filter((r): r is Exclude<Role, 'system'> => r !== 'system');
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
          response: { 200: CaseViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { gateway } = app;
        await loadVisibleCase(app, request, request.params.id);
        const given = { ...request.body, actor: actorOf(request.principal, roles) } as ActionArgsByName[typeof name];
        const args = await checkReferences(app, request.params.id, name, given);
        const key = request.headers['idempotency-key'];
        // The body as sent, not the checked args: a retry must find the same id even if the
        // leader directory or the organisation registry changed between the two calls.
        const idempotency = typeof key === 'string' ? { caller: request.principal.id, key, body: request.body } : undefined;
        const view = await gateway.act(request.params.id, name, args, idempotency);
        return presentCase(view);
      },
    );
  }
};
