/**
 * Dự báo chỉ tiêu — project an indicator's value at a deadline from its history, with an honest
 * uncertainty band, and compare it with the target the engine applies. Pure: no I/O, no clock.
 *
 * The method, stated (no black box):
 * - Numeric indicators (percent, ratio as a percent, number, none_count) with at least
 *   `MIN_TREND_POINTS` (3) dated values: a **Theil–Sen** line — the slope is the median of the
 *   pairwise slopes (y_j − y_i) / (t_j − t_i) over all pairs with t_i < t_j (t in days), the
 *   intercept the median of y_i − slope · t_i. The point forecast at the deadline d is
 *   `slope · d + intercept`.
 * - The band is `point ± w(h)` with
 *     `w(h) = q80 · (1 + h / S)`
 *   where q80 is the 80th percentile (nearest rank) of the absolute in-sample residuals
 *   |y_i − (slope · t_i + intercept)|, h the days from the last observation to the deadline and
 *   S the days the history spans (first to last observation): a forecast as far ahead as the
 *   history is long gets a band twice as wide as the residuals. A perfectly straight history has a
 *   zero-width band.
 * - Point and band are clamped to the indicator's natural range: percent and ratio 0–100,
 *   numbers and counts ≥ 0.
 * - With 2 values: no trend (too few to tell a trend from noise): persistence of the last value,
 *   band `last ± |y2 − y1| · (1 + h / S)`. With 1 value: persistence, no band, outlook unknown
 *   ("không đủ dữ liệu").
 * - Booleans, grades and compound indicators: persistence of the last reported status (no trend
 *   is drawn through yes/no or ranks).
 *
 * The outlook compares the band with the target by the engine's own comparison (`gapToTarget`,
 * 0 = met): both ends met → likely_met; both ends not met (and for "=" the target outside the
 * band) → likely_unmet; otherwise uncertain; no target or no data → unknown.
 */
import type { Indicator, IndicatorKind, TargetLeaf, TargetOp } from '../criteria.ts';
import type { BilingualMessage } from '../errors.ts';
import { daysUntil, formatDateVi } from '../dates.ts';
import { gapToTarget } from '../evaluation.ts';
import type { ResolvedTarget } from '../targets.ts';
import { formatNumber } from '../verdict-text.ts';

/** Fewest values a trend is drawn through. */
export const MIN_TREND_POINTS = 3;
/** The quantile of the absolute residuals the band is built from. */
export const BAND_QUANTILE = 0.8;

/** One observed value: the review date and the number the engine compared. */
export interface SeriesPoint {
  on: string;
  value: number;
}

/** Triển vọng — how the forecast stands against the target. */
export type Outlook = 'likely_met' | 'uncertain' | 'likely_unmet' | 'unknown';
export const OUTLOOKS: readonly Outlook[] = ['likely_met', 'uncertain', 'likely_unmet', 'unknown'];

export const OUTLOOK_LABELS: Readonly<Record<Outlook, BilingualMessage>> = {
  likely_met: { vi: 'có khả năng đạt', en: 'likely met' },
  uncertain: { vi: 'chưa chắc đạt', en: 'uncertain' },
  likely_unmet: { vi: 'có nguy cơ không đạt', en: 'likely not met' },
  unknown: { vi: 'chưa dự báo được', en: 'cannot tell' },
};

/** How the projection was made. */
export type ForecastMethod = 'theil_sen' | 'persistence' | 'none';

export interface Line {
  /** Units per day. */
  slope: number;
  /** Value at day 0 (the Unix epoch): `value(t) = slope · t + intercept`, t in days. */
  intercept: number;
}

export interface NumericForecast {
  method: ForecastMethod;
  n: number;
  point: number | null;
  low: number | null;
  high: number | null;
  /** Slope per year (Theil–Sen only). */
  slopePerYear: number | null;
  /** The residual quantile q80 (Theil–Sen) or the last change (two values). */
  spread: number | null;
  horizonDays: number;
}

