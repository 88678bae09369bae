/** Decision support (issue 15): gap analysis, priorities, default costs, allocation, proposals. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Money, NotRef, Nullable, OptDate, OptText, Ref, StringEnum, Text, UnitId } from './common.schema.ts';
import { IndicatorValueSchema, LevelSchema, TargetLeafSchema, TargetOpSchema } from './evaluation.schema.ts';
import { PRIORITY_GOALS } from '../../domain/planning/priorities.ts';

const Name = Type.String();

export const IndicatorGapSchema = Closed({
  criterion: Type.String({ description: 'mã tiêu chí / criterion code' }),
  criterionName: Name,
  critical: Type.Boolean(),
  code: Type.String({ description: 'mã chỉ tiêu / indicator code' }),
  name: Name,
  unit: Nullable(Type.String()),
  status: StringEnum(['not_met', 'not_evaluable'] as const),
  value: IndicatorValueSchema,
  target: Closed({ op: TargetOpSchema, value: Nullable(TargetLeafSchema) }),
  gap: Nullable(Type.Number({ description: 'distance to target in the indicator’s unit' })),
  gapShare: Nullable(Type.Number({ description: 'gap / |target|' })),
  reason: Bilingual,
});

export const CommuneGapSchema = Closed({
  id: UnitId,
  name: Name,
  parentName: Nullable(Type.String()),
  reviewId: Type.Integer(),
  reviewedOn: IsoDate,
  set: Type.String(),
  setName: Name,
  level: Nullable(LevelSchema),
  nextLevel: Nullable(LevelSchema),
  criteriaToGo: Type.Integer(),
  indicatorsToGo: Type.Integer(),
  pending: Type.Integer({ description: 'of which not evaluable (no value or no threshold)' }),
  criteriaPending: Type.Integer({ description: 'criteria not evaluable with no indicator to list (no indicators or thresholds yet)' }),
  criteriaTotal: Type.Integer(),
  indicatorsTotal: Type.Integer(),
  missingPrerequisites: Type.Array(LevelSchema),
  unmet: Type.Array(IndicatorGapSchema),
  sentence: Bilingual,
});

export const GapAnalysisSchema = Closed({
  unit: Closed({ id: UnitId, name: Name, fullName: Name, level: Type.String() }),
  date: IsoDate,
  communes: Type.Array(CommuneGapSchema, { description: 'ranked by closeness to the next level' }),
  denominator: Type.Integer({ description: 'rural communes (xã) of the unit on the date' }),
  notReviewed: Type.Array(Closed({ id: UnitId, name: Name })),
  nearlyThere: Type.Array(UnitId),
  nearlyThereLine: Bilingual,
});

export const GapQuery = Type.Object({ unitId: UnitId, date: IsoDate });
export const PriorityQuery = Type.Object({ unitId: UnitId, date: IsoDate, goal: Type.Optional(StringEnum(PRIORITY_GOALS)) });

const EstimateSchema = Closed({
  code: Type.String(),
  cost: Nullable(Money),
  days: Nullable(Type.Integer()),
  source: StringEnum(['plan', 'default', 'unknown'] as const),
  actionIds: Type.Array(Type.Integer()),
  setBy: Nullable(Type.String()),
  setAt: Nullable(Type.String()),
});

export const PriorityPlanSchema = Closed({
  commune: Closed({ id: UnitId, name: Name }),
  goal: StringEnum(PRIORITY_GOALS),
  date: IsoDate,
  items: Type.Array(
    Closed({
      rank: Type.Integer(),
      criterion: Type.String(),
      criterionName: Name,
      code: Type.String(),
      name: Name,
      status: StringEnum(['not_met', 'not_evaluable'] as const),
      gap: Nullable(Type.Number()),
      gapShare: Nullable(Type.Number()),
      estimate: EstimateSchema,
      why: Bilingual,
    }),
  ),
  knownCost: Money,
  unknownCost: Type.Integer(),
  reachableOn: Nullable(IsoDate),
  sentence: Bilingual,
  gap: Nullable(CommuneGapSchema),
});

export const CostDefaultViewSchema = Closed({
  code: Type.String(),
  name: Name,
  criterion: Type.String(),
  criterionName: Name,
  unit: Nullable(Type.String()),
  cost: Nullable(Money),
  days: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
  setBy: Nullable(Type.String()),
  setAt: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
});

export const CostDefaultsSchema = Closed({
  province: Closed({ id: UnitId, name: Name }),
  set: Closed({ id: Type.String(), name: Name }),
  items: Type.Array(CostDefaultViewSchema),
  filled: Type.Integer(),
  total: Type.Integer(),
});

const SetIdField = NotRef(Text(100), 'id of a criteria set in the catalogue');
export const CostDefaultsQuery = Type.Object({ unitId: UnitId, setId: SetIdField });
export const CostDefaultBody = Closed({
  unitId: Ref('unit', Text(40)),
  setId: SetIdField,
  code: Text(40),
  cost: Nullable(Type.Integer({ description: 'whole đồng, > 0' })),
  days: Nullable(Type.Integer({ description: 'calendar days, 1…3650' })),
  note: OptText(500),
  version: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const CostDefaultDeleteQuery = Type.Object({ unitId: Ref('unit', UnitId), setId: SetIdField, code: Text(40), version: Type.Integer({ minimum: 1 }) });

// ── Allocation ──

const AllocationPlanFields = {
  communesReaching: Type.Integer(),
  indicatorsClosed: Type.Integer(),
  cost: Type.Number(),
  chosen: Type.Array(Type.String()),
  reaching: Type.Array(Type.String()),
};

export const AllocationResultSchema = Closed({
  status: StringEnum(['optimal', 'feasible'] as const),
  gap: Nullable(Type.Number({ description: 'relative MIP gap; 0 when proven optimal; null when no bound is known' })),
  ...AllocationPlanFields,
  budget: Type.Number(),
  remaining: Type.Number(),
  greedy: Closed(AllocationPlanFields),
  solveMs: Type.Number(),
  greedyMs: Type.Number(),
  summary: Bilingual,
  comparison: Bilingual,
  note: Nullable(Bilingual),
});

const PoolBudget = Type.Union([Type.Number(), Type.Record(Type.String(), Type.Number())], { description: 'whole đồng; or pools by funding source' });
export const AllocationInputSchema = Type.Object({
  budget: PoolBudget,
  communes: Type.Array(Type.Object({ id: NotRef(Type.String({ maxLength: 100 }), 'a commune label of the problem; not read from stored data'), name: Type.Optional(Type.String({ maxLength: 300 })), unmet: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 500 }) }), { maxItems: 20000 }),
  actions: Type.Array(
    Type.Object({
      id: NotRef(Type.String({ maxLength: 100 }), 'an action label of the problem'),
      commune: Type.String({ maxLength: 100 }),
      cost: Type.Number(),
      closes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 }),
      source: Type.Optional(Type.String({ maxLength: 40 })),
      name: Type.Optional(Type.String({ maxLength: 500 })),
    }),
    { maxItems: 50000 },
  ),
  timeLimitSeconds: Type.Optional(Type.Number()),
});

const CandidateSchema = Closed({
  id: Type.String(),
  commune: UnitId,
  communeName: Name,
  closes: Type.Array(Type.String()),
  cost: Money,
  source: StringEnum(['plan', 'default'] as const),
  name: Name,
  planItemId: Nullable(Type.Integer()),
  targetOn: Nullable(IsoDate),
});

export const UnitAllocationSchema = Closed({
  unit: Closed({ id: UnitId, name: Name }),
  date: IsoDate,
  deadline: Nullable(IsoDate),
  budget: Money,
  input: Closed({
    budget: PoolBudget,
    communes: Type.Array(Closed({ id: Type.String(), name: Type.Optional(Type.String()), unmet: Type.Array(Type.String()) })),
    actions: Type.Array(Closed({ id: Type.String(), commune: Type.String(), cost: Type.Number(), closes: Type.Array(Type.String()), source: Type.Optional(Type.String()), name: Type.Optional(Type.String()) })),
    timeLimitSeconds: Type.Optional(Type.Number()),
  }),
  result: AllocationResultSchema,
  candidates: Type.Array(CandidateSchema),
  communes: Type.Array(Closed({ id: UnitId, name: Name, nextLevel: Nullable(Type.String()), unmet: Type.Array(Type.String()), pending: Type.Integer(), fundedCodes: Type.Array(Type.String()), inAllocation: Type.Boolean({ description: 'false: spending cannot bring it to its level (see leftOut)' }) })),
  leftOut: Type.Array(Closed({ commune: UnitId, communeName: Name, code: Nullable(Type.String()), reason: Bilingual })),
});

const Fixed = Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 500 }), { description: 'what-if: indicators marked fixed, by commune id' }));
export const UnitAllocationBody = Closed({
  unitId: Ref('unit', Text(40)),
  date: IsoDate,
  budget: Type.Integer({ maximum: 9_000_000_000_000_000, description: 'whole đồng, > 0 (the service says why otherwise)' }),
  deadline: OptDate,
  timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 120 })),
  fixed: Fixed,
});

export const ProposalBody = Closed({
  unitId: Ref('unit', Text(40)),
  date: IsoDate,
  budget: Type.Integer({ maximum: 9_000_000_000_000_000, description: 'whole đồng, > 0 (the service says why otherwise)' }),
  deadline: OptDate,
  timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 120 })),
  fixed: Fixed,
  title: OptText(300),
});

export const ProposalSchema = Closed({
  id: Type.Integer(),
  meetingId: Type.Integer(),
  unitId: UnitId,
  title: Name,
  asOf: IsoDate,
  deadline: Nullable(IsoDate),
  budget: Money,
  result: AllocationResultSchema,
  chosen: Type.Array(CandidateSchema),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
