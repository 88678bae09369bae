/**
 * Chọn đơn vị theo tên — a unit field of the administration page: type a name (accents optional,
 * the server folds them), pick "Xã Tràng An — Huyện Bình Lục, Tỉnh Hà Nam · trước 7/2025"; the field
 * holds the unit's id (`13510@2025-03`). One unit, or several (`multiple`: an API token's units).
 * Empty means everywhere, as before. Loaded with the administration page only (not the first view).
 */
import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { UnitSearchHit } from '../api/types.ts';
import { useT } from '../i18n/index.tsx';

/** A chosen unit: its id and the name it was picked by. */
export interface PickedUnit {
  value: string;
  label: string;
}

const S = {
  placeholder: { vi: 'Gõ tên đơn vị, ví dụ "trang an"', en: 'Type a unit name, e.g. "trang an"' },
  tooShort: { vi: 'Gõ ít nhất 2 ký tự', en: 'Type at least 2 characters' },
  searching: { vi: 'Đang tìm…', en: 'Searching…' },
  none: { vi: 'Không tìm thấy đơn vị', en: 'No unit found' },
} as const;

/** "Xã Tràng An — Huyện Bình Lục, Tỉnh Hà Nam · trước 7/2025". */
export function unitLabel(hit: UnitSearchHit, lang: 'vi' | 'en'): string {
  // As the header's search shows it (components/UnitSearch.tsx), not imported from there: that module is in the first view.
  const list = hit.listId === '2025-03' ? (lang === 'vi' ? 'trước 7/2025' : 'before 7/2025') : hit.listId === '2025-07' ? (lang === 'vi' ? 'từ 7/2025' : 'from 7/2025') : hit.listId;
  const context = [(hit.parents ?? []).map((p) => p.fullName).join(', '), list].filter(Boolean).join(' · ');
  return context ? `${hit.fullName} — ${context}` : hit.fullName;
}

/**
 * The unit search of api/hooks.ts (`useUnitSearch`: same endpoint, key and options), written here
 * so that this lazy page imports nothing more from the first view's modules: each such import
 * reshuffles the shared chunks and costs the first view bytes.
 */
function useUnitSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['units', 'search', term],
    queryFn: ({ signal }) => apiGet<{ items: UnitSearchHit[] }>('/units/search', { q: term, limit: 20 }, signal),
    enabled: term.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    select: (d) => d.items,
  });
}

type Props =
  | { multiple?: false; value: PickedUnit | null; onChange: (v: PickedUnit | null) => void; ariaLabel: string; width?: number; size?: 'small' | 'middle' }
  | { multiple: true; value: PickedUnit[]; onChange: (v: PickedUnit[]) => void; ariaLabel: string; width?: number; size?: 'small' | 'middle' };

export function UnitPicker(props: Props) {
  const { lang } = useT();
  const [text, setText] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setTerm(text), 250);
    return () => clearTimeout(h);
  }, [text]);
  const search = useUnitSearch(term);
  const options = useMemo(() => (term.trim().length < 2 ? [] : (search.data ?? []).map((hit) => ({ value: hit.id, label: unitLabel(hit, lang) }))), [search.data, term, lang]);
  const typed = text.trim().length;
  const notFound = typed === 0 ? null : typed < 2 ? S.tooShort[lang] : search.isFetching || term !== text ? S.searching[lang] : S.none[lang];
  const common = {
    labelInValue: true,
    allowClear: true,
    options,
    showSearch: { filterOption: false, onSearch: setText, searchValue: text },
    notFoundContent: notFound,
    placeholder: S.placeholder[lang],
    popupMatchSelectWidth: false,
    style: { width: props.width ?? 320, maxWidth: '100%' },
    size: props.size ?? 'middle',
    'aria-label': props.ariaLabel,
  } as const;
  const plain = (v: { value: string | number; label?: unknown }): PickedUnit => ({ value: String(v.value), label: typeof v.label === 'string' ? v.label : String(v.value) });
  if (props.multiple) {
    return (
      <Select<PickedUnit[]>
        {...common}
        mode="multiple"
        value={props.value}
        onChange={(v) => {
          setText('');
          props.onChange((v ?? []).map(plain));
        }}
      />
    );
  }
  return (
    <Select<PickedUnit | null>
      {...common}
      value={props.value}
      onChange={(v) => {
        setText('');
        props.onChange(v ? plain(v) : null);
      }}
    />
  );
}
