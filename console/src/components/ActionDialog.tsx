import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Typography, type FormRule } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, get, newIdempotencyKey, request } from '../api';
import { actionLabel, fieldLabel, labelZh, ownerKindZh, problemZh, unitLevelZh } from '../labels';
import type { ActionReceipt, CaseAction, LeaderRow, UnitRow } from '../types';
import { bodyOf, fieldsOf, type Field } from './schema-fields';

interface UnitValue {
  id: string;
  name: string;
  level: UnitRow['level'];
}

interface OwnerValue {
  leaderId: string;
  kind: 'system' | 'territorial';
}

/** A list the form's selects draw on (the unit registry, the leader directory), loaded when the select is shown. */
function useList<T>(path: string, pick: (answer: unknown) => T[]): { items: T[] | undefined; error: unknown } {
  const [state, setState] = useState<{ items: T[] | undefined; error: unknown }>({ items: undefined, error: undefined });
  useEffect(() => {
    const controller = new AbortController();
    get<unknown>(path, controller.signal).then(
      (answer) => setState({ items: pick(answer), error: undefined }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ items: [], error });
      },
    );
    return () => controller.abort();
    // `pick` is a module-level function at every call site: it never changes.
  }, [path, pick]);
  return state;
}

const unitsOf = (answer: unknown) => (answer as { units: UnitRow[] }).units.filter((u) => u.active);
const leadersOf = (answer: unknown) => (answer as { leaders: LeaderRow[] }).leaders.filter((l) => l.active);

