/**
 * Nhập số liệu từ Excel — reviews from a spreadsheet: the system's templates and reasonable
 * hand-made sheets, read into records by src/files/imports/review-sheet.ts (no database); here the
 * records meet the database: communes by code, or by name and parent (without diacritics), the
 * user's scope, the reviews already stored, and the write.
 *
 * Two passes, each streaming (rows are read, checked and dropped, so memory does not grow with the
 * file; what pass 1 reads is spilled to a temporary file for pass 2):
 * 1. check — every problem with sheet, cell, value and a Vietnamese/English message (wrong kind,
 *    out of range, unknown indicator, unknown or ambiguous commune, date outside the set's
 *    validity, duplicate rows, submitted reviews that would change…); a dry run stops here;
 * 2. commit — only when pass 1 found no error: in ONE transaction, each row creates a review or
 *    updates a draft (the changed values are appended, history kept) through the review service's
 *    one write path (createReviewsIn, updateReviewsIn: validation, evaluation, audit), or is left
 *    unchanged; then one `reviews.import.xlsx` audit event with the file's SHA-256. Any failure
 *    rolls everything back. Re-importing a file changes nothing.
 *
 * Existing reviews (same commune, set and date): identical values → unchanged; a draft with other
 * values → the values in the file are appended (blank cells leave values alone); a submitted
 * review with other values → refused, naming the row (submitted reviews are frozen). The import
 * never changes a review's status.
 */
import { countEn } from '../domain/text.ts';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, ReviewRow } from '../db/schema.ts';
import * as reviews from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { findReviewsByKeys, listCommunesOfList } from '../db/import.repository.ts';
import { findUnitsWithParents, type UnitWithParents } from '../db/report.repository.ts';
import { findUnit } from '../db/unit.repository.ts';
import type { CriteriaSet, IndicatorValue } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { formatDateVi, isIsoDate, withinPeriod } from '../domain/dates.ts';
import { UNIT_LISTS, unitListText, type UnitListId } from '../domain/unit.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from '../files/imports/limits.ts';
import { parseXlsxInWorker } from '../platform/xlsx-parse.ts';
import { bareName } from '../files/imports/cells.ts';
import { assertXlsx, located, problem, readReviewWorkbook, type ImportProblem, type ParsedRecord, type WorkbookInfo } from '../files/imports/review-sheet.ts';
import type { Actor } from './actor.ts';
import { createReviewsIn, updateReviewsIn } from './review.service.ts';
import { allowed } from './access.service.ts';
import { listIdOn } from './import-template.service.ts';

// The CLI and the web app read the problems from here.

// ── Public types ──────────────────────────────────────────────────────────────────────────────

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
  sheets: WorkbookInfo['sheets'];
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
  /** What the file may cost (DATCHUAN_IMPORT_*; the deployment's `services.importLimits`). */
  limits?: XlsxLimits;
  onProgress?: (phase: 'check' | 'commit', rows: number) => void;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ── The file ──────────────────────────────────────────────────────────────────────────────────


