/**
 * Bộ tiêu chí dạng Excel — a criteria set as a workbook, out and back in (issue 13.3). Provinces
 * keep their criteria tables in Excel; this is how they see ours and bring theirs.
 *
 * Sheets (headers in Vietnamese, header rows frozen):
 * - `Bộ tiêu chí`: the set's fields, one per row (Trường | Giá trị | Cách ghi);
 * - `Chỉ tiêu`: one row per indicator with its criterion's code, name and "bắt buộc" on every row
 *   (a criterion without indicators yet has one row with no indicator code and its "sẽ nhập sau"
 *   message); the target in one cell (`target-text.ts`: a number, or "Theo vùng (DBSH: 100; …)");
 * - `Điều kiện kết hợp`: the conditions of compound indicators, one per row;
 * - `Thông tin xã`: the yes/no conditions ("(nếu có)" items) and the numeric facts targets may
 *   depend on, that a commune reports with its values;
 * - `Hướng dẫn`: how to fill it in; `_datchuan_bo_tieu_chi` (hidden, last): format, set, mode.
 * Columns and sheets the template does not have are problems, never silently ignored; grey
 * "(chỉ để xem)" cells (basis of a resolved target, `basedOn`, the mode) are for reading only.
 *
 * Dates are real Excel dates shown `dd/mm/yyyy` (as the reports write them); on reading, a date
 * cell or the text `dd/mm/yyyy` is accepted, anything else is a problem saying how to write it.
 *
 * Two modes: every variant of every target (default; read back it gives the same set), or the
 * targets resolved for one region / commune group / year (`resolvedFor`, like `catalog show`), with
 * a "Căn cứ ngưỡng" column saying why each applies.
 *
 * Reading gives a standalone `SetFile` (no `basedOn`; `criteria` listed) and every problem with its
 * sheet, cell and a Vietnamese and English message saying what is wrong and what to do; the result
 * is also checked by `validateSetFile` and `resolveSets`, whose JSON-path problems are mapped back
 * to cells. Pure: takes and gives bytes (reading runs on `readXlsx`, or on the events of the parse
 * worker through `readSetWorkbookEvents`).
 */
import type { CommuneGroup, CriteriaSet, Indicator, IndicatorKind, Level, RegionCode, SpecialStatus, TargetOp } from '../../domain/criteria.ts';
import { CONDITION_KINDS, INDICATOR_KINDS, LEVELS, OPS_BY_KIND, PHASES, REGION_CODES, SPECIAL_STATUSES } from '../../domain/criteria.ts';
import { formatDateVi, isIsoDate } from '../../domain/dates.ts';
import { isDomainError, type BilingualMessage } from '../../domain/errors.ts';
import { PROVENANCE_LEVEL_NAMES, PROVENANCE_LEVELS, type ProvenanceLevel } from '../../domain/provenance.ts';
import { foldVietnamese } from '../../domain/text.ts';
import { resolveTarget, targetContext } from '../../domain/targets.ts';
import { resolveSets } from '../../catalog/resolve.ts';
import type { PathIssue } from '../../catalog/issues.ts';
import type { ConditionFile, CriterionFile, IndicatorFile, ProvenanceFile, SetFile, TargetFile } from '../../catalog/set-file.ts';
import { FORMAT_VERSION } from '../../catalog/set-file.ts';
import { validateSetFile } from '../../catalog/set-schema.ts';
import type { Raw } from '../imports/cells.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from '../imports/limits.ts';
import { assertXlsx, type XlsxEvents } from '../imports/review-sheet.ts';
import { colLetter } from '../imports/template.ts';
import { readXlsx } from '../imports/xlsx-reader.ts';
import { BORDER, DEMO_STYLE, ExcelJS, HEADER_STYLE, NOTE_STYLE, NUMFMT, TITLE_STYLE, a4, excelDate, font, solid } from '../xlsx-style.ts';
import { NULL_TARGET, checkLeaf, formatTargetText, parseTargetText } from './target-text.ts';

export const SET_SHEET = 'Bộ tiêu chí';
export const INDICATOR_SHEET = 'Chỉ tiêu';
export const CONDITION_SHEET = 'Điều kiện kết hợp';
export const FACTS_SHEET = 'Thông tin xã';
export const GUIDE_SHEET = 'Hướng dẫn';
export const SET_META_SHEET = '_datchuan_bo_tieu_chi';
export const SET_WORKBOOK_FORMAT = 'datchuan.criteria-set.v1';

/** Where targets apply, for a workbook of targets resolved for one context (`catalog show`). */
export interface SetWorkbookContext {
  region?: RegionCode | null;
  group?: CommuneGroup | null;
  year?: number | null;
  special?: SpecialStatus | null;
}

export interface SetWorkbookOptions {
  /** Resolve every target for this context (one value each, with its basis); default: every variant. */
  resolvedFor?: SetWorkbookContext | null;
}

/** A problem in a workbook: its sheet and A1 cell (null only for the file itself), both languages. */
export interface SetWorkbookProblem {
  sheet: string | null;
  cell: string | null;
  message_vi: string;
  message: string;
}

export interface SetWorkbookRead {
  /** The set read, standalone (no basedOn), or null when there is any problem. */
  set: SetFile | null;
  problems: SetWorkbookProblem[];
}

// ── Words ─────────────────────────────────────────────────────────────────────────────────────

const LEVEL_LABEL: Record<Level, string> = { ntm: 'NTM', 'nang-cao': 'NTM nâng cao', 'kieu-mau': 'NTM kiểu mẫu', 'hien-dai': 'NTM hiện đại' };
const KIND_LABEL: Record<IndicatorKind, string> = {
  boolean: 'Đạt/Không đạt',
  percent: 'Tỷ lệ %',
  number: 'Số',
  ratio: 'Tỷ lệ từ tử số/mẫu số',
  grade: 'Xếp loại',
  none_count: 'Không có (số lượng = 0)',
  compound: 'Kết hợp nhiều điều kiện',
};
const OP_LABEL: Record<TargetOp, string> = { '>=': '≥', '<=': '≤', '=': '=', is: 'là' };
const ZERO_LABEL = { not_evaluable: 'không đánh giá được', not_applicable: 'không áp dụng' } as const;
const SCOPE_LABEL = { national: 'Quốc gia', provincial: 'Tỉnh' } as const;
const FLAG_TYPE = 'Điều kiện (có/không)';
const ATTRIBUTE_TYPE = 'Số liệu (số)';
const YES = 'Có';
const NO = 'Không';

const fold = (s: string) => foldVietnamese(s);

function matchWord<T extends string>(text: string, table: Record<T, string>, codes: readonly T[]): T | null {
  const f = fold(text);
  for (const c of codes) if (fold(c) === f || fold(table[c]) === f) return c;
  return null;
}

// ── Columns ───────────────────────────────────────────────────────────────────────────────────

interface Column {
  key: string;
  header: string;
  width: number;
  wrap?: boolean;
  required?: boolean;
  /** Shown for reading only (resolved mode): ignored on import. */
  info?: boolean;
}

const INDICATOR_COLUMNS: Column[] = [
  { key: 'criterionCode', header: 'Mã tiêu chí', width: 8, required: true },
  { key: 'criterionName', header: 'Tên tiêu chí', width: 26, wrap: true, required: true },
  { key: 'critical', header: 'Tiêu chí bắt buộc', width: 10, required: true },
  { key: 'code', header: 'Mã chỉ tiêu', width: 9, required: true },
  { key: 'name', header: 'Tên chỉ tiêu', width: 52, wrap: true, required: true },
  { key: 'kind', header: 'Loại', width: 22, required: true },
  { key: 'unit', header: 'Đơn vị', width: 16, wrap: true },
  { key: 'op', header: 'So sánh', width: 8, required: true },
  { key: 'target', header: 'Ngưỡng', width: 34, wrap: true, required: true },
  { key: 'basis', header: 'Căn cứ ngưỡng (chỉ để xem)', width: 40, wrap: true, info: true },
  { key: 'scale', header: 'Thang xếp loại (thấp đến cao)', width: 28, wrap: true },
  { key: 'applicableIf', header: 'Chỉ áp dụng khi có', width: 22 },
  { key: 'zeroDenominator', header: 'Khi mẫu số bằng 0', width: 18 },
  { key: 'provenance', header: 'Nguồn gốc', width: 11 },
  { key: 'provNumber', header: 'Nguồn: số văn bản', width: 20, wrap: true },
  { key: 'provDate', header: 'Nguồn: ngày', width: 12 },
  { key: 'provIssuer', header: 'Nguồn: cơ quan ban hành', width: 24, wrap: true },
  { key: 'provRef', header: 'Nguồn: trích dẫn', width: 34 },
  { key: 'provUrl', header: 'Nguồn: đường dẫn', width: 30 },
  { key: 'verified', header: 'Đã xác minh', width: 10, required: true },
  { key: 'sourceDecision', header: 'Căn cứ: quyết định', width: 18, required: true },
  { key: 'sourceAppendix', header: 'Căn cứ: phụ lục', width: 12 },
  { key: 'sourceUrl', header: 'Căn cứ: đường dẫn', width: 30 },
  { key: 'sourceNote', header: 'Căn cứ: ghi chú', width: 30 },
  { key: 'note', header: 'Ghi chú', width: 60 },
  { key: 'criterionGroup', header: 'Nhóm tiêu chí', width: 24, wrap: true },
  { key: 'nameVerified', header: 'Tên tiêu chí đã đối chiếu', width: 12 },
  { key: 'pendingVi', header: 'Chỉ tiêu sẽ nhập sau (tiếng Việt)', width: 34, wrap: true },
  { key: 'pendingEn', header: 'Chỉ tiêu sẽ nhập sau (tiếng Anh)', width: 34, wrap: true },
];

const CONDITION_COLUMNS: Column[] = [
  { key: 'indicator', header: 'Mã chỉ tiêu', width: 10, required: true },
  { key: 'code', header: 'Mã điều kiện', width: 16, required: true },
  { key: 'name', header: 'Tên điều kiện', width: 52, wrap: true, required: true },
  { key: 'kind', header: 'Loại', width: 22, required: true },
  { key: 'unit', header: 'Đơn vị', width: 14, wrap: true },
  { key: 'op', header: 'So sánh', width: 8, required: true },
  { key: 'target', header: 'Ngưỡng', width: 44, wrap: true, required: true },
  { key: 'basis', header: 'Căn cứ ngưỡng (chỉ để xem)', width: 40, wrap: true, info: true },
];

