/**
 * Nhập số liệu từ Excel — reviews from a spreadsheet: the templates of excel-template.service
 * (recognised by their hidden `_datchuan` sheet) and reasonable hand-made sheets (one commune per
 * row with indicator codes or names as headers, or one commune per sheet with a "Giá trị" column;
 * headers and commune names matched without diacritics; communes by code, or by name and parent).
 *
 * Two passes over the file, each streaming (src/reports/xlsx-reader.ts: rows are read, checked
 * and dropped, so memory does not grow with the file):
 * 1. check — every problem with sheet, cell, value and a Vietnamese/English message (wrong kind,
 *    out of range, unknown indicator, unknown or ambiguous commune, date outside the set's
 *    validity, duplicate rows, submitted reviews that would change…); a dry run stops here;
 * 2. commit — only when pass 1 found no error: in ONE transaction, each row creates a review
 *    (createReviewIn: validation, evaluation, audit), updates a draft (the changed values are
 *    appended, history kept) or is left unchanged; then one `reviews.import.xlsx` audit event with
 *    the file's SHA-256. Any failure rolls everything back. Re-importing a file changes nothing.
 *
 * Existing reviews (same commune, set and date): identical values → unchanged; a draft with other
 * values → the values in the file are appended (blank cells leave values alone); a submitted
 * review with other values → refused, naming the row (submitted reviews are frozen). The import
 * never changes a review's status.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Db } from '../db/database.ts';
import type { Database, ReviewRow } from '../db/schema.ts';
import { insertEvaluations, insertFirstValues, insertReviews } from '../db/review-bulk.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { watchReview } from './revocation-watch.service.ts';
import type { Kysely, Transaction } from 'kysely';
import * as reviews from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { findReviewsByKeys, listCommunesOfList } from '../db/import.repository.ts';
import { findUnitsWithParents, type UnitWithParents } from '../db/report.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CommuneProfile, CriteriaSet, IndicatorValue, Level } from '../domain/criteria.ts';
import type { CommuneVerdict } from '../domain/evaluation.ts';
import { validateValues } from '../domain/value-validation.ts';
import { DomainError, isDomainError, type BilingualMessage } from '../domain/errors.ts';
import { formatDateVi, isIsoDate, withinPeriod } from '../domain/dates.ts';
import { UNIT_LISTS, type UnitListId } from '../domain/unit.ts';
import { readXlsx, type ChunkSource, type XlsxEvent } from '../files/imports/xlsx-reader.ts';
import {
  bareName,
  checkRange,
  convertPart,
  headerKey,
  headerScore,
  indexSet,
  mapHeader,
  parseDateRaw,
  parseYesNo,
  plainlyValid,
  rawText,
  readPreamble,
  unitCodeOf,
  type HeaderMap,
  type Raw,
  type SetIndex,
} from '../files/imports/cells.ts';
import { INSTRUCTIONS_SHEET, META_SHEET, TEMPLATE_FORMAT, colLetter } from '../files/imports/template.ts';
import type { Actor } from './actor.ts';
import { evaluateAndCache, evaluateForCache, toReviewSummary } from './review.service.ts';
import { allowed, authorize } from './access.service.ts';
import { listIdOn, profilesOf } from './import-template.service.ts';

// ── Public types ──────────────────────────────────────────────────────────────────────────────

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

export type RowAction = 'create' | 'update' | 'unchanged' | 'skip' | 'error';

export interface ImportRow {
  sheet: string;
  row: number;
  unitId: string | null;
  unitName: string | null;
  reviewedOn: string | null;
  action: RowAction;
  reviewId: number | null;
  values: number;
  changed: number;
  errors: number;
}

export interface ImportResult {
  fileName: string | null;
  fileHash: string;
  fileSize: number;
  /** `template` when the hidden metadata sheet was found. */
  source: 'template' | 'hand-made';
  setId: string | null;
  setName: string | null;
  dryRun: boolean;
  committed: boolean;
  status: 'draft' | 'submitted';
  sheets: Array<{ name: string; layout: 'matrix' | 'per-commune' | 'ignored' | 'meta' | 'instructions'; rows: number }>;
  counts: { rows: number; create: number; update: number; unchanged: number; skipped: number; withErrors: number };
  errors: number;
  warnings: number;
  problems: ImportProblem[];
  problemsTruncated: boolean;
  rows: ImportRow[];
  rowsTruncated: boolean;
  ms: number;
}

export type ImportInput = { path: string } | { buffer: Buffer };

export interface ImportOptions {
  dryRun?: boolean;
  fileName?: string;
  /** Criteria set of a hand-made file (a template names its own). */
  setId?: string;
  /** Review date for rows without one (a template has its default). */
  date?: string;
  /** Only match commune names within this province or district. */
  scopeUnitId?: string;
  /** Status of the reviews created (default draft). Existing reviews keep theirs. */
  status?: 'draft' | 'submitted';
  /** Only commit when the file is this one (the UI confirms what it previewed). */
  expectHash?: string;
  maxProblems?: number;
  maxRows?: number;
  onProgress?: (phase: 'check' | 'commit', rows: number) => void;
}

/** Largest upload accepted over HTTP (DATCHUAN_IMPORT_MAX_BYTES overrides). */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The upload limit: DATCHUAN_IMPORT_MAX_BYTES (1 MB – 1 GB), else 20 MB. */
export function importMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DATCHUAN_IMPORT_MAX_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_UPLOAD_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 * 1024 || n > 1024 * 1024 * 1024) {
    throw new Error(`DATCHUAN_IMPORT_MAX_BYTES phải là số byte từ 1 MB đến 1 GB / must be a byte count from 1 MB to 1 GB (got "${raw}")`);
  }
  return n;
}

// ── The file ──────────────────────────────────────────────────────────────────────────────────

function notXlsx(why: BilingualMessage): DomainError {
  return new DomainError(
    'validation_failed',
    { vi: `Tệp không phải bảng tính Excel .xlsx: ${why.vi}`, en: `The file is not an .xlsx workbook: ${why.en}` },
    { code: 'not_xlsx' },
  );
}

