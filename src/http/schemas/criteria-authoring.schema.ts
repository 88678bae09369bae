/**
 * Criteria sets authored in the application (drafts, four-eyes verification, publishing): the
 * bodies and answers of `/criteria-sets/authoring/…`. A set document has the file format of
 * docs/catalog.md; the catalogue validates it (problems name the JSON path), so the schema here
 * checks the envelope and leaves the document's inner shape to that validation.
 */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, NotRef, Nullable, Ref, StringEnum, Text, VersionField } from './common.schema.ts';
import { CriteriaSetDefinitionSchema, ProvenanceCountsSchema } from './criteria-set.schema.ts';
import { SET_EDIT_OPS } from '../../catalog/edit.ts';

export const SetVersionParams = Type.Object({ id: Type.String({ maxLength: 100 }), version: Type.Integer({ minimum: 1, maximum: 1000 }) });
export const SetIndicatorParams = Type.Object({ id: Type.String({ maxLength: 100 }), version: Type.Integer({ minimum: 1, maximum: 1000 }), code: Type.String({ maxLength: 20 }) });
export const SourceUploadQuery = Type.Object({ filename: Type.Optional(Type.String({ maxLength: 300 })) });

const Decision = Closed({
  number: Text(200),
  date: IsoDate,
  issuer: Type.Optional(Nullable(Text(300))),
  appendix: Type.Optional(Nullable(Text(300))),
  url: Type.Optional(Nullable(Text(2000))),
});

export const NewDraftBody = Closed({
  basedOn: Type.Optional(NotRef(Text(100), 'id of a published criteria set (the national one, or another in the catalogue)')),
  setId: Type.Optional(NotRef(Text(100), 'the new set id: lowercase letters, digits, hyphens')),
  newVersionOf: Type.Optional(NotRef(Text(100), 'id of a stored set to make a new version of')),
  name: Type.Optional(Text(500)),
  provinceId: Type.Optional(Ref('unit', Text(40))),
  validFrom: Type.Optional(IsoDate),
  validTo: Type.Optional(Nullable(IsoDate)),
  decision: Type.Optional(Decision),
  demo: Type.Optional(Type.Boolean()),
});

export const EditDraftBody = Closed({
  version: VersionField,
  edit: Type.Object(
    { op: StringEnum(SET_EDIT_OPS) },
    {
      additionalProperties: true,
      description:
        'header {name, validFrom, validTo, decision, notes} | put {criterion, after?, indicator} | remove {indicator, note?} | split {indicator, into[]} | criterion {criterion, name?, critical?}; an indicator has the file format of docs/catalog.md',
    },
  ),
});

export const VersionBody = Closed({ version: VersionField });

const ReevaluationSchema = Closed({
  state: StringEnum(['running', 'done', 'failed']),
  total: Type.Integer(),
  done: Type.Integer(),
  changedVerdicts: Type.Integer(),
  levelChanges: Type.Array(LevelChange()),
  startedAt: IsoTime,
  finishedAt: Nullable(IsoTime),
  ms: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

function LevelChange() {
  return Closed({ reviewId: Type.Integer(), unitId: Type.String(), unitName: Type.String(), reviewedOn: IsoDate, from: Nullable(Type.String()), to: Nullable(Type.String()) });
}

const CountsSchema = Closed({
  criteria: Type.Integer(),
  indicators: Type.Integer(),
  verifiedIndicators: Type.Integer(),
  verified: Type.Boolean(),
  criticalCriteria: Type.Array(Type.String()),
  pendingCriteria: Type.Array(Type.String()),
  targetsUnset: Type.Integer(),
  byKind: Type.Record(Type.String(), Type.Integer()),
  provenance: ProvenanceCountsSchema,
});

const summaryFields = {
  setId: Type.String(),
  setVersion: Type.Integer(),
  status: StringEnum(['draft', 'published']),
  name: Type.String(),
  provinceId: Nullable(Type.String()),
  basedOn: Nullable(Type.String()),
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  supersededOn: Nullable(IsoDate),
  counts: Nullable(CountsSchema),
  awaitingVerification: Type.Integer({ description: 'indicators with a source copy waiting for a second officer' }),
  demo: Type.Boolean(),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  publishedBy: Nullable(Type.String()),
  publishedAt: Nullable(IsoTime),
  reevaluation: Nullable(ReevaluationSchema),
};

export const AuthoredVersionSummarySchema = Closed(summaryFields);
export const AuthoredVersionListSchema = Closed({ items: Type.Array(AuthoredVersionSummarySchema) });

const IndicatorMetaSchema = Closed({
  editedBy: Type.String(),
  editedAt: IsoTime,
  sourceCopy: Nullable(Closed({ sha256: Type.String(), filename: Type.String(), contentType: Type.String(), size: Type.Integer(), uploadedBy: Type.String(), uploadedAt: IsoTime })),
  verifiedBy: Nullable(Type.String()),
  verifiedAt: Nullable(IsoTime),
});

export const AuthoredVersionSchema = Closed({
  ...summaryFields,
  document: Type.Unknown({ description: 'the set document (file format of docs/catalog.md)' }),
  resolved: Nullable(CriteriaSetDefinitionSchema),
  problems: Type.Array(Closed({ field: Type.String(), message: Type.String(), message_vi: Type.String() })),
  indicators: Type.Record(Type.String(), IndicatorMetaSchema, { description: 'per indicator code: who entered it, its source copy, who verified it' }),
  diffFromBase: Type.Unknown({ description: 'what it changes against its base set (see `datchuan catalog diff`), or null' }),
  diffFromPrevious: Type.Unknown({ description: 'what it changes against the previous version, or null' }),
});

export const ImpactSchema = Closed({
  reviews: Type.Integer({ description: 'reviews of the set evaluated' }),
  changedVerdicts: Type.Integer(),
  levelChanges: Type.Array(LevelChange()),
});

export const SetImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'check only (default true)' })),
  provinceId: Type.Optional(Ref('unit', Text(40))),
});

export const SetImportResultSchema = Closed({
  problems: Type.Array(Closed({ sheet: Nullable(Type.String()), cell: Nullable(Type.String()), message_vi: Type.String(), message: Type.String() })),
  set: Nullable(Closed({ id: Type.String(), name: Type.String(), criteria: Type.Integer(), indicators: Type.Integer() })),
  draft: Nullable(AuthoredVersionSummarySchema),
});
