/**
 * Diễn biến qua các kỳ rà soát — at each review date up to the chosen one: communes reviewed
 * (bars), average criteria met and communes below 15 (lines). Clicking a date opens the overview
 * on that date. The same numbers are in a table (visually hidden, and printed). Lazy (ECharts).
 */
import { useMemo } from 'react';
import { useUnitTrend } from '../api/hooks.ts';
import { useDateParam } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber } from '../format.ts';
import EChart, { type ChartOption } from './EChart.tsx';

export default function TrendChart({ unitId }: { unitId: string }) {
  const { t, lang } = useT();
  const { date, setDate } = useDateParam();
  const trend = useUnitTrend(unitId, date);
  const points = trend.data ?? [];
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      aria: { enabled: true, decal: { show: true } },
      grid: { left: 48, right: 48, top: 48, bottom: 40 },
      legend: { top: 0, textStyle: { color: '#222' } },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatNumber(typeof v === 'number' ? v : Number(v), lang) },
      xAxis: { type: 'category', data: points.map((p) => formatDate(p.date)), axisLabel: { color: '#333' } },
      yAxis: [
        { type: 'value', name: t('overview.trend.communes'), minInterval: 1, axisLabel: { color: '#333', formatter: (v: number) => formatNumber(v, lang) } },
        { type: 'value', name: t('overview.trend.criteria'), min: 0, max: 19, axisLabel: { color: '#333', formatter: (v: number) => formatNumber(v, lang) } },
      ],
      series: [
        { type: 'bar', name: t('overview.trend.reviewed'), data: points.map((p) => p.reviewed), itemStyle: { color: '#9cc3e6' }, barMaxWidth: 32 },
        {
          type: 'line',
          name: t('overview.trend.average'),
          yAxisIndex: 1,
          data: points.map((p) => p.averageCriteriaMet),
          symbol: 'circle',
          symbolSize: 8,
          lineStyle: { color: '#0b4f9c', width: 3 },
          itemStyle: { color: '#0b4f9c' },
          label: { show: true, position: 'top', color: '#0b4f9c', formatter: (p) => (p.value === null ? '' : formatNumber(Number(p.value), lang, { maxFraction: 1 })) },
        },
        {
          type: 'line',
          name: t('overview.trend.below15'),
          data: points.map((p) => p.below15),
          symbol: 'triangle',
          symbolSize: 9,
          lineStyle: { color: '#a23b00', type: 'dashed', width: 2 },
          itemStyle: { color: '#a23b00' },
        },
      ],
    }),
    [points, t, lang],
  );
  if (trend.isPending) return <div className="chart-placeholder">{t('overview.chart.loading')}</div>;
  if (trend.isError || points.length === 0) return <p className="muted">{t('overview.trend.none')}</p>;
  return (
    <figure className="chart-figure" data-testid="trend-chart">
      <EChart
        option={option}
        height={300}
        ariaLabel={t('overview.trend.title')}
        onClick={(p) => {
          const d = p.dataIndex !== undefined ? points[p.dataIndex]?.date : undefined;
          if (d) setDate(d);
        }}
      />
      <table className="sr-only print-table">
        <caption>{t('overview.trend.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('overview.trend.date')}</th>
            <th scope="col">{t('overview.trend.reviewed')}</th>
            <th scope="col">{t('overview.trend.average')}</th>
            <th scope="col">{t('overview.trend.below15')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.date}>
              <th scope="row">{formatDate(p.date)}</th>
              <td>{formatNumber(p.reviewed, lang)}</td>
              <td>{formatNumber(p.averageCriteriaMet, lang, { maxFraction: 1 })}</td>
              <td>{formatNumber(p.below15, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
