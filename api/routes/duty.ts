import { createHash } from 'node:crypto';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { parse } from 'csv-parse/sync';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/client';
import {
  activeAccountIds,
  deleteSlot,
  duties,
  dutyNow,
  isDuty,
  listSlots,
  rosterGaps,
  storeSlot,
  storeSlots,
  type Duty,
  type DutySlot,
  type DutySlotChange,
} from '../../db/duty';
import { patterns } from '../../workflows/fields';
import { directoryAccess } from '../../lib/directory-access';
import { Problem, problemResponses } from '../problem';
import { Text } from '../schemas';
import { Instant, instantMessage, isInstant } from '../instant';

/**
 * The 7×24 duty roster (值班, db/duty.ts): who is duty leader, duty officer and rapid-response
 * team for each district, or for the whole bureau, slot by slot, nights and holidays included.
 * Staff read it; supervisors and admins keep it, a slot at a time or a CSV at once.
 */

const { read: readers, edit: editors } = directoryAccess.duty;

const hourMs = 3_600_000;
/** A slot longer than a month is a typo (a year for a day), not a shift. */
const maxSlotMs = 31 * 24 * hourMs;
/** GET /duty without `to`: a week; at most a quarter, so an answer stays a page, not the archive. */
const defaultPeriodMs = 7 * 24 * hourMs;
const maxPeriodMs = 92 * 24 * hourMs;
/** A year of shifts for a few dozen districts; more is not a roster but a mistake. */
const maxImportRows = 20_000;
const importBodyLimit = 4 * 1024 * 1024;

const lineText = new RegExp(patterns.line.pattern, 'u');

const DutySchema = Type.Enum(duties, { description: 'duty_leader (值班领导), duty_officer (值班员) or rapid_team (快速响应组)' });
const District = Text(100, { example: 'nancheng' });
const SlotId = Text(100, { example: 'nancheng-2026-10-01-night-leader' });

const SlotBodySchema = Type.Object(
  {
    duty: DutySchema,
    district: Type.Optional(
      Type.Union([District, Type.Null()], { description: 'null or absent: the whole bureau, standing in for any district without its own slot' }),
    ),
    accountId: Text(100, { example: 'zhang.wei', description: 'An active staff account' }),
    startsAt: Instant('When the slot begins'),
    endsAt: Instant('When it ends (exclusive): the next slot begins then'),
  },
  { additionalProperties: false },
);
const SlotSchema = Type.Object({
  id: Type.String(),
  duty: DutySchema,
  district: Type.Union([Type.String(), Type.Null()]),
  accountId: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const GapSchema = Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) });
const HolderSchema = Type.Object({
  accountId: Type.String(),
  name: Type.String(),
  slotId: Type.String(),
  district: Type.Union([Type.String(), Type.Null()], { description: 'null: a bureau-wide slot standing in for the district' }),
  endsAt: Type.String({ format: 'date-time' }),
});
const byDuty = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Object({ duty_leader: Type.Array(item), duty_officer: Type.Array(item), rapid_team: Type.Array(item) }, { description });

const ListQuery = Type.Object(
  {
    district: Type.Optional(District),
    from: Type.Optional(Instant('Default: now')),
    to: Type.Optional(Instant('Default: a week after `from`; at most 92 days after it')),
  },
  { additionalProperties: false },
);
const NowQuery = Type.Object({ district: Type.Optional(District) }, { additionalProperties: false });
const SlotParams = Type.Object({ id: SlotId });

const iso = (date: Date) => date.toISOString();
const present = (slot: DutySlot) => ({ ...slot, startsAt: iso(slot.startsAt), endsAt: iso(slot.endsAt), createdAt: iso(slot.createdAt) });

const invalid = (errors: { field: string; message: string }[]) =>
  new Problem('validation', errors.length === 1 ? `${errors[0]!.field} ${errors[0]!.message}` : `${errors.length} fields are not valid`, { errors });

/** What is wrong with a slot's times, if anything, as field errors (`field` names the field of a body or the column of a row). */
function timeErrors(startsAt: Date, endsAt: Date, field: (name: string) => string): { field: string; message: string }[] {
  if (endsAt.getTime() <= startsAt.getTime()) return [{ field: field('ends'), message: 'must be after the start' }];
  if (endsAt.getTime() - startsAt.getTime() > maxSlotMs) return [{ field: field('ends'), message: 'is more than 31 days after the start: split the slot' }];
  return [];
}

/** Refuses accounts that are not active staff: a slot of nobody would hide a gap in the roster. */
async function checkAccounts(db: Db, named: { field: string; accountId: string }[]): Promise<void> {
  const found = new Set(await activeAccountIds(db, [...new Set(named.map((n) => n.accountId))]));
  const errors = named.filter((n) => !found.has(n.accountId)).map((n) => ({ field: n.field, message: `names no active account: ${n.accountId}` }));
  if (errors.length === 0) return;
  const detail = errors.length === 1 ? `${errors[0]!.field} ${errors[0]!.message}` : `${errors.length} rows name no active account`;
  throw new Problem('unknown-reference', detail, { errors });
}

