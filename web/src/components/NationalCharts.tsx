/**
 * The country page's charts (lazy: ECharts and topojson-client load with them): the province
 * choropleth from the offline boundaries (/geo/provinces-2025-07.topo.json, 34 provinces; before
 * 1/7/2025 provinces-2025-03.topo.json, 63) coloured by the share of communes at NTM or above by
 * review, and the trend per review quarter (communes per level). Click a province → its overview.
 * The numbers are in the provinces table on the page (the keyboard and screen-reader alternative).
 */
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { NationalSummary, NationalTrend as NationalTrendData } from '../api/types.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber, formatPercent } from '../format.ts';
import EChart, { type ChartOption } from './EChart.tsx';
import { choroplethSeries, useGeo } from './geo.ts';

const MERGE_DAY = '2025-07-01';
const NO_REVIEW = -1;
const NO_DATA_COLOUR = '#e3e3e3';

const TEXT = {
  mapTitle: { vi: 'Bản đồ tỉnh, thành phố: tỷ lệ xã đạt chuẩn NTM trở lên (theo kết quả rà soát)', en: 'Provinces: share of communes at NTM or above (by review)' },
  legend: { vi: 'Tỷ lệ xã đạt NTM trở lên', en: 'Communes at NTM or above' },
  notReviewed: { vi: 'Chưa có xã rà soát', en: 'No commune reviewed' },
  reviewedNone: { vi: 'đã rà soát {r}/{d} xã; chưa xã nào đạt', en: 'reviewed {r}/{d}; none at NTM yet' },
  value: { vi: '{share} xã đạt NTM trở lên ({n}/{d}); đã rà soát {r} xã', en: '{share} at NTM or above ({n}/{d}); {r} reviewed' },
  loadFailed: { vi: 'Không tải được bản đồ; số liệu vẫn có trong bảng bên dưới.', en: 'The map could not be loaded; the table below has the same figures.' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  trendTitle: { vi: 'Diễn biến theo quý: số xã theo mức đạt (theo kết quả rà soát)', en: 'By quarter: communes per level (by review)' },
  reviewed: { vi: 'Xã đã rà soát', en: 'Communes reviewed' },
  none: { vi: 'Chưa đạt', en: 'Not at a level' },
  quarter: { vi: 'Quý', en: 'Quarter' },
  noTrend: { vi: 'Chưa có bản rà soát nào được nộp đến ngày này.', en: 'No review submitted up to this date.' },
};

const LEVEL_NAMES = {
  ntm: { vi: 'NTM', en: 'NTM' },
  'nang-cao': { vi: 'NTM nâng cao', en: 'Advanced' },
  'kieu-mau': { vi: 'NTM kiểu mẫu', en: 'Model' },
  'hien-dai': { vi: 'NTM hiện đại', en: 'Modern' },
} as const;

const PIECES = [
  { min: 0, max: 24.9999, label: '< 25%', color: '#fff3b0', text: '#222' },
  { min: 25, max: 49.9999, label: '25–50%', color: '#9fd8c4', text: '#111' },
  { min: 50, max: 79.9999, label: '50–80%', color: '#2c7fb8', text: '#fff' },
  { min: 80, max: 100, label: '≥ 80%', color: '#15306e', text: '#fff' },
];

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function NationalMap({ s }: { s: NationalSummary }) {
  const { lang, pick } = useT();
  const navigate = useNavigate();
  const file = `provinces-${s.date >= MERGE_DAY ? '2025-07' : '2025-03'}.topo.json`;
  const geo = useGeo(file);
  const option = useMemo<ChartOption | null>(() => {
    if (!geo.data) return null;
    const byCode = new Map(s.provinces.map((p) => [p.code, p]));
    const names = new Map(geo.data.map((g) => [g.code, g.name]));
    const data = geo.data.map((g) => {
      const p = byCode.get(g.code);
      const value = p && p.reviewed > 0 ? (p.share.ntm ?? 0) : NO_REVIEW;
      const piece = PIECES.find((x) => value >= x.min && value <= x.max);
      return { name: g.code, value, label: { color: piece?.text ?? '#222' } };
    });
    return {
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (x: unknown) => {
          const q = x as { name: string };
          const p = byCode.get(q.name);
          const name = p?.fullName ?? names.get(q.name) ?? q.name;
          if (!p || p.reviewed === 0) return `${name}: ${pick(TEXT.notReviewed)}`;
          const n = p.byLevel.ntm + p.byLevel['nang-cao'] + p.byLevel['kieu-mau'] + p.byLevel['hien-dai'];
          return `${name}: ${fill(pick(TEXT.value), { share: formatPercent(p.share.ntm, lang), n: formatNumber(n, lang), d: formatNumber(p.denominator, lang), r: formatNumber(p.reviewed, lang) })}`;
        },
      },
      visualMap: { type: 'piecewise', show: false, pieces: [...PIECES.map((p) => ({ min: p.min, max: p.max, color: p.color })), { value: NO_REVIEW, color: NO_DATA_COLOUR }] },
      series: [
        {
          ...choroplethSeries(file),
          label: { show: true, fontSize: 10, formatter: (x: unknown) => { const v = (x as { value: number }).value; return typeof v === 'number' && v >= 0 ? formatPercent(v, lang) : ''; } },
          data,
        },
      ],
    } as ChartOption;
  }, [geo.data, s, file, lang, pick]);

  return (
    <figure className="map-figure" data-testid="national-map" data-provinces={geo.data?.length ?? 0}>
      {option ? (
        <EChart
          option={option}
          height={typeof window !== 'undefined' && window.innerWidth < 600 ? 440 : 620}
          ariaLabel={pick(TEXT.mapTitle)}
          onClick={(p) => {
            const r = s.provinces.find((x) => x.code === p.name);
            if (r) navigate(unitPath(r.unitId, s.date));
          }}
        />
      ) : geo.isError ? (
        <p className="notice notice-error" role="alert">
          {pick(TEXT.loadFailed)}
        </p>
      ) : (
        <div className="chart-placeholder">{pick(TEXT.loading)}</div>
      )}
      {option && (
        <div className="map-legend" data-testid="map-legend">
          <span className="map-legend-title">{pick(TEXT.legend)}:</span>
          <ul>
            {PIECES.map((p) => (
              <li key={p.label}>
                <span className="map-swatch" style={{ background: p.color }} aria-hidden="true" />
                {lang === 'vi' ? p.label.replace('.', ',') : p.label}
              </li>
            ))}
            <li>
              <span className="map-swatch" style={{ background: NO_DATA_COLOUR }} aria-hidden="true" />
              {pick(TEXT.notReviewed)}
            </li>
          </ul>
        </div>
      )}
    </figure>
  );
}

