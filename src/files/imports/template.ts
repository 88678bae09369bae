/**
 * Mẫu nhập số liệu — the Excel template for a criteria set and a set of communes:
 * - `Hướng dẫn`: instructions in Vietnamese and the template's facts;
 * - `Nhập liệu` (matrix layout): one row per commune, one column per indicator (ratios take a
 *   numerator and a denominator column), with the indicator names, kinds and the targets that
 *   apply above the data; locked header rows and commune columns, validation on every input cell
 *   (lists for yes/no, grades and flags, number ranges, percent 0–100, dates in the set's validity);
 * - one sheet per commune (per-commune layout): indicator rows with the commune's own targets;
 * - `_datchuan` (very hidden, first in the file so a streaming reader meets it first): format,
 *   set id and content hash, unit list version, default date, layout, every sheet and unit —
 *   so the import knows exactly what it reads.
 * Streaming (ExcelJS WorkbookWriter): a national template of 10,000 communes stays small in memory.
 */
import type { Writable } from 'node:stream';
import type { Worksheet } from 'exceljs';
import type { CriteriaSet, Indicator, IndicatorValue } from '../../domain/criteria.ts';
import type { ResolvedTarget } from '../../domain/targets.ts';
import { unitListText } from '../../domain/unit.ts';
import { safeSheetName } from '../reports/model.ts';
import { dateVi, targetText } from '../format.ts';
import { BORDER, DEMO_STYLE, ExcelJS, FONT, HEADER_STYLE, NOTE_STYLE, PAGE_FOOTER, TITLE_STYLE, a4, excelDate, font, solid } from '../xlsx-style.ts';

export const TEMPLATE_FORMAT = 'datchuan.template.v1';
export const META_SHEET = '_datchuan';
export const MATRIX_SHEET = 'Nhập liệu';
export const INSTRUCTIONS_SHEET = 'Hướng dẫn';
/** Matrix layout: header (codes) on row 4, names 5, kinds 6, targets 7, communes from row 8. */
export const MATRIX_HEADER_ROW = 4;
export const MATRIX_FIRST_ROW = 8;
/** Per-commune layout: header on row 5, indicators from row 6. */
export const COMMUNE_HEADER_ROW = 5;
/** The largest template with one sheet per commune. */
export const MAX_COMMUNE_SHEETS = 500;

export type TemplateLayout = 'matrix' | 'per-commune' | 'both';

export interface TemplateUnit {
  id: string;
  code: string;
  name: string;
  fullName: string;
  parentName: string | null;
  /** Targets that apply to this commune (shared between communes of the same region/group). */
  targets: ReadonlyMap<string, ResolvedTarget>;
}

export interface TemplateSpec {
  set: CriteriaSet;
  setHash: string;
  listId: string;
  /** Default review date (ISO). */
  date: string;
  layout: TemplateLayout;
  scopeName: string;
  units: TemplateUnit[];
  /** Values to write in (the latest review, or generated values in the benchmark). */
  prefill?: (unit: TemplateUnit) => Readonly<Record<string, IndicatorValue>> | undefined;
  generatedAt: string;
  demo: boolean;
}

/** One input column of the matrix: an indicator's value (or ratio part), or a flag. */
export interface MatrixColumn {
  code: string;
  part: 'value' | 'numerator' | 'denominator' | 'flag';
  indicator: Indicator | null;
  header: string;
  label: string;
  criterion: string;
}

export function matrixColumns(set: CriteriaSet): MatrixColumn[] {
  const out: MatrixColumn[] = [];
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      const label = `${i.name}${i.verified ? '' : ' (*)'}`;
      const criterion = `TC ${c.code}. ${c.name}`;
      if (i.kind === 'ratio') {
        out.push({ code: i.code, part: 'numerator', indicator: i, header: `${i.code} (tử số)`, label: `${label} — tử số`, criterion });
        out.push({ code: i.code, part: 'denominator', indicator: i, header: `${i.code} (mẫu số)`, label: `${label} — mẫu số`, criterion });
      } else out.push({ code: i.code, part: 'value', indicator: i, header: i.code, label, criterion });
    }
  }
  for (const f of set.flags) out.push({ code: f.code, part: 'flag', indicator: null, header: f.code, label: f.name, criterion: 'Điều kiện áp dụng' });
  return out;
}

