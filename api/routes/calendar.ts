import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { loadCalendarYears } from '../../db/calendar';
import { staffRoles } from '../../lib/principal';
import { problemResponses } from '../problem';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100, examples: [2026] }) }, { additionalProperties: false });

const Dates = (description: string) => Type.Array(Type.String({ format: 'date' }), { description });

const CalendarYearSchema = Type.Object({
  year: Type.Integer(),
  status: Type.Union([Type.Literal('official'), Type.Literal('provisional')], {
    description: "provisional: the State Council's schedule is not published yet; the statutory holidays only, no make-up days",
  }),
  source: Type.String({ description: 'where the data comes from' }),
  holidays: Dates('days off that would otherwise be working days (Shanghai dates)'),
  workdays: Dates('make-up working days (调休) on a weekend'),
});

/**
 * The working-day calendar the deadlines are counted with, for the console's countdowns
 * (剩余N个工作日): the same years the workflows load (db/calendar.ts), so the console counts with
 * the workflow's own function (workflows/calendar.ts) on the workflow's own data.
 */
export const calendarRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: Static<typeof YearParams> }>(
    '/calendar/:year',
    {
      config: { roles: [...staffRoles, 'integrator'] },
      schema: {
        tags: ['complaints'],
        summary: "A year of the bureau's working-day calendar: holidays and make-up working days",
        params: YearParams,
        response: { 200: CalendarYearSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const [year] = await loadCalendarYears(app.deps.database.db, [request.params.year]);
      // Ops may load an official year at any time: an hour's staleness at most.
      reply.header('cache-control', 'private, max-age=3600');
      return year;
    },
  );
};
