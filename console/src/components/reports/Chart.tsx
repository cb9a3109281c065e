import { useEffect, useRef } from 'react';
import { init, type ChartOption } from './echarts';

interface Props {
  option: ChartOption;
  /** What the chart shows, for screen readers (the table beside it has the figures). */
  label: string;
  height?: number;
}

/** One ECharts chart that follows its option and its box's width. Default export: loaded lazily. */
export default function Chart({ option, label, height = 320 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init>>(undefined);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = instance;
    // A tab shown after a resize, a window made narrower: the chart takes its box's new size.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    // The series change with the period: replace them rather than merge into the old ones. No
    // growing bars for whoever asked the system for less motion.
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    chart.current?.setOption({ ...option, animation: !still }, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