const FACT_COLUMNS: Column[] = [
  { key: 'type', header: 'Loại', width: 22, required: true },
  { key: 'code', header: 'Mã', width: 26, required: true },
  { key: 'name', header: 'Tên', width: 50, wrap: true, required: true },
  { key: 'unit', header: 'Đơn vị', width: 14 },
];

type FieldType = 'text' | 'int' | 'date' | 'yesno' | 'level' | 'levels' | 'scope' | 'phase' | 'special' | 'info';

interface Field {
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  hint: string;
}

const FIELDS: Field[] = [
  { key: 'id', label: 'Mã bộ tiêu chí', type: 'text', required: true, hint: 'chữ thường không dấu, số, gạch nối (ví dụ ha-nam-ntm-2026-2030)' },
  { key: 'version', label: 'Phiên bản', type: 'int', hint: 'số nguyên 1, 2, …; để trống là 1' },
  { key: 'name', label: 'Tên bộ tiêu chí', type: 'text', required: true, hint: 'bộ minh họa phải có chữ "minh họa" hoặc "demo" trong tên' },
  { key: 'phase', label: 'Giai đoạn', type: 'phase', required: true, hint: PHASES.join(' hoặc ') },
  { key: 'level', label: 'Mức đạt chuẩn', type: 'level', required: true, hint: LEVELS.map((l) => LEVEL_LABEL[l]).join(', ') },
  { key: 'scope', label: 'Phạm vi', type: 'scope', required: true, hint: 'Quốc gia hoặc Tỉnh' },
  { key: 'provinceCode', label: 'Mã tỉnh', type: 'text', hint: 'chỉ với bộ cấp tỉnh' },
  { key: 'provinceName', label: 'Tên tỉnh', type: 'text', hint: 'chỉ với bộ cấp tỉnh' },
  { key: 'decisionNumber', label: 'Số quyết định', type: 'text', required: true, hint: 'ví dụ 318/QĐ-TTg' },
  { key: 'decisionDate', label: 'Ngày quyết định', type: 'date', required: true, hint: 'dd/mm/yyyy' },
  { key: 'decisionIssuer', label: 'Cơ quan ban hành', type: 'text', hint: 'ví dụ Thủ tướng Chính phủ' },
  { key: 'decisionAppendix', label: 'Phụ lục', type: 'text', hint: 'ví dụ Phụ lục I' },
  { key: 'decisionUrl', label: 'Đường dẫn văn bản', type: 'text', hint: 'địa chỉ trang văn bản' },
  { key: 'validFrom', label: 'Hiệu lực từ ngày', type: 'date', required: true, hint: 'dd/mm/yyyy' },
  { key: 'validTo', label: 'Hiệu lực đến ngày', type: 'date', hint: 'dd/mm/yyyy; để trống nếu chưa có ngày kết thúc' },
  { key: 'demo', label: 'Dữ liệu minh họa', type: 'yesno', hint: 'Có hoặc Không' },
  { key: 'requires', label: 'Mức phải đạt trước', type: 'levels', hint: 'các mức, cách nhau bằng dấu phẩy (ví dụ NTM); để trống nếu không có' },
  { key: 'specialRegion', label: 'Diện đặc biệt dùng ngưỡng của vùng', type: 'special', hint: `ví dụ "dbkk: TDMNPB; atk: TDMNPB"; "${NULL_TARGET}" khi văn bản không nói vùng nào; diện: ${SPECIAL_STATUSES.join(', ')}` },
  { key: 'notes', label: 'Ghi chú', type: 'text', hint: '' },
  { key: 'basedOn', label: 'Dựa trên bộ (chỉ để xem)', type: 'info', hint: 'không đọc khi nhập: bộ nhập vào là bộ đầy đủ, không dựa trên bộ khác' },
  { key: 'mode', label: 'Ngưỡng (chỉ để xem)', type: 'info', hint: 'không đọc khi nhập' },
];

// ── Writing ───────────────────────────────────────────────────────────────────────────────────

/** A cell written: text (kept as text, "5.1" is no date), a number, a date (a real Excel date shown dd/mm/yyyy), or empty. */
type CellOut = string | number | Date | null;

const CELL: Partial<ExcelJS.Style> = { font: font(), border: BORDER, alignment: { vertical: 'top', horizontal: 'left', wrapText: false } };
const WRAP: Partial<ExcelJS.Style> = { font: font(), border: BORDER, alignment: { vertical: 'top', horizontal: 'left', wrapText: true } };
const INFO_FILL = 'FFF2F2F2';

function contextText(ctx: SetWorkbookContext): string {
  const parts: string[] = [];
  if (ctx.region) parts.push(`vùng ${ctx.region}`);
  if (ctx.group) parts.push(`nhóm xã ${ctx.group}`);
  if (ctx.year) parts.push(`năm ${ctx.year}`);
  if (ctx.special) parts.push(`diện ${ctx.special}`);
  return parts.length ? parts.join(', ') : 'không chọn vùng, nhóm, năm';
}

