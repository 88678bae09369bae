/**
 * Overview of a province or district on a date: headline cards, the commune × criterion matrix,
 * and the distribution of communes by criteria met (chart loaded on demand). All figures come
 * from `GET /units/:id/summary`; nothing is recomputed here.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useUnitChildren, useUnitSummary } from '../api/hooks.ts';
import type { UnitDetail, UnitSummary } from '../api/types.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { CriteriaMatrix } from '../components/CriteriaMatrix.tsx';
import { UnitHeader } from '../components/UnitHeader.tsx';
import { PrintLink, PrintSource, usePrintMode } from '../components/PrintView.tsx';
import { useDateParam, unitPath, useUnitLink } from '../hooks/useDateParam.ts';
import { useT } from '../i18n/index.tsx';
import { dayBefore, formatDate, formatNumber, formatPercent } from '../format.ts';
import { DownloadReports } from '../components/DownloadReports.tsx';
import { AfterFirstPaint } from '../components/AfterFirstPaint.tsx';

const DistributionChart = lazy(() => import('../components/DistributionChart.tsx'));
const TrendChart = lazy(() => import('../components/TrendChart.tsx'));
const UnitMap = lazy(() => import('../components/UnitMap.tsx'));
const CellDetail = lazy(() => import('../components/CellDetail.tsx'));
// "Gần đạt chuẩn" communes, linking to decision support: its own chunk (this is the first view).
const NearlyThereCard = lazy(() => import('../planning/NearlyThereCard.tsx'));

/**
 * Charts and the map (ECharts, ~200 KB gzip) load when their place comes near the screen, so the
 * matrix is usable first; at once in the print view.
 */
function WhenNear({ children, eager, minHeight = 300 }: { children: ReactNode; eager: boolean; minHeight?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(eager);
  useEffect(() => {
    if (near || !box.current) return;
    if (typeof IntersectionObserver === 'undefined') return setNear(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: '400px 0px' });
    io.observe(box.current);
    return () => io.disconnect();
  }, [near]);
  const { t } = useT();
  if (near) return <>{children}</>;
  return (
    <div ref={box} className="chart-placeholder" style={{ minHeight }}>
      {t('overview.chart.loading')}
    </div>
  );
}

/** Test ids kept from the first cards (e2e flows read them). */
const CARD_IDS: Readonly<Record<string, string>> = { communes: 'card-denominator', reviewed: 'card-reviewed', average: 'card-average', below15: 'card-below15', recognitionsThisYear: 'card-recognitions-year' };

/**
 * The headline figures as the server computed them — the same list, values and denominators as the
 * Excel and Word summaries — each with its denominator beside it.
 */
function HeadlineCards({ s }: { s: UnitSummary }) {
  const { t, lang, pick } = useT();
  return (
    <div className="cards" role="list">
      {s.figures.map((f) => (
        <div role="listitem" key={f.key}>
          <StatCard
            id={CARD_IDS[f.key] ?? `card-${f.key.replace(/[^a-z0-9-]+/gi, '-')}`}
            label={pick(f.label)}
            value={
              <>
                {f.value === null ? '—' : formatNumber(f.value, lang, { maxFraction: f.decimals, minFraction: f.decimals })}
                {f.of && f.decimals === 0 && <span className="stat-of">/{formatNumber(f.of.count, lang)}</span>}
                {f.share !== null && <span className="stat-pct"> ({formatPercent(f.share, lang)})</span>}
              </>
            }
            sub={[f.of ? t('overview.figure.of', { n: formatNumber(f.of.count, lang), what: pick(f.of.label) }) : null, f.note ? pick(f.note) : null].filter(Boolean).join(' · ')}
          />
        </div>
      ))}
    </div>
  );
}

