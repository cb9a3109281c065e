/**
 * The directory routes' refusals in plain Chinese. Their field messages are the API's English
 * (api/routes/duty.ts, db/organisation.ts, Ajv's): each known one is put into Chinese here, and
 * set beside the form's field it names.
 */
import type { FormInstance } from 'antd';
import { ApiError } from '../../api';
import { labelZh, problemZh, unitLevelZh } from '../../labels';

const level = (code: string | undefined) => labelZh(unitLevelZh, code ?? '');

const known: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be after the start$/, () => '须晚于开始时间'],
  [/^is more than 31 days after the start/, () => '距开始时间超过 31 天，请拆分为几个班次'],
  [/^names no active account: (.*)$/, (m) => `没有在职账号“${m[1]}”`],
  [/^must be an ISO 8601 instant/, () => '时间格式应为 2026-10-01T08:00+08:00（含时区）'],
  [/^must be one of (.*)$/, (m) => `须为 ${m[1]} 之一`],
  [/^must be one line of at most (\d+) characters/, (m) => `须为不超过 ${m[1]} 字的一行文字，全局值班留空`],
  [/^must be an account id$/, () => '须填写账号'],
  [/^has (\d+) cells; expected (\d+)$/, (m) => `有 ${m[1]} 列，应为 ${m[2]} 列`],
  [/^must be (duty,.*)$/, (m) => `须为 ${m[1]}`],
  [/^has no rows under the header$/, () => '表头下没有数据行'],
  [/^has (\d+) rows; at most (\d+) at once$/, (m) => `共 ${m[1]} 行，一次最多导入 ${m[2]} 行`],
  [/^is not CSV/, () => '不是有效的 CSV 文件'],
  [/^parentId names no unit: (.*)$/, (m) => `上级单位“${m[1]}”不存在`],
  [/would make a cycle$/, () => '不能设为本单位或其下级单位'],
  [/^a (\w+) unit cannot be under the (\w+) unit (\S+):/, (m) => `${level(m[1])}单位不能隶属于${level(m[2])}单位 ${m[3]}，级别须低于上级单位`],
  [/^a (\w+) unit cannot be above its (\w+) unit (\S+):/, (m) => `${level(m[1])}单位不能高于其下级的${level(m[2])}单位 ${m[3]}，级别须高于下级单位`],
  [/^is not allowed: control characters/, () => '不能包含控制字符或换行'],
  [/^must NOT have more than (\d+) characters$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^must NOT have fewer than \d+ characters$/, () => '不能为空'],
  [/^must NOT have more than (\d+) items$/, (m) => `最多 ${m[1]} 项`],
  [/^must have required property/, () => '必须填写'],
  [/^must be equal to one of the allowed values$/, () => '取值不在可选范围内'],
  [/^is not a known field$/, () => '不是可接受的字段'],
];

/** An API field message in Chinese; one this console does not know keeps its words, marked as the service's. */
export function messageZh(message: string): string {
  for (const [pattern, say] of known) {
    const match = message.match(pattern);
    if (match) return say(match);
  }
  return `不符合要求（服务答复：${message}）`;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The field errors of a 4xx (validation, an unknown account, a misplaced unit), if it has any. */
export function fieldProblems(error: unknown): FieldProblem[] {
  return error instanceof ApiError && error.status < 500 ? (error.problem.errors ?? []) : [];
}

/** What went wrong, for the dialog's alert: the field errors by their labels, else the problem. */
export function problemText(error: unknown, labels: Readonly<Record<string, string>>): string {
  const fields = fieldProblems(error);
  if (fields.length === 0) {
    if (error instanceof ApiError && (error.type === 'not-found' || error.type === 'unit-not-found')) return '记录不存在（可能已被删除），请刷新后再试';
    return problemZh(error);
  }
  const field = (name: string) => labels[name.split('.')[0] ?? name] ?? name;
  return `未保存。${fields.map((f) => `${field(f.field)}：${messageZh(f.message)}`).join('；')}`;
}

/**
 * Sets each field error of the API's answer beside the form's field it names (`districts.2` is
 * the districts field); answers the alert's text for the whole refusal.
 */
export function showProblem<T extends object>(form: FormInstance<T>, error: unknown, labels: Readonly<Record<string, string>>): string {
  const byField = new Map<string, string[]>();
  for (const { field, message } of fieldProblems(error)) {
    const name = field.split('.')[0] ?? field;
    if (name in labels) byField.set(name, [...(byField.get(name) ?? []), messageZh(message)]);
  }
  // antd's NamePath is typed by the form's values; these names are its fields by the check above.
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return problemText(error, labels);
}
