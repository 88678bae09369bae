import { describe, expect, it } from 'vitest';
import { dayBefore, formatDate, formatNumber, formatPercent, formatPeriod, isIsoDate, listLabel, parseDate, todayIso, withinPeriod } from './format.ts';

describe('format', () => {
  it('formats numbers the Vietnamese way (1.234,5) and the English way (1,234.5)', () => {
    expect(formatNumber(1234.5, 'vi')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatNumber(15.1, 'vi', { maxFraction: 1, minFraction: 1 })).toBe('15,1');
    expect(formatNumber(null, 'vi')).toBe('—');
    expect(formatPercent(17.525, 'vi')).toBe('17,5%');
  });

  it('shows dates dd/mm/yyyy in both languages', () => {
    expect(formatDate('2023-03-20')).toBe('20/03/2023');
    expect(formatDate('2023-03-20T10:00:00.000Z')).toBe('20/03/2023');
    expect(formatDate(null)).toBe('—');
    expect(formatPeriod(null, '2025-06-30', 'vi')).toBe('… – 30/06/2025');
    expect(formatPeriod('2025-07-01', null, 'en')).toBe('01/07/2025 – now');
  });

  it('parses and checks dates', () => {
    expect(parseDate('20/3/2023')).toBe('2023-03-20');
    expect(parseDate('2023-03-20')).toBe('2023-03-20');
    expect(parseDate('30/02/2023')).toBeNull();
    expect(isIsoDate('2023-02-30')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(dayBefore('2025-07-01')).toBe('2025-06-30');
  });

  it('takes today in Vietnam (UTC+7), whatever the browser zone', () => {
    expect(todayIso(new Date('2026-11-26T17:30:00Z'))).toBe('2026-11-27');
    expect(todayIso(new Date('2026-11-26T16:59:00Z'))).toBe('2026-11-26');
  });

  it('names the unit lists as people say them', () => {
    expect(listLabel('2025-03', 'vi')).toBe('trước 7/2025');
    expect(listLabel('2025-07', 'en')).toBe('from 7/2025');
    expect(withinPeriod('2023-03-20', null, '2025-06-30')).toBe(true);
    expect(withinPeriod('2023-03-20', '2025-07-01', null)).toBe(false);
  });
});
