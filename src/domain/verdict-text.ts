/**
 * Lời giải thích — the bilingual sentences of a verdict: why an indicator has its status, and the
 * committee's summary line ("Đạt 13/19 tiêu chí, 64/75 chỉ tiêu; …").
 */
import { countEn } from './text.ts';
import type { Indicator, IndicatorValue, TargetLeaf, TargetOp } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';
import { REASON } from './compiled-set.ts';
import type { ResolvedTarget } from './targets.ts';
import { validateIndicatorValue } from './value-validation.ts';

const nfVi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const nfEn = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatNumber(n: number, lang: 'vi' | 'en'): string {
  return (lang === 'vi' ? nfVi : nfEn).format(n);
}

function withUnit(n: number, unit: string | null, lang: 'vi' | 'en'): string {
  const s = formatNumber(n, lang);
  if (unit === null || unit === '') return s;
  return unit.startsWith('%') ? `${s}${unit}` : `${s} ${unit}`;
}

/** The unit a percentage-like indicator is shown in. */
function displayUnit(indicator: Indicator): string | null {
  if (indicator.kind === 'ratio' || indicator.kind === 'percent') return indicator.unit ?? '%';
  return indicator.unit;
}

/** A value as people read it: "96%", "45/50 (90%)", "62,5 triệu đồng/người/năm", "đạt", "\"hoàn thành tốt\"". */
export function formatValue(indicator: Indicator, value: IndicatorValue, lang: 'vi' | 'en'): string {
  if (value === null) return lang === 'vi' ? 'chưa có' : 'none';
  if (typeof value === 'boolean') {
    if (lang === 'vi') return value ? 'đạt' : 'không đạt';
    return value ? 'yes' : 'no';
  }
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number') return withUnit(value, displayUnit(indicator), lang);
  const { numerator: n, denominator: d } = value;
  const pct = d > 0 ? ` (${withUnit((n * 100) / d, '%', lang)})` : '';
  return `${formatNumber(n, lang)}/${formatNumber(d, lang)}${pct}`;
}

function formatTarget(indicator: Indicator, value: TargetLeaf, lang: 'vi' | 'en'): string {
  if (typeof value === 'number') return withUnit(value, displayUnit(indicator), lang);
  if (typeof value === 'boolean') return formatValue(indicator, value, lang);
  return `"${value}"`;
}

const NEGATED: Readonly<Record<TargetOp, string>> = { '>=': '<', '<=': '>', '=': '≠', is: '≠' };
const OP_TEXT: Readonly<Record<TargetOp, string>> = { '>=': '≥', '<=': '≤', '=': '=', is: '=' };

function gapText(indicator: Indicator, gap: number | null, lang: 'vi' | 'en'): string {
  if (gap === null || gap === 0) return '';
  if (indicator.kind === 'grade') return lang === 'vi' ? ` (còn thiếu ${gap} bậc)` : ` (${gap} grade(s) short)`;
  const g = withUnit(gap, displayUnit(indicator), lang);
  return lang === 'vi' ? ` (chênh ${g})` : ` (gap ${g})`;
}

