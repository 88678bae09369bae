/**
 * Bảng tiêu chí theo xã — communes × criteria. Each cell is a symbol on a colour with an
 * accessible name ("Tiêu chí 5: Chưa đạt"), so it reads without colour, in black-and-white print
 * and with a screen reader (column headers name the criterion, row headers the commune).
 * A plain <table> (sticky header and first column): 130 rows × 25 columns render fast, print
 * whole, and keep the header–cell association that split virtual tables lose.
 */
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { CommuneStatusRow, Level, SetStats } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { StatusCell, StatusLegend, statusFromLetter, statusKey } from './StatusMark.tsx';

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
}

export function CriteriaMatrix({ set, rows, date, linkTo }: CriteriaMatrixProps) {
  const { t } = useT();
  const uid = useId();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('code');
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
      <div className="matrix-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="matrix" data-testid="criteria-matrix">
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
            {shown.map((r) => {
              const reviewed = r.reviewId !== null;
              return (
                <tr key={r.unitId} data-unit-id={r.unitId}>
                  <th scope="row" className="col-commune sticky-col">
                    <Link to={linkTo(r.unitId)}>{r.name}</Link>
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
                    const label = `${t('overview.matrix.criterion', { code: c.code, name: c.name })}: ${t(statusKey(status))}`;
                    return (
                      <td key={c.code} className="col-crit">
                        <StatusCell status={status} label={label} title={`${r.name} · ${label}`} />
                      </td>
                    );
                  })}
                  <td className="col-level">{reviewed ? (r.level ? t(levelShortKey(r.level)) : t('overview.none')) : ''}</td>
                  <td className="col-level">{r.recognisedLevel ? t(levelShortKey(r.recognisedLevel)) : ''}</td>
                  <td className="col-date num">{r.reviewedOn ? formatDate(r.reviewedOn) : ''}</td>
                </tr>
              );
            })}
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