const csvHeader = ['duty', 'district', 'account', 'starts_at', 'ends_at'] as const;

/**
 * The import's slot ids come from what each row says, so importing a file again replaces its
 * slots instead of adding them twice (times are compared as instants, whatever the offset).
 */
const importedId = (slot: Omit<DutySlotChange, 'id'>) =>
  `csv-${createHash('sha256')
    .update([slot.duty, slot.district ?? '', slot.accountId, iso(slot.startsAt), iso(slot.endsAt)].join('\n'))
    .digest('hex')
    .slice(0, 24)}`;

/**
 * The rows of a roster CSV as slots, or every error with its row (the file's line, the header
 * being line 1) and column: `row 3.starts_at`.
 */
function parseRoster(text: string): { slots: DutySlotChange[]; accounts: { field: string; accountId: string }[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with where it ended in the file; csv-parse's types
    // do not follow that option, so the shape it documents is stated here.
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (err) {
    throw invalid([{ field: 'body', message: `is not CSV: ${(err as Error).message}` }]);
  }
  const [header, ...rows] = records;
  if (!header || header.record.map((h) => h.toLowerCase()).join(',') !== csvHeader.join(',')) {
    throw invalid([{ field: 'header', message: `must be ${csvHeader.join(',')}` }]);
  }
  if (rows.length === 0) throw invalid([{ field: 'body', message: 'has no rows under the header' }]);
  if (rows.length > maxImportRows) throw invalid([{ field: 'body', message: `has ${rows.length} rows; at most ${maxImportRows} at once` }]);
  const errors: { field: string; message: string }[] = [];
  const slots: DutySlotChange[] = [];
  const accounts: { field: string; accountId: string }[] = [];
  for (const { record, info } of rows) {
    const row = `row ${info.lines}`;
    if (record.length !== csvHeader.length) {
      errors.push({ field: row, message: `has ${record.length} cells; expected ${csvHeader.length}` });
      continue;
    }
    const [duty, district, account, startsAt, endsAt] = record as [string, string, string, string, string];
    const before = errors.length;
    if (!isDuty(duty)) errors.push({ field: `${row}.duty`, message: `must be one of ${duties.join(', ')}` });
    if (district.length > 100 || !lineText.test(district))
      errors.push({ field: `${row}.district`, message: 'must be one line of at most 100 characters, or empty for the whole bureau' });
    if (account === '' || account.length > 100 || !lineText.test(account)) errors.push({ field: `${row}.account`, message: 'must be an account id' });
    if (!isInstant(startsAt)) errors.push({ field: `${row}.starts_at`, message: instantMessage });
    if (!isInstant(endsAt)) errors.push({ field: `${row}.ends_at`, message: instantMessage });
    if (errors.length > before) continue;
    const slot = {
      duty: duty as Duty,
      district: district === '' ? null : district,
      accountId: account,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
    };
    const wrong = timeErrors(slot.startsAt, slot.endsAt, (name) => `${row}.${name}_at`);
    if (wrong.length > 0) {
      errors.push(...wrong);
      continue;
    }
    slots.push({ id: importedId(slot), ...slot });
    accounts.push({ field: `${row}.account`, accountId: account });
  }
  if (errors.length > 0) throw invalid(errors);
  return { slots, accounts };
}

/** The duty roster: read by staff, kept by supervisors and admins. */
export const dutyRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps.database;

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/duty',
    {
      config: { roles: readers },
      schema: {
        tags: ['duty'],
        summary: 'The roster of a period: its slots, and with a district the gaps of each duty',
        description:
          `Roles: ${readers.join(', ')}. Slots overlapping [from, to); with \`district\`, its own and the bureau-wide ones (which stand in for it), ` +
          'and `gaps`: the stretches of the period with nobody on each duty there.',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            from: Type.String({ format: 'date-time' }),
            to: Type.String({ format: 'date-time' }),
            district: Type.Union([Type.String(), Type.Null()]),
            slots: Type.Array(
              Type.Object({
                ...SlotSchema.properties,
                accountName: Type.Union([Type.String(), Type.Null()], { description: "the person's name; null if the account is gone" }),
              }),
            ),
            gaps: Type.Optional(byDuty(GapSchema, 'With a district: when nobody holds each duty for it')),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { district } = request.query;
      const badTimes = (['from', 'to'] as const).filter((field) => request.query[field] !== undefined && !isInstant(request.query[field]));
      if (badTimes.length > 0) throw invalid(badTimes.map((field) => ({ field, message: instantMessage })));
      const from = request.query.from ? new Date(request.query.from) : new Date();
      const to = request.query.to ? new Date(request.query.to) : new Date(from.getTime() + defaultPeriodMs);
      if (to.getTime() <= from.getTime()) throw invalid([{ field: 'to', message: 'must be after from' }]);
      if (to.getTime() - from.getTime() > maxPeriodMs) throw invalid([{ field: 'to', message: 'must be at most 92 days after from' }]);
      const slots = await listSlots(db, { from, to, ...(district !== undefined ? { district } : {}) });
      const answer = { from: iso(from), to: iso(to), district: district ?? null, slots: slots.map(present) };
      if (district === undefined) return answer;
      const gapsOf = async (duty: Duty) => (await rosterGaps(db, duty, district, from, to)).map((g) => ({ from: iso(g.from), to: iso(g.to) }));
      const [leader, officer, team] = await Promise.all(duties.map(gapsOf));
      return { ...answer, gaps: { duty_leader: leader ?? [], duty_officer: officer ?? [], rapid_team: team ?? [] } };
    },
  );

  app.get<{ Querystring: Static<typeof NowQuery> }>(
    '/duty/now',
    {
      config: { roles: readers },
      schema: {
        tags: ['duty'],
        summary: 'Who holds each duty now (the district’s own slots, else the bureau-wide ones)',
        description: `Roles: ${readers.join(', ')}. Without \`district\`: the bureau-wide slots only. An empty list is a gap in the roster.`,
        querystring: NowQuery,
        response: {
          200: Type.Object({
            at: Type.String({ format: 'date-time' }),
            district: Type.Union([Type.String(), Type.Null()]),
            duties: byDuty(HolderSchema, 'The people on each duty now'),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const at = new Date();
      const district = request.query.district ?? null;
      const holders = await dutyNow(db, district, at);
      const shown = (duty: Duty) => holders[duty].map((h) => ({ ...h, endsAt: iso(h.endsAt) }));
      return { at: iso(at), district, duties: { duty_leader: shown('duty_leader'), duty_officer: shown('duty_officer'), rapid_team: shown('rapid_team') } };
    },
  );

  app.put<{ Params: Static<typeof SlotParams>; Body: Static<typeof SlotBodySchema> }>(
    '/duty/:id',
    {
      config: { roles: editors },
      schema: {
        tags: ['duty'],
        summary: 'Add a slot, or replace the one under this id',
        description: `Roles: ${editors.join(', ')}. The account must be active staff (else 422 unknown-reference naming accountId).`,
        params: SlotParams,
        body: SlotBodySchema,
        response: { 200: SlotSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { body } = request;
      const badTimes = (['startsAt', 'endsAt'] as const).filter((field) => !isInstant(body[field]));
      if (badTimes.length > 0) throw invalid(badTimes.map((field) => ({ field, message: instantMessage })));
      const slot: DutySlotChange = {
        id: request.params.id,
        duty: body.duty,
        district: body.district ?? null,
        accountId: body.accountId,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
      };
      const wrong = timeErrors(slot.startsAt, slot.endsAt, (name) => `${name}At`);
      if (wrong.length > 0) throw invalid(wrong);
      await checkAccounts(db, [{ field: 'accountId', accountId: slot.accountId }]);
      return present(await storeSlot(db, slot));
    },
  );

  app.delete<{ Params: Static<typeof SlotParams> }>(
    '/duty/:id',
    {
      config: { roles: editors },
      schema: {
        tags: ['duty'],
        summary: 'Remove a slot; answers the slot removed',
        description: `Roles: ${editors.join(', ')}.`,
        params: SlotParams,
        response: { 200: Type.Object({ deleted: SlotSchema }), ...problemResponses },
      },
    },
    async (request) => {
      const deleted = await deleteSlot(db, request.params.id);
      if (!deleted) throw new Problem('not-found', `no duty slot ${request.params.id}`);
      return { deleted: present(deleted) };
    },
  );

  // CSV is taken here only: everywhere else the API refuses what is not JSON (415).
  await app.register(async (csvScope) => {
    csvScope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: importBodyLimit }, (_request, body, done) => done(null, body));
    csvScope.post<{ Body: string }>(
      '/duty/import',
      {
        config: { roles: editors },
        bodyLimit: importBodyLimit,
        schema: {
          tags: ['duty'],
          summary: 'Import slots from a CSV (all rows or none)',
          description:
            `Roles: ${editors.join(', ')}. \`Content-Type: text/csv\`, UTF-8, header \`${csvHeader.join(',')}\`; ` +
            '`district` empty for the whole bureau, `account` an active staff account, times ISO 8601 with their offset (`2026-10-01T08:00+08:00`). ' +
            'One transaction: any bad row imports nothing, and the answer lists every error as `row <line>.<column>` (400, or 422 for an unknown account). ' +
            'Importing the same row again replaces its slot rather than adding a second.',
          consumes: ['text/csv'],
          body: Type.String({ description: 'The roster as CSV' }),
          response: {
            200: Type.Object({ imported: Type.Integer({ minimum: 0, description: 'Slots stored (rows given twice count once)' }) }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const { slots, accounts } = parseRoster(request.body);
        await checkAccounts(db, accounts);
        await storeSlots(db, slots);
        return { imported: new Set(slots.map((s) => s.id)).size };
      },
    );
  });
};