export function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const YES_NO = ['Đạt', 'Không đạt'];
const HAS_OR_NOT = ['Có', 'Không'];

/** What to type, for the kind row and the instructions. */
export function kindHint(c: Pick<MatrixColumn, 'part' | 'indicator'>): string {
  const i = c.indicator;
  if (c.part === 'flag') return 'Có / Không';
  if (!i) return '';
  if (c.part === 'numerator') return `tử số, số ≥ 0${i.unit ? ` (${i.unit.replace(/^% ?/, '')})` : ''}`;
  if (c.part === 'denominator') return `mẫu số, số ≥ 0${i.unit ? ` (${i.unit.replace(/^% ?/, '')})` : ''}`;
  switch (i.kind) {
    case 'boolean':
      return 'Đạt / Không đạt';
    case 'percent':
      return 'tỷ lệ %, số từ 0 đến 100';
    case 'number':
      return `số ≥ 0${i.unit ? ` (${i.unit})` : ''}`;
    case 'none_count':
      return `số nguyên ≥ 0${i.unit ? ` (${i.unit})` : ''}`;
    case 'grade':
      return `xếp loại: ${(i.scale ?? []).join(' / ')}`;
    case 'ratio':
      return '';
    case 'compound':
      return 'để trống: nhập từng điều kiện';
  }
}

type Validation = ExcelJS.DataValidation;

function listValidation(items: readonly string[], title: string): Validation | null {
  const joined = items.join(',');
  // A list typed into the rule cannot hold commas or exceed 255 characters.
  if (items.some((s) => s.includes(',') || s.includes('"')) || joined.length > 250) return null;
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${joined}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: title,
    error: `Chọn một trong: ${items.join(' / ')}. (Choose one of the listed values.)`,
    showInputMessage: true,
    promptTitle: title.slice(0, 32),
    prompt: `Chọn: ${items.join(' / ')}`.slice(0, 255),
  };
}

function numberValidation(kind: 'decimal' | 'whole', min: number, max: number | null, title: string, hint: string): Validation {
  return {
    type: kind,
    allowBlank: true,
    operator: max === null ? 'greaterThanOrEqual' : 'between',
    formulae: max === null ? [min] : [min, max],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: title.slice(0, 32),
    error: `${hint}. (${max === null ? `A ${kind === 'whole' ? 'whole ' : ''}number ≥ ${min}` : `A number from ${min} to ${max}`}.)`.slice(0, 255),
    showInputMessage: true,
    promptTitle: title.slice(0, 32),
    prompt: hint.slice(0, 255),
  };
}

/** The validation rule of an input column. */
export function validationOf(c: Pick<MatrixColumn, 'part' | 'indicator' | 'code'>): Validation | null {
  const title = `Chỉ tiêu ${c.code}`;
  if (c.part === 'flag') return listValidation(HAS_OR_NOT, `Điều kiện ${c.code}`);
  const i = c.indicator;
  if (!i) return null;
  if (c.part === 'numerator' || c.part === 'denominator') return numberValidation('decimal', 0, null, title, kindHint(c));
  switch (i.kind) {
    case 'boolean':
      return listValidation(YES_NO, title);
    case 'grade':
      return listValidation(i.scale ?? [], title);
    case 'percent':
      return numberValidation('decimal', 0, 100, title, 'Tỷ lệ phần trăm: số từ 0 đến 100');
    case 'number':
      return numberValidation('decimal', 0, null, title, `Số không âm${i.unit ? ` (${i.unit})` : ''}`);
    case 'none_count':
      return numberValidation('whole', 0, null, title, 'Số nguyên không âm (0 = không có)');
    case 'ratio':
    case 'compound':
      return null;
  }
}

