import { describe, expect, it } from 'vitest';
import type { CommuneProfile, IndicatorValue, IndicatorValues, VerdictStatus } from './criteria.ts';
import { isDomainError } from './errors.ts';
import { evaluateBatch, evaluateCommune, summaryLineEn, summaryLineVi } from './evaluation.ts';
import type { BatchEntry } from './evaluation.ts';
import type { IndicatorSpec } from '../test-support/criteria.ts';
import { criteriaSet, criterion, indicator, singleIndicatorSet } from '../test-support/criteria.ts';

const DBSH: CommuneProfile = { code: '13510', name: 'Tràng An', region: 'DBSH' };
const AS_OF = '2023-03-20';

function statusOf(spec: IndicatorSpec, value: IndicatorValue | undefined, extra: IndicatorValues = {}, commune = DBSH) {
  const set = singleIndicatorSet(spec);
  const values: Record<string, IndicatorValue> = { ...extra };
  if (value !== undefined) values[spec.code] = value;
  return evaluateCommune(set, commune, AS_OF, values).criteria[0]!.indicators[0]!;
}

type Row = [string, IndicatorSpec, IndicatorValue | undefined, VerdictStatus];

const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** Kinds × comparators × edge values: boundary equal, just beyond, missing, wrong type, out of range. */
const GRID: Row[] = [
  ['percent ≥ at the boundary', { code: 'p', kind: 'percent', op: '>=', value: 95 }, 95, 'met'],
  ['percent ≥ just below', { code: 'p', kind: 'percent', op: '>=', value: 95 }, 94.99, 'not_met'],
  ['percent ≥ above', { code: 'p', kind: 'percent', op: '>=', value: 95 }, 100, 'met'],
  ['percent ≥ missing', { code: 'p', kind: 'percent', op: '>=', value: 95 }, undefined, 'not_evaluable'],
  ['percent ≥ null', { code: 'p', kind: 'percent', op: '>=', value: 95 }, null, 'not_evaluable'],
  ['percent ≥ text', { code: 'p', kind: 'percent', op: '>=', value: 95 }, '96', 'not_evaluable'],
  ['percent ≥ over 100', { code: 'p', kind: 'percent', op: '>=', value: 95 }, 101, 'not_evaluable'],
  ['percent ≥ negative', { code: 'p', kind: 'percent', op: '>=', value: 95 }, -1, 'not_evaluable'],
  ['percent ≤ at the boundary', { code: 'p', kind: 'percent', op: '<=', value: 15 }, 15, 'met'],
  ['percent ≤ just above', { code: 'p', kind: 'percent', op: '<=', value: 15 }, 15.01, 'not_met'],
  ['percent ≤ zero', { code: 'p', kind: 'percent', op: '<=', value: 15 }, 0, 'met'],
  ['percent = equal', { code: 'p', kind: 'percent', op: '=', value: 100 }, 100, 'met'],
  ['percent = just below', { code: 'p', kind: 'percent', op: '=', value: 100 }, 99.9, 'not_met'],
  ['number ≥ at the boundary', { code: 'n', kind: 'number', op: '>=', value: 64 }, 64, 'met'],
  ['number ≥ just below', { code: 'n', kind: 'number', op: '>=', value: 64 }, 63.99, 'not_met'],
  ['number ≥ negative', { code: 'n', kind: 'number', op: '>=', value: 64 }, -5, 'not_evaluable'],
  ['number ≥ Infinity', { code: 'n', kind: 'number', op: '>=', value: 64 }, Number.POSITIVE_INFINITY, 'not_evaluable'],
  ['number ≥ NaN', { code: 'n', kind: 'number', op: '>=', value: 64 }, Number.NaN, 'not_evaluable'],
  ['number ≥ boolean', { code: 'n', kind: 'number', op: '>=', value: 64 }, true, 'not_evaluable'],
  ['number ≤ at the boundary', { code: 'n', kind: 'number', op: '<=', value: 2 }, 2, 'met'],
  ['number ≤ just above', { code: 'n', kind: 'number', op: '<=', value: 2 }, 2.01, 'not_met'],
  ['number = equal', { code: 'n', kind: 'number', op: '=', value: 1 }, 1, 'met'],
  ['number = other', { code: 'n', kind: 'number', op: '=', value: 1 }, 2, 'not_met'],
  ['ratio ≥ at the boundary', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, r(90, 100), 'met'],
  ['ratio ≥ just below', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, r(899, 1000), 'not_met'],
  ['ratio ≥ rounding noise', { code: 'r', kind: 'ratio', op: '>=', value: 33.3 }, r(333, 1000), 'met'],
  ['ratio ≥ zero denominator', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, r(0, 0), 'not_evaluable'],
  ['ratio ≥ zero denominator (set says n/a)', { code: 'r', kind: 'ratio', op: '>=', value: 90, zeroDenominator: 'not_applicable' }, r(0, 0), 'not_applicable'],
  ['ratio ≥ numerator > denominator', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, r(11, 10), 'not_evaluable'],
  ['ratio ≥ plain number', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, 95, 'not_evaluable'],
  ['ratio ≥ missing', { code: 'r', kind: 'ratio', op: '>=', value: 90 }, undefined, 'not_evaluable'],
  ['ratio ≤ at the boundary', { code: 'r', kind: 'ratio', op: '<=', value: 10 }, r(1, 10), 'met'],
  ['ratio ≤ just above', { code: 'r', kind: 'ratio', op: '<=', value: 10 }, r(101, 1000), 'not_met'],
  ['ratio = 100%', { code: 'r', kind: 'ratio', op: '=', value: 100 }, r(7, 7), 'met'],
  ['ratio = below', { code: 'r', kind: 'ratio', op: '=', value: 100 }, r(6, 7), 'not_met'],
  ['grade ≥ equal', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 'hoàn thành tốt', 'met'],
  ['grade ≥ above', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 'hoàn thành xuất sắc', 'met'],
  ['grade ≥ one below', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 'hoàn thành', 'not_met'],
  ['grade ≥ folded spelling', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 'HOAN THANH TOT', 'met'],
  ['grade ≥ not on the scale', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 'giỏi', 'not_evaluable'],
  ['grade ≥ number', { code: 'g', kind: 'grade', op: '>=', value: 'hoàn thành tốt' }, 2, 'not_evaluable'],
  ['grade ≤ equal', { code: 'g', kind: 'grade', op: '<=', value: 'hoàn thành' }, 'hoàn thành', 'met'],
  ['grade ≤ above', { code: 'g', kind: 'grade', op: '<=', value: 'hoàn thành' }, 'hoàn thành tốt', 'not_met'],
  ['grade = other', { code: 'g', kind: 'grade', op: '=', value: 'hoàn thành' }, 'hoàn thành tốt', 'not_met'],
  ['boolean true', { code: 'b', kind: 'boolean' }, true, 'met'],
  ['boolean false', { code: 'b', kind: 'boolean' }, false, 'not_met'],
  ['boolean text', { code: 'b', kind: 'boolean' }, 'true', 'not_evaluable'],
  ['boolean 1', { code: 'b', kind: 'boolean' }, 1, 'not_evaluable'],
  ['boolean is false, false', { code: 'b', kind: 'boolean', value: false }, false, 'met'],
  ['none_count zero', { code: 'z', kind: 'none_count' }, 0, 'met'],
  ['none_count one', { code: 'z', kind: 'none_count' }, 1, 'not_met'],
  ['none_count negative', { code: 'z', kind: 'none_count' }, -1, 'not_evaluable'],
  ['none_count fraction', { code: 'z', kind: 'none_count' }, 0.5, 'not_evaluable'],
  ['target null (province)', { code: 'p', kind: 'percent', value: null }, 99, 'not_evaluable'],
];

