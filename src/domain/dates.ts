/** Dates: ISO `YYYY-MM-DD` inside the system, `dd/mm/yyyy` (or `d/m/yyyy`) to people. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date in ISO form (2023-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** `2023-03-20` → `20/03/2023` (the dd/mm/yyyy form of reports). */
export function formatDateVi(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** `2023-03-20` → `20/3/2023` (the short form committees say). */
export function formatDateShortVi(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])}/${Number(m[2])}/${m[1]}`;
}

/** Parse `dd/mm/yyyy`, `d/m/yyyy` or ISO; returns ISO or null. */
export function parseDateVi(s: string): string | null {
  const t = s.trim();
  if (isIsoDate(t)) return t;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** Today's date in Vietnam (UTC+7), ISO. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Is `date` within [from, to] where either end may be open (null)? */
export function withinPeriod(date: string, from: string | null, to: string | null): boolean {
  return (from === null || from <= date) && (to === null || date <= to);
}

/** Whole calendar days from `today` to `dueOn` (negative when past). */
export function daysUntil(dueOn: string, today: string): number {
  return Math.round((Date.parse(`${dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
