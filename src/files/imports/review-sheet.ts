/**
 * Bảng số liệu rà soát — the review sheets of an uploaded workbook read into records, without a
 * database: the system's templates (recognised by their hidden `_datchuan` sheet, which names the
 * set, the date, the unit list and where each sheet's header is) and reasonable hand-made sheets
 * (one commune per row with indicator codes or names as headers — the matrix layout —, or one
 * commune per sheet with a "Giá trị" column — the vertical layout; headers matched without
 * diacritics by cells.ts). Rows stream from xlsx-reader.ts and are dropped once read, so memory does
 * not grow with the file.
 *
 * Each record is one commune on one date with the values read and the problems found in its cells
 * (sheet, cell, value, a Vietnamese/English message); problems of the file itself (headers, ignored
 * sheets and columns, a changed set) come as separate items. Which commune a record names, whether
 * it may be written and what it changes are for the import service to decide.
 */
import { getCatalog } from '../../catalog/catalog.ts';
import type { IndicatorValue } from '../../domain/criteria.ts';
import { DomainError, isDomainError, type BilingualMessage } from '../../domain/errors.ts';
import type { XlsxEvent } from './xlsx-reader.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './limits.ts';
import { isZip, openZip } from './zip.ts';

/** The events of xlsx-reader.ts, read in place (tests) or from the parse worker. */
export type XlsxEvents = Iterable<XlsxEvent> | AsyncIterable<XlsxEvent>;
import {
  checkRange,
  convertPart,
  headerKey,
  headerScore,
  indexSet,
  mapHeader,
  parseDateRaw,
  parseYesNo,
  rawText,
  readPreamble,
  unitCodeOf,
  type HeaderMap,
  type Raw,
  type SetIndex,
} from './cells.ts';
import { INSTRUCTIONS_SHEET, META_SHEET, TEMPLATE_FORMAT, colLetter } from './template.ts';

// ── Problems ──────────────────────────────────────────────────────────────────────────────────

/** The closed set of problem codes (documented in docs/reports.md). */
export const IMPORT_PROBLEMS = [
  'not_xlsx',
  'no_data',
  'unknown_set',
  'set_changed',
  'ignored_sheet',
  'ignored_column',
  'unknown_indicator',
  'duplicate_column',
  'wrong_kind',
  'out_of_range',
  'incomplete_ratio',
  'missing_unit',
  'unknown_unit',
  'ambiguous_unit',
  'name_mismatch',
  'not_in_template',
  'unit_not_valid_on_date',
  'missing_date',
  'invalid_date',
  'date_outside_set_validity',
  'list_mismatch',
  'duplicate_row',
  'duplicate_sheet',
  'missing_column',
  'unnamed_column',
  'percent_as_fraction',
  'merged_cells',
  'submitted_review',
  'forbidden',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEMS)[number];

export interface ImportProblem {
  severity: 'error' | 'warning';
  code: ImportProblemCode;
  sheet: string | null;
  /** A1 address of the cell, when one cell is at fault. */
  cell: string | null;
  row: number | null;
  /** The cell's content as read. */
  value: string | null;
  message: BilingualMessage;
}

/** A problem found at a place in the workbook. */
export function problem(severity: 'error' | 'warning', code: ImportProblemCode, where: { sheet: string | null; cell?: string | null; row?: number | null; value?: string | null }, message: BilingualMessage): ImportProblem {
  return { severity, code, sheet: where.sheet, cell: where.cell ?? null, row: where.row ?? null, value: where.value ?? null, message };
}

/** A message prefixed with where it applies: `Sheet!B7: …`. */
export function located(sheet: string, cell: string | null, m: BilingualMessage): BilingualMessage {
  const at = cell ? `${sheet}!${cell}` : sheet;
  return { vi: `${at}: ${m.vi}`, en: `${at}: ${m.en}` };
}

// ── The file ──────────────────────────────────────────────────────────────────────────────────

export function notXlsx(why: BilingualMessage): DomainError {
  return new DomainError(
    'validation_failed',
    { vi: `Tệp không phải bảng tính Excel .xlsx: ${why.vi}`, en: `The file is not an .xlsx workbook: ${why.en}` },
    { code: 'not_xlsx' },
  );
}

/**
 * Check by content, not by name: a ZIP (PK\x03\x04) that holds xl/workbook.xml, whose central
 * directory keeps within the limits (declared sizes, ratios, entries) — nothing is inflated here.
 */
