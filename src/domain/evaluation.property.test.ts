import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommuneProfile, CriteriaSet, Indicator, IndicatorKind, IndicatorValue, TargetOp, TargetValueSpec } from './criteria.ts';
import { REGION_CODES } from './criteria.ts';
import { evaluateBatch, evaluateCommune, evaluateFigures } from './evaluation.ts';
import { criteriaSet, criterion, GRADE_SCALE, indicator, singleIndicatorSet } from '../test-support/criteria.ts';

const AS_OF = '2024-06-30';
const ratio = (numerator: number, denominator: number) => ({ numerator, denominator });

const kindArb = fc.constantFrom<IndicatorKind>('boolean', 'percent', 'number', 'ratio', 'grade', 'none_count');
const numericOp = fc.constantFrom<TargetOp>('>=', '<=', '=');

/** A target for a kind: sometimes by region, sometimes unset (province). */
function targetArb(kind: IndicatorKind): fc.Arbitrary<{ op: TargetOp; value: TargetValueSpec }> {
  const leaf: fc.Arbitrary<TargetValueSpec> =
    kind === 'boolean'
      ? fc.boolean()
      : kind === 'grade'
        ? fc.constantFrom(...GRADE_SCALE)
        : kind === 'none_count'
          ? fc.constant(0)
          : fc.integer({ min: 0, max: 100 });
  const spec = fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.record({ DBSH: leaf, TDMNPB: leaf }).map((byRegion) => ({ byRegion })) },
  );
  const op = kind === 'boolean' ? fc.constant<TargetOp>('is') : kind === 'none_count' ? fc.constant<TargetOp>('=') : numericOp;
  return fc.record({ op, value: spec });
}

/** Values for a kind: mostly valid, sometimes missing, sometimes of the wrong type. */
function valueArb(kind: IndicatorKind): fc.Arbitrary<IndicatorValue | undefined> {
  const valid: fc.Arbitrary<IndicatorValue> =
    kind === 'boolean'
      ? fc.boolean()
      : kind === 'grade'
        ? fc.constantFrom(...GRADE_SCALE)
        : kind === 'none_count'
          ? fc.integer({ min: 0, max: 3 })
          : kind === 'ratio'
            ? fc.integer({ min: 0, max: 50 }).chain((d) => fc.integer({ min: 0, max: d }).map((n) => ratio(n, d)))
            : fc.double({ min: 0, max: 100, noNaN: true });
  return fc.oneof(
    { weight: 8, arbitrary: valid },
    { weight: 1, arbitrary: fc.constantFrom<IndicatorValue | undefined>(null, undefined) },
    { weight: 1, arbitrary: fc.constantFrom<IndicatorValue>('x', -1, true, ratio(3, 2)) },
  );
}

interface Generated {
  set: CriteriaSet;
  values: Record<string, IndicatorValue>;
  commune: CommuneProfile;
}

const indicatorArb = (code: string): fc.Arbitrary<{ ind: Indicator; value: IndicatorValue | undefined }> =>
  kindArb.chain((kind) =>
    fc.record({
      target: targetArb(kind),
      conditional: fc.boolean(),
      zeroNa: fc.boolean(),
      value: valueArb(kind),
    }).map(({ target, conditional, zeroNa, value }) => ({
      ind: indicator({
        code,
        kind,
        op: target.op,
        value: target.value,
        applicableIf: conditional ? { flag: 'has_craft' } : null,
        zeroDenominator: zeroNa ? 'not_applicable' : 'not_evaluable',
      }),
      value,
    })),
  );

const generatedArb: fc.Arbitrary<Generated> = fc
  .array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 })
  .chain((sizes) =>
    fc.record({
      criteria: fc.tuple(...sizes.map((n, c) => fc.tuple(...Array.from({ length: n }, (_, i) => indicatorArb(`${c + 1}.${i + 1}`))))),
      flag: fc.constantFrom<boolean | undefined>(true, false, undefined),
      region: fc.constantFrom(null, ...REGION_CODES),
      special: fc.constantFrom(null, 'dbkk' as const),
      critical: fc.array(fc.boolean(), { minLength: sizes.length, maxLength: sizes.length }),
    }),
  )
  .map(({ criteria, flag, region, special, critical }) => {
    const values: Record<string, IndicatorValue> = {};
    if (flag !== undefined) values.has_craft = flag;
    const set = criteriaSet(
      criteria.map((inds, c) => {
        for (const { ind, value } of inds) if (value !== undefined) values[ind.code] = value;
        return criterion(String(c + 1), inds.map((x) => x.ind), { critical: critical[c] ?? false });
      }),
    );
    return { set, values, commune: { code: 'x', name: 'X', region, special } };
  });

