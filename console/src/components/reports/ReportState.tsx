import { Alert, Empty, Skeleton } from 'antd';
import { lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import { problemZh } from '../../labels';
import type { Loaded } from './useReport';

// ECharts comes in a chunk of its own, after the page: the tables show without waiting for it.
const LazyChart = lazy(() => import('./Chart'));

/** A chart, or when there is nothing to draw, a plain 无数据 (an empty ring or grid looks like a fault). */
export function Chart({ empty, ...props }: ComponentProps<typeof LazyChart> & { empty: boolean }) {
  const height = props.height ?? 320;
  if (empty) {
    return (
      <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无数据" />
      </div>
    );
  }
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} />}>
      <LazyChart {...props} />
    </Suspense>
  );
}

/** A report's body once loaded; the problem in Chinese if it could not be. */
export function ReportState<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.error !== undefined) return <Alert type="error" showIcon title={`报表加载失败：${problemZh(loaded.error)}`} />;
  if (loaded.data === undefined) return <Skeleton active paragraph={{ rows: 8 }} />;
  return children(loaded.data);
}