export interface IndicatorForecast {
  code: string;
  name: string;
  kind: IndicatorKind;
  unit: string | null;
  method: ForecastMethod;
  /** Values the forecast is drawn from. */
  n: number;
  last: { on: string; value: number | boolean | string | null; met: boolean | null } | null;
  point: number | null;
  low: number | null;
  high: number | null;
  slopePerYear: number | null;
  target: { op: TargetOp; value: TargetLeaf | null };
  outlook: Outlook;
  reason: BilingualMessage;
}

const DAY0 = Date.UTC(1970, 0, 1);

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - DAY0) / 86_400_000);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The q-quantile by nearest rank (q80 of 5 values is the 4th smallest). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Theil–Sen line through (t, y) points (t in days); points on the same day give no pairwise slope. */
export function theilSen(points: ReadonlyArray<{ t: number; y: number }>): Line {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      if (a.t !== b.t) slopes.push((b.y - a.y) / (b.t - a.t));
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  return { slope, intercept: median(points.map((p) => p.y - slope * p.t)) };
}

/** The natural range of an indicator kind: [min, max]. */
export function naturalRange(kind: IndicatorKind): { min: number; max: number } {
  return kind === 'percent' || kind === 'ratio' ? { min: 0, max: 100 } : { min: 0, max: Number.POSITIVE_INFINITY };
}

const clamp = (x: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, x));

/** Project a numeric series at `at` (see the file comment for the exact rule). */
export function forecastSeries(series: readonly SeriesPoint[], at: string, range: { min: number; max: number } = { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY }): NumericForecast {
  const pts = [...series].sort((a, b) => a.on.localeCompare(b.on)).map((p) => ({ t: dayNumber(p.on), y: p.value }));
  const n = pts.length;
  if (n === 0) return { method: 'none', n, point: null, low: null, high: null, slopePerYear: null, spread: null, horizonDays: 0 };
  const first = pts[0]!;
  const last = pts[n - 1]!;
  const horizon = Math.max(0, dayNumber(at) - last.t);
  const span = last.t - first.t;
  const widen = span > 0 ? 1 + horizon / span : 1;
  if (n < MIN_TREND_POINTS || span === 0) {
    const point = clamp(last.y, range);
    if (n < 2) return { method: 'persistence', n, point, low: null, high: null, slopePerYear: null, spread: null, horizonDays: horizon };
    const change = Math.abs(last.y - pts[n - 2]!.y);
    const w = change * widen;
    return { method: 'persistence', n, point, low: clamp(last.y - w, range), high: clamp(last.y + w, range), slopePerYear: null, spread: change, horizonDays: horizon };
  }
  const line = theilSen(pts);
  const q = quantile(
    pts.map((p) => Math.abs(p.y - (line.slope * p.t + line.intercept))),
    BAND_QUANTILE,
  );
  const raw = line.slope * dayNumber(at) + line.intercept;
  const w = q * widen;
  return {
    method: 'theil_sen',
    n,
    point: clamp(raw, range),
    low: clamp(raw - w, range),
    high: clamp(raw + w, range),
    slopePerYear: line.slope * 365.25,
    spread: q,
    horizonDays: horizon,
  };
}

/** Is a measured number met against the target (the engine's gap is 0)? null when not comparable. */
export function metByValue(indicator: Pick<Indicator, 'kind' | 'scale'>, value: number, target: ResolvedTarget): boolean | null {
  const gap = gapToTarget(indicator as Indicator, value, target);
  return gap === null ? null : gap === 0;
}

/** Outlook of a band [low, high] against the target. */
export function outlookOfBand(indicator: Pick<Indicator, 'kind' | 'scale'>, low: number, high: number, target: ResolvedTarget): Outlook {
  const a = metByValue(indicator, low, target);
  const b = metByValue(indicator, high, target);
  if (a === null || b === null) return 'unknown';
  if (a && b) return 'likely_met';
  if (target.op === '=' && typeof target.value === 'number' && low <= target.value && target.value <= high) return 'uncertain';
  if (!a && !b) return 'likely_unmet';
  return 'uncertain';
}

const r1 = (x: number) => Math.round(x * 10) / 10;
function num(x: number, lang: 'vi' | 'en'): string {
  return formatNumber(r1(x), lang);
}

