/**
 * Trình bày số và ngày trong báo cáo — Vietnamese number and date forms for reports: "1.234,5",
 * "20/03/2023", "ngày 05 tháng 01 năm 2026" (Decree 30/2020: a leading zero only for days below
 * 10 and for months 1 and 2), targets ("≥ 90%") and values as people read them.
 */
import type { Indicator, IndicatorValue, TargetLeaf, TargetOp } from '../domain/criteria.ts';
import { formatDateVi } from '../domain/dates.ts';

/** `1234.5` → `1.234,5`; at most `decimals` fraction digits (default 2), trailing zeros dropped unless `fixed`. */
export function numberVi(n: number, decimals = 2, fixed = false): string {
  const neg = n < 0;
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  let [int, frac = ''] = rounded.toFixed(decimals).split('.');
  if (!fixed) frac = frac.replace(/0+$/, '');
  int = int!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg && rounded !== 0 ? '-' : ''}${int}${frac ? `,${frac}` : ''}`;
}

export function percentVi(n: number, decimals = 1): string {
  return `${numberVi(n, decimals)}%`;
}

export const dateVi = formatDateVi;

/**
 * The date line of an administrative document (DOC-09): "Bình Lục, ngày 05 tháng 01 năm 2026".
 * Days below 10 and months 1–2 take a leading zero; other months do not.
 */
export function placeDateLine(place: string, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const day = String(d).padStart(2, '0');
  const month = m <= 2 ? String(m).padStart(2, '0') : String(m);
  return `${place}, ngày ${day} tháng ${month} năm ${y}`;
}

const OP: Readonly<Record<TargetOp, string>> = { '>=': '≥', '<=': '≤', '=': '=', is: '' };

function unitSuffix(indicator: Pick<Indicator, 'kind' | 'unit'>): string {
  if (indicator.kind === 'percent' || indicator.kind === 'ratio') return '%';
  return indicator.unit ? ` ${indicator.unit}` : '';
}

/** A threshold as printed in a table: "≥ 90%", "≥ 64 triệu đồng/người/năm", "Đạt", "≥ mức 2", or "chưa có ngưỡng". */
export function targetText(indicator: Pick<Indicator, 'kind' | 'unit'>, op: TargetOp, value: TargetLeaf | null): string {
  if (value === null) return 'chưa có ngưỡng';
  if (typeof value === 'boolean') return value ? 'Đạt' : 'Không đạt';
  if (typeof value === 'string') return `${OP[op]} ${value}`.trim();
  if (indicator.kind === 'none_count' && op === '=' && value === 0) return 'Không có (= 0)';
  return `${OP[op]} ${numberVi(value)}${unitSuffix(indicator)}`.trim();
}

/** A reported value as printed: "96,5%", "45/50 (90%)", "Đạt", "mức 2", "" when missing. */
export function valueText(indicator: Pick<Indicator, 'kind' | 'unit'>, value: IndicatorValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Đạt' : 'Không đạt';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return `${numberVi(value)}${unitSuffix(indicator)}`;
  const { numerator: n, denominator: d } = value;
  return d > 0 ? `${numberVi(n)}/${numberVi(d)} (${percentVi((n * 100) / d)})` : `${numberVi(n)}/${numberVi(d)}`;
}

/** The number a value compares as, for a numeric spreadsheet cell (ratio → percent); null otherwise. */
export function numericValue(value: IndicatorValue): number | null {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && value.denominator > 0) return Math.round((value.numerator * 1e8) / value.denominator) / 1e6;
  return null;
}

export { formatDateVi };
