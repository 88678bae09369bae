/**
 * Bảng tiêu chí theo xã — communes × criteria. Each cell is a symbol on a colour with an
 * accessible name ("Tiêu chí 5: Chưa đạt"), so it reads without colour, in black-and-white print
 * and with a screen reader (column headers name the criterion, row headers the commune).
 * A plain <table> (sticky header and first column) keeps the header–cell association. From
 * VIRTUAL_FROM rows on, only the rows in view are rendered (fixed row height, spacer rows above
 * and below) — except when printing, which always gets every row. Below that, the first
 * FIRST_ROWS rows are drawn at once and the others follow after the first paint, MORE_ROWS at a
 * time in low-priority renders (`startTransition`): the page shows sooner and stays responsive.
 * A reviewed commune's cells are buttons opening the indicators behind them; they form one tab
 * stop, moved with the arrow keys (Home/End, PageUp/PageDown) as in a grid.
 */
import { memo, startTransition, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { CommuneStatusRow, Level, SetStats } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { afterPaint } from '../hooks/useAfterPaint.ts';
import { STATUS_ORDER, STATUS_SYMBOL, StatusCell, StatusLegend, statusFromLetter, statusKey, type ShownStatus } from './StatusMark.tsx';

const STATUS_LIST = STATUS_ORDER;

type SortKey = 'code' | 'name' | 'metDesc' | 'metAsc';

/** Lower-case, no accents, đ → d: for the name filter only (the server search does its own). */
export function foldVi(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim();
}

export function levelShortKey(level: Level): MessageKey {
  return `ntmLevel.short.${level}` as MessageKey;
}

export interface CriteriaMatrixProps {
  set: SetStats | null;
  rows: CommuneStatusRow[];
  /** Date of the figures (caption). */
  date: string;
  /** Link target for a commune. */
  linkTo: (unitId: string) => string;
  /** A reviewed commune's cell was chosen: show the indicators behind it. */
  onOpenCell?: (unitId: string, criterionCode: string) => void;
  /** Render every row whatever their number (print view). */
  printAll?: boolean;
}

/** Row count from which only the rows in view are rendered. */
export const VIRTUAL_FROM = 200;
export const ROW_HEIGHT = 32;
const OVERSCAN = 10;
/** The rendered window moves by blocks of this many rows. */
const BLOCK = 8;
/** Rows drawn in the first render of a matrix that is not virtual (more than a screenful). */
export const FIRST_ROWS = 15;
/** Rows added by each later render, until every row is drawn. */
export const MORE_ROWS = 25;

/** True while the browser prints (or renders for print), so virtual tables render whole. */
export function usePrinting(): boolean {
  const [printing, setPrinting] = useState(() => typeof window !== 'undefined' && !!window.matchMedia?.('print').matches);
  useEffect(() => {
    const on = () => setPrinting(true);
    const off = () => setPrinting(false);
    const mq = window.matchMedia?.('print');
    const change = (e: MediaQueryListEvent) => setPrinting(e.matches);
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    mq?.addEventListener?.('change', change);
    return () => {
      window.removeEventListener('beforeprint', on);
      window.removeEventListener('afterprint', off);
      mq?.removeEventListener?.('change', change);
    };
  }, []);
  return printing;
}

export function CriteriaMatrix({ set, rows, date, linkTo, onOpenCell, printAll = false }: CriteriaMatrixProps) {
  const { t } = useT();
  const uid = useId();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('code');
  const printing = usePrinting();
  const criteria = set?.criteria ?? [];
  const showParent = useMemo(() => new Set(rows.map((r) => r.parentName)).size > 1, [rows]);

  const shown = useMemo(() => {
    const f = foldVi(filter);
    const out = f ? rows.filter((r) => foldVi(r.name).includes(f)) : rows.slice();
    const met = (r: CommuneStatusRow) => r.criteriaMet ?? -1;
    if (sort === 'code') out.sort((a, b) => a.code.localeCompare(b.code));
    else if (sort === 'name') out.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    else if (sort === 'metDesc') out.sort((a, b) => met(b) - met(a) || a.code.localeCompare(b.code));
    else if (sort === 'metAsc') out.sort((a, b) => (a.criteriaMet ?? 999) - (b.criteriaMet ?? 999) || a.code.localeCompare(b.code));
    return out;
  }, [rows, filter, sort]);

  // ── Virtual rows ──
  const virtual = shown.length >= VIRTUAL_FROM && !printing && !printAll;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  // The real row height (fonts, zoom), measured once rows are drawn.
  const [rowH, setRowH] = useState(ROW_HEIGHT);
  const rowHRef = useRef(rowH);
  rowHRef.current = rowH;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !virtual) return;
    let frame = 0;
    // Re-render only when the window of rows moves by a whole block (not on every scroll event).
    const measure = () => {
      frame = 0;
      const block = BLOCK * rowHRef.current;
      const top = Math.floor(el.scrollTop / block) * block;
      const height = Math.ceil((el.scrollTop + el.clientHeight) / block) * block - top;
      setView((v) => (v.top === top && v.height === height ? v : { top, height }));
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(onScroll) : null;
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro?.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [virtual]);
  useLayoutEffect(() => {
    if (!virtual) return;
    const tr = scroller.current?.querySelector<HTMLElement>('tbody tr:not(.spacer)');
    const h = tr?.getBoundingClientRect().height;
    if (h && Math.abs(h - rowH) > 0.1) setRowH(h);
  });
  const headerRows = 2; // caption and header row, about one row each
  const first = virtual ? Math.max(0, Math.floor(view.top / rowH) - headerRows - OVERSCAN) : 0;
  const last = virtual ? Math.min(shown.length, Math.ceil((view.top + view.height) / rowH) + OVERSCAN) : shown.length;

  // ── Rows drawn progressively (not virtual): a screenful first, the rest after the first paint ──
  const [limit, setLimit] = useState(FIRST_ROWS);
  const progressive = !virtual && !printing && !printAll && limit < shown.length;
  useEffect(() => {
    if (!progressive) return;
    return afterPaint(() => startTransition(() => setLimit((n) => n + MORE_ROWS)));
  }, [progressive, limit]);
  const windowRows = virtual ? shown.slice(first, last) : progressive ? shown.slice(0, limit) : shown;

  // ── One tab stop for the cells, moved by arrow keys ──
  const [cursor, setCursor] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const moved = useRef(false);
  const reviewedIdx = useMemo(() => shown.map((r, i) => (r.reviewId !== null ? i : -1)).filter((i) => i >= 0), [shown]);
  const cur = { row: reviewedIdx.includes(cursor.row) ? cursor.row : (reviewedIdx[0] ?? -1), col: Math.min(cursor.col, Math.max(0, criteria.length - 1)) };
  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      if (!(e.target instanceof HTMLElement) || !e.target.dataset.cell) return;
      const pos = reviewedIdx.indexOf(cur.row);
      const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowH) - 2);
      let row = pos;
      let col = cur.col;
      switch (e.key) {
        case 'ArrowRight': col = Math.min(criteria.length - 1, col + 1); break;
        case 'ArrowLeft': col = Math.max(0, col - 1); break;
        case 'ArrowDown': row = Math.min(reviewedIdx.length - 1, row + 1); break;
        case 'ArrowUp': row = Math.max(0, row - 1); break;
        case 'PageDown': row = Math.min(reviewedIdx.length - 1, row + page); break;
        case 'PageUp': row = Math.max(0, row - page); break;
        case 'Home': if (e.ctrlKey) row = 0; col = 0; break;
        case 'End': if (e.ctrlKey) row = reviewedIdx.length - 1; col = criteria.length - 1; break;
        default: return;
      }
      e.preventDefault();
      const target = reviewedIdx[row]!;
      moved.current = true;
      setCursor({ row: target, col });
      // A row not drawn yet (progressive rows): draw them all now.
      if (target >= limit) setLimit(shown.length);
      // Bring a row outside the rendered window into view first.
      const el = scroller.current;
      if (el && virtual) {
        const y = (target + headerRows) * rowH;
        if (y < el.scrollTop + rowH * 3) el.scrollTop = Math.max(0, y - rowH * 3);
        else if (y + rowH > el.scrollTop + el.clientHeight) el.scrollTop = y + rowH * 2 - el.clientHeight;
        setView({ top: el.scrollTop, height: el.clientHeight });
      }
    },
    [reviewedIdx, cur.row, cur.col, criteria.length, virtual, rowH, limit, shown.length],
  );
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-cell="${cur.row}:${cur.col}"]`)?.focus({ preventScroll: virtual });
  });

  // Cell names, once per criterion and status (not per cell and render).
  const labels = useMemo(
    () => criteria.map((c) => Object.fromEntries(STATUS_LIST.map((st) => [st, `${t('overview.matrix.criterion', { code: c.code, name: c.name })}: ${t(statusKey(st))}`])) as Record<ShownStatus, string>),
    [criteria, t],
  );
  const openRef = useRef(onOpenCell);
  openRef.current = onOpenCell;
  const openAt = useCallback((index: number, col: number, unitId: string, code: string) => {
    setCursor({ row: index, col });
    openRef.current?.(unitId, code);
  }, []);
  const linkRef = useRef(linkTo);
  linkRef.current = linkTo;

  const captionId = `${uid}-caption`;
  return (
    <div className="matrix-wrap">
      <div className="matrix-toolbar no-print">
        <div className="field">
          <label htmlFor={`${uid}-filter`}>{t('overview.matrix.filter')}</label>
          <input
            id={`${uid}-filter`}
            type="search"
            className="text-input"
            value={filter}
            placeholder={t('overview.matrix.filterPlaceholder')}
            onChange={(e) => setFilter(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-sort`}>{t('overview.matrix.sort')}</label>
          <select id={`${uid}-sort`} className="select-input" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            <option value="code">{t('overview.matrix.sortDefault')}</option>
            <option value="name">{t('overview.matrix.sortName')}</option>
            <option value="metDesc">{t('overview.matrix.sortMetDesc')}</option>
            <option value="metAsc">{t('overview.matrix.sortMetAsc')}</option>
          </select>
        </div>
        <p className="matrix-count" aria-live="polite">
          {t('overview.matrix.rows', { shown: shown.length, total: rows.length })}
        </p>
      </div>
      <StatusLegend />
      <div
        className={`matrix-scroll${virtual ? ' matrix-virtual' : ''}`}
        role="region"
        aria-labelledby={captionId}
        tabIndex={0}
        ref={scroller}
        onKeyDown={onKeyDown}
        data-virtual={virtual ? 'true' : 'false'}
        data-complete={progressive ? 'false' : 'true'}
      >
        <table className="matrix" data-testid="criteria-matrix" aria-rowcount={shown.length + 1}>
          <caption id={captionId}>
            {t('overview.matrix.caption', { date: formatDate(date) })}
            {set ? ` — ${set.setName}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="col-commune sticky-col">
                {t('overview.matrix.commune')}
              </th>
              {showParent && (
                <th scope="col" className="col-parent">
                  {t('overview.matrix.parent')}
                </th>
              )}
              <th scope="col" className="col-met">
                {t('overview.matrix.met')}
              </th>
              {criteria.map((c) => {
                const name = t('overview.matrix.criterion', { code: c.code, name: c.name });
                return (
                  <th key={c.code} scope="col" className="col-crit" title={name} data-criterion={c.code}>
                    <span aria-hidden="true">{c.code}</span>
                    <span className="sr-only">
                      {t('overview.matrix.criterionCode', { code: c.code })}: <span lang="vi">{c.name}</span>
                    </span>
                  </th>
                );
              })}
              <th scope="col" className="col-level">
                {t('overview.matrix.level')}
              </th>
              <th scope="col" className="col-level">
                {t('overview.matrix.recognised')}
              </th>
              <th scope="col" className="col-date">
                {t('overview.matrix.reviewedOn')}
              </th>
            </tr>
          </thead>
          <tbody>
            {virtual && first > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={criteria.length + (showParent ? 6 : 5)} style={{ height: first * rowH, padding: 0, border: 0 }} />
              </tr>
            )}
            {windowRows.map((r, k) => (
              <MatrixRow
                key={r.unitId}
                row={r}
                index={first + k}
                criteria={criteria}
                labels={labels}
                showParent={showParent}
                focusCol={cur.row === first + k ? cur.col : null}
                onOpen={onOpenCell ? openAt : null}
                href={linkRef.current(r.unitId)}
              />
            ))}
            {virtual && last < shown.length && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={criteria.length + (showParent ? 6 : 5)} style={{ height: (shown.length - last) * rowH, padding: 0, border: 0 }} />
              </tr>
            )}
            {shown.length === 0 && (
              <tr>
                <td colSpan={criteria.length + (showParent ? 6 : 5)} className="muted">
                  {t('overview.matrix.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

interface MatrixRowProps {
  row: CommuneStatusRow;
  index: number;
  criteria: SetStats['criteria'];
  labels: Array<Record<ShownStatus, string>>;
  showParent: boolean;
  /** The column of the grid's one tab stop when it is in this row. */
  focusCol: number | null;
  onOpen: ((index: number, col: number, unitId: string, code: string) => void) | null;
  href: string;
}

/** One commune: memoised, so scrolling a long matrix renders only the rows that come into view. */
const MatrixRow = memo(function MatrixRow({ row: r, index, criteria, labels, showParent, focusCol, onOpen, href }: MatrixRowProps) {
  const { t, pick } = useT();
  const reviewed = r.reviewId !== null;
  return (
    <tr data-unit-id={r.unitId} aria-rowindex={index + 2}>
      <th scope="row" className="col-commune sticky-col">
        <Link to={href}>{r.name}</Link>
      </th>
      {showParent && <td className="col-parent">{r.parentName ?? ''}</td>}
      <td className="col-met num">
        {reviewed && r.criteriaMet !== null ? (
          <>
            <strong>{r.criteriaMet}</strong>/{r.criteriaTotal}
          </>
        ) : (
          <span className="muted">{t('overview.matrix.notReviewed')}</span>
        )}
      </td>
      {criteria.map((c, i) => {
        const status = reviewed ? statusFromLetter(r.criteriaStatus?.[i]) : 'none';
        const label = labels[i]![status];
        return (
          <td key={c.code} className="col-crit">
            {reviewed && onOpen ? (
              <button
                type="button"
                className={`st-cell st-${status} st-btn`}
                data-status={status}
                data-cell={`${index}:${i}`}
                tabIndex={focusCol === i ? 0 : -1}
                aria-label={label}
                aria-haspopup="dialog"
                title={`${r.name} · ${label}`}
                onClick={() => onOpen(index, i, r.unitId, c.code)}
              >
                <span aria-hidden="true">{STATUS_SYMBOL[status]}</span>
              </button>
            ) : (
              <StatusCell status={status} label={label} title={`${r.name} · ${label}`} />
            )}
          </td>
        );
      })}
      <td className="col-level" title={[pick(r.levelReason), pick(r.setNote)].filter(Boolean).join('. ') || undefined} data-testid="level-cell">
        {reviewed ? (r.level ? t(levelShortKey(r.level)) : t('overview.none')) : ''}
        {reviewed && !r.level && r.meetsStandard && <span className="level-why">{pick(r.levelReason)}</span>}
        {r.setNote && <span className="level-why">{pick(r.setNote)}</span>}
      </td>
      <td className="col-level" title={pick(r.coverage) || undefined}>
        {r.recognisedLevel ? t(levelShortKey(r.recognisedLevel)) : r.coverage ? t('overview.matrix.notRecognised') : ''}
        {r.coverage && <span className="level-why">{t('overview.matrix.predecessorsRecognised', { n: new Set(r.predecessorRecognitions.map((p) => p.unitId)).size, of: r.predecessorCount })}</span>}
      </td>
      <td className="col-date num">{r.reviewedOn ? formatDate(r.reviewedOn) : ''}</td>
    </tr>
  );
});