describe('evaluateCommune: kinds × comparators × edge values', () => {
  it.each(GRID)('%s', (_label, spec, value, expected) => {
    expect(statusOf(spec, value).status).toBe(expected);
  });

  it.each(['boolean', 'percent', 'number', 'ratio', 'grade', 'none_count'] as const)('a "(nếu có)" %s indicator is not applicable when its flag is false', (kind) => {
    const v = statusOf({ code: 'x', kind, applicableIf: { flag: 'has_craft' } }, undefined, { has_craft: false });
    expect(v.status).toBe('not_applicable');
    expect(v.reason.vi).toContain('Xã có nghề truyền thống');
    expect(v.reason.en).toContain('Not applicable');
  });

  it('a "(nếu có)" indicator applies when the flag is true or unanswered', () => {
    expect(statusOf({ code: 'x', kind: 'boolean', applicableIf: { flag: 'has_craft' } }, true, { has_craft: true }).status).toBe('met');
    expect(statusOf({ code: 'x', kind: 'boolean', applicableIf: { flag: 'has_craft' } }, false).status).toBe('not_met');
    expect(statusOf({ code: 'x', kind: 'boolean', applicableIf: { flag: 'has_craft' } }, undefined).status).toBe('not_evaluable');
  });
});

describe('gap, measured value and reason', () => {
  it('gives the gap in the unit: ≥ shortfall, ≤ excess, 0 when met', () => {
    expect(statusOf({ code: 'p', kind: 'percent', op: '>=', value: 95 }, 80).gap).toBe(15);
    expect(statusOf({ code: 'p', kind: 'percent', op: '<=', value: 15 }, 20.5).gap).toBe(5.5);
    expect(statusOf({ code: 'p', kind: 'percent', op: '>=', value: 95 }, 97).gap).toBe(0);
    expect(statusOf({ code: 'z', kind: 'none_count' }, 3).gap).toBe(3);
    expect(statusOf({ code: 'b', kind: 'boolean' }, false).gap).toBeNull();
    expect(statusOf({ code: 'p', kind: 'percent' }, null).gap).toBeNull();
  });

  it('measures a ratio as a percent and a grade by rank (gap in steps)', () => {
    const ratio = statusOf({ code: 'r', kind: 'ratio', value: 90 }, r(45, 60));
    expect(ratio.measured).toBe(75);
    expect(ratio.gap).toBe(15);
    const grade = statusOf({ code: 'g', kind: 'grade', value: 'hoàn thành xuất sắc' }, 'hoàn thành');
    expect(grade.measured).toBe(1);
    expect(grade.gap).toBe(2);
  });

  it('explains a miss in both languages with value, comparator and target', () => {
    const v = statusOf({ code: 'p', kind: 'percent', op: '>=', value: 95, unit: '% hộ' }, 80.5);
    expect(v.reason.vi).toBe('Chưa đạt: 80,5% hộ < 95% hộ (chênh 14,5% hộ).');
    expect(v.reason.en).toBe('Not met: 80.5% hộ < 95% hộ (gap 14.5% hộ).');
  });

  it('names the missing data, the invalid value and the zero denominator', () => {
    expect(statusOf({ code: 'p', kind: 'percent' }, null).reason).toEqual({ vi: 'Chưa có số liệu.', en: 'No data yet.' });
    const invalid = statusOf({ code: 'p', kind: 'percent' }, 'abc').reason;
    expect(invalid.vi).toContain('Giá trị không hợp lệ');
    expect(invalid.en).toContain('Invalid value');
    expect(statusOf({ code: 'r', kind: 'ratio' }, r(0, 0)).reason.en).toContain('denominator is 0');
  });
});

