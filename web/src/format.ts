/**
 * Display formatting. Numbers follow the language (vi-VN: 1.234,5 · en-US: 1,234.5); dates are
 * always dd/mm/yyyy, the programme's convention, whatever the language. Dates travel as ISO
 * `YYYY-MM-DD` everywhere else (URL, API).
 */
import type { Lang } from './i18n/index.tsx';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, maxFraction: number, minFraction: number): Intl.NumberFormat {
  const key = `${lang}|${maxFraction}|${minFraction}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: maxFraction, minimumFractionDigits: minFraction });
    numberFormats.set(key, f);
  }
  return f;
}

/** 1234.5 → "1.234,5" (vi) / "1,234.5" (en); null → "—". */
export function formatNumber(n: number | null | undefined, lang: Lang, opts: { maxFraction?: number; minFraction?: number } = {}): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return numberFormat(lang, opts.maxFraction ?? 2, opts.minFraction ?? 0).format(n);
}

/** 87.5 → "87,5%" (vi) / "87.5%" (en). The value is already a percentage (0–100). */
export function formatPercent(n: number | null | undefined, lang: Lang, maxFraction = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return `${formatNumber(n, lang, { maxFraction })}%`;
}

/** True when `s` is a real calendar date in ISO form. */
export function isIsoDate(s: string | null | undefined): s is string {
  if (!s) return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** "2023-03-20" (or an ISO timestamp) → "20/03/2023"; null → "—". Same in both languages. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) return iso;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** An ISO timestamp → "20/03/2023 14:05" in the browser's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "dd/mm/yyyy" or "d/m/yyyy" → ISO, else null. */
export function parseDate(s: string): string | null {
  const t = s.trim();
  if (isIsoDate(t)) return t;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** Today's date in Vietnam (UTC+7), ISO — the programme's calendar, whatever the browser's zone. */
export function todayIso(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The ISO day before `iso`. */
export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Is `date` within [from, to], either end open (null)? For display only (validity notices). */
export function withinPeriod(date: string, from: string | null | undefined, to: string | null | undefined): boolean {
  return (!from || from <= date) && (!to || date <= to);
}

/** "01/07/2025 – nay" / "… – 30/06/2025". */
export function formatPeriod(from: string | null | undefined, to: string | null | undefined, lang: Lang): string {
  return `${from ? formatDate(from) : '…'} – ${to ? formatDate(to) : lang === 'vi' ? 'nay' : 'now'}`;
}

/** The unit list a unit belongs to, as people say it: "trước 7/2025" / "từ 7/2025". */
export function listLabel(listId: string | null | undefined, lang: Lang): string {
  if (listId === '2025-03') return lang === 'vi' ? 'trước 7/2025' : 'before 7/2025';
  if (listId === '2025-07') return lang === 'vi' ? 'từ 7/2025' : 'from 7/2025';
  return listId ?? '';
}
