/**
 * Bản đồ — an offline choropleth (ECharts, SVG) from the simplified boundaries in /geo (built by
 * web/scripts/build-geo.mjs): the communes of the unit coloured by criteria met, or the provinces
 * nationwide coloured by average criteria met (the 63 old provinces before 1/7/2025, the 34 new
 * ones after). Colour comes with the number as a label and in the tooltip; classes with no number
 * (not reviewed, not in the programme) also carry a hatching. A unit without boundaries gets the
 * list instead of a map — never a broken map — and the table under the map is the keyboard and
 * screen-reader alternative. Lazy: ECharts and topojson-client load with it.
 */
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useProvinceMap } from '../api/hooks.ts';
import { usePrintMode } from './PrintView.tsx';
import type { SetStats, UnitDetail, UnitSummary } from '../api/types.ts';
import { unitPath } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { formatNumber, formatPercent } from '../format.ts';
import EChart, { type ChartOption } from './EChart.tsx';
import { choroplethSeries, useGeo } from './geo.ts';

/** Units whose communes have boundaries in /geo (file `communes-<unit id>.topo.json`). */
export const COMMUNE_GEOMETRY = new Set(['37@2025-07']);
const MERGE_DAY = '2025-07-01';

/** Class breaks for x/N criteria met: below N−4, N−4…N−3, N−2…N−1, all N. */
export function criteriaPieces(n: number): Array<{ min: number; max: number; label: string; color: string; text: string }> {
  const r = (a: number, b: number) => (a === b ? `${a}` : `${a}–${b}`);
  return [
    { min: 0, max: n - 5, label: `< ${n - 4}`, color: '#fff3b0', text: '#222' },
    { min: n - 4, max: n - 3, label: r(n - 4, n - 3), color: '#9fd8c4', text: '#111' },
    { min: n - 2, max: n - 1, label: r(n - 2, n - 1), color: '#2c7fb8', text: '#fff' },
    { min: n, max: n, label: `${n}`, color: '#15306e', text: '#fff' },
  ];
}

const NOT_REVIEWED = -1;
const NOT_IN_PROGRAMME = -2;
const NO_DATA_COLOUR = '#e3e3e3';
/** Diagonal hatching: units outside the programme (wards, towns) read as such without colour. */
const HATCH = { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 6], rotation: -Math.PI / 4, color: 'rgba(0,0,0,0.35)' };

