/**
 * Compound indicators (all of several conditions) and targets that depend on a reported fact
 * (`byAttribute`, e.g. the number of schools): a grid over the conditions' outcomes, properties
 * (a compound is met exactly when every condition is; batch = single), and the shipped criterion 5.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommuneProfile, IndicatorCondition, IndicatorTarget, IndicatorValues, TargetValueSpec } from './criteria.ts';
import { evaluateBatch, evaluateCommune } from './evaluation.ts';
import { validateValues } from './value-validation.ts';
import { criteriaSet, criterion, indicator } from '../test-support/criteria.ts';
import { getCatalog } from '../catalog/catalog.ts';

const AS_OF = '2024-06-30';
const target = (op: IndicatorTarget['op'], value: TargetValueSpec): IndicatorTarget => ({ op, value, setBy: 'test-set', override: false, derivedFrom: null });

const SCHOOLS: TargetValueSpec = { byAttribute: { attribute: 'so_truong', bands: [{ max: 3, value: 50 }, { min: 4, value: 70 }] } };
const conditions: IndicatorCondition[] = [
  { code: 'toi_thieu', name: 'Tối thiểu', kind: 'percent', unit: '%', target: target('>=', 100) },
  { code: 'muc_do_1', name: 'Mức độ 1', kind: 'percent', unit: '%', target: target('>=', { byRegion: { DBSH: 100, TN: SCHOOLS } }) },
];
const set = criteriaSet([criterion('5', [indicator({ code: '5', kind: 'compound', conditions })]), criterion('6', [indicator({ code: '6.1' })])], {
  attributes: [{ code: 'so_truong', name: 'Số trường', unit: 'trường' }],
});
const TN = { code: 'x', name: 'X', region: 'TN' as const };
const five = (values: IndicatorValues, commune: CommuneProfile = TN) => evaluateCommune(set, commune, AS_OF, values).criteria[0]!.indicators[0]!;

describe('compound indicator: every condition must be met', () => {
  // [toi_thieu, muc_do_1, so_truong] → status
  const grid: Array<[number | null, number | null, number | null, string]> = [
    [100, 70, 4, 'met'],
    [100, 69, 4, 'not_met'], // more than 3 schools: ≥70%
    [100, 50, 3, 'met'], // 3 schools or fewer: ≥50%
    [100, 49, 3, 'not_met'],
    [99, 100, 4, 'not_met'], // minimum standard fails
    [99, null, 4, 'not_met'], // a failing condition decides even with another missing
    [100, null, 4, 'not_evaluable'],
    [null, null, 4, 'not_evaluable'],
    [100, 80, null, 'not_evaluable'], // the level-1 target depends on the school count, not reported
  ];
  it.each(grid)('toi_thieu %s, muc_do_1 %s, so_truong %s → %s', (a, b, n, status) => {
    const v = five({ '5.toi_thieu': a, '5.muc_do_1': b, so_truong: n });
    expect(v.status).toBe(status);
    expect(v.conditions).toHaveLength(2);
  });

  it('explains each condition, with the attribute that chose the threshold', () => {
    const v = five({ '5.toi_thieu': 100, '5.muc_do_1': 60, so_truong: 5 });
    expect(v.conditions!.map((c) => [c.code, c.status, c.target.value, c.gap])).toEqual([
      ['5.toi_thieu', 'met', 100, 0],
      ['5.muc_do_1', 'not_met', 70, 10],
    ]);
    expect(v.conditions![1]!.target.basis.text.vi).toContain('so_truong = 5');
    expect(v.reason.vi).toContain('Mức độ 1');
    const missing = five({ '5.toi_thieu': 100, '5.muc_do_1': 60 });
    expect(missing.conditions![1]!.target.basis.missing).toBe('attribute');
    expect(missing.conditions![1]!.reason.en).toContain('"so_truong", which the commune has not reported');
  });

  it('uses the region first, then the attribute (ĐBSH: 100% at level 1 whatever the count)', () => {
    expect(five({ '5.toi_thieu': 100, '5.muc_do_1': 90, so_truong: 2 }, { code: 'y', name: 'Y', region: 'DBSH' }).status).toBe('not_met');
    expect(five({ '5.toi_thieu': 100, '5.muc_do_1': 100 }, { code: 'y', name: 'Y', region: 'DBSH' }).status).toBe('met');
  });

  it('refuses a value on the compound code itself and checks each condition by its kind', () => {
    expect(five({ '5': 100, '5.toi_thieu': 100, '5.muc_do_1': 100, so_truong: 1 }).status).toBe('not_evaluable');
    const problems = validateValues(set, { '5': 100, '5.toi_thieu': 120, so_truong: -1, '5.khac': 1 });
    expect(problems.map((p) => [p.code, p.error])).toEqual([
      ['5', 'invalid_value'],
      ['5.toi_thieu', 'invalid_value'],
      ['so_truong', 'invalid_value'],
      ['5.khac', 'unknown_indicator'],
    ]);
    expect(problems[0]!.message.en).toContain('"5.toi_thieu", "5.muc_do_1"');
    expect(validateValues(set, { '5.toi_thieu': 100, '5.muc_do_1': { numerator: 1, denominator: 2 } }).map((p) => p.code)).toEqual(['5.muc_do_1']);
    expect(evaluateCommune(set, TN, AS_OF, { so_truong: 2, '5.toi_thieu': 1 }).unknownCodes).toEqual([]);
  });
});

describe('compound properties', () => {
  const pct = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });
  const entry = fc.record({ a: pct, b: pct, n: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }) });

  it('is met exactly when every condition is met, and not met when any condition is not met', () => {
    fc.assert(
      fc.property(entry, ({ a, b, n }) => {
        const v = five({ '5.toi_thieu': a, '5.muc_do_1': b, so_truong: n });
        const statuses = v.conditions!.map((c) => c.status);
        if (statuses.every((s) => s === 'met')) expect(v.status).toBe('met');
        else if (statuses.includes('not_met')) expect(v.status).toBe('not_met');
        else expect(v.status).toBe('not_evaluable');
      }),
    );
  });

  it('gives the same statuses in a batch (compiled per school count) as one by one', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        const batch = evaluateBatch(
          set,
          AS_OF,
          entries.map((e) => ({ commune: TN, values: { '5.toi_thieu': e.a, '5.muc_do_1': e.b, so_truong: e.n } })),
        );
        entries.forEach((e, k) => {
          const single = evaluateCommune(set, TN, AS_OF, { '5.toi_thieu': e.a, '5.muc_do_1': e.b, so_truong: e.n });
          expect(batch.communes[k]!.totals).toEqual(single.totals);
        });
      }),
    );
  });
});

describe('criterion 5 of the shipped basic set (QĐ 1491/QĐ-BGDĐT, secondary)', () => {
  const basic = getCatalog().at('xa-ntm-2021-2025', '2023-06-01');
  const evaluate = (region: 'TN' | 'DBSH', values: IndicatorValues) =>
    evaluateCommune(basic, { code: 'x', name: 'X', region }, '2023-06-01', values).criteria.find((c) => c.code === '5')!;
  it('applies 70% / 50% by school count outside ĐBSH and ĐNB, 100% at level 1 in ĐBSH', () => {
    expect(evaluate('TN', { '5.toi_thieu': 100, '5.muc_do_1': 70, so_truong: 5 }).status).toBe('met');
    expect(evaluate('TN', { '5.toi_thieu': 100, '5.muc_do_1': 60, so_truong: 5 }).status).toBe('not_met');
    expect(evaluate('TN', { '5.toi_thieu': 100, '5.muc_do_1': 60, so_truong: 3 }).status).toBe('met');
    expect(evaluate('DBSH', { '5.toi_thieu': 100, '5.muc_do_1': 90, so_truong: 3 }).status).toBe('not_met');
    expect(basic.criteria.find((c) => c.code === '5')!.indicators[0]!.provenance.level).toBe('secondary');
  });
});
