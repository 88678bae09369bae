/** A unit's summary on a date (every commune under it, by criteria set) and its trend across review dates. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable } from './common.schema.ts';
import { LevelSchema } from './evaluation.schema.ts';

/** Communes per level (`none`: no level reached, or none recognised). */
export const ByLevelSchema = Closed({ ntm: Type.Integer(), 'nang-cao': Type.Integer(), 'kieu-mau': Type.Integer(), 'hien-dai': Type.Integer(), none: Type.Integer() });

/** One commune's latest submitted review on the date (nulls: not reviewed). */
export const CommuneStatusRowSchema = Closed({
  unitId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentName: Nullable(Type.String()),
  reviewId: Nullable(Type.Integer()),
  reviewedOn: Nullable(IsoDate),
  setId: Nullable(Type.String()),
  criteriaMet: Nullable(Type.Integer()),
  criteriaTotal: Nullable(Type.Integer()),
  indicatorsMet: Nullable(Type.Integer()),
  indicatorsTotal: Nullable(Type.Integer()),
  notEvaluable: Nullable(Type.Integer()),
  level: Nullable(LevelSchema),
  meetsStandard: Nullable(Type.Boolean()),
  criteriaStatus: Nullable(Type.String({ description: 'one letter per criterion in set order: M met, N not met, E not evaluable, A not applicable' })),
  recognisedLevel: Nullable(LevelSchema),
  levelReason: Nullable(Bilingual),
  setNote: Nullable(Bilingual),
  predecessorCount: Type.Integer({ description: 'former communes (2025 merger) this commune was formed from' }),
  predecessorRecognitions: Type.Array(
    Closed({ unitId: Type.String(), name: Type.String(), level: LevelSchema, decisionNo: Type.String(), decidedOn: IsoDate }),
    { description: 'recognitions of the former communes: they stay with the former commune' },
  ),
  coverage: Nullable(Bilingual),
});

/** A headline figure with its denominator stated beside it (the same on screen, in Excel and in Word). */
export const SummaryFigureSchema = Closed({
  key: Type.String(),
  label: Bilingual,
  value: Nullable(Type.Number()),
  unit: Bilingual,
  decimals: Type.Integer(),
  of: Nullable(Closed({ count: Type.Integer(), label: Bilingual })),
  share: Nullable(Type.Number()),
  note: Nullable(Bilingual),
});

/** Figures of the communes reviewed against one criteria set ("x/N" compares only within a set). */
export const SetStatsSchema = Closed({
  setId: Type.String(),
  setName: Type.String(),
  level: LevelSchema,
  criteria: Type.Array(Closed({ code: Type.String(), name: Type.String(), critical: Type.Boolean() })),
  indicatorsTotal: Type.Integer(),
  communes: Type.Integer(),
  averageCriteriaMet: Nullable(Type.Number()),
  below15: Nullable(Type.Integer()),
  distribution: Type.Array(Closed({ criteriaMet: Type.Integer(), communes: Type.Integer() })),
});

export const UnitSummarySchema = Closed({
  unit: Closed({ id: Type.String(), name: Type.String(), fullName: Type.String(), level: Type.String(), listId: Type.String(), parentNames: Type.Array(Type.String()) }),
  date: IsoDate,
  isDemo: Type.Boolean(),
  denominator: Closed({ communes: Type.Integer(), asOf: IsoDate, listId: Type.String() }),
  reviewed: Type.Integer(),
  notReviewed: Type.Integer(),
  byLevel: ByLevelSchema,
  recognisedByLevel: ByLevelSchema,
  recognitionsThisYear: Type.Integer(),
  averageCriteriaMet: Nullable(Type.Number()),
  below15: Type.Integer(),
  sets: Type.Array(SetStatsSchema),
  figures: Type.Array(SummaryFigureSchema),
  communes: Type.Array(CommuneStatusRowSchema),
});

export const TrendPointSchema = Closed({
  date: IsoDate,
  reviewed: Type.Integer(),
  averageCriteriaMet: Nullable(Type.Number()),
  below15: Type.Integer(),
  byLevel: ByLevelSchema,
  levelsMeasured: Type.Array(LevelSchema, { description: 'levels the sets used on that date measure; byLevel counts only these' }),
});

export const UnitTrendSchema = Closed({ points: Type.Array(TrendPointSchema) });

/** Share (%) at each level or above; null when the denominator is 0. */
const LevelSharesSchema = Closed({ ntm: Nullable(Type.Number()), 'nang-cao': Nullable(Type.Number()), 'kieu-mau': Nullable(Type.Number()), 'hien-dai': Nullable(Type.Number()) });

/** One province in the national summary: the figures its own summary gives. */
export const ProvinceFiguresSchema = Closed({
  unitId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  denominator: Type.Integer({ description: 'rural communes (Xã) of the province valid on the date' }),
  reviewed: Type.Integer(),
  notReviewed: Type.Integer(),
  byLevel: ByLevelSchema,
  recognisedByLevel: ByLevelSchema,
  share: LevelSharesSchema,
  recognisedShare: LevelSharesSchema,
  rank: Closed({ ntm: Type.Integer(), 'nang-cao': Type.Integer(), 'kieu-mau': Type.Integer(), 'hien-dai': Type.Integer() }, { description: 'rank by share at each level (1 = highest)' }),
  sets: Type.Array(Closed({ setId: Type.String(), communes: Type.Integer() })),
});

/** The country (unit `VN`) on a date: totals = sums of the provinces. */
export const NationalSummarySchema = Closed({
  unit: Closed({ id: Type.String(), name: Type.String(), fullName: Type.String() }),
  date: IsoDate,
  isDemo: Type.Boolean(),
  list: Closed({ id: Type.String(), text: Bilingual, provinces: Type.Integer(), note: Nullable(Bilingual) }),
  denominator: Closed({ communes: Type.Integer(), asOf: IsoDate, listId: Type.String() }),
  reviewed: Type.Integer(),
  notReviewed: Type.Integer(),
  byLevel: ByLevelSchema,
  recognisedByLevel: ByLevelSchema,
  figures: Type.Array(SummaryFigureSchema),
  sets: Type.Array(Closed({ setId: Type.String(), setName: Type.String(), level: LevelSchema, communes: Type.Integer(), provinces: Type.Integer() })),
  provinces: Type.Array(ProvinceFiguresSchema),
});

/** The country's counts per level at the end of each review quarter up to a date (`/units/VN/trend`). */
export const NationalTrendSchema = Closed({
  date: IsoDate,
  points: Type.Array(
    Closed({ quarter: Type.String(), date: IsoDate, listId: Type.String(), denominator: Type.Integer(), reviewed: Type.Integer(), byLevel: ByLevelSchema, levelsMeasured: Type.Array(LevelSchema) }),
  ),
});