function Legend({ items, title }: { items: Array<{ label: string; color: string; hatch?: boolean }>; title: string }) {
  return (
    <div className="map-legend" data-testid="map-legend">
      <span className="map-legend-title">{title}:</span>
      <ul>
        {items.map((i) => (
          <li key={i.label}>
            <span className={`map-swatch${i.hatch ? ' map-swatch-hatch' : ''}`} style={{ background: i.hatch ? undefined : i.color }} aria-hidden="true" />
            {i.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function UnitMap({ unit, summary, set }: { unit: UnitDetail; summary: UnitSummary; set: SetStats | null }) {
  const { t, lang } = useT();
  const navigate = useNavigate();
  const date = summary.date;
  const hasCommunes = COMMUNE_GEOMETRY.has(unit.id);
  const print = usePrintMode();
  const [mode, setMode] = useState<'communes' | 'provinces'>('communes');
  const provincesFile = `provinces-${date >= MERGE_DAY ? '2025-07' : '2025-03'}.topo.json`;
  const file = mode === 'communes' ? (hasCommunes ? `communes-${unit.id}.topo.json` : null) : provincesFile;
  const geo = useGeo(file);
  const provinceMap = useProvinceMap(date, mode === 'provinces');
  const n = set?.criteria.length ?? 19;
  const pieces = useMemo(() => criteriaPieces(n), [n]);

  // One row per region (map) or per commune (list): name, value, link.
  const rows = useMemo(() => {
    if (mode === 'communes') {
      return summary.communes
        .filter((c) => !set || c.setId === null || c.setId === set.setId)
        .map((c) => ({ code: c.code, name: c.name, unitId: c.unitId, value: c.criteriaMet ?? NOT_REVIEWED, shown: c.criteriaMet !== null ? `${c.criteriaMet}/${c.criteriaTotal}` : t('status.none') }));
    }
    return (provinceMap.data?.provinces ?? []).map((p) => ({
      code: p.code,
      name: p.name,
      unitId: p.unitId,
      value: p.averageCriteriaMet ?? NOT_REVIEWED,
      shown:
        p.averageCriteriaMet !== null
          ? t('map.provinceValue', { avg: formatNumber(p.averageCriteriaMet, lang, { maxFraction: 1 }), share: formatPercent(p.reviewedShare, lang) })
          : t('map.noData'),
    }));
  }, [mode, summary, set, provinceMap.data, t, lang]);

  const option = useMemo<ChartOption | null>(() => {
    if (!file || !geo.data) return null;
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const data = geo.data.map((g) => {
      const r = byCode.get(g.code);
      const value = r ? r.value : NOT_IN_PROGRAMME;
      const piece = pieces.find((p) => value >= p.min && value <= p.max);
      const isCurrent = mode === 'provinces' && (unit.id === r?.unitId || unit.parents.some((p) => p.id === r?.unitId));
      return {
        name: g.code,
        value,
        label: { color: piece?.text ?? '#222' },
        itemStyle: {
          ...(value === NOT_IN_PROGRAMME ? { decal: HATCH } : {}),
          ...(isCurrent ? { borderColor: '#c00000', borderWidth: 2.5 } : {}),
        },
      };
    });
    const names = new Map(geo.data.map((g) => [g.code, g.name]));
    return {
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const q = p as { name: string; value: number };
          const r = byCode.get(q.name);
          const label = r?.shown ?? t('map.notInProgramme');
          return `${names.get(q.name) ?? q.name}: ${label}`;
        },
      },
      // Colours by class; the legend is HTML under the map (readable, printable).
      visualMap: {
        type: 'piecewise',
        show: false,
        pieces: [
          ...pieces.map((p) => ({ min: p.min, max: p.max, color: p.color })),
          { value: NOT_REVIEWED, color: NO_DATA_COLOUR },
          { value: NOT_IN_PROGRAMME, color: '#ffffff' },
        ],
      },
      series: [
        {
          ...choroplethSeries(file),
          label: {
            show: true,
            fontSize: mode === 'communes' ? 9 : 10,
            formatter: (p: unknown) => {
              const v = (p as { value: number }).value;
              return typeof v === 'number' && v >= 0 ? formatNumber(v, lang, { maxFraction: 1 }) : '';
            },
          },
          data,
        },
      ],
    } as ChartOption;
  }, [file, geo.data, rows, pieces, mode, unit, n, t, lang]);

  const missing = useMemo(() => {
    if (!geo.data || mode !== 'communes') return [];
    const have = new Set(geo.data.map((g) => g.code));
    return rows.filter((r) => !have.has(r.code));
  }, [geo.data, rows, mode]);

  const noGeometry = mode === 'communes' && (!hasCommunes || geo.isError);
  const title = mode === 'communes' ? t('map.titleCommunes', { name: unit.fullName }) : t('map.titleProvinces');

  return (
    <figure className="map-figure" data-testid="unit-map" data-mode={mode}>
      <div className="map-modes no-print" role="group" aria-label={t('map.mode')}>
        <button type="button" className="btn btn-small" aria-pressed={mode === 'communes'} onClick={() => setMode('communes')}>
          {t('map.modeCommunes')}
        </button>
        <button type="button" className="btn btn-small" aria-pressed={mode === 'provinces'} onClick={() => setMode('provinces')}>
          {t('map.modeProvinces')}
        </button>
      </div>
      {noGeometry ? (
        <p className="notice notice-info" role="status" data-testid="map-fallback">
          {geo.isError ? t('map.loadFailed') : t('map.noGeometry', { name: unit.fullName })}
        </p>
      ) : option ? (
        <EChart
          option={option}
          height={mode === 'communes' ? 560 : 640}
          ariaLabel={`${title}. ${t('map.tableHint')}`}
          onClick={(p) => {
            const r = rows.find((x) => x.code === p.name);
            if (r) navigate(unitPath(r.unitId, date));
          }}
        />
      ) : geo.isError || provinceMap.isError ? (
        <p className="notice notice-error" role="alert">
          {t('map.loadFailed')}
        </p>
      ) : (
        <div className="chart-placeholder">{t('overview.chart.loading')}</div>
      )}
      {!noGeometry && option && (
        <Legend
          title={mode === 'communes' ? t('map.legendCommunes', { n }) : t('map.legendProvinces')}
          items={[
            ...pieces.map((p) => ({ label: p.label, color: p.color })),
            { label: mode === 'communes' ? t('status.none') : t('map.noData'), color: NO_DATA_COLOUR },
            ...(mode === 'communes' ? [{ label: t('map.notInProgramme'), color: '#fff', hatch: true }] : []),
          ]}
        />
      )}
      {missing.length > 0 && (
        <p className="muted" data-testid="map-missing">
          {t('map.missing', { names: missing.map((m) => m.name).join(', ') })}
        </p>
      )}
      <details className="map-table" open={noGeometry || print || undefined} data-testid="map-table">
        <summary>{noGeometry ? t('map.list') : t('map.asTable')}</summary>
        <table className="simple-table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{mode === 'communes' ? t('overview.matrix.commune') : t('map.province')}</th>
              <th scope="col">{mode === 'communes' ? t('overview.matrix.met') : t('map.legendProvinces')}</th>
            </tr>
          </thead>
          <tbody>
            {[...rows]
              .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'vi'))
              .map((r) => (
                <tr key={r.code}>
                  <th scope="row">
                    <a
                      href={unitPath(r.unitId, date)}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(unitPath(r.unitId, date));
                      }}
                    >
                      {r.name}
                    </a>
                  </th>
                  <td className="num">{r.shown}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
