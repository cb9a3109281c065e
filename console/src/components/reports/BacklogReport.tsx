import { Card, Col, Row, Statistic, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { escalationTierZh, labelZh, reportPlaceholderZh } from '../../labels';
import { formatTime } from '../../time';
import type { Backlog, UnitRow } from '../../types';
import { StatusTag } from '../CaseTable';
import type { ChartOption } from './echarts';
import { Chart, ReportState } from './ReportState';
import { useReport } from './useReport';

type OldCase = Backlog['open']['oldest'][number];
type UnitName = (unit: string | null) => string;

const DAY = 86_400_000;
const tierLabel = (tier: number) => labelZh(escalationTierZh, String(tier));

function overdueChart(rows: Backlog['overdueByUnit'], unitName: UnitName): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 48, right: 24, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => unitName(r.unit)), axisLabel: { interval: 0, width: 96, overflow: 'truncate' } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: '超期件数',
        barMaxWidth: 40,
        itemStyle: { color: '#cf1322' },
        data: rows.map((r) => r.count),
        label: { show: true, position: 'top' },
      },
    ],
  };
}

function tierChart(rows: Backlog['ownedByTier']): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        name: '领导包案',
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        data: rows.map((r) => ({ name: tierLabel(r.tier), value: r.count })),
        label: { formatter: '{c} 件' },
      },
    ],
  };
}

function BacklogBody({ backlog, unitName }: { backlog: Backlog; unitName: UnitName }) {
  const overdue = useMemo(() => overdueChart(backlog.overdueByUnit, unitName), [backlog, unitName]);
  const tiers = useMemo(() => tierChart(backlog.ownedByTier), [backlog]);
  const now = Date.now();
  const oldestColumns: TableColumnsType<OldCase> = [
    { title: '案件编号', dataIndex: 'id', render: (id: string) => <Link to={`/cases/${encodeURIComponent(id)}`}>{id}</Link> },
    { title: '状态', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: '登记时间', dataIndex: 'registeredAt', render: (at: string) => formatTime(at) },
    { title: '已历时', dataIndex: 'registeredAt', key: 'age', align: 'right', render: (at: string) => `${Math.floor((now - Date.parse(at)) / DAY)} 天` },
    { title: '承办单位', dataIndex: 'unit', render: (unit: string | null) => unitName(unit) },
  ];
  const total = (rows: { count: number }[]) => rows.reduce((sum, r) => sum + r.count, 0);
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={`登记超过 ${backlog.olderThanDays} 天未办结`} value={backlog.open.count} suffix="件" />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title="超期未办结" value={total(backlog.overdueByUnit)} suffix="件" />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title="领导包案未办结" value={total(backlog.ownedByTier)} suffix="件" />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title="超期案件（按承办单位）">
            <Chart option={overdue} label="超期案件按承办单位柱状图" height={280} empty={backlog.overdueByUnit.length === 0} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title="领导包案（按层级）">
            <Chart option={tiers} label="领导包案按层级环形图" height={280} empty={backlog.ownedByTier.length === 0} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="最久未办结的案件" style={{ marginTop: 16 }}>
        <Table<OldCase>
          rowKey="id"
          size="small"
          columns={oldestColumns}
          dataSource={backlog.open.oldest}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
        />
      </Card>
    </>
  );
}

/** 积案: open cases older than the threshold (the oldest listed), overdue cases by unit, owned cases by tier. */
export function BacklogReport({ url }: { url: string }) {
  const backlog = useReport<Backlog>(url);
  // The units' names; without them (the registry unreadable) the codes still say which unit.
  const units = useReport<{ units: UnitRow[] }>('/units');
  const unitName = useMemo<UnitName>(() => {
    const names = new Map((units.data?.units ?? []).map((u) => [u.id, u.name]));
    return (unit) => (unit === null ? reportPlaceholderZh['(unassigned)'] : (names.get(unit) ?? labelZh(reportPlaceholderZh, unit)));
  }, [units.data]);
  return <ReportState loaded={backlog}>{(data) => <BacklogBody backlog={data} unitName={unitName} />}</ReportState>;
}