function dateValidation(set: CriteriaSet): Validation {
  const from = excelDate(set.validFrom);
  const to = excelDate(set.validTo ?? '2099-12-31');
  const span = `${dateVi(set.validFrom)} – ${set.validTo ? dateVi(set.validTo) : 'nay'}`;
  return {
    type: 'date',
    allowBlank: true,
    operator: 'between',
    formulae: [from, to],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Ngày rà soát',
    error: `Ngày rà soát phải trong thời gian áp dụng của bộ tiêu chí (${span}). (The review date must fall within the set's validity.)`,
    showInputMessage: true,
    promptTitle: 'Ngày rà soát',
    prompt: `Dạng dd/mm/yyyy, từ ${span}`,
  };
}

/** The cell value written for a prefilled indicator value part. */
export function cellValueOf(c: Pick<MatrixColumn, 'part' | 'indicator'>, v: IndicatorValue | undefined): string | number | null {
  if (v === undefined || v === null) return null;
  if (c.part === 'flag') return v === true ? 'Có' : v === false ? 'Không' : null;
  if (c.part === 'numerator') return typeof v === 'object' ? v.numerator : null;
  if (c.part === 'denominator') return typeof v === 'object' ? v.denominator : null;
  if (typeof v === 'boolean') return v ? 'Đạt' : 'Không đạt';
  if (typeof v === 'number' || typeof v === 'string') return v;
  return null;
}

/** ExcelJS worksheets have `dataValidations` at run time; its typings omit it. */
function addValidation(ws: Worksheet, address: string, v: Validation): void {
  (ws as unknown as { dataValidations: { add(address: string, v: Validation): void } }).dataValidations.add(address, v);
}

const LOCKED = { locked: true } as const;
const UNLOCKED = { locked: false } as const;
const INPUT_FILL = 'FFFFFDE7';
const PROTECT_OPTIONS = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  formatCells: false,
  insertRows: false,
  deleteRows: false,
  sort: false,
  autoFilter: true,
};

function inputStyle(c: Pick<MatrixColumn, 'part' | 'indicator'>): Partial<ExcelJS.Style> {
  const numeric = c.part === 'numerator' || c.part === 'denominator' || (c.indicator && ['percent', 'number', 'none_count'].includes(c.indicator.kind));
  return {
    font: font(),
    fill: solid(INPUT_FILL),
    border: BORDER,
    protection: UNLOCKED,
    alignment: { horizontal: numeric ? 'right' : 'center', vertical: 'middle' },
    ...(numeric ? { numFmt: c.indicator?.kind === 'none_count' ? '0' : '#,##0.##' } : {}),
  };
}

const lockedText = (extra: Partial<ExcelJS.Style> = {}): Partial<ExcelJS.Style> => ({ font: font(), border: BORDER, protection: LOCKED, alignment: { vertical: 'top', wrapText: true }, ...extra });

/** Target text of a column for a group of communes: the common target, or "differs by commune". */
function targetOf(c: MatrixColumn, units: readonly TemplateUnit[]): string {
  if (c.part === 'flag' || !c.indicator || c.part === 'denominator') return '';
  const texts = new Set<string>();
  for (const u of units) {
    const t = u.targets.get(c.code);
    texts.add(t ? targetText(c.indicator, t.op, t.value) : 'chưa có ngưỡng');
    if (texts.size > 1) return 'khác nhau theo xã (xem trang của xã)';
  }
  return [...texts][0] ?? '';
}

// ── Sheets ────────────────────────────────────────────────────────────────────────────────────

