import { Alert, Form, Input, Modal, Select, Switch } from 'antd';
import { useMemo, useState } from 'react';
import { request } from '../../api';
import { labelZh, unitLevelZh } from '../../labels';
import type { UnitRow } from '../../types';
import { unitLevels } from '../../../../workflows/model';
import { showProblem } from './problems';
import { selfAndBelow } from './unit-tree';

interface Values {
  id: string;
  name: string;
  level: UnitRow['level'];
  parentId?: string;
  districts: string[];
  active: boolean;
}

/** The fields' labels: the form's, and the API's field errors' (PUT /units/{id}). */
const labels = { id: '单位编号', name: '单位名称', level: '级别', parentId: '上级单位', districts: '管辖区县', active: '启用' } as const;

const levelOptions = unitLevels.map((level) => ({ value: level, label: labelZh(unitLevelZh, level) }));
const rank = (level: string) => unitLevels.indexOf(level as UnitRow['level']);

interface Props {
  /** The unit to change; undefined adds one. */
  unit: UnitRow | undefined;
  /** A new unit's parent, when added from its parent's row. */
  parentId?: string | undefined;
  units: readonly UnitRow[];
  districts: string[];
  onClose: () => void;
  onSaved: (unit: UnitRow) => void;
}

/** Adds or changes a unit of the organisation (PUT /units/{id}); a change makes a new version. */
export function UnitDialog({ unit, parentId, units, districts, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const parentOptions = useMemo(() => {
    const excluded = unit ? selfAndBelow(units, unit.id) : new Set<string>();
    return units
      .filter((u) => !excluded.has(u.id))
      .map((u) => ({ value: u.id, label: `${u.name}（${labelZh(unitLevelZh, u.level)}）${u.active ? '' : '（停用）'}` }));
  }, [units, unit]);

  const save = async ({ id, parentId: parent, ...values }: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const body = { ...values, parentId: parent ?? null, districts: values.districts.map((d) => d.trim()).filter(Boolean) };
      onSaved(await request<UnitRow>('PUT', `/units/${encodeURIComponent(id.trim())}`, { body }));
    } catch (e) {
      setError(showProblem(form, e, labels));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={unit ? `编辑单位：${unit.name}` : '新增单位'}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={busy}
        onFinish={(values) => void save(values)}
        initialValues={unit ? { ...unit, parentId: unit.parentId ?? undefined } : { active: true, districts: [], ...(parentId ? { parentId } : {}) }}
      >
        <Form.Item
          name="id"
          label={labels.id}
          extra="案件交办时引用的编号，保存后不能修改"
          rules={[
            { required: true, whitespace: true, message: '请填写单位编号' },
            { max: 100, message: '单位编号不能超过 100 个字' },
            {
              validator: async (_rule, value: unknown) => {
                if (!unit && typeof value === 'string' && byId.has(value.trim())) throw new Error('该编号已有单位，请编辑原单位');
              },
            },
          ]}
        >
          <Input disabled={Boolean(unit)} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="name"
          label={labels.name}
          rules={[
            { required: true, whitespace: true, message: '请填写单位名称' },
            { max: 200, message: '单位名称不能超过 200 个字' },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="parentId" label={labels.parentId} extra="留空：顶级单位（省级）">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={parentOptions} placeholder="选择上级单位" />
        </Form.Item>
        <Form.Item
          name="level"
          label={labels.level}
          dependencies={['parentId']}
          rules={[
            { required: true, message: '请选择级别' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                const parent = byId.get(String(getFieldValue('parentId') ?? ''));
                if (typeof value === 'string' && parent && rank(value) <= rank(parent.level)) {
                  throw new Error(`级别须低于上级单位（${labelZh(unitLevelZh, parent.level)}）`);
                }
              },
            }),
          ]}
        >
          <Select options={levelOptions} placeholder="选择级别" />
        </Form.Item>
        <Form.Item
          name="districts"
          label={labels.districts}
          extra="输入区县编码后按回车，可填多个；留空则沿用上级单位的辖区"
          rules={[{ type: 'array', max: 200, message: '管辖区县最多 200 个' }]}
        >
          <Select mode="tags" options={districts.map((d) => ({ value: d, label: d }))} placeholder="如 nancheng" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item name="active" label={labels.active} valuePropName="checked" extra="停用的单位不再接收新案件，已交办的案件不受影响">
          <Switch checkedChildren="启用" unCheckedChildren="停用" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