describe('engine properties', () => {
  it('is deterministic, and a fresh copy of the set gives the same verdict', () => {
    fc.assert(
      fc.property(generatedArb, ({ set, values, commune }) => {
        const a = evaluateCommune(set, commune, AS_OF, values);
        const b = evaluateCommune(set, commune, AS_OF, values);
        const c = evaluateCommune(structuredClone(set), commune, AS_OF, structuredClone(values));
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('criterion met ⇔ it has applicable indicators and all of them are met', () => {
    fc.assert(
      fc.property(generatedArb, ({ set, values, commune }) => {
        for (const c of evaluateCommune(set, commune, AS_OF, values).criteria) {
          const applicable = c.indicators.filter((i) => i.status !== 'not_applicable');
          const allMet = applicable.length > 0 && applicable.every((i) => i.status === 'met');
          expect(c.status === 'met').toBe(allMet);
          expect(c.status === 'not_met').toBe(applicable.some((i) => i.status === 'not_met'));
          expect(c.status === 'not_applicable').toBe(c.indicators.length > 0 && applicable.length === 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('totals add up', () => {
    fc.assert(
      fc.property(generatedArb, ({ set, values, commune }) => {
        const v = evaluateCommune(set, commune, AS_OF, values);
        const inds = v.criteria.flatMap((c) => c.indicators);
        const count = (s: string) => inds.filter((i) => i.status === s).length;
        const t = v.totals;
        expect(t.indicatorsMet).toBe(count('met'));
        expect(t.notEvaluable).toBe(count('not_evaluable'));
        expect(t.notApplicable).toBe(count('not_applicable'));
        expect(t.indicatorsTotal).toBe(inds.length - t.notApplicable);
        expect(t.indicatorsMet + count('not_met') + t.notEvaluable).toBe(t.indicatorsTotal);
        expect(t.criteriaTotal).toBe(v.criteria.length - t.criteriaNotApplicable);
        expect(t.criteriaMet).toBe(v.criteria.filter((c) => c.status === 'met').length);
        expect(v.criteria.reduce((n, c) => n + c.indicatorsMet, 0)).toBe(t.indicatorsMet);
        expect(v.meetsStandard).toBe(t.criteriaTotal > 0 && t.criteriaMet === t.criteriaTotal);
        expect(v.unmet.length).toBe(t.criteriaTotal - t.criteriaMet);
      }),
      { numRuns: 300 },
    );
  });

  it('the figures-only path agrees with evaluateCommune (totals, level, each criterion)', () => {
    fc.assert(
      fc.property(generatedArb, fc.subarray(['ntm', 'nang-cao'] as const), (g, recognised) => {
        const full = evaluateCommune(g.set, g.commune, AS_OF, g.values, { recognisedLevels: recognised });
        const figures = evaluateFigures(g.set, g.commune, AS_OF, g.values, { recognisedLevels: recognised });
        expect(figures.totals).toEqual(full.totals);
        expect([figures.meetsStandard, figures.level]).toEqual([full.meetsStandard, full.level]);
        expect(figures.criteriaStatus).toEqual(full.criteria.map((c) => c.status));
      }),
      { numRuns: 200 },
    );
  });

  it('the batch path agrees with evaluateCommune', () => {
    fc.assert(
      fc.property(fc.array(generatedArb, { minLength: 1, maxLength: 1 }), fc.array(fc.constantFrom(null, ...REGION_CODES), { minLength: 1, maxLength: 5 }), ([g], regions) => {
        const entries = regions.map((region) => ({ commune: { ...g!.commune, region }, values: g!.values }));
        const batch = evaluateBatch(g!.set, AS_OF, entries);
        entries.forEach((e, k) => expect(batch.communes[k]!.totals).toEqual(evaluateCommune(g!.set, e.commune, AS_OF, e.values).totals));
      }),
      { numRuns: 100 },
    );
  });

  it('raising a value never turns met into not met under ≥', () => {
    const numeric = fc.constantFrom<'percent' | 'number'>('percent', 'number');
    fc.assert(
      fc.property(numeric, fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (kind, t, a, b) => {
        const set = singleIndicatorSet({ code: '1.1', kind, op: '>=', value: t });
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const s = (v: number) => evaluateCommune(set, { code: 'x', name: 'X' }, AS_OF, { '1.1': v }).criteria[0]!.indicators[0]!.status;
        if (s(lo) === 'met') expect(s(hi)).toBe('met');
      }),
      { numRuns: 500 },
    );
  });

  it('raising a ratio numerator never turns met into not met under ≥', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (t, d, x, y) => {
        const set = singleIndicatorSet({ code: '1.1', kind: 'ratio', op: '>=', value: t });
        const [lo, hi] = [Math.floor(Math.min(x, y) * d), Math.floor(Math.max(x, y) * d)];
        const s = (n: number) => evaluateCommune(set, { code: 'x', name: 'X' }, AS_OF, { '1.1': ratio(n, d) }).criteria[0]!.indicators[0]!.status;
        if (s(lo) === 'met') expect(s(hi)).toBe('met');
      }),
      { numRuns: 500 },
    );
  });
});