function specialText(s: CriteriaSet['specialRegion']): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}: ${v ?? NULL_TARGET}`)
    .join('; ');
}

/** Rows grow with their longest wrapped text (spreadsheet programs do not always re-measure). */
function fitRow(row: ExcelJS.Row, columns: Column[]): void {
  let lines = 1;
  columns.forEach((c, i) => {
    const v = row.getCell(i + 1).value;
    if (typeof v !== 'string' || !c.wrap) return;
    const per = Math.max(4, Math.floor(c.width * 1.3));
    const n = v.split('\n').reduce((a, l) => a + Math.max(1, Math.ceil(l.length / per)), 0);
    lines = Math.max(lines, n);
  });
  row.height = Math.min(409, 15 * lines + 3);
}

function addTable(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Array<Record<string, CellOut>>, opts: { tab?: string } = {}): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    pageSetup: { ...a4(true, '1:1'), fitToWidth: Math.max(1, Math.ceil(columns.reduce((a, c) => a + c.width, 0) / 240)) },
    properties: opts.tab ? { tabColor: { argb: opts.tab } } : {},
  });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width }));
  const head = ws.getRow(1);
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = c.header;
    cell.style = c.info ? { ...HEADER_STYLE, fill: solid(INFO_FILL) } : HEADER_STYLE;
  });
  head.height = 34;
  rows.forEach((r, k) => {
    const row = ws.getRow(k + 2);
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const v = r[c.key];
      cell.value = v === undefined || v === '' ? null : v;
      // Each cell its own style object (ExcelJS shares it otherwise); text cells stay text when edited ("5.1" is no date).
      const style = c.info ? { ...(c.wrap ? WRAP : CELL), fill: solid(INFO_FILL), font: font({ italic: true }) } : c.wrap ? WRAP : CELL;
      cell.style = typeof v === 'string' ? { ...style, numFmt: '@' } : v instanceof Date ? { ...style, numFmt: NUMFMT.date } : { ...style };
    });
    fitRow(row, columns);
  });
  if (rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: columns.length } };
  return ws;
}

/**
 * The set as an .xlsx workbook: every variant of every target (default), or the targets resolved
 * for `options.resolvedFor` (region / group / year / special status, as `catalog show`).
 */
export async function writeSetWorkbook(set: CriteriaSet, options: SetWorkbookOptions = {}): Promise<Buffer> {
  const resolved = options.resolvedFor ?? null;
  const ctx = resolved
    ? targetContext(set, { code: '', name: '', region: resolved.region ?? null, group: resolved.group ?? null, special: resolved.special ?? null }, resolved.year ?? null)
    : null;
  const targetOf = (t: Indicator['target']): { value: string | number | null; basis: string | null } => {
    if (ctx) {
      const r = resolveTarget(t, ctx);
      return { value: typeof r.value === 'number' ? r.value : formatTargetText(r.value), basis: r.basis.text.vi };
    }
    return { value: typeof t.value === 'number' ? t.value : formatTargetText(t.value), basis: null };
  };

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Đạt Chuẩn';
  wb.title = set.name;


  // Bộ tiêu chí
  const head = wb.addWorksheet(SET_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 4 }], pageSetup: a4(true, '4:4') });
  head.columns = [{ width: 34 }, { width: 72 }, { width: 52 }];
  head.getCell('A1').value = set.name;
  head.getCell('A1').style = TITLE_STYLE;
  head.getCell('A2').value = set.demo
    ? 'DỮ LIỆU MINH HỌA — không phải bộ tiêu chí chính thức.'
    : resolved
      ? `Ngưỡng đã chọn cho ${contextText(resolved)}: mỗi chỉ tiêu một ngưỡng.`
      : 'Mọi phương án ngưỡng (theo vùng, nhóm xã, năm…): nhập lại được đúng như bộ này.';
  head.getCell('A2').style = set.demo ? DEMO_STYLE : NOTE_STYLE;
  const hr = head.getRow(4);
  ['Trường', 'Giá trị', 'Cách ghi'].forEach((t, i) => {
    hr.getCell(i + 1).value = t;
    hr.getCell(i + 1).style = HEADER_STYLE;
  });
  hr.height = 22;
  const values: Record<string, CellOut> = {
    id: set.id,
    version: set.version,
    name: set.name,
    phase: set.phase,
    level: LEVEL_LABEL[set.level],
    scope: SCOPE_LABEL[set.scope],
    provinceCode: set.province?.code ?? null,
    provinceName: set.province?.name ?? null,
    decisionNumber: set.decision.number,
    decisionDate: excelDate(set.decision.date),
    decisionIssuer: set.decision.issuer,
    decisionAppendix: set.decision.appendix,
    decisionUrl: set.decision.url,
    validFrom: excelDate(set.validFrom),
    validTo: set.validTo === null ? null : excelDate(set.validTo),
    demo: set.demo ? YES : NO,
    requires: set.requires.map((l) => LEVEL_LABEL[l]).join(', '),
    specialRegion: specialText(set.specialRegion),
    notes: set.notes,
    basedOn: set.basedOn ? `${set.basedOn}${set.basedOnVersion ? `@${set.basedOnVersion}` : ''}` : null,
    mode: resolved ? `đã chọn cho ${contextText(resolved)}` : 'mọi phương án',
  };
  FIELDS.forEach((f, i) => {
    const row = head.getRow(5 + i);
    const v = values[f.key] ?? null;
    row.getCell(1).value = f.label;
    row.getCell(1).style = { ...CELL, font: font({ bold: true }), ...(f.type === 'info' ? { fill: solid(INFO_FILL) } : {}) };
    row.getCell(2).value = v === '' ? null : v;
    row.getCell(2).style = { ...(f.type === 'info' ? { ...WRAP, fill: solid(INFO_FILL), font: font({ italic: true }) } : WRAP), ...(typeof v === 'string' ? { numFmt: '@' } : v instanceof Date ? { numFmt: NUMFMT.date } : {}) };
    row.getCell(3).value = f.hint || null;
    row.getCell(3).style = { ...WRAP, font: font({ italic: true, size: 10, color: { argb: 'FF595959' } }) };
    fitRow(row, [{ key: 'a', header: '', width: 34 }, { key: 'b', header: '', width: 72, wrap: true }, { key: 'c', header: '', width: 52, wrap: true }]);
  });

  // Chỉ tiêu
  const columns = INDICATOR_COLUMNS.filter((c) => c.key !== 'basis' || resolved);
  const rows: Array<Record<string, CellOut>> = [];
  for (const c of set.criteria) {
    const crit = { criterionCode: c.code, criterionName: c.name, critical: c.critical ? YES : NO, criterionGroup: c.group, nameVerified: c.nameVerified ? YES : NO };
    if (c.indicators.length === 0) {
      rows.push({ ...crit, pendingVi: c.pendingIndicators?.vi ?? null, pendingEn: c.pendingIndicators?.en ?? null });
      continue;
    }
    for (const i of c.indicators) {
      const t = targetOf(i.target);
      const src = i.provenance.source;
      rows.push({
        ...crit,
        code: i.code,
        name: i.name,
        kind: KIND_LABEL[i.kind],
        unit: i.unit,
        op: OP_LABEL[i.target.op],
        target: t.value,
        basis: t.basis,
        scale: i.scale ? i.scale.join('; ') : null,
        applicableIf: i.applicableIf?.flag ?? null,
        zeroDenominator: i.kind === 'ratio' ? ZERO_LABEL[i.zeroDenominator] : null,
        provenance: PROVENANCE_LEVEL_NAMES[i.provenance.level].vi,
        provNumber: src?.number ?? null,
        provDate: src?.date ? excelDate(src.date) : null,
        provIssuer: src?.issuer ?? null,
        provRef: src?.ref ?? null,
        provUrl: src?.url ?? null,
        verified: i.verified ? YES : NO,
        sourceDecision: i.source.decision,
        sourceAppendix: i.source.appendix,
        sourceUrl: i.source.url,
        sourceNote: i.source.note,
        note: i.note,
      });
    }
  }
  addTable(wb, INDICATOR_SHEET, columns, rows, { tab: 'FF2E75B6' });

  // Điều kiện kết hợp
  const condColumns = CONDITION_COLUMNS.filter((c) => c.key !== 'basis' || resolved);
  const condRows: Array<Record<string, CellOut>> = [];
  for (const i of set.criteria.flatMap((c) => c.indicators)) {
    for (const k of i.conditions ?? []) {
      const t = targetOf(k.target);
      condRows.push({ indicator: i.code, code: k.code, name: k.name, kind: KIND_LABEL[k.kind], unit: k.unit, op: OP_LABEL[k.target.op], target: t.value, basis: t.basis });
    }
  }
  addTable(wb, CONDITION_SHEET, condColumns, condRows);

  // Thông tin xã
  addTable(wb, FACTS_SHEET, FACT_COLUMNS, [
    ...set.flags.map((f) => ({ type: FLAG_TYPE, code: f.code, name: f.name, unit: null })),
    ...set.attributes.map((a) => ({ type: ATTRIBUTE_TYPE, code: a.code, name: a.name, unit: a.unit })),
  ]);

  // Hướng dẫn
  const guide = wb.addWorksheet(GUIDE_SHEET, { pageSetup: a4(true) });
  guide.columns = [{ width: 110 }];
  GUIDE.forEach((line, i) => {
    const c = guide.getCell(`A${i + 1}`);
    c.value = line;
    c.style = i === 0 ? TITLE_STYLE : { font: font(), alignment: { wrapText: true, vertical: 'top' } };
    guide.getRow(i + 1).height = Math.max(15, 15 * Math.ceil(line.length / 120) + 2);
  });

  // Hidden, and last: a hidden first sheet would be the active one, and some programs then show it.
  const meta = wb.addWorksheet(SET_META_SHEET, { state: 'hidden' });
  const metaRows: Array<[string, string | number]> = [
    ['format', SET_WORKBOOK_FORMAT],
    ['set', `${set.id}@${set.version}`],
    ['mode', resolved ? 'resolved' : 'all'],
  ];
  if (resolved) for (const k of ['region', 'group', 'year', 'special'] as const) if (resolved[k] != null) metaRows.push([k, resolved[k]!]);
  metaRows.forEach(([k, v]) => meta.addRow([k, v]));

  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GUIDE = [
  'Cách ghi bộ tiêu chí trong bảng tính này',
  `Trang "${SET_SHEET}": mỗi dòng một trường (cột Trường giữ nguyên, ghi cột Giá trị). Ngày ghi dd/mm/yyyy (ví dụ 08/03/2022).`,
  `Trang "${INDICATOR_SHEET}": mỗi dòng một chỉ tiêu. Mã, tên tiêu chí và "Tiêu chí bắt buộc" ghi trên mọi dòng của tiêu chí (để trống thì lấy theo dòng trên). Tiêu chí chưa có chỉ tiêu: một dòng không có mã chỉ tiêu, ghi lý do ở hai cột "Chỉ tiêu sẽ nhập sau".`,
  `Loại: ${INDICATOR_KINDS.map((k) => KIND_LABEL[k]).join('; ')}. So sánh: ≥, ≤, = (loại Đạt/Không đạt và Kết hợp: "là").`,
  `Ngưỡng: một số (tỷ lệ % ghi 80, không ghi 0,8), "Đạt", một mức của thang xếp loại, hoặc "${NULL_TARGET}" khi tỉnh chưa quy định.`,
  'Ngưỡng khác nhau theo vùng, nhóm xã, năm hay số liệu của xã ghi trong một ô, các mục cách nhau bằng dấu chấm phẩy:',
  '   Theo vùng (TDMNPB: 70; DBSH: 100)   — mã vùng: ' + REGION_CODES.join(', ') + '; vùng không ghi là chưa xác định',
  '   Theo nhóm xã (Nhóm 1: 95; Nhóm 2: 90; Nhóm 3: 80)      Theo năm (2022: 59; 2023: 64)',
  '   Theo số liệu so_truong (≤ 3: 50; ≥ 4: 70)   — khoảng "4–10", "≥ 4", "≤ 3" hoặc "mọi giá trị"; mã số liệu khai ở trang "Thông tin xã"',
  '   Theo vùng (DBSH: Theo năm (2022: 54; 2023: 60); TN: 70)   — bảng lồng nhau;   Theo vùng (chưa có giá trị nào) — có khác theo vùng nhưng chưa biết giá trị',
  `Trang "${CONDITION_SHEET}": các điều kiện của chỉ tiêu loại "Kết hợp nhiều điều kiện" (ít nhất 2), mỗi điều kiện một dòng, cột "Mã chỉ tiêu" là mã của chỉ tiêu kết hợp.`,
  `Trang "${FACTS_SHEET}": "${FLAG_TYPE}" là các điều kiện xã trả lời có/không (chỉ tiêu "(nếu có)" ghi mã ở cột "Chỉ áp dụng khi có"); "${ATTRIBUTE_TYPE}" là số liệu xã báo cáo mà ngưỡng phụ thuộc.`,
  `Nguồn gốc: ${PROVENANCE_LEVELS.map((l) => PROVENANCE_LEVEL_NAMES[l].vi).join(', ')}. "Chính thức" cần "Đã xác minh" = Có và số văn bản; "thứ cấp" cần số văn bản và đường dẫn; "tái dựng" không ghi nguồn.`,
  'Cột có nền xám "(chỉ để xem)" không được đọc khi nhập. Khi nhập, mọi lỗi được báo theo trang và ô (ví dụ Chỉ tiêu!I12), bằng tiếng Việt và tiếng Anh.',
];

// ── Reading ───────────────────────────────────────────────────────────────────────────────────

/** A sheet as read: name, visibility, its non-empty rows. */
export interface SheetData {
  name: string;
  hidden: boolean;
  rows: Array<{ number: number; cells: Raw[] }>;
}

interface Loc {
  sheet: string;
  cell: string;
  column: string | null;
}

class Problems {
  readonly list: SetWorkbookProblem[] = [];
  private readonly cells = new Set<string>();
  private readonly rows = new Set<string>();

  add(loc: { sheet: string | null; cell: string | null; column?: string | null }, vi: string, en: string): void {
    const at = loc.sheet === null ? '' : `${loc.sheet}${loc.cell ? `!${loc.cell}` : ''}${loc.column ? ` (${loc.column})` : ''}: `;
    if (loc.sheet !== null && loc.cell !== null) {
      this.cells.add(`${loc.sheet}!${loc.cell}`);
      this.rows.add(`${loc.sheet}!${rowNumber(loc.cell)}`);
    }
    this.list.push({ sheet: loc.sheet, cell: loc.cell, message_vi: `${at}${vi}`, message: `${at}${en}` });
  }

  has(loc: Loc): boolean {
    return this.cells.has(`${loc.sheet}!${loc.cell}`);
  }

  /** Any problem on the row of this cell already? */
  hasRow(loc: Loc): boolean {
    return this.rows.has(`${loc.sheet}!${rowNumber(loc.cell)}`);
  }
}

function rowNumber(cell: string): string {
  return /(\d+)$/.exec(cell)?.[1] ?? cell;
}

function rawShown(r: Raw): string {
  if (r === null) return '';
  if (r instanceof Date) return r.toISOString().slice(0, 10);
  if (typeof r === 'object') return r.error;
  return String(r);
}

/** Collect the events of xlsx-reader.ts into sheets (a criteria set is small; the reader's limits bound it). */
async function collect(events: XlsxEvents): Promise<SheetData[]> {
  const sheets: SheetData[] = [];
  for await (const ev of events as AsyncIterable<Parameters<typeof push>[1]>) push(sheets, ev);
  return sheets;
}

function push(sheets: SheetData[], ev: { kind: 'sheet'; name: string; hidden: boolean } | { kind: 'row'; number: number; cells: Raw[] } | { kind: 'merges'; ranges: string[] }): void {
  if (ev.kind === 'sheet') sheets.push({ name: ev.name, hidden: ev.hidden, rows: [] });
  else if (ev.kind === 'row') sheets[sheets.length - 1]?.rows.push({ number: ev.number, cells: ev.cells });
}

function fileProblem(e: unknown): SetWorkbookRead {
  if (isDomainError(e)) return { set: null, problems: [{ sheet: null, cell: null, message_vi: e.messageVi, message: e.message }] };
  const why = e instanceof Error ? e.message : String(e);
  return { set: null, problems: [{ sheet: null, cell: null, message_vi: `Không đọc được tệp .xlsx: ${why}. Hãy mở và lưu lại tệp bằng Excel hoặc LibreOffice.`, message: `Cannot read the .xlsx file: ${why}. Open it and save it again in Excel or LibreOffice.` }] };
}

/** Read a workbook from its bytes (parsed here; the CLI and services use the parse worker and `readSetWorkbookEvents`). */
export function readSetWorkbook(buffer: Uint8Array, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): SetWorkbookRead {
  const sheets: SheetData[] = [];
  try {
    assertXlsx(buffer, limits);
    for (const ev of readXlsx(buffer, limits)) push(sheets, ev);
  } catch (e) {
    return fileProblem(e);
  }
  return parseSetWorkbook(sheets);
}

/**
 * Read a workbook's bytes with a given parser — `parseXlsxInWorker` (src/platform/xlsx-parse.ts:
 * a worker thread with the import limits of time and memory) from the CLI and services. The bytes
 * are checked to be an .xlsx within the ZIP limits first.
 */
export async function readSetWorkbookWith(bytes: Uint8Array, limits: XlsxLimits, parse: (bytes: Uint8Array, limits: XlsxLimits) => XlsxEvents): Promise<SetWorkbookRead> {
  try {
    assertXlsx(bytes, limits);
  } catch (e) {
    return fileProblem(e);
  }
  return readSetWorkbookEvents(parse(bytes, limits));
}

/** Read a workbook from the events of `readXlsx` or of the parse worker (`parseXlsxInWorker`). */
export async function readSetWorkbookEvents(events: XlsxEvents): Promise<SetWorkbookRead> {
  let sheets: SheetData[];
  try {
    sheets = await collect(events);
  } catch (e) {
    return fileProblem(e);
  }
  return parseSetWorkbook(sheets);
}

/** The header row of a table sheet (the first of its first 10 rows holding `anchor`) and its columns. */
function mapColumns(sheet: SheetData, columns: Column[], anchor: string, problems: Problems): { headerRow: number; cols: Map<string, number> } | null {
  const head = sheet.rows.slice(0, 10).find((r) => r.cells.some((c) => typeof c === 'string' && fold(c) === fold(anchor)));
  if (!head) {
    problems.add(
      { sheet: sheet.name, cell: 'A1' },
      `không thấy dòng tiêu đề (có cột "${anchor}") trong 10 dòng đầu: giữ dòng tiêu đề của mẫu (${columns.filter((c) => c.required).map((c) => `"${c.header}"`).join(', ')}).`,
      `no header row (with a "${anchor}" column) in the first 10 rows: keep the template's header row (${columns.filter((c) => c.required).map((c) => `"${c.header}"`).join(', ')}).`,
    );
    return null;
  }
  const cols = new Map<string, number>();
  head.cells.forEach((c, i) => {
    if (c === null) return;
    const cell = `${colLetter(i + 1)}${head.number}`;
    const text = rawShown(c);
    const col = columns.find((x) => fold(x.header) === fold(text));
    if (!col) {
      problems.add(
        { sheet: sheet.name, cell },
        `cột "${text}" không có trong mẫu nên không đọc được: đổi tên cho đúng tiêu đề của mẫu hoặc xóa cột (các cột: ${columns.map((x) => x.header).join(', ')}).`,
        `column "${text}" is not one of the template's, so it cannot be read: rename it to a template header or delete it (columns: ${columns.map((x) => x.header).join(', ')}).`,
      );
      return;
    }
    if (cols.has(col.key)) {
      problems.add({ sheet: sheet.name, cell }, `cột "${col.header}" có hai lần (cột ${colLetter(cols.get(col.key)!)} và ${colLetter(i + 1)}): xóa một cột.`, `column "${col.header}" appears twice (columns ${colLetter(cols.get(col.key)!)} and ${colLetter(i + 1)}): delete one.`);
      return;
    }
    cols.set(col.key, i + 1);
  });
  for (const c of columns) {
    if (c.required && !cols.has(c.key)) {
      problems.add({ sheet: sheet.name, cell: `${head.number}:${head.number}` }, `thiếu cột bắt buộc "${c.header}": thêm cột này vào dòng tiêu đề.`, `the required column "${c.header}" is missing: add it to the header row.`);
    }
  }
  return { headerRow: head.number, cols };
}

