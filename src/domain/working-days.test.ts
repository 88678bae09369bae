import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addCalendarDays, holidaysOfYear, WorkingCalendar } from './working-days.ts';

const cal = new WorkingCalendar();

describe('working days (ngày làm việc) with Vietnamese holidays', () => {
  it('skips Tết Quý Mão 2023 as announced (20/1 – 26/1/2023)', () => {
    for (const d of ['2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26']) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.isWorkingDay('2023-01-19')).toBe(true);
    expect(cal.isWorkingDay('2023-01-27')).toBe(true);
    // A 10-working-day limit starting Monday 16/1/2023 ends on Monday 6/2/2023, not 30/1.
    expect(cal.addWorkingDays('2023-01-16', 10)).toBe('2023-02-06');
  });

  it('skips Tết Bính Ngọ 2026 (16/2 – 20/2/2026) and counts across it', () => {
    expect(cal.addWorkingDays('2026-02-09', 10)).toBe('2026-03-02');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(cal.workingDaysBetween('2026-02-23', '2026-02-13')).toBe(-1);
  });

  it('applies the rule in a year without an announcement: five Tết days, weekend days made up', () => {
    const h = holidaysOfYear(2027);
    // Mùng 1 Tết Đinh Mùi is 6/2/2027 (Saturday): eve 5/2 and mùng 1–4 are holidays; Sat/Sun ones are made up on 10/2 and 11/2.
    for (const d of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']) expect(h.has(d)).toBe(true);
    expect(h.has('2027-02-12')).toBe(false);
    // Quốc khánh: two days.
    expect(h.has('2027-09-02') && h.has('2027-09-01')).toBe(true);
  });

  it('30/4 and 1/5 on a weekend are made up (2023: 29/4 – 3/5)', () => {
    for (const d of ['2023-05-01', '2023-05-02', '2023-05-03']) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.isWorkingDay('2023-05-04')).toBe(true);
  });

  it('takes extra days off from configuration', () => {
    const c = new WorkingCalendar({ extraDaysOff: ['2026-11-27'] });
    expect(c.isWorkingDay('2026-11-27')).toBe(false);
    expect(cal.isWorkingDay('2026-11-27')).toBe(true);
  });

  it('counting back what was added gives the same number of working days (property)', () => {
    const day = fc.integer({ min: 0, max: 365 * 6 }).map((n) => addCalendarDays('2022-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (start, n) => {
        const end = cal.addWorkingDays(start, n);
        expect(cal.workingDaysBetween(start, end)).toBe(n);
        if (n > 0) expect(cal.isWorkingDay(end)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
