import type { Lang } from '../i18n/index.tsx';
import { formatNumber } from '../format.ts';

/** A gap to the target in the indicator's unit ("5,2%", "3 hộ"). */
export function formatGap(gap: number, unit: string | null, lang: Lang): string {
  const n = formatNumber(Math.abs(gap), lang);
  if (!unit) return n;
  return unit.startsWith('%') ? `${n}${unit}` : `${n} ${unit}`;
}
