/**
 * The engine's verdict (src/domain/evaluation.ts) and the values it reads, shared by every slice
 * that shows one: a review, the commune page, a meeting's frozen status, a commune's plans.
 */
import { Type } from 'typebox';
import { Bilingual, Closed, Nullable, StringEnum } from './common.schema.ts';
import { COMMUNE_GROUPS, INDICATOR_KINDS, LEVELS, REGION_CODES, SPECIAL_STATUSES, TARGET_OPS, type CommuneGroup } from '../../domain/criteria.ts';
import { STATUSES } from '../../domain/compiled-set.ts';

export const LevelSchema = StringEnum(LEVELS, { description: 'ntm, nâng cao (advanced), kiểu mẫu (model), hiện đại (modern)' });
export const VerdictStatusSchema = StringEnum(STATUSES);
export const RegionSchema = StringEnum(REGION_CODES);
export const SpecialStatusSchema = StringEnum(SPECIAL_STATUSES);
export const CommuneGroupSchema = Type.Unsafe<CommuneGroup>({ type: 'integer', enum: [...COMMUNE_GROUPS] });
export const IndicatorKindSchema = StringEnum(INDICATOR_KINDS);
export const TargetOpSchema = StringEnum(TARGET_OPS);

/** A value as reported: number | boolean | text | {numerator, denominator} | null. */
export const IndicatorValueSchema = Type.Union(
  [
    Type.Number(),
    Type.Boolean(),
    Type.String({ maxLength: 500 }),
    Closed({ numerator: Type.Number({ minimum: 0 }), denominator: Type.Number({ minimum: 0 }) }),
    Type.Null(),
  ],
  { description: 'number | boolean | text | {numerator, denominator} | null' },
);

/** A concrete threshold: a number, a boolean or a grade label. */
export const TargetLeafSchema = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);

const TargetBasisSchema = Closed({
  setId: Type.String(),
  override: Type.Boolean(),
  derivedFrom: Nullable(Closed({ setId: Type.String(), indicator: Type.String(), factor: Type.Number() })),
  region: Nullable(RegionSchema),
  regionVia: Nullable(SpecialStatusSchema),
  group: Nullable(CommuneGroupSchema),
  year: Nullable(Type.Integer()),
  missing: Nullable(StringEnum(['region', 'group', 'year', 'attribute', 'value'])),
  text: Bilingual,
});

export const IndicatorVerdictSchema = Closed({
  code: Type.String(),
  name: Type.String(),
  kind: IndicatorKindSchema,
  unit: Nullable(Type.String()),
  status: VerdictStatusSchema,
  value: IndicatorValueSchema,
  measured: Nullable(Type.Number()),
  target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema), basis: TargetBasisSchema }),
  gap: Nullable(Type.Number()),
  reason: Bilingual,
  verified: Type.Boolean(),
  conditions: Type.Optional(
    Type.Array(
      Closed({
        code: Type.String({ description: 'the values-map key of the condition, e.g. "5.toi_thieu"' }),
        name: Type.String(),
        kind: IndicatorKindSchema,
        unit: Nullable(Type.String()),
        status: VerdictStatusSchema,
        value: IndicatorValueSchema,
        target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema), basis: TargetBasisSchema }),
        gap: Nullable(Type.Number()),
        reason: Bilingual,
      }),
      { description: 'compound indicators only: the verdict on each condition (all must be met)' },
    ),
  ),
});

export const CriterionVerdictSchema = Closed({
  code: Type.String(),
  name: Type.String(),
  group: Nullable(Type.String()),
  critical: Type.Boolean(),
  status: VerdictStatusSchema,
  indicators: Type.Array(IndicatorVerdictSchema),
  indicatorsMet: Type.Integer(),
  indicatorsTotal: Type.Integer(),
  reason: Bilingual,
});

export const VerdictTotalsSchema = Closed({
  criteriaMet: Type.Integer(),
  criteriaTotal: Type.Integer(),
  criteriaNotEvaluable: Type.Integer(),
  criteriaNotApplicable: Type.Integer(),
  indicatorsMet: Type.Integer(),
  indicatorsTotal: Type.Integer(),
  notEvaluable: Type.Integer(),
  notApplicable: Type.Integer(),
});

export const UnmetCriterionSchema = Closed({
  code: Type.String(),
  name: Type.String(),
  critical: Type.Boolean(),
  status: VerdictStatusSchema,
  indicators: Type.Array(
    Closed({
      code: Type.String(),
      name: Type.String(),
      status: VerdictStatusSchema,
      value: IndicatorValueSchema,
      target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema) }),
      gap: Nullable(Type.Number()),
      reason: Bilingual,
    }),
  ),
});

/** The verdict tree of one commune on one date (what the engine computes; the UI only shows it). */
export const CommuneVerdictSchema = Closed({
  setId: Type.String(),
  setLevel: LevelSchema,
  asOf: Type.String(),
  commune: Closed({ code: Type.String(), name: Type.String() }),
  context: Closed({ region: Nullable(RegionSchema), regionVia: Nullable(SpecialStatusSchema), group: Nullable(CommuneGroupSchema), year: Type.Integer() }),
  criteria: Type.Array(CriterionVerdictSchema),
  totals: VerdictTotalsSchema,
  meetsStandard: Type.Boolean(),
  level: Nullable(LevelSchema),
  prerequisites: Closed({ required: Type.Array(LevelSchema), held: Type.Array(LevelSchema), missing: Type.Array(LevelSchema), satisfied: Type.Boolean() }),
  unmet: Type.Array(UnmetCriterionSchema),
  unknownCodes: Type.Array(Type.String()),
  summary: Bilingual,
});
