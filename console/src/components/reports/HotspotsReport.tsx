import { Card, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { query } from '../../api';
import { hotspotTypeZh, labelZh } from '../../labels';
import type { Hotspot, HotspotsReport as Hotspots } from '../../types';
import type { ChartOption } from './echarts';
import { Chart, ReportState } from './ReportState';
import { useReport } from './useReport';

/** One colour per kind, in the chart and the table's tags alike. */
const typeColour = { location: '#0958d9', polluter: '#d46b08', cluster: '#cf1322' } as const satisfies Record<Hotspot['type'], string>;
const chartTop = 10;

const columns: TableColumnsType<Hotspot> = [
  { title: '类型', dataIndex: 'type', render: (type: Hotspot['type']) => <Tag color={typeColour[type]}>{labelZh(hotspotTypeZh, type)}</Tag> },
  // 案件查询 finds the reports by their place or polluter.
  { title: '地点或污染源', dataIndex: 'label', render: (label: string) => <Link to={`/cases${query({ text: label })}`}>{label}</Link> },
  { title: '本期', dataIndex: 'count', align: 'right' },
  { title: '上期', dataIndex: 'previous', align: 'right' },
];

function chartOf(spots: Hotspot[]): ChartOption {
  // Largest on top: a horizontal bar chart draws its first category at the bottom.
  const shown = [...spots]
    .sort((a, b) => b.count - a.count)
    .slice(0, chartTop)
    .reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 16, right: 40, top: 16, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: shown.map((s) => `${labelZh(hotspotTypeZh, s.type)}｜${s.label}`),
      axisLabel: { width: 260, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: '本期',
        barMaxWidth: 24,
        data: shown.map((s) => ({ value: s.count, itemStyle: { color: typeColour[s.type] } })),
        label: { show: true, position: 'right' },
      },
    ],
  };
}

function HotspotsBody({ report }: { report: Hotspots }) {
  const option = useMemo(() => chartOf(report.hotspots), [report]);
  return (
    <>
      <Card size="small" title={`热点与聚集（前 ${chartTop} 位）`}>
        <Chart
          option={option}
          label="热点与聚集条形图"
          empty={report.hotspots.length === 0}
          height={Math.max(200, Math.min(report.hotspots.length, chartTop) * 36 + 60)}
        />
      </Card>
      <Table<Hotspot>
        rowKey={(s) => `${s.type}:${s.key}`}
        size="middle"
        columns={columns}
        dataSource={report.hotspots}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        style={{ marginTop: 16 }}
      />
    </>
  );
}

/** 热点与聚集: places and polluters reported twice or more in the period, and clusters (policy). */
export function HotspotsReport({ url }: { url: string }) {
  return <ReportState loaded={useReport<Hotspots>(url)}>{(report) => <HotspotsBody report={report} />}</ReportState>;
}
