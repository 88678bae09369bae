/**
 * Cả nước — the country page of the central office (role `national_office`) and administrators:
 * counts per level with their denominators and date, the provinces' map (offline boundaries), the
 * provinces ranked by share of communes at each level, the criteria sets in use and the trend per
 * quarter. A date before 1/7/2025 shows the 63 provinces of the list then in force, and says so.
 * All figures come from `GET /units/VN/summary`; a province opens its own overview.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { NationalSummary, NationalTrend } from '../api/types.ts';
import { ApiErrorView } from '../components/ApiErrorView.tsx';
import { PageLoading } from '../components/AppLayout.tsx';
import { DateControl } from '../components/DateControl.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { reportUrl } from '../api/imports.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useDocumentTitle } from '../hooks/useDocumentTitle.ts';
import { useRequireSignIn } from '../auth/useRequireSignIn.ts';
import { useT } from '../i18n/index.tsx';
import { formatDate, formatNumber, formatPercent } from '../format.ts';
import './import.css';
import './national.css';

const NationalCharts = lazy(() => import('../components/NationalCharts.tsx'));

type Level = 'ntm' | 'nang-cao' | 'kieu-mau' | 'hien-dai';
const LEVELS: readonly Level[] = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'];

const TEXT = {
  title: { vi: 'Cả nước', en: 'Whole country' },
  lead: { vi: 'Tình hình thực hiện Bộ tiêu chí xã nông thôn mới của {n} tỉnh, thành phố tại ngày {date}.', en: 'New Rural Development criteria in {n} provinces on {date}.' },
  listNote: { vi: 'Danh mục: {list}.', en: 'List: {list}.' },
  downloads: { vi: 'Tải báo cáo', en: 'Download reports' },
  summaryXlsx: { vi: 'Báo cáo tổng hợp cả nước (Excel)', en: 'National summary (Excel)' },
  summaryDocx: { vi: 'Báo cáo tổng hợp cả nước (Word)', en: 'National summary report (Word)' },
  ofWhat: { vi: 'trên {n} {what}', en: 'of {n} {what}' },
  sumOf: { vi: 'tổng của {n} tỉnh, thành phố', en: 'the sum of {n} provinces' },
  mapTitle: { vi: 'Bản đồ tỉnh, thành phố', en: 'Map of the provinces' },
  tableTitle: { vi: 'Xếp hạng tỉnh, thành phố', en: 'Provinces ranked' },
  rankBy: { vi: 'Xếp theo tỷ lệ xã đạt', en: 'Rank by share of communes at' },
  colRank: { vi: 'Hạng', en: 'Rank' },
  colProvince: { vi: 'Tỉnh, thành phố', en: 'Province' },
  colCommunes: { vi: 'Số xã (mẫu số)', en: 'Communes (denominator)' },
  colReviewed: { vi: 'Đã rà soát', en: 'Reviewed' },
  colRecognised: { vi: 'Công nhận NTM trở lên', en: 'Recognised NTM+' },
  tableHint: {
    vi: 'Theo kết quả rà soát; tỷ lệ tính trên số xã của tỉnh tại ngày đã chọn; một mức tính cả các mức cao hơn (bộ tiêu chí nâng cao không xét mức NTM). Bấm tên tỉnh để mở trang tổng hợp của tỉnh.',
    en: "By review; shares are of the province's communes on the chosen date; a level counts the levels above it too (an advanced set does not assess the NTM level). Click a province to open its overview.",
  },
  setsTitle: { vi: 'Bộ tiêu chí đang dùng', en: 'Criteria sets in use' },
  setsNone: { vi: 'Chưa có xã nào được rà soát đến ngày này.', en: 'No commune reviewed up to this date.' },
  setsRow: { vi: '{c} xã ở {p} tỉnh, thành phố', en: '{c} communes in {p} provinces' },
  trendTitle: { vi: 'Diễn biến theo quý', en: 'Trend by quarter' },
  setsMore: { vi: 'Xem thêm {n} bộ tiêu chí', en: 'Show {n} more sets' },
  trendLoading: { vi: 'Đang tính diễn biến theo quý…', en: 'Computing the trend by quarter…' },
  forbidden: { vi: 'Trang cả nước dành cho Văn phòng Điều phối NTM Trung ương và quản trị hệ thống.', en: 'The country page is for the central NTM coordination office and administrators.' },
  demo: { vi: 'Dữ liệu minh họa: {n}/{d} xã trong {p} tỉnh, thành phố có bản rà soát; các nơi khác chưa có số liệu.', en: 'Demo data: {n}/{d} communes in {p} provinces have reviews; elsewhere there are no figures yet.' },
};

const LEVEL_NAMES: Record<Level, { vi: string; en: string }> = {
  ntm: { vi: 'NTM', en: 'NTM' },
  'nang-cao': { vi: 'NTM nâng cao', en: 'advanced NTM' },
  'kieu-mau': { vi: 'NTM kiểu mẫu', en: 'model NTM' },
  'hien-dai': { vi: 'NTM hiện đại', en: 'modern NTM' },
};

/** Sets listed before "show all". */
const SETS_SHOWN = 5;

