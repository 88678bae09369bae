/** Formatting of the decision-support figures: money in triệu đồng, gap shares "25,0 %", values and targets. */
import type { Lang } from '../i18n/index.tsx';
import { formatNumber } from '../format.ts';
import type { IndicatorGap } from './api.ts';

/** 1_234_500_000 đồng → "1.234,5" (triệu đồng, vi) / "1,234.5" (en). */
export function millions(dong: number | null | undefined, lang: Lang): string {
  if (dong === null || dong === undefined || !Number.isFinite(dong)) return '—';
  return formatNumber(dong / 1_000_000, lang, { maxFraction: 3 });
}

/** 0.25 → "25,0 %" (vi) / "25.0 %" (en); null → "—". */
export function formatShare(share: number | null | undefined, lang: Lang): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${formatNumber(share * 100, lang, { minFraction: 1, maxFraction: 1 })} %`;
}

function withUnit(text: string, unit: string | null | undefined): string {
  if (!unit) return text;
  return unit.startsWith('%') ? `${text}${unit}` : `${text} ${unit}`;
}

export interface ValueWords {
  none: string;
  yes: string;
  no: string;
  noTarget: string;
}

/** A reported value: number with its unit, Có/Không, text, or a ratio "a/b". */
export function formatValue(v: IndicatorGap['value'], unit: string | null, lang: Lang, w: ValueWords): string {
  if (v === null || v === undefined) return w.none;
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  if (typeof v === 'number') return withUnit(formatNumber(v, lang), unit);
  if (typeof v === 'string') return v;
  const pct = v.denominator > 0 ? ` (${formatNumber((v.numerator / v.denominator) * 100, lang, { maxFraction: 1 })}%)` : '';
  return `${formatNumber(v.numerator, lang)}/${formatNumber(v.denominator, lang)}${pct}`;
}

const OP: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<', is: '' };

/** "≥ 95% hộ", "Có", "chưa có ngưỡng". */
export function formatTargetOf(t: IndicatorGap['target'], unit: string | null, lang: Lang, w: ValueWords): string {
  if (t.value === null) return w.noTarget;
  if (typeof t.value === 'boolean') return t.value ? w.yes : w.no;
  const op = OP[t.op] ?? t.op;
  const shown = typeof t.value === 'number' ? withUnit(formatNumber(t.value, lang), unit) : t.value;
  return op ? `${op} ${shown}` : shown;
}

/** The gap in the indicator's unit ("5% hộ"); "—" when it cannot be measured. */
export function formatGapOf(gap: number | null, unit: string | null, lang: Lang): string {
  if (gap === null) return '—';
  return withUnit(formatNumber(Math.abs(gap), lang), unit);
}
