/**
 * Cleaning what a person typed, before it is checked or stored: trimmed NFC text, evidence
 * references, the date a read is "as of", JSON columns read leniently.
 */
import { nfc } from './text.ts';
import { isIsoDate, todayInVietnam } from './dates.ts';
import { problem, fieldError } from './field-error.ts';

/** Trimmed NFC text, or null for empty / missing. */
export function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = nfc(s);
  return t === '' ? null : t;
}

export function parseJson<T>(s: string | null | undefined, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** The date a read is "as of": the one asked for, else today in Vietnam. */
export function asOf(date: string | null | undefined): string {
  if (date === undefined || date === null || date === '') return todayInVietnam();
  if (!isIsoDate(date)) throw fieldError([problem('date', `Ngày "${date}" không hợp lệ (cần YYYY-MM-DD).`, `Date "${date}" is not a valid YYYY-MM-DD date.`)]);
  return date;
}

/** Evidence or attachment reference (a document, photo or link). */
export interface DocumentRef {
  title: string;
  url?: string | null;
}

export function cleanRefs(refs: readonly DocumentRef[] | null | undefined): DocumentRef[] {
  return (refs ?? []).map((r) => ({ title: nfc(r.title), url: r.url ? r.url.trim() : null })).filter((r) => r.title !== '');
}
