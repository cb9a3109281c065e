import { Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { staffRoles } from '../../lib/principal';
import { caseIdPattern } from '../../workflows/fields';
import { partActionNames, partActions, partStatuses, type PartArgsByName, type PartState } from '../../workflows/joint-part';
import { actorOf } from '../auth';
import { readVisibleCase } from '../case-access';
import { isArchived } from '../archived-case';
import { JointPartSchema } from '../case-view';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';

/**
 * 联合办理: a co-unit acts on its part of a joint case, the part's child workflow
 * (workflows/joint-part.ts), at `/complaints/{id}/parts/{unitId}/…`. Only the co-unit itself acts
 * on its part: any other caller, another unit included, is answered 404 as for a case outside its
 * scope. Staff who see the case, and the co-unit, read the part.
 */

const PartParams = Type.Object({
  id: Type.String({ pattern: caseIdPattern }),
  unitId: Text(100, { example: 'unit-b', description: 'The co-unit holding the part.' }),
});
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Text(200)) });

/** What a part's action and read answer: the part as its workflow has it (an OpenAPI component). */
export const PartStateSchema = Type.Object(
  {
    caseId: Type.String(),
    unitId: Type.String(),
    task: Type.String(),
    status: Type.Enum(partStatuses, { description: '`assigned` until the co-unit signs, `in_progress` until it submits or refuses.' }),
    assignedAt: Type.String({ format: 'date-time' }),
    dueAt: Type.String({ format: 'date-time' }),
    warningsAt: Type.Array(Type.String({ format: 'date-time' }), { description: 'When the two warnings fall due (policy shares of the part’s time).' }),
    acknowledgedAt: Type.Optional(Type.String({ format: 'date-time' })),
    warningLevel: Type.Integer({ minimum: 0, maximum: 2 }),
    overdue: Type.Boolean(),
    result: JointPartSchema.properties.result,
    reason: Type.Optional(Type.String()),
  },
  { $id: 'JointPartState', additionalProperties: false },
);

function partView(p: PartState) {
  return {
    caseId: p.caseId,
    unitId: p.unit.id,
    task: p.task,
    status: p.status,
    assignedAt: p.assignedAt,
    dueAt: p.deadlines.handling.dueAt,
    warningsAt: [p.deadlines.warning1.dueAt, p.deadlines.warning2.dueAt],
    warningLevel: p.warningLevel,
    overdue: p.overdue,
    ...(p.acknowledgedAt !== undefined ? { acknowledgedAt: p.acknowledgedAt } : {}),
    ...(p.result ? { result: { ...p.result, actions: [...p.result.actions] } } : {}),
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
  };
}

/** Outside the co-unit's own part: 404, as a case outside the caller's scope. */
function ownPart(request: FastifyRequest, caseId: string, unitId: string): void {
  if (request.principal.unitId !== unitId) throw new Problem('case-not-found', `no part of unit ${unitId} in case ${caseId} for you`);
}

export const jointPartRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { id: string; unitId: string } }>(
    '/complaints/:id/parts/:unitId',
    {
      config: { roles: [...staffRoles] },
      schema: {
        tags: ['actions'],
        summary: "A co-unit's part of a joint case (联合办理), as its workflow has it now",
        description: `Roles: ${staffRoles.join(', ')}. Whoever sees the case (a co-unit sees the cases it holds a part of); 404 when the case has no part of that unit.`,
        params: PartParams,
        response: { 200: PartStateSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { id, unitId } = request.params;
      const record = await readVisibleCase(app, request, id);
      if (isArchived(record) || !(record.jointParts ?? []).some((p) => p.unit.id === unitId)) {
        throw new Problem('not-found', `case ${id} has no part of unit ${unitId} to read`);
      }
      return partView(await app.gateway.part(id, unitId));
    },
  );

  for (const name of partActionNames) {
    const spec = partActions[name];
    app.post<{ Params: { id: string; unitId: string }; Body: Record<string, unknown> }>(
      `/complaints/:id/parts/:unitId/${spec.path}`,
      {
        config: { roles: ['unit'] },
        schema: {
          tags: ['actions'],
          summary: spec.summary,
          description:
            `Update \`part.${name}\` of the part's child workflow. Roles: unit. Only the co-unit holding the part (\`unitId\`); anyone else gets 404. ` +
            'With an `Idempotency-Key` a retry returns the first outcome and applies the action once.',
          params: PartParams,
          headers: IdempotencyHeaders,
          body: spec.args,
          response: { 200: PartStateSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { id, unitId } = request.params;
        ownPart(request, id, unitId);
        const args = { ...request.body, actor: actorOf(request.principal, ['unit']) } as PartArgsByName[typeof name];
        const key = request.headers['idempotency-key'];
        const idempotency = typeof key === 'string' ? { caller: request.principal.id, key, body: request.body } : undefined;
        return partView(await app.gateway.actOnPart(id, unitId, name, args, idempotency));
      },
    );
  }
};