describe('which target applies (region, special status, group, year, province)', () => {
  const byRegion = { code: 't', kind: 'percent' as const, value: { byRegion: { DBSH: 100, TDMNPB: 70 } } };

  it('uses the commune region and says so', () => {
    const v = statusOf(byRegion, 80);
    expect(v.status).toBe('not_met');
    expect(v.target.value).toBe(100);
    expect(v.target.basis.region).toBe('DBSH');
    expect(v.target.basis.text.vi).toContain('vùng DBSH');
  });

  it('switches đặc biệt khó khăn and ATK communes to TDMNPB thresholds', () => {
    for (const special of ['dbkk', 'atk'] as const) {
      const v = statusOf(byRegion, 80, {}, { ...DBSH, special });
      expect(v.status).toBe('met');
      expect(v.target.value).toBe(70);
      expect(v.target.basis.regionVia).toBe(special);
      expect(v.target.basis.text.en).toContain('uses the TDMNPB thresholds');
    }
  });

  it('is not evaluable when the target varies by region and the commune has none', () => {
    const v = statusOf(byRegion, 80, {}, { code: 'x', name: 'X' });
    expect(v.status).toBe('not_evaluable');
    expect(v.target.basis.missing).toBe('region');
    expect(v.reason.vi).toContain('xã chưa có vùng');
    expect(v.reason.en).toContain('commune has no region');
  });

  it('is not evaluable when the region has no value yet (to be set by the province)', () => {
    const v = statusOf(byRegion, 80, {}, { code: 'x', name: 'X', region: 'TN' });
    expect(v.status).toBe('not_evaluable');
    expect(v.target.basis.missing).toBe('value');
    expect(v.reason.en).toContain('to be set by the province');
  });

  it('uses the commune group (2026–2030) and needs one', () => {
    const spec = { code: 'g', kind: 'percent' as const, value: { byGroup: { '1': 95, '2': 90, '3': 80 } } };
    expect(statusOf(spec, 85, {}, { code: 'x', name: 'X', group: 3 }).status).toBe('met');
    expect(statusOf(spec, 85, {}, { code: 'x', name: 'X', group: 2 }).status).toBe('not_met');
    expect(statusOf(spec, 85, {}, { code: 'x', name: 'X', group: 1 }).target.basis.group).toBe(1);
    const none = statusOf(spec, 85, {}, { code: 'x', name: 'X' });
    expect(none.status).toBe('not_evaluable');
    expect(none.target.basis.missing).toBe('group');
  });

  it('uses the year of the evaluation date, and nested region × year tables', () => {
    const spec = { code: '10', kind: 'number' as const, value: { byRegion: { DBSH: { byYear: { '2022': 54, '2023': 58 } } } } };
    const set = singleIndicatorSet(spec);
    const v2022 = evaluateCommune(set, DBSH, '2022-12-31', { '10': 56 }).criteria[0]!.indicators[0]!;
    const v2023 = evaluateCommune(set, DBSH, '2023-01-01', { '10': 56 }).criteria[0]!.indicators[0]!;
    expect([v2022.status, v2023.status]).toEqual(['met', 'not_met']);
    expect(v2023.target.basis.year).toBe(2023);
    expect(v2023.target.basis.text.vi).toContain('năm 2023');
    const v2024 = evaluateCommune(set, DBSH, '2024-05-01', { '10': 99 }).criteria[0]!.indicators[0]!;
    expect(v2024.status).toBe('not_evaluable');
    expect(v2024.target.basis.missing).toBe('year');
  });

  it('reports a provincial override in the basis', () => {
    const v = statusOf({ code: 'p', kind: 'percent', value: 90, setBy: 'tinh-x', override: true }, 95);
    expect(v.target.basis.override).toBe(true);
    expect(v.target.basis.setId).toBe('tinh-x');
    expect(v.target.basis.text.en).toContain('provincial override by set tinh-x');
  });
});