function writeMeta(wb: ExcelJS.stream.xlsx.WorkbookWriter, spec: TemplateSpec, sheets: Array<{ name: string; layout: 'matrix' | 'per-commune'; unitId: string | null; headerRow: number; firstRow: number }>): void {
  const ws = wb.addWorksheet(META_SHEET, { state: 'veryHidden' } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = [{ width: 14 }, { width: 40 }, { width: 12 }, { width: 30 }, { width: 10 }, { width: 10 }];
  const rows: Array<Array<string | number | null>> = [
    ['format', TEMPLATE_FORMAT],
    ['setId', spec.set.id],
    ['setHash', spec.setHash],
    ['setName', spec.set.name],
    ['setValidFrom', spec.set.validFrom],
    ['setValidTo', spec.set.validTo],
    ['listId', spec.listId],
    ['reviewedOn', spec.date],
    ['layout', spec.layout],
    ['scope', spec.scopeName],
    ['units', spec.units.length],
    ['generatedAt', spec.generatedAt],
    ['#', 'sheet: name, layout, unit id, header row, first data row'],
    ...sheets.map((s) => ['sheet', s.name, s.layout, s.unitId, s.headerRow, s.firstRow]),
    ['#', 'unit: id, code, full name, parent'],
    ...spec.units.map((u) => ['unit', u.id, u.code, u.fullName, u.parentName]),
  ];
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
}

function writeInstructions(wb: ExcelJS.stream.xlsx.WorkbookWriter, spec: TemplateSpec, matrix: boolean, perCommune: boolean): void {
  const ws = wb.addWorksheet(INSTRUCTIONS_SHEET, { pageSetup: a4(false), headerFooter: PAGE_FOOTER } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = [{ width: 3 }, { width: 95 }];
  const s = spec.set;
  const span = `${dateVi(s.validFrom)} – ${s.validTo ? dateVi(s.validTo) : 'nay'}`;
  const lines: Array<[string, Partial<ExcelJS.Style>]> = [
    ['HƯỚNG DẪN NHẬP SỐ LIỆU RÀ SOÁT', TITLE_STYLE],
    [`Bộ tiêu chí: ${s.name} (mã ${s.id}), thời gian áp dụng ${span}.`, { font: font({ bold: true }) }],
    [`Đơn vị: ${spec.scopeName} — ${spec.units.length} xã. Ngày rà soát mặc định: ${dateVi(spec.date)}.`, { font: font() }],
    ...(spec.demo ? [['DỮ LIỆU MINH HỌA — bộ tiêu chí minh họa, không phải số liệu chính thức.', DEMO_STYLE] as [string, Partial<ExcelJS.Style>]] : []),
    ['', {}],
    ...(matrix
      ? ([
          [`1. Trang "${MATRIX_SHEET}": mỗi dòng là một xã, mỗi cột là một chỉ tiêu (dòng 4: mã chỉ tiêu, dòng 5: tên, dòng 6: cách nhập, dòng 7: ngưỡng áp dụng).`, { font: font() }],
          ['   Không sửa mã xã, tên xã và các dòng tiêu đề (đã khóa). Chỉ nhập vào các ô nền vàng.', { font: font() }],
        ] as Array<[string, Partial<ExcelJS.Style>]>)
      : []),
    ...(perCommune ? ([[`${matrix ? '2' : '1'}. Mỗi xã có một trang riêng mang tên xã: nhập giá trị ở cột F (chỉ tiêu tỷ lệ: tử số ở cột F, mẫu số ở cột G), ngày rà soát ở ô B3.`, { font: font() }]] as Array<[string, Partial<ExcelJS.Style>]>) : []),
    [`Ngày rà soát: dạng ngày (dd/mm/yyyy), trong thời gian áp dụng của bộ tiêu chí (${span}); để trống thì dùng ngày mặc định ${dateVi(spec.date)}.`, { font: font() }],
    ['Cách nhập theo loại chỉ tiêu:', { font: font({ bold: true }) }],
    ['   • Đạt / Không đạt: chọn trong danh sách (cũng chấp nhận Có/Không, x).', { font: font() }],
    ['   • Tỷ lệ %: số từ 0 đến 100 (95,5 là 95,5%).', { font: font() }],
    ['   • Số: số không âm theo đơn vị tính của chỉ tiêu (ví dụ thu nhập: triệu đồng/người/năm).', { font: font() }],
    ['   • Tỷ lệ tính từ tử số/mẫu số: nhập hai cột "(tử số)" và "(mẫu số)"; tử số không lớn hơn mẫu số.', { font: font() }],
    ['   • Xếp loại: chọn trong danh sách.', { font: font() }],
    ['   • "Không có …" (nhà tạm, số vụ…): số nguyên, 0 là đạt.', { font: font() }],
    ['Ô để trống: chưa có số liệu, chỉ tiêu sẽ là "chưa đánh giá được"; ô trống không xóa giá trị đã có trên hệ thống.', { font: font() }],
    ['Ngưỡng áp dụng tùy theo vùng hoặc nhóm của từng xã. Chỉ tiêu đánh dấu (*) chưa được kiểm chứng với văn bản gốc.', { font: font() }],
    ['Tải tệp lên: trang "Nhập số liệu" của hệ thống (hoặc lệnh datchuan import xlsx). Hệ thống kiểm tra trước và liệt kê từng lỗi (trang, ô, giá trị, lý do);', { font: font() }],
    ['chỉ ghi khi không còn lỗi, tất cả trong một lần (không ghi một phần). Nhập lại cùng một tệp không thay đổi gì.', { font: font() }],
    ['Bản rà soát đã nộp không sửa được bằng tệp; bản nháp được cập nhật các giá trị khác đi.', { font: font() }],
    ['', {}],
    ['Instructions (English): one commune per row (or one sheet per commune); type values only into the yellow cells; leave a cell empty when there is no data.', NOTE_STYLE],
    ['The hidden sheet "_datchuan" identifies the template (set, version, units): do not change it.', NOTE_STYLE],
    ['', {}],
    [`Thông tin mẫu: ${s.name} (mã ${s.id}); ${unitListText(spec.listId).vi}; định dạng ${TEMPLATE_FORMAT}; mã băm ${spec.setHash.slice(0, 16)}…; tạo lúc ${spec.generatedAt}.`, NOTE_STYLE],
  ];
  lines.forEach(([text, style], i) => {
    const r = ws.getRow(i + 1);
    r.getCell(2).value = text;
    r.getCell(2).style = { ...style, alignment: { wrapText: true, vertical: 'top' } };
    // About 100 characters a line at this width: rows are sized for their wrapped text.
    r.height = 16 * Math.max(1, Math.ceil(text.length / 100)) + 2;
    r.commit();
  });
  ws.commit();
}

function matrixColumnWidth(c: MatrixColumn): number {
  return c.indicator?.kind === 'grade' ? 16 : c.part === 'flag' ? 14 : 12;
}

async function writeMatrix(wb: ExcelJS.stream.xlsx.WorkbookWriter, spec: TemplateSpec, cols: MatrixColumn[]): Promise<void> {
  const fixed = 5;
  const last = fixed + cols.length;
  const n = spec.units.length;
  const ws: Worksheet = wb.addWorksheet(MATRIX_SHEET, {
    views: [{ state: 'frozen', xSplit: 3, ySplit: MATRIX_FIRST_ROW - 1 }],
    // 80-odd columns: printed across several landscape pages at a legible scale, the commune
    // columns (STT, code, name) and the header rows repeated on each, page numbers in the footer.
    pageSetup: a4(true, `${MATRIX_HEADER_ROW}:${MATRIX_FIRST_ROW - 1}`, { widthUnits: 6 + 9 + 22 + 22 + 13 + cols.reduce((a, c) => a + matrixColumnWidth(c), 0), printTitlesColumn: 'A:C' }),
    headerFooter: PAGE_FOOTER,
  } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = [
    { width: 6, style: { font: font(), protection: LOCKED } },
    { width: 9, style: { font: font(), protection: LOCKED } },
    { width: 22, style: { font: font(), protection: LOCKED } },
    { width: 22, style: { font: font(), protection: LOCKED } },
    { width: 13, style: { font: font(), protection: UNLOCKED, numFmt: 'dd/mm/yyyy', fill: solid(INPUT_FILL) } },
    ...cols.map((c) => ({ width: matrixColumnWidth(c), style: inputStyle(c) })),
  ];
  const title = ws.getRow(1);
  title.getCell(1).value = `MẪU NHẬP SỐ LIỆU RÀ SOÁT — ${spec.set.name.toUpperCase()}`;
  title.getCell(1).style = { ...TITLE_STYLE, protection: LOCKED };
  title.commit();
  const sub = ws.getRow(2);
  sub.getCell(1).value = `${spec.scopeName} — ngày rà soát mặc định ${dateVi(spec.date)} — bộ tiêu chí ${spec.set.id}${spec.demo ? ' — DỮ LIỆU MINH HỌA' : ''}`;
  sub.getCell(1).style = { font: font({ italic: true }), protection: LOCKED };
  sub.commit();

  // Row 3: the criterion over its first column, with alternating fills per criterion.
  const bands = ws.getRow(3);
  let prev = '';
  let shade = false;
  const fillOf: string[] = [];
  cols.forEach((c, k) => {
    if (c.criterion !== prev) shade = !shade;
    fillOf[k] = shade ? 'FFDDEBF7' : 'FFE2EFDA';
    const cell = bands.getCell(fixed + 1 + k);
    cell.value = c.criterion !== prev ? c.criterion : null;
    cell.style = { font: font({ bold: true, size: 10 }), fill: solid(fillOf[k]!), protection: LOCKED, alignment: { vertical: 'top', wrapText: false } };
    prev = c.criterion;
  });
  bands.commit();

  const header = ws.getRow(MATRIX_HEADER_ROW);
  ['STT', 'Mã xã', 'Tên xã', 'Trực thuộc', 'Ngày rà soát'].forEach((t, i) => {
    header.getCell(i + 1).value = t;
    header.getCell(i + 1).style = { ...HEADER_STYLE, protection: LOCKED };
  });
  cols.forEach((c, k) => {
    const cell = header.getCell(fixed + 1 + k);
    cell.value = c.header;
    cell.style = { ...HEADER_STYLE, fill: solid(fillOf[k]!), protection: LOCKED };
  });
  header.commit();
  const describe = (rowNo: number, label: string, text: (c: MatrixColumn) => string, height: number, style: Partial<ExcelJS.Style>) => {
    const row = ws.getRow(rowNo);
    row.getCell(4).value = label;
    row.getCell(4).style = lockedText({ font: font({ italic: true, size: 10 }), alignment: { horizontal: 'right', vertical: 'top' } });
    for (let i = 1; i <= 3; i++) row.getCell(i).style = lockedText();
    row.getCell(5).style = lockedText();
    cols.forEach((c, k) => {
      const cell = row.getCell(fixed + 1 + k);
      cell.value = text(c);
      cell.style = lockedText({ ...style, fill: solid(fillOf[k]!) });
    });
    row.height = height;
    row.commit();
  };
  describe(5, 'Tên chỉ tiêu', (c) => c.label, 96, { font: font({ size: 9 }) });
  describe(6, 'Cách nhập', (c) => kindHint(c), 40, { font: font({ size: 9, italic: true }) });
  describe(7, 'Ngưỡng áp dụng', (c) => targetOf(c, spec.units), 30, { font: font({ size: 9, bold: true }) });

  spec.units.forEach((u, idx) => {
    const row = ws.getRow(MATRIX_FIRST_ROW + idx);
    const cells: Array<[number, unknown, Partial<ExcelJS.Style>]> = [
      [1, idx + 1, lockedText({ alignment: { horizontal: 'right' } })],
      [2, u.code, lockedText({ alignment: { horizontal: 'center' } })],
      [3, u.name, lockedText()],
      [4, u.parentName ?? '', lockedText()],
      [5, excelDate(spec.date), { font: font(), fill: solid(INPUT_FILL), border: BORDER, protection: UNLOCKED, numFmt: 'dd/mm/yyyy', alignment: { horizontal: 'center' } }],
    ];
    for (const [col, value, style] of cells) {
      const cell = row.getCell(col);
      cell.value = value as ExcelJS.CellValue;
      cell.style = style;
    }
    const values = spec.prefill?.(u);
    if (values) {
      cols.forEach((c, k) => {
        const v = cellValueOf(c, values[c.code]);
        if (v === null) return;
        const cell = row.getCell(fixed + 1 + k);
        cell.value = v;
        cell.style = inputStyle(c);
      });
    }
    row.commit();
  });

  const lastRow = MATRIX_FIRST_ROW + Math.max(n, 1) - 1;
  addValidation(ws, `E${MATRIX_FIRST_ROW}:E${lastRow}`, dateValidation(spec.set));
  cols.forEach((c, k) => {
    const v = validationOf(c);
    const L = colLetter(fixed + 1 + k);
    if (v) addValidation(ws, `${L}${MATRIX_FIRST_ROW}:${L}${lastRow}`, v);
  });
  ws.autoFilter = { from: { row: MATRIX_HEADER_ROW, column: 1 }, to: { row: lastRow, column: last } };
  await ws.protect('', PROTECT_OPTIONS);
  ws.commit();
}

async function writeCommuneSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, spec: TemplateSpec, u: TemplateUnit, name: string): Promise<void> {
  const ws: Worksheet = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: COMMUNE_HEADER_ROW }], pageSetup: a4(true, `${COMMUNE_HEADER_ROW}:${COMMUNE_HEADER_ROW}`), headerFooter: PAGE_FOOTER } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = [{ width: 8 }, { width: 60 }, { width: 16 }, { width: 14 }, { width: 18 }, { width: 14 }, { width: 14 }, { width: 30 }].map((c) => ({ ...c, style: { font: font(), protection: LOCKED } }));
  const values = spec.prefill?.(u) ?? {};
  const put = (r: ExcelJS.Row, col: number, value: unknown, style: Partial<ExcelJS.Style>) => {
    const c = r.getCell(col);
    c.value = value as ExcelJS.CellValue;
    c.style = style;
  };
  const label = lockedText({ font: font({ bold: true }), border: {} });
  const plain = lockedText({ border: {} });
  const r1 = ws.getRow(1);
  put(r1, 1, `SỐ LIỆU RÀ SOÁT — ${u.fullName.toUpperCase()}${spec.demo ? ' (DỮ LIỆU MINH HỌA)' : ''}`, { ...TITLE_STYLE, protection: LOCKED });
  r1.commit();
  const r2 = ws.getRow(2);
  put(r2, 1, 'Mã xã:', label);
  put(r2, 2, u.code, { ...plain, alignment: { horizontal: 'left' } });
  put(r2, 3, 'Tên xã:', label);
  put(r2, 4, u.name, plain);
  put(r2, 5, 'Trực thuộc:', label);
  put(r2, 6, u.parentName ?? '', plain);
  r2.commit();
  const r3 = ws.getRow(3);
  put(r3, 1, 'Ngày rà soát:', label);
  put(r3, 2, excelDate(spec.date), { font: font(), fill: solid(INPUT_FILL), border: BORDER, protection: UNLOCKED, numFmt: 'dd/mm/yyyy', alignment: { horizontal: 'left' } });
  put(r3, 3, 'Bộ tiêu chí:', label);
  put(r3, 4, spec.set.id, plain);
  r3.commit();
  ws.getRow(4).commit();
  const header = ws.getRow(COMMUNE_HEADER_ROW);
  ['Mã', 'Tiêu chí / chỉ tiêu', 'Cách nhập', 'Đơn vị tính', 'Ngưỡng áp dụng', 'Giá trị', 'Mẫu số (chỉ tiêu tỷ lệ)', 'Ghi chú'].forEach((t, i) => put(header, i + 1, t, { ...HEADER_STYLE, protection: LOCKED }));
  header.height = 32;
  header.commit();
  addValidation(ws, 'B3', dateValidation(spec.set));
  let r = COMMUNE_HEADER_ROW;
  for (const c of spec.set.criteria) {
    const cr = ws.getRow(++r);
    put(cr, 1, `TC ${c.code}`, lockedText({ font: font({ bold: true }), fill: solid('FFF2F2F2') }));
    put(cr, 2, `${c.name}${c.critical ? ' (bắt buộc)' : ''}`, lockedText({ font: font({ bold: true }), fill: solid('FFF2F2F2') }));
    for (let k = 3; k <= 8; k++) put(cr, k, null, lockedText({ fill: solid('FFF2F2F2') }));
    cr.commit();
    for (const i of c.indicators) {
      const row = ws.getRow(++r);
      const t = u.targets.get(i.code);
      const col: MatrixColumn = { code: i.code, part: i.kind === 'ratio' ? 'numerator' : 'value', indicator: i, header: i.code, label: i.name, criterion: c.code };
      put(row, 1, i.code, lockedText({ alignment: { horizontal: 'center', vertical: 'top' } }));
      put(row, 2, `${i.name}${i.verified ? '' : ' (*)'}`, lockedText());
      put(row, 3, i.kind === 'ratio' ? 'tử số (F) / mẫu số (G)' : kindHint(col), lockedText({ font: font({ size: 9, italic: true }) }));
      put(row, 4, i.unit ?? (i.kind === 'percent' ? '%' : ''), lockedText());
      put(row, 5, t ? targetText(i, t.op, t.value) : 'chưa có ngưỡng', lockedText({ font: font({ bold: true }) }));
      put(row, 6, cellValueOf(col, values[i.code]), inputStyle(col));
      if (i.kind === 'ratio') put(row, 7, cellValueOf({ part: 'denominator', indicator: i }, values[i.code]), inputStyle({ part: 'denominator', indicator: i }));
      else put(row, 7, null, lockedText({ fill: solid('FFEDEDED') }));
      put(row, 8, null, { font: font(), border: BORDER, protection: UNLOCKED, alignment: { wrapText: true, vertical: 'top' } });
      row.height = Math.min(120, 16 * Math.ceil((i.name.length + 4) / 70) + 2);
      row.commit();
      const v = validationOf(col);
      if (v) addValidation(ws, `F${r}`, v);
      if (i.kind === 'ratio') addValidation(ws, `G${r}`, validationOf({ code: i.code, part: 'denominator', indicator: i })!);
    }
  }
  for (const f of spec.set.flags) {
    const row = ws.getRow(++r);
    const col: MatrixColumn = { code: f.code, part: 'flag', indicator: null, header: f.code, label: f.name, criterion: '' };
    put(row, 1, f.code, lockedText({ font: font({ size: 9 }) }));
    put(row, 2, `${f.name} (điều kiện áp dụng)`, lockedText());
    put(row, 3, 'Có / Không', lockedText({ font: font({ size: 9, italic: true }) }));
    for (const k of [4, 5, 7]) put(row, k, null, lockedText());
    put(row, 6, cellValueOf(col, values[f.code]), inputStyle(col));
    put(row, 8, null, { font: font(), border: BORDER, protection: UNLOCKED });
    row.commit();
    addValidation(ws, `F${r}`, validationOf(col)!);
  }
  await ws.protect('', PROTECT_OPTIONS);
  ws.commit();
}

