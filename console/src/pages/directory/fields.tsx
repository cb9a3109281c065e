import { AutoComplete, Form, Input } from 'antd';
import { atMost, check, filled } from './rules';

interface IdProps {
  label: string;
  extra: string;
  /** Changing a record: its id is the PUT's path, so it stays as it is. */
  fixed: boolean;
  /** Ids on file: a new record may not take one (PUT would replace that record). */
  taken: { has: (id: string) => boolean };
  takenMessage: string;
}

/** A record's id (`id`), given when it is added and fixed after. */
export function IdItem({ label, extra, fixed, taken, takenMessage }: IdProps) {
  return (
    <Form.Item
      name="id"
      label={label}
      extra={extra}
      rules={[filled(label), atMost(label, 100), check((id) => (!fixed && typeof id === 'string' && taken.has(id.trim()) ? takenMessage : undefined))]}
    >
      <Input disabled={fixed} maxLength={100} />
    </Form.Item>
  );
}

interface DistrictProps {
  label: string;
  extra: string;
  placeholder: string;
  /** The organisation's districts, suggested; another may be typed. */
  districts: string[];
}

/** One district (`district`), empty for all of them. */
export function DistrictItem({ label, extra, placeholder, districts }: DistrictProps) {
  return (
    <Form.Item name="district" label={label} extra={extra} rules={[atMost(label, 100)]}>
      <AutoComplete options={districts.map((d) => ({ value: d }))} placeholder={placeholder} allowClear maxLength={100} />
    </Form.Item>
  );
}
