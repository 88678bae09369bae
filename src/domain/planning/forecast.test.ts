import { describe, expect, it } from 'vitest';
import type { TargetOp, TargetLeaf } from '../criteria.ts';
import type { ResolvedTarget } from '../targets.ts';
import {
  backtestSeries,
  dayNumber,
  forecastIndicator,
  forecastSeries,
  quantile,
  readinessOf,
  summariseBacktest,
  theilSen,
  type IndicatorHistoryPoint,
} from './forecast.ts';

const target = (op: TargetOp, value: TargetLeaf | null): ResolvedTarget => ({
  op,
  value,
  basis: { setId: 's', override: false, derivedFrom: null, region: null, regionVia: null, group: null, year: null, missing: null, text: { vi: '', en: '' } },
});
const pct = { code: '1.1', name: 'Tỷ lệ', kind: 'percent' as const, unit: '%', scale: null };

/** Dates 100 days apart from 2022-01-01. */
const dates = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2022, 0, 1) + i * 100 * 86_400_000).toISOString().slice(0, 10));

describe('theilSen', () => {
  it('is exact on a known series: median pairwise slope, median intercept', () => {
    // y = 2t + 1 except one point: slopes (pairs) 2,2,2,(5−1)/… — computed by hand below.
    const pts = [
      { t: 0, y: 1 },
      { t: 1, y: 3 },
      { t: 2, y: 5 },
      { t: 3, y: 10 },
    ];
    // Pairwise slopes: 2, 2, 3, 2, 3.5, 5 → median (2 + 3) / 2 = 2.5.
    const l = theilSen(pts);
    expect(l.slope).toBe(2.5);
    // y − 2.5t: 1, 0.5, 0, 2.5 → median 0.75.
    expect(l.intercept).toBe(0.75);
  });

  it('ignores one outlier', () => {
    const pts = [0, 1, 2, 3, 4, 5, 6].map((t) => ({ t, y: 10 + 3 * t }));
    pts[3] = { t: 3, y: 1000 };
    const l = theilSen(pts);
    expect(l.slope).toBe(3);
    expect(l.intercept).toBe(10);
  });
});

describe('forecastSeries', () => {
  it('projects a noiseless line exactly, with a zero-width band that contains the truth', () => {
    const ds = dates(5);
    const series = ds.map((on) => ({ on, value: 50 + 0.05 * (dayNumber(on) - dayNumber(ds[0]!)) }));
    const at = '2023-09-30';
    const truth = 50 + 0.05 * (dayNumber(at) - dayNumber(ds[0]!));
    const f = forecastSeries(series, at, { min: 0, max: 100 });
    expect(f.method).toBe('theil_sen');
    expect(f.point).toBeCloseTo(truth, 9);
    expect(f.low! - 1e-9).toBeLessThanOrEqual(truth);
    expect(f.high! + 1e-9).toBeGreaterThanOrEqual(truth);
    expect(f.slopePerYear).toBeCloseTo(0.05 * 365.25, 9);
  });

  it('widens the band with the horizon: w = q80 · (1 + h / S)', () => {
    const ds = dates(5); // S = 400 days
    const ys = [10, 12, 10, 12, 10];
    const series = ds.map((on, i) => ({ on, value: ys[i]! }));
    const near = forecastSeries(series, ds[4]!);
    const far = forecastSeries(series, new Date(Date.parse(`${ds[4]}T00:00:00Z`) + 400 * 86_400_000).toISOString().slice(0, 10));
    const wNear = (near.high! - near.low!) / 2;
    const wFar = (far.high! - far.low!) / 2;
    expect(wNear).toBeGreaterThan(0);
    expect(wFar).toBeCloseTo(2 * wNear, 9);
    // Slope 0 (pairwise slopes ±, median 0), intercept 10: residuals 0,2,0,2,0 → q80 = 2.
    expect(near.slopePerYear).toBe(0);
    expect(near.spread).toBe(2);
    expect(quantile([0, 2, 0, 2, 0], 0.8)).toBe(2);
  });

  it('clamps to the natural range: a rising percent stops at 100, a falling count at 0', () => {
    const ds = dates(4);
    const up = forecastSeries(
      ds.map((on, i) => ({ on, value: 70 + 10 * i })),
      '2026-01-01',
      { min: 0, max: 100 },
    );
    expect(up.point).toBe(100);
    expect(up.high).toBe(100);
    const down = forecastSeries(
      ds.map((on, i) => ({ on, value: 6 - 2 * i })),
      '2026-01-01',
      { min: 0, max: Number.POSITIVE_INFINITY },
    );
    expect(down.point).toBe(0);
    expect(down.low).toBe(0);
  });

  it('draws no trend through fewer than 3 points: persistence, band from the last change, none with one point', () => {
    const two = forecastSeries(
      [
        { on: '2022-01-01', value: 60 },
        { on: '2022-07-01', value: 70 },
      ],
      '2023-01-01',
    );
    expect(two.method).toBe('persistence');
    expect(two.point).toBe(70);
    expect(two.high! - two.point!).toBeGreaterThan(10);
    const one = forecastSeries([{ on: '2022-01-01', value: 60 }], '2023-01-01');
    expect(one).toMatchObject({ method: 'persistence', point: 60, low: null, high: null });
  });
});