export function NationalTrend({ trend, onPick }: { trend: NationalTrendData; onPick: (date: string) => void }) {
  const { lang, pick } = useT();
  const points = trend.points;
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      aria: { enabled: true, decal: { show: true } },
      grid: { left: 48, right: 16, top: 56, bottom: 40 },
      legend: { top: 0, textStyle: { color: '#222' } },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatNumber(typeof v === 'number' ? v : Number(v), lang) },
      xAxis: { type: 'category', data: points.map((p) => p.quarter), axisLabel: { color: '#333' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#333', formatter: (v: number) => formatNumber(v, lang) } },
      series: [
        ...(['hien-dai', 'kieu-mau', 'nang-cao', 'ntm'] as const).map((l, i) => ({
          type: 'bar' as const,
          stack: 'levels',
          name: pick(LEVEL_NAMES[l]),
          data: points.map((p) => p.byLevel[l]),
          itemStyle: { color: ['#4a1486', '#15306e', '#2c7fb8', '#74c476'][i] },
          barMaxWidth: 36,
        })),
        { type: 'bar' as const, stack: 'levels', name: pick(TEXT.none), data: points.map((p) => p.byLevel.none), itemStyle: { color: '#cfcfcf' }, barMaxWidth: 36 },
      ],
    }),
    [points, lang, pick],
  );
  if (points.length === 0) return <p className="muted">{pick(TEXT.noTrend)}</p>;
  return (
    <figure className="chart-figure" data-testid="national-trend">
      <EChart
        option={option}
        height={300}
        ariaLabel={pick(TEXT.trendTitle)}
        onClick={(p) => {
          const d = p.dataIndex !== undefined ? points[p.dataIndex]?.date : undefined;
          if (d) onPick(d);
        }}
      />
      {/* A block that clips (a table ignores the 1 px width): the table stays off the phone's width. */}
      <div className="sr-only print-table">
      <table>
        <caption>{pick(TEXT.trendTitle)}</caption>
        <thead>
          <tr>
            <th scope="col">{pick(TEXT.quarter)}</th>
            <th scope="col">{pick(TEXT.reviewed)}</th>
            {(['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'] as const).map((l) => (
              <th scope="col" key={l}>
                {pick(LEVEL_NAMES[l])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.quarter}>
              <th scope="row">
                {p.quarter} ({formatDate(p.date)})
              </th>
              <td>{formatNumber(p.reviewed, lang)}/{formatNumber(p.denominator, lang)}</td>
              {(['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'] as const).map((l) => (
                <td key={l}>{formatNumber(p.byLevel[l], lang)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/** Both charts, one lazy chunk: the map of a summary, or the trend (its own request). */
export default function NationalCharts(props: { part: 'map'; s: NationalSummary } | { part: 'trend'; trend: NationalTrendData; onPick: (date: string) => void }) {
  return props.part === 'map' ? <NationalMap s={props.s} /> : <NationalTrend trend={props.trend} onPick={props.onPick} />;
}