function withUnit(x: number, indicator: Pick<Indicator, 'kind' | 'unit'>, lang: 'vi' | 'en'): string {
  const unit = indicator.kind === 'percent' || indicator.kind === 'ratio' ? '%' : (indicator.unit ?? '');
  return unit === '' ? num(x, lang) : unit === '%' ? `${num(x, lang)} %` : `${num(x, lang)} ${unit}`;
}

function targetText(indicator: Pick<Indicator, 'kind' | 'unit'>, target: ResolvedTarget, lang: 'vi' | 'en'): string {
  const op = target.op === '>=' ? '≥' : target.op === '<=' ? '≤' : '=';
  if (typeof target.value === 'number') return `${op} ${withUnit(target.value, indicator, lang)}`;
  return `${op} ${String(target.value)}`;
}

/** The reported value as a short text for a persistence reason. */
function shownValue(v: number | boolean | string | null, lang: 'vi' | 'en'): string {
  if (v === null) return lang === 'vi' ? 'chưa có số liệu' : 'no data';
  if (typeof v === 'boolean') return v ? (lang === 'vi' ? 'có' : 'yes') : lang === 'vi' ? 'không' : 'no';
  if (typeof v === 'number') return num(v, lang);
  return `"${v}"`;
}

/** The history of one indicator: each review date with the value as reported, the number compared (or null) and whether it was met. */
export interface IndicatorHistoryPoint {
  on: string;
  value: number | boolean | string | null;
  measured: number | null;
  met: boolean | null;
}

/**
 * Forecast one indicator at `deadline` from its history (oldest first or in any order), against the
 * target the engine applies (resolved for the commune; pass the one of the latest review).
 */
export function forecastIndicator(indicator: Pick<Indicator, 'code' | 'name' | 'kind' | 'unit' | 'scale'>, target: ResolvedTarget, history: readonly IndicatorHistoryPoint[], deadline: string): IndicatorForecast {
  const sorted = [...history].sort((a, b) => a.on.localeCompare(b.on));
  const lastPoint = sorted.at(-1) ?? null;
  const base = {
    code: indicator.code,
    name: indicator.name,
    kind: indicator.kind,
    unit: indicator.unit,
    last: lastPoint ? { on: lastPoint.on, value: lastPoint.value, met: lastPoint.met } : null,
    target: { op: target.op, value: target.value },
  };
  const when = formatDateVi(deadline);
  const tgtVi = target.value === null ? null : targetText(indicator, target, 'vi');
  const tgtEn = target.value === null ? null : targetText(indicator, target, 'en');
  const numeric = indicator.kind === 'percent' || indicator.kind === 'ratio' || indicator.kind === 'number' || indicator.kind === 'none_count';
  if (!numeric) {
    // Persistence of the last reported status.
    const met = lastPoint?.met ?? null;
    const outlook: Outlook = met === null ? 'unknown' : met ? 'likely_met' : 'likely_unmet';
    const reason: BilingualMessage =
      lastPoint === null
        ? { vi: 'Chưa có số liệu: không dự báo được.', en: 'No data: no forecast.' }
        : {
            vi: `Giữ nguyên kết quả lần rà soát ${formatDateVi(lastPoint.on)} (${shownValue(lastPoint.value, 'vi')}; chỉ tiêu không đo bằng số nên không vẽ xu hướng): ${OUTLOOK_LABELS[outlook].vi} vào ${when}.`,
            en: `The result of the ${lastPoint.on} review carried forward (${shownValue(lastPoint.value, 'en')}; not a numeric indicator, so no trend): ${OUTLOOK_LABELS[outlook].en} by ${deadline}.`,
          };
    return { ...base, method: lastPoint ? 'persistence' : 'none', n: sorted.length, point: null, low: null, high: null, slopePerYear: null, outlook, reason };
  }
  const series = sorted.filter((p): p is IndicatorHistoryPoint & { measured: number } => p.measured !== null).map((p) => ({ on: p.on, value: p.measured }));
  const f = forecastSeries(series, deadline, naturalRange(indicator.kind));
  const common = { ...base, method: f.method, n: f.n, point: f.point, low: f.low, high: f.high, slopePerYear: f.slopePerYear };
  if (f.point === null) return { ...common, outlook: 'unknown', reason: { vi: 'Chưa có số liệu: không dự báo được.', en: 'No data: no forecast.' } };
  if (target.value === null || typeof target.value === 'boolean' || tgtVi === null) {
    return { ...common, outlook: 'unknown', reason: { vi: `Dự báo ${withUnit(f.point, indicator, 'vi')} vào ${when}; chưa có ngưỡng để so sánh.`, en: `Forecast ${withUnit(f.point, indicator, 'en')} by ${deadline}; no target to compare with.` } };
  }
  if (f.low === null || f.high === null) {
    return {
      ...common,
      outlook: 'unknown',
      reason: {
        vi: `Chỉ có 1 lần rà soát (${withUnit(f.point, indicator, 'vi')}): không đủ dữ liệu để dự báo, ngưỡng ${tgtVi}.`,
        en: `Only one review (${withUnit(f.point, indicator, 'en')}): not enough data for a forecast; target ${tgtEn}.`,
      },
    };
  }
  const outlook = outlookOfBand(indicator, f.low, f.high, target);
  const how =
    f.method === 'theil_sen'
      ? { vi: `xu hướng ${f.n} lần rà soát`, en: `trend of ${f.n} reviews` }
      : { vi: `chỉ ${f.n} lần rà soát, giữ giá trị gần nhất`, en: `only ${f.n} reviews, last value carried forward` };
  const band = (lang: 'vi' | 'en') => `${num(f.low!, lang)}–${num(f.high!, lang)}`;
  return {
    ...common,
    outlook,
    reason: {
      vi: `Dự báo ${withUnit(f.point, indicator, 'vi')} (khoảng ${band('vi')}; ${how.vi}) vào ${when}, ngưỡng ${tgtVi}: ${OUTLOOK_LABELS[outlook].vi}.`,
      en: `Forecast ${withUnit(f.point, indicator, 'en')} (range ${band('en')}; ${how.en}) by ${deadline}, target ${tgtEn}: ${OUTLOOK_LABELS[outlook].en}.`,
    },
  };
}