export function assertXlsx(buffer: Uint8Array, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): void {
  if (!isZip(buffer)) {
    throw notXlsx({ vi: 'nội dung không phải tệp nén ZIP của Office (tệp .xls cũ, .csv hay .pdf cần lưu lại dạng .xlsx).', en: 'the content is not an Office ZIP package (save old .xls, .csv or other files as .xlsx).' });
  }
  let hasWorkbook = false;
  try {
    hasWorkbook = openZip(buffer, limits).byName.has('xl/workbook.xml');
  } catch (e) {
    if (isDomainError(e)) throw e;
    throw notXlsx({ vi: 'tệp nén bị hỏng hoặc không đọc được.', en: 'the ZIP package is damaged.' });
  }
  if (!hasWorkbook) throw notXlsx({ vi: 'tệp nén không chứa bảng tính (có thể là tệp Word hoặc tệp nén khác).', en: 'the package holds no workbook (a Word file or another archive?).' });
}

// ── Reading rows ──────────────────────────────────────────────────────────────────────────────

export interface SheetRow {
  number: number;
  cells: Raw[];
}

/** What a template's hidden sheet says about it. */
export interface TemplateMeta {
  setId: string | null;
  setHash: string | null;
  listId: string | null;
  reviewedOn: string | null;
  sheets: Map<string, { layout: 'matrix' | 'per-commune'; unitId: string | null; headerRow: number; firstRow: number }>;
  units: Set<string>;
}

function readMeta(rows: SheetRow[]): TemplateMeta | null {
  const kv = new Map<string, string>();
  const meta: TemplateMeta = { setId: null, setHash: null, listId: null, reviewedOn: null, sheets: new Map(), units: new Set() };
  for (const r of rows) {
    const key = typeof r.cells[0] === 'string' ? r.cells[0] : null;
    if (!key) continue;
    const v = (i: number) => (r.cells[i] === null || r.cells[i] === undefined ? null : rawText(r.cells[i]!));
    if (key === 'sheet') {
      const name = v(1);
      if (name) meta.sheets.set(name, { layout: v(2) === 'per-commune' ? 'per-commune' : 'matrix', unitId: v(3), headerRow: Number(v(4)) || 0, firstRow: Number(v(5)) || 0 });
    } else if (key === 'unit') {
      const id = v(1);
      if (id) meta.units.add(id);
    } else kv.set(key, v(1) ?? '');
  }
  if (kv.get('format') !== TEMPLATE_FORMAT) return null;
  meta.setId = kv.get('setId') || null;
  meta.setHash = kv.get('setHash') || null;
  meta.listId = kv.get('listId') || null;
  meta.reviewedOn = kv.get('reviewedOn') || null;
  return meta;
}

/**
 * Stream every worksheet: name, visibility, its rows and its merged ranges. Each sheet's rows must
 * be read before the next sheet; `merges` is filled once they have been (the ranges follow the rows).
 */
async function* worksheets(source: XlsxEvents): AsyncGenerator<{ name: string; hidden: boolean; rows: AsyncGenerator<SheetRow>; merges: string[] }> {
  const events: AsyncIterator<XlsxEvent> | Iterator<XlsxEvent> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const next = async (): Promise<IteratorResult<XlsxEvent>> => {
    try {
      return await events.next();
    } catch (e) {
      if (isDomainError(e)) throw e;
      throw notXlsx({ vi: `không đọc được nội dung (${(e as Error).message}).`, en: `its content cannot be read (${(e as Error).message}).` });
    }
  };
  // Stopped early (a refusal, an error in the importer): the source is closed (the parse worker ends).
  try {
    let current = await next();
    while (!current.done) {
      const ev = current.value;
      if (ev.kind !== 'sheet') {
        current = await next();
        continue;
      }
      let finished = false;
      const merges: string[] = [];
      const rows = async function* (): AsyncGenerator<SheetRow> {
        for (;;) {
          current = await next();
          if (current.done || current.value.kind === 'sheet') {
            finished = true;
            return;
          }
          if (current.value.kind === 'merges') merges.push(...current.value.ranges);
          else yield { number: current.value.number, cells: current.value.cells };
        }
      };
      const it = rows();
      yield { name: ev.name, hidden: ev.hidden, rows: it, merges };
      if (!finished) for await (const _ of it) void _;
    }
  } finally {
    await events.return?.();
  }
}

// ── Records: one commune, one date, its values ─────────────────────────────────────────────────

/** The commune a record names, as written (resolved against the unit lists by the import service). */
export interface UnitRef {
  code: string | null;
  name: string | null;
  district: string | null;
  province: string | null;
  parent: string | null;
  /** Set by a template's per-commune sheet. */
  unitId: string | null;
  cell: string | null;
  raw: string | null;
}

