import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { patterns } from '../workflows/fields';

/**
 * How a hotline platform (12345, 12369) writes its work orders (工单) and wants to hear back: the
 * name of each field, its words for the complaint types and districts, and for the steps it is
 * told of. Platforms differ, so this is data (`HOTLINE_MAPPING_FILE`); the default follows the
 * field names of the 12345 platforms' work-order exchange.
 */
export const HotlineMappingSchema = Type.Object(
  {
    /** The platform's name of each field of a work order, and of the answers. */
    fields: Type.Object({
      workOrderNo: Type.String(),
      caller: Type.String(),
      contact: Type.String(),
      content: Type.String(),
      address: Type.String(),
      district: Type.String(),
      type: Type.String(),
      dueAt: Type.String(),
      step: Type.String(),
      at: Type.String(),
      unit: Type.String(),
      result: Type.String(),
      satisfaction: Type.String(),
    }),
    /** 诉求类型 → category (lib/labels-zh.ts categoryZh); a type not listed is taken as it is. */
    categories: Type.Record(Type.String(), Type.String()),
    /** The platform's district names → ours; a name not listed is taken as it is. */
    districts: Type.Record(Type.String(), Type.String()),
    /** The platform's words for the steps it is told of: signed for (签收), the result (办结), the callback (回访). */
    steps: Type.Object({ accepted: Type.String(), result_submitted: Type.String(), callback: Type.String() }),
    /** Which hotline the platform is: the channel its cases come by (absent: 12345). */
    channel: Type.Optional(Type.Union([Type.Literal('hotline_12345'), Type.Literal('hotline_12369')])),
  },
  { additionalProperties: false },
);
export type HotlineMapping = Static<typeof HotlineMappingSchema>;

export const defaultHotlineMapping: HotlineMapping = {
  fields: {
    workOrderNo: '工单号',
    caller: '来电人',
    contact: '联系方式',
    content: '诉求内容',
    address: '地址',
    district: '所属区县',
    type: '诉求类型',
    dueAt: '办理时限',
    step: '办理环节',
    at: '办理时间',
    unit: '承办单位',
    result: '办理结果',
    satisfaction: '回访结果',
  },
  categories: {
    噪声: 'noise',
    噪声扰民: 'noise',
    异味: 'odour',
    废气: 'air',
    大气污染: 'air',
    油烟: 'cooking_fumes',
    餐饮油烟: 'cooking_fumes',
    水污染: 'water',
    偷排: 'hidden_discharge_pipe',
    固体废物: 'solid_waste',
    危险废物: 'hazardous_waste_dumping',
    辐射: 'radiation',
    生态破坏: 'ecology',
  },
  districts: {},
  steps: { accepted: '签收', result_submitted: '办结', callback: '回访' },
};

/** The mapping in `file`, or the default; a file that does not fit the schema stops the start. */
export function loadHotlineMapping(file: string | undefined): HotlineMapping {
  if (!file) return defaultHotlineMapping;
  const read: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Value.Check(HotlineMappingSchema, read)) {
    const first = [...Value.Errors(HotlineMappingSchema, read)][0];
    throw new Error(`${file}: not a hotline mapping (${first?.instancePath || '/'} ${first?.message ?? ''})`);
  }
  return read;
}

/** What the service takes from a work order: the submission's parts, and the order's own number and deadline. */
export interface WorkOrder {
  number: string;
  /** The platform's deadline for the answer, as it wrote it. */
  dueAt?: string;
  category: string;
  district: string;
  description: string;
  address: string;
  caller?: string;
  contact?: string;
}

/**
 * Reads a work order through the mapping: the fields it must have, by the platform's names; the
 * errors name those fields as the platform wrote them.
 */
export function readWorkOrder(mapping: HotlineMapping, order: Record<string, unknown>): WorkOrder | { errors: { field: string; message: string }[] } {
  const { fields } = mapping;
  const text = (name: string) => {
    const value = order[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  };
  const required = [fields.workOrderNo, fields.content, fields.address, fields.district, fields.type] as const;
  // Checked before anything is stored: the work-order number is the registration's idempotency
  // key, and Postgres refuses a NUL (the fuzz stage found it as a 500).
  const printable = new RegExp(patterns.text.pattern, 'u');
  const unreadable = Object.values(fields)
    .filter((name) => typeof order[name] === 'string' && !printable.test(order[name]))
    .map((field) => ({ field, message: patterns.text.message }));
  const errors = [...required.filter((name) => text(name) === undefined).map((field) => ({ field, message: 'is required' })), ...unreadable];
  if (errors.length > 0) return { errors };
  const type = text(fields.type)!;
  const district = text(fields.district)!;
  const caller = text(fields.caller);
  const contact = text(fields.contact);
  const dueAt = text(fields.dueAt);
  return {
    number: text(fields.workOrderNo)!,
    category: mapping.categories[type] ?? type,
    district: mapping.districts[district] ?? district,
    // The platform's type stays with the words, which the category may have narrowed.
    description: `【${type}】${text(fields.content)!}`,
    address: text(fields.address)!,
    ...(caller ? { caller } : {}),
    ...(contact ? { contact } : {}),
    ...(dueAt ? { dueAt } : {}),
  };
}

/** The facts of a step the platform is told of: which step, when, by whom, and what came of it. */
export interface HotlineStep {
  workOrderNo: string;
  kind: keyof HotlineMapping['steps'];
  /** ISO 8601. */
  at: string;
  unit?: string;
  /** The result's reply to the caller (办结). */
  result?: string;
  /** The callback's outcome, in Chinese (回访). */
  satisfaction?: string;
}

/** A step as the platform reads it: its field names and its words, the time in Beijing time. */
export function hotlineBody(mapping: HotlineMapping, step: HotlineStep): Record<string, string> {
  const { fields } = mapping;
  const beijing = new Date(Date.parse(step.at) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    [fields.workOrderNo]: step.workOrderNo,
    [fields.step]: mapping.steps[step.kind],
    [fields.at]: beijing,
    ...(step.unit ? { [fields.unit]: step.unit } : {}),
    ...(step.result ? { [fields.result]: step.result } : {}),
    ...(step.satisfaction ? { [fields.satisfaction]: step.satisfaction } : {}),
  };
}
