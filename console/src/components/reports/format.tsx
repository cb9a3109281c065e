import { Typography } from 'antd';

/** A fraction as a percentage (0.6667 → 66.7%), or — when nothing was measured. */
export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);

/**
 * 环比 / 同比: a change of complaints with its sign, red when they rose (more
 * complaints is the news to act on), — when the month compared with had none.
 */
export function Growth({ rate }: { rate: number | null }) {
  if (rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = `${rate > 0 ? '+' : ''}${percent(rate)}`;
  return <Typography.Text type={rate > 0 ? 'danger' : undefined}>{text}</Typography.Text>;
}