/** Check by content, not by name: a ZIP (PK\x03\x04) that holds xl/workbook.xml. */
export function assertXlsx(buffer: Uint8Array): void {
  if (buffer.length < 4 || buffer[0] !== 0x50 || buffer[1] !== 0x4b || buffer[2] !== 0x03 || buffer[3] !== 0x04) {
    throw notXlsx({ vi: 'nội dung không phải tệp nén ZIP của Office (tệp .xls cũ, .csv hay .pdf cần lưu lại dạng .xlsx).', en: 'the content is not an Office ZIP package (save old .xls, .csv or other files as .xlsx).' });
  }
  let hasWorkbook = false;
  try {
    unzipSync(buffer, {
      filter: (f) => {
        if (f.name === 'xl/workbook.xml') hasWorkbook = true;
        return false;
      },
    });
  } catch {
    throw notXlsx({ vi: 'tệp nén bị hỏng hoặc không đọc được.', en: 'the ZIP package is damaged.' });
  }
  if (!hasWorkbook) throw notXlsx({ vi: 'tệp nén không chứa bảng tính (có thể là tệp Word hoặc tệp nén khác).', en: 'the package holds no workbook (a Word file or another archive?).' });
}

async function hashOf(input: ImportInput): Promise<{ hash: string; size: number }> {
  if ('buffer' in input) return { hash: createHash('sha256').update(input.buffer).digest('hex'), size: input.buffer.length };
  const h = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(input.path)) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (e) {
    throw new DomainError('not_found', { vi: `Không đọc được tệp "${input.path}".`, en: `Cannot read file "${input.path}": ${(e as Error).message}` });
  }
  return { hash: h.digest('hex'), size };
}

/** Content check: the whole package for an upload in memory; the ZIP signature for a file on disk (the streaming reader checks the rest). */
async function checkContent(input: ImportInput): Promise<void> {
  if ('buffer' in input) return assertXlsx(input.buffer);
  const fs = await import('node:fs/promises');
  const fh = await fs.open(input.path, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 0x03 || head[3] !== 0x04) assertXlsx(head);
  } finally {
    await fh.close();
  }
}


// ── Reading rows ──────────────────────────────────────────────────────────────────────────────

interface SheetRow {
  number: number;
  cells: Raw[];
}

