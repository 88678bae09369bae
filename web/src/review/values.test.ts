import { describe, expect, it } from 'vitest';
import { draftOf, parseLocaleNumber, valueOf } from './values.ts';

describe('numbers as officers type them', () => {
  it('reads Vietnamese and English decimals and thousands', () => {
    expect(parseLocaleNumber('94,5', 'vi')).toBe(94.5);
    expect(parseLocaleNumber('1.234,5', 'vi')).toBe(1234.5);
    expect(parseLocaleNumber('1.234', 'vi')).toBe(1234);
    expect(parseLocaleNumber('94.5', 'vi')).toBe(94.5); // typed the other way round
    expect(parseLocaleNumber(' 62 ', 'vi')).toBe(62);
    expect(parseLocaleNumber('94.5', 'en')).toBe(94.5);
    expect(parseLocaleNumber('1,234.5', 'en')).toBe(1234.5);
    expect(parseLocaleNumber('', 'vi')).toBeNull();
    expect(Number.isNaN(parseLocaleNumber('chín', 'vi'))).toBe(true);
    expect(Number.isNaN(parseLocaleNumber('1,2,3', 'vi'))).toBe(true);
  });

  it('turns fields into values by indicator kind, keeping half-typed numbers out', () => {
    expect(valueOf({ kind: 'percent' }, { kind: 'text', text: '94,5' }, 'vi')).toEqual({ value: 94.5 });
    expect(valueOf({ kind: 'percent' }, { kind: 'text', text: '' }, 'vi')).toEqual({ value: null });
    expect(valueOf({ kind: 'number' }, { kind: 'text', text: 'abc' }, 'vi')).toEqual({ invalid: true });
    expect(valueOf({ kind: 'boolean' }, { kind: 'choice', choice: 'true' }, 'vi')).toEqual({ value: true });
    expect(valueOf({ kind: 'boolean' }, { kind: 'choice', choice: '' }, 'vi')).toEqual({ value: null });
    expect(valueOf({ kind: 'grade' }, { kind: 'choice', choice: 'tốt' }, 'vi')).toEqual({ value: 'tốt' });
    expect(valueOf({ kind: 'ratio' }, { kind: 'ratio', numerator: '102', denominator: '109' }, 'vi')).toEqual({ value: { numerator: 102, denominator: 109 } });
    expect(valueOf({ kind: 'ratio' }, { kind: 'ratio', numerator: '102', denominator: '' }, 'vi')).toEqual({ invalid: true });
    expect(valueOf({ kind: 'ratio' }, { kind: 'ratio', numerator: '', denominator: '' }, 'vi')).toEqual({ value: null });
  });

  it('shows stored values the local way, and round-trips them', () => {
    expect(draftOf({ kind: 'percent' }, 94.5, 'vi')).toEqual({ kind: 'text', text: '94,5' });
    expect(draftOf({ kind: 'number' }, 12345.25, 'vi')).toEqual({ kind: 'text', text: '12345,25' });
    expect(draftOf({ kind: 'number' }, 12345.25, 'en')).toEqual({ kind: 'text', text: '12345.25' });
    expect(draftOf({ kind: 'ratio' }, { numerator: 3, denominator: 4 }, 'vi')).toEqual({ kind: 'ratio', numerator: '3', denominator: '4' });
    expect(draftOf({ kind: 'boolean' }, false, 'vi')).toEqual({ kind: 'choice', choice: 'false' });
    for (const v of [0, 1, 94.5, 12345.25, 1e6]) {
      expect(valueOf({ kind: 'number' }, draftOf({ kind: 'number' }, v, 'vi'), 'vi')).toEqual({ value: v });
      expect(valueOf({ kind: 'number' }, draftOf({ kind: 'number' }, v, 'en'), 'en')).toEqual({ value: v });
    }
  });
});
