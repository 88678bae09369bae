import { Type } from 'typebox';
import { IsoDate, MAX_INT } from './common.schema.ts';

export const IndicatorValueSchema = Type.Union(
  [
    Type.Number(),
    Type.Boolean(),
    Type.String({ maxLength: 500 }),
    Type.Object({ numerator: Type.Number({ minimum: 0 }), denominator: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
    Type.Null(),
  ],
  { description: 'number | boolean | text | {numerator, denominator} | null' },
);

export const EvidenceSchema = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 300 }), url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])) },
  { additionalProperties: false },
);

export const ValueInputSchema = Type.Object(
  {
    value: IndicatorValueSchema,
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    evidence: Type.Optional(Type.Union([Type.Array(EvidenceSchema, { maxItems: 50 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const ValuesMap = Type.Record(Type.String({ pattern: '^[0-9A-Za-z.\\-_]{1,20}$' }), ValueInputSchema, {
  description: 'indicator code → value',
  maxProperties: 500,
});

export const CreateReviewBody = Type.Object(
  {
    unitId: Type.String({ maxLength: 40 }),
    setId: Type.String({ maxLength: 100 }),
    reviewedOn: IsoDate,
    title: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
    values: Type.Optional(ValuesMap),
  },
  { additionalProperties: false },
);

export const UpdateValuesBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT, description: 'the review version you read (or send If-Match)' })),
    values: ValuesMap,
  },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })) }, { additionalProperties: false });

export const RestoreBody = Type.Object(
  { seq: Type.Integer({ minimum: 1, maximum: MAX_INT }), version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })) },
  { additionalProperties: false },
);

export const ReviewDetailSchema = Type.Object(
  {
    id: Type.Integer(),
    unitId: Type.String(),
    unitName: Type.String(),
    setId: Type.String(),
    setName: Type.String(),
    reviewedOn: Type.String(),
    status: Type.String(),
    version: Type.Integer(),
    isDemo: Type.Boolean(),
    values: Type.Array(Type.Object({}, { additionalProperties: true })),
    evaluation: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: true },
);