interface TemplateMeta {
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

function chunks(input: ImportInput): ChunkSource {
  if ('buffer' in input) {
    const buf = input.buffer;
    return async function* () {
      for (let i = 0; i < buf.length; i += 1 << 16) yield buf.subarray(i, i + (1 << 16));
    };
  }
  return () => createReadStream(input.path, { highWaterMark: 1 << 16 }) as AsyncIterable<Uint8Array>;
}

/** Stream every worksheet: name, visibility and its rows. Each sheet's rows must be read before the next sheet. */
async function* worksheets(input: ImportInput): AsyncGenerator<{ name: string; hidden: boolean; rows: AsyncGenerator<SheetRow> }> {
  const events = readXlsx(chunks(input))[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<XlsxEvent>> => {
    try {
      return await events.next();
    } catch (e) {
      if (isDomainError(e)) throw e;
      throw notXlsx({ vi: `không đọc được nội dung (${(e as Error).message}).`, en: `its content cannot be read (${(e as Error).message}).` });
    }
  };
  let current = await next();
  while (!current.done) {
    const ev = current.value;
    if (ev.kind !== 'sheet') {
      current = await next();
      continue;
    }
    let finished = false;
    const rows = async function* (): AsyncGenerator<SheetRow> {
      for (;;) {
        current = await next();
        if (current.done || current.value.kind === 'sheet') {
          finished = true;
          return;
        }
        yield { number: current.value.number, cells: current.value.cells };
      }
    };
    const it = rows();
    yield { name: ev.name, hidden: ev.hidden, rows: it };
    if (!finished) for await (const _ of it) void _;
  }
}

// ── Records: one commune, one date, its values ─────────────────────────────────────────────────

interface UnitRef {
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

interface ParsedRecord {
  sheet: string;
  row: number;
  unit: UnitRef;
  date: { iso: string | null; cell: string | null; raw: string | null };
  values: Record<string, IndicatorValue>;
  problems: ImportProblem[];
}

/** Collects problems and rows, capped. */
class Collector {
  problems: ImportProblem[] = [];
  rows: ImportRow[] = [];
  errors = 0;
  warnings = 0;
  problemsTruncated = false;
  rowsTruncated = false;
  constructor(
    private readonly maxProblems: number,
    private readonly maxRows: number,
  ) {}
  add(p: ImportProblem): void {
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.problems.length < this.maxProblems) this.problems.push(p);
    else this.problemsTruncated = true;
  }
  row(r: ImportRow): void {
    if (this.rows.length < this.maxRows) this.rows.push(r);
    else this.rowsTruncated = true;
  }
}

function problem(severity: 'error' | 'warning', code: ImportProblemCode, where: { sheet: string | null; cell?: string | null; row?: number | null; value?: string | null }, message: BilingualMessage): ImportProblem {
  return { severity, code, sheet: where.sheet, cell: where.cell ?? null, row: where.row ?? null, value: where.value ?? null, message };
}

function located(sheet: string, cell: string | null, m: BilingualMessage): BilingualMessage {
  const at = cell ? `${sheet}!${cell}` : sheet;
  return { vi: `${at}: ${m.vi}`, en: `${at}: ${m.en}` };
}

/** Shared state of one pass over the workbook. */
interface PassContext {
  opts: ImportOptions;
  actor: Actor;
  collector: Collector | null;
  meta: TemplateMeta | null;
  idx: SetIndex | null;
  sheets: ImportResult['sheets'];
}

const HEADER_SCAN_ROWS = 30;

/** Values of a matrix row: each mapped column converted, ratios joined, ranges checked. */
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
        else rec.values[ind.code] = r.value;
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
        rec.problems.push(problem('error', 'unknown_indicator', { sheet, cell: `${colLetter(vh.codeCol!)}${row.number}`, row: row.number, value: code }, located(sheet, `${colLetter(vh.codeCol!)}${row.number}`, { vi: `mã chỉ tiêu "${code}" không có trong bộ tiêu chí ${idx.set.id}.`, en: `indicator code "${code}" is not in criteria set ${idx.set.id}.` })));
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

/**
 * Walk the workbook once and yield one record per commune row (matrix) or per commune sheet.
 * Header problems (unknown indicators, ignored columns and sheets) go to the collector.
 */
async function* records(input: ImportInput, ctx: PassContext): AsyncGenerator<ParsedRecord> {
  const report = (p: ImportProblem) => ctx.collector?.add(p);
  const deferred: Array<{ name: string; rows: SheetRow[] }> = [];
  const setIndexFrom = (setId: string | null): SetIndex | null => {
    if (!setId) return null;
    const catalog = getCatalog();
    if (!catalog.has(setId)) throw unknownSet(setId);
    return indexSet(catalog.get(setId));
  };
  ctx.idx = setIndexFrom(ctx.opts.setId ?? null);

  async function* dataSheet(name: string, rowsIter: AsyncIterable<SheetRow> | SheetRow[]): AsyncGenerator<ParsedRecord> {
    const idx = ctx.idx!;
    const sheetMeta = ctx.meta?.sheets.get(name) ?? null;
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
      ctx.sheets.push({ name, layout: 'matrix', rows: 0 });
      const entry = ctx.sheets.at(-1)!;
      const hr = head[matrixAt]!;
      const header = mapHeader(idx, hr.cells);
      for (const u of header.unknown) {
        const cell = `${colLetter(u.col)}${hr.number}`;
        report(
          u.looksLikeCode
            ? problem('error', 'unknown_indicator', { sheet: name, cell, row: hr.number, value: u.text }, located(name, cell, { vi: `cột "${u.text}": mã chỉ tiêu không có trong bộ tiêu chí ${idx.set.id}.`, en: `column "${u.text}": no such indicator in criteria set ${idx.set.id}.` }))
            : problem('warning', 'ignored_column', { sheet: name, cell, row: hr.number, value: u.text }, located(name, cell, { vi: `cột "${u.text}" không nhận ra chỉ tiêu nào, bỏ qua.`, en: `column "${u.text}" matches no indicator; ignored.` })),
        );
      }
      for (const d of header.duplicates) {
        const cell = `${colLetter(d.col)}${hr.number}`;
        report(problem('error', 'duplicate_column', { sheet: name, cell, row: hr.number, value: d.text }, located(name, cell, { vi: `cột "${d.text}" trùng với cột ${colLetter(d.other)}.`, en: `column "${d.text}" duplicates column ${colLetter(d.other)}.` })));
      }
      const first = sheetMeta?.firstRow ?? 0;
      let started = first > 0;
      const handle = (row: SheetRow): ParsedRecord | null => {
        if (row.number <= hr.number || (first > 0 && row.number < first)) return null;
        const rec = matrixRecord(name, row, header, idx);
        const hasUnit = rec.unit.code !== null || rec.unit.name !== null;
        // Rows between the header and the first commune (names, units, targets…) are headings.
        if (!started && !hasUnit) return null;
        started = true;
        entry.rows++;
        return rec;
      };
      for (const row of head.slice(matrixAt + 1)) {
        const rec = handle(row);
        if (rec) yield rec;
      }
      while ((r = await next())) {
        const rec = handle(r);
        if (rec) yield rec;
      }
      return;
    }
    if (verticalAt >= 0 && vh) {
      const rows = head.slice(verticalAt + 1);
      while ((r = await next())) rows.push(r);
      ctx.sheets.push({ name, layout: 'per-commune', rows: rows.length });
      yield verticalRecord(name, head.slice(0, verticalAt), rows, vh, idx, sheetMeta?.unitId ?? null);
      return;
    }
    ctx.sheets.push({ name, layout: 'ignored', rows: 0 });
    while ((r = await next())) head.push(r);
    if (head.some((h) => h.cells.some((c) => c !== null))) {
      report(problem('warning', 'ignored_sheet', { sheet: name }, located(name, null, { vi: 'không tìm thấy dòng tiêu đề có mã hoặc tên chỉ tiêu và cột xã; trang bị bỏ qua.', en: 'no header row with indicator codes or names and a commune column; sheet ignored.' })));
    }
  }

  for await (const ws of worksheets(input)) {
    if (ws.name === META_SHEET) {
      const rows: SheetRow[] = [];
      for await (const r of ws.rows) rows.push(r);
      ctx.meta = readMeta(rows);
      ctx.sheets.push({ name: ws.name, layout: 'meta', rows: rows.length });
      if (ctx.meta?.setId) {
        if (ctx.opts.setId && ctx.opts.setId !== ctx.meta.setId) {
          report(problem('warning', 'unknown_set', { sheet: ws.name }, { vi: `Mẫu dùng bộ tiêu chí ${ctx.meta.setId}, không phải ${ctx.opts.setId} đã chọn: dùng bộ của mẫu.`, en: `The template is for set ${ctx.meta.setId}, not the chosen ${ctx.opts.setId}: using the template's.` }));
        }
        ctx.idx = setIndexFrom(ctx.meta.setId);
        const hash = getCatalog().hash(ctx.meta.setId);
        if (ctx.meta.setHash && ctx.meta.setHash !== hash) {
          report(problem('warning', 'set_changed', { sheet: ws.name }, { vi: `Bộ tiêu chí ${ctx.meta.setId} đã thay đổi kể từ khi tạo mẫu (ngưỡng có thể khác); số liệu vẫn được kiểm tra theo bộ hiện hành.`, en: `Criteria set ${ctx.meta.setId} changed since the template was made (targets may differ); values are checked against the current set.` }));
        }
      }
      for (const d of deferred.splice(0)) yield* dataSheet(d.name, d.rows);
      continue;
    }
    if (ws.hidden || headerKey(ws.name) === headerKey(INSTRUCTIONS_SHEET)) {
      if (!ws.hidden) ctx.sheets.push({ name: ws.name, layout: 'instructions', rows: 0 });
      for await (const _ of ws.rows) void _;
      continue;
    }
    if (!ctx.idx) {
      // The set is not known yet (metadata later in the file, or none): keep the rows for later.
      const rows: SheetRow[] = [];
      for await (const r of ws.rows) rows.push(r);
      deferred.push({ name: ws.name, rows });
      continue;
    }
    yield* dataSheet(ws.name, ws.rows);
  }
  if (deferred.length) {
    if (!ctx.idx) {
      throw new DomainError(
        'validation_failed',
        { vi: 'Tệp không phải mẫu của hệ thống: hãy chọn bộ tiêu chí (setId) để đọc bảng tự lập.', en: 'The file is not one of our templates: choose the criteria set (setId) to read a hand-made sheet.' },
        { fields: [{ field: 'setId' }], code: 'unknown_set' },
      );
    }
    for (const d of deferred) yield* dataSheet(d.name, d.rows);
  }
}

// ── Resolving communes and dates ───────────────────────────────────────────────────────────────

/** Communes by code (fetched per batch) and by name (a whole list, loaded when a row names a commune without its code). */
class UnitIndex {
  private readonly byId = new Map<string, UnitWithParents | null>();
  private readonly names = new Map<string, Promise<Map<string, UnitWithParents[]>>>();
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async prefetch(listIds: readonly string[], codes: readonly string[]): Promise<void> {
    const ids = listIds.flatMap((l) => codes.map((c) => `${c}@${l}`)).filter((id) => !this.byId.has(id));
    if (ids.length === 0) return;
    const found = await findUnitsWithParents(this.db, ids);
    for (const id of ids) this.byId.set(id, null);
    for (const u of found) if (u.level === 'commune') this.byId.set(u.id, u);
  }