/** One commune on one date: the values read and the problems found in its cells. */
export interface ParsedRecord {
  sheet: string;
  row: number;
  unit: UnitRef;
  date: { iso: string | null; cell: string | null; raw: string | null };
  values: Record<string, IndicatorValue>;
  problems: ImportProblem[];
}

const HEADER_SCAN_ROWS = 30;

/** Values of a matrix row: each mapped column converted, ratios joined, ranges checked. */
/**
 * A percentage between 0 and 1 (exclusive) typed without a % format — "0.95" — is most often a
 * fraction meant as 95 %: kept as written (0,95 % can be real, a poverty rate), but said in the dry run.
 */
function percentAsFraction(ind: { code: string; kind: string }, value: unknown, sheet: string, cell: string, row: number, raw: Raw): ImportProblem | null {
  if (ind.kind !== 'percent' || typeof value !== 'number' || value <= 0 || value >= 1) return null;
  const shown = String(value).replace('.', ',');
  return problem('warning', 'percent_as_fraction', { sheet, cell, row, value: rawText(raw) }, located(sheet, cell, {
    vi: `chỉ tiêu ${ind.code} là tỷ lệ phần trăm: "${rawText(raw)}" được hiểu là ${shown} %. Nếu ý là ${Math.round(value * 1000) / 10} %, hãy nhập ${Math.round(value * 1000) / 10}.`,
    en: `indicator ${ind.code} is a percentage: "${rawText(raw)}" is read as ${value} %. If you meant ${Math.round(value * 1000) / 10} %, type ${Math.round(value * 1000) / 10}.`,
  }));
}

/**
 * Indicators of the set that no column of the header holds. In one of our templates a missing
 * column means a header was deleted or overwritten — every commune would lose the indicator — so
 * it is an error per indicator; a hand-made sheet may hold a part of the set: one warning.
 */
function missingColumns(idx: SetIndex, header: HeaderMap, sheet: string, headerRow: number, template: boolean): ImportProblem[] {
  const held = new Set<string>();
  for (const role of header.columns.values()) if (role.role === 'indicator') held.add(role.code);
  const missing = idx.set.criteria.flatMap((c) => c.indicators.map((i) => i.code)).filter((code) => !held.has(code));
  if (missing.length === 0 || held.size === 0) return [];
  if (template) {
    return missing.map((code) =>
      problem('error', 'missing_column', { sheet, row: headerRow, value: code }, located(sheet, `${headerRow}:${headerRow}`, {
        vi: `không có cột của chỉ tiêu ${code} (tiêu đề bị xóa hoặc sửa?): số liệu chỉ tiêu này của mọi xã sẽ bị bỏ sót. Hãy khôi phục tiêu đề "${code}" ở dòng ${headerRow} hoặc tải lại mẫu.`,
        en: `no column holds indicator ${code} (header deleted or changed?): every commune would lose it. Restore the header "${code}" in row ${headerRow} or download the template again.`,
      })),
    );
  }
  const list = missing.slice(0, 12).join(', ') + (missing.length > 12 ? ` … (+${missing.length - 12})` : '');
  return [
    problem('warning', 'missing_column', { sheet, row: headerRow, value: missing.join(',') }, located(sheet, `${headerRow}:${headerRow}`, {
      vi: `bảng không có cột của ${missing.length} chỉ tiêu (${list}): các chỉ tiêu này không được nhập.`,
      en: `the sheet has no column for ${missing.length} indicators (${list}): they are not imported.`,
    })),
  ];
}

/** Rows a merged range ("B5:C7") spans. */
function mergeRows(range: string): { from: number; to: number } {
  const [a, b] = range.split(':').map((ref) => Number(ref.replace(/^[A-Z]+/, '')));
  return { from: Math.min(a!, b!), to: Math.max(a!, b!) };
}

/**
 * Merged ranges that reach the data rows (from `firstDataRow`): Excel keeps only a merged range's
 * top-left value, so a value typed in one of its other cells is already gone and the one kept
 * would stand for several cells. An error per range: the officer unmerges and types each value.
 * Merges above the data — a title, a grouped header, the template's own headings — are left alone.
 */
function mergedInData(sheet: string, merges: string[], firstDataRow: number | null): ImportProblem[] {
  if (firstDataRow === null) return [];
  return merges
    .filter((range) => mergeRows(range).to >= firstDataRow)
    .map((range) =>
      problem('error', 'merged_cells', { sheet, cell: range, row: mergeRows(range).from, value: range }, located(sheet, range, {
        vi: `các ô ${range} đang được gộp: Excel chỉ giữ giá trị của ô đầu, giá trị của các ô khác bị mất hoặc không rõ thuộc ô nào. Hãy bỏ gộp ô và nhập từng giá trị.`,
        en: `cells ${range} are merged: Excel keeps only the first cell's value, the others are lost or it is unclear which cell it belongs to. Unmerge the cells and enter each value.`,
      })),
    );
}

