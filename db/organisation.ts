import { asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { unitLevels, type Unit } from '../workflows/model';
import type { Db, Tx } from './client';
import { units, unitVersions } from './schema';

/**
 * The organisation registry (issue 14): the bureau's units, their level, parent and jurisdiction.
 * Every write goes through `storeUnit`, which keeps the tree a tree (no unknown parent, no cycle,
 * each level strictly below its parent's) and keeps every version, so a case assigned a unit
 * keeps the version it was given whatever is renamed later.
 */

export type UnitLevel = Unit['level'];

/** A unit as the registry holds it now. */
export interface RegisteredUnit {
  id: string;
  name: string;
  level: UnitLevel;
  /** Null: a root (the province). */
  parentId: string | null;
  /** The districts whose cases it covers; empty: those of its parent (see jurisdictionOf). */
  districts: string[];
  /** An inactive unit takes no new cases; the cases it has keep it. */
  active: boolean;
  version: number;
  updatedAt: Date;
}

/** What a caller sets; the registry keeps the version and the time. */
export type UnitChange = Omit<RegisteredUnit, 'version' | 'updatedAt'>;

/** One version of a unit, as it was from `changedAt` on. */
export interface UnitVersion extends Omit<RegisteredUnit, 'id' | 'updatedAt'> {
  changedAt: Date;
  changedBy: string;
}

/** The districts a unit covers, or every district: a root without districts (the province). */
export type Jurisdiction = string[] | 'all';

/**
 * A change the registry refuses, naming the field at fault, so the API can say which (422).
 * `unknown-parent`: the parent does not exist; `cycle`: the unit would be its own ancestor;
 * `level`: a level not strictly below the parent's, or not above a child's.
 */
export class UnitRefused extends Error {
  constructor(
    readonly reason: 'unknown-parent' | 'cycle' | 'level',
    readonly field: 'parentId' | 'level',
    message: string,
  ) {
    super(message);
    this.name = 'UnitRefused';
  }
}

/** Province 0, city 1, district 2, street 3: a child's rank is greater than its parent's. */
const rank = (level: string): number => unitLevels.indexOf(level as UnitLevel);

/**
 * Rows hold the level as text; the registry writes only the four levels (and the rows the read
 * side wrote before the registry came from cases, whose schema allowed only those), so the
 * cast states what the writes guarantee.
 */
const fromRow = (row: typeof units.$inferSelect): RegisteredUnit => ({ ...row, level: row.level as UnitLevel });

/**
 * Deeper than any chain the levels allow (province > city > district > street): it only bounds
 * the walk up the tree should rows written outside the registry ever form a cycle.
 */
const maxDepth = 16;

/** Every unit, by id. */
export async function listUnits(db: Db): Promise<RegisteredUnit[]> {
  const rows = await db.select().from(units).orderBy(asc(units.id));
  return rows.map(fromRow);
}

export async function getUnit(db: Db | Tx, id: string): Promise<RegisteredUnit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row ? fromRow(row) : undefined;
}

/** Every version of the unit, oldest first; empty for a unit that does not exist. */
export async function unitVersionsOf(db: Db, id: string): Promise<UnitVersion[]> {
  const rows = await db.select().from(unitVersions).where(eq(unitVersions.unitId, id)).orderBy(asc(unitVersions.version));
  return rows.map(({ unitId: _unitId, ...v }) => ({ ...v, level: v.level as UnitLevel }));
}

/** The unit's superior (`superior-of:<unit>`): its parent, or undefined for a root or an unknown unit. */
export async function superiorOf(db: Db, unitId: string): Promise<RegisteredUnit | undefined> {
  const parent = alias(units, 'parent');
  const [row] = await db.select({ parent }).from(units).innerJoin(parent, eq(parent.id, units.parentId)).where(eq(units.id, unitId));
  return row ? fromRow(row.parent) : undefined;
}

/**
 * The districts the unit covers: its own when it has any, else its parent's, up the chain; a
 * chain without any (the province root) covers every district. Undefined for an unknown unit.
 */
export async function jurisdictionOf(db: Db, unitId: string): Promise<Jurisdiction | undefined> {
  const { rows } = await db.execute<{ districts: string[]; depth: number }>(sql`
    with recursive chain (parent_id, districts, depth) as (
      select parent_id, districts, 0 from ${units} where id = ${unitId}
      union all
      select u.parent_id, u.districts, c.depth + 1
      from ${units} u join chain c on u.id = c.parent_id
      where c.depth < ${maxDepth}
    )
    select districts, depth from chain order by depth`);
  if (rows.length === 0) return undefined;
  return rows.find((r) => r.districts.length > 0)?.districts ?? 'all';
}

