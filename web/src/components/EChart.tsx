/**
 * A minimal ECharts host: init on mount (SVG renderer: crisp in print, small), set the option on
 * change, resize with its box, dispose on unmount. Only the chart types registered here enter the
 * bundle; this module is reached only through React.lazy, so it stays out of the first view.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, type BarSeriesOption, type LineSeriesOption, type MapSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
  type AriaComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Register only what the charts use (add more here when a chart needs them).
echarts.use([BarChart, LineChart, MapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapPiecewiseComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | MapSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption | AriaComponentOption
>;

/** Make a GeoJSON map known to ECharts under `name` (once). */
export function registerMap(name: string, geoJson: object): void {
  if (!echarts.getMap(name)) echarts.registerMap(name, geoJson as Parameters<typeof echarts.registerMap>[1]);
}

export type ChartClick = { name?: string; dataIndex?: number; data?: unknown; seriesIndex?: number };

/** A4 portrait minus the print margins of styles.css, at 96 px per inch. */
const PRINT_WIDTH_PX = 680;

export interface EChartProps {
  option: ChartOption;
  height?: number;
  /** Accessible name of the picture; give the numbers in text elsewhere (a table) too. */
  ariaLabel: string;
  className?: string;
  onClick?: (p: ChartClick) => void;
}

export default function EChart({ option, height = 280, ariaLabel, className, onClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p as ChartClick));
    // A viewBox lets print CSS scale the drawing down when the printer's page is narrower than
    // the screen (headless PDF printing does not always fire `beforeprint`).
    c.on('finished', () => {
      const svg = el.querySelector('svg');
      const w = svg?.getAttribute('width');
      const h = svg?.getAttribute('height');
      if (svg && w && h) svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    // Printing does not resize the box the chart measured on screen: fit A4's text width (~180 mm).
    const toPrint = () => c.resize({ width: Math.min(el.clientWidth, PRINT_WIDTH_PX) });
    const toScreen = () => c.resize();
    const mq = window.matchMedia('print');
    const onMedia = (e: MediaQueryListEvent) => (e.matches ? toPrint() : toScreen());
    window.addEventListener('beforeprint', toPrint);
    window.addEventListener('afterprint', toScreen);
    mq.addEventListener('change', onMedia);
    return () => {
      window.removeEventListener('beforeprint', toPrint);
      window.removeEventListener('afterprint', toScreen);
      mq.removeEventListener('change', onMedia);
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className={`echart-host${className ? ` ${className}` : ''}`} style={{ width: '100%', height }} role="img" aria-label={ariaLabel} />;
}
