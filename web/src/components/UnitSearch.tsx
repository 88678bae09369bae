/**
 * Global search: type a name (accents optional, the server folds them), pick a unit, go to it.
 * Each option shows the unit's full name, then its parents and list in grey:
 * "Xã Tràng An — Huyện Bình Lục, Tỉnh Hà Nam · trước 7/2025".
 */
import { useEffect, useMemo, useState } from 'react';
import { AutoComplete } from 'antd';
import { useNavigate } from 'react-router';
import { useUnitSearch } from '../api/hooks.ts';
import type { UnitSearchHit } from '../api/types.ts';
import { useDateParam, unitPath } from '../hooks/useDateParam.ts';
import { useT, type Lang } from '../i18n/index.tsx';
import { listLabel, withinPeriod } from '../format.ts';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/** "Huyện Bình Lục, Tỉnh Hà Nam · trước 7/2025" — the grey part of an option (parents nearest first). */
export function hitContext(hit: UnitSearchHit, lang: Lang): string {
  const parents = (hit.parents ?? []).map((p) => p.fullName).join(', ');
  const list = listLabel(hit.listId, lang);
  return [parents, list].filter(Boolean).join(' · ');
}

export function UnitSearch() {
  const { t, lang } = useT();
  const navigate = useNavigate();
  const { date, explicit } = useDateParam();
  const [text, setText] = useState('');
  const term = useDebounced(text, 250);
  const search = useUnitSearch(term);
  const hits = useMemo(() => {
    if (term.trim().length < 2) return [];
    // Units that exist on the chosen date first; the server's ranking otherwise (sort is stable).
    return [...(search.data ?? [])].sort((a, b) => Number(withinPeriod(date, b.validFrom, b.validTo)) - Number(withinPeriod(date, a.validFrom, a.validTo)));
  }, [search.data, term, date]);

  const options = useMemo(
    () =>
      hits.map((hit) => {
        const context = hitContext(hit, lang);
        return {
          value: hit.id,
          label: (
            <div className="search-option" data-unit-id={hit.id}>
              <span className="search-option-name">{hit.fullName}</span>
              {context && <span className="search-option-context"> — {context}</span>}
            </div>
          ),
        };
      }),
    [hits, lang],
  );

  let notFound: string | null = null;
  if (text.trim().length > 0 && text.trim().length < 2) notFound = t('search.tooShort');
  else if (search.isError) notFound = t('search.error', { message: search.error instanceof Error ? search.error.message : '' });
  else if (term.trim().length >= 2 && search.isFetching && hits.length === 0) notFound = t('search.searching');
  else if (term.trim().length >= 2 && !search.isFetching && hits.length === 0) notFound = t('search.noResults');

  return (
    <div className="unit-search" role="search">
      <label htmlFor="unit-search" className="sr-only">
        {t('search.label')}
      </label>
      <AutoComplete
        id="unit-search"
        className="unit-search-input"
        value={text}
        options={options}
        onChange={(v: string) => setText(v)}
        onSelect={(id: string) => {
          setText('');
          navigate(unitPath(id, explicit ? date : null));
          (document.activeElement as HTMLElement | null)?.blur();
        }}
        showSearch={{ filterOption: false }}
        placeholder={t('search.placeholder')}
        notFoundContent={notFound}
        popupMatchSelectWidth={false}
        classNames={{ popup: { root: 'unit-search-popup' } }}
        allowClear={{ label: t('search.clear') }}
        aria-label={t('search.label')}
      />
    </div>
  );
}
