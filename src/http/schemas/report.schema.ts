/**
 * Reports: a file (xlsx, or docx in the Decree 30/2020 format) or, as JSON, the report model every
 * format is rendered from (src/files/reports/model.ts): tables, text blocks, the administrative
 * header and the signature.
 */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, MAX_INT, Nullable, StringEnum } from './common.schema.ts';
import { REPORT_KINDS } from '../../services/report.service.ts';

export const KindParams = Type.Object({ kind: Type.Union(REPORT_KINDS.map((k) => Type.Literal(k))) });
export const ReportQuery = Type.Object({
  unitId: Type.String({ maxLength: 2000, description: 'Mã đơn vị (nhiều đơn vị cách nhau bởi dấu phẩy, hoặc "all" cho ma trận toàn quốc) / unit id(s) or "all"' }),
  date: Type.Optional(IsoDate),
  format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('docx'), Type.Literal('json')])),
  reviewId: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  number: Type.Optional(Type.String({ maxLength: 40, description: 'Số, ký hiệu: 05/BC-UBND' })),
  place: Type.Optional(Type.String({ maxLength: 80 })),
  signer: Type.Optional(Type.String({ maxLength: 80 })),
  documentDate: Type.Optional(IsoDate),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

const CellTypeSchema = StringEnum(['text', 'integer', 'number', 'percent', 'date', 'status']);

/** A plain value read with its column's type, or one with its own type. */
const CellSchema = Type.Union([
  Type.Null(),
  Type.String(),
  Type.Number(),
  Closed({ t: CellTypeSchema, v: Type.Union([Type.String(), Type.Number(), Type.Null()]), decimals: Type.Optional(Type.Integer()) }),
]);

const TableSchema = Closed({
  id: Type.String(),
  sheetName: Type.String(),
  title: Bilingual,
  subtitle: Type.Optional(Type.Array(Type.String())),
  columns: Type.Array(
    Closed({
      key: Type.String(),
      title: Bilingual,
      type: CellTypeSchema,
      width: Type.Optional(Type.Number()),
      decimals: Type.Optional(Type.Integer()),
      align: Type.Optional(StringEnum(['left', 'center', 'right'])),
      only: Type.Optional(StringEnum(['xlsx', 'docx'])),
    }),
  ),
  rows: Type.Array(Closed({ cells: Type.Array(CellSchema), kind: Type.Optional(StringEnum(['data', 'group', 'strong'])) })),
  freezeColumns: Type.Optional(Type.Integer()),
  legend: Type.Optional(Type.Boolean()),
  autoFilter: Type.Optional(Type.Boolean()),
  landscape: Type.Optional(Type.Boolean()),
  notes: Type.Optional(Type.Array(Type.String())),
});

const BlockSchema = Type.Union([
  Closed({ type: StringEnum(['heading']), level: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]), text: Type.String() }),
  Closed({ type: StringEnum(['paragraph']), text: Type.String(), italic: Type.Optional(Type.Boolean()), bold: Type.Optional(Type.Boolean()), indent: Type.Optional(Type.Boolean()), center: Type.Optional(Type.Boolean()), lead: Type.Optional(Type.String()) }),
  Closed({ type: StringEnum(['bullets']), items: Type.Array(Type.String()) }),
  Closed({ type: StringEnum(['table']), table: TableSchema, fontSize: Type.Optional(Type.Number()), hideTitle: Type.Optional(Type.Boolean()), xlsxOnly: Type.Optional(Type.Boolean()) }),
  Closed({ type: StringEnum(['note']), text: Type.String() }),
  Closed({ type: StringEnum(['pageBreak']) }),
  Closed({ type: StringEnum(['appendix']), label: Type.String(), title: Type.String(), reference: Type.String() }),
]);

/** The report model (what `format=json` answers; the web app renders it). */
export const ReportSchema = Closed({
  kind: Type.String(),
  title: Bilingual,
  meta: Closed({
    date: IsoDate,
    unitName: Nullable(Type.String()),
    setId: Nullable(Type.String()),
    setName: Nullable(Type.String()),
    generatedAt: Type.String(),
    demo: Type.Boolean(),
    unverifiedIndicators: Type.Integer(),
  }),
  header: Type.Optional(
    Closed({
      parentBody: Nullable(Type.String()),
      issuingBody: Type.String(),
      number: Type.String(),
      place: Type.String(),
      date: IsoDate,
      docType: Type.String(),
      summary: Type.String(),
      recipientsTo: Type.Array(Type.String()),
    }),
  ),
  signature: Type.Optional(Closed({ authority: Nullable(Type.String()), position: Type.String(), name: Nullable(Type.String()), recipients: Type.Array(Type.String()), archive: Type.String(), coSigner: Type.Optional(Closed({ position: Type.String(), name: Nullable(Type.String()) })) })),
  blocks: Type.Array(BlockSchema),
  fileName: Type.String(),
});