  async byCode(listId: string, code: string): Promise<UnitWithParents | null> {
    const id = `${code}@${listId}`;
    if (!this.byId.has(id)) await this.prefetch([listId], [code]);
    return this.byId.get(id) ?? null;
  }

  byName(listId: string): Promise<Map<string, UnitWithParents[]>> {
    let p = this.names.get(listId);
    if (!p) {
      p = listCommunesOfList(this.db, listId).then((units) => {
        const m = new Map<string, UnitWithParents[]>();
        for (const u of units) {
          const k = bareName(u.name);
          m.set(k, [...(m.get(k) ?? []), u]);
        }
        return m;
      });
      this.names.set(listId, p);
    }
    return p;
  }
}

function describeUnit(u: UnitWithParents): string {
  return `${u.fullName} (mã ${u.code}${u.parentName ? `, ${u.parentName}` : ''}${u.provinceName && u.provinceName !== u.parentName ? `, ${u.provinceName}` : ''})`;
}

function withinScope(u: UnitWithParents, scope: { id: string; level: string } | null): boolean {
  if (!scope) return true;
  return scope.level === 'province' ? u.provinceId === scope.id : scope.level === 'district' ? u.parentId === scope.id : u.id === scope.id;
}

interface Resolved {
  unit: UnitWithParents | null;
  date: string | null;
  problems: ImportProblem[];
}

async function resolveRecord(rec: ParsedRecord, set: CriteriaSet, ctx: PassContext, units: UnitIndex, scope: { id: string; level: string } | null): Promise<Resolved> {
  const problems: ImportProblem[] = [];
  const at = { sheet: rec.sheet, row: rec.row };
  // Date: the row's, else the sheet's default, the template's or the caller's.
  let date = rec.date.iso;
  let dateCell = rec.date.cell;
  if (date === null && rec.date.raw === null) {
    date = ctx.meta?.reviewedOn ?? ctx.opts.date ?? null;
    dateCell = null;
    if (date === null) {
      problems.push(problem('error', 'missing_date', { ...at, cell: null }, located(rec.sheet, null, { vi: `dòng ${rec.row}: thiếu ngày rà soát (thêm cột "Ngày rà soát" hoặc chọn ngày khi nhập).`, en: `row ${rec.row}: no review date (add a "Ngày rà soát" column or give a date).` })));
    } else if (!isIsoDate(date)) {
      problems.push(problem('error', 'invalid_date', { ...at, cell: null, value: date }, { vi: `Ngày "${date}" không hợp lệ.`, en: `Date "${date}" is not valid.` }));
      date = null;
    }
  }
  if (date !== null && !withinPeriod(date, set.validFrom, set.validTo)) {
    problems.push(
      problem('error', 'date_outside_set_validity', { ...at, cell: dateCell, value: formatDateVi(date) }, located(rec.sheet, dateCell, {
        vi: `ngày rà soát ${formatDateVi(date)} nằm ngoài thời gian áp dụng của bộ tiêu chí ${set.id} (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `review date ${date} is outside the validity of criteria set ${set.id} (${set.validFrom} – ${set.validTo ?? 'now'}).`,
      })),
    );
  }
  // Commune: the template's, by code in the list in force on the date, or by name (+ parent).
  const listId: UnitListId = date ? listIdOn(date) : ((ctx.meta?.listId as UnitListId | null) ?? '2025-07');
  if (date && ctx.meta?.listId && ctx.meta.listId !== listId) {
    problems.push(
      problem('error', 'list_mismatch', { ...at, cell: dateCell, value: formatDateVi(date) }, located(rec.sheet, dateCell, {
        vi: `ngày ${formatDateVi(date)} thuộc danh mục ĐVHC ${listId} nhưng mẫu lập theo danh mục ${ctx.meta.listId} (trước/sau sáp nhập 1/7/2025): hãy tải mẫu cho ngày này.`,
        en: `date ${date} falls in unit list ${listId} but the template uses list ${ctx.meta.listId} (before/after the 1 July 2025 merge): download a template for that date.`,
      })),
    );
    return { unit: null, date, problems };
  }
  const list = ctx.meta?.listId ?? listId;
  const cell = rec.unit.cell;
  let unit: UnitWithParents | null = null;
  if (rec.unit.unitId) {
    unit = await units.byCode(list, rec.unit.unitId.split('@')[0]!);
  } else if (rec.unit.code) {
    unit = await units.byCode(list, rec.unit.code);
    if (!unit) {
      problems.push(problem('error', 'unknown_unit', { ...at, cell, value: rec.unit.raw }, located(rec.sheet, cell, { vi: `không có xã mã ${rec.unit.code} trong danh mục ĐVHC ${list}.`, en: `no commune with code ${rec.unit.code} in unit list ${list}.` })));
    } else if (rec.unit.name && bareName(rec.unit.name) !== bareName(unit.name)) {
      problems.push(problem('warning', 'name_mismatch', { ...at, cell, value: rec.unit.name }, located(rec.sheet, cell, { vi: `mã ${rec.unit.code} là ${unit.fullName}, khác tên "${rec.unit.name}" trong tệp; dùng theo mã.`, en: `code ${rec.unit.code} is ${unit.fullName}, not "${rec.unit.name}" as written; the code wins.` })));
    }
  } else if (rec.unit.name) {
    const all = ((await units.byName(list)).get(bareName(rec.unit.name)) ?? []).filter((u) => withinScope(u, scope));
    const parents = [rec.unit.district, rec.unit.province, rec.unit.parent].filter((p): p is string => !!p).map(bareName);
    const matching = all.filter((u) => parents.every((p) => (u.parentName && bareName(u.parentName) === p) || (u.provinceName && bareName(u.provinceName) === p)));
    if (matching.length === 1) unit = matching[0]!;
    else if (matching.length > 1) {
      const list = matching.slice(0, 10).map(describeUnit).join('; ');
      problems.push(
        problem('error', 'ambiguous_unit', { ...at, cell, value: rec.unit.name }, located(rec.sheet, cell, {
          vi: `có ${matching.length} xã tên "${rec.unit.name}": ${list}. Hãy ghi mã xã hoặc thêm cột huyện/tỉnh.`,
          en: `${matching.length} communes are named "${rec.unit.name}": ${list}. Write the commune code or add a district/province column.`,
        })),
      );
    } else {
      const hint = all.length ? ` Xã cùng tên: ${all.slice(0, 5).map(describeUnit).join('; ')}.` : '';
      const hintEn = all.length ? ` Communes of that name: ${all.slice(0, 5).map(describeUnit).join('; ')}.` : '';
      problems.push(problem('error', 'unknown_unit', { ...at, cell, value: rec.unit.name }, located(rec.sheet, cell, { vi: `không tìm thấy xã "${rec.unit.name}"${parents.length ? ` thuộc ${[rec.unit.district, rec.unit.province, rec.unit.parent].filter(Boolean).join(', ')}` : ''} trong danh mục ĐVHC ${list}.${hint}`, en: `no commune "${rec.unit.name}"${parents.length ? ` in ${[rec.unit.district, rec.unit.province, rec.unit.parent].filter(Boolean).join(', ')}` : ''} in unit list ${list}.${hintEn}` })));
    }
  } else {
    problems.push(problem('error', 'missing_unit', { ...at, cell: null }, located(rec.sheet, null, { vi: `dòng ${rec.row} có số liệu nhưng không có mã hoặc tên xã.`, en: `row ${rec.row} has values but no commune code or name.` })));
  }
  if (unit && ctx.meta && ctx.meta.units.size && !ctx.meta.units.has(unit.id)) {
    problems.push(problem('warning', 'not_in_template', { ...at, cell, value: rec.unit.raw }, located(rec.sheet, cell, { vi: `${unit.fullName} không có trong danh sách xã của mẫu.`, en: `${unit.fullName} is not among the template's communes.` })));
  }
  if (unit && date && !withinPeriod(date, unit.validFrom, unit.validTo)) {
    problems.push(problem('error', 'unit_not_valid_on_date', { ...at, cell: dateCell ?? cell, value: formatDateVi(date) }, located(rec.sheet, dateCell ?? cell, { vi: `${unit.fullName} không có hiệu lực ngày ${formatDateVi(date)}.`, en: `${unit.fullName} is not valid on ${date}.` })));
  }
  return { unit, date, problems };
}

// ── Planning against the database ──────────────────────────────────────────────────────────────

interface Planned {
  rec: ParsedRecord;
  unit: UnitWithParents | null;
  date: string | null;
  errors: ImportProblem[];
  action: RowAction;
  existing: ReviewRow | null;
  changed: Record<string, IndicatorValue>;
  before: Record<string, unknown>;
}

function valueJson(v: IndicatorValue): string {
  return JSON.stringify(typeof v === 'string' ? v.normalize('NFC').trim() : v);
}

const BATCH = 200;

/** Resolve a batch of records and decide what each one does. */
async function planBatch(db: Kysely<Database> | Transaction<Database>, batch: ParsedRecord[], set: CriteriaSet, ctx: PassContext, units: UnitIndex, scope: { id: string; level: string } | null, seen: Map<string, string>): Promise<Planned[]> {
  const planned: Planned[] = [];
  const codes = batch.map((r) => r.unit.unitId?.split('@')[0] ?? r.unit.code).filter((c): c is string => !!c);
  await units.prefetch(ctx.meta?.listId ? [ctx.meta.listId] : Object.keys(UNIT_LISTS), codes);
  for (const rec of batch) {
    const hasValues = Object.keys(rec.values).length > 0 || rec.problems.some((p) => p.severity === 'error');
    if (!hasValues) {
      planned.push({ rec, unit: null, date: null, errors: [], action: 'skip', existing: null, changed: {}, before: {} });
      continue;
    }
    const r = await resolveRecord(rec, set, ctx, units, scope);
    const errors = [...rec.problems, ...r.problems];
    if (r.unit && r.date) {
      const key = `${r.unit.id}|${r.date}`;
      const first = seen.get(key);
      const where = `${rec.sheet}!${rec.unit.cell ?? `A${rec.row}`}`;
      if (first) {
        errors.push(problem('error', 'duplicate_row', { sheet: rec.sheet, cell: rec.unit.cell, row: rec.row, value: rec.unit.raw }, located(rec.sheet, rec.unit.cell, { vi: `${r.unit.fullName} ngày ${formatDateVi(r.date)} đã có ở ${first}.`, en: `${r.unit.fullName} on ${r.date} already appears at ${first}.` })));
      } else seen.set(key, where);
    }
    if (r.unit && !(await allowed(db, ctx.actor, 'data.import', r.unit.id))) {
      errors.push(problem('error', 'forbidden', { sheet: rec.sheet, cell: rec.unit.cell, row: rec.row, value: rec.unit.raw }, located(rec.sheet, rec.unit.cell, { vi: `bạn không có quyền nhập số liệu của ${r.unit.fullName}.`, en: `you may not import data for ${r.unit.fullName}.` })));
    }
    planned.push({ rec, unit: r.unit, date: r.date, errors, action: 'create', existing: null, changed: { ...rec.values }, before: {} });
  }
  const keys = planned.filter((p) => p.unit && p.date && p.action !== 'skip').map((p) => ({ unitId: p.unit!.id, reviewedOn: p.date! }));
  const existing = keys.length ? await findReviewsByKeys(db, set.id, keys) : new Map<string, ReviewRow>();
  const current = await reviews.currentValuesOfReviews(
    db,
    [...existing.values()].map((r) => r.id),
  );
  for (const p of planned) {
    if (p.action === 'skip') continue;
    const ex = p.unit && p.date ? existing.get(`${p.unit.id}|${p.date}`) : undefined;
    if (ex) {
      p.existing = ex;
      const now = new Map((current.get(ex.id) ?? []).map((v) => [v.indicator_code, v.value_json]));
      p.changed = Object.fromEntries(Object.entries(p.rec.values).filter(([code, v]) => now.get(code) !== valueJson(v)));
      p.before = Object.fromEntries(Object.keys(p.changed).map((code) => [code, now.has(code) ? JSON.parse(now.get(code)!) : null]));
      const n = Object.keys(p.changed).length;
      if (n === 0) p.action = 'unchanged';
      else if (ex.status === 'submitted') {
        const cell = p.rec.unit.cell;
        p.errors.push(
          problem('error', 'submitted_review', { sheet: p.rec.sheet, cell, row: p.rec.row, value: p.rec.unit.raw }, located(p.rec.sheet, cell, {
            vi: `dòng ${p.rec.row} (${p.unit!.fullName}, ${formatDateVi(p.date!)}): bản rà soát số ${ex.id} đã nộp, không sửa được bằng nhập tệp; ${n} chỉ tiêu khác giá trị đã nộp (${Object.keys(p.changed).slice(0, 8).join(', ')}${n > 8 ? '…' : ''}). Hãy dùng ngày rà soát khác để lập bản mới.`,
            en: `row ${p.rec.row} (${p.unit!.fullName}, ${p.date}): review ${ex.id} is submitted and cannot be changed by an import; ${n} indicator(s) differ from it (${Object.keys(p.changed).slice(0, 8).join(', ')}${n > 8 ? '…' : ''}). Use another review date for a new review.`,
          })),
        );
      } else p.action = 'update';
    }
    if (p.errors.some((e) => e.severity === 'error')) p.action = 'error';
  }
  return planned;
}

function rowOf(p: Planned): ImportRow {
  return {
    sheet: p.rec.sheet,
    row: p.rec.row,
    unitId: p.unit?.id ?? null,
    unitName: p.unit?.fullName ?? p.rec.unit.name ?? p.rec.unit.raw,
    reviewedOn: p.date,
    action: p.action,
    reviewId: p.existing?.id ?? null,
    values: Object.keys(p.rec.values).length,
    changed: Object.keys(p.changed).length,
    errors: p.errors.filter((e) => e.severity === 'error').length,
  };
}

async function scopeOf(db: Db, scopeUnitId: string | undefined): Promise<{ id: string; level: string } | null> {
  if (!scopeUnitId) return null;
  const u = await db.kysely.selectFrom('unit').select(['id', 'level']).where('id', '=', scopeUnitId).executeTakeFirst();
  if (!u) throw new DomainError('not_found', { vi: `Không tìm thấy đơn vị "${scopeUnitId}".`, en: `Unit "${scopeUnitId}" not found.` }, { fields: [{ field: 'scopeUnitId' }] });
  return u;
}

// ── The use case ───────────────────────────────────────────────────────────────────────────────

/** Check (and unless `dryRun`, commit) a workbook of reviews. */
export async function importWorkbook(db: Db, actor: Actor, input: ImportInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const { hash, size } = await hashOf(input);
  await checkContent(input);
  if (opts.expectHash && opts.expectHash !== hash) {
    throw new DomainError(
      'conflict',
      { vi: 'Tệp gửi lên khác tệp đã kiểm tra (mã SHA-256 khác); hãy kiểm tra lại trước khi ghi.', en: 'The file differs from the one checked (SHA-256 differs); check it again before committing.' },
      { expected: opts.expectHash, got: hash },
    );
  }
  if (opts.date !== undefined && !isIsoDate(opts.date)) {
    throw new DomainError('validation_failed', { vi: `Ngày "${opts.date}" không hợp lệ (cần YYYY-MM-DD).`, en: `Date "${opts.date}" is not a valid YYYY-MM-DD date.` }, { fields: [{ field: 'date' }] });
  }
  const scope = await scopeOf(db, opts.scopeUnitId);
  // What pass 1 reads is kept on disk for pass 2 (one JSON line a commune): the workbook is parsed
  // once, and memory stays small however large it is.
  const spill = opts.dryRun ? null : await Spill.open();
  try {
    const checked = await checkPass(db, actor, input, opts, scope, spill);
    const result = resultOf(checked, input, opts, hash, size);
    if (opts.dryRun || checked.collector.errors > 0) {
      result.ms = Date.now() - started;
      if (opts.dryRun) return result;
      const first = checked.collector.problems.find((p) => p.severity === 'error')!;
      throw new DomainError(
        'validation_failed',
        {
          vi: `Tệp có ${checked.collector.errors} lỗi, không ghi gì. Lỗi đầu tiên: ${first.message.vi}`,
          en: `The file has ${checked.collector.errors} error(s); nothing was written. First: ${first.message.en}`,
        },
        { problems: checked.collector.problems.slice(0, 200), errors: checked.collector.errors, warnings: checked.collector.warnings, fileHash: hash },
      );
    }
    if (checked.counts.create + checked.counts.update > 0) {
      const written = await commitPass(db, actor, checked.ctx, spill!, opts, scope, { fileName: result.fileName, hash, size, status: result.status });
      result.counts = { ...checked.counts, ...written };
    }
    // Nothing to change: no transaction, no audit event.
    result.committed = true;
    result.ms = Date.now() - started;
    return result;
  } finally {
    await spill?.remove();
  }
}

interface Checked {
  ctx: PassContext;
  collector: Collector;
  counts: ImportResult['counts'];
}

/** Pass 1: read every row, check it against the set, the units and the stored reviews; write nothing. */
async function checkPass(db: Db, actor: Actor, input: ImportInput, opts: ImportOptions, scope: { id: string; level: string } | null, spill: Spill | null): Promise<Checked> {
  const collector = new Collector(opts.maxProblems ?? 5000, opts.maxRows ?? 5000);
  const ctx: PassContext = { opts, actor, collector, meta: null, idx: null, sheets: [] };
  const counts = { rows: 0, create: 0, update: 0, unchanged: 0, skipped: 0, withErrors: 0 };
  const units = new UnitIndex(db.kysely);
  const seen = new Map<string, string>();
  let batch: ParsedRecord[] = [];
  const flush = async () => {
    for (const p of await planBatch(db.kysely, batch, ctx.idx!.set, ctx, units, scope, seen)) {
      if (p.action === 'skip') {
        counts.skipped++;
        continue;
      }
      counts.rows++;
      for (const e of p.errors) collector.add(e);
      if (p.action === 'error') counts.withErrors++;
      else counts[p.action]++;
      collector.row(rowOf(p));
    }
    opts.onProgress?.('check', counts.rows + counts.skipped);
    batch = [];
  };
  for await (const rec of records(input, ctx)) {
    batch.push(rec);
    await spill?.write(rec);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await spill?.close();
  if (!ctx.idx) {
    collector.add(problem('error', 'unknown_set', { sheet: null }, { vi: 'Không xác định được bộ tiêu chí: tệp không phải mẫu của hệ thống và chưa chọn bộ tiêu chí.', en: 'No criteria set: the file is not one of our templates and no set was chosen.' }));
  } else if (counts.rows === 0 && collector.errors === 0) {
    collector.add(problem('error', 'no_data', { sheet: null }, { vi: 'Không có dòng số liệu nào để nhập (các ô giá trị đều trống hoặc không tìm thấy trang dữ liệu).', en: 'No rows to import (all value cells are empty, or no data sheet was found).' }));
  }
  return { ctx, collector, counts };
}

function resultOf(c: Checked, input: ImportInput, opts: ImportOptions, hash: string, size: number): ImportResult {
  return {
    fileName: opts.fileName ?? ('path' in input ? input.path.split(/[\\/]/).pop()! : null),
    fileHash: hash,
    fileSize: size,
    source: c.ctx.meta ? 'template' : 'hand-made',
    setId: c.ctx.idx?.set.id ?? null,
    setName: c.ctx.idx?.set.name ?? null,
    dryRun: opts.dryRun ?? false,
    committed: false,
    status: opts.status ?? 'draft',
    sheets: c.ctx.sheets,
    counts: c.counts,
    errors: c.collector.errors,
    warnings: c.collector.warnings,
    problems: c.collector.problems,
    problemsTruncated: c.collector.problemsTruncated,
    rows: c.collector.rows,
    rowsTruncated: c.collector.rowsTruncated,
    ms: 0,
  };
}

/**
 * Pass 2: the records pass 1 read, planned again inside ONE transaction (someone may have written
 * since) and written; any failure rolls everything back. One `reviews.import.xlsx` audit event.
 */
async function commitPass(
  db: Db,
  actor: Actor,
  checked: PassContext,
  spill: Spill,
  opts: ImportOptions,
  scope: { id: string; level: string } | null,
  file: { fileName: string | null; hash: string; size: number; status: 'draft' | 'submitted' },
): Promise<{ create: number; update: number; unchanged: number }> {
  const importActor: Actor = { ...actor, source: 'import' };
  const written = { create: 0, update: 0, unchanged: 0 };
  await db.kysely.transaction().execute(async (trx) => {
    const ctx: PassContext = { opts, actor: importActor, collector: null, meta: checked.meta, idx: checked.idx, sheets: checked.sheets };
    const set = ctx.idx!.set;
    const units = new UnitIndex(trx);
    const seen = new Map<string, string>();
    let batch: ParsedRecord[] = [];
    let done = 0;
    const apply = async () => {
      const creates: Planned[] = [];
      for (const p of await planBatch(trx, batch, set, ctx, units, scope, seen)) {
        if (p.action === 'skip') continue;
        const err = p.errors.find((e) => e.severity === 'error');
        if (err) throw new DomainError('conflict', { vi: `Dữ liệu đã thay đổi trong khi nhập; không ghi gì. ${err.message.vi}`, en: `The data changed during the import; nothing was written. ${err.message.en}` }, { problem: err });
        if (p.action === 'create') creates.push(p);
        else if (p.action === 'update') {
          await updateDraft(trx, importActor, p.existing!, p.changed, p.before);
          written.update++;
        } else written.unchanged++;
        done++;
      }
      await createReviewsBulk(trx, importActor, set, creates.map((p) => ({ unit: p.unit!, date: p.date!, values: p.rec.values })), file.status);
      written.create += creates.length;
      opts.onProgress?.('commit', done);
      batch = [];
    };
    for await (const rec of spill.read()) {
      batch.push(rec);
      if (batch.length >= BATCH) await apply();
    }
    if (batch.length) await apply();
    await recordAudit(trx, importActor, {
      action: 'reviews.import.xlsx',
      entity: 'import',
      entityId: file.hash,
      after: { fileName: file.fileName, sha256: file.hash, size: file.size, setId: set.id, source: checked.meta ? 'template' : 'hand-made', status: file.status, created: written.create, updated: written.update, unchanged: written.unchanged, sheets: checked.sheets.map((s) => s.name) },
    });
  });
  return written;
}

/** Records between the two passes, as JSON Lines in a temporary file. */
class Spill {
  private constructor(
    private readonly path: string,
    private readonly out: import('node:fs').WriteStream,
  ) {}

  static async open(): Promise<Spill> {
    const { mkdtempSync, createWriteStream } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(`${os.tmpdir()}/datchuan-import-`);
    const path = `${dir}/records.jsonl`;
    return new Spill(path, createWriteStream(path, { encoding: 'utf8' }));
  }

  async write(rec: ParsedRecord): Promise<void> {
    if (!this.out.write(`${JSON.stringify(rec)}\n`)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.on('error', reject);
      this.out.end(resolve);
    });
  }

  async *read(): AsyncGenerator<ParsedRecord> {
    const readline = await import('node:readline');
    const lines = readline.createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield JSON.parse(line) as ParsedRecord;
  }

  async remove(): Promise<void> {
    const { rmSync } = await import('node:fs');
    this.out.destroy();
    rmSync(this.path.replace(/\/records\.jsonl$/, ''), { recursive: true, force: true });
  }
}

const indexes = new WeakMap<CriteriaSet, SetIndex>();

/** Every key an indicator or flag of the set, every value plainly valid (the common case, checked without building messages). */
function valuesPlainlyValid(set: CriteriaSet, values: Readonly<Record<string, IndicatorValue>>): boolean {
  let idx = indexes.get(set);
  if (!idx) indexes.set(set, (idx = indexSet(set)));
  for (const [code, v] of Object.entries(values)) {
    const ind = idx.byCode.get(code);
    if (ind ? !plainlyValid(ind, v) : !(idx.flagCodes.has(code) && (v === null || typeof v === 'boolean'))) return false;
  }
  return true;
}

/**
 * Create many reviews at once — what `createReviewIn` does for one, with multi-row inserts: the
 * same checks (permission, set validity, commune valid on the date, values valid for the set),
 * the same rows (a submitted review at version 2), an evaluation cached for each review, and one
 * `review.create` audit event per review.
 */
export async function createReviewsBulk(
  trx: Transaction<Database>,
  actor: Actor,
  set: CriteriaSet,
  items: ReadonlyArray<{ unit: UnitWithParents; date: string; values: Readonly<Record<string, IndicatorValue>> }>,
  status: 'draft' | 'submitted',
): Promise<ReviewRow[]> {
  if (items.length === 0) return [];
  for (const it of items) {
    await authorize(trx, actor, 'review.write', it.unit.id);
    const where = `${it.unit.fullName}, ${formatDateVi(it.date)}`;
    if (!withinPeriod(it.date, set.validFrom, set.validTo)) throw new DomainError('date_outside_set_validity', { vi: `${where}: ngày nằm ngoài thời gian áp dụng của bộ tiêu chí ${set.id}.`, en: `${where}: date outside the validity of set ${set.id}.` });
    if (it.unit.level !== 'commune' || !withinPeriod(it.date, it.unit.validFrom, it.unit.validTo)) throw new DomainError('unit_not_valid_on_date', { vi: `${where}: xã không có hiệu lực ngày này.`, en: `${where}: the commune is not valid on that date.` });
    if (!valuesPlainlyValid(set, it.values)) {
      const problems = validateValues(set, it.values);
      if (problems.length) throw new DomainError('invalid_value', { vi: `${where}: ${problems[0]!.message.vi}`, en: `${where}: ${problems[0]!.message.en}` });
    }
  }
  const at = new Date().toISOString();
  const rows = await insertReviews(
    trx,
    items.map((it) => ({ unitId: it.unit.id, setId: set.id, reviewedOn: it.date, status, createdBy: actor.id, at })),
  );
  const normalised = items.map((it) => Object.fromEntries(Object.entries(it.values).map(([code, v]) => [code, typeof v === 'string' ? v.normalize('NFC').trim() : v])) as Record<string, IndicatorValue>);
  await insertFirstValues(
    trx,
    rows.flatMap((r, k) => Object.entries(normalised[k]!).map(([code, v]) => ({ reviewId: r.id, code, valueJson: JSON.stringify(v), enteredBy: actor.id, source: actor.source, at }))),
  );
  // Evaluate with each commune's profile and recognitions on its date.
  const profiles = new Map<string, CommuneProfile>();
  const byDate = new Map<string, UnitWithParents[]>();
  for (const it of items) byDate.set(it.date, [...(byDate.get(it.date) ?? []), it.unit]);
  for (const [date, units] of byDate) for (const [id, p] of await profilesOf(trx, units, date)) profiles.set(`${id}|${date}`, p);
  const recognitions = await listRecognitionsOfUnits(trx, [...new Set(items.map((i) => i.unit.id))]);
  const verdicts: CommuneVerdict[] = [];
  const evaluations = rows.map((r, k) => {
    const it = items[k]!;
    const recognisedLevels = recognitions.filter((x) => x.unit_id === it.unit.id && x.decided_on <= it.date).map((x) => x.level as Level);
    const { verdict, row } = evaluateForCache(r, { profile: profiles.get(`${it.unit.id}|${it.date}`)!, recognisedLevels, values: normalised[k]! }, at);
    verdicts.push(verdict);
    return row;
  });
  await insertEvaluations(trx, evaluations);
  // Imported submitted reviews of recognised communes run the revocation rule too.
  for (const [k, r] of rows.entries()) await watchReview(trx, actor, r, verdicts[k]!, recognitions);
  for (const [k, r] of rows.entries()) {
    const values = Object.fromEntries(Object.entries(normalised[k]!).map(([code, value]) => [code, { value }]));
    await recordAudit(trx, actor, { action: 'review.create', entity: 'review', entityId: r.id, unitId: r.unit_id, after: { ...toReviewSummary(r), values } });
  }
  return rows;
}

/** Append the changed values of a draft (history kept), re-evaluate, audit. */
async function updateDraft(trx: Transaction<Database>, actor: Actor, existing: ReviewRow, changed: Record<string, IndicatorValue>, before: Record<string, unknown>): Promise<void> {
  await authorize(trx, actor, 'review.write', existing.unit_id);
  const at = new Date().toISOString();
  const ok = await reviews.bumpReviewVersion(trx, existing.id, existing.version, { updated_at: at });
  if (!ok) {
    throw new DomainError('version_conflict', { vi: `Bản rà soát ${existing.id} vừa được người khác sửa; không ghi gì, hãy nhập lại.`, en: `Review ${existing.id} was just changed by someone else; nothing was written, import again.` }, { reviewId: existing.id });
  }
  const row = (await reviews.findReview(trx, existing.id))!;
  await reviews.appendValues(
    trx,
    existing.id,
    Object.entries(changed).map(([code, v]) => ({ code, valueJson: valueJson(v), note: null, evidenceJson: null, restoredFromSeq: null })),
    actor.id,
    actor.source,
    at,
  );
  await evaluateAndCache(trx, row);
  await recordAudit(trx, actor, { action: 'review.values.update', entity: 'review', entityId: existing.id, unitId: existing.unit_id, before, after: changed });
}

