import { Alert, AutoComplete, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { request } from '../../api';
import { escalationTierZh } from '../../labels';
import type { LeaderRow } from '../../types';
import { showProblem } from './problems';

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
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const save = async ({ id, district, ...values }: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const body = { ...values, district: district?.trim() ? district.trim() : null };
      onSaved(await request<LeaderRow>('PUT', `/leaders/${encodeURIComponent(id.trim())}`, { body }));
    } catch (e) {
      setError(showProblem(form, e, labels));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={leader ? `编辑包案领导：${leader.name}` : '新增包案领导'}
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
        initialValues={leader ? { ...leader, district: leader.district ?? undefined } : { active: true }}
      >
        <Form.Item
          name="id"
          label={labels.id}
          extra="领导登录所用的账号，保存后不能修改"
          rules={[
            { required: true, whitespace: true, message: '请填写账号' },
            { max: 100, message: '账号不能超过 100 个字' },
            {
              validator: async (_rule, value: unknown) => {
                if (!leader && typeof value === 'string' && taken.has(value.trim())) throw new Error('该账号已在包案名录中，请编辑原记录');
              },
            },
          ]}
        >
          <Input disabled={Boolean(leader)} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="name"
          label={labels.name}
          rules={[
            { required: true, whitespace: true, message: '请填写姓名' },
            { max: 100, message: '姓名不能超过 100 个字' },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="tier" label={labels.tier} rules={[{ required: true, message: '请选择包案层级' }]}>
          <Select options={tierOptions} placeholder="选择包案层级" />
        </Form.Item>
        <Form.Item
          name="district"
          label={labels.district}
          extra="属地包案填写区县；留空为系统包案（全部区县）"
          rules={[{ max: 100, message: '区县不能超过 100 个字' }]}
        >
          <AutoComplete options={districts.map((d) => ({ value: d }))} placeholder="留空：全部区县" allowClear maxLength={100} />
        </Form.Item>
        <Form.Item name="active" label={labels.active} valuePropName="checked">
          <Switch checkedChildren="在任" unCheckedChildren="停用" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
