import type { UnitRow } from '../../types';

export interface UnitNode extends UnitRow {
  children?: UnitNode[];
}

/**
 * The units as the tree their parents make, each level by name. A unit whose parent is not in
 * the list (never, as the registry refuses an unknown parent) shows as a root rather than not at all.
 */
export function unitTree(units: readonly UnitRow[]): UnitNode[] {
  const ids = new Set(units.map((u) => u.id));
  const childrenOf = new Map<string | null, UnitRow[]>();
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), unit]);
  }
  const build = (parent: string | null, seen: ReadonlySet<string>): UnitNode[] =>
    (childrenOf.get(parent) ?? [])
      .filter((u) => !seen.has(u.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((unit) => {
        const children = build(unit.id, new Set([...seen, unit.id]));
        return children.length > 0 ? { ...unit, children } : { ...unit };
      });
  return build(null, new Set());
}

/** The unit and every unit below it: none of them may become its parent (a cycle). */
export function selfAndBelow(units: readonly UnitRow[], id: string): Set<string> {
  const below = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId !== null && below.has(unit.parentId) && !below.has(unit.id)) {
        below.add(unit.id);
        grew = true;
      }
    }
  }
  return below;
}
