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

/**
 * Is this a link a reader may follow: `http(s)://host/…`, or a path on this server
 * (`/api/v1/attachments/7`, what an uploaded evidence file gets)? Never `javascript:`, `data:`,
 * `file:` or a protocol-relative `//host` (it would run script or leave the site unannounced).
 */
export function isSafeLink(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false;
  if (url.startsWith('/')) return !/^\/[/\\]/.test(url);
  if (!/^https?:\/\/[^/\\]/i.test(url)) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A link as stored: trimmed, null when empty; refused (naming `field`) unless `isSafeLink`. */
export function cleanLink(url: string | null | undefined, field: string): string | null {
  const t = url ? url.trim() : '';
  if (t === '') return null;
  if (!isSafeLink(t)) {
    const shown = t.length > 60 ? `${t.slice(0, 60)}…` : t;
    throw fieldError([
      problem(
        field,
        `Liên kết "${shown}" không được nhận: chỉ nhận địa chỉ http:// hoặc https:// (hoặc tệp đã tải lên hệ thống).`,
        `Link "${shown}" refused: only http:// or https:// addresses (or a file uploaded to this system) are accepted.`,
      ),
    ]);
  }
  return t;
}

/** Titles in NFC (empty ones dropped), links checked; `field` names the list in a refusal. */
export function cleanRefs(refs: readonly DocumentRef[] | null | undefined, field = 'evidence'): DocumentRef[] {
  return (refs ?? []).map((r, i) => ({ title: nfc(r.title), url: cleanLink(r.url, `${field}[${i}].url`) })).filter((r) => r.title !== '');
}
