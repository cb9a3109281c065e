import { Alert, App, Button, DatePicker, Form, Popconfirm, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { query, request } from '../../api';
import { dutyZh, labelZh, problemZh } from '../../labels';
import { formatTime, zone } from '../../time';
import type { DutyNow, DutyRoster, DutySlot, UnitRow } from '../../types';
import { useAccess } from './access';
import { DirectoryNav } from './DirectoryNav';
import { DutyNowCard } from './DutyNowCard';
import { ImportDialog } from './ImportDialog';
import { districtsOf, loadFailure, useLoad } from './lists';
import { dutyCodes, rosterRows, slotHours, type RosterRow } from './roster';
import { SlotDialog } from './SlotDialog';
import { withApp } from './with-app';

const lengths = [7, 14, 31];
const weekdays = ['日', '一', '二', '三', '四', '五', '六'];

/** The period and district shown, from the URL, so a reload or a shared link shows the same roster. */
function viewOf(params: URLSearchParams) {
  const day = dayjs(params.get('from') ?? '', 'YYYY-MM-DD', true);
  const from = day.isValid() ? day.format('YYYY-MM-DD') : dayjs().tz(zone).format('YYYY-MM-DD');
  const days = lengths.includes(Number(params.get('days'))) ? Number(params.get('days')) : lengths[0]!;
  const district = params.get('district')?.trim() || undefined;
  const start = dayjs.tz(from, zone);
  return { from, days, district, fromIso: start.format(), toIso: start.add(days, 'day').format() };
}

type Editing = { slot: DutySlot } | { district: string | undefined };

/** 值班表: the 7×24 roster by day and district (GET /duty), who is on duty now, kept by those PUT /duty allows. */
function Duty() {
  const access = useAccess('duty');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const view = viewOf(params);
  const roster = useLoad<DutyRoster>(`/duty${query({ from: view.fromIso, to: view.toIso, district: view.district })}`);
  const now = useLoad<DutyNow>(`/duty/now${query({ district: view.district })}`);
  const units = useLoad<{ units: UnitRow[] }>('/units');
  const districts = useMemo(() => districtsOf(units.data?.units), [units.data]);
  const rows = useMemo(() => (roster.data ? rosterRows(roster.data.slots, roster.data.from, roster.data.to) : []), [roster.data]);
  const [editing, setEditing] = useState<Editing>();
  const [importing, setImporting] = useState(false);

  const show = (change: Partial<Record<'from' | 'days' | 'district', string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(change)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };
  const reload = () => {
    roster.reload();
    now.reload();
  };
  const remove = async (slot: DutySlot) => {
    try {
      await request('DELETE', `/duty/${encodeURIComponent(slot.id)}`);
      void message.success('已删除班次');
    } catch (e) {
      void message.error(`删除失败：${problemZh(e)}`);
    }
    reload();
  };

  const holder = (slot: DutySlot) => (slot.accountName ? `${slot.accountName}（${slot.accountId}）` : slot.accountId);
  const slotCell = (slots: DutySlot[], row: RosterRow) =>
    slots.length === 0 ? (
      <Typography.Text type="secondary">—</Typography.Text>
    ) : (
      <Space orientation="vertical" size={4}>
        {slots.map((slot) => (
          <Space key={slot.id} size={4} wrap>
            <Typography.Text>
              <Typography.Text type="secondary">{slotHours(slot, row.day)}</Typography.Text> {holder(slot)}
            </Typography.Text>
            {access.edit && (
              <>
                <Button size="small" type="link" aria-label={`编辑班次 ${slot.accountId} ${slotHours(slot, row.day)}`} onClick={() => setEditing({ slot })}>
                  编辑
                </Button>
                <Popconfirm title="删除此班次？" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => void remove(slot)}>
                  <Button size="small" type="link" danger aria-label={`删除班次 ${slot.accountId} ${slotHours(slot, row.day)}`}>
                    删除
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        ))}
      </Space>
    );

  const gaps = roster.data?.gaps;
  const gapLines = gaps ? dutyCodes.filter((duty) => gaps[duty].length > 0).map((duty) => ({ duty, spans: gaps[duty] })) : [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <DirectoryNav
        current="duty"
        add={{ label: '新增班次', onClick: () => setEditing({ district: view.district }) }}
        more={<Button onClick={() => setImporting(true)}>导入 CSV</Button>}
      />
      <Form layout="inline" style={{ rowGap: 12 }}>
        <Form.Item label="起始日期">
          <DatePicker
            allowClear={false}
            value={dayjs(view.from)}
            onChange={(day) => show({ from: day ? day.format('YYYY-MM-DD') : undefined })}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item label="天数">
          <Select
            value={view.days}
            onChange={(days: number) => show({ days: String(days) })}
            options={lengths.map((n) => ({ value: n, label: `${n} 天` }))}
            style={{ width: 100 }}
          />
        </Form.Item>
        <Form.Item label="区县">
          <Select
            value={view.district ?? ''}
            onChange={(district: string) => show({ district })}
            options={[{ value: '', label: '全部区县' }, ...districts.map((d) => ({ value: d, label: d }))]}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item>
          <Button onClick={reload}>刷新</Button>
        </Form.Item>
      </Form>
      <DutyNowCard now={now} district={view.district} />
      {loadFailure('值班表', roster)}
      {gapLines.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`${view.district ?? ''} 本期间有无人值班的时段`}
          description={gapLines.map(({ duty, spans }) => (
            <div key={duty}>
              {labelZh(dutyZh, duty)}：
              {spans
                .slice(0, 4)
                .map((g) => `${formatTime(g.from)} 至 ${formatTime(g.to)}`)
                .join('；')}
              {spans.length > 4 ? ` 等 ${spans.length} 段` : ''}
            </div>
          ))}
        />
      )}
      <Table<RosterRow>
        rowKey="key"
        size="middle"
        loading={roster.loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: '本期间没有排班' }}
        columns={[
          {
            title: '日期',
            dataIndex: 'day',
            width: 130,
            render: (day: string) => `${day.slice(5)} 周${weekdays[dayjs(day).day()] ?? ''}`,
          },
          { title: '区县', dataIndex: 'district', width: 120, render: (d: string | null) => d ?? <Typography.Text type="secondary">全局</Typography.Text> },
          ...dutyCodes.map((duty) => ({
            title: labelZh(dutyZh, duty),
            key: duty,
            render: (_: unknown, row: RosterRow) => slotCell(row.slots[duty], row),
          })),
        ]}
      />
      {editing && (
        <SlotDialog
          slot={'slot' in editing ? editing.slot : undefined}
          district={'district' in editing ? editing.district : undefined}
          districts={districts}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void message.success('已保存班次');
            reload();
          }}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(count) => {
            setImporting(false);
            void message.success(`已导入 ${count} 个班次`);
            reload();
          }}
        />
      )}
    </Space>
  );
}

export default withApp(Duty);