function matrixRecord(sheet: string, row: SheetRow, header: HeaderMap, idx: SetIndex): ParsedRecord {
  const rec: ParsedRecord = {
    sheet,
    row: row.number,
    unit: { code: null, name: null, district: null, province: null, parent: null, unitId: null, cell: null, raw: null },
    date: { iso: null, cell: null, raw: null },
    values: {},
    problems: [],
  };
  const parts = new Map<string, { numerator?: { v: number; cell: string }; denominator?: { v: number; cell: string } }>();
  for (const [col, role] of header.columns) {
    const raw = row.cells[col - 1] ?? null;
    const cell = `${colLetter(col)}${row.number}`;
    if (raw === null) continue;
    switch (role.role) {
      case 'unitCode':
        rec.unit.code = unitCodeOf(raw);
        rec.unit.cell = cell;
        rec.unit.raw = rawText(raw);
        break;
      case 'unitName':
        rec.unit.name = rawText(raw);
        rec.unit.cell ??= cell;
        rec.unit.raw ??= rawText(raw);
        break;
      case 'parent':
        if (role.level === 'district') rec.unit.district = rawText(raw);
        else if (role.level === 'province') rec.unit.province = rawText(raw);
        else rec.unit.parent = rawText(raw);
        break;
      case 'date': {
        rec.date = { iso: parseDateRaw(raw), cell, raw: rawText(raw) };
        if (rec.date.iso === null) {
          rec.problems.push(problem('error', 'invalid_date', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, { vi: `ngày "${rawText(raw)}" không đọc được (cần dd/mm/yyyy).`, en: `date "${rawText(raw)}" cannot be read (use dd/mm/yyyy).` })));
        }
        break;
      }
      case 'flag': {
        const b = parseYesNo(raw);
        if (b === null) {
          rec.problems.push(problem('error', 'wrong_kind', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, { vi: `điều kiện "${role.code}" cần "Có" hoặc "Không", nhận được "${rawText(raw)}".`, en: `flag "${role.code}" takes "Có" (yes) or "Không" (no), got "${rawText(raw)}".` })));
        } else rec.values[role.code] = b;
        break;
      }
      case 'indicator': {
        const ind = idx.byCode.get(role.code)!;
        const r = convertPart(ind, role.part, raw);
        if (!r.ok) {
          rec.problems.push(problem('error', r.kind, { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, r.message)));
          break;
        }
        if (ind.kind === 'ratio' && role.part !== 'value') {
          const p = parts.get(ind.code) ?? {};
          p[role.part] = { v: r.value as number, cell };
          parts.set(ind.code, p);
          break;
        }
        const checked = checkRange(ind, r.value);
        if (!checked.ok) rec.problems.push(problem('error', 'out_of_range', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, checked.message)));
        else {
          rec.values[ind.code] = r.value;
          const fraction = percentAsFraction(ind, r.value, sheet, cell, row.number, raw);
          if (fraction) rec.problems.push(fraction);
        }
        break;
      }
      case 'ignore':
        break;
    }
  }
  for (const [code, p] of parts) {
    const ind = idx.byCode.get(code)!;
    if (!p.numerator || !p.denominator) {
      const have = (p.numerator ?? p.denominator)!;
      rec.problems.push(
        problem('error', 'incomplete_ratio', { sheet, cell: have.cell, row: row.number, value: String(have.v) }, located(sheet, have.cell, { vi: `chỉ tiêu ${code} là tỷ lệ: cần cả tử số và mẫu số.`, en: `indicator ${code} is a ratio: both numerator and denominator are needed.` })),
      );
      continue;
    }
    const value = { numerator: p.numerator.v, denominator: p.denominator.v };
    const checked = checkRange(ind, value);
    if (!checked.ok) rec.problems.push(problem('error', 'out_of_range', { sheet, cell: p.numerator.cell, row: row.number, value: `${p.numerator.v}/${p.denominator.v}` }, located(sheet, p.numerator.cell, checked.message)));
    else rec.values[code] = value;
  }
  return rec;
}

/** Columns of a one-commune sheet: indicator code or name, value, denominator. */
interface VerticalHeader {
  codeCol: number | null;
  nameCol: number | null;
  valueCol: number;
  denomCol: number | null;
}

