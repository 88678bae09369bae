/**
 * Test factories for the criteria model: small resolved sets built in memory, with overrides.
 * `indicator({ code: '1.1', kind: 'percent', op: '>=', value: 95 })` fills every other field.
 */
import type {
  Criterion,
  CriteriaSet,
  Indicator,
  IndicatorKind,
  TargetOp,
  TargetValueSpec,
} from '../domain/criteria.ts';

export interface IndicatorSpec extends Partial<Omit<Indicator, 'target'>> {
  code: string;
  kind?: IndicatorKind;
  op?: TargetOp;
  value?: TargetValueSpec;
  setBy?: string;
  override?: boolean;
}

const DEFAULT_OP: Record<IndicatorKind, TargetOp> = {
  boolean: 'is',
  percent: '>=',
  number: '>=',
  ratio: '>=',
  grade: '>=',
  none_count: '=',
  compound: 'is',
};

const DEFAULT_VALUE: Record<IndicatorKind, TargetValueSpec> = {
  boolean: true,
  percent: 90,
  number: 10,
  ratio: 90,
  grade: 'hoàn thành tốt',
  none_count: 0,
  compound: true,
};

export const GRADE_SCALE = ['không hoàn thành', 'hoàn thành', 'hoàn thành tốt', 'hoàn thành xuất sắc'];

export function indicator(spec: IndicatorSpec): Indicator {
  const kind = spec.kind ?? 'boolean';
  return {
    name: `Chỉ tiêu ${spec.code}`,
    unit: kind === 'percent' || kind === 'ratio' ? '%' : null,
    scale: kind === 'grade' ? GRADE_SCALE : null,
    conditions: null,
    applicableIf: null,
    zeroDenominator: 'not_evaluable',
    source: { decision: 'test', appendix: null, url: null, note: null },
    verified: false,
    provenance: { level: 'reconstructed', source: null },
    note: null,
    definedIn: spec.setBy ?? 'test-set',
    origin: 'base',
    ...spec,
    kind,
    target: {
      op: spec.op ?? DEFAULT_OP[kind],
      value: spec.value !== undefined ? spec.value : DEFAULT_VALUE[kind],
      setBy: spec.setBy ?? 'test-set',
      override: spec.override ?? false,
      derivedFrom: null,
    },
  };
}

export function criterion(code: string, indicators: Indicator[], overrides: Partial<Criterion> = {}): Criterion {
  return {
    code,
    name: `Tiêu chí ${code}`,
    group: null,
    critical: false,
    nameVerified: false,
    pendingIndicators: indicators.length === 0 ? { vi: 'do tỉnh nhập', en: 'to be entered by the province' } : null,
    indicators,
    ...overrides,
  };
}

export function criteriaSet(criteria: Criterion[], overrides: Partial<CriteriaSet> = {}): CriteriaSet {
  return {
    id: 'test-set',
    version: 1,
    status: 'published',
    name: 'Bộ tiêu chí thử',
    phase: '2021-2025',
    level: 'ntm',
    scope: 'national',
    province: null,
    decision: { number: 'test', date: '2022-01-01', appendix: null, issuer: null, url: null },
    validFrom: '2022-01-01',
    validTo: '2025-12-31',
    basedOn: null,
    basedOnVersion: null,
    lineage: ['test-set'],
    demo: false,
    requires: [],
    specialRegion: { dbkk: 'TDMNPB', atk: 'TDMNPB' },
    flags: [{ code: 'has_craft', name: 'Xã có nghề truyền thống' }],
    attributes: [],
    notes: null,
    criteria,
    ...overrides,
  };
}

/** A set with one criterion holding one indicator. */
export function singleIndicatorSet(spec: IndicatorSpec, overrides: Partial<CriteriaSet> = {}): CriteriaSet {
  return criteriaSet([criterion('1', [indicator(spec)])], overrides);
}