/** The ids of the unit and all its descendants (empty for an unknown unit): a unit sees its subtree's cases. */
export async function unitSubtree(db: Db, unitId: string): Promise<string[]> {
  // UNION, not UNION ALL: a row seen twice ends the walk, so even a cycle written around the
  // registry could not make it run forever.
  const { rows } = await db.execute<{ id: string }>(sql`
    with recursive tree (id) as (
      select id from ${units} where id = ${unitId}
      union
      select u.id from ${units} u join tree t on u.parent_id = t.id
    )
    select id from tree order by id`);
  return rows.map((r) => r.id);
}

/**
 * Adds the unit or changes it, in one transaction: the checks (parent, cycle, levels), the row
 * with its version bumped, and that version kept in `unit_versions`. A change that changes
 * nothing writes nothing and keeps the version. Throws `UnitRefused` for a unit that does not fit.
 */
export async function storeUnit(db: Db, change: UnitChange, changedBy: string): Promise<{ unit: RegisteredUnit; changed: boolean }> {
  return db.transaction(async (tx) => {
    await lockRegistry(tx);
    return storeLocked(tx, change, changedBy);
  });
}

/**
 * Adds those of `wanted` that are not on file, parents before children, and leaves the others
 * as they are (someone may have changed them); returns the ids it added.
 */
export async function storeMissingUnits(db: Db, wanted: readonly UnitChange[], changedBy: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    await lockRegistry(tx);
    const ids = wanted.map((u) => u.id);
    const present = await tx.select({ id: units.id }).from(units).where(inArray(units.id, ids));
    const added: string[] = [];
    for (const unit of wanted) {
      if (present.some((p) => p.id === unit.id)) continue;
      await storeLocked(tx, unit, changedBy);
      added.push(unit.id);
    }
    return added;
  });
}

/**
 * One writer at a time: the checks read the tree their write must keep consistent, and two
 * changes checked side by side (A under B, B under A) would each pass and make a cycle together.
 * Changes are rare and quick, so serialising them costs nothing.
 */
async function lockRegistry(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('organisation'))`);
}

async function storeLocked(tx: Tx, change: UnitChange, changedBy: string): Promise<{ unit: RegisteredUnit; changed: boolean }> {
  // Districts are a set: the same ones in another order, or one named twice, are no change.
  const next: UnitChange = { ...change, districts: [...new Set(change.districts)].sort() };
  const current = await getUnit(tx, next.id);
  if (current && sameUnit(current, next)) return { unit: current, changed: false };
  await checkPlacement(tx, next);
  const unit: RegisteredUnit = { ...next, version: (current?.version ?? 0) + 1, updatedAt: new Date() };
  const { id: _id, ...columns } = unit;
  await tx.insert(units).values(unit).onConflictDoUpdate({ target: units.id, set: columns });
  await tx.insert(unitVersions).values({
    unitId: unit.id,
    version: unit.version,
    name: unit.name,
    level: unit.level,
    parentId: unit.parentId,
    districts: unit.districts,
    active: unit.active,
    changedAt: unit.updatedAt,
    changedBy,
  });
  return { unit, changed: true };
}

function sameUnit(a: UnitChange, b: UnitChange): boolean {
  return (
    a.name === b.name &&
    a.level === b.level &&
    a.parentId === b.parentId &&
    a.active === b.active &&
    a.districts.length === b.districts.length &&
    a.districts.every((d, i) => d === b.districts[i])
  );
}

/** Refuses a parent that does not exist, a cycle, and a level out of order with the parent or a child. */
async function checkPlacement(tx: Tx, unit: UnitChange): Promise<void> {
  if (unit.parentId !== null) {
    const parent = await getUnit(tx, unit.parentId);
    if (!parent) throw new UnitRefused('unknown-parent', 'parentId', `parentId names no unit: ${unit.parentId}`);
    // Checked before the levels: a unit put under its own descendant is told so, not that the levels disagree.
    const { rows: ancestors } = await tx.execute<{ id: string }>(sql`
      with recursive chain (id, parent_id) as (
        select id, parent_id from ${units} where id = ${unit.parentId}
        union
        select u.id, u.parent_id from ${units} u join chain c on u.id = c.parent_id
      )
      select id from chain where id = ${unit.id}`);
    if (ancestors.length > 0) {
      throw new UnitRefused('cycle', 'parentId', `parentId ${unit.parentId} is ${unit.id} itself or one of its descendants: that would make a cycle`);
    }
    if (rank(unit.level) <= rank(parent.level)) {
      throw new UnitRefused(
        'level',
        'level',
        `a ${unit.level} unit cannot be under the ${parent.level} unit ${parent.id}: its level must be below its parent's`,
      );
    }
  }
  // A unit whose level changes must stay above each of its children.
  const children = await tx.select({ id: units.id, level: units.level }).from(units).where(eq(units.parentId, unit.id));
  const above = children.find((c) => rank(c.level) <= rank(unit.level));
  if (above) {
    throw new UnitRefused('level', 'level', `a ${unit.level} unit cannot be above its ${above.level} unit ${above.id}: its level must be above its children's`);
  }
}
