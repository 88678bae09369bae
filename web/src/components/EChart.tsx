/**
 * A minimal ECharts host: init on mount (SVG renderer: crisp in print, small), set the option on
 * change, resize with its box, dispose on unmount. Only the chart types registered here enter the
 * bundle; this module is reached only through React.lazy, so it stays out of the first view.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Register only what the charts use (add LineChart, LegendComponent… here when a chart needs them).
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface EChartProps {
  option: ChartOption;
  height?: number;
  /** Accessible name of the picture; give the numbers in text elsewhere (a table) too. */
  ariaLabel: string;
  className?: string;
}

export default function EChart({ option, height = 280, ariaLabel, className }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className={className} style={{ width: '100%', height }} role="img" aria-label={ariaLabel} />;
}
