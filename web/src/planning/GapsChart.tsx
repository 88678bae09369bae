/**
 * Communes by number of criteria to go — a bar chart (ECharts, lazy), the same numbers in a
 * visually hidden table for screen readers. Communes already at their level count as 0.
 */
import { useMemo } from 'react';
import { useT } from '../i18n/index.tsx';
import { formatNumber } from '../format.ts';
import EChart, { type ChartOption } from '../components/EChart.tsx';
import type { CommuneGap } from './api.ts';
import { useS } from './strings.ts';

export function histogram(communes: readonly Pick<CommuneGap, 'criteriaToGo' | 'name'>[]): Array<{ toGo: number; communes: number; names: string[] }> {
  const max = Math.max(0, ...communes.map((c) => c.criteriaToGo));
  const rows = Array.from({ length: max + 1 }, (_, toGo) => ({ toGo, communes: 0, names: [] as string[] }));
  for (const c of communes) {
    rows[c.criteriaToGo]!.communes++;
    rows[c.criteriaToGo]!.names.push(c.name);
  }
  return rows;
}

export default function GapsChart({ communes }: { communes: CommuneGap[] }) {
  const s = useS();
  const { lang } = useT();
  const rows = useMemo(() => histogram(communes), [communes]);
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 44, right: 12, top: 24, bottom: 48 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (p: unknown) => {
          const i = (Array.isArray(p) ? (p[0] as { dataIndex: number }) : (p as { dataIndex: number })).dataIndex;
          const r = rows[i]!;
          return `${s('gaps.chart.x')}: ${r.toGo}<br/>${s('gaps.chart.y')}: ${formatNumber(r.communes, lang)}${r.names.length ? `<br/>${r.names.slice(0, 12).join(', ')}${r.names.length > 12 ? '…' : ''}` : ''}`;
        },
      },
      xAxis: { type: 'category', name: s('gaps.chart.x'), nameLocation: 'middle', nameGap: 30, data: rows.map((r) => String(r.toGo)), axisLabel: { color: '#333' } },
      yAxis: { type: 'value', name: s('gaps.chart.y'), minInterval: 1, axisLabel: { color: '#333', formatter: (v: number) => formatNumber(v, lang) } },
      series: [
        {
          type: 'bar',
          name: s('gaps.chart.y'),
          data: rows.map((r) => ({ value: r.communes, itemStyle: { color: r.toGo <= 2 ? '#2f7d1e' : '#0b4f9c' } })),
          label: { show: true, position: 'top', color: '#222', formatter: (p) => (Number(p.value) > 0 ? formatNumber(Number(p.value), lang) : '') },
        },
      ],
    }),
    [rows, s, lang],
  );
  return (
    <>
      <EChart option={option} ariaLabel={s('gaps.chart')} height={240} />
      <div className="sr-only">
        <table>
          <caption>{s('gaps.chart.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{s('gaps.chart.x')}</th>
              <th scope="col">{s('gaps.chart.y')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.toGo}>
                <td>{r.toGo}</td>
                <td>{r.communes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
