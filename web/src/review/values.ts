/**
 * The review form's fields: what the officer types (text, as typed) ↔ the indicator value the
 * API and the engine take. Numbers are typed the local way — "94,5" and "1.234,5" in Vietnamese,
 * "94.5" and "1,234.5" in English — and a half-typed number ("94,") is kept as text, not lost.
 */
import type { Indicator, IndicatorValue } from '../api/types.ts';
import type { Lang } from '../i18n/index.tsx';
import { formatNumber } from '../format.ts';

/** What an input holds: text for numbers, a choice for yes/no and grades, two texts for a ratio. */
export type FieldDraft =
  | { kind: 'text'; text: string }
  | { kind: 'choice'; choice: string }
  | { kind: 'ratio'; numerator: string; denominator: string };

/** "1.234,5" (vi) / "1,234.5" (en) → 1234.5; "" → null; not a number → NaN. */
export function parseLocaleNumber(raw: string, lang: Lang): number | null {
  let s = raw.trim().replace(/\s|\u00a0/g, '');
  if (s === '') return null;
  if (lang === 'vi') {
    if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
    // Only dots: "1.234" or "1.234.567" are thousands; "94.5" is a decimal typed the other way.
    else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  } else {
    s = s.replace(/,(?=\d{3}(\D|$))/g, '');
  }
  if (!/^-?\d*\.?\d+$|^-?\d+\.$/.test(s)) return Number.NaN;
  return Number(s);
}

/** A number as the officer would type it (no thousands separators: easier to edit). */
export function numberText(n: number, lang: Lang): string {
  return formatNumber(n, lang, { maxFraction: 6 }).replace(lang === 'vi' ? /\./g : /,/g, '');
}

export function draftOf(ind: Pick<Indicator, 'kind'>, value: IndicatorValue | undefined, lang: Lang): FieldDraft {
  const v = value ?? null;
  switch (ind.kind) {
    case 'boolean':
      return { kind: 'choice', choice: v === true ? 'true' : v === false ? 'false' : '' };
    case 'grade':
      return { kind: 'choice', choice: typeof v === 'string' ? v : '' };
    case 'ratio':
      return v !== null && typeof v === 'object'
        ? { kind: 'ratio', numerator: numberText(v.numerator, lang), denominator: numberText(v.denominator, lang) }
        : { kind: 'ratio', numerator: '', denominator: '' };
    default:
      return { kind: 'text', text: typeof v === 'number' ? numberText(v, lang) : '' };
  }
}

/**
 * The value a draft stands for, or `invalid` when it is not a number yet (nothing is sent then;
 * the field says what is wrong). Range checks (0–100, numerator ≤ denominator) are the server's
 * and the engine's: such values are sent and come back with the server's message.
 */
export function valueOf(ind: Pick<Indicator, 'kind'>, d: FieldDraft, lang: Lang): { value: IndicatorValue } | { invalid: true } {
  if (d.kind === 'choice') {
    if (ind.kind === 'boolean') return { value: d.choice === 'true' ? true : d.choice === 'false' ? false : null };
    return { value: d.choice === '' ? null : d.choice };
  }
  if (d.kind === 'ratio') {
    const n = parseLocaleNumber(d.numerator, lang);
    const den = parseLocaleNumber(d.denominator, lang);
    if (n === null && den === null) return { value: null };
    if (n === null || den === null || Number.isNaN(n) || Number.isNaN(den)) return { invalid: true };
    return { value: { numerator: n, denominator: den } };
  }
  const n = parseLocaleNumber(d.text, lang);
  if (n === null) return { value: null };
  if (Number.isNaN(n)) return { invalid: true };
  return { value: n };
}

export function sameValue(a: IndicatorValue | undefined, b: IndicatorValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
