import { Alert, Button, DatePicker, InputNumber, Space, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { query } from '../api';
import { BacklogReport } from '../components/reports/BacklogReport';
import { downloadReport } from '../components/reports/download';
import { HotspotsReport } from '../components/reports/HotspotsReport';
import { KpiReport } from '../components/reports/KpiReport';
import { dimensions, MonthlyReport, type Dimension } from '../components/reports/MonthlyReport';
import { RewardsReport } from '../components/reports/RewardsReport';
import { problemZh } from '../labels';
import { mayReadRewardReport } from '../../../lib/report-access';
import { useCaller } from '../session';
import { zone } from '../time';

const reports = { kpi: '四率', monthly: '月度分析', hotspots: '热点与聚集', backlog: '积案', rewards: '有奖举报' } as const;
type Report = keyof typeof reports;
const isReport = (value: string | null): value is Report => value !== null && Object.hasOwn(reports, value);

const dayFormat = 'YYYY-MM-DD';
const monthFormat = 'YYYY-MM';
const dayShape = /^\d{4}-\d{2}-\d{2}$/;
const monthShape = /^\d{4}-\d{2}$/;
const defaultDays = 30;

/** What the page shows, from the URL (so a report can be shared, reloaded and gone back to), with defaults. */
interface View {
  report: Report;
  from: string;
  to: string;
  month: string;
  dimension: Dimension;
  days: number;
}

function viewOf(params: URLSearchParams): View {
  const today = dayjs().tz(zone);
  const valid = (value: string | null, shape: RegExp) => (value && shape.test(value) && dayjs(value).isValid() ? value : undefined);
  const days = Number(params.get('days'));
  const dimension = params.get('dimension');
  const report = params.get('report');
  return {
    report: isReport(report) ? report : 'kpi',
    from: valid(params.get('from'), dayShape) ?? today.startOf('month').format(dayFormat),
    to: valid(params.get('to'), dayShape) ?? today.format(dayFormat),
    month: valid(params.get('month'), monthShape) ?? today.format(monthFormat),
    dimension: dimensions.find((d) => d === dimension) ?? 'district',
    days: Number.isInteger(days) && days >= 0 && days <= 3650 && params.has('days') ? days : defaultDays,
  };
}

/** The report's API URL for the view; the exports add `format`. */
function urlOf(view: View, format?: 'csv' | 'xlsx'): string {
  switch (view.report) {
    case 'kpi':
    case 'hotspots':
    case 'rewards':
      return `/reports/${view.report}${query({ from: view.from, to: view.to, format })}`;
    case 'monthly':
      return `/reports/monthly${query({ month: view.month, format })}`;
    case 'backlog':
      return `/reports/backlog${query({ olderThanDays: view.days, format })}`;
  }
}

function rangePresets(): { label: string; value: [Dayjs, Dayjs] }[] {
  const today = dayjs().tz(zone).startOf('day');
  const lastMonth = today.subtract(1, 'month');
  return [
    { label: '本月', value: [today.startOf('month'), today] },
    { label: '上月', value: [lastMonth.startOf('month'), lastMonth.endOf('month')] },
    { label: '近 30 天', value: [today.subtract(29, 'day'), today] },
    { label: '本年', value: [today.startOf('year'), today] },
  ];
}

/** 报表: 四率, 月度分析, 热点与聚集 and 积案 as charts and tables, each for a period, each exportable. */
export default function ReportsPage() {
  const [params, setParams] = useSearchParams();
  // 有奖举报 is for those who see rewards paid (supervisors, ops), not for every reader of the reports.
  const caller = useCaller();
  const shown = (Object.keys(reports) as Report[]).filter((key) => key !== 'rewards' || mayReadRewardReport(caller.roles));
  const view = viewOf(params);
  const [exporting, setExporting] = useState<'csv' | 'xlsx'>();
  const [exportError, setExportError] = useState<unknown>();

  const change = (values: Partial<Record<keyof View, string | number>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values)) next.set(key, String(value));
    // Typing a number of days is one change, not one history entry per keystroke.
    setParams(next, { replace: 'days' in values });
  };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    setExportError(undefined);
    try {
      await downloadReport(urlOf(view, format));
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(undefined);
    }
  };

  const picker = () => {
    switch (view.report) {
      case 'kpi':
      case 'hotspots':
      case 'rewards':
        return (
          <DatePicker.RangePicker
            aria-label="统计期间"
            allowClear={false}
            value={[dayjs(view.from), dayjs(view.to)]}
            presets={rangePresets()}
            onChange={(range) => {
              if (range?.[0] && range[1]) change({ from: range[0].format(dayFormat), to: range[1].format(dayFormat) });
            }}
          />
        );
      case 'monthly':
        return (
          <DatePicker
            picker="month"
            aria-label="统计月份"
            allowClear={false}
            value={dayjs(`${view.month}-01`)}
            onChange={(month: Dayjs | null) => {
              if (month) change({ month: month.format(monthFormat) });
            }}
          />
        );
      case 'backlog':
        return (
          <Space>
            <span>登记超过</span>
            <InputNumber<number>
              aria-label="积案天数"
              min={0}
              max={3650}
              precision={0}
              value={view.days}
              onChange={(days) => {
                if (days !== null) change({ days });
              }}
              style={{ width: 96 }}
            />
            <span>天未办结</span>
          </Space>
        );
    }
  };

  const body = () => {
    const url = urlOf(view);
    switch (view.report) {
      case 'kpi':
        return <KpiReport url={url} />;
      case 'monthly':
        return <MonthlyReport url={url} dimension={view.dimension} onDimension={(dimension) => change({ dimension })} />;
      case 'hotspots':
        return <HotspotsReport url={url} />;
      case 'backlog':
        return <BacklogReport url={url} />;
      case 'rewards':
        return <RewardsReport url={url} />;
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        报表
      </Typography.Title>
      <Tabs
        activeKey={view.report}
        onChange={(report) => change({ report })}
        items={shown.map((key) => ({ key, label: reports[key] }))}
        tabBarExtraContent={
          <Space wrap>
            {picker()}
            <Button loading={exporting === 'csv'} disabled={exporting !== undefined} onClick={() => void exportAs('csv')}>
              导出 CSV
            </Button>
            <Button type="primary" loading={exporting === 'xlsx'} disabled={exporting !== undefined} onClick={() => void exportAs('xlsx')}>
              导出 Excel
            </Button>
          </Space>
        }
      />
      {exportError !== undefined && (
        <Alert type="error" showIcon closable title={`导出失败：${problemZh(exportError)}`} onClose={() => setExportError(undefined)} />
      )}
      {/* One report at a time: its key makes a new period start from a fresh loading state. */}
      <div key={view.report}>{body()}</div>
    </Space>
  );
}
