import { describe, expect, it } from 'vitest';
import type { IndicatorKind } from './criteria.ts';
import { gradeRank, isCountIndicator, showValue, validateIndicatorValue, validateValues } from './value-validation.ts';
import { criteriaSet, criterion, GRADE_SCALE, indicator } from '../test-support/criteria.ts';

const ind = (kind: IndicatorKind) => indicator({ code: '5.1', kind });

describe('counts are whole numbers (issue 14.6)', () => {
  it('refuses "1,2 sản phẩm OCOP" and "2,5 thôn", accepts whole counts and measured decimals', () => {
    const ocop = indicator({ code: '13.2', kind: 'number', unit: 'sản phẩm' });
    expect(validateIndicatorValue(ocop, 1.2)?.vi).toContain('số nguyên');
    expect(validateIndicatorValue(ocop, 2)).toBeNull();
    expect(validateIndicatorValue(indicator({ code: '9.9', kind: 'number', unit: 'thôn' }), 2.5)?.vi).toContain('số nguyên');
    expect(validateIndicatorValue(indicator({ code: '10.1', kind: 'number', unit: 'triệu đồng/người/năm' }), 58.4)).toBeNull();
    expect(isCountIndicator({ kind: 'number', unit: 'sản phẩm' })).toBe(true);
    expect(isCountIndicator({ kind: 'number', unit: 'lít/người/ngày' })).toBe(false);
  });
});

describe('validateIndicatorValue', () => {
  it.each([
    ['boolean', true],
    ['boolean', false],
    ['percent', 0],
    ['percent', 100],
    ['percent', 55.5],
    ['number', 0],
    ['number', 123.4],
    ['none_count', 0],
    ['none_count', 3],
    ['ratio', { numerator: 0, denominator: 0 }],
    ['ratio', { numerator: 5, denominator: 5 }],
    ['grade', 'hoàn thành tốt'],
    ['grade', 'Hoàn Thành Tốt'],
    ['percent', null],
  ] as const)('accepts %s %j', (kind, value) => {
    expect(validateIndicatorValue(ind(kind), value)).toBeNull();
  });

  it.each([
    ['boolean', 'yes', 'true (đạt) hoặc false'],
    ['boolean', 1, 'true (đạt) hoặc false'],
    ['percent', 'abc', 'cần một số'],
    ['percent', 100.1, 'từ 0 đến 100'],
    ['percent', -0.1, 'từ 0 đến 100'],
    ['percent', Number.NaN, 'cần một số'],
    ['number', -1, 'không được âm'],
    ['number', Number.POSITIVE_INFINITY, 'cần một số'],
    ['none_count', 1.5, 'số nguyên'],
    ['none_count', -2, 'không được âm'],
    ['ratio', 50, 'cần tử số và mẫu số, ví dụ 12/50'],
    ['ratio', { numerator: 6, denominator: 5 }, 'tử số không được lớn hơn mẫu số'],
    ['ratio', { numerator: -1, denominator: 5 }, 'không được âm'],
    ['ratio', { numerator: '1', denominator: 5 }, 'phải là số'],
    ['ratio', { numerator: 1, denominator: 5, percent: 20 }, 'khóa không hợp lệ "percent"'],
    ['grade', 'giỏi', 'hoàn thành tốt'],
    ['grade', 3, 'cần một trong'],
  ] as const)('refuses %s %j, naming the indicator in both languages', (kind, value, vi) => {
    const m = validateIndicatorValue(ind(kind), value);
    expect(m).not.toBeNull();
    expect(m!.vi).toContain(vi);
    expect(m!.vi).toContain('"5.1"');
    expect(m!.en).toContain('Indicator "5.1"');
  });
});

describe('ratio values in messages (issue 14.5)', () => {
  it('shows a ratio as "12/50", not as JSON', () => {
    expect(showValue({ numerator: 12, denominator: 50 })).toBe('12/50');
    const m = validateIndicatorValue(ind('ratio'), { numerator: 60, denominator: 50 })!;
    expect(m.vi).toContain('nhận được 60/50');
    expect(m.vi).not.toContain('numerator');
    expect(m.en).toContain('got 60/50');
  });
});

describe('validateValues', () => {
  const set = criteriaSet([criterion('1', [indicator({ code: '1.1', kind: 'percent' }), indicator({ code: '1.2' })])]);

  it('names unknown codes, bad values and bad flags', () => {
    const problems = validateValues(set, { '1.1': 120, '1.2': true, '9.9': 1, has_craft: 'yes' });
    expect(problems.map((p) => [p.code, p.error])).toEqual([
      ['1.1', 'invalid_value'],
      ['9.9', 'unknown_indicator'],
      ['has_craft', 'invalid_value'],
    ]);
    // Names a person reads (issue 14.5): the set's name and the flag's label, never their keys.
    expect(problems[1]!.message.vi).toBe('Mã chỉ tiêu "9.9" không có trong Bộ tiêu chí thử.');
    expect(problems[1]!.message.en).toBe('Indicator code "9.9" is not in the criteria set "Bộ tiêu chí thử".');
    expect(problems[2]!.message.vi).toContain('Điều kiện "Xã có nghề truyền thống"');
    expect(problems[2]!.message.en).toContain('Flag "Xã có nghề truyền thống"');
    expect(problems[2]!.message.vi).not.toContain('has_craft');
  });

  it('accepts a clean map', () => {
    expect(validateValues(set, { '1.1': 50, '1.2': null, has_craft: false })).toEqual([]);
  });
});

describe('gradeRank', () => {
  it('matches exactly, then ignoring case and diacritics', () => {
    expect(gradeRank(GRADE_SCALE, 'hoàn thành')).toBe(1);
    expect(gradeRank(GRADE_SCALE, 'HOAN THANH XUAT SAC')).toBe(3);
    expect(gradeRank(GRADE_SCALE, 'khác')).toBe(-1);
  });
});