/** Districts under a province (old list): a row of links to drill down. */
function ChildUnits({ unit }: { unit: UnitDetail }) {
  const { t } = useT();
  const link = useUnitLink();
  const children = useUnitChildren(unit.id, unit.level === 'province');
  const districts = (children.data ?? []).filter((c) => c.level === 'district');
  if (districts.length === 0) return null;
  return (
    <nav className="child-units" aria-labelledby="children-h">
      <h2 id="children-h" className="section-title-sm">
        {t('unit.children')}
      </h2>
      <ul>
        {districts.map((d) => (
          <li key={d.id}>
            <Link to={link(d.id)}>{d.fullName}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function NoReviews({ unit, date }: { unit: UnitDetail; date: string }) {
  const { t } = useT();
  const before = unit.validFrom ? dayBefore(unit.validFrom) : null;
  return (
    <div className="notice notice-info" role="status" data-testid="no-reviews">
      <p>{t('overview.noReviews', { date: formatDate(date) })}</p>
      {before && unit.predecessors.length > 0 && (
        <p>
          {t('overview.tryPredecessor')}{' '}
          {unit.predecessors.map((p, i) => (
            <span key={p.id}>
              {i > 0 && ', '}
              <Link to={unitPath(p.id, before)}>{p.fullName}</Link>
            </span>
          ))}{' '}
          ({t('overview.onDate', { date: formatDate(before) })})
        </p>
      )}
    </div>
  );
}

export default function OverviewPage({ unit }: { unit: UnitDetail }) {
  const { t } = useT();
  const { date } = useDateParam();
  const link = useUnitLink();
  const summary = useUnitSummary(unit.id, date);
  const print = usePrintMode();
  // Deep-linkable view state: the criteria set shown and the open cell (`?set=…&cell=unitId~code`).
  const [params, setParams] = useSearchParams();
  const chosenSet = params.get('set');
  const setChosenSet = (v: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('set', v);
      return next;
    });
  const cell = params.get('cell');
  const openCell = useCallback(
    (unitId: string, code: string) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set('cell', `${unitId}~${code}`);
        return next;
      });
    },
    [setParams],
  );
  const closeCell = useCallback(() => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('cell');
      return next;
    });
  }, [setParams]);
  // When the drawer has gone, focus goes back to the cell that opened it (the matrix's tab stop).
  const hadCell = useRef(false);
  useEffect(() => {
    if (cell) hadCell.current = true;
    else if (hadCell.current) {
      hadCell.current = false;
      document.querySelector<HTMLElement>('[data-testid="criteria-matrix"] button[tabindex="0"]')?.focus();
    }
  }, [cell]);

  const s = summary.data;
  const sets = s?.sets ?? [];
  const mainSet = useMemo(() => [...sets].sort((a, b) => b.communes - a.communes)[0] ?? null, [sets]);
  const set = sets.find((x) => x.setId === chosenSet) ?? mainSet;
  const rows = useMemo(() => (s ? s.communes.filter((r) => r.setId === null || r.setId === set?.setId) : []), [s, set]);
  const otherSet = s ? s.communes.filter((r) => r.setId !== null && r.setId !== set?.setId).length : 0;
  const [cellUnit, cellCode] = cell ? (cell.split('~') as [string, string | undefined]) : [null, undefined];
  const cellRow = cellUnit ? (s?.communes.find((r) => r.unitId === cellUnit && r.reviewId !== null) ?? null) : null;

  if (summary.isPending) {
    return (
      <div className="page">
        <UnitHeader unit={unit} />
        <PageLoading />
      </div>
    );
  }
  if (summary.isError || !s) {
    return (
      <div className="page">
        <UnitHeader unit={unit} />
        <ApiErrorView error={summary.error} date={date} onRetry={() => void summary.refetch()} />
      </div>
    );
  }

  return (
    <div className="page overview" data-testid="overview-page">
      <UnitHeader unit={unit} actions={<PrintLink />}>
        <p className="as-of">{t('overview.asOf', { date: formatDate(s.date) })}</p>
      </UnitHeader>
      {s.reviewed === 0 && <NoReviews unit={unit} date={date} />}
      <section aria-labelledby="cards-h">
        <h2 id="cards-h" className="sr-only">
          {t('overview.title', { name: unit.fullName })}
        </h2>
        <HeadlineCards s={s} />
      </section>
      {/* The decision-support gaps and the districts: asked for once the figures are on screen. */}
      <AfterFirstPaint eager={print}>
        <Suspense fallback={null}>
          <NearlyThereCard unit={unit} date={s.date} />
        </Suspense>
        <ChildUnits unit={unit} />
      </AfterFirstPaint>
      <DownloadReports unitId={unit.id} date={s.date} kind="overview" />

      <section className="matrix-section" aria-labelledby="matrix-h">
        <div className="section-head">
          <h2 id="matrix-h" className="section-title">
            {t('overview.matrix.title')}
          </h2>
          {sets.length > 1 && (
            <div className="set-switch no-print">
              <span id="set-switch-label" className="control-label">
                {t('overview.matrix.set')}
              </span>
              {/* Native radios (not antd's Segmented): the first view stays within its JS budget. */}
              <div role="radiogroup" aria-labelledby="set-switch-label" className="set-choices">
                {sets.map((x) => (
                  <label key={x.setId} className={x.setId === set?.setId ? 'set-choice set-choice-on' : 'set-choice'}>
                    <input type="radio" name="overview-set" value={x.setId} checked={x.setId === set?.setId} onChange={() => setChosenSet(x.setId)} />
                    <span>{`${x.setName} (${t('overview.communesCount', { n: x.communes })})`}</span>
                  </label>
                ))}
              </div>
            </div>
          )}
        </div>
        {otherSet > 0 && <p className="muted">{t('overview.matrix.otherSet', { n: otherSet })}</p>}
        <CriteriaMatrix set={set} rows={rows} date={s.date} linkTo={(id) => link(id)} onOpenCell={openCell} printAll={print} />
        {cellRow && cellCode && (
          <Suspense fallback={null}>
            <CellDetail row={cellRow} criterionCode={cellCode} date={s.date} onClose={closeCell} />
          </Suspense>
        )}
      </section>

      <section className="map-section" aria-labelledby="map-h">
        <h2 id="map-h" className="section-title">
          {t('map.title')}
        </h2>
        <WhenNear eager={print} minHeight={560}>
          <Suspense fallback={<div className="chart-placeholder">{t('overview.chart.loading')}</div>}>
            <UnitMap unit={unit} summary={s} set={set} />
          </Suspense>
        </WhenNear>
      </section>

      {set && s.reviewed > 0 && (
        <section className="chart-section" aria-labelledby="chart-h">
          <h2 id="chart-h" className="section-title">
            {t('overview.chart.title')}
            {sets.length > 1 ? ` — ${set.setName}` : ''}
          </h2>
          <WhenNear eager={print}>
            <Suspense fallback={<div className="chart-placeholder">{t('overview.chart.loading')}</div>}>
              <DistributionChart set={set} />
            </Suspense>
          </WhenNear>
        </section>
      )}

      {s.reviewed > 0 && (
        <section className="chart-section" aria-labelledby="trend-h">
          <h2 id="trend-h" className="section-title">
            {t('overview.trend.title')}
          </h2>
          <WhenNear eager={print}>
            <Suspense fallback={<div className="chart-placeholder">{t('overview.chart.loading')}</div>}>
              <TrendChart unitId={unit.id} />
            </Suspense>
          </WhenNear>
        </section>
      )}
      <PrintSource isDemo={s.isDemo} date={s.date} />
    </div>
  );
}