/** One row of a table sheet, read cell by cell, with problems named by cell. */
class RowReader {
  constructor(
    readonly sheet: string,
    readonly row: { number: number; cells: Raw[] },
    readonly cols: Map<string, number>,
    readonly columns: Column[],
    readonly problems: Problems,
  ) {}

  loc(key: string): Loc {
    const n = this.cols.get(key);
    const header = this.columns.find((c) => c.key === key)?.header ?? key;
    return { sheet: this.sheet, cell: n === undefined ? `${this.row.number}:${this.row.number}` : `${colLetter(n)}${this.row.number}`, column: header };
  }

  raw(key: string): Raw {
    const n = this.cols.get(key);
    return n === undefined ? null : (this.row.cells[n - 1] ?? null);
  }

  problem(key: string, vi: string, en: string): void {
    this.problems.add(this.loc(key), vi, en);
  }

  /** Text of a cell; a number as typed; a date or formula error is a problem. */
  text(key: string, opts: { required?: boolean; what?: BilingualMessage } = {}): string | null {
    const r = this.raw(key);
    if (r === null) {
      if (opts.required) this.problem(key, `ô trống: ghi ${opts.what?.vi ?? 'giá trị'}.`, `the cell is empty: write ${opts.what?.en ?? 'a value'}.`);
      return null;
    }
    if (r instanceof Date) {
      this.problem(key, `ô được đọc thành ngày (${formatDateVi(r.toISOString().slice(0, 10))}) — bảng tính đã tự đổi chữ thành ngày: định dạng ô là Văn bản (Text) rồi gõ lại.`, `the cell was read as a date (${r.toISOString().slice(0, 10)}) — the spreadsheet turned the text into a date: format the cell as Text and type it again.`);
      return null;
    }
    if (typeof r === 'object') {
      this.problem(key, `ô có lỗi công thức ${r.error}: ghi giá trị thay cho công thức.`, `the cell holds the formula error ${r.error}: write a value instead of the formula.`);
      return null;
    }
    if (typeof r === 'boolean') return r ? 'TRUE' : 'FALSE';
    return typeof r === 'number' ? String(r) : r;
  }

  yesNo(key: string, opts: { required?: boolean } = {}): boolean | null {
    const r = this.raw(key);
    if (r === null) {
      if (opts.required) this.problem(key, 'ô trống: ghi "Có" hoặc "Không".', 'the cell is empty: write "Có" (yes) or "Không" (no).');
      return null;
    }
    if (typeof r === 'boolean') return r;
    const f = typeof r === 'string' ? fold(r) : '';
    if (['co', 'dat', 'x', 'true', 'yes'].includes(f)) return true;
    if (['khong', 'khong dat', 'false', 'no'].includes(f)) return false;
    this.problem(key, `"${rawShown(r)}" không phải Có/Không: ghi "Có" hoặc "Không".`, `"${rawShown(r)}" is not yes/no: write "Có" (yes) or "Không" (no).`);
    return null;
  }

  date(key: string): string | null {
    return readDate(this.raw(key), this.loc(key), this.problems);
  }

  empty(): boolean {
    return [...this.cols.entries()].every(([k, n]) => this.columns.find((c) => c.key === k)?.info || (this.row.cells[n - 1] ?? null) === null);
  }
}

/** dd/mm/yyyy text or a real date cell; anything else is a problem saying how to write it. */
function readDate(r: Raw, loc: Loc, problems: Problems): string | null {
  if (r === null) return null;
  if (r instanceof Date) {
    const iso = new Date(r.getTime() + 12 * 3600_000).toISOString().slice(0, 10);
    if (isIsoDate(iso)) return iso;
  }
  if (typeof r === 'string') {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(r.trim());
    if (m) {
      const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
      if (isIsoDate(iso)) return iso;
      problems.add(loc, `"${r}" không phải ngày có thật: kiểm tra ngày và tháng (dd/mm/yyyy).`, `"${r}" is not a real date: check the day and month (dd/mm/yyyy).`);
      return null;
    }
  }
  problems.add(loc, `"${rawShown(r)}" không phải ngày dạng dd/mm/yyyy: ghi ví dụ 08/03/2022.`, `"${rawShown(r)}" is not a date in dd/mm/yyyy form: write e.g. 08/03/2022.`);
  return null;
}

/** What the sheet readers share: the problems, where each JSON path of the set was read, the sheets. */
interface ReadContext {
  problems: Problems;
  /** JSON path of the set file → the cell it was read from (to put the catalogue's problems there). */
  where: Map<string, Loc>;
  at(path: string, loc: Loc): void;
  sheet(name: string): SheetData | undefined;
}

