import { Card, Statistic, Table, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { categoryZh, labelZh, rewardApprovalZh, rewardStateZh } from '../../labels';
import { formatTime } from '../../time';
import type { RewardReport, RewardRow } from '../../types';
import { ReportState } from './ReportState';
import { useReport } from './useReport';

const stateColour = { due: 'blue', overdue: 'red', paid: 'green' } as const satisfies Record<RewardRow['state'], string>;
const time = (iso: string | null) => (iso === null ? '—' : formatTime(iso));

const columns: TableColumnsType<RewardRow> = [
  { title: '案件编号', dataIndex: 'caseId', render: (id: string) => <Link to={`/cases/${id}`}>{id}</Link> },
  { title: '类别', dataIndex: 'category', render: (category: string) => labelZh(categoryZh, category) },
  { title: '区县', dataIndex: 'district' },
  { title: '兑付期限', dataIndex: 'dueAt', render: time },
  { title: '状态', dataIndex: 'state', render: (state: RewardRow['state']) => <Tag color={stateColour[state]}>{rewardStateZh[state]}</Tag> },
  { title: '金额（元）', dataIndex: 'amountYuan', align: 'right', render: (amount: number | null) => amount ?? '—' },
  { title: '审批', dataIndex: 'approval', render: (approval: RewardRow['approval']) => rewardApprovalZh[approval] },
  { title: '兑奖', dataIndex: 'claimedAt', render: (at: string | null, row) => (row.anonymous ? (at ? time(at) : '未兑奖') : '实名') },
  { title: '兑付时间', dataIndex: 'paidAt', render: time },
];

function RewardsBody({ report }: { report: RewardReport }) {
  const { totals } = report;
  return (
    <>
      <Card size="small" title="有奖举报兑付">
        <div style={{ display: 'flex', gap: 48, flexWrap: 'wrap' }}>
          <Statistic title="已超期" value={totals.overdue} suffix={`件 / ${totals.amountOverdueYuan} 元`} styles={{ content: { color: '#cf1322' } }} />
          <Statistic title="待兑付" value={totals.due} suffix={`件 / ${totals.amountDueYuan} 元`} />
          <Statistic title="本期已兑付" value={totals.paid} suffix={`件 / ${totals.amountPaidYuan} 元`} />
        </div>
      </Card>
      <Table<RewardRow>
        rowKey="caseId"
        size="middle"
        columns={columns}
        dataSource={report.rewards}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        style={{ marginTop: 16 }}
      />
    </>
  );
}

/** 有奖举报: the rewards due in the period and those overdue, with amount, approval, claim and payment. */
export function RewardsReport({ url }: { url: string }) {
  return <ReportState loaded={useReport<RewardReport>(url)}>{(report) => <RewardsBody report={report} />}</ReportState>;
}
