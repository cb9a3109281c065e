import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { getUnit, jurisdictionOf, listUnits, storeUnit, superiorOf, UnitRefused, unitVersionsOf, type RegisteredUnit } from '../../db/organisation';
import { directoryAccess } from '../../lib/directory-access';
import { unitLevels } from '../../workflows/model';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';

const { read: readers, edit: editors } = directoryAccess.units;

const UnitId = Text(100, { example: 'unit-a' });
const Level = Type.Enum(unitLevels, { description: 'province > city > district > street; a unit is strictly below its parent' });

const UnitBodySchema = Type.Object(
  {
    name: Text(200, { example: '南城分局' }),
    level: Level,
    parentId: Type.Optional(Type.Union([UnitId, Type.Null()], { description: 'null or absent: a root (the province)' })),
    districts: Type.Optional(
      Type.Array(Text(100, { example: 'nancheng' }), {
        maxItems: 200,
        description: "The districts whose cases it covers; empty or absent: its parent's",
      }),
    ),
    active: Type.Optional(Type.Boolean({ default: true, description: 'An inactive unit takes no new cases; the cases it has keep it.' })),
  },
  { additionalProperties: false },
);
const UnitRowSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  level: Level,
  parentId: Type.Union([Type.String(), Type.Null()]),
  districts: Type.Array(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer({ minimum: 1, description: 'Bumped by every change; a case keeps the version it was assigned.' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const UnitDetailSchema = Type.Object({
  ...UnitRowSchema.properties,
  superior: Type.Union([UnitRowSchema, Type.Null()], { description: 'Its parent, whom `superior-of:<unit>` names; null for a root.' }),
  jurisdiction: Type.Union([Type.Literal('all'), Type.Array(Type.String())], {
    description: "The districts it covers: its own, else its parent's, up the chain; `all` for a root without districts.",
  }),
});
const UnitVersionSchema = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  level: Level,
  parentId: Type.Union([Type.String(), Type.Null()]),
  districts: Type.Array(Type.String()),
  active: Type.Boolean(),
  changedAt: Type.String({ format: 'date-time' }),
  changedBy: Type.String({ description: 'Who made the change (`seed` for the development organisation).' }),
});
const UnitParams = Type.Object({ id: UnitId });

type UnitRow = Static<typeof UnitRowSchema>;
const present = (unit: RegisteredUnit): UnitRow => ({ ...unit, updatedAt: unit.updatedAt.toISOString() });
const notFound = (id: string) => new Problem('unit-not-found', `no unit ${id}`);

/** What the registry refuses, as a 422 naming the field: an unknown parent like any unknown name, the rest as misplaced. */
function refusal(err: UnitRefused): Problem {
  const problem = err.reason === 'unknown-parent' ? 'unknown-reference' : 'unit-misplaced';
  return new Problem(problem, err.message, { errors: [{ field: err.field, message: err.message }] });
}

/** The organisation registry: units, their level, parent and jurisdiction, and every version. */
export const organisationRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps.database;

  app.get(
    '/units',
    {
      config: { roles: readers },
      schema: {
        tags: ['organisation'],
        summary: 'The organisation: every unit, by id',
        description: `Roles: ${readers.join(', ')}.`,
        response: { 200: Type.Object({ units: Type.Array(UnitRowSchema) }), ...problemResponses },
      },
    },
    async () => ({ units: (await listUnits(db)).map(present) }),
  );

  app.get<{ Params: Static<typeof UnitParams> }>(
    '/units/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['organisation'],
        summary: 'A unit, with its superior and the districts it covers',
        description: `Roles: ${readers.join(', ')}.`,
        params: UnitParams,
        response: { 200: UnitDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const unit = await getUnit(db, id);
      if (!unit) throw notFound(id);
      const [superior, jurisdiction] = await Promise.all([superiorOf(db, id), jurisdictionOf(db, id)]);
      // Undefined only for a unit gone since it was read, which the registry never does; if it did, it is not found.
      if (!jurisdiction) throw notFound(id);
      return { ...present(unit), superior: superior ? present(superior) : null, jurisdiction };
    },
  );

  app.get<{ Params: Static<typeof UnitParams> }>(
    '/units/:id/versions',
    {
      config: { roles: readers },
      schema: {
        tags: ['organisation'],
        summary: 'Every version of a unit, oldest first',
        description: `Roles: ${readers.join(', ')}.`,
        params: UnitParams,
        response: { 200: Type.Object({ versions: Type.Array(UnitVersionSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const versions = await unitVersionsOf(db, request.params.id);
      if (versions.length === 0 && !(await getUnit(db, request.params.id))) throw notFound(request.params.id);
      return { versions: versions.map((v) => ({ ...v, changedAt: v.changedAt.toISOString() })) };
    },
  );

  app.put<{ Params: Static<typeof UnitParams>; Body: Static<typeof UnitBodySchema> }>(
    '/units/:id',
    {
      config: { roles: editors },
      schema: {
        tags: ['organisation'],
        summary: 'Add or change a unit (a change makes a new version; one that changes nothing does not)',
        description: `Roles: ${editors.join(', ')}.`,
        params: UnitParams,
        body: UnitBodySchema,
        response: { 200: UnitRowSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { body } = request;
      const change = {
        id: request.params.id,
        name: body.name,
        level: body.level,
        parentId: body.parentId ?? null,
        districts: body.districts ?? [],
        active: body.active ?? true,
      };
      try {
        return present((await storeUnit(db, change, request.principal.id)).unit);
      } catch (err) {
        throw err instanceof UnitRefused ? refusal(err) : err;
      }
    },
  );
};
