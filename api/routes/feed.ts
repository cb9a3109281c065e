import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { feedCursor, feedPosition, readFeed, type FeedFilter } from '../../db/feed';
import { problemResponses } from '../problem';
import { requestScope, type Scope } from '../scope';

/** A position in the feed, as the caller gets it and gives it back: opaque to them. */
// Decimal without leading zeros (Postgres would read `0669` as octal), each part within its type:
// a transaction id below 10^19 (xid8 is 64-bit unsigned), a row number below 10^15.
const Cursor = Type.String({ pattern: '^(0|[1-9][0-9]{0,18})-(0|[1-9][0-9]{0,14})$', description: 'the `next` of an earlier answer', examples: ['7421-96'] });

const Query = Type.Object(
  {
    after: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const FeedEventSchema = Type.Object({
  cursor: Type.String({ description: 'this event’s place in the feed: `after` it to read on from here' }),
  caseId: Type.String({ examples: ['20261124-3f9a0c1b2d'] }),
  seq: Type.Integer({ description: 'the event’s number in its case: 1, 2, 3… without gaps' }),
  kind: Type.String({ description: 'what happened: a timeline kind (`GET /complaints/{id}/timeline`)', examples: ['assigned'] }),
  at: Type.String({ format: 'date-time' }),
});

const description = [
  'Every change of the cases the caller may see, in order, for integrators that pull (an integrator sees the cases it registered). Read from the start, then pass the answer’s `next` as `after` to read on; `next` stays where it was when nothing is new.',
  '',
  '- **No gap, no duplicate**: an event is served only once every earlier write has committed or failed, so reading on from a cursor never skips one written late. A reader that loses its place and reads again from an older cursor gets those events again (at least once).',
  '- **In order per case**: `seq` 1, 2, 3…; a case’s event never comes before its predecessor.',
  '- **No personal data**: what happened and when; read the case (`GET /complaints/{id}`) for what the caller may see of it.',
].join('\n');

const filterOf = (scope: Scope): FeedFilter => {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'districts':
      return { districts: scope.districts };
    case 'unit':
      return { unit: scope.unitId };
    case 'submitted':
      return { registeredBy: scope.by };
  }
};

/** `GET /feed`: the change feed, read page by page from a cursor (db/feed.ts). */
export const feedRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/feed',
    {
      config: { roles: ['integrator', 'registrar', 'unit', 'leader', 'supervisor', 'ops'] },
      schema: {
        tags: ['complaints'],
        summary: 'The change feed of the cases the caller may see, from a cursor',
        description,
        querystring: Query,
        response: {
          200: Type.Object({
            events: Type.Array(FeedEventSchema),
            next: Type.Union([Cursor, Type.Null()], { description: 'pass as `after` for what follows; null: nothing read yet' }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { db } = app.deps.database;
      const filter = filterOf(await requestScope(request, db));
      const { after } = request.query;
      const events = await readFeed(db, { filter, after: after === undefined ? undefined : feedPosition(after), limit: request.query.limit ?? 100 });
      const last = events.at(-1);
      return {
        events: events.map(({ position, at, ...event }) => ({ cursor: feedCursor(position), ...event, at: at.toISOString() })),
        next: last ? feedCursor(last.position) : (after ?? null),
      };
    },
  );
};
