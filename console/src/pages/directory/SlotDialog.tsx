import { DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api';
import { dutyZh, labelZh } from '../../labels';
import type { DutySlot } from '../../types';
import { DistrictItem } from './fields';
import { FormDialog } from './FormDialog';
import { dutyCodes, shanghaiInstant, shanghaiWall, type Duty } from './roster';
import { atMost, checkWith, chosen, filled } from './rules';

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

/** The end against the start; either not yet chosen is `chosen`'s to say. */
function wrongEnd(end: Dayjs | undefined, start: Dayjs | undefined): string | undefined {
  if (!end || !start) return undefined;
  if (!end.isAfter(start)) return '结束时间须晚于开始时间';
  if (end.diff(start, 'day', true) > maxSlotDays) return `一个班次不能超过 ${maxSlotDays} 天，请拆分`;
  return undefined;
}

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
  // A new slot's id is made once per opening: sending again after a failure replaces, not adds.
  const [id] = useState(() => slot?.id ?? `slot-${newIdempotencyKey().replace(/-/g, '').slice(0, 20)}`);

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
    <FormDialog<Values, DutySlot>
      title={slot ? '编辑值班班次' : '新增值班班次'}
      labels={labels}
      initialValues={initialValues}
      put={(values) => ({
        path: `/duty/${encodeURIComponent(id)}`,
        body: {
          duty: values.duty,
          district: values.district?.trim() ? values.district.trim() : null,
          accountId: values.accountId.trim(),
          startsAt: shanghaiInstant(values.startsAt),
          endsAt: shanghaiInstant(values.endsAt),
        },
      })}
      onClose={onClose}
      onSaved={onSaved}
    >
      <Form.Item name="duty" label={labels.duty} rules={[chosen(labels.duty)]}>
        <Select options={dutyOptions} placeholder="选择值班类型" />
      </Form.Item>
      <DistrictItem label={labels.district} extra="留空：全局值班，替补没有本区县排班的时段" placeholder="留空：全局" districts={districts} />
      <Form.Item name="accountId" label={labels.accountId} extra="须为在职人员的登录账号" rules={[filled(labels.accountId), atMost('账号', 100)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="startsAt" label={labels.startsAt} rules={[chosen(labels.startsAt)]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format={timeFormat} style={{ width: 220 }} placeholder="开始时间（北京时间）" />
      </Form.Item>
      <Form.Item
        name="endsAt"
        label={labels.endsAt}
        dependencies={['startsAt']}
        rules={[chosen(labels.endsAt), checkWith<Dayjs | undefined>('startsAt', wrongEnd)]}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format={timeFormat} style={{ width: 220 }} placeholder="结束时间（北京时间）" />
      </Form.Item>
    </FormDialog>
  );
}