describe('criteria, totals, level and unmet list', () => {
  const set = criteriaSet(
    [
      criterion('1', [indicator({ code: '1.1' }), indicator({ code: '1.2', kind: 'percent', value: 90 })]),
      criterion('2', [indicator({ code: '2.1' }), indicator({ code: '2.2', applicableIf: { flag: 'has_craft' } })], { critical: true }),
      criterion('3', [indicator({ code: '3.1', applicableIf: { flag: 'has_craft' } })]),
      criterion('4', []),
    ],
    { level: 'nang-cao', requires: ['ntm'] },
  );

  it('a criterion is met only when all its applicable indicators are', () => {
    const v = evaluateCommune(set, DBSH, AS_OF, { '1.1': true, '1.2': 89, '2.1': true, has_craft: false });
    expect(v.criteria.map((c) => c.status)).toEqual(['not_met', 'met', 'not_applicable', 'not_evaluable']);
    expect(v.criteria[1]!.indicatorsTotal).toBe(1);
    expect(v.criteria[3]!.reason.en).toBe('Not evaluable: to be entered by the province');
  });

  it('totals leave out not-applicable indicators and criteria', () => {
    const v = evaluateCommune(set, DBSH, AS_OF, { '1.1': true, '1.2': 89, '2.1': true, has_craft: false });
    expect(v.totals).toEqual({
      criteriaMet: 1,
      criteriaTotal: 3,
      criteriaNotEvaluable: 1,
      criteriaNotApplicable: 1,
      indicatorsMet: 2,
      indicatorsTotal: 3,
      notEvaluable: 0,
      notApplicable: 2,
    });
  });

  it('lists unmet criteria with their unmet indicators, target and reason', () => {
    const v = evaluateCommune(set, DBSH, AS_OF, { '1.1': true, '1.2': 89, '2.1': true, has_craft: false });
    expect(v.unmet.map((c) => c.code)).toEqual(['1', '4']);
    expect(v.unmet[0]!.indicators).toEqual([
      expect.objectContaining({ code: '1.2', status: 'not_met', value: 89, target: { op: '>=', value: 90 }, gap: 1 }),
    ]);
  });

  it('reaches the level only when the standard is met and the prerequisites are held', () => {
    const full = criteriaSet([criterion('1', [indicator({ code: '1.1' })])], { level: 'nang-cao', requires: ['ntm'] });
    const without = evaluateCommune(full, DBSH, AS_OF, { '1.1': true });
    expect(without.meetsStandard).toBe(true);
    expect(without.level).toBeNull();
    expect(without.prerequisites).toEqual({ required: ['ntm'], held: [], missing: ['ntm'], satisfied: false });
    expect(evaluateCommune(full, DBSH, AS_OF, { '1.1': true }, { recognisedLevels: ['ntm'] }).level).toBe('nang-cao');
    // A higher recognised level implies the lower ones.
    expect(evaluateCommune(full, DBSH, AS_OF, { '1.1': true }, { recognisedLevels: ['kieu-mau'] }).level).toBe('nang-cao');
    expect(evaluateCommune(full, DBSH, AS_OF, { '1.1': false }, { recognisedLevels: ['ntm'] }).level).toBeNull();
  });

  it('reports keys that are neither indicators nor flags', () => {
    const v = evaluateCommune(set, DBSH, AS_OF, { '9.9': 1, has_craft: true });
    expect(v.unknownCodes).toEqual(['9.9']);
  });

  it('refuses a malformed date or one outside the set validity (bilingual)', () => {
    for (const [date, code] of [['2023-02-30', 'invalid_value'], ['2021-12-31', 'date_outside_set_validity'], ['2026-01-01', 'date_outside_set_validity']] as const) {
      try {
        evaluateCommune(set, DBSH, date, {});
        expect.unreachable();
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe(code);
        if (isDomainError(e)) {
          expect(e.messageVi).toContain(code === 'invalid_value' ? date : `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`);
          expect(e.message).toContain(date);
          // The set by its name, not its id (issue 14.5).
          if (code === 'date_outside_set_validity') {
            expect(e.messageVi).toContain(set.name);
            expect(e.messageVi).not.toContain(set.id);
          }
        }
      }
    }
  });
});

