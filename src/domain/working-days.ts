/**
 * Ngày làm việc — working days for the time limits of the recognition procedure ("trong thời hạn
 * 20 ngày làm việc"). A working day is Monday to Friday and not a public holiday (ngày nghỉ lễ,
 * Tết). Pure computation: the public holidays come from `date-holidays` (country VN), widened to
 * what the Labour Code 2019 Art. 112 grants and the Government announces:
 *  - Tết Âm lịch: five days — `date-holidays` lists only Giao thừa and mùng 1, so the calendar
 *    takes the eve and mùng 1 to mùng 4 around the lunar new year it computes;
 *  - Quốc khánh: two days (2/9 and the day before or after, announced each year);
 *  - a holiday that falls on a weekend is made up on the next working day (Art. 112.3);
 *  - the announced public-sector arrangements (days swapped to bridge a holiday) are data in
 *    ANNOUNCED_DAYS_OFF below and can be extended by configuration (`extraDaysOff`).
 */
import Holidays from 'date-holidays';
import { isIsoDate } from './dates.ts';

/**
 * Days off the Government announced for civil servants beyond the holidays computed from the rule
 * (the Tết and 2/9 bridges), by year. Sources: Ministry of Labour (Bộ LĐTBXH / Bộ Nội vụ) notices
 * on public-sector holidays for each year.
 */
export const ANNOUNCED_DAYS_OFF: Readonly<Record<number, readonly string[]>> = {
  // Tết Quý Mão: 20/1 – 26/1/2023; Quốc khánh 1/9 – 4/9/2023 (bridge days 1/9, 4/9).
  2023: ['2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26', '2023-09-01', '2023-09-04'],
  // Tết Giáp Thìn: 8/2 – 14/2/2024; Quốc khánh 31/8 – 3/9/2024.
  2024: ['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14', '2024-09-03'],
  // Tết Ất Tỵ: 25/1 – 2/2/2025; 30/4 – 4/5/2025 (bridge 2/5); Quốc khánh 30/8 – 2/9/2025.
  2025: ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-05-02', '2025-09-01'],
  // Tết Bính Ngọ: 14/2 – 22/2/2026; Quốc khánh 1/9 – 2/9/2026 (bridge 1/9).
  2026: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-09-01'],
};

export interface CalendarOptions {
  /** More days off (ISO dates), e.g. a province's own arrangement or next year's announcement. */
  extraDaysOff?: readonly string[];
}

const DAY = 86_400_000;

function toUtc(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

function fromUtc(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function addCalendarDays(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY);
}

function isWeekend(iso: string): boolean {
  const d = new Date(toUtc(iso)).getUTCDay();
  return d === 0 || d === 6;
}

/** The holidays of one year (public holidays, Tết widened, weekend ones made up), as ISO dates. */
export function holidaysOfYear(year: number): Set<string> {
  const hd = new Holidays('VN');
  const base = new Set<string>();
  for (const h of hd.getHolidays(year)) {
    if (h.type !== 'public') continue;
    base.add(h.date.slice(0, 10));
  }
  // Tết: the eve (Giao thừa) and mùng 1 to mùng 4 — five days (Labour Code Art. 112.1.b). In a
  // year with an announcement, the announced days replace this rule (they move the days off so the
  // break is continuous), and weekend Tết days are not made up again.
  const announced = ANNOUNCED_DAYS_OFF[year];
  const tetDays = new Set<string>();
  const tet = hd.getHolidays(year).find((h) => h.type === 'public' && /Tết Nguyên Đán/.test(h.name) && !/Giao thừa/.test(h.name));
  if (tet) {
    const d1 = tet.date.slice(0, 10);
    for (let i = -1; i <= 3; i++) tetDays.add(addCalendarDays(d1, i));
  }
  for (const d of tetDays) base.add(d);
  // Quốc khánh: two days since 2021 (2/9 and one adjacent day, announced; default 1/9).
  base.add(`${year}-09-02`);
  if (!announced?.some((d) => d.startsWith(`${year}-09-0`) && d !== `${year}-09-02`)) base.add(`${year}-09-01`);
  const out = new Set<string>();
  // A holiday on a weekend is made up on the next working day that is not itself a holiday.
  for (const d of [...base].sort()) {
    out.add(d);
    if (isWeekend(d) && !(announced && tetDays.has(d))) {
      let next = addCalendarDays(d, 1);
      while (isWeekend(next) || base.has(next) || out.has(next)) next = addCalendarDays(next, 1);
      out.add(next);
    }
  }
  for (const d of announced ?? []) out.add(d);
  return out;
}

/** A working-day calendar: memoises the holidays of each year it is asked about. */
export class WorkingCalendar {
  private readonly years = new Map<number, Set<string>>();
  private readonly extra: Set<string>;

  constructor(options: CalendarOptions = {}) {
    this.extra = new Set(options.extraDaysOff ?? []);
  }

  isHoliday(iso: string): boolean {
    const y = Number(iso.slice(0, 4));
    let set = this.years.get(y);
    if (!set) {
      set = holidaysOfYear(y);
      this.years.set(y, set);
    }
    return set.has(iso) || this.extra.has(iso);
  }

  isWorkingDay(iso: string): boolean {
    return !isWeekend(iso) && !this.isHoliday(iso);
  }

  /**
   * The day a limit of `n` working days ends when the step starts on `start`: day 1 is the first
   * working day after `start` (the day of receipt does not count), so the result is the n-th.
   */
  addWorkingDays(start: string, n: number): string {
    if (!isIsoDate(start)) throw new RangeError(`not an ISO date: ${start}`);
    let d = start;
    let left = Math.max(0, Math.floor(n));
    while (left > 0) {
      d = addCalendarDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /**
   * Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is before `from`.
   * Used for "còn 3 ngày làm việc" and "quá hạn 2 ngày làm việc".
   */
  workingDaysBetween(from: string, to: string): number {
    if (from === to) return 0;
    const sign = to > from ? 1 : -1;
    const [a, b] = sign > 0 ? [from, to] : [to, from];
    let n = 0;
    for (let d = addCalendarDays(a, 1); d <= b; d = addCalendarDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return sign * n;
  }
}

/** The calendar every service uses unless a province configures more days off. */
export const DEFAULT_CALENDAR = new WorkingCalendar();
