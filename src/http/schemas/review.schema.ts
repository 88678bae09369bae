/** Reviews (bản rà soát): values with their history, the evaluation, a unit's reviews across the 2025 merge. */
import { Type } from 'typebox';
import { Bilingual, Closed, DocumentRefSchema, IsoDate, IsoTime, MAX_INT, NotRef, Nullable, Ref, StringEnum } from './common.schema.ts';
import { CommuneVerdictSchema, IndicatorValueSchema } from './evaluation.schema.ts';

export const EvidenceSchema = Closed({ title: Type.String({ minLength: 1, maxLength: 300 }), url: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'http(s):// address, or a file on this server (/api/v1/attachments/7); other links are refused' }))) });

export const ValueInputSchema = Closed({
  value: IndicatorValueSchema,
  note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  evidence: Type.Optional(Nullable(Type.Array(EvidenceSchema, { maxItems: 50 }))),
});

export const ValuesMap = Type.Record(Type.String({ pattern: '^[0-9A-Za-z.\\-_]{1,20}$' }), ValueInputSchema, {
  description: 'indicator code → value',
  maxProperties: 500,
});

export const ValueParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_INT }), code: Type.String({ maxLength: 20 }) });
export const HistoryQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) });

export const CreateReviewBody = Closed({
  unitId: Ref('unit', Type.String({ maxLength: 40 })),
  setId: NotRef(Type.String({ maxLength: 100 }), 'id of a criteria set in the public catalogue'),
  reviewedOn: IsoDate,
  title: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  values: Type.Optional(ValuesMap),
});

export const UpdateValuesBody = Closed({
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT, description: 'the review version you read (or send If-Match)' })),
  values: ValuesMap,
});

export const VersionBody = Closed({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })) });

export const RestoreBody = Closed({ seq: Type.Integer({ minimum: 1, maximum: MAX_INT }), version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })) });

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const ReviewStatusSchema = StringEnum(['draft', 'submitted']);

/** One indicator's current value, who entered it and when. */
export const ReviewValueSchema = Closed({
  code: Type.String(),
  value: IndicatorValueSchema,
  note: Nullable(Type.String()),
  evidence: Type.Array(DocumentRefSchema),
  seq: Type.Integer(),
  enteredBy: Type.String(),
  enteredAt: IsoTime,
});

const reviewSummaryFields = {
  id: Type.Integer(),
  unitId: Type.String(),
  setId: Type.String(),
  reviewedOn: IsoDate,
  status: ReviewStatusSchema,
  title: Nullable(Type.String()),
  note: Nullable(Type.String()),
  version: Type.Integer(),
  isDemo: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  submittedBy: Nullable(Type.String()),
  submittedAt: Nullable(IsoTime),
};

/** A review without its values. */
export const ReviewSummarySchema = Closed(reviewSummaryFields);

/** The scores of a review, from its cached evaluation (null when it has none). */
export const reviewScoreFields = {
  criteriaMet: Nullable(Type.Integer()),
  criteriaTotal: Nullable(Type.Integer()),
  indicatorsMet: Nullable(Type.Integer()),
  indicatorsTotal: Nullable(Type.Integer()),
};

/** A review with its current values and its evaluation. */
export const ReviewDetailSchema = Closed({
  ...reviewSummaryFields,
  setName: Type.String(),
  unitName: Type.String(),
  warnings: Type.Array(Bilingual, { description: 'shown above the result: the set has ended, or the commune no longer exists (2025 merger)' }),
  values: Type.Array(ReviewValueSchema),
  evaluation: CommuneVerdictSchema,
});

/** One version of one value. */
/** What `DELETE /reviews/:id` removed (a draft only). */
export const DiscardedReviewSchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  setId: Type.String(),
  reviewedOn: IsoDate,
  valueVersions: Type.Integer({ description: 'value rows removed, every version of every indicator (kept in the audit event)' }),
  attachments: Type.Integer({ description: 'evidence files taken off the review (the stored bytes stay)' }),
});

export const ValueVersionSchema = Closed({ ...ReviewValueSchema.properties, source: Type.String(), restoredFromSeq: Nullable(Type.Integer()) });

export const ValueHistorySchema = Closed({ items: Type.Array(ValueVersionSchema) });

/** `self`: the unit's own reviews; `predecessor`: history carried across a merge. */
export const RelationSchema = StringEnum(['self', 'predecessor']);

export const UnitReviewsSchema = Closed({
  groups: Type.Array(
    Closed({
      unitId: Type.String(),
      unitName: Type.String(),
      relation: RelationSchema,
      reviews: Type.Array(Closed({ ...reviewSummaryFields, ...reviewScoreFields })),
    }),
  ),
});
