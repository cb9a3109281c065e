import { Form, Input, Select, Switch } from 'antd';
import { useMemo } from 'react';
import { labelZh, unitLevelZh } from '../../labels';
import type { UnitRow } from '../../types';
import { unitLevels } from '../../../../workflows/model';
import { IdItem } from './fields';
import { FormDialog } from './FormDialog';
import { atMost, checkWith, chosen, filled } from './rules';
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
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const parentOptions = useMemo(() => {
    const excluded = unit ? selfAndBelow(units, unit.id) : new Set<string>();
    return units
      .filter((u) => !excluded.has(u.id))
      .map((u) => ({ value: u.id, label: `${u.name}（${labelZh(unitLevelZh, u.level)}）${u.active ? '' : '（停用）'}` }));
  }, [units, unit]);

  return (
    <FormDialog<Values, UnitRow>
      title={unit ? `编辑单位：${unit.name}` : '新增单位'}
      labels={labels}
      initialValues={unit ? { ...unit, parentId: unit.parentId ?? undefined } : { active: true, districts: [], ...(parentId ? { parentId } : {}) }}
      put={({ id, parentId: parent, ...values }) => ({
        path: `/units/${encodeURIComponent(id.trim())}`,
        body: { ...values, parentId: parent ?? null, districts: values.districts.map((d) => d.trim()).filter(Boolean) },
      })}
      onClose={onClose}
      onSaved={onSaved}
    >
      <IdItem label={labels.id} extra="案件交办时引用的编号，保存后不能修改" fixed={Boolean(unit)} taken={byId} takenMessage="该编号已有单位，请编辑原单位" />
      <Form.Item name="name" label={labels.name} rules={[filled(labels.name), atMost(labels.name, 200)]}>
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
          chosen(labels.level),
          checkWith('parentId', (level, parentId) => {
            const parent = typeof parentId === 'string' ? byId.get(parentId) : undefined;
            return typeof level === 'string' && parent && rank(level) <= rank(parent.level)
              ? `级别须低于上级单位（${labelZh(unitLevelZh, parent.level)}）`
              : undefined;
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
    </FormDialog>
  );
}
