import { Form, Input, Select, Switch } from 'antd';
import { escalationTierZh } from '../../labels';
import type { LeaderRow } from '../../types';
import { DistrictItem, IdItem } from './fields';
import { FormDialog } from './FormDialog';
import { atMost, chosen, filled } from './rules';

interface Values {
  id: string;
  name: string;
  tier: number;
  district?: string;
  active: boolean;
}

/** The fields' labels: the form's, and the API's field errors' (PUT /leaders/{id}). */
const labels = { id: '账号', name: '姓名', tier: '包案层级', district: '区县', active: '在任' } as const;

/** Tiers 1 to 3 (0 is no ownership, not a leader's tier). */
const tierOptions = Object.entries(escalationTierZh)
  .filter(([tier]) => tier !== '0')
  .map(([tier, label]) => ({ value: Number(tier), label }));

interface Props {
  /** The leader to change; undefined adds one. */
  leader: LeaderRow | undefined;
  /** Ids on file: a new leader may not take one (PUT would replace that leader). */
  taken: ReadonlySet<string>;
  districts: string[];
  onClose: () => void;
  onSaved: (leader: LeaderRow) => void;
}

/** Adds or changes a leader of the escalation directory (PUT /leaders/{id}). */
export function LeaderDialog({ leader, taken, districts, onClose, onSaved }: Props) {
  return (
    <FormDialog<Values, LeaderRow>
      title={leader ? `编辑包案领导：${leader.name}` : '新增包案领导'}
      labels={labels}
      initialValues={leader ? { ...leader, district: leader.district ?? undefined } : { active: true }}
      put={({ id, district, ...values }) => ({
        path: `/leaders/${encodeURIComponent(id.trim())}`,
        body: { ...values, district: district?.trim() ? district.trim() : null },
      })}
      onClose={onClose}
      onSaved={onSaved}
    >
      <IdItem
        label={labels.id}
        extra="领导登录所用的账号，保存后不能修改"
        fixed={Boolean(leader)}
        taken={taken}
        takenMessage="该账号已在包案名录中，请编辑原记录"
      />
      <Form.Item name="name" label={labels.name} rules={[filled(labels.name), atMost(labels.name, 100)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="tier" label={labels.tier} rules={[chosen(labels.tier)]}>
        <Select options={tierOptions} placeholder="选择包案层级" />
      </Form.Item>
      <DistrictItem label={labels.district} extra="属地包案填写区县；留空为系统包案（全部区县）" placeholder="留空：全部区县" districts={districts} />
      <Form.Item name="active" label={labels.active} valuePropName="checked">
        <Switch checkedChildren="在任" unCheckedChildren="停用" />
      </Form.Item>
    </FormDialog>
  );
}
