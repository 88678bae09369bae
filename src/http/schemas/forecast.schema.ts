/** Forecasts at a deadline, the back-test of the method, and the risk watch (recognised communes near revocation, slipped indicators). */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable, Ref, StringEnum } from './common.schema.ts';
import { IndicatorKindSchema, TargetLeafSchema, TargetOpSchema } from './evaluation.schema.ts';
import { OUTLOOKS } from '../../domain/planning/forecast.ts';

const READINESS = ['likely_ready', 'uncertain', 'at_risk', 'unknown'] as const;
const OutlookSchema = StringEnum(OUTLOOKS, { description: 'likely_met: the whole band meets the target; likely_unmet: none of it does; uncertain: the band straddles the target; unknown: no data or no target' });
const ReadinessSchema = StringEnum(READINESS, { description: 'likely_ready: every indicator likely met; uncertain: some uncertain; at_risk: some likely not met; unknown' });
const RevocationRuleSchema = StringEnum(['none', 'share_30_with_critical', 'share_50'] as const);

export const ForecastQuery = Type.Object({
  unitId: Ref('unit', Type.String({ maxLength: 40, description: 'a province, district or commune (code@list)' })),
  deadline: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, on or after date: the day to project to' })),
  date: Type.Optional(IsoDate),
});

export const UnitDateQuery = Type.Object({
  unitId: Ref('unit', Type.String({ maxLength: 40, description: 'a province, district or commune (code@list)' })),
  date: Type.Optional(IsoDate),
});

export const IndicatorForecastSchema = Closed({
  code: Type.String(),
  name: Type.String(),
  kind: IndicatorKindSchema,
  unit: Nullable(Type.String()),
  method: StringEnum(['theil_sen', 'persistence', 'none'] as const),
  n: Type.Integer(),
  last: Nullable(Closed({ on: IsoDate, value: Nullable(Type.Union([Type.Number(), Type.Boolean(), Type.String()])), met: Nullable(Type.Boolean()) })),
  point: Nullable(Type.Number()),
  low: Nullable(Type.Number()),
  high: Nullable(Type.Number()),
  slopePerYear: Nullable(Type.Number()),
  target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema) }),
  outlook: OutlookSchema,
  reason: Bilingual,
});

const OutlookCounts = Closed({ likely_met: Type.Integer(), uncertain: Type.Integer(), likely_unmet: Type.Integer(), unknown: Type.Integer() });

export const CommuneForecastSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  setId: Type.String(),
  setName: Type.String(),
  level: Type.String(),
  levelName: Bilingual,
  latestReview: Closed({ id: Type.Integer(), reviewedOn: IsoDate, criteriaMet: Type.Integer(), criteriaTotal: Type.Integer(), indicatorsMet: Type.Integer(), indicatorsTotal: Type.Integer() }),
  reviews: Type.Integer(),
  readiness: ReadinessSchema,
  readinessLabel: Bilingual,
  riskScore: Type.Integer(),
  counts: OutlookCounts,
  indicators: Type.Array(IndicatorForecastSchema, { description: 'the indicators not likely met, riskiest first' }),
  reason: Bilingual,
});

export const DeadlineAtRiskSchema = Closed({
  kind: StringEnum(['task', 'dossier'] as const),
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  title: Type.String(),
  dueOn: IsoDate,
  criteria: Type.Array(Type.String()),
  readiness: ReadinessSchema,
  readinessLabel: Bilingual,
  reason: Bilingual,
});

export const UnitForecastSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  date: IsoDate,
  deadline: IsoDate,
  method: Bilingual,
  communes: Type.Integer(),
  counts: Closed({ likely_ready: Type.Integer(), uncertain: Type.Integer(), at_risk: Type.Integer(), unknown: Type.Integer() }),
  items: Type.Array(CommuneForecastSchema),
  deadlines: Type.Array(DeadlineAtRiskSchema),
});

const Share = Nullable(Type.Number({ description: '0…1' }));

export const UnitBacktestSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  date: IsoDate,
  method: Bilingual,
  communes: Type.Integer(),
  n: Type.Integer({ description: 'series tested, one held-out value each' }),
  nShare: Type.Integer({ description: 'of them, with a non-zero numeric target' }),
  maeShare: Share,
  medianShare: Share,
  coverage: Share,
  outlookAccuracy: Share,
  decidedShare: Share,
  persistence: Closed({ maeShare: Share, medianShare: Share, outlookAccuracy: Share }),
  summary: Bilingual,
});

const RuleResult = { triggered: Type.Boolean(), rule: RevocationRuleSchema, reason: Bilingual };

export const RiskWatchSchema = Closed({
  unitId: Type.String(),
  unitName: Type.String(),
  date: IsoDate,
  horizon: IsoDate,
  method: Bilingual,
  revocations: Type.Array(
    Closed({
      unitId: Type.String(),
      unitName: Type.String(),
      recognition: Closed({ id: Type.Integer(), level: Type.String(), levelName: Bilingual, decisionNo: Type.String(), decidedOn: IsoDate }),
      reviewedOn: IsoDate,
      current: Closed(RuleResult),
      forecast: Closed({ ...RuleResult, horizon: IsoDate }),
      detail: Bilingual,
      message: Bilingual,
    }),
  ),
  slipped: Type.Array(
    Closed({
      unitId: Type.String(),
      unitName: Type.String(),
      previousOn: IsoDate,
      latestOn: IsoDate,
      indicators: Type.Array(Closed({ code: Type.String(), name: Type.String(), criterionCode: Type.String(), before: Type.String(), after: Type.String(), reason: Bilingual })),
      detail: Bilingual,
      message: Bilingual,
    }),
  ),
  deadlines: Type.Array(DeadlineAtRiskSchema),
  counts: Closed({ revocations: Type.Integer(), slippedCommunes: Type.Integer(), slippedIndicators: Type.Integer(), deadlines: Type.Integer(), all: Type.Integer() }),
});
