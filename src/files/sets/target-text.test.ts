/** Targets in one cell: written, read back exactly; what is wrong said in both languages. */
import { describe, expect, it } from 'vitest';
import type { IndicatorKind, TargetValueSpec } from '../../domain/criteria.ts';
import { formatTargetText, parseTargetText } from './target-text.ts';

const roundTrip = (v: TargetValueSpec, kind: IndicatorKind, scale: string[] | null = null) => {
  const text = formatTargetText(v);
  const back = parseTargetText(text, kind, scale);
  expect(back, text).toEqual({ ok: true, value: v });
  return text;
};

describe('formatTargetText / parseTargetText', () => {
  it('writes leaves and tables readably and reads them back exactly', () => {
    expect(roundTrip(80, 'percent')).toBe('80');
    expect(roundTrip(70.4, 'number')).toBe('70,4');
    expect(roundTrip(0.000001, 'number')).toBe('0,000001');
    expect(roundTrip(null, 'percent')).toBe('chưa xác định');
    expect(roundTrip(true, 'boolean')).toBe('Đạt');
    expect(roundTrip(false, 'boolean')).toBe('Không đạt');
    expect(roundTrip({ byRegion: {} }, 'percent')).toBe('Theo vùng (chưa có giá trị nào)');
    expect(roundTrip({ byRegion: { TDMNPB: 70, DBSH: 100 } }, 'percent')).toBe('Theo vùng (TDMNPB: 70; DBSH: 100)');
    expect(roundTrip({ byGroup: { '1': 95, '3': null } }, 'ratio')).toBe('Theo nhóm xã (Nhóm 1: 95; Nhóm 3: chưa xác định)');
    expect(roundTrip({ byYear: { '2022': 59, '2023': 64.5 } }, 'number')).toBe('Theo năm (2022: 59; 2023: 64,5)');
    expect(roundTrip({ byAttribute: { attribute: 'so_truong', bands: [{ max: 3, value: 50 }, { min: 4, max: 10, value: 70 }, { min: 11, value: 80 }, { value: null }] } }, 'percent')).toBe(
      'Theo số liệu so_truong (≤ 3: 50; 4–10: 70; ≥ 11: 80; mọi giá trị: chưa xác định)',
    );
    expect(roundTrip({ byRegion: { DBSH: { byYear: { '2022': 54 } }, TN: { byAttribute: { attribute: 'so_truong', bands: [{ max: 3, value: 50 }] } } } }, 'percent')).toBe(
      'Theo vùng (DBSH: Theo năm (2022: 54); TN: Theo số liệu so_truong (≤ 3: 50))',
    );
    const scale = ['yếu', 'khá (loại: B)', 'chưa xác định', 'tốt "A"'];
    expect(roundTrip('khá (loại: B)', 'grade', scale)).toBe('"khá (loại: B)"');
    expect(roundTrip('chưa xác định', 'grade', scale)).toBe('"chưa xác định"');
    expect(roundTrip({ byRegion: { DBSH: 'tốt "A"', TN: 'yếu' } }, 'grade', scale)).toBe('Theo vùng (DBSH: "tốt ""A"""; TN: yếu)');
  });

  it('reads what people type: accents, case, spacing, ≥ written >=, Vietnamese decimals', () => {
    expect(parseTargetText('theo VÙNG ( đbsh : 92,5 ;tn:70 )', 'percent', null)).toEqual({ ok: true, value: { byRegion: { DBSH: 92.5, TN: 70 } } });
    expect(parseTargetText('Theo nhóm xã (1: 95; nhóm 2: 90)', 'percent', null)).toEqual({ ok: true, value: { byGroup: { '1': 95, '2': 90 } } });
    expect(parseTargetText('Theo số liệu so_truong (<= 3: 50; >= 4: 70)', 'percent', null)).toEqual({ ok: true, value: { byAttribute: { attribute: 'so_truong', bands: [{ max: 3, value: 50 }, { min: 4, value: 70 }] } } });
    expect(parseTargetText('có', 'boolean', null)).toEqual({ ok: true, value: true });
    expect(parseTargetText('Theo vùng ()', 'percent', null)).toEqual({ ok: true, value: { byRegion: {} } });
  });

  const bad: Array<[string, IndicatorKind, RegExp, RegExp]> = [
    ['abc', 'percent', /không hợp lệ: loại chỉ tiêu này cần một số từ 0 đến 100/, /needs a number from 0 to 100/],
    ['120', 'percent', /vượt quá 100%/, /over 100%/],
    ['Theo vùng (DBSH: 120)', 'ratio', /ngưỡng 120 \(DBSH\) vượt quá 100%/, /target 120 \(DBSH\) is over 100%/],
    ['Theo vùng (XYZ: 80)', 'percent', /"XYZ" không phải mã vùng/, /"XYZ" is not a region code/],
    ['Theo vùng (DBSH: 80; DBSH: 90)', 'percent', /hai lần/, /twice/],
    ['Theo vùng (DBSH 80)', 'percent', /thiếu dấu ":"/, /lacks ":"/],
    ['Theo vùng (DBSH: 80', 'percent', /thiếu dấu "\)"/, /missing .*"\)"/],
    ['Theo tỉnh (35: 80)', 'percent', /không phải bảng ngưỡng/, /is not a target table/],
    ['Theo năm (22: 80)', 'number', /không phải năm/, /is not a year/],
    ['Theo số liệu so_truong (nhiều: 80)', 'percent', /không phải khoảng giá trị/, /is not a band/],
    ['Theo số liệu so_truong (5–3: 80)', 'percent', /số đầu lớn hơn số cuối/, /lower bound is above/],
    ['Theo vùng (DBSH: )', 'percent', /thiếu giá trị/, /value is missing/],
    ['Khá', 'boolean', /"Đạt" hoặc "Không đạt"/, /"Đạt" \(met\)/],
    ['5', 'none_count', /luôn có ngưỡng 0/, /always has target 0/],
    ['-3', 'number', /âm/, /negative/],
    ['xuất sắc', 'grade', /không thuộc thang xếp loại \(“?"yếu", "khá"\)/, /is not on the scale/],
    ['80 90', 'percent', /không hợp lệ/, /not valid/],
  ];
  it.each(bad)('refuses %j (%s) saying what is wrong and what to write', (text, kind, vi, en) => {
    const r = parseTargetText(text, kind, kind === 'grade' ? ['yếu', 'khá'] : null);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message.vi).toMatch(vi);
    expect(r.message.en).toMatch(en);
  });
});