// ── The commune as a whole ─────────────────────────────────────────────────────────────────

/** Whether a commune is projected to reach its set's level: every indicator likely met, some uncertain, some likely not met. */
export type Readiness = 'likely_ready' | 'uncertain' | 'at_risk' | 'unknown';

export const READINESS_LABELS: Readonly<Record<Readiness, BilingualMessage>> = {
  likely_ready: { vi: 'có khả năng đạt chuẩn đúng hạn', en: 'likely to meet the standard in time' },
  uncertain: { vi: 'chưa chắc đạt chuẩn đúng hạn', en: 'uncertain to meet the standard in time' },
  at_risk: { vi: 'có nguy cơ không đạt chuẩn đúng hạn', en: 'at risk of missing the deadline' },
  unknown: { vi: 'chưa dự báo được', en: 'cannot tell' },
};

/** The commune's readiness from its indicators' outlooks (unknown ones do not count as risks). */
export function readinessOf(outlooks: readonly Outlook[]): Readiness {
  if (outlooks.length === 0) return 'unknown';
  if (outlooks.includes('likely_unmet')) return 'at_risk';
  if (outlooks.includes('uncertain')) return 'uncertain';
  if (outlooks.every((o) => o === 'unknown')) return 'unknown';
  return 'likely_ready';
}

/** A rank for sorting by risk (higher: riskier): readiness first, then the number of likely-unmet and uncertain indicators. */
export function riskScore(outlooks: readonly Outlook[]): number {
  const unmet = outlooks.filter((o) => o === 'likely_unmet').length;
  const uncertain = outlooks.filter((o) => o === 'uncertain').length;
  return unmet * 1000 + uncertain;
}

// ── Back-test ──────────────────────────────────────────────────────────────────────────────

/** The held-out last value of one series against its forecast from the earlier ones. */
export interface BacktestCase {
  code: string;
  heldOutOn: string;
  actual: number;
  point: number;
  low: number;
  high: number;
  absError: number;
  /** |error| / |target| (null when the target is 0 or not a number). */
  errorShare: number | null;
  covered: boolean;
  outlook: Outlook;
  actualMet: boolean | null;
  /** Naive persistence (the last training value) for comparison. */
  persistence: { point: number; absError: number; errorShare: number | null; met: boolean | null };
}