function SetInUse({ x }: { x: NationalSummary['sets'][number] }) {
  const { lang, pick } = useT();
  return (
    <li>
      <Link to={`/bo-tieu-chi/${encodeURIComponent(x.setId)}`}>{x.setName}</Link>: {fill(pick(TEXT.setsRow), { c: formatNumber(x.communes, lang), p: x.provinces })}
    </li>
  );
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** Communes at a level or above (a commune at "nâng cao" counts for NTM too). */
function atOrAbove(c: NationalSummary['byLevel'], l: Level): number {
  return LEVELS.slice(LEVELS.indexOf(l)).reduce((n, x) => n + c[x], 0);
}

/**
 * The headline figures as the server computed them — the same list, values and denominators as the
 * Excel and Word summaries for `VN` — each with its denominator beside it.
 */
function Cards({ s }: { s: NationalSummary }) {
  const { lang, pick } = useT();
  return (
    <div className="cards" role="list">
      {s.figures.map((f) => (
        <div role="listitem" key={f.key}>
          <StatCard
            id={f.key === 'communes' ? 'card-denominator' : `card-${f.key.replace(/[^a-z0-9-]+/gi, '-')}`}
            label={pick(f.label)}
            value={
              <>
                {f.value === null ? '—' : formatNumber(f.value, lang, { maxFraction: f.decimals, minFraction: f.decimals })}
                {f.of && f.decimals === 0 && <span className="stat-of">/{formatNumber(f.of.count, lang)}</span>}
                {f.share !== null && <span className="stat-pct"> ({formatPercent(f.share, lang)})</span>}
              </>
            }
            sub={[f.of ? fill(pick(TEXT.ofWhat), { n: formatNumber(f.of.count, lang), what: pick(f.of.label) }) : null, f.note ? pick(f.note) : null, f.key === 'communes' ? fill(pick(TEXT.sumOf), { n: s.list.provinces }) : null].filter(Boolean).join(' · ')}
          />
        </div>
      ))}
    </div>
  );
}

function ProvinceTable({ s }: { s: NationalSummary }) {
  const { lang, pick } = useT();
  const [by, setBy] = useState<Level>('ntm');
  const rows = useMemo(() => [...s.provinces].sort((a, b) => a.rank[by] - b.rank[by] || (b.share.ntm ?? -1) - (a.share.ntm ?? -1) || b.reviewed - a.reviewed || a.name.localeCompare(b.name, 'vi')), [s, by]);
  return (
    <>
      <div className="map-modes no-print" role="group" aria-label={pick(TEXT.rankBy)}>
        <span className="muted">{pick(TEXT.rankBy)}:</span>{' '}
        {LEVELS.map((l) => (
          <button key={l} type="button" className="btn btn-small" aria-pressed={by === l} onClick={() => setBy(l)}>
            {pick(LEVEL_NAMES[l])}
          </button>
        ))}
      </div>
      <p className="muted">{pick(TEXT.tableHint)}</p>
      <div className="national-table-wrap">
        <table className="simple-table national-table" data-testid="province-table">
          <caption className="sr-only">{pick(TEXT.tableTitle)}</caption>
          <thead>
            <tr>
              <th scope="col">{pick(TEXT.colRank)}</th>
              <th scope="col">{pick(TEXT.colProvince)}</th>
              <th scope="col" className="num">
                {pick(TEXT.colCommunes)}
              </th>
              <th scope="col" className="num">
                {pick(TEXT.colReviewed)}
              </th>
              {LEVELS.map((l) => (
                <th scope="col" className="num" key={l}>
                  {pick(LEVEL_NAMES[l])}+
                </th>
              ))}
              <th scope="col" className="num">
                {pick(TEXT.colRecognised)}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.unitId} data-unit={p.unitId}>
                <td className="num">{p.rank[by]}</td>
                <th scope="row">
                  <Link to={unitPath(p.unitId, s.date)}>{p.fullName}</Link>
                </th>
                <td className="num">{formatNumber(p.denominator, lang)}</td>
                <td className="num">{formatNumber(p.reviewed, lang)}</td>
                {LEVELS.map((l) => (
                  <td className="num" key={l}>
                    {formatNumber(atOrAbove(p.byLevel, l), lang)} <span className="muted">({formatPercent(p.share[l], lang)})</span>
                  </td>
                ))}
                <td className="num">
                  {formatNumber(atOrAbove(p.recognisedByLevel, 'ntm'), lang)} <span className="muted">({formatPercent(p.recognisedShare.ntm, lang)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The country (unit `VN`): only the central office and administrators may read it. */
function useNationalSummary(date: string) {
  return useQuery({
    queryKey: ['unit', 'VN', 'summary', date] as const,
    queryFn: ({ signal }) => apiGet<NationalSummary>('/units/VN/summary', { date }, signal),
  });
}

/**
 * The trend by quarter: its own request (a quarter is a summary of its own), read after the
 * summary so that the figures at the top never wait for it.
 */
function TrendSection({ date, onPick }: { date: string; onPick: (date: string) => void }) {
  const { pick } = useT();
  const trend = useQuery({
    queryKey: ['unit', 'VN', 'trend', date] as const,
    queryFn: ({ signal }) => apiGet<NationalTrend>('/units/VN/trend', { date }, signal),
  });
  if (trend.isPending) return <div className="chart-placeholder" aria-busy="true">{pick(TEXT.trendLoading)}</div>;
  if (trend.isError) return <ApiErrorView error={trend.error} date={date} onRetry={() => void trend.refetch()} />;
  return (
    <Suspense fallback={<div className="chart-placeholder">…</div>}>
      <NationalCharts part="trend" trend={trend.data} onPick={onPick} />
    </Suspense>
  );
}

export default function NationalPage() {
  useRequireSignIn();
  const { lang, pick } = useT();
  const { date, setDate } = useDateParam();
  const summary = useNationalSummary(date);
  useDocumentTitle(pick(TEXT.title));
  if (summary.isPending) return <PageLoading />;
  if (summary.isError) {
    const forbidden = (summary.error as { status?: number }).status === 403;
    return (
      <div className="national-page">
        <h1>{pick(TEXT.title)}</h1>
        <DateControl />
        {forbidden ? (
          <p className="notice notice-info" role="alert">
            {pick(TEXT.forbidden)}
          </p>
        ) : (
          <ApiErrorView error={summary.error} date={date} onRetry={() => void summary.refetch()} />
        )}
      </div>
    );
  }
  const s = summary.data;
  return (
    <div className="national-page" data-testid="national-page" data-provinces={s.provinces.length}>
      <h1>{pick(TEXT.title)}</h1>
      <p className="lead">{fill(pick(TEXT.lead), { n: s.list.provinces, date: formatDate(s.date) })} {fill(pick(TEXT.listNote), { list: pick(s.list.text) })}</p>
      <DateControl />
      {s.list.note && (
        <p className="notice notice-info" role="status" data-testid="list-note">
          {pick(s.list.note)}
        </p>
      )}
      {/* The demo reviews a few communes only: say so, from the figures (the synthetic country reviews all). */}
      {s.isDemo && s.reviewed < s.denominator.communes && (
        <p className="muted">{fill(pick(TEXT.demo), { n: formatNumber(s.reviewed, lang), d: formatNumber(s.denominator.communes, lang), p: s.provinces.filter((x) => x.reviewed > 0).length })}</p>
      )}
      <Cards s={s} />
      <nav className="download-reports no-print" aria-label={pick(TEXT.downloads)} data-testid="download-reports">
        <span className="download-reports-title">{pick(TEXT.downloads)}:</span>
        <ul>
          <li>
            <a href={reportUrl('summary', 'VN', s.date, 'xlsx')} download data-testid="dl-summary-xlsx">
              {pick(TEXT.summaryXlsx)}
            </a>
          </li>
          <li>
            <a href={reportUrl('summary', 'VN', s.date, 'docx')} download data-testid="dl-summary-docx">
              {pick(TEXT.summaryDocx)}
            </a>
          </li>
        </ul>
      </nav>
      <section aria-labelledby="national-map-h">
        <h2 id="national-map-h" className="section-title">
          {pick(TEXT.mapTitle)}
        </h2>
        <Suspense fallback={<div className="chart-placeholder">…</div>}>
          <NationalCharts s={s} part="map" />
        </Suspense>
      </section>
      <section aria-labelledby="national-table-h">
        <h2 id="national-table-h" className="section-title">
          {pick(TEXT.tableTitle)}
        </h2>
        <ProvinceTable s={s} />
      </section>
      <section aria-labelledby="national-sets-h">
        <h2 id="national-sets-h" className="section-title">
          {pick(TEXT.setsTitle)}
        </h2>
        {s.sets.length === 0 ? (
          <p className="muted">{pick(TEXT.setsNone)}</p>
        ) : (
          <>
            <ul data-testid="sets-in-use">
              {s.sets.slice(0, SETS_SHOWN).map((x) => (
                <SetInUse key={x.setId} x={x} />
              ))}
            </ul>
            {/* From 2026 each province has its own set: the most used first, the rest one click away. */}
            {s.sets.length > SETS_SHOWN && (
              <details className="sets-more">
                <summary>{fill(pick(TEXT.setsMore), { n: s.sets.length - SETS_SHOWN })}</summary>
                <ul>
                  {s.sets.slice(SETS_SHOWN).map((x) => (
                    <SetInUse key={x.setId} x={x} />
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="national-trend-h">
        <h2 id="national-trend-h" className="section-title">
          {pick(TEXT.trendTitle)}
        </h2>
        <TrendSection date={s.date} onPick={setDate} />
      </section>
    </div>
  );
}
