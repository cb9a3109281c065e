import { and, asc, eq, gt, inArray, isNull, lte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { accounts, dutySlots } from './schema';

/**
 * The 7×24 duty roster (值班, issue 14): who holds which duty, for a district or (district null)
 * the whole bureau, from `startsAt` up to `endsAt`. Nights and holidays are slots like any other;
 * slots may overlap (two people on one duty). A district's own slots come first: the bureau-wide
 * ones stand in where the district has nobody.
 */

export const duties = ['duty_leader', 'duty_officer', 'rapid_team'] as const;
export type Duty = (typeof duties)[number];

export const isDuty = (value: string): value is Duty => (duties as readonly string[]).includes(value);

/** A slot as a caller sets it. */
export interface DutySlotChange {
  id: string;
  duty: Duty;
  /** Null: the whole bureau, standing in for any district without its own slot then. */
  district: string | null;
  accountId: string;
  startsAt: Date;
  /** Exclusive: at `endsAt` the next slot's people are on duty. */
  endsAt: Date;
}

export interface DutySlot extends DutySlotChange {
  createdAt: Date;
}

/** An interval of the period with nobody on a duty. */
export interface RosterGap {
  from: Date;
  to: Date;
}

/** Rows hold the duty as text; the only writers, below, are given one of `duties` (api/routes/duty.ts checks it). */
const fromRow = (row: typeof dutySlots.$inferSelect): DutySlot => ({ ...row, duty: row.duty as Duty });

/** The slots of the district and the bureau-wide ones; null: the bureau-wide ones only. */
const forDistrict = (district: string | null): SQL | undefined =>
  district === null ? isNull(dutySlots.district) : or(eq(dutySlots.district, district), isNull(dutySlots.district));

/** Adds the slot, or replaces the one on file under its id. */
export async function storeSlot(db: Db, slot: DutySlotChange): Promise<DutySlot> {
  const { id: _id, ...columns } = slot;
  const [row] = await db.insert(dutySlots).values(slot).onConflictDoUpdate({ target: dutySlots.id, set: columns }).returning();
  if (!row) throw new Error(`duty slot ${slot.id} was not stored`);
  return fromRow(row);
}

/** Rows per statement of an import: well under Postgres's 65,535 parameters (6 a row). */
const importBatch = 1_000;

/** Stores every slot or none (an import): one transaction, a statement per thousand slots. */
export async function storeSlots(db: Db, slots: readonly DutySlotChange[]): Promise<void> {
  // One statement may not touch a row twice: a slot given twice is stored once, as last given.
  const unique = [...new Map(slots.map((slot) => [slot.id, slot])).values()];
  await db.transaction(async (tx) => {
    for (let i = 0; i < unique.length; i += importBatch) {
      await tx
        .insert(dutySlots)
        .values(unique.slice(i, i + importBatch))
        .onConflictDoUpdate({
          target: dutySlots.id,
          set: {
            duty: sql`excluded.duty`,
            district: sql`excluded.district`,
            accountId: sql`excluded.account_id`,
            startsAt: sql`excluded.starts_at`,
            endsAt: sql`excluded.ends_at`,
          },
        });
    }
  });
}

export async function getSlot(db: Db, id: string): Promise<DutySlot | undefined> {
  const [row] = await db.select().from(dutySlots).where(eq(dutySlots.id, id));
  return row ? fromRow(row) : undefined;
}

/** Removes the slot; answers what it was, or undefined when there was none. */
export async function deleteSlot(db: Db, id: string): Promise<DutySlot | undefined> {
  const [gone] = await db.delete(dutySlots).where(eq(dutySlots.id, id)).returning();
  return gone ? fromRow(gone) : undefined;
}

/**
 * The slots that overlap [from, to), earliest first; with a district, its own and the bureau-wide
 * ones (who stand in for it), else all.
 */
export async function listSlots(
  db: Db,
  { from, to, district }: { from: Date; to: Date; district?: string },
): Promise<(DutySlot & { accountName: string | null })[]> {
  // People read the roster by name; a slot whose account is gone still shows, by its id.
  const rows = await db
    .select({ slot: dutySlots, accountName: accounts.name })
    .from(dutySlots)
    .leftJoin(accounts, eq(accounts.id, dutySlots.accountId))
    .where(and(lt(dutySlots.startsAt, to), gt(dutySlots.endsAt, from), district === undefined ? undefined : forDistrict(district)))
    .orderBy(asc(dutySlots.startsAt), asc(dutySlots.duty), asc(dutySlots.id));
  return rows.map((r) => ({ ...fromRow(r.slot), accountName: r.accountName }));
}

/**
 * The slots of a duty that count for the district in [from, to): held by an active account (a
 * person who left cannot be alerted) and overlapping the period.
 */
async function countingSlots(db: Db, duty: Duty, district: string | null, from: Date, to: Date): Promise<DutySlot[]> {
  const rows = await db
    .select({ slot: dutySlots })
    .from(dutySlots)
    .innerJoin(accounts, eq(accounts.id, dutySlots.accountId))
    .where(and(eq(dutySlots.duty, duty), forDistrict(district), lt(dutySlots.startsAt, to), gt(dutySlots.endsAt, from), eq(accounts.active, true)))
    .orderBy(asc(dutySlots.startsAt), asc(dutySlots.accountId));
  return rows.map((r) => fromRow(r.slot));
}

/**
 * Who holds the duty at `at` for the district: the accounts of its own slots then, else those of
 * the bureau-wide slots (null district: those only). Empty: a gap in the roster.
 */
export async function onDutyAt(db: Db, duty: Duty, district: string | null, at: Date): Promise<string[]> {
  const rows = await db
    .select({ accountId: dutySlots.accountId, district: dutySlots.district })
    .from(dutySlots)
    .innerJoin(accounts, eq(accounts.id, dutySlots.accountId))
    .where(and(eq(dutySlots.duty, duty), forDistrict(district), lte(dutySlots.startsAt, at), gt(dutySlots.endsAt, at), eq(accounts.active, true)));
  const own = rows.filter((r) => r.district !== null);
  return [...new Set((own.length > 0 ? own : rows).map((r) => r.accountId))].sort();
}

/** Who holds each duty at `at` for the district (see onDutyAt), with their names and slots. */
export async function dutyNow(
  db: Db,
  district: string | null,
  at: Date,
): Promise<Record<Duty, { accountId: string; name: string; slotId: string; district: string | null; endsAt: Date }[]>> {
  const rows = await db
    .select({ slot: dutySlots, name: accounts.name })
    .from(dutySlots)
    .innerJoin(accounts, eq(accounts.id, dutySlots.accountId))
    .where(and(inArray(dutySlots.duty, [...duties]), forDistrict(district), lte(dutySlots.startsAt, at), gt(dutySlots.endsAt, at), eq(accounts.active, true)))
    .orderBy(asc(dutySlots.accountId), asc(dutySlots.id));
  const holders = (duty: Duty) => {
    const ofDuty = rows.filter((r) => r.slot.duty === duty);
    const own = ofDuty.filter((r) => r.slot.district !== null);
    return (own.length > 0 ? own : ofDuty).map(({ slot, name }) => ({
      accountId: slot.accountId,
      name,
      slotId: slot.id,
      district: slot.district,
      endsAt: slot.endsAt,
    }));
  };
  return { duty_leader: holders('duty_leader'), duty_officer: holders('duty_officer'), rapid_team: holders('rapid_team') };
}

/**
 * The parts of [from, to) when nobody holds the duty for the district: covered where a slot of
 * the district or a bureau-wide one is (as onDutyAt answers), a gap elsewhere. Earliest first.
 */
export async function rosterGaps(db: Db, duty: Duty, district: string | null, from: Date, to: Date): Promise<RosterGap[]> {
  const slots = await countingSlots(db, duty, district, from, to);
  const gaps: RosterGap[] = [];
  let cursor = from.getTime();
  // Sorted by start: each slot either leaves a gap before it or extends the covered stretch.
  for (const slot of slots) {
    const start = slot.startsAt.getTime();
    if (start > cursor) gaps.push({ from: new Date(cursor), to: slot.startsAt });
    cursor = Math.max(cursor, slot.endsAt.getTime());
    if (cursor >= to.getTime()) break;
  }
  if (cursor < to.getTime()) gaps.push({ from: new Date(cursor), to });
  return gaps;
}

/** Those of `ids` that name an active account: the only ones a slot may name. */
export async function activeAccountIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(inArray(accounts.id, [...new Set(ids)]), eq(accounts.active, true)));
  return rows.map((r) => r.id);
}