/**
 * Hold out the last point of a numeric series, forecast it from the rest with the method above
 * (needs `MIN_TREND_POINTS` + 1 points: the training part must draw a trend), and compare.
 * `target` is the one that applied to the held-out review. Returns null when too short or not comparable.
 */
export function backtestSeries(indicator: Pick<Indicator, 'code' | 'kind' | 'scale'>, target: ResolvedTarget, series: readonly SeriesPoint[]): BacktestCase | null {
  const sorted = [...series].sort((a, b) => a.on.localeCompare(b.on));
  if (sorted.length < MIN_TREND_POINTS + 1) return null;
  const held = sorted.at(-1)!;
  const train = sorted.slice(0, -1);
  const f = forecastSeries(train, held.on, naturalRange(indicator.kind));
  if (f.point === null || f.low === null || f.high === null) return null;
  const t = typeof target.value === 'number' && target.value !== 0 ? Math.abs(target.value) : null;
  const absError = Math.abs(f.point - held.value);
  const lastTrain = train.at(-1)!.value;
  const pErr = Math.abs(lastTrain - held.value);
  // A tiny tolerance: a zero-width band on a flat series covers the same value written again.
  const eps = 1e-9;
  return {
    code: indicator.code,
    heldOutOn: held.on,
    actual: held.value,
    point: f.point,
    low: f.low,
    high: f.high,
    absError,
    errorShare: t === null ? null : absError / t,
    covered: held.value >= f.low - eps && held.value <= f.high + eps,
    outlook: outlookOfBand(indicator, f.low, f.high, target),
    actualMet: metByValue(indicator, held.value, target),
    persistence: { point: lastTrain, absError: pErr, errorShare: t === null ? null : pErr / t, met: metByValue(indicator, lastTrain, target) },
  };
}

export interface BacktestSummary {
  /** Series tested (each: one held-out value). */
  n: number;
  /** Of them, with a non-zero numeric target (the share figures). */
  nShare: number;
  /** Mean absolute error as a share of the target (0.05 = 5 % of the target). */
  maeShare: number | null;
  medianShare: number | null;
  /** Share of held-out values inside the band. */
  coverage: number | null;
  /** Decided outlooks (likely met / likely not met) that matched the held-out verdict, over the decided ones. */
  outlookAccuracy: number | null;
  /** Share of outlooks that were decided (not uncertain or unknown). */
  decidedShare: number | null;
  /** Naive persistence (the last value): the same figures. */
  persistence: { maeShare: number | null; medianShare: number | null; outlookAccuracy: number | null };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Aggregate back-test cases. */
export function summariseBacktest(cases: readonly BacktestCase[]): BacktestSummary {
  const shares = cases.map((c) => c.errorShare).filter((x): x is number => x !== null);
  const pShares = cases.map((c) => c.persistence.errorShare).filter((x): x is number => x !== null);
  const decided = cases.filter((c) => (c.outlook === 'likely_met' || c.outlook === 'likely_unmet') && c.actualMet !== null);
  const right = decided.filter((c) => (c.outlook === 'likely_met') === c.actualMet).length;
  const pDecided = cases.filter((c) => c.persistence.met !== null && c.actualMet !== null);
  const pRight = pDecided.filter((c) => c.persistence.met === c.actualMet).length;
  return {
    n: cases.length,
    nShare: shares.length,
    maeShare: mean(shares),
    medianShare: shares.length ? median(shares) : null,
    coverage: cases.length ? cases.filter((c) => c.covered).length / cases.length : null,
    outlookAccuracy: decided.length ? right / decided.length : null,
    decidedShare: cases.length ? decided.length / cases.length : null,
    persistence: { maeShare: mean(pShares), medianShare: pShares.length ? median(pShares) : null, outlookAccuracy: pDecided.length ? pRight / pDecided.length : null },
  };
}

/** Days from `from` to `to` (re-exported for callers that state horizons). */
export function daysBetween(from: string, to: string): number {
  return daysUntil(to, from);
}