/** A compound indicator's row, for its conditions on sheet "Điều kiện kết hợp". */
interface IndicatorRow {
  file: IndicatorFile;
  path: string;
  row: number;
}

/** Parse the sheets of a criteria-set workbook into a SetFile and problems. */
export function parseSetWorkbook(sheets: SheetData[]): SetWorkbookRead {
  const where = new Map<string, Loc>();
  const ctx: ReadContext = { problems: new Problems(), where, at: (path, loc) => void where.set(path, loc), sheet: (name) => sheets.find((s) => fold(s.name) === fold(name)) };
  checkSheets(sheets, ctx);
  const set = readSetSheet(ctx);
  readFactsSheet(ctx, set);
  const indicators = readIndicatorSheet(ctx, set);
  readConditionSheet(ctx, indicators);
  const candidate = set as unknown as SetFile;
  checkWithCatalogue(ctx, candidate);
  return { set: ctx.problems.list.length === 0 ? candidate : null, problems: ctx.problems.list };
}

/** Sheets the template does not have (never silently ignored), and the format of the hidden sheet. */
function checkSheets(sheets: SheetData[], ctx: ReadContext): void {
  const { problems } = ctx;
  for (const s of sheets) {
    if ([SET_SHEET, INDICATOR_SHEET, CONDITION_SHEET, FACTS_SHEET, GUIDE_SHEET, SET_META_SHEET].some((n) => fold(n) === fold(s.name))) continue;
    if (s.rows.length === 0) continue;
    problems.add(
      { sheet: s.name, cell: 'A1' },
      `trang "${s.name}" không thuộc mẫu bộ tiêu chí nên không được đọc: chuyển nội dung sang trang "${INDICATOR_SHEET}" (hoặc trang phù hợp) rồi xóa trang này.`,
      `sheet "${s.name}" is not part of the criteria-set template and is not read: move its content to sheet "${INDICATOR_SHEET}" (or the right sheet) and delete it.`,
    );
  }

  const meta = ctx.sheet(SET_META_SHEET);
  if (meta) {
    const format = meta.rows.find((r) => r.cells[0] === 'format')?.cells[1];
    if (format !== undefined && format !== SET_WORKBOOK_FORMAT) {
      problems.add({ sheet: meta.name, cell: 'B1' }, `tệp theo định dạng "${rawShown(format)}", chương trình này đọc "${SET_WORKBOOK_FORMAT}": xuất lại tệp từ phiên bản hiện tại.`, `the file has format "${rawShown(format)}"; this program reads "${SET_WORKBOOK_FORMAT}": export it again from the current version.`);
    }
  }

}

/** Sheet "Bộ tiêu chí": the set's own fields. */
function readSetSheet(ctx: ReadContext): Partial<SetFile> & Record<string, unknown> {
  const { problems, at } = ctx;
  const head = ctx.sheet(SET_SHEET);
  const fields = new Map<string, { value: Raw; loc: Loc }>();
  if (!head) {
    problems.add({ sheet: SET_SHEET, cell: null }, `thiếu trang "${SET_SHEET}" (mã, tên, quyết định, hiệu lực của bộ): thêm lại trang này từ mẫu.`, `sheet "${SET_SHEET}" (the set's id, name, decision, validity) is missing: add it back from the template.`);
  } else {
    const headerIdx = head.rows.findIndex((r) => typeof r.cells[0] === 'string' && fold(r.cells[0]) === 'truong');
    if (headerIdx < 0) {
      problems.add({ sheet: head.name, cell: 'A1' }, 'không thấy dòng tiêu đề "Trường | Giá trị": giữ dòng tiêu đề của mẫu.', 'no "Trường | Giá trị" header row: keep the template\'s header row.');
    } else {
      for (const r of head.rows.slice(headerIdx + 1)) {
        const label = r.cells[0] ?? null;
        const value = r.cells[1] ?? null;
        if (label === null) {
          if (value !== null) problems.add({ sheet: head.name, cell: `B${r.number}` }, `giá trị "${rawShown(value)}" không có tên trường ở cột A: ghi tên trường hoặc xóa dòng.`, `value "${rawShown(value)}" has no field name in column A: write the field name or delete the row.`);
          continue;
        }
        const f = FIELDS.find((x) => fold(x.label) === fold(rawShown(label)));
        if (!f) {
          problems.add({ sheet: head.name, cell: `A${r.number}` }, `trường "${rawShown(label)}" không có trong mẫu: sửa tên cho đúng (${FIELDS.filter((x) => x.type !== 'info').map((x) => x.label).join(', ')}) hoặc xóa dòng.`, `field "${rawShown(label)}" is not in the template: correct its name (${FIELDS.filter((x) => x.type !== 'info').map((x) => x.label).join(', ')}) or delete the row.`);
          continue;
        }
        if (fields.has(f.key)) {
          problems.add({ sheet: head.name, cell: `A${r.number}` }, `trường "${f.label}" ghi hai lần (dòng ${fields.get(f.key)!.loc.cell.slice(1)} và ${r.number}): xóa một dòng.`, `field "${f.label}" appears twice (rows ${fields.get(f.key)!.loc.cell.slice(1)} and ${r.number}): delete one.`);
          continue;
        }
        fields.set(f.key, { value, loc: { sheet: head.name, cell: `B${r.number}`, column: f.label } });
      }
      const anchor: Loc = { sheet: head.name, cell: `A${head.rows[headerIdx]!.number}`, column: null };
      for (const f of FIELDS) {
        if (f.required && !fields.has(f.key)) problems.add(anchor, `thiếu dòng "${f.label}": thêm dòng này (cột A tên trường, cột B giá trị; ${f.hint}).`, `the "${f.label}" row is missing: add it (field name in column A, value in column B; ${f.hint}).`);
      }
    }
  }

  const field = (key: string): { value: Raw; loc: Loc } | null => fields.get(key) ?? null;
  const fieldDef = (key: string) => FIELDS.find((f) => f.key === key)!;
  const headText = (key: string): string | null => {
    const f = field(key);
    if (!f) return null;
    const def = fieldDef(key);
    at(`$.${key}`, f.loc);
    if (f.value === null) {
      if (def.required) problems.add(f.loc, `ô trống: ghi ${def.label.toLowerCase()} (${def.hint}).`, `the cell is empty: write the ${def.label} (${def.hint}).`);
      return null;
    }
    if (f.value instanceof Date || typeof f.value === 'object') {
      problems.add(f.loc, `"${rawShown(f.value)}" không phải chữ: ghi ${def.label.toLowerCase()} dạng văn bản.`, `"${rawShown(f.value)}" is not text: write the ${def.label} as text.`);
      return null;
    }
    return String(f.value);
  };
  const headDate = (key: string): string | null => {
    const f = field(key);
    if (!f) return null;
    if (f.value === null) {
      if (fieldDef(key).required) problems.add(f.loc, 'ô trống: ghi ngày dạng dd/mm/yyyy (ví dụ 08/03/2022).', 'the cell is empty: write a date as dd/mm/yyyy (e.g. 08/03/2022).');
      return null;
    }
    return readDate(f.value, f.loc, problems);
  };

  const set: Partial<SetFile> & Record<string, unknown> = { formatVersion: FORMAT_VERSION };
  const id = headText('id');
  if (id !== null) set.id = id;
  const version = field('version');
  if (version && version.value !== null) {
    const n = typeof version.value === 'number' ? version.value : typeof version.value === 'string' ? Number(version.value) : NaN;
    if (Number.isInteger(n) && n >= 1) set.version = n;
    else problems.add(version.loc, `"${rawShown(version.value)}" không phải số phiên bản: ghi số nguyên 1, 2, …`, `"${rawShown(version.value)}" is not a version number: write a whole number 1, 2, …`);
  }
  const name = headText('name');
  if (name !== null) set.name = name;
  const phase = headText('phase');
  if (phase !== null) {
    const p = PHASES.find((x) => x === phase.replace(/[–—]/g, '-').replace(/\s/g, ''));
    if (p) set.phase = p;
    else problems.add(field('phase')!.loc, `giai đoạn "${phase}" không hợp lệ: ghi ${PHASES.join(' hoặc ')}.`, `phase "${phase}" is not valid: write ${PHASES.join(' or ')}.`);
  }
  const levelOf = (text: string): Level | null => {
    const f = fold(text);
    return LEVELS.find((l) => fold(l) === f || fold(LEVEL_LABEL[l]) === f || fold(`xã ${LEVEL_LABEL[l]}`) === f) ?? null;
  };
  const level = headText('level');
  if (level !== null) {
    const l = levelOf(level);
    if (l) set.level = l;
    else problems.add(field('level')!.loc, `mức "${level}" không hợp lệ: ghi một trong ${LEVELS.map((x) => LEVEL_LABEL[x]).join(', ')}.`, `level "${level}" is not valid: write one of ${LEVELS.map((x) => LEVEL_LABEL[x]).join(', ')}.`);
  }
  const scope = headText('scope');
  if (scope !== null) {
    const s = matchWord(scope, SCOPE_LABEL, ['national', 'provincial']);
    if (s) set.scope = s;
    else problems.add(field('scope')!.loc, `phạm vi "${scope}" không hợp lệ: ghi "Quốc gia" hoặc "Tỉnh".`, `scope "${scope}" is not valid: write "Quốc gia" (national) or "Tỉnh" (provincial).`);
  }
  const provinceCode = headText('provinceCode');
  const provinceName = headText('provinceName');
  if (provinceCode !== null || provinceName !== null) {
    if (provinceCode === null) problems.add(field('provinceCode')?.loc ?? field('provinceName')!.loc, 'có tên tỉnh nhưng thiếu mã tỉnh: ghi mã tỉnh (ví dụ 35).', 'the province name is given but not its code: write the province code (e.g. 35).');
    else if (provinceName === null) problems.add(field('provinceName')?.loc ?? field('provinceCode')!.loc, 'có mã tỉnh nhưng thiếu tên tỉnh: ghi tên tỉnh.', 'the province code is given but not its name: write the province name.');
    else set.province = { code: provinceCode, name: provinceName };
  }
  if (field('provinceCode')) at('$.province', field('provinceCode')!.loc);
  const decision: Record<string, unknown> = {};
  const dn = headText('decisionNumber');
  if (dn !== null) decision.number = dn;
  const dd = headDate('decisionDate');
  if (dd !== null) decision.date = dd;
  for (const [k, key] of [['issuer', 'decisionIssuer'], ['appendix', 'decisionAppendix'], ['url', 'decisionUrl']] as const) {
    const v = headText(key);
    if (v !== null) decision[k] = v;
  }
  set.decision = decision as SetFile['decision'];
  if (field('decisionNumber')) {
    at('$.decision', field('decisionNumber')!.loc);
    at('$.decision.number', field('decisionNumber')!.loc);
  }
  if (field('decisionDate')) at('$.decision.date', field('decisionDate')!.loc);
  for (const [k, key] of [['issuer', 'decisionIssuer'], ['appendix', 'decisionAppendix'], ['url', 'decisionUrl']] as const) if (field(key)) at(`$.decision.${k}`, field(key)!.loc);
  const validFrom = headDate('validFrom');
  if (validFrom !== null) set.validFrom = validFrom;
  if (field('validFrom')) at('$.validFrom', field('validFrom')!.loc);
  set.validTo = headDate('validTo');
  if (field('validTo')) at('$.validTo', field('validTo')!.loc);
  const demo = field('demo');
  if (demo && demo.value !== null) {
    const f = typeof demo.value === 'boolean' ? (demo.value ? 'co' : 'khong') : fold(rawShown(demo.value));
    if (f === 'co' || f === 'true') set.demo = true;
    else if (f === 'khong' || f === 'false') set.demo = false;
    else problems.add(demo.loc, `"${rawShown(demo.value)}" không phải Có/Không: ghi "Có" hoặc "Không".`, `"${rawShown(demo.value)}" is not yes/no: write "Có" (yes) or "Không" (no).`);
  }
  const requires = headText('requires');
  if (requires !== null) {
    const list: Level[] = [];
    for (const part of requires.split(/[,;]/).map((x) => x.trim()).filter(Boolean)) {
      const l = levelOf(part);
      if (l) list.push(l);
      else problems.add(field('requires')!.loc, `mức "${part}" không hợp lệ: ghi các mức trong ${LEVELS.map((x) => LEVEL_LABEL[x]).join(', ')}, cách nhau bằng dấu phẩy.`, `level "${part}" is not valid: write levels among ${LEVELS.map((x) => LEVEL_LABEL[x]).join(', ')}, separated by commas.`);
    }
    set.requires = list;
  }
  const special = headText('specialRegion');
  if (special !== null) {
    const out: Partial<Record<SpecialStatus, RegionCode | null>> = {};
    for (const part of special.split(';').map((x) => x.trim()).filter(Boolean)) {
      const m = /^([^:]+):(.*)$/.exec(part);
      const status = m ? SPECIAL_STATUSES.find((s) => s === m[1]!.trim().toLowerCase()) : undefined;
      const regionText = m?.[2]?.trim() ?? '';
      const region = fold(regionText) === fold(NULL_TARGET) ? null : REGION_CODES.find((r) => r === fold(regionText).toUpperCase());
      if (!m || !status || region === undefined) {
        problems.add(
          field('specialRegion')!.loc,
          `"${part}" không hợp lệ: ghi "<diện>: <mã vùng>" (diện ${SPECIAL_STATUSES.join(', ')}; vùng ${REGION_CODES.join(', ')} hoặc "${NULL_TARGET}"), cách nhau bằng dấu chấm phẩy.`,
          `"${part}" is not valid: write "<status>: <region code>" (status ${SPECIAL_STATUSES.join(', ')}; region ${REGION_CODES.join(', ')} or "${NULL_TARGET}"), separated by semicolons.`,
        );
        continue;
      }
      out[status] = region;
    }
    set.specialRegion = out;
  }
  const notes = headText('notes');
  if (notes !== null) set.notes = notes;

  return set;
}

