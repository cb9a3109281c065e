import { Alert, AutoComplete, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { newIdempotencyKey, request } from '../../api';
import { dutyZh, labelZh } from '../../labels';
import type { DutySlot } from '../../types';
import { showProblem } from './problems';
import { dutyCodes, shanghaiInstant, shanghaiWall, type Duty } from './roster';

interface Values {
  duty: Duty;
  district?: string;
  accountId: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
}

/** The fields' labels: the form's, and the API's field errors' (PUT /duty/{id}). */
const labels = { duty: '值班类型', district: '区县', accountId: '值班人账号', startsAt: '开始时间', endsAt: '结束时间' } as const;

const dutyOptions = dutyCodes.map((duty) => ({ value: duty, label: labelZh(dutyZh, duty) }));
/** As the API refuses longer slots (a year typed for a day). */
const maxSlotDays = 31;
const timeFormat = 'YYYY-MM-DD HH:mm';

interface Props {
  /** The slot to change; undefined adds one, with `district` filled in. */
  slot: DutySlot | undefined;
  district?: string | undefined;
  districts: string[];
  onClose: () => void;
  onSaved: (slot: DutySlot) => void;
}

/** Adds a slot of the roster or changes one (PUT /duty/{id}); times are Shanghai's. */
export function SlotDialog({ slot, district, districts, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // A new slot's id is made once per opening: sending again after a failure replaces, not adds.
  const [id] = useState(() => slot?.id ?? `slot-${newIdempotencyKey().replace(/-/g, '').slice(0, 20)}`);

  const save = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        duty: values.duty,
        district: values.district?.trim() ? values.district.trim() : null,
        accountId: values.accountId.trim(),
        startsAt: shanghaiInstant(values.startsAt),
        endsAt: shanghaiInstant(values.endsAt),
      };
      onSaved(await request<DutySlot>('PUT', `/duty/${encodeURIComponent(id)}`, { body }));
    } catch (e) {
      setError(showProblem(form, e, labels));
    } finally {
      setBusy(false);
    }
  };

  const initialValues = slot
    ? {
        duty: slot.duty,
        district: slot.district ?? undefined,
        accountId: slot.accountId,
        startsAt: shanghaiWall(slot.startsAt),
        endsAt: shanghaiWall(slot.endsAt),
      }
    : { district };

  return (
    <Modal
      open
      title={slot ? '编辑值班班次' : '新增值班班次'}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" disabled={busy} onFinish={(values) => void save(values)} initialValues={initialValues}>
        <Form.Item name="duty" label={labels.duty} rules={[{ required: true, message: '请选择值班类型' }]}>
          <Select options={dutyOptions} placeholder="选择值班类型" />
        </Form.Item>
        <Form.Item
          name="district"
          label={labels.district}
          extra="留空：全局值班，替补没有本区县排班的时段"
          rules={[{ max: 100, message: '区县不能超过 100 个字' }]}
        >
          <AutoComplete options={districts.map((d) => ({ value: d }))} placeholder="留空：全局" allowClear maxLength={100} />
        </Form.Item>
        <Form.Item
          name="accountId"
          label={labels.accountId}
          extra="须为在职人员的登录账号"
          rules={[
            { required: true, whitespace: true, message: '请填写值班人账号' },
            { max: 100, message: '账号不能超过 100 个字' },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="startsAt" label={labels.startsAt} rules={[{ required: true, message: '请选择开始时间' }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={timeFormat} style={{ width: 220 }} placeholder="开始时间（北京时间）" />
        </Form.Item>
        <Form.Item
          name="endsAt"
          label={labels.endsAt}
          dependencies={['startsAt']}
          rules={[
            { required: true, message: '请选择结束时间' },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: Dayjs | undefined) => {
                const start = getFieldValue('startsAt') as Dayjs | undefined;
                if (!value || !start) return;
                if (!value.isAfter(start)) throw new Error('结束时间须晚于开始时间');
                if (value.diff(start, 'day', true) > maxSlotDays) throw new Error(`一个班次不能超过 ${maxSlotDays} 天，请拆分`);
              },
            }),
          ]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format={timeFormat} style={{ width: 220 }} placeholder="结束时间（北京时间）" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
