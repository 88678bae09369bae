/**
 * The date every page is read at lives in the URL (`?date=YYYY-MM-DD`), so a link says exactly
 * what its reader will see. Absent means today (in Vietnam); an invalid value falls back to today
 * and is reported so the page can say so.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { isIsoDate, todayIso } from '../format.ts';

export interface DateParam {
  /** The effective date, ISO. */
  date: string;
  /** The raw `date` parameter when it was present but not a valid date. */
  invalid: string | null;
  /** Whether the URL names a date (else: today). */
  explicit: boolean;
  setDate: (iso: string) => void;
}

export function useDateParam(): DateParam {
  const [params, setParams] = useSearchParams();
  const raw = params.get('date');
  const valid = isIsoDate(raw);
  const setDate = useCallback(
    (iso: string) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.set('date', iso);
        return next;
      });
    },
    [setParams],
  );
  return { date: valid ? raw : todayIso(), invalid: raw !== null && !valid ? raw : null, explicit: valid, setDate };
}

/** Path segment for a unit id, keeping `@` readable (`13510@2025-03`). */
export function encodeUnitId(id: string): string {
  return encodeURIComponent(id).replace(/%40/g, '@');
}

/** `/units/13510@2025-03?date=2023-03-20` — the deep link to a unit on a date. */
export function unitPath(id: string, date?: string | null): string {
  return `/units/${encodeUnitId(id)}${date ? `?date=${date}` : ''}`;
}

/**
 * Links to units that keep the date the reader chose: the URL's date when it names one (no date
 * stays "today"), or the date given (e.g. the last day a merged commune existed).
 */
export function useUnitLink(): (id: string, date?: string | null) => string {
  const { date, explicit } = useDateParam();
  return useCallback((id: string, override?: string | null) => unitPath(id, override ?? (explicit ? date : null)), [date, explicit]);
}
