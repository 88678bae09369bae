/**
 * The portal's map (lazy: ECharts and topojson-client load with it): the communes of Ninh Bình —
 * the only commune boundaries in /geo — coloured by their current level, with a short level name
 * as the label, an HTML legend and the table under it. Communes outside that map are named under
 * it; when none of the rows is on it (another province, or communes before the 1/7/2025 merger —
 * the demo recognitions are of Hà Nam's former communes), a bar chart of communes by level instead.
 */
import { useMemo } from 'react';
import type { PublicRecognitionRow } from '../api/dossier.ts';
import EChart, { type ChartOption } from '../components/EChart.tsx';
import { choroplethSeries, useGeo } from '../components/geo.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { usePS } from './strings.ts';
import { LEVEL_ORDER, LEVEL_STYLE } from './levels.ts';

const GEO_FILE = 'communes-37@2025-07.topo.json';

const GEO_LIST = '2025-07';
/** The map's region code of a commune, only for communes of the map's own list (codes are reused across lists). */
const codeOf = (unitId: string) => (unitId.endsWith(`@${GEO_LIST}`) ? unitId.split('@')[0]! : `-${unitId}`);

export default function PublicMap({ rows }: { rows: PublicRecognitionRow[] }) {
  const s = usePS();
  const { t, pick } = useT();
  // Same query key as the overview's map: one download of the boundaries per visit.
  const anyOnList = rows.some((r) => r.unitId.endsWith(`@${GEO_LIST}`));
  const geo = useGeo(anyOnList ? GEO_FILE : null);
  const levelName = (l: string) => t(`ntmLevel.${l}` as MessageKey);
  const byCode = useMemo(() => new Map(rows.map((r) => [codeOf(r.unitId), r])), [rows]);
  const onMap = useMemo(() => (geo.data ? new Set(geo.data.map((g) => g.code)) : null), [geo.data]);
  const shown = onMap ? rows.filter((r) => onMap.has(codeOf(r.unitId))) : [];
  const missing = onMap ? rows.filter((r) => !onMap.has(codeOf(r.unitId))) : [];
  const useBars = !anyOnList || geo.isError || (onMap !== null && shown.length === 0);

  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const r of rows) c.set(r.currentLevel ?? '', (c.get(r.currentLevel ?? '') ?? 0) + 1);
    return c;
  }, [rows]);

  const option = useMemo<ChartOption | null>(() => {
    if (useBars) {
      const levels = [...LEVEL_ORDER, ''] as string[];
      return {
        animation: false,
        grid: { left: 140, right: 30, top: 10, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: levels.map((l) => (l ? levelName(l) : s('portal.noLevel'))) },
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'bar',
            data: levels.map((l) => ({ value: counts.get(l) ?? 0, itemStyle: { color: LEVEL_STYLE[l]!.color, borderColor: '#555', borderWidth: 0.5 } })),
            label: { show: true, position: 'right' },
          },
        ],
      } as ChartOption;
    }
    if (!geo.data) return null;
    const names = new Map(geo.data.map((g) => [g.code, g.name]));
    return {
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const code = (p as { name: string }).name;
          const r = byCode.get(code);
          const lvl = r?.currentLevel ? pick(r.currentLevelName) || levelName(r.currentLevel) : s('portal.legendNone');
          return `${names.get(code) ?? code}: ${lvl}`;
        },
      },
      series: [
        {
          ...choroplethSeries(GEO_FILE),
          label: { show: true, fontSize: 9, formatter: (p: unknown) => LEVEL_STYLE[byCode.get((p as { name: string }).name)?.currentLevel ?? '']?.short ?? '' },
          data: geo.data.map((g) => {
            const lvl = byCode.get(g.code)?.currentLevel ?? '';
            const st = LEVEL_STYLE[lvl] ?? LEVEL_STYLE['']!;
            return { name: g.code, value: LEVEL_ORDER.indexOf(lvl as (typeof LEVEL_ORDER)[number]) + 1, itemStyle: { areaColor: byCode.has(g.code) ? st.color : '#ffffff' }, label: { color: st.text } };
          }),
        },
      ],
    } as ChartOption;
  }, [useBars, geo.data, byCode, counts, pick, s]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <figure className="map-figure" data-testid="public-map" data-mode={useBars ? 'bars' : 'map'} style={{ margin: 0 }}>
      {geo.isError && (
        <p className="notice notice-info" role="status">
          {s('portal.mapFailed')}
        </p>
      )}
      {option ? (
        <EChart option={option} height={useBars ? 220 : 460} ariaLabel={useBars ? s('portal.chart') : s('portal.mapLabel')} />
      ) : (
        <div className="chart-placeholder">{s('portal.loadingMap')}</div>
      )}
      <div className="pub-legend" data-testid="public-map-legend">
        <strong>{s('portal.legend')}:</strong>
        <ul>
          {LEVEL_ORDER.map((l) => (
            <li key={l}>
              <span className="pub-swatch" style={{ background: LEVEL_STYLE[l]!.color }} aria-hidden="true" />
              {levelName(l)} ({LEVEL_STYLE[l]!.short}): {counts.get(l) ?? 0}
            </li>
          ))}
          <li>
            <span className="pub-swatch" style={{ background: LEVEL_STYLE['']!.color }} aria-hidden="true" />
            {s('portal.legendNone')}: {counts.get('') ?? 0}
          </li>
        </ul>
      </div>
      {!useBars && missing.length > 0 && <p className="muted">{s('portal.notShown', { names: missing.map((m) => m.name).join(', ') })}</p>}
      <details className="map-table">
        <summary>{s('portal.asTable')}</summary>
        <table className="simple-table">
          <caption className="sr-only">{s('portal.map')}</caption>
          <thead>
            <tr>
              <th scope="col">{s('portal.col.commune')}</th>
              <th scope="col">{s('portal.col.level')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.unitId}>
                <th scope="row">{r.name}</th>
                <td>{r.currentLevel ? pick(r.currentLevelName) || levelName(r.currentLevel) : s('portal.noLevel')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
