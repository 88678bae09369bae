import { describe, expect, it } from 'vitest';
import { vi } from './vi.ts';
import { en } from './en.ts';
import { interpolate, translate } from './index.tsx';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has the same keys and the same placeholders in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const key of Object.keys(vi) as Array<keyof typeof vi>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(vi[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('vi', 'overview.asOf', { date: '20/03/2023' })).toBe('Số liệu tại ngày 20/03/2023');
    expect(translate('en', 'overview.asOf', { date: '20/03/2023' })).toBe('Figures as of 20/03/2023');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});
