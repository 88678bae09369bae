import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { bareName, checkRange, classifyHeader, convertPart, headerScore, indexSet, mapHeader, parseDateRaw, parseYesNo, readPreamble, unitCodeOf } from './cells.ts';
import { parseNumberText } from '../../domain/numbers.ts';
import { numberVi, targetText, valueText } from '../format.ts';
import { colLetter } from './template.ts';
import { DEMO_SET } from '../../test-support/report-fixtures.ts';

const idx = () => indexSet(getCatalog().get(DEMO_SET));
const ind = (code: string) => idx().byCode.get(code)!;

describe('numbers typed as text', () => {
  it.each([
    ['1.234,5', 1234.5],
    ['1,234.5', 1234.5],
    ['95,5', 95.5],
    ['95.5', 95.5],
    ['95%', 95],
    [' 12 ', 12],
    ['1.234', 1234],
    ['1.234.567', 1234567],
    ['1,234,567', 1234567],
    ['0,5', 0.5],
    ['-3', -3],
  ])('%s → %d', (s, n) => expect(parseNumberText(s)).toBe(n));
  it.each(['abc', '1.2.3', '', '12a', '—'])('%s is not a number', (s) => expect(parseNumberText(s)).toBeNull());
  it('formats numbers the Vietnamese way', () => {
    expect(numberVi(1234.5)).toBe('1.234,5');
    expect(numberVi(1234567)).toBe('1.234.567');
    expect(numberVi(0.25, 1)).toBe('0,3');
    expect(numberVi(64, 1, true)).toBe('64,0');
  });
});

describe('cells', () => {
  it('reads yes/no answers in Vietnamese, with or without accents', () => {
    for (const y of ['Đạt', 'dat', 'Có', 'co', 'x', 'TRUE', true, 1] as const) expect(parseYesNo(y)).toBe(true);
    for (const n of ['Không đạt', 'khong dat', 'Chưa đạt', 'Không', 'false', false, 0] as const) expect(parseYesNo(n)).toBe(false);
    expect(parseYesNo('có lẽ')).toBeNull();
  });
  it('reads dates as dates, serial numbers and dd/mm/yyyy text', () => {
    expect(parseDateRaw(new Date(Date.UTC(2023, 2, 20)))).toBe('2023-03-20');
    expect(parseDateRaw(45005)).toBe('2023-03-20');
    expect(parseDateRaw('20/03/2023')).toBe('2023-03-20');
    expect(parseDateRaw('20-3-2023')).toBe('2023-03-20');
    expect(parseDateRaw('2023-03-20')).toBe('2023-03-20');
    expect(parseDateRaw('31/02/2023')).toBeNull();
  });
  it('reads commune codes that lost their leading zeros', () => {
    expect(unitCodeOf(13510)).toBe('13510');
    expect(unitCodeOf(4)).toBe('00004');
    expect(unitCodeOf('00004')).toBe('00004');
    expect(unitCodeOf('13510@2025-03')).toBe('13510');
    expect(unitCodeOf('Tràng An')).toBeNull();
  });
  it('folds unit names and drops the type word', () => {
    expect(bareName('Xã Tân Hòa')).toBe('tan hoa');
    expect(bareName('tan hoa')).toBe('tan hoa');
    expect(bareName('Huyện Bình Lục')).toBe('binh luc');
    expect(bareName('TP. Phủ Lý')).toBe('phu ly');
  });
});

describe('values by indicator kind', () => {
  it('converts and checks each kind', () => {
    expect(convertPart(ind('1.1'), 'value', 'Đạt')).toEqual({ ok: true, value: true });
    expect(convertPart(ind('2.4'), 'value', '97,4')).toEqual({ ok: true, value: 97.4 });
    expect(convertPart(ind('5.4'), 'value', 'muc 2')).toEqual({ ok: true, value: 'mức 2' });
    expect(convertPart(ind('12.3'), 'value', '45/50')).toEqual({ ok: true, value: { numerator: 45, denominator: 50 } });
    expect(convertPart(ind('12.3'), 'numerator', 45)).toEqual({ ok: true, value: 45 });
    const wrong = convertPart(ind('2.4'), 'value', 'chín mươi');
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.kind).toBe('wrong_kind');
    expect(!wrong.ok && wrong.message.vi).toContain('cần một số');
    const grade = convertPart(ind('5.4'), 'value', 'mức 9');
    expect(!grade.ok && grade.message.en).toContain('"mức 2"');
    const range = checkRange(ind('2.4'), 120);
    expect(!range.ok && range.kind).toBe('out_of_range');
    expect(!range.ok && range.message.vi).toContain('0 đến 100');
    expect(checkRange(ind('12.3'), { numerator: 60, denominator: 50 }).ok).toBe(false);
    expect(checkRange(ind('9.2'), 1.5).ok).toBe(false);
    const err = convertPart(ind('2.4'), 'value', { error: '#DIV/0!' });
    expect(!err.ok && err.message.en).toContain('#DIV/0!');
  });
});