const V_CODE = ['ma', 'ma chi tieu', 'ma so'];
const V_NAME = ['tieu chi / chi tieu', 'chi tieu', 'ten chi tieu', 'noi dung', 'tieu chi, chi tieu', 'noi dung chi tieu'];
const V_VALUE = ['gia tri', 'gia tri bao cao', 'ket qua', 'so lieu', 'ket qua thuc hien', 'gia tri (tu so)', 'ket qua tu danh gia'];
const V_DENOM = ['mau so', 'mau so (chi tieu ty le)'];

function verticalHeader(cells: readonly Raw[]): VerticalHeader | null {
  let codeCol: number | null = null;
  let nameCol: number | null = null;
  let valueCol: number | null = null;
  let denomCol: number | null = null;
  cells.forEach((r, i) => {
    const k = headerKey(r);
    if (codeCol === null && V_CODE.includes(k)) codeCol = i + 1;
    else if (nameCol === null && V_NAME.includes(k)) nameCol = i + 1;
    else if (valueCol === null && V_VALUE.includes(k)) valueCol = i + 1;
    else if (denomCol === null && V_DENOM.includes(k)) denomCol = i + 1;
  });
  if (valueCol === null || (codeCol === null && nameCol === null)) return null;
  return { codeCol, nameCol, valueCol, denomCol };
}

function indicatorOfRow(idx: SetIndex, vh: VerticalHeader, cells: readonly Raw[]): { code: string; flag: boolean } | null {
  const codeRaw = vh.codeCol ? (cells[vh.codeCol - 1] ?? null) : null;
  if (codeRaw !== null) {
    const code = typeof codeRaw === 'number' ? String(codeRaw) : rawText(codeRaw).trim();
    if (idx.byCode.has(code)) return { code, flag: false };
    if (idx.flagCodes.has(code)) return { code, flag: true };
  }
  const nameRaw = vh.nameCol ? (cells[vh.nameCol - 1] ?? null) : null;
  if (nameRaw !== null) {
    const key = headerKey(nameRaw).replace(/\s*\(dieu kien ap dung\)$/, '');
    const named = idx.byName.get(key);
    if (named && named.length === 1) return { code: named[0]!, flag: false };
    const flag = idx.flagByName.get(key);
    if (flag) return { code: flag, flag: true };
  }
  return null;
}

