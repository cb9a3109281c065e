/**
 * An action's form, read from the JSON Schema of its body (the action table's `args`,
 * workflows/actions.ts, as `GET /complaints/{id}/actions` hands it out): which fields, of what
 * kind, required or not, within which bounds. The schema stays the one truth: the console adds
 * only Chinese labels and the widgets.
 */
import { enumLabels, fieldLabel, labelZh } from '../labels';
import type { JsonSchema } from '../types';

export interface Option {
  value: string | number;
  label: string;
}

interface Common {
  name: string;
  label: string;
  required: boolean;
  schema: JsonSchema;
}

export type Field =
  | (Common & { kind: 'text'; multiLine: boolean })
  | (Common & { kind: 'select'; options: Option[]; multiple: boolean })
  | (Common & { kind: 'boolean' })
  | (Common & { kind: 'number'; integer: boolean })
  /** A unit of the registry (workflows/fields.ts UnitSchema): chosen from GET /units. */
  | (Common & { kind: 'unit' })
  /** Owning leaders (LeaderOwnerSchema[]): chosen from GET /leaders. */
  | (Common & { kind: 'owners' })
  /** Co-units of a joint case (联合办理): each a unit of the registry and its task. */
  | (Common & { kind: 'coUnits' })
  /** Links (evidence): typed in, one per tag. */
  | (Common & { kind: 'links' })
  /** A shape the console has no widget for: its JSON, typed in. */
  | (Common & { kind: 'json' });

/** Longer texts (reasons, notes, replies: 2,000 and 5,000 characters) get a text area. */
const multiLineFrom = 200;

/** An enum's values: TypeBox writes `enum`, or `anyOf` of `const`s. */
export function enumValues(schema: JsonSchema): (string | number)[] | undefined {
  if (schema.enum) return [...schema.enum];
  const consts = schema.anyOf?.map((s) => s.const);
  return consts && consts.length > 0 && consts.every((c) => c !== undefined) ? consts : undefined;
}

function optionsOf(name: string, values: (string | number)[]): Option[] {
  const labels = enumLabels[name];
  return values.map((value) => ({ value, label: labels ? labelZh(labels, String(value)) : String(value) }));
}

function fieldOf(name: string, schema: JsonSchema, required: boolean): Field {
  const common = { name, label: fieldLabel(name), required, schema };
  const values = enumValues(schema);
  if (values) return { ...common, kind: 'select', options: optionsOf(name, values), multiple: false };
  switch (schema.type) {
    case 'string':
      return { ...common, kind: 'text', multiLine: (schema.maxLength ?? Infinity) > multiLineFrom };
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'integer':
    case 'number':
      return { ...common, kind: 'number', integer: schema.type === 'integer' };
    case 'object': {
      const props = schema.properties ?? {};
      if ('id' in props && 'name' in props && 'level' in props) return { ...common, kind: 'unit' };
      break;
    }
    case 'array': {
      const items = schema.items ?? {};
      const itemValues = enumValues(items);
      if (itemValues) return { ...common, kind: 'select', options: optionsOf(name, itemValues), multiple: true };
      if (items.type === 'object' && items.properties && 'leaderId' in items.properties) return { ...common, kind: 'owners' };
      if (items.type === 'object' && items.properties && 'unit' in items.properties && 'task' in items.properties) return { ...common, kind: 'coUnits' };
      if (items.type === 'string') return { ...common, kind: 'links' };
      break;
    }
  }
  return { ...common, kind: 'json' };
}

export function fieldsOf(schema: JsonSchema): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => fieldOf(name, property, required.has(name)));
}

/**
 * The body to send: each field's value, without the empty optional ones (the API refuses an empty
 * string where it takes text of at least one character).
 */
export function bodyOf(fields: Field[], values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    if (Array.isArray(value) && value.length === 0 && !field.required) continue;
    if (field.kind === 'json' && typeof value === 'string') body[field.name] = JSON.parse(value) as unknown;
    else body[field.name] = value;
  }
  return body;
}
