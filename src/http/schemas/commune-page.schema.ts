/** The commune page on a date: the unit, its latest submitted review with the verdict, a newer draft, recognitions, history. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, Nullable } from './common.schema.ts';
import { CommuneVerdictSchema, LevelSchema } from './evaluation.schema.ts';
import { RelationSchema, ReviewSummarySchema, reviewScoreFields } from './review.schema.ts';
import { UnitDetailSchema } from './unit.schema.ts';

/** A recognition decision of the commune or of a predecessor. */
export const RecognitionEntrySchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  unitName: Type.String(),
  relation: RelationSchema,
  level: LevelSchema,
  setId: Nullable(Type.String()),
  decisionNo: Type.String(),
  decidedOn: IsoDate,
  signer: Nullable(Type.String()),
  isDemo: Type.Boolean(),
});

/** A past review of the commune or of a predecessor, with its scores. */
export const HistoryEntrySchema = Closed({
  ...ReviewSummarySchema.properties,
  unitName: Type.String(),
  relation: RelationSchema,
  ...reviewScoreFields,
});

export const CommunePageSchema = Closed({
  unit: UnitDetailSchema,
  date: IsoDate,
  review: Nullable(ReviewSummarySchema),
  reviewSetName: Nullable(Type.String({ description: "the criteria set's name, the version in force on the review's date" })),
  evaluation: Nullable(CommuneVerdictSchema),
  summaryLine: Nullable(Bilingual),
  draft: Nullable(ReviewSummarySchema),
  recognitions: Type.Array(RecognitionEntrySchema),
  levelReason: Nullable(Bilingual),
  setNote: Nullable(Bilingual),
  versionNote: Nullable(Bilingual),
  setProvenance: Nullable(Bilingual),
  coverage: Nullable(Bilingual),
  history: Type.Array(HistoryEntrySchema),
});