/** A one-commune sheet: the commune and date from the preamble (or the template), one value per row. */
function verticalRecord(sheet: string, preamble: SheetRow[], rows: SheetRow[], vh: VerticalHeader, idx: SetIndex, templateUnitId: string | null): ParsedRecord {
  const pre = readPreamble(preamble, colLetter);
  const rec: ParsedRecord = {
    sheet,
    row: preamble.at(-1)?.number ?? 1,
    unit: {
      code: pre.code ? unitCodeOf(pre.code.value) : null,
      name: pre.name ? rawText(pre.name.value) : null,
      district: null,
      province: null,
      parent: pre.parent ? rawText(pre.parent.value) : null,
      unitId: templateUnitId,
      cell: pre.code?.cell ?? pre.name?.cell ?? null,
      raw: pre.code ? rawText(pre.code.value) : pre.name ? rawText(pre.name.value) : null,
    },
    date: { iso: null, cell: pre.date?.cell ?? null, raw: pre.date ? rawText(pre.date.value) : null },
    values: {},
    problems: [],
  };
  if (pre.date) {
    rec.date.iso = parseDateRaw(pre.date.value);
    if (rec.date.iso === null) {
      rec.problems.push(problem('error', 'invalid_date', { sheet, cell: pre.date.cell, value: rawText(pre.date.value) }, located(sheet, pre.date.cell, { vi: `ngày "${rawText(pre.date.value)}" không đọc được (cần dd/mm/yyyy).`, en: `date "${rawText(pre.date.value)}" cannot be read (use dd/mm/yyyy).` })));
    }
  }
  for (const row of rows) {
    const target = indicatorOfRow(idx, vh, row.cells);
    const raw = row.cells[vh.valueCol - 1] ?? null;
    const cell = `${colLetter(vh.valueCol)}${row.number}`;
    if (!target) {
      const codeRaw = vh.codeCol ? (row.cells[vh.codeCol - 1] ?? null) : null;
      const code = codeRaw === null ? '' : rawText(codeRaw).trim();
      if (raw !== null && /^\d{1,2}(\.\d{1,2}){1,2}$/.test(code)) {
        rec.problems.push(problem('error', 'unknown_indicator', { sheet, cell: `${colLetter(vh.codeCol!)}${row.number}`, row: row.number, value: code }, located(sheet, `${colLetter(vh.codeCol!)}${row.number}`, { vi: `mã chỉ tiêu "${code}" không có trong ${idx.set.name}.`, en: `indicator code "${code}" is not in the criteria set "${idx.set.name}".` })));
      }
      continue;
    }
    if (raw === null) continue;
    if (target.flag) {
      const b = parseYesNo(raw);
      if (b === null) rec.problems.push(problem('error', 'wrong_kind', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, { vi: `điều kiện "${target.code}" cần "Có" hoặc "Không".`, en: `flag "${target.code}" takes "Có" (yes) or "Không" (no).` })));
      else rec.values[target.code] = b;
      continue;
    }
    const ind = idx.byCode.get(target.code)!;
    let value: IndicatorValue;
    if (ind.kind === 'ratio' && vh.denomCol !== null && !(typeof raw === 'string' && raw.includes('/'))) {
      const n = convertPart(ind, 'numerator', raw);
      const dRaw = row.cells[vh.denomCol - 1] ?? null;
      if (!n.ok) {
        rec.problems.push(problem('error', n.kind, { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, n.message)));
        continue;
      }
      if (dRaw === null) {
        rec.problems.push(problem('error', 'incomplete_ratio', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, { vi: `chỉ tiêu ${ind.code} là tỷ lệ: cần cả mẫu số (cột ${colLetter(vh.denomCol)}).`, en: `indicator ${ind.code} is a ratio: the denominator (column ${colLetter(vh.denomCol)}) is needed too.` })));
        continue;
      }
      const d = convertPart(ind, 'denominator', dRaw);
      if (!d.ok) {
        const dc = `${colLetter(vh.denomCol)}${row.number}`;
        rec.problems.push(problem('error', d.kind, { sheet, cell: dc, row: row.number, value: rawText(dRaw) }, located(sheet, dc, d.message)));
        continue;
      }
      value = { numerator: n.value as number, denominator: d.value as number };
    } else {
      const r = convertPart(ind, 'value', raw);
      if (!r.ok) {
        rec.problems.push(problem('error', r.kind, { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, r.message)));
        continue;
      }
      value = r.value;
    }
    const checked = checkRange(ind, value);
    if (!checked.ok) rec.problems.push(problem('error', 'out_of_range', { sheet, cell, row: row.number, value: rawText(raw) }, located(sheet, cell, checked.message)));
    else rec.values[ind.code] = value;
  }
  return rec;
}

function unknownSet(id: string): DomainError {
  return new DomainError('unknown_criteria_set', { vi: `Không có bộ tiêu chí "${id}".`, en: `Unknown criteria set "${id}".` }, { setId: id });
}

/** What reading has learnt of the workbook so far: filled in as its sheets are read. */
export interface WorkbookInfo {
  /** The template's metadata; null for a hand-made file (or before its hidden sheet is read). */
  meta: TemplateMeta | null;
  /** The criteria set values are read against, once known (the caller's, else the template's). */
  index: SetIndex | null;
  sheets: Array<{ name: string; layout: 'matrix' | 'per-commune' | 'ignored' | 'meta' | 'instructions'; rows: number }>;
}

/** An item read: a record, or a problem of the file itself (headers, sheets, the set). */
export type SheetItem = { record: ParsedRecord; problem?: undefined } | { problem: ImportProblem; record?: undefined };

/**
 * Read a workbook of reviews: `info` fills in as the sheets are read; `items` walks the workbook
 * once, yielding one record per commune row (matrix) or per commune sheet, and the file's problems.
 * `setId` is the caller's set for a hand-made file (a template names its own).
 */
export function readReviewWorkbook(source: XlsxEvents, opts: { setId?: string | null } = {}): { info: WorkbookInfo; items: AsyncGenerator<SheetItem> } {
  const info: WorkbookInfo = { meta: null, index: null, sheets: [] };
  return { info, items: sheetItems(source, opts.setId ?? null, info) };
}