/** Sheet "Thông tin xã": the yes/no conditions (flags) and numeric facts (attributes). */
function readFactsSheet(ctx: ReadContext, set: Partial<SetFile>): void {
  const { problems, at } = ctx;
  const facts = ctx.sheet(FACTS_SHEET);
  const flags: Array<{ code: string; name: string }> = [];
  const attributes: Array<{ code: string; name: string; unit?: string | null }> = [];
  if (facts) {
    const mapped = mapColumns(facts, FACT_COLUMNS, 'Mã', problems);
    if (mapped) {
      for (const row of facts.rows.filter((r) => r.number > mapped.headerRow)) {
        const rr = new RowReader(facts.name, row, mapped.cols, FACT_COLUMNS, problems);
        if (rr.empty()) continue;
        const type = rr.text('type', { required: true, what: { vi: `"${FLAG_TYPE}" hoặc "${ATTRIBUTE_TYPE}"`, en: `"${FLAG_TYPE}" (yes/no condition) or "${ATTRIBUTE_TYPE}" (numeric fact)` } });
        const code = rr.text('code', { required: true, what: { vi: 'mã (chữ thường không dấu, số, gạch dưới)', en: 'a code (lower case, digits, underscores)' } });
        const nm = rr.text('name', { required: true, what: { vi: 'tên', en: 'a name' } });
        const unit = rr.text('unit');
        if (type === null || code === null || nm === null) continue;
        const t = fold(type);
        if (t.startsWith('dieu kien')) {
          if (unit !== null) rr.problem('unit', 'điều kiện có/không không có đơn vị: xóa ô này.', 'a yes/no condition has no unit: clear this cell.');
          at(`$.flags[${flags.length}]`, rr.loc('code'));
          at(`$.flags[${flags.length}].code`, rr.loc('code'));
          at(`$.flags[${flags.length}].name`, rr.loc('name'));
          flags.push({ code, name: nm });
        } else if (t.startsWith('so lieu')) {
          at(`$.attributes[${attributes.length}]`, rr.loc('code'));
          at(`$.attributes[${attributes.length}].code`, rr.loc('code'));
          at(`$.attributes[${attributes.length}].name`, rr.loc('name'));
          at(`$.attributes[${attributes.length}].unit`, rr.loc('unit'));
          attributes.push(unit === null ? { code, name: nm } : { code, name: nm, unit });
        } else {
          rr.problem('type', `loại "${type}" không hợp lệ: ghi "${FLAG_TYPE}" hoặc "${ATTRIBUTE_TYPE}".`, `type "${type}" is not valid: write "${FLAG_TYPE}" (yes/no condition) or "${ATTRIBUTE_TYPE}" (numeric fact).`);
        }
      }
    }
  }
  if (flags.length) set.flags = flags;
  if (attributes.length) set.attributes = attributes;

}