describe('summary lines', () => {
  it('says what the committee says', () => {
    const input = {
      totals: { criteriaMet: 13, criteriaTotal: 19, indicatorsMet: 64, indicatorsTotal: 75, notEvaluable: 0 },
      unmet: [{ name: 'Giáo dục' }, { name: 'Y tế' }],
    };
    expect(summaryLineVi(input)).toBe('Đạt 13/19 tiêu chí, 64/75 chỉ tiêu; còn 6 tiêu chí, 11 chỉ tiêu chưa đạt: Giáo dục, Y tế.');
    expect(summaryLineEn(input)).toBe('Meets 13/19 criteria, 64/75 indicators; 6 criteria, 11 indicators not yet met: Giáo dục, Y tế.');
  });

  it('is short when everything is met, and counts the not evaluable ones', () => {
    const all = { totals: { criteriaMet: 19, criteriaTotal: 19, indicatorsMet: 75, indicatorsTotal: 75, notEvaluable: 0 }, unmet: [] };
    expect(summaryLineVi(all)).toBe('Đạt 19/19 tiêu chí, 75/75 chỉ tiêu.');
    const ne = { totals: { criteriaMet: 18, criteriaTotal: 19, indicatorsMet: 73, indicatorsTotal: 75, notEvaluable: 2 }, unmet: [{ name: 'Thu nhập' }] };
    expect(summaryLineVi(ne)).toContain('(trong đó 2 chỉ tiêu chưa đánh giá được)');
    expect(summaryLineEn(ne)).toContain('(of which 2 indicators not evaluable)');
  });

  it('counts in English as English does: 1 criterion, 1 indicator', () => {
    const one = { totals: { criteriaMet: 18, criteriaTotal: 19, indicatorsMet: 74, indicatorsTotal: 75, notEvaluable: 1 }, unmet: [{ name: 'Môi trường' }] };
    expect(summaryLineEn(one)).toBe('Meets 18/19 criteria, 74/75 indicators; 1 criterion, 1 indicator not yet met (of which 1 indicator not evaluable): Môi trường.');
  });
});

describe('evaluateBatch', () => {
  it('gives the same statuses and totals as evaluateCommune, commune by commune', () => {
    const set = criteriaSet([
      criterion('1', [indicator({ code: '1.1', kind: 'percent', value: { byRegion: { DBSH: 90, TDMNPB: 60 } } }), indicator({ code: '1.2' })]),
      criterion('2', [indicator({ code: '2.1', kind: 'ratio', value: 50 })]),
    ]);
    const entries: BatchEntry[] = [
      { commune: DBSH, values: { '1.1': 80, '1.2': true, '2.1': r(1, 2) } },
      { commune: { ...DBSH, special: 'dbkk' as const }, values: { '1.1': 80, '1.2': true, '2.1': r(1, 2) } },
      { commune: { code: 'x', name: 'X' }, values: { '1.2': false } },
    ];
    const batch = evaluateBatch(set, AS_OF, entries);
    entries.forEach((e, k) => {
      const single = evaluateCommune(set, e.commune, AS_OF, e.values);
      expect(batch.communes[k]!.totals).toEqual(single.totals);
      expect(batch.communes[k]!.meetsStandard).toBe(single.meetsStandard);
    });
    expect(batch.communes.map((c) => c.meetsStandard)).toEqual([false, true, false]);
    expect(batch.indicatorCodes).toEqual(['1.1', '1.2', '2.1']);
  });
});