async function* sheetItems(source: XlsxEvents, setId: string | null, info: WorkbookInfo): AsyncGenerator<SheetItem> {
  const deferred: Array<{ name: string; rows: SheetRow[]; merges: string[] }> = [];
  const setIndexFrom = (setId: string | null): SetIndex | null => {
    if (!setId) return null;
    const catalog = getCatalog();
    if (!catalog.has(setId)) throw unknownSet(setId);
    return indexSet(catalog.get(setId));
  };
  info.index = setIndexFrom(setId);

  async function* dataSheet(name: string, rowsIter: AsyncIterable<SheetRow> | SheetRow[], merges: string[]): AsyncGenerator<SheetItem> {
    const idx = info.index!;
    const sheetMeta = info.meta?.sheets.get(name) ?? null;
    const head: SheetRow[] = [];
    const iterator = (Symbol.asyncIterator in rowsIter ? rowsIter[Symbol.asyncIterator]() : (rowsIter as SheetRow[])[Symbol.iterator]()) as AsyncIterator<SheetRow> | Iterator<SheetRow>;
    const next = async (): Promise<SheetRow | null> => {
      const r = await iterator.next();
      return r.done ? null : r.value;
    };
    let r: SheetRow | null;
    while (head.length < HEADER_SCAN_ROWS && (r = await next())) head.push(r);
    // Find the header: the template says where; otherwise the best-scoring row (matrix), or a
    // row with a "Giá trị" column (one commune per sheet).
    let matrixAt = -1;
    let best = 0;
    let verticalAt = -1;
    let vh: VerticalHeader | null = null;
    if (sheetMeta) {
      const at = head.findIndex((h) => h.number === sheetMeta.headerRow);
      if (sheetMeta.layout === 'matrix') matrixAt = at;
      else if (at >= 0) (verticalAt = at), (vh = verticalHeader(head[at]!.cells));
    } else {
      head.forEach((h, i) => {
        const s = headerScore(idx, h.cells);
        if (s > best) (best = s), (matrixAt = i);
      });
      if (matrixAt < 0) {
        for (let i = 0; i < head.length && vh === null; i++) {
          vh = verticalHeader(head[i]!.cells);
          if (vh) verticalAt = i;
        }
      }
    }
    if (matrixAt >= 0) {
      info.sheets.push({ name, layout: 'matrix', rows: 0 });
      const entry = info.sheets.at(-1)!;
      const hr = head[matrixAt]!;
      const header = mapHeader(idx, hr.cells);
      for (const u of header.unknown) {
        const cell = `${colLetter(u.col)}${hr.number}`;
        yield {
          problem: u.looksLikeCode
            ? problem('error', 'unknown_indicator', { sheet: name, cell, row: hr.number, value: u.text }, located(name, cell, { vi: `cột "${u.text}": mã chỉ tiêu không có trong ${idx.set.name}.`, en: `column "${u.text}": no such indicator in the criteria set "${idx.set.name}".` }))
            : problem('warning', 'ignored_column', { sheet: name, cell, row: hr.number, value: u.text }, located(name, cell, { vi: `cột "${u.text}" không nhận ra chỉ tiêu nào, bỏ qua.`, en: `column "${u.text}" matches no indicator; ignored.` })),
        };
      }
      for (const d of header.duplicates) {
        const cell = `${colLetter(d.col)}${hr.number}`;
        yield { problem: problem('error', 'duplicate_column', { sheet: name, cell, row: hr.number, value: d.text }, located(name, cell, { vi: `cột "${d.text}" trùng với cột ${colLetter(d.other)}.`, en: `column "${d.text}" duplicates column ${colLetter(d.other)}.` })) };
      }
      for (const p of missingColumns(idx, header, name, hr.number, sheetMeta !== null)) yield { problem: p };
      const first = sheetMeta?.firstRow ?? 0;
      let started = first > 0;
      // The first commune row: merges from there on are in the data (a template's rows above it are its headings).
      let firstDataRow: number | null = first > 0 ? first : null;
      // Values under a blank header belong to no indicator: said once per column, never dropped silently.
      const unnamedReported = new Set<number>();
      const unnamed: ImportProblem[] = [];
      const handle = (row: SheetRow): ParsedRecord | null => {
        if (row.number <= hr.number || (first > 0 && row.number < first)) return null;
        row.cells.forEach((c, i) => {
          const col = i + 1;
          if (c === null || header.columns.has(col) || unnamedReported.has(col) || (hr.cells[i] ?? null) !== null) return;
          unnamedReported.add(col);
          const at = `${colLetter(col)}${row.number}`;
          unnamed.push(
            problem('error', 'unnamed_column', { sheet: name, cell: at, row: row.number, value: rawText(c) }, located(name, at, {
              vi: `cột ${colLetter(col)} có số liệu ("${rawText(c)}") nhưng không có tiêu đề ở dòng ${hr.number}: không biết là chỉ tiêu nào. Hãy ghi mã chỉ tiêu vào ô ${colLetter(col)}${hr.number} hoặc xóa cột.`,
              en: `column ${colLetter(col)} has values ("${rawText(c)}") but no header in row ${hr.number}: no indicator to put them in. Write the indicator code in ${colLetter(col)}${hr.number} or delete the column.`,
            })),
          );
        });
        const rec = matrixRecord(name, row, header, idx);
        const hasUnit = rec.unit.code !== null || rec.unit.name !== null;
        // Rows between the header and the first commune (names, units, targets…) are headings.
        if (!started && !hasUnit) return null;
        started = true;
        firstDataRow ??= row.number;
        entry.rows++;
        return rec;
      };
      for (const row of head.slice(matrixAt + 1)) {
        const record = handle(row);
        if (record) yield { record };
      }
      while ((r = await next())) {
        const record = handle(r);
        if (record) yield { record };
      }
      for (const p of unnamed) yield { problem: p };
      for (const p of mergedInData(name, merges, firstDataRow)) yield { problem: p };
      return;
    }
    if (verticalAt >= 0 && vh) {
      const rows = head.slice(verticalAt + 1);
      while ((r = await next())) rows.push(r);
      info.sheets.push({ name, layout: 'per-commune', rows: rows.length });
      yield { record: verticalRecord(name, head.slice(0, verticalAt), rows, vh, idx, sheetMeta?.unitId ?? null) };
      for (const p of mergedInData(name, merges, head[verticalAt]!.number + 1)) yield { problem: p };
      return;
    }
    info.sheets.push({ name, layout: 'ignored', rows: 0 });
    // Only whether it holds anything matters: its rows are not kept.
    let filled = head.some((h) => h.cells.some((c) => c !== null));
    while ((r = await next())) filled ||= r.cells.some((c) => c !== null);
    if (filled) {
      yield { problem: problem('warning', 'ignored_sheet', { sheet: name }, located(name, null, { vi: 'không tìm thấy dòng tiêu đề có mã hoặc tên chỉ tiêu và cột xã; trang bị bỏ qua.', en: 'no header row with indicator codes or names and a commune column; sheet ignored.' })) };
    }
  }

  for await (const ws of worksheets(source)) {
    if (ws.name === META_SHEET) {
      const rows: SheetRow[] = [];
      for await (const r of ws.rows) rows.push(r);
      info.meta = readMeta(rows);
      info.sheets.push({ name: ws.name, layout: 'meta', rows: rows.length });
      if (info.meta?.setId) {
        if (setId && setId !== info.meta.setId) {
          yield { problem: problem('warning', 'unknown_set', { sheet: ws.name }, { vi: `Mẫu lập theo ${getCatalog().nameOf(info.meta.setId)}, không phải ${getCatalog().nameOf(setId)} đã chọn: dùng bộ của mẫu.`, en: `The template is for "${getCatalog().nameOf(info.meta.setId)}", not the chosen "${getCatalog().nameOf(setId)}": using the template's.` }) };
        }
        info.index = setIndexFrom(info.meta.setId);
        const hash = getCatalog().hash(info.meta.setId);
        if (info.meta.setHash && info.meta.setHash !== hash) {
          yield { problem: problem('warning', 'set_changed', { sheet: ws.name }, { vi: `${getCatalog().nameOf(info.meta.setId)} đã thay đổi kể từ khi tạo mẫu (ngưỡng có thể khác); số liệu vẫn được kiểm tra theo bộ hiện hành.`, en: `The criteria set "${getCatalog().nameOf(info.meta.setId)}" changed since the template was made (targets may differ); values are checked against the current set.` }) };
        }
      }
      for (const d of deferred.splice(0)) yield* dataSheet(d.name, d.rows, d.merges);
      continue;
    }
    if (ws.hidden || headerKey(ws.name) === headerKey(INSTRUCTIONS_SHEET)) {
      if (!ws.hidden) info.sheets.push({ name: ws.name, layout: 'instructions', rows: 0 });
      for await (const _ of ws.rows) void _;
      continue;
    }
    if (!info.index) {
      // The set is not known yet (metadata later in the file, or none): keep the rows for later.
      const rows: SheetRow[] = [];
      for await (const r of ws.rows) rows.push(r);
      deferred.push({ name: ws.name, rows, merges: ws.merges });
      continue;
    }
    yield* dataSheet(ws.name, ws.rows, ws.merges);
  }
  if (deferred.length) {
    if (!info.index) {
      throw new DomainError(
        'validation_failed',
        { vi: 'Tệp không phải mẫu của hệ thống: hãy chọn bộ tiêu chí (setId) để đọc bảng tự lập.', en: 'The file is not one of our templates: choose the criteria set (setId) to read a hand-made sheet.' },
        { fields: [{ field: 'setId' }], code: 'unknown_set' },
      );
    }
    for (const d of deferred) yield* dataSheet(d.name, d.rows, d.merges);
  }
}
