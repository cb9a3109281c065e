/**
 * ECharts with only what the reports draw: bars and a pie, their grid, tooltip and legend, drawn
 * as SVG (crisp when printed or zoomed; the test finds the chart in the DOM). Importing from
 * 'echarts/core' instead of 'echarts' keeps the rest of the library out of the bundle; this module
 * is reached only through the lazily loaded Chart, so none of it is in the first load.
 */
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export { init };
