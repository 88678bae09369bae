/**
 * The data feed for other systems: the records of each entity, as in docs/feed.schema.json
 * (JSON Schema of the records, also used by `datchuan feed dump`), and the JSON page.
 */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, Nullable, StringEnum, UnitId } from './common.schema.ts';
import { IndicatorKindSchema, IndicatorValueSchema, LevelSchema, TargetOpSchema, VerdictStatusSchema } from './evaluation.schema.ts';
import { DecisionRefSchema, PhaseSchema, ScopeSchema, TargetValueSpecRef } from './criteria-set.schema.ts';
import { ReviewStatusSchema } from './review.schema.ts';
import { AttributeNameSchema, LineagePartSchema, UnitLevelSchema } from './unit.schema.ts';
import { FEED_ENTITIES, FEED_FORMAT, MAX_FEED_LIMIT } from '../../services/feed.service.ts';

export const FEED_FORMATS = ['json', 'jsonl', 'csv'] as const;

export const EntityParams = Type.Object({ entity: Type.Union(FEED_ENTITIES.map((e) => Type.Literal(e))) });
export const FeedQuery = Type.Object({
  updatedSince: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, ví dụ 2025-07-01T00:00:00Z' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT, default: 1000 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('jsonl'), Type.Literal('csv')])),
  unitId: Type.Optional(Type.String({ maxLength: 40 })),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const FeedIndexSchema = Closed({
  format: StringEnum([FEED_FORMAT]),
  entities: Type.Array(StringEnum(FEED_ENTITIES)),
  schema: Type.String({ description: 'the address of the JSON Schema of the records' }),
  formats: Type.Array(StringEnum(FEED_FORMATS)),
  maxLimit: Type.Integer(),
});

const lineageLink = Closed({ id: UnitId, part: LineagePartSchema, effectiveOn: IsoDate });

const UnitRecord = Closed(
  {
    id: UnitId,
    code: Type.String(),
    listId: Type.String(),
    list: Closed({ id: Type.String(), name: Type.String(), validFrom: Nullable(IsoDate), validTo: Nullable(IsoDate), importedAt: IsoTime }),
    name: Type.String(),
    fullName: Type.String(),
    type: Type.String(),
    level: UnitLevelSchema,
    parentId: Nullable(UnitId),
    provinceId: Nullable(UnitId),
    validFrom: Nullable(IsoDate),
    validTo: Nullable(IsoDate),
    attributes: Type.Array(Closed({ name: AttributeNameSchema, value: Nullable(Type.String()), validFrom: Nullable(IsoDate), validTo: Nullable(IsoDate), source: Type.String() })),
    predecessors: Type.Array(lineageLink),
    successors: Type.Array(lineageLink),
    updatedAt: IsoTime,
  },
  { title: 'unit' },
);

const CriteriaSetRecord = Closed(
  {
    id: Type.String(),
    name: Type.String(),
    phase: PhaseSchema,
    level: LevelSchema,
    scope: ScopeSchema,
    province: Nullable(Closed({ code: Type.String(), name: Type.String() })),
    decision: DecisionRefSchema,
    validFrom: IsoDate,
    validTo: Nullable(IsoDate),
    basedOn: Nullable(Type.String()),
    demo: Type.Boolean(),
    requires: Type.Array(LevelSchema),
    hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    flags: Type.Array(Closed({ code: Type.String(), name: Type.String() })),
    criteria: Type.Array(
      Closed({
        code: Type.String(),
        name: Type.String(),
        group: Nullable(Type.String()),
        critical: Type.Boolean(),
        indicators: Type.Array(
          Closed({
            code: Type.String(),
            name: Type.String(),
            kind: IndicatorKindSchema,
            unit: Nullable(Type.String()),
            scale: Nullable(Type.Array(Type.String())),
            target: Closed({ op: TargetOpSchema, value: TargetValueSpecRef, setBy: Type.String() }),
            applicableIf: Nullable(Type.String()),
            verified: Type.Boolean(),
          }),
        ),
      }),
    ),
  },
  { title: 'criteria set' },
);

const ReviewRecord = Closed(
  {
    id: Type.Integer(),
    unitId: UnitId,
    setId: Type.String(),
    reviewedOn: IsoDate,
    status: ReviewStatusSchema,
    version: Type.Integer(),
    title: Nullable(Type.String()),
    note: Nullable(Type.String()),
    isDemo: Type.Boolean(),
    createdBy: Type.String(),
    createdAt: IsoTime,
    submittedBy: Nullable(Type.String()),
    submittedAt: Nullable(IsoTime),
    updatedAt: IsoTime,
  },
  { title: 'review' },
);

const ValueRecord = Closed(
  {
    id: Type.Integer(),
    reviewId: Type.Integer(),
    unitId: UnitId,
    indicatorCode: Type.String(),
    seq: Type.Integer(),
    value: IndicatorValueSchema,
    note: Nullable(Type.String()),
    evidence: Type.Array(Closed({ title: Type.String(), url: Type.Optional(Nullable(Type.String())) })),
    enteredBy: Type.String(),
    source: StringEnum(['web', 'api', 'cli', 'import', 'system']),
    restoredFromSeq: Nullable(Type.Integer()),
    updatedAt: IsoTime,
  },
  { title: 'value' },
);

const EvaluationRecord = Closed(
  {
    reviewId: Type.Integer(),
    unitId: UnitId,
    setId: Type.String(),
    reviewVersion: Type.Integer(),
    catalogHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    criteriaMet: Type.Integer(),
    criteriaTotal: Type.Integer(),
    indicatorsMet: Type.Integer(),
    indicatorsTotal: Type.Integer(),
    notEvaluable: Type.Integer(),
    notApplicable: Type.Integer(),
    meetsStandard: Type.Boolean(),
    level: Nullable(LevelSchema),
    criteria: Type.Record(Type.String(), VerdictStatusSchema, { description: 'status of each criterion by code' }),
    indicators: Type.Record(Type.String(), VerdictStatusSchema, { description: 'status of each indicator by code' }),
    updatedAt: IsoTime,
  },
  { title: 'evaluation' },
);

const RecognitionRecord = Closed(
  {
    id: Type.Integer(),
    unitId: UnitId,
    level: LevelSchema,
    setId: Nullable(Type.String()),
    decisionNo: Type.String(),
    decidedOn: IsoDate,
    signer: Nullable(Type.String()),
    note: Nullable(Type.String()),
    isDemo: Type.Boolean(),
    updatedAt: IsoTime,
  },
  { title: 'recognition' },
);

/** A record of the page's entity (the service builds them as plain records). */
const FeedRecord = Type.Unsafe<Record<string, unknown>>(Type.Union([UnitRecord, CriteriaSetRecord, ReviewRecord, ValueRecord, EvaluationRecord, RecognitionRecord]));

export const FeedPageSchema = Closed({
  format: StringEnum([FEED_FORMAT]),
  entity: StringEnum(FEED_ENTITIES),
  asOf: IsoTime,
  updatedSince: Nullable(IsoTime),
  unitId: Nullable(Type.String()),
  items: Type.Array(FeedRecord, { description: 'records of the entity (docs/feed.schema.json $defs/<entity>)' }),
  nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last page' })),
});
