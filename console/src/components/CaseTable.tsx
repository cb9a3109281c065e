import { Table, Tag, Typography, type TableColumnsType, type TablePaginationConfig } from 'antd';
import { Link } from 'react-router';
import { useWorkingCalendar } from '../hooks';
import { categoryZh, labelZh, statusZh } from '../labels';
import { formatDue, formatTime, timeLeft, workingCountdown } from '../time';
import type { CaseRow } from '../types';

interface DueProps {
  dueAt: string | null;
  now: number;
  /**
   * Counted in working days (剩余N个工作日 by the bureau's calendar), or on the wall clock (剩余 N 天).
   * A row's `dueAt` is always a working-day deadline: handling, callback or dispatch (workflows/projection.ts currentDueAt).
   */
  workingDays?: boolean;
}

/** 期限: time left, red once past; the deadline itself on hover (a title: a Tooltip in every row cost 待办 a tenth of its render). */
export function DueCell({ dueAt, now, workingDays = true }: DueProps) {
  const due = dueAt ? Date.parse(dueAt) : now;
  const years = useWorkingCalendar(now, due);
  if (!dueAt) return <Typography.Text type="secondary">—</Typography.Text>;
  // Until the calendar is loaded, calendar time: close, and never blank.
  const left = workingDays && years ? workingCountdown(dueAt, now, years) : timeLeft(dueAt, now);
  return (
    <Typography.Text type={left.overdue ? 'danger' : undefined} strong={left.overdue} title={`期限 ${formatDue(dueAt)}`}>
      {left.text}
    </Typography.Text>
  );
}

export function StatusTag({ status }: { status: string }) {
  return <Tag>{labelZh(statusZh, status)}</Tag>;
}

/** Soonest deadline first; cases without one last. */
export function byDueAt(a: CaseRow, b: CaseRow): number {
  if (a.dueAt === b.dueAt) return 0;
  if (a.dueAt === null) return 1;
  if (b.dueAt === null) return -1;
  return Date.parse(a.dueAt) - Date.parse(b.dueAt);
}

interface Props {
  rows: CaseRow[];
  loading: boolean;
  now: number;
  /** Client-side pages (待办), or none when the API pages with its cursor (案件查询). */
  pagination: TablePaginationConfig | false;
}

export function CaseTable({ rows, loading, now, pagination }: Props) {
  const columns: TableColumnsType<CaseRow> = [
    {
      title: '编号',
      dataIndex: 'id',
      render: (id: string, row) => (
        <span>
          <Link to={`/cases/${encodeURIComponent(id)}`}>{id}</Link>
          {row.urgent && (
            <Tag color="red" style={{ marginLeft: 8 }}>
              紧急
            </Tag>
          )}
        </span>
      ),
    },
    { title: '类别', dataIndex: 'category', render: (category: string) => labelZh(categoryZh, category) },
    { title: '区县', dataIndex: 'district' },
    { title: '状态', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: '期限', dataIndex: 'dueAt', render: (dueAt: string | null) => <DueCell dueAt={dueAt} now={now} /> },
    { title: '登记时间', dataIndex: 'registeredAt', render: (at: string) => formatTime(at) },
    // The address, not the row's `summary`, which is made of codes (category · district · status).
    { title: '地址', dataIndex: 'address', ellipsis: true, render: (address: string | undefined) => address ?? '—' },
  ];
  return <Table<CaseRow> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={loading} pagination={pagination} />;
}