/** Write the template workbook to `out`. */
export async function writeTemplate(spec: TemplateSpec, out: Writable): Promise<void> {
  const matrix = spec.layout !== 'per-commune';
  const perCommune = spec.layout !== 'matrix';
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Đạt Chuẩn';
  wb.title = `Mẫu nhập số liệu — ${spec.set.name}`;
  const taken = new Set<string>([META_SHEET.toLowerCase(), INSTRUCTIONS_SHEET.toLowerCase(), MATRIX_SHEET.toLowerCase()]);
  const communeSheets = perCommune ? spec.units.map((u) => ({ unit: u, name: safeSheetName(u.name, taken) })) : [];
  const sheets = [
    ...(matrix ? [{ name: MATRIX_SHEET, layout: 'matrix' as const, unitId: null, headerRow: MATRIX_HEADER_ROW, firstRow: MATRIX_FIRST_ROW }] : []),
    ...communeSheets.map((s) => ({ name: s.name, layout: 'per-commune' as const, unitId: s.unit.id, headerRow: COMMUNE_HEADER_ROW, firstRow: COMMUNE_HEADER_ROW + 1 })),
  ];
  // Tabs: the hidden metadata first (read first when streaming), then the instructions, then data.
  (wb as unknown as { views: unknown[] }).views = [{ x: 0, y: 0, width: 28000, height: 16000, firstSheet: 1, activeTab: matrix ? 2 : 1, visibility: 'visible' }];
  writeMeta(wb, spec, sheets);
  writeInstructions(wb, spec, matrix, perCommune);
  if (matrix) await writeMatrix(wb, spec, matrixColumns(spec.set));
  for (const s of communeSheets) await writeCommuneSheet(wb, spec, s.unit, s.name);
  await wb.commit();
}

export { FONT };