/** Sheet "Chỉ tiêu": criteria and indicators, in order; returns each indicator's row by code. */
function readIndicatorSheet(ctx: ReadContext, set: Partial<SetFile>): Map<string, IndicatorRow> {
  const { problems, at } = ctx;
  const sheet = ctx.sheet(INDICATOR_SHEET);
  const criteria: CriterionFile[] = [];
  const indicatorAt = new Map<string, IndicatorRow>();
  const pendingAt = new Map<string, Loc>();
  if (!sheet) {
    problems.add({ sheet: INDICATOR_SHEET, cell: null }, `thiếu trang "${INDICATOR_SHEET}": thêm lại trang này từ mẫu, mỗi dòng một chỉ tiêu.`, `sheet "${INDICATOR_SHEET}" is missing: add it back from the template, one row per indicator.`);
  } else {
    const mapped = mapColumns(sheet, INDICATOR_COLUMNS, 'Mã chỉ tiêu', problems);
    if (mapped) {
      at('$.criteria', { sheet: sheet.name, cell: `${mapped.headerRow}:${mapped.headerRow}`, column: null });
      let last: { code: string; name: string | null; critical: boolean | null } | null = null;
      const critRow = new Map<string, number>();
      for (const row of sheet.rows.filter((r) => r.number > mapped.headerRow)) {
        const rr = new RowReader(sheet.name, row, mapped.cols, INDICATOR_COLUMNS, problems);
        if (rr.empty()) continue;
        // Criterion: code, name and "bắt buộc" on every row, or blank for "as above".
        let ccode = rr.text('criterionCode');
        const cname = rr.text('criterionName');
        const critical = rr.yesNo('critical');
        const group = rr.text('criterionGroup');
        const nameVerified = rr.yesNo('nameVerified');
        if (ccode === null) {
          if (last === null) {
            rr.problem('criterionCode', 'ô trống: ghi mã tiêu chí (ví dụ 5) của chỉ tiêu này.', 'the cell is empty: write the criterion code (e.g. 5) of this indicator.');
            continue;
          }
          if (rr.raw('criterionCode') === null) ccode = last.code;
          else continue;
        }
        let ci = criteria.findIndex((c) => c.code === ccode);
        const cp = (i: number) => `$.criteria[${i}]`;
        if (ci < 0) {
          if (cname === null) rr.problem('criterionName', `ô trống: ghi tên tiêu chí ${ccode}.`, `the cell is empty: write the name of criterion ${ccode}.`);
          if (critical === null && rr.raw('critical') === null) rr.problem('critical', `ô trống: ghi "Có" nếu tiêu chí ${ccode} là tiêu chí bắt buộc (xét thu hồi), "Không" nếu không.`, `the cell is empty: write "Có" if criterion ${ccode} is critical (revocation), "Không" if not.`);
          const c: CriterionFile = { code: ccode, name: cname ?? '', critical: critical ?? false, indicators: [] };
          if (group !== null) c.group = group;
          if (nameVerified !== null) c.nameVerified = nameVerified;
          criteria.push(c);
          ci = criteria.length - 1;
          critRow.set(ccode, row.number);
          at(cp(ci), rr.loc('criterionCode'));
          at(`${cp(ci)}.code`, rr.loc('criterionCode'));
          at(`${cp(ci)}.name`, rr.loc('criterionName'));
          at(`${cp(ci)}.critical`, rr.loc('critical'));
          at(`${cp(ci)}.group`, rr.loc('criterionGroup'));
          at(`${cp(ci)}.nameVerified`, rr.loc('nameVerified'));
          at(`${cp(ci)}.indicators`, rr.loc('code'));
        } else {
          const c = criteria[ci]!;
          const first = critRow.get(ccode)!;
          const differs = (key: string, mine: unknown, theirs: unknown, label: string) => {
            if (mine !== null && mine !== theirs) {
              rr.problem(key, `${label} của tiêu chí ${ccode} khác dòng ${first} ("${String(mine)}" và "${String(theirs)}"): ghi giống nhau hoặc để trống.`, `the ${label} of criterion ${ccode} differs from row ${first} ("${String(mine)}" vs "${String(theirs)}"): make them equal or leave the cell empty.`);
            }
          };
          differs('criterionName', cname, c.name, 'tên');
          differs('critical', critical, c.critical, 'ô "bắt buộc"');
          differs('criterionGroup', group, c.group ?? null, 'nhóm');
          differs('nameVerified', nameVerified, c.nameVerified ?? null, 'ô "đã đối chiếu"');
          if (last !== null && last.code !== ccode) {
            rr.problem('criterionCode', `tiêu chí ${ccode} đã có ở dòng ${first} nhưng các dòng của nó không liền nhau: chuyển dòng này lên cạnh các chỉ tiêu khác của tiêu chí ${ccode}.`, `criterion ${ccode} already starts at row ${first} but its rows are not together: move this row next to the other indicators of criterion ${ccode}.`);
          }
        }
        last = { code: ccode, name: cname, critical };
        const crit = criteria[ci]!;
        const pendingVi = rr.text('pendingVi');
        const pendingEn = rr.text('pendingEn');
        if (pendingVi !== null || pendingEn !== null) {
          if (pendingVi === null) rr.problem('pendingVi', 'có lời giải thích tiếng Anh nhưng thiếu tiếng Việt: ghi cả hai.', 'the English explanation is given but not the Vietnamese one: write both.');
          else if (pendingEn === null) rr.problem('pendingEn', 'có lời giải thích tiếng Việt nhưng thiếu tiếng Anh: ghi cả hai.', 'the Vietnamese explanation is given but not the English one: write both.');
          else if (crit.pendingIndicators) rr.problem('pendingVi', `tiêu chí ${ccode} đã có lời giải thích "sẽ nhập sau" ở dòng trên: giữ một.`, `criterion ${ccode} already has a "to be entered later" explanation above: keep one.`);
          else crit.pendingIndicators = { vi: pendingVi, en: pendingEn };
          pendingAt.set(ccode, rr.loc('pendingVi'));
          at(`${cp(ci)}.pendingIndicators`, rr.loc('pendingVi'));
          at(`${cp(ci)}.pendingIndicators.vi`, rr.loc('pendingVi'));
          at(`${cp(ci)}.pendingIndicators.en`, rr.loc('pendingEn'));
        }
        // Indicator.
        const indicatorKeys = INDICATOR_COLUMNS.filter((c) => !c.key.startsWith('criterion') && !['critical', 'nameVerified', 'pendingVi', 'pendingEn'].includes(c.key) && !c.info).map((c) => c.key);
        const code = rr.text('code');
        if (code === null) {
          if (rr.raw('code') === null && indicatorKeys.some((k) => rr.raw(k) !== null)) {
            rr.problem('code', 'dòng có nội dung chỉ tiêu nhưng thiếu mã chỉ tiêu: ghi mã (ví dụ 5.1); tiêu chí chưa có chỉ tiêu thì để trống cả dòng chỉ tiêu.', 'the row describes an indicator but has no indicator code: write the code (e.g. 5.1); for a criterion without indicators leave the indicator cells empty.');
          }
          continue;
        }
        const ii = crit.indicators.length;
        const ip = `${cp(ci)}.indicators[${ii}]`;
        const dup = indicatorAt.get(code);
        if (dup) {
          rr.problem('code', `mã chỉ tiêu "${code}" trùng với dòng ${dup.row}: mỗi chỉ tiêu một mã riêng — sửa một trong hai mã.`, `indicator code "${code}" duplicates row ${dup.row}: each indicator needs its own code — change one of them.`);
        }
        const ind = readIndicator(rr, code);
        const locs: Array<[string, string]> = [
          ['', 'code'], ['.code', 'code'], ['.name', 'name'], ['.kind', 'kind'], ['.unit', 'unit'], ['.target', 'target'], ['.target.op', 'op'],
          ['.target.value', 'target'], ['.scale', 'scale'], ['.conditions', 'kind'], ['.applicableIf', 'applicableIf'], ['.zeroDenominator', 'zeroDenominator'],
          ['.source', 'sourceDecision'], ['.source.decision', 'sourceDecision'], ['.source.appendix', 'sourceAppendix'], ['.source.url', 'sourceUrl'], ['.source.note', 'sourceNote'],
          ['.verified', 'verified'], ['.provenance', 'provenance'], ['.provenance.level', 'provenance'], ['.provenance.source', 'provNumber'], ['.provenance.source.number', 'provNumber'],
          ['.provenance.source.date', 'provDate'], ['.provenance.source.issuer', 'provIssuer'], ['.provenance.source.ref', 'provRef'], ['.provenance.source.url', 'provUrl'], ['.note', 'note'],
        ];
        for (const [suffix, key] of locs) at(`${ip}${suffix}`, rr.loc(key));
        crit.indicators.push(ind);
        if (!dup) indicatorAt.set(code, { file: ind, path: ip, row: row.number });
      }
    }
  }
  // "Sẽ nhập sau" only means something while a criterion has no indicators: never dropped silently.
  for (const c of criteria) {
    const loc = pendingAt.get(c.code);
    if (c.indicators.length > 0 && c.pendingIndicators && loc) {
      problems.add(loc, `tiêu chí ${c.code} đã có chỉ tiêu nên lời giải thích "sẽ nhập sau" không còn dùng: xóa hai ô "Chỉ tiêu sẽ nhập sau".`, `criterion ${c.code} has indicators, so its "to be entered later" explanation no longer applies: clear both "Chỉ tiêu sẽ nhập sau" cells.`);
    }
  }
  set.criteria = criteria;

  return indicatorAt;
}

/** Sheet "Điều kiện kết hợp": the conditions of compound indicators. */
function readConditionSheet(ctx: ReadContext, indicatorAt: ReadonlyMap<string, IndicatorRow>): void {
  const { problems, at } = ctx;
  const conds = ctx.sheet(CONDITION_SHEET);
  if (conds) {
    const mapped = mapColumns(conds, CONDITION_COLUMNS, 'Mã điều kiện', problems);
    if (mapped) {
      for (const row of conds.rows.filter((r) => r.number > mapped.headerRow)) {
        const rr = new RowReader(conds.name, row, mapped.cols, CONDITION_COLUMNS, problems);
        if (rr.empty()) continue;
        const code = rr.text('indicator', { required: true, what: { vi: 'mã của chỉ tiêu kết hợp (ví dụ 5)', en: 'the code of the compound indicator (e.g. 5)' } });
        if (code === null) continue;
        const owner = indicatorAt.get(code);
        if (!owner) {
          rr.problem('indicator', `không có chỉ tiêu "${code}" ở trang "${INDICATOR_SHEET}": sửa mã cho đúng chỉ tiêu kết hợp.`, `there is no indicator "${code}" on sheet "${INDICATOR_SHEET}": correct the code of the compound indicator.`);
          continue;
        }
        if (owner.file.kind !== 'compound') {
          rr.problem('indicator', `chỉ tiêu "${code}" (dòng ${owner.row} trang "${INDICATOR_SHEET}") không phải loại "${KIND_LABEL.compound}": chỉ chỉ tiêu kết hợp mới có điều kiện — đổi loại của chỉ tiêu hoặc xóa dòng này.`, `indicator "${code}" (row ${owner.row} of sheet "${INDICATOR_SHEET}") is not of kind "${KIND_LABEL.compound}" (compound): only compound indicators have conditions — change its kind or delete this row.`);
          continue;
        }
        const k = (owner.file.conditions ??= []).length;
        const path = `${owner.path}.conditions[${k}]`;
        const c = readCondition(rr);
        for (const [suffix, key] of [['', 'code'], ['.code', 'code'], ['.name', 'name'], ['.kind', 'kind'], ['.unit', 'unit'], ['.target', 'target'], ['.target.op', 'op'], ['.target.value', 'target']] as const) at(`${path}${suffix}`, rr.loc(key));
        owner.file.conditions.push(c);
      }
    }
  }

}

/** The catalogue's own checks (validateSetFile, resolveSets), their JSON paths mapped back to cells. */
function checkWithCatalogue(ctx: ReadContext, candidate: SetFile): void {
  const { problems, where } = ctx;
  const head = ctx.sheet(SET_SHEET);
  const mapIssue = (i: PathIssue, partial = false) => {
    let p = i.path;
    let loc = where.get(p);
    while (!loc && p !== '$') {
      const cut = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
      if (cut === p) break;
      p = cut;
      loc = where.get(p);
    }
    const target = loc ?? (head ? { sheet: head.name, cell: 'A1', column: null } : { sheet: SET_SHEET, cell: 'A1', column: null });
    if (loc && problems.has(loc)) return;
    // A row that could not be read whole holds stand-ins: what the rules say about it would mislead.
    if (partial && (!loc || problems.hasRow(loc))) return;
    const rest = i.path.slice(p.length).replace(/^\./, '');
    const detail = rest ? ` [${rest}]` : '';
    problems.add(target, `${i.message.vi}${detail}.`, `${i.message.en}${detail}.`);
  };
  if (problems.list.length === 0) {
    const issues = validateSetFile(candidate);
    issues.forEach((i) => mapIssue(i));
    // The workbook built every field with its type, so the set resolves even when a rule above
    // failed: its own problems (undeclared flags and attributes…) are reported in the same pass.
    let resolveIssues: PathIssue[] = [];
    try {
      resolveIssues = resolveSets([{ file: 'workbook', data: candidate }]).issues;
    } catch {
      resolveIssues = [];
    }
    const seen = new Set(issues.map((i) => `${i.path}|${i.message.en}`));
    resolveIssues.filter((i) => !seen.has(`${i.path}|${i.message.en}`)).forEach((i) => mapIssue(i));
  } else {
    // Report what the catalogue would also say about the cells that read well.
    validateSetFile(candidate).forEach((i) => mapIssue(i, true));
  }
}