/** The file's bytes: the upload, or the file named on the command line. */
async function bytesOf(input: ImportInput): Promise<Buffer> {
  if ('buffer' in input) return input.buffer;
  try {
    return await readFile(input.path);
  } catch (e) {
    throw new DomainError('not_found', { vi: `Không đọc được tệp "${input.path}".`, en: `Cannot read file "${input.path}": ${(e as Error).message}` });
  }
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

/** Shared state of one pass over the workbook. */
interface PassContext {
  opts: ImportOptions;
  actor: Actor;
  /** What the reader learnt of the workbook (its template metadata, set and sheets). */
  info: WorkbookInfo;
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

/**
 * The communes a wrong code most likely meant: those named as the row names it (accents and
 * "Xã" aside), else those whose name is one or two letters away, else the nearest codes — at most three.
 */
async function closestUnits(units: UnitIndex, list: string, code: string, name: string | null, scope: { id: string; level: string } | null): Promise<UnitWithParents[]> {
  const byName = await units.byName(list);
  const all = [...byName.values()].flat().filter((u) => withinScope(u, scope));
  if (name) {
    const bare = bareName(name);
    const same = all.filter((u) => bareName(u.name) === bare);
    if (same.length) return same.slice(0, 3);
    const close = all.map((u) => ({ u, d: editDistance(bareName(u.name), bare, 2) })).filter((x) => x.d <= 2);
    if (close.length) return close.sort((a, b) => a.d - b.d).slice(0, 3).map((x) => x.u);
  }
  const n = Number(code);
  if (!Number.isFinite(n)) return [];
  return all
    .map((u) => ({ u, d: Math.abs(Number(u.code) - n) }))
    .filter((x) => Number.isFinite(x.d) && x.d <= 20)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.u);
}

/** Levenshtein distance, stopping early past `max` (names are short; lists are a province's). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
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
    date = ctx.info.meta?.reviewedOn ?? ctx.opts.date ?? null;
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
        vi: `ngày rà soát ${formatDateVi(date)} nằm ngoài thời gian áp dụng của ${set.name} (${formatDateVi(set.validFrom)} – ${set.validTo ? formatDateVi(set.validTo) : 'nay'}).`,
        en: `review date ${date} is outside the validity of the criteria set "${set.name}" (${set.validFrom} – ${set.validTo ?? 'now'}).`,
      })),
    );
  }
  // Commune: the template's, by code in the list in force on the date, or by name (+ parent).
  const listId: UnitListId = date ? listIdOn(date) : ((ctx.info.meta?.listId as UnitListId | null) ?? '2025-07');
  if (date && ctx.info.meta?.listId && ctx.info.meta.listId !== listId) {
    problems.push(
      problem('error', 'list_mismatch', { ...at, cell: dateCell, value: formatDateVi(date) }, located(rec.sheet, dateCell, {
        vi: `ngày ${formatDateVi(date)} thuộc ${unitListText(listId).vi} nhưng mẫu lập theo ${unitListText(ctx.info.meta.listId).vi}: hãy tải mẫu cho ngày này.`,
        en: `date ${date} falls in ${unitListText(listId).en} but the template uses ${unitListText(ctx.info.meta.listId).en}: download a template for that date.`,
      })),
    );
    return { unit: null, date, problems };
  }
  const list = ctx.info.meta?.listId ?? listId;
  const cell = rec.unit.cell;
  let unit: UnitWithParents | null = null;
  if (rec.unit.unitId) {
    unit = await units.byCode(list, rec.unit.unitId.split('@')[0]!);
  } else if (rec.unit.code) {
    unit = await units.byCode(list, rec.unit.code);
    if (!unit) {
      const near = await closestUnits(units, list, rec.unit.code, rec.unit.name, scope);
      const hint = near.length ? ` Có phải: ${near.map(describeUnit).join('; ')}?` : '';
      const hintEn = near.length ? ` Did you mean: ${near.map(describeUnit).join('; ')}?` : '';
      problems.push(problem('error', 'unknown_unit', { ...at, cell, value: rec.unit.raw }, located(rec.sheet, cell, { vi: `không có xã mã ${rec.unit.code} trong ${unitListText(list).vi}.${hint}`, en: `no commune with code ${rec.unit.code} in ${unitListText(list).en}.${hintEn}` })));
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
      problems.push(problem('error', 'unknown_unit', { ...at, cell, value: rec.unit.name }, located(rec.sheet, cell, { vi: `không tìm thấy xã "${rec.unit.name}"${parents.length ? ` thuộc ${[rec.unit.district, rec.unit.province, rec.unit.parent].filter(Boolean).join(', ')}` : ''} trong ${unitListText(list).vi}.${hint}`, en: `no commune "${rec.unit.name}"${parents.length ? ` in ${[rec.unit.district, rec.unit.province, rec.unit.parent].filter(Boolean).join(', ')}` : ''} in ${unitListText(list).en}.${hintEn}` })));
    }
  } else {
    problems.push(problem('error', 'missing_unit', { ...at, cell: null }, located(rec.sheet, null, { vi: `dòng ${rec.row} có số liệu nhưng không có mã hoặc tên xã.`, en: `row ${rec.row} has values but no commune code or name.` })));
  }
  if (unit && ctx.info.meta && ctx.info.meta.units.size && !ctx.info.meta.units.has(unit.id)) {
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
}

function valueInputs(values: Readonly<Record<string, IndicatorValue>>): Record<string, { value: IndicatorValue }> {
  return Object.fromEntries(Object.entries(values).map(([code, value]) => [code, { value }]));
}

function valueJson(v: IndicatorValue): string {
  return JSON.stringify(typeof v === 'string' ? v.normalize('NFC').trim() : v);
}

const BATCH = 200;

/** Resolve a batch of records and decide what each one does. */
async function planBatch(db: Kysely<Database> | Transaction<Database>, batch: ParsedRecord[], set: CriteriaSet, ctx: PassContext, units: UnitIndex, scope: { id: string; level: string } | null, seen: Map<string, string>): Promise<Planned[]> {
  const planned: Planned[] = [];
  const codes = batch.map((r) => r.unit.unitId?.split('@')[0] ?? r.unit.code).filter((c): c is string => !!c);
  await units.prefetch(ctx.info.meta?.listId ? [ctx.info.meta.listId] : Object.keys(UNIT_LISTS), codes);
  for (const rec of batch) {
    const hasValues = Object.keys(rec.values).length > 0 || rec.problems.some((p) => p.severity === 'error');
    if (!hasValues) {
      planned.push({ rec, unit: null, date: null, errors: [], action: 'skip', existing: null, changed: {} });
      continue;
    }
    const r = await resolveRecord(rec, set, ctx, units, scope);
    const errors = [...rec.problems, ...r.problems];
    if (r.unit && r.date) {
      const key = `${r.unit.id}|${r.date}`;
      const first = seen.get(key);
      const where = `${rec.sheet}!${rec.unit.cell ?? `A${rec.row}`}`;
      const firstSheet = first?.slice(0, first.lastIndexOf('!'));
      if (first && firstSheet !== rec.sheet) {
        // The same commune and date on another sheet: most often a copied or extra sheet.
        errors.push(
          problem('error', 'duplicate_sheet', { sheet: rec.sheet, cell: rec.unit.cell, row: rec.row, value: rec.unit.raw }, located(rec.sheet, rec.unit.cell, {
            vi: `${r.unit.fullName} ngày ${formatDateVi(r.date)} đã có ở trang "${firstSheet}" (${first}): trang "${rec.sheet}" có thể là trang thừa hoặc bản sao. Hãy xóa trang thừa, hoặc sửa ngày rà soát nếu đây là một lần rà soát khác.`,
            en: `${r.unit.fullName} on ${r.date} is already on sheet "${firstSheet}" (${first}): sheet "${rec.sheet}" may be an extra sheet or a copy. Delete the extra sheet, or correct the review date if this is another review.`,
          })),
        );
      } else if (first) {
        errors.push(problem('error', 'duplicate_row', { sheet: rec.sheet, cell: rec.unit.cell, row: rec.row, value: rec.unit.raw }, located(rec.sheet, rec.unit.cell, { vi: `${r.unit.fullName} ngày ${formatDateVi(r.date)} đã có ở ${first}.`, en: `${r.unit.fullName} on ${r.date} already appears at ${first}.` })));
      } else seen.set(key, where);
    }
    if (r.unit && !(await allowed(db, ctx.actor, 'data.import', r.unit.id))) {
      errors.push(problem('error', 'forbidden', { sheet: rec.sheet, cell: rec.unit.cell, row: rec.row, value: rec.unit.raw }, located(rec.sheet, rec.unit.cell, { vi: `bạn không có quyền nhập số liệu của ${r.unit.fullName}.`, en: `you may not import data for ${r.unit.fullName}.` })));
    }
    planned.push({ rec, unit: r.unit, date: r.date, errors, action: 'create', existing: null, changed: { ...rec.values } });
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
      const n = Object.keys(p.changed).length;
      if (n === 0) p.action = 'unchanged';
      else if (ex.status === 'submitted') {
        const cell = p.rec.unit.cell;
        p.errors.push(
          problem('error', 'submitted_review', { sheet: p.rec.sheet, cell, row: p.rec.row, value: p.rec.unit.raw }, located(p.rec.sheet, cell, {
            vi: `dòng ${p.rec.row} (${p.unit!.fullName}, ${formatDateVi(p.date!)}): bản rà soát số ${ex.id} đã nộp, không sửa được bằng nhập tệp; ${n} chỉ tiêu khác giá trị đã nộp (${Object.keys(p.changed).slice(0, 8).join(', ')}${n > 8 ? '…' : ''}). Hãy dùng ngày rà soát khác để lập bản mới.`,
            en: `row ${p.rec.row} (${p.unit!.fullName}, ${p.date}): review ${ex.id} is submitted and cannot be changed by an import; ${countEn(n, 'indicator')} differ${n === 1 ? 's' : ''} from it (${Object.keys(p.changed).slice(0, 8).join(', ')}${n > 8 ? '…' : ''}). Use another review date for a new review.`,
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
  const u = await findUnit(db.kysely, scopeUnitId);
  if (!u) throw new DomainError('not_found', { vi: `Không tìm thấy đơn vị "${scopeUnitId}".`, en: `Unit "${scopeUnitId}" not found.` }, { fields: [{ field: 'scopeUnitId' }] });
  return { id: u.id, level: u.level };
}

// ── The use case ───────────────────────────────────────────────────────────────────────────────

/** Check (and unless `dryRun`, commit) a workbook of reviews. */
export async function importWorkbook(db: Db, actor: Actor, input: ImportInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const bytes = await bytesOf(input);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const size = bytes.length;
  const limits = opts.limits ?? DEFAULT_XLSX_LIMITS;
  // The ZIP's directory first: declared sizes and ratios refused before anything is inflated.
  assertXlsx(bytes, limits);
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
    const checked = await checkPass(db, actor, bytes, limits, opts, scope, spill);
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
async function checkPass(db: Db, actor: Actor, bytes: Uint8Array, limits: XlsxLimits, opts: ImportOptions, scope: { id: string; level: string } | null, spill: Spill | null): Promise<Checked> {
  const collector = new Collector(opts.maxProblems ?? 5000, opts.maxRows ?? 5000);
  // Parsed in a worker thread with its memory and time limits: the server keeps answering.
  const { info, items } = readReviewWorkbook(parseXlsxInWorker(bytes, limits), { setId: opts.setId });
  const ctx: PassContext = { opts, actor, info };
  const counts = { rows: 0, create: 0, update: 0, unchanged: 0, skipped: 0, withErrors: 0 };
  const units = new UnitIndex(db.kysely);
  const seen = new Map<string, string>();
  let batch: ParsedRecord[] = [];
  const flush = async () => {
    for (const p of await planBatch(db.kysely, batch, ctx.info.index!.set, ctx, units, scope, seen)) {
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
  for await (const item of items) {
    if (item.problem) {
      collector.add(item.problem);
      continue;
    }
    batch.push(item.record);
    await spill?.write(item.record);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await spill?.close();
  if (!info.index) {
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
    source: c.ctx.info.meta ? 'template' : 'hand-made',
    setId: c.ctx.info.index?.set.id ?? null,
    setName: c.ctx.info.index?.set.name ?? null,
    dryRun: opts.dryRun ?? false,
    committed: false,
    status: opts.status ?? 'draft',
    sheets: c.ctx.info.sheets,
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
    const ctx: PassContext = { opts, actor: importActor, info: checked.info };
    const set = ctx.info.index!.set;
    const units = new UnitIndex(trx);
    const seen = new Map<string, string>();
    let batch: ParsedRecord[] = [];
    let done = 0;
    const apply = async () => {
      const creates: Planned[] = [];
      const updates: Planned[] = [];
      for (const p of await planBatch(trx, batch, set, ctx, units, scope, seen)) {
        if (p.action === 'skip') continue;
        const err = p.errors.find((e) => e.severity === 'error');
        if (err) throw new DomainError('conflict', { vi: `Dữ liệu đã thay đổi trong khi nhập; không ghi gì. ${err.message.vi}`, en: `The data changed during the import; nothing was written. ${err.message.en}` }, { problem: err });
        if (p.action === 'create') creates.push(p);
        else if (p.action === 'update') updates.push(p);
        else written.unchanged++;
        done++;
      }
      // Drafts: only the changed values are appended, at the version the check read.
      await updateReviewsIn(
        trx,
        importActor,
        updates.map((p) => ({ review: p.existing!, version: p.existing!.version, values: valueInputs(p.changed) })),
      );
      await createReviewsIn(
        trx,
        importActor,
        creates.map((p) => ({ unitId: p.unit!.id, setId: set.id, reviewedOn: p.date!, values: valueInputs(p.rec.values), status: file.status })),
        new Map(creates.map((p) => [p.unit!.id, p.unit!])),
      );
      written.update += updates.length;
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
      after: { fileName: file.fileName, sha256: file.hash, size: file.size, setId: set.id, source: checked.info.meta ? 'template' : 'hand-made', status: file.status, created: written.create, updated: written.update, unchanged: written.unchanged, sheets: checked.info.sheets.map((s) => s.name) },
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