/** The unit as the action takes it: `{ id, name, level }` of the registry (the API keeps the registry's version). */
function UnitSelect({ value, onChange, id }: { value?: UnitValue; onChange?: (value: UnitValue | undefined) => void; id?: string }) {
  const { items, error } = useList('/units', unitsOf);
  return (
    <Select<string>
      id={id}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      placeholder="选择承办单位"
      loading={items === undefined}
      value={value?.id}
      notFoundContent={error ? `单位名录读取失败：${problemZh(error)}` : '没有可选的单位'}
      options={(items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${labelZh(unitLevelZh, u.level)}）` }))}
      onChange={(unitId) => {
        const unit = items?.find((u) => u.id === unitId);
        onChange?.(unit ? { id: unit.id, name: unit.name, level: unit.level } : undefined);
      }}
    />
  );
}

type CoUnit = { unit?: UnitValue; task?: string };

/** 联合办理: the co-units, one row each, a unit of the registry and its task. */
function CoUnitsInput({ value, onChange, id }: { value?: CoUnit[]; onChange?: (value: CoUnit[]) => void; id?: string }) {
  const rows = value ?? [];
  const change = (i: number, row: CoUnit) => onChange?.(rows.map((r, j) => (j === i ? row : r)));
  return (
    <Space id={id} orientation="vertical" style={{ width: '100%' }}>
      {rows.map((row, i) => (
        <Space key={i} align="start" wrap>
          <div style={{ minWidth: 220 }}>
            <UnitSelect value={row.unit} onChange={(unit) => change(i, { ...row, unit })} />
          </div>
          <Input placeholder="协办任务" value={row.task} onChange={(e) => change(i, { ...row, task: e.target.value })} />
          <Button onClick={() => onChange?.(rows.filter((_, j) => j !== i))}>删除</Button>
        </Space>
      ))}
      <Button onClick={() => onChange?.([...rows, {}])}>添加协办单位</Button>
    </Space>
  );
}

/** 包案领导: one, or two for dual ownership; a leader with a district owns territorially, one without systemwide. */
function OwnersSelect({ value, onChange, id }: { value?: OwnerValue[]; onChange?: (value: OwnerValue[]) => void; id?: string }) {
  const { items, error } = useList('/leaders', leadersOf);
  return (
    <Select<string[]>
      id={id}
      mode="multiple"
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      placeholder="不选则按包案名录自动确定"
      loading={items === undefined}
      value={(value ?? []).map((o) => o.leaderId)}
      notFoundContent={error ? `领导名录读取失败：${problemZh(error)}` : '没有可选的领导'}
      options={(items ?? []).map((l) => ({
        value: l.id,
        label: `${l.name}（${l.tier} 级，${labelZh(ownerKindZh, l.district ? 'territorial' : 'system')}${l.district ? ` ${l.district}` : ''}）`,
      }))}
      onChange={(ids) =>
        onChange?.(
          ids.flatMap((leaderId) => {
            const leader = items?.find((l) => l.id === leaderId);
            return leader ? [{ leaderId, kind: leader.district ? ('territorial' as const) : ('system' as const) }] : [];
          }),
        )
      }
    />
  );
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * What a field's value is, for the form's validator: it checks the type with every rule (a string
 * unless told), so a unit (an object) would fail `required` with the rule's own message.
 */
function valueType(field: Field): 'string' | 'number' | 'array' | 'object' {
  switch (field.kind) {
    case 'select':
      return field.multiple ? 'array' : typeof field.options[0]?.value === 'number' ? 'number' : 'string';
    case 'number':
      return 'number';
    case 'owners':
    case 'links':
    case 'coUnits':
      return 'array';
    case 'unit':
      return 'object';
    default:
      return 'string';
  }
}

/** The schema's bounds as the form's rules, each with its message in Chinese. */
function rulesOf(field: Field): FormRule[] {
  const { label, schema } = field;
  const rules: FormRule[] = [];
  const choose = field.kind === 'select' || field.kind === 'unit' || field.kind === 'owners';
  if (field.required && field.kind !== 'boolean') {
    rules.push({ required: true, type: valueType(field), whitespace: field.kind === 'text', message: `请${choose ? '选择' : '填写'}${label}` });
  }
  if (field.kind === 'text') {
    if (schema.maxLength !== undefined) rules.push({ max: schema.maxLength, message: `${label}不能超过 ${schema.maxLength} 个字` });
    if (schema.minLength !== undefined && schema.minLength > 1) rules.push({ min: schema.minLength, message: `${label}至少 ${schema.minLength} 个字` });
    if (schema.pattern) {
      try {
        // As Ajv compiles the API's patterns: with the `u` flag.
        rules.push({ pattern: new RegExp(schema.pattern, 'u'), message: `${label}不能包含控制字符${field.multiLine ? '' : '或换行'}` });
      } catch {
        // A pattern this browser cannot compile is left to the API's check.
      }
    }
  }
  if (field.kind === 'number') {
    const { minimum: min, maximum: max } = schema;
    if (field.integer) rules.push({ type: 'integer', message: `${label}须为整数` });
    if (min !== undefined || max !== undefined) {
      const range = min !== undefined && max !== undefined ? `须在 ${min} 至 ${max} 之间` : min !== undefined ? `不能小于 ${min}` : `不能大于 ${max}`;
      rules.push({ type: 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), message: `${label}${range}` });
    }
  }
  if (field.kind === 'select' && field.multiple) {
    if (schema.minItems) rules.push({ type: 'array', min: schema.minItems, message: `${label}至少选择 ${schema.minItems} 项` });
    if (schema.maxItems) rules.push({ type: 'array', max: schema.maxItems, message: `${label}最多选择 ${schema.maxItems} 项` });
  }
  if (field.kind === 'owners' && schema.maxItems) {
    rules.push({ type: 'array', max: schema.maxItems, message: `${label}最多选择 ${schema.maxItems} 位` });
  }
  if (field.kind === 'coUnits') {
    if (schema.minItems) rules.push({ type: 'array', min: schema.minItems, message: `请添加${label}` });
    if (schema.maxItems) rules.push({ type: 'array', max: schema.maxItems, message: `${label}最多 ${schema.maxItems} 个` });
    rules.push({
      validator: async (_rule, value: unknown) => {
        const rows = Array.isArray(value) ? (value as CoUnit[]) : [];
        if (rows.some((r) => !r.unit || !r.task?.trim())) throw new Error('每个协办单位都须选择单位并填写协办任务');
      },
    });
  }
  if (field.kind === 'links') {
    if (schema.maxItems) rules.push({ type: 'array', max: schema.maxItems, message: `${label}最多 ${schema.maxItems} 个` });
    rules.push({
      validator: async (_rule, value: unknown) => {
        if (Array.isArray(value) && value.some((v) => typeof v !== 'string' || !isUrl(v))) throw new Error('请输入有效的链接（以 http:// 或 https:// 开头）');
      },
    });
  }
  if (field.kind === 'json') {
    rules.push({
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.trim() === '') return;
        try {
          JSON.parse(value);
        } catch {
          throw new Error(`${label}须为 JSON`);
        }
      },
    });
  }
  return rules;
}

/**
 * The control of a field. A plain function, not a component: Form.Item gives its direct child the
 * value, onChange and the id its label points at, so the child must be the control itself.
 */
function controlOf(field: Field) {
  const { schema } = field;
  switch (field.kind) {
    case 'text':
      return field.multiLine ? (
        <Input.TextArea rows={4} maxLength={schema.maxLength} showCount={schema.maxLength !== undefined} />
      ) : (
        <Input maxLength={schema.maxLength} />
      );
    case 'select':
      return <Select allowClear mode={field.multiple ? 'multiple' : undefined} options={field.options} placeholder={`选择${field.label}`} />;
    case 'boolean':
      return <Switch checkedChildren="是" unCheckedChildren="否" />;
    case 'number':
      return <InputNumber min={schema.minimum} max={schema.maximum} precision={field.integer ? 0 : undefined} style={{ width: 160 }} />;
    case 'unit':
      return <UnitSelect />;
    case 'owners':
      return <OwnersSelect />;
    case 'coUnits':
      return <CoUnitsInput />;
    case 'links':
      return <Select mode="tags" open={false} placeholder="粘贴链接后按回车" tokenSeparators={[' ', '\n']} />;
    case 'json':
      return <Input.TextArea rows={3} placeholder="JSON" />;
  }
}

interface Props {
  caseId: string;
  action: CaseAction;
  /** The dialog has closed unsent (取消, Escape, the close button). */
  onClose: () => void;
  /** The dialog has closed after the action was taken: what it did. */
  onDone: (receipt: ActionReceipt) => void;
}

/**
 * One action's form in a dialog, generated from the schema of its body. Each opening has its own
 * Idempotency-Key: sending again from the same dialog (after a 503, whose outcome is unknown) is
 * the same action, applied once; a new opening is a new action.
 */
export function ActionDialog({ caseId, action, onClose, onDone }: Props) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // The dialog closes itself, and tells the page once it is gone (afterClose): only a dialog that
  // closes, not one unmounted while open, gives the focus back to the button that opened it.
  const [shown, setShown] = useState(true);
  const done = useRef<ActionReceipt>(undefined);
  const label = actionLabel(action.name, action.summary);
  // An override always says why (the table gives each a required reason; this keeps it so).
  const fields = useMemo(
    () => fieldsOf(action.args).map((f) => (action.override && f.name === 'reason' ? { ...f, required: true } : f)),
    [action.args, action.override],
  );

  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      const receipt = await request<ActionReceipt>('POST', `/complaints/${encodeURIComponent(caseId)}/${action.path}`, {
        body,
        headers: { 'idempotency-key': key },
      });
      void message.success(`${label}：已完成`);
      done.current = receipt;
      setShown(false);
    } catch (e) {
      setError(problemZh(e));
      if (e instanceof ApiError && e.type === 'validation') {
        const known = new Set(fields.map((f) => f.name));
        form.setFields(
          (e.problem.errors ?? [])
            .map((err) => ({ name: err.field.split('.')[0] ?? err.field, errors: [`${fieldLabel(err.field.split('.')[0] ?? '')}：${err.message}`] }))
            .filter((f) => known.has(f.name)),
        );
      }
      // Signed out meanwhile: the session provider takes the person to sign-in.
      if (e instanceof ApiError && e.status === 401) setShown(false);
    } finally {
      setBusy(false);
    }
  };

  const submit = (values: Record<string, unknown>) => {
    const body = bodyOf(fields, values);
    if (!action.override) {
      void send(body);
      return;
    }
    modal.confirm({
      title: `确认${label}？`,
      content: (
        <div>
          <Typography.Paragraph>这是督办员的特别处置，将记入案件时间线。</Typography.Paragraph>
          {typeof body.reason === 'string' && <Typography.Paragraph>理由：{body.reason}</Typography.Paragraph>}
        </div>
      ),
      okText: '确认',
      cancelText: '取消',
      okButtonProps: { danger: true },
      // 取消 has the focus: an Enter pressed twice does not carry out an override. (It is also where
      // Ant Design's focus lock lands when it takes over from the reason dialog after the OK
      // button's own autofocus, which made the focus depend on timing.)
      focusable: { autoFocusButton: 'cancel' },
      // The confirmation stays open, loading, until the answer: its errors show in the form.
      onOk: () => send(body),
    });
  };

  const initialValues = Object.fromEntries(fields.filter((f) => f.kind === 'boolean').map((f) => [f.name, false]));

  return (
    <Modal
      open={shown}
      title={label}
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => setShown(false)}
      afterClose={() => (done.current ? onDone(done.current) : onClose())}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {action.override && <Alert type="warning" showIcon title="督办员特别处置：须填写理由，提交前需再次确认。" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initialValues} disabled={busy}>
        {fields.map((field) => (
          <Form.Item
            key={field.name}
            name={field.name}
            label={field.label}
            required={field.required}
            rules={rulesOf(field)}
            valuePropName={field.kind === 'boolean' ? 'checked' : 'value'}
          >
            {controlOf(field)}
          </Form.Item>
        ))}
        {fields.length === 0 && <Typography.Paragraph>此操作无需填写内容，点击“提交”即可。</Typography.Paragraph>}
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
