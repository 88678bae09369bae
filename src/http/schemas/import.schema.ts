/** Importing reviews from an .xlsx (check, then all or nothing) and the Excel template to fill. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, NotRef, Nullable, Ref, StringEnum } from './common.schema.ts';
import { ReviewStatusSchema } from './review.schema.ts';
import { IMPORT_PROBLEMS } from '../../files/imports/review-sheet.ts';

export const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ default: true })),
  setId: Type.Optional(NotRef(Type.String({ maxLength: 100 }), 'id of a criteria set in the public catalogue')),
  date: Type.Optional(IsoDate),
  scopeUnitId: Type.Optional(Ref('unit', Type.String({ maxLength: 40 }))),
  status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('submitted')])),
  fileName: Type.Optional(Type.String({ maxLength: 300 })),
  expectHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
});

export const TemplateQuery = Type.Object({
  setId: Type.String({ maxLength: 100 }),
  unitId: Type.String({ maxLength: 2000, description: 'Xã, huyện, tỉnh (cách nhau bởi dấu phẩy) hoặc "all" / units or "all"' }),
  date: Type.Optional(IsoDate),
  layout: Type.Optional(Type.Union([Type.Literal('matrix'), Type.Literal('per-commune'), Type.Literal('both')])),
  prefill: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('latest')])),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const ImportProblemSchema = Closed({
  severity: StringEnum(['error', 'warning']),
  code: StringEnum(IMPORT_PROBLEMS),
  sheet: Nullable(Type.String()),
  cell: Nullable(Type.String({ description: 'A1 address of the cell at fault' })),
  row: Nullable(Type.Integer()),
  value: Nullable(Type.String({ description: 'the cell as read' })),
  message: Bilingual,
});

export const ImportRowSchema = Closed({
  sheet: Type.String(),
  row: Type.Integer(),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  reviewedOn: Nullable(IsoDate),
  action: StringEnum(['create', 'update', 'unchanged', 'skip', 'error']),
  reviewId: Nullable(Type.Integer()),
  values: Type.Integer(),
  changed: Type.Integer(),
  errors: Type.Integer(),
});

export const ImportResultSchema = Closed({
  fileName: Nullable(Type.String()),
  fileHash: Type.String({ description: 'SHA-256: send it back as expectHash to commit exactly the file checked' }),
  fileSize: Type.Integer(),
  source: StringEnum(['template', 'hand-made']),
  setId: Nullable(Type.String()),
  setName: Nullable(Type.String()),
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  status: ReviewStatusSchema,
  sheets: Type.Array(Closed({ name: Type.String(), layout: StringEnum(['matrix', 'per-commune', 'ignored', 'meta', 'instructions']), rows: Type.Integer() })),
  counts: Closed({ rows: Type.Integer(), create: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer(), withErrors: Type.Integer() }),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  problems: Type.Array(ImportProblemSchema),
  problemsTruncated: Type.Boolean(),
  rows: Type.Array(ImportRowSchema),
  rowsTruncated: Type.Boolean(),
  ms: Type.Number(),
});