/** Why an indicator got its status, in both languages. */
export function indicatorReason(
  indicator: Indicator,
  reason: number,
  value: IndicatorValue,
  target: ResolvedTarget,
  gap: number | null,
  flagName: string | null,
): BilingualMessage {
  switch (reason) {
    case REASON.met:
    case REASON.notMet: {
      const t = target.value!;
      const met = reason === REASON.met;
      const op = met ? OP_TEXT[target.op] : NEGATED[target.op];
      if (indicator.kind === 'boolean') {
        return met
          ? { vi: 'Đạt.', en: 'Met.' }
          : { vi: `Chưa đạt: báo cáo "${formatValue(indicator, value, 'vi')}".`, en: `Not met: reported "${formatValue(indicator, value, 'en')}".` };
      }
      const head = met ? { vi: 'Đạt', en: 'Met' } : { vi: 'Chưa đạt', en: 'Not met' };
      return {
        vi: `${head.vi}: ${formatValue(indicator, value, 'vi')} ${op} ${formatTarget(indicator, t, 'vi')}${gapText(indicator, gap, 'vi')}.`,
        en: `${head.en}: ${formatValue(indicator, value, 'en')} ${op} ${formatTarget(indicator, t, 'en')}${gapText(indicator, gap, 'en')}.`,
      };
    }
    case REASON.notApplicableFlag: {
      const name = flagName ?? indicator.applicableIf?.flag ?? '';
      return {
        vi: `Không áp dụng: xã trả lời "${name}" là không.`,
        en: `Not applicable: the commune answered "${name}" with no.`,
      };
    }
    case REASON.notApplicableZeroDenominator:
      return {
        vi: 'Không áp dụng: mẫu số bằng 0 (không có đối tượng để tính tỷ lệ).',
        en: 'Not applicable: the denominator is 0 (nothing to count).',
      };
    case REASON.missing:
      return { vi: 'Chưa có số liệu.', en: 'No data yet.' };
    case REASON.invalid: {
      const m = validateIndicatorValue(indicator, value) ?? { vi: 'sai kiểu', en: 'wrong type' };
      return { vi: `Giá trị không hợp lệ. ${m.vi}`, en: `Invalid value. ${m.en}` };
    }
    case REASON.zeroDenominator:
      return { vi: 'Không tính được tỷ lệ: mẫu số bằng 0.', en: 'Cannot compute the ratio: the denominator is 0.' };
    default:
      return {
        vi: `Chưa đánh giá được: chưa có ngưỡng (${target.basis.text.vi}).`,
        en: `Not evaluable: no target (${target.basis.text.en}).`,
      };
  }
}

/** The counts and unmet names a summary line needs (a subset of CommuneVerdict). */
export interface SummaryInput {
  totals: {
    criteriaMet: number;
    criteriaTotal: number;
    indicatorsMet: number;
    indicatorsTotal: number;
    notEvaluable: number;
  };
  unmet: ReadonlyArray<{ name: string }>;
}

/** "Đạt 13/19 tiêu chí, 64/75 chỉ tiêu; còn 6 tiêu chí, 11 chỉ tiêu chưa đạt: Giáo dục, …" */
export function summaryLineVi(v: SummaryInput): string {
  const t = v.totals;
  const head = `Đạt ${t.criteriaMet}/${t.criteriaTotal} tiêu chí, ${t.indicatorsMet}/${t.indicatorsTotal} chỉ tiêu`;
  const cLeft = t.criteriaTotal - t.criteriaMet;
  const iLeft = t.indicatorsTotal - t.indicatorsMet;
  if (cLeft === 0 && iLeft === 0) return `${head}.`;
  const ne = t.notEvaluable > 0 ? ` (trong đó ${t.notEvaluable} chỉ tiêu chưa đánh giá được)` : '';
  return `${head}; còn ${cLeft} tiêu chí, ${iLeft} chỉ tiêu chưa đạt${ne}: ${v.unmet.map((c) => c.name).join(', ')}.`;
}

/** "Meets 13/19 criteria, 64/75 indicators; 6 criteria, 11 indicators not yet met: Giáo dục, …" (criterion names stay Vietnamese). */
export function summaryLineEn(v: SummaryInput): string {
  const t = v.totals;
  const head = `Meets ${t.criteriaMet}/${t.criteriaTotal} criteria, ${t.indicatorsMet}/${t.indicatorsTotal} indicators`;
  const cLeft = t.criteriaTotal - t.criteriaMet;
  const iLeft = t.indicatorsTotal - t.indicatorsMet;
  if (cLeft === 0 && iLeft === 0) return `${head}.`;
  const ne = t.notEvaluable > 0 ? ` (of which ${countEn(t.notEvaluable, 'indicator')} not evaluable)` : '';
  return `${head}; ${countEn(cLeft, 'criterion')}, ${countEn(iLeft, 'indicator')} not yet met${ne}: ${v.unmet.map((c) => c.name).join(', ')}.`;
}

export function summaryLine(v: SummaryInput): BilingualMessage {
  return { vi: summaryLineVi(v), en: summaryLineEn(v) };
}
