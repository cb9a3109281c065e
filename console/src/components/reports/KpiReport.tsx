import { Card, Col, Row, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { labelZh, rateZh } from '../../labels';
import type { Kpi, Rate } from '../../types';
import type { ChartOption } from './echarts';
import { percent } from './format';
import { Chart, ReportState } from './ReportState';
import { useReport } from './useReport';

type RateRow = Rate & { rate: keyof Kpi };

const columns: TableColumnsType<RateRow> = [
  { title: '指标', dataIndex: 'rate', render: (rate: string) => labelZh(rateZh, rate) },
  { title: '分子', dataIndex: 'numerator', align: 'right' },
  { title: '分母', dataIndex: 'denominator', align: 'right' },
  { title: '比率', dataIndex: 'value', align: 'right', render: (value: number | null) => percent(value) },
];

function chartOf(rows: RateRow[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? `${value}%` : '—') },
    grid: { left: 48, right: 24, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => labelZh(rateZh, r.rate)) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: '比率',
        barMaxWidth: 56,
        // A rate with nothing measured has no bar (not a bar at 0%).
        data: rows.map((r) => (r.value === null ? null : Math.round(r.value * 1000) / 10)),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}

function KpiBody({ kpi }: { kpi: Kpi }) {
  const rows = useMemo(() => (Object.keys(rateZh) as (keyof Kpi)[]).map((rate) => ({ rate, ...kpi[rate] })), [kpi]);
  const option = useMemo(() => chartOf(rows), [rows]);
  return (
    <>
      <Row gutter={[16, 16]}>
        {rows.map((r) => (
          <Col key={r.rate} xs={24} sm={12} xl={6}>
            <Card size="small">
              <Statistic title={labelZh(rateZh, r.rate)} value={percent(r.value)} />
              <Typography.Text type="secondary">
                分子 {r.numerator} / 分母 {r.denominator}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title="四率对比" style={{ marginTop: 16 }}>
        <Chart option={option} label="四率柱状图" height={300} empty={rows.every((r) => r.value === null)} />
      </Card>
      <Table<RateRow> rowKey="rate" size="middle" columns={columns} dataSource={rows} pagination={false} style={{ marginTop: 16 }} />
    </>
  );
}

/** 四率: each rate with its numerator and denominator, over the cases registered in the period. */
export function KpiReport({ url }: { url: string }) {
  return <ReportState loaded={useReport<Kpi>(url)}>{(kpi) => <KpiBody kpi={kpi} />}</ReportState>;
}