describe('forecastIndicator', () => {
  const h = (pairs: Array<[string, number]>): IndicatorHistoryPoint[] => pairs.map(([on, v]) => ({ on, value: v, measured: v, met: null }));

  it('says what it projects, the band, the date and the target, in Vietnamese form', () => {
    const f = forecastIndicator(pct, target('>=', 80), h([
      ['2022-06-30', 70],
      ['2022-12-20', 73],
      ['2023-03-20', 75.5],
      ['2023-06-20', 76],
    ]), '2023-09-30');
    expect(f.method).toBe('theil_sen');
    expect(f.reason.vi).toMatch(/^Dự báo \d+(,\d)? % \(khoảng \d+(,\d)?–\d+(,\d)?; xu hướng 4 lần rà soát\) vào 30\/09\/2023, ngưỡng ≥ 80 %: /);
    expect(['uncertain', 'likely_unmet']).toContain(f.outlook);
  });

  it('likely met when the whole band is above a ≥ target; likely unmet when below', () => {
    const rising = h([
      ['2022-01-01', 90],
      ['2022-06-01', 91],
      ['2023-01-01', 92],
    ]);
    expect(forecastIndicator(pct, target('>=', 80), rising, '2023-06-01').outlook).toBe('likely_met');
    expect(forecastIndicator(pct, target('>=', 99), rising, '2023-06-01').outlook).toBe('likely_unmet');
    expect(forecastIndicator(pct, target('<=', 80), rising, '2023-06-01').outlook).toBe('likely_unmet');
  });

  it('booleans carry the last status forward, stated', () => {
    const f = forecastIndicator({ code: 'b', name: 'B', kind: 'boolean', unit: null, scale: null }, target('is', true), [{ on: '2023-03-20', value: false, measured: null, met: false }], '2023-09-30');
    expect(f).toMatchObject({ method: 'persistence', outlook: 'likely_unmet' });
    expect(f.reason.vi).toContain('Giữ nguyên kết quả lần rà soát 20/03/2023');
  });

  it('one value: not enough data, outlook unknown', () => {
    const f = forecastIndicator(pct, target('>=', 80), h([['2023-03-20', 70]]), '2023-09-30');
    expect(f.outlook).toBe('unknown');
    expect(f.reason.vi).toContain('không đủ dữ liệu');
  });
});

describe('back-test', () => {
  it('holds out the last value and compares with persistence', () => {
    const ds = dates(5);
    const c = backtestSeries(pct, target('>=', 80), ds.map((on, i) => ({ on, value: 60 + 5 * i })))!;
    expect(c.actual).toBe(80);
    expect(c.point).toBeCloseTo(80, 9);
    expect(c.covered).toBe(true);
    expect(c.persistence.absError).toBe(5);
    expect(c.actualMet).toBe(true);
    const s = summariseBacktest([c]);
    expect(s).toMatchObject({ n: 1, nShare: 1, coverage: 1 });
    expect(s.maeShare!).toBeCloseTo(0, 9);
    expect(s.persistence.maeShare!).toBeCloseTo(5 / 80, 9);
  });

  it('needs four points', () => {
    expect(backtestSeries(pct, target('>=', 80), dates(3).map((on) => ({ on, value: 1 })))).toBeNull();
  });
});

describe('readinessOf', () => {
  it('at risk if any indicator likely unmet; uncertain if any uncertain', () => {
    expect(readinessOf(['likely_met', 'likely_unmet', 'uncertain'])).toBe('at_risk');
    expect(readinessOf(['likely_met', 'uncertain', 'unknown'])).toBe('uncertain');
    expect(readinessOf(['likely_met', 'unknown'])).toBe('likely_ready');
    expect(readinessOf([])).toBe('unknown');
  });
});