function readKind(rr: RowReader, kinds: readonly IndicatorKind[]): IndicatorKind | null {
  const text = rr.text('kind', { required: true, what: { vi: `loại chỉ tiêu (${kinds.map((k) => KIND_LABEL[k]).join('; ')})`, en: `the kind (${kinds.map((k) => `${KIND_LABEL[k]} = ${k}`).join('; ')})` } });
  if (text === null) return null;
  const kind = matchWord(text, KIND_LABEL, kinds);
  if (!kind) {
    rr.problem('kind', `loại "${text}" không có: chọn một trong ${kinds.map((k) => `"${KIND_LABEL[k]}"`).join(', ')}.`, `unknown kind "${text}": choose one of ${kinds.map((k) => `"${KIND_LABEL[k]}" (${k})`).join(', ')}.`);
  }
  return kind;
}

function readOp(rr: RowReader, kind: IndicatorKind | null): TargetOp | null {
  const text = rr.text('op', { required: true, what: { vi: 'phép so sánh (≥, ≤, =, là)', en: 'the comparator (≥, ≤, =, là)' } });
  if (text === null) return null;
  const t = text.trim();
  const op = (['>=', '<=', '=', 'is'] as const).find((o) => o === t || OP_LABEL[o] === fold(t) || OP_LABEL[o] === t) ?? null;
  const allowed = kind ? OPS_BY_KIND[kind] : null;
  if (!op) {
    rr.problem('op', `"${text}" không phải phép so sánh: ghi ≥, ≤, = hoặc "là".`, `"${text}" is not a comparator: write ≥, ≤, = or "là" (is).`);
    return null;
  }
  if (allowed && !allowed.includes(op)) {
    rr.problem('op', `phép so sánh "${OP_LABEL[op]}" không dùng cho loại "${KIND_LABEL[kind!]}": dùng ${allowed.map((o) => `"${OP_LABEL[o]}"`).join(', ')}.`, `comparator "${OP_LABEL[op]}" does not fit kind "${KIND_LABEL[kind!]}" (${kind}): use ${allowed.map((o) => `"${OP_LABEL[o]}"`).join(', ')}.`);
    return null;
  }
  return op;
}

function readTarget(rr: RowReader, kind: IndicatorKind | null, op: TargetOp | null, scale: readonly string[] | null): TargetFile | null {
  const r = rr.raw('target');
  if (kind === null || op === null) return null;
  let parsed;
  if (r === null) parsed = { ok: true as const, value: null };
  else if (typeof r === 'number' || typeof r === 'boolean') parsed = checkLeaf(r, kind, scale);
  else if (typeof r === 'string') parsed = parseTargetText(r, kind, scale);
  else {
    rr.problem('target', `"${rawShown(r)}" không phải ngưỡng: ghi một số, "Đạt", một mức xếp loại hoặc bảng "Theo vùng (…)".`, `"${rawShown(r)}" is not a target: write a number, "Đạt", a grade or a "Theo vùng (…)" table.`);
    return null;
  }
  if (!parsed.ok) {
    rr.problem('target', `${parsed.message.vi}.`, `${parsed.message.en}.`);
    return null;
  }
  return { op, value: parsed.value as TargetFile['value'] };
}

function readProvenance(rr: RowReader): ProvenanceFile | undefined {
  const levelText = rr.text('provenance');
  const number = rr.text('provNumber');
  const date = rr.date('provDate');
  const issuer = rr.text('provIssuer');
  const ref = rr.text('provRef');
  const url = rr.text('provUrl');
  const anySource = [number, date, issuer, ref, url].some((x) => x !== null) || [rr.raw('provDate')].some((x) => x !== null);
  if (levelText === null) {
    if (anySource) rr.problem('provenance', `có nguồn nhưng thiếu "Nguồn gốc": ghi ${PROVENANCE_LEVELS.map((l) => `"${PROVENANCE_LEVEL_NAMES[l].vi}"`).join(', ')}.`, `a source is given but not its level: write ${PROVENANCE_LEVELS.map((l) => `"${PROVENANCE_LEVEL_NAMES[l].vi}" (${l})`).join(', ')}.`);
    return undefined;
  }
  const level = PROVENANCE_LEVELS.find((l) => fold(l) === fold(levelText) || fold(PROVENANCE_LEVEL_NAMES[l].vi) === fold(levelText)) as ProvenanceLevel | undefined;
  if (!level) {
    rr.problem('provenance', `"${levelText}" không phải nguồn gốc: ghi ${PROVENANCE_LEVELS.map((l) => `"${PROVENANCE_LEVEL_NAMES[l].vi}"`).join(', ')}.`, `"${levelText}" is not a provenance level: write ${PROVENANCE_LEVELS.map((l) => `"${PROVENANCE_LEVEL_NAMES[l].vi}" (${l})`).join(', ')}.`);
    return undefined;
  }
  if (!anySource) return { level, source: null };
  if (number === null) {
    rr.problem('provNumber', 'có thông tin nguồn nhưng thiếu số văn bản: ghi số hiệu văn bản nguồn (ví dụ 1491/QĐ-BGDĐT).', 'source details are given but not the document number: write the source document number (e.g. 1491/QĐ-BGDĐT).');
    return undefined;
  }
  const source: NonNullable<ProvenanceFile['source']> = { number };
  if (date !== null) source.date = date;
  if (issuer !== null) source.issuer = issuer;
  if (ref !== null) source.ref = ref;
  if (url !== null) source.url = url;
  return { level, source };
}

function readIndicator(rr: RowReader, code: string): IndicatorFile {
  const name = rr.text('name', { required: true, what: { vi: 'tên chỉ tiêu', en: 'the indicator name' } });
  const kind = readKind(rr, INDICATOR_KINDS);
  const unit = rr.text('unit');
  const op = readOp(rr, kind);
  const scaleText = rr.text('scale');
  const scale = scaleText === null ? null : scaleText.split(';').map((s) => s.trim()).filter(Boolean);
  if (scale && kind !== null && kind !== 'grade') rr.problem('scale', `chỉ chỉ tiêu "${KIND_LABEL.grade}" mới có thang: xóa ô này hoặc đổi loại.`, `only "${KIND_LABEL.grade}" (grade) indicators have a scale: clear this cell or change the kind.`);
  if (!scale && kind === 'grade') rr.problem('scale', 'chỉ tiêu xếp loại cần thang: ghi các mức từ thấp đến cao, cách nhau bằng dấu chấm phẩy (ví dụ "Yếu; Trung bình; Khá; Tốt").', 'a grade indicator needs a scale: write the grades from lowest to highest, separated by semicolons (e.g. "Yếu; Trung bình; Khá; Tốt").');
  const target = readTarget(rr, kind, op, kind === 'grade' ? scale : null);
  const flag = rr.text('applicableIf');
  const zeroText = rr.text('zeroDenominator');
  let zero: 'not_evaluable' | 'not_applicable' | undefined;
  if (zeroText !== null) {
    const z = matchWord(zeroText, ZERO_LABEL, ['not_evaluable', 'not_applicable']);
    if (!z) rr.problem('zeroDenominator', `"${zeroText}" không hợp lệ: ghi "${ZERO_LABEL.not_evaluable}" hoặc "${ZERO_LABEL.not_applicable}".`, `"${zeroText}" is not valid: write "${ZERO_LABEL.not_evaluable}" (not evaluable) or "${ZERO_LABEL.not_applicable}" (not applicable).`);
    else if (kind !== null && kind !== 'ratio') rr.problem('zeroDenominator', `chỉ chỉ tiêu "${KIND_LABEL.ratio}" mới có mẫu số: xóa ô này.`, `only "${KIND_LABEL.ratio}" (ratio) indicators have a denominator: clear this cell.`);
    else zero = z;
  }
  const decision = rr.text('sourceDecision', { required: true, what: { vi: 'số quyết định làm căn cứ (ví dụ 318/QĐ-TTg)', en: 'the decision it rests on (e.g. 318/QĐ-TTg)' } });
  const appendix = rr.text('sourceAppendix');
  const url = rr.text('sourceUrl');
  const sourceNote = rr.text('sourceNote');
  const verified = rr.yesNo('verified', { required: true });
  const provenance = readProvenance(rr);
  const note = rr.text('note');
  const ind: IndicatorFile = {
    code,
    name: name ?? '',
    kind: kind ?? 'boolean',
    target: target ?? { op: op ?? (kind ? OPS_BY_KIND[kind][0]! : 'is'), value: null },
    source: { decision: decision ?? '' },
    verified: verified ?? false,
  };
  if (unit !== null) ind.unit = unit;
  if (scale && kind === 'grade') ind.scale = scale;
  if (flag !== null) ind.applicableIf = { flag };
  if (zero) ind.zeroDenominator = zero;
  if (appendix !== null) ind.source.appendix = appendix;
  if (url !== null) ind.source.url = url;
  if (sourceNote !== null) ind.source.note = sourceNote;
  if (provenance) ind.provenance = provenance;
  if (note !== null) ind.note = note;
  return ind;
}

function readCondition(rr: RowReader): ConditionFile {
  const code = rr.text('code', { required: true, what: { vi: 'mã điều kiện (chữ thường không dấu, gạch dưới, ví dụ toi_thieu)', en: 'the condition code (lower case, underscores, e.g. toi_thieu)' } });
  const name = rr.text('name', { required: true, what: { vi: 'tên điều kiện', en: 'the condition name' } });
  const kind = readKind(rr, CONDITION_KINDS);
  const unit = rr.text('unit');
  const op = readOp(rr, kind);
  const target = readTarget(rr, kind, op, null);
  const c: ConditionFile = { code: code ?? '', name: name ?? '', kind: (kind ?? 'boolean') as ConditionFile['kind'], target: target ?? { op: 'is', value: null } };
  if (unit !== null) c.unit = unit;
  return c;
}
