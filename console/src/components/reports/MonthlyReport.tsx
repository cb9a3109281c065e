import { Card, Segmented, Space, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { countKeyZh, dimensionZh, labelZh } from '../../labels';
import type { Count, MonthlyReport as Monthly } from '../../types';
import type { ChartOption } from './echarts';
import { Growth } from './format';
import { Chart, ReportState } from './ReportState';
import { useReport } from './useReport';

export type Dimension = Count['dimension'];
export const dimensions = Object.keys(dimensionZh) as Dimension[];

/** The chart shows the largest this many; the table has them all. */
const chartTop = 12;

const columns: TableColumnsType<Count> = [
  { title: '项目', dataIndex: 'key', render: (key: string, c) => countKeyZh(c.dimension, key) },
  { title: '本月', dataIndex: 'count', align: 'right', sorter: (a, b) => a.count - b.count },
  { title: '上月', dataIndex: 'previous', align: 'right' },
  { title: '环比', dataIndex: 'changeRate', align: 'right', render: (rate: number | null) => <Growth rate={rate} /> },
  { title: '去年同期', dataIndex: 'lastYear', align: 'right' },
  { title: '同比', dataIndex: 'yearChangeRate', align: 'right', render: (rate: number | null) => <Growth rate={rate} /> },
];

function chartOf(rows: Count[]): ChartOption {
  const shown = rows.slice(0, chartTop);
  const series = (name: string, pick: (c: Count) => number) => ({ type: 'bar' as const, name, barMaxWidth: 28, data: shown.map(pick) });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: shown.map((c) => countKeyZh(c.dimension, c.key)), axisLabel: { interval: 0, width: 96, overflow: 'truncate' } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [series('本月', (c) => c.count), series('上月', (c) => c.previous), series('去年同期', (c) => c.lastYear)],
  };
}

function MonthlyBody({ report, dimension }: { report: Monthly; dimension: Dimension }) {
  const rows = useMemo(() => report.counts.filter((c) => c.dimension === dimension), [report, dimension]);
  const option = useMemo(() => chartOf(rows), [rows]);
  const title = `${report.month} 按${labelZh(dimensionZh, dimension)}统计`;
  return (
    <>
      <Card size="small" title={title}>
        <Chart option={option} label={`${title}柱状图：本月、上月、去年同期`} empty={rows.length === 0} />
      </Card>
      <Table<Count>
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        style={{ marginTop: 16 }}
      />
    </>
  );
}

/** 月度分析: the month's complaints by one dimension, against the month before (环比) and a year before (同比). */
export function MonthlyReport({ url, dimension, onDimension }: { url: string; dimension: Dimension; onDimension: (d: Dimension) => void }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented<Dimension> value={dimension} onChange={onDimension} options={dimensions.map((d) => ({ value: d, label: `按${labelZh(dimensionZh, d)}` }))} />
      <ReportState loaded={useReport<Monthly>(url)}>{(report) => <MonthlyBody report={report} dimension={dimension} />}</ReportState>
    </Space>
  );
}