describe('header mapping', () => {
  it('maps codes, "(tử số)"/"(mẫu số)" parts and names typed without diacritics', () => {
    const i = idx();
    expect(classifyHeader(i, '2.1')).toEqual({ role: 'indicator', code: '2.1', part: 'value' });
    expect(classifyHeader(i, 'Chỉ tiêu 2.1')).toEqual({ role: 'indicator', code: '2.1', part: 'value' });
    expect(classifyHeader(i, '12.3 (tử số)')).toEqual({ role: 'indicator', code: '12.3', part: 'numerator' });
    expect(classifyHeader(i, '12.3 (mau so)')).toEqual({ role: 'indicator', code: '12.3', part: 'denominator' });
    expect(classifyHeader(i, 10)).toEqual({ role: 'indicator', code: '10', part: 'value' });
    const name = i.set.criteria.find((c) => c.code === '9')!.indicators.find((x) => x.code === '9.2')!.name;
    const unaccented = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toUpperCase();
    expect(classifyHeader(i, unaccented)).toEqual({ role: 'indicator', code: '9.2', part: 'value' });
    expect(classifyHeader(i, 'Ten xa')).toEqual({ role: 'unitName' });
    expect(classifyHeader(i, 'Mã xã')).toEqual({ role: 'unitCode' });
    expect(classifyHeader(i, 'Huyen')).toEqual({ role: 'parent', level: 'district' });
    expect(classifyHeader(i, 'Tỉnh/Thành phố')).toEqual({ role: 'parent', level: 'province' });
    expect(classifyHeader(i, 'Ngay ra soat')).toEqual({ role: 'date' });
    expect(classifyHeader(i, 'Xã có nghề truyền thống')).toEqual({ role: 'flag', code: 'has_traditional_craft' });
    expect(classifyHeader(i, '99.9')).toEqual({ role: 'unknown', looksLikeCode: true });
    expect(classifyHeader(i, 'Người lập biểu')).toEqual({ role: 'unknown', looksLikeCode: false });
    expect(classifyHeader(i, 'STT')).toEqual({ role: 'ignore' });
  });
  it('scores the header row and finds duplicates', () => {
    const i = idx();
    expect(headerScore(i, ['STT', 'Tên xã', '2.1', '2.2'])).toBe(3);
    expect(headerScore(i, ['Tên chỉ tiêu', '2.1', '2.2'])).toBe(0);
    const h = mapHeader(i, ['Tên xã', '2.1', 'Chỉ tiêu 2.1']);
    expect(h.duplicates).toEqual([{ col: 3, other: 2, text: 'Chỉ tiêu 2.1' }]);
  });
  it('reads a one-commune sheet preamble', () => {
    const p = readPreamble(
      [
        { number: 2, cells: ['Mã xã:', 13510, 'Tên xã:', 'Tràng An'] },
        { number: 3, cells: ['Ngày rà soát:', '20/03/2023'] },
      ],
      colLetter,
    );
    expect(p.code).toEqual({ value: 13510, cell: 'B2' });
    expect(p.name).toEqual({ value: 'Tràng An', cell: 'D2' });
    expect(p.date).toEqual({ value: '20/03/2023', cell: 'B3' });
  });
});

describe('targets and values as printed', () => {
  it('uses ≥/≤, units and Vietnamese separators', () => {
    expect(targetText(ind('2.4'), '>=', 90)).toBe('≥ 90%');
    expect(targetText(ind('10'), '>=', 64.5)).toBe('≥ 64,5 triệu đồng/người/năm');
    expect(targetText(ind('1.1'), 'is', true)).toBe('Đạt');
    expect(targetText(ind('9.2'), '=', 0)).toBe('Không có (= 0)');
    expect(targetText(ind('5.4'), '>=', 'mức 2')).toBe('≥ mức 2');
    expect(targetText(ind('2.4'), '>=', null)).toBe('chưa có ngưỡng');
    expect(valueText(ind('12.3'), { numerator: 45, denominator: 50 })).toBe('45/50 (90%)');
    expect(valueText(ind('2.4'), 97.45)).toBe('97,45%');
  });
  it('names columns like a spreadsheet', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(colLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});
