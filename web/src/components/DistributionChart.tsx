/**
 * Communes by number of criteria met, for one criteria set — a bar chart, with the same numbers
 * in a visually hidden table for screen readers. Lazy-loaded: pulls ECharts only when drawn.
 */
import { useMemo } from 'react';
import type { SetStats } from '../api/types.ts';
import { useT } from '../i18n/index.tsx';
import { formatNumber } from '../format.ts';
import EChart, { type ChartOption } from './EChart.tsx';

export default function DistributionChart({ set }: { set: SetStats }) {
  const { t, lang } = useT();
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 48, right: 16, top: 24, bottom: 48 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => formatNumber(typeof v === 'number' ? v : Number(v), lang),
      },
      xAxis: {
        type: 'category',
        name: t('overview.chart.xAxis'),
        nameLocation: 'middle',
        nameGap: 30,
        data: set.distribution.map((d) => String(d.criteriaMet)),
        axisLabel: { color: '#333' },
      },
      yAxis: {
        type: 'value',
        name: t('overview.chart.yAxis'),
        minInterval: 1,
        axisLabel: { color: '#333', formatter: (v: number) => formatNumber(v, lang) },
      },
      series: [
        {
          type: 'bar',
          name: t('overview.chart.yAxis'),
          data: set.distribution.map((d) => d.communes),
          itemStyle: { color: '#0b4f9c', decal: { symbol: 'none' } },
          label: { show: true, position: 'top', color: '#222', formatter: (p) => (Number(p.value) > 0 ? formatNumber(Number(p.value), lang) : '') },
        },
      ],
    }),
    [set, t, lang],
  );
  return (
    <figure className="chart-figure" data-testid="distribution-chart">
      <EChart option={option} ariaLabel={`${t('overview.chart.title')} — ${set.setName}`} height={300} />
      <div className="sr-only">
        <table>
          <caption>{t('overview.chart.tableCaption', { set: set.setName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('overview.chart.xAxis')}</th>
              <th scope="col">{t('overview.chart.yAxis')}</th>
            </tr>
          </thead>
          <tbody>
            {set.distribution.map((d) => (
              <tr key={d.criteriaMet}>
                <td>{d.criteriaMet}</td>
                <td>{d.communes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
