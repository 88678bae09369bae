/**
 * Danh mục đơn vị hành chính — the pure half of the unit-list import: the four CSV files (the March
 * 2025 list, the July 2025 list, the 2025 merge mapping, the old provinces' regions) read into the
 * unit, lineage and region records they describe, with every row the records leave out or keep
 * with a caveat as a problem (file, row, column, Vietnamese and English). No database: comparing
 * with what is stored and writing is `importUnits` (src/services/unit-import.service.ts).
 *
 * - **Malformed file** (thrown, `validation_failed`): a header without a required column, a row
 *   whose number of fields differs from the header, an unclosed quote, an empty file.
 * - **Conflicts** (row skipped): an empty required field, a code of the wrong shape, an unknown unit
 *   type, a code read twice with another name/type/parent (the first one read is kept), a duplicate
 *   row, a lineage or region row whose names do not match the lists.
 * - **Unmatched** (row skipped): lineage or region rows whose code is in neither list.
 * - **Notices** (imported): districts without communes (island districts, linked to their đặc khu
 *   by their own code), units the mapping leaves without successor or predecessor, provinces
 *   without a region, new provinces whose region cannot be derived.
 */
import type { NewUnitRow, UnitLineageTable } from '../../db/schema.ts';
import { DomainError, type BilingualMessage } from '../../domain/errors.ts';
import { foldVietnamese } from '../../domain/text.ts';
import { REGION_CODES } from '../../domain/criteria.ts';
import {
  CODE_PATTERN,
  MERGE_EFFECTIVE_ON,
  UNIT_LISTS,
  UNIT_TYPES,
  fullNameOf,
  normaliseName,
  unitId,
  type LineagePart,
  type UnitAttribute,
  type UnitLevel,
  type UnitListId,
} from '../../domain/unit.ts';

// ── Files ─────────────────────────────────────────────────────────────────────────────────

export const UNIT_FILES = {
  before: 'communes-before-2025-07.csv',
  after: 'communes-from-2025-07.csv',
  merges: 'merges-2025-old-to-new.csv',
  regions: 'provinces-before-2025-07-regions.csv',
} as const;

export type UnitFileKey = keyof typeof UNIT_FILES;
export type UnitFileName = (typeof UNIT_FILES)[UnitFileKey];

const REQUIRED_COLUMNS: Record<UnitFileName, readonly string[]> = {
  [UNIT_FILES.before]: ['province_code', 'province_name', 'province_type', 'district_code', 'district_name', 'district_type', 'commune_code', 'commune_name', 'commune_type'],
  [UNIT_FILES.after]: ['province_code', 'province_name', 'province_type', 'commune_code', 'commune_name', 'commune_type'],
  [UNIT_FILES.merges]: ['old_commune_code', 'old_commune_name', 'new_commune_code', 'new_commune_name', 'part'],
  [UNIT_FILES.regions]: ['gso_code', 'name', 'region7_code'],
};

/** `source` of the region attributes the importer owns (others, set by people, are left alone). */
export const REGION_SOURCE = UNIT_FILES.regions;
export const DERIVED_REGION_SOURCE = `derived:${UNIT_FILES.regions}+${UNIT_FILES.merges}`;

const OLD: UnitListId = '2025-03';
const NEW: UnitListId = '2025-07';

// ── CSV ───────────────────────────────────────────────────────────────────────────────────

export interface CsvRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  rows: CsvRow[];
}

function malformed(file: string, line: number, column: string | null, what: BilingualMessage): DomainError {
  const where = column ? `${file}, dòng ${line}, cột "${column}"` : `${file}, dòng ${line}`;
  const whereEn = column ? `${file}, row ${line}, column "${column}"` : `${file}, row ${line}`;
  return new DomainError(
    'validation_failed',
    { vi: `Tệp sai cấu trúc (${where}): ${what.vi} Không ghi gì vào cơ sở dữ liệu.`, en: `Malformed file (${whereEn}): ${what.en} Nothing was written.` },
    { file, row: line, column },
  );
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, CRLF, a UTF-8 BOM). Blank lines are skipped. A row whose
 * number of fields differs from the header, or an unclosed quote, is a malformed file.
 */
export function parseCsv(text: string, file: string, required: readonly string[] = []): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  if (!src.includes('"')) {
    // Fast path: no quoting anywhere, so lines and commas are the whole story.
    const lines = src.split(/\r?\n|\r/);
    for (let l = 0; l < lines.length; l++) {
      const t = lines[l]!;
      if (t !== '') records.push({ line: l + 1, cells: t.split(',') });
    }
    i = n;
  }
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const ch = src[i]!;
      if (quoted) {
        if (ch === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
      } else if (ch === '"' && cell === '') {
        quoted = true;
        i++;
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
        i++;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && src[i + 1] === '\n') i++;
        i++;
        line++;
        endOfRecord = true;
      } else {
        cell += ch;
        i++;
      }
    }
    if (quoted) throw malformed(file, startLine, null, { vi: 'dấu ngoặc kép không được đóng.', en: 'unclosed quote.' });
    cells.push(cell);
    if (cells.length === 1 && cells[0] === '') continue; // blank line
    records.push({ line: startLine, cells });
  }
  const head = records.shift();
  if (!head) throw malformed(file, 1, null, { vi: 'tệp rỗng, không có dòng tiêu đề.', en: 'the file is empty (no header row).' });
  const header = head.cells.map((h) => h.trim());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) {
    throw malformed(file, 1, missing[0]!, {
      vi: `thiếu cột ${missing.map((m) => `"${m}"`).join(', ')} (cần ${required.join(', ')}).`,
      en: `missing column ${missing.map((m) => `"${m}"`).join(', ')} (required: ${required.join(', ')}).`,
    });
  }
  for (const r of records) {
    if (r.cells.length !== header.length) {
      const col = header[Math.min(r.cells.length, header.length - 1)] ?? null;
      throw malformed(file, r.line, col, {
        vi: `dòng có ${r.cells.length} trường nhưng tiêu đề có ${header.length}.`,
        en: `the row has ${r.cells.length} fields but the header has ${header.length}.`,
      });
    }
  }
  return { file, header, rows: records };
}

/** One of the four files, parsed and checked for the columns it needs. */
export function parseUnitFile(file: UnitFileName, text: string): CsvTable {
  return parseCsv(text, file, REQUIRED_COLUMNS[file]);
}

// ── Problems ──────────────────────────────────────────────────────────────────────────────

/** A row the importer could not use as it stands, or imported with a caveat. */
export interface UnitListProblem {
  file: string;
  /** Line number in the file (header = 1); null for a problem not tied to one row. */
  row: number | null;
  code: string;
  name: string;
  reason: BilingualMessage;
  details?: Record<string, unknown>;
}

// ── Reading the files into records ────────────────────────────────────────────────────────

export interface PlannedUnit {
  row: NewUnitRow;
  line: number;
  file: string;
}

export type PlannedLink = UnitLineageTable & { kind: 'communes' | 'districts' | 'provinces' };

export type PlannedRegion = Omit<UnitAttribute, 'id' | 'createdAt'>;

/** What the files say, keyed by unit id (units, regions) and `predecessor>successor` (links). */
export interface UnitListPlan {
  units: Map<string, PlannedUnit>;
  lineage: Map<string, PlannedLink>;
  regions: Map<string, PlannedRegion>;
  unmatched: UnitListProblem[];
  conflicts: UnitListProblem[];
  notices: UnitListProblem[];
}

export type UnitListTables = Record<UnitFileKey, CsvTable>;

/** Progress of reading a file's rows (`label` is the file name). */
export type ReadProgress = (label: string, done: number, total: number) => void;

/**
 * The records the four files describe, with every problem found on the way. Throws nothing:
 * malformed files were refused by `parseUnitFile`.
 */
export function planUnitLists(tables: UnitListTables, progress: ReadProgress = () => {}): UnitListPlan {
  const plan: UnitListPlan = { units: new Map(), lineage: new Map(), regions: new Map(), unmatched: [], conflicts: [], notices: [] };
  readLists(plan, tables.before, tables.after, progress);
  readMerges(plan, tables.merges, progress);
  readRegions(plan, tables.regions);
  return plan;
}

function column(table: CsvTable) {
  const idx = new Map(table.header.map((h, i) => [h, i]));
  const memo = new Map<string, string>(); // names repeat on every row of a province or district
  return (r: CsvRow, name: string): string => {
    const i = idx.get(name);
    const raw = i === undefined ? '' : (r.cells[i] ?? '');
    let v = memo.get(raw);
    if (v === undefined) {
      v = normaliseName(raw);
      memo.set(raw, v);
    }
    return v;
  };
}

const LEVEL_VI: Record<UnitLevel, string> = { province: 'tỉnh', district: 'huyện', commune: 'xã' };
const CODE_DIGITS: Record<UnitLevel, number> = { province: 2, district: 3, commune: 5 };

/** Read one unit from a row's fields: the planned unit, or the problem with it. */
function readUnit(
  plan: UnitListPlan,
  file: string,
  line: number,
  listId: UnitListId,
  level: UnitLevel,
  f: { code: string; name: string; type: string },
  parent: { id: string; provinceId: string } | null,
): { ok: true; id: string } | { ok: false } {
  const missing = (['code', 'name', 'type'] as const).filter((k) => f[k] === '');
  const conflict = (reason: BilingualMessage, details?: Record<string, unknown>) => {
    plan.conflicts.push({ file, row: line, code: f.code, name: f.name, reason, ...(details ? { details } : {}) });
    return { ok: false as const };
  };
  if (missing.length) {
    const cols = missing.map((k) => `${level}_${k}`);
    return conflict(
      { vi: `Thiếu giá trị ở cột ${cols.join(', ')}: bỏ qua dòng.`, en: `Missing value in column ${cols.join(', ')}: row skipped.` },
      { column: `${level}_${missing[0]}` },
    );
  }
  if (!CODE_PATTERN[level].test(f.code)) {
    const digits = CODE_DIGITS[level];
    return conflict(
      { vi: `Mã ${LEVEL_VI[level]} "${f.code}" sai dạng (cần ${digits} chữ số): bỏ qua dòng.`, en: `Malformed ${level} code "${f.code}" (${digits} digits expected): row skipped.` },
      { column: `${level}_code` },
    );
  }
  const types = UNIT_TYPES[listId][level];
  if (!types.includes(f.type)) {
    return conflict(
      {
        vi: `Loại đơn vị "${f.type}" không có ở cấp ${LEVEL_VI[level]} trong danh mục ${listId} (cho phép: ${types.join(', ')}): bỏ qua dòng.`,
        en: `Unknown ${level} type "${f.type}" in list ${listId} (allowed: ${types.join(', ')}): row skipped.`,
      },
      { column: `${level}_type` },
    );
  }
  const id = unitId(f.code, listId);
  const parentId = parent?.id ?? null;
  const known = plan.units.get(id);
  if (known && level !== 'commune' && known.row.name === f.name && known.row.type === f.type && known.row.parent_id === parentId) return { ok: true, id };
  const meta = UNIT_LISTS[listId];
  const row: NewUnitRow = {
    id,
    list_id: listId,
    code: f.code,
    name: f.name,
    full_name: fullNameOf(f.type, f.name),
    name_folded: foldVietnamese(f.name),
    type: f.type,
    level,
    parent_id: parent?.id ?? null,
    province_id: level === 'province' ? id : (parent?.provinceId ?? null),
    valid_from: meta.validFrom,
    valid_to: meta.validTo,
  };
  const seen = plan.units.get(id);
  if (seen) {
    if (seen.row.name === row.name && seen.row.type === row.type && seen.row.parent_id === row.parent_id) {
      if (level === 'commune') {
        return conflict(
          { vi: `Trùng dòng: mã ${f.code} đã đọc ở dòng ${seen.line}; bỏ qua dòng này.`, en: `Duplicate row: code ${f.code} already read on row ${seen.line}; this row skipped.` },
          { firstRow: seen.line },
        );
      }
      return { ok: true, id };
    }
    return conflict(
      {
        vi: `Mã ${LEVEL_VI[level]} ${f.code} đã đọc ở dòng ${seen.line} là "${seen.row.full_name}"${seen.row.parent_id !== row.parent_id ? ` thuộc ${seen.row.parent_id}` : ''}; dòng này ghi "${row.full_name}"${seen.row.parent_id !== row.parent_id ? ` thuộc ${row.parent_id}` : ''}. Giữ dòng ${seen.line}, bỏ qua dòng này.`,
        en: `${level[0]!.toUpperCase()}${level.slice(1)} code ${f.code} was read on row ${seen.line} as "${seen.row.full_name}"${seen.row.parent_id !== row.parent_id ? ` under ${seen.row.parent_id}` : ''}; this row says "${row.full_name}"${seen.row.parent_id !== row.parent_id ? ` under ${row.parent_id}` : ''}. Kept row ${seen.line}, skipped this row.`,
      },
      { firstRow: seen.line, kept: seen.row.full_name },
    );
  }
  plan.units.set(id, { row, line, file });
  return { ok: true, id };
}

function readLists(plan: UnitListPlan, before: CsvTable, after: CsvTable, progress: (label: string, done: number, total: number) => void): void {
  {
    const get = column(before);
    const total = before.rows.length;
    before.rows.forEach((r, i) => {
      if (i % 1000 === 0) progress(before.file, i, total);
      const p = readUnit(plan, before.file, r.line, OLD, 'province', { code: get(r, 'province_code'), name: get(r, 'province_name'), type: get(r, 'province_type') }, null);
      if (!p.ok) return;
      const d = readUnit(plan, before.file, r.line, OLD, 'district', { code: get(r, 'district_code'), name: get(r, 'district_name'), type: get(r, 'district_type') }, { id: p.id, provinceId: p.id });
      if (!d.ok) return;
      const c = { code: get(r, 'commune_code'), name: get(r, 'commune_name'), type: get(r, 'commune_type') };
      if (c.code === '' && c.name === '' && c.type === '') {
        const district = plan.units.get(d.id)!.row;
        plan.notices.push({
          file: before.file,
          row: r.line,
          code: district.code,
          name: district.full_name,
          reason: {
            vi: `${district.full_name} không có đơn vị hành chính cấp xã: đã nhập huyện, không có xã nào.`,
            en: `${district.full_name} has no commune-level units: the district was imported, no commune.`,
          },
        });
        return;
      }
      readUnit(plan, before.file, r.line, OLD, 'commune', c, { id: d.id, provinceId: p.id });
    });
    progress(before.file, total, total);
  }
  {
    const get = column(after);
    const total = after.rows.length;
    after.rows.forEach((r, i) => {
      if (i % 1000 === 0) progress(after.file, i, total);
      const p = readUnit(plan, after.file, r.line, NEW, 'province', { code: get(r, 'province_code'), name: get(r, 'province_name'), type: get(r, 'province_type') }, null);
      if (!p.ok) return;
      readUnit(plan, after.file, r.line, NEW, 'commune', { code: get(r, 'commune_code'), name: get(r, 'commune_name'), type: get(r, 'commune_type') }, { id: p.id, provinceId: p.id });
    });
    progress(after.file, total, total);
  }
}

const foldedFullNames = new WeakMap<NewUnitRow, string>();

/** Does a name written in another file (with or without its type) name this unit? */
function sameName(written: string, unit: NewUnitRow): boolean {
  const w = foldVietnamese(written);
  let full = foldedFullNames.get(unit);
  if (full === undefined) {
    full = foldVietnamese(unit.full_name);
    foldedFullNames.set(unit, full);
  }
  return w === full || w === unit.name_folded;
}

function readMerges(plan: UnitListPlan, merges: CsvTable, progress: (label: string, done: number, total: number) => void): void {
  const get = column(merges);
  const file = merges.file;
  const firstRowOf = new Map<string, number>();
  // Names of new communes, per folded full name, for hints on unmatched new codes.
  const newByName = new Map<string, string[]>();
  for (const u of plan.units.values()) {
    if (u.row.list_id !== NEW || u.row.level !== 'commune') continue;
    const k = foldVietnamese(u.row.full_name);
    newByName.set(k, [...(newByName.get(k) ?? []), u.row.id]);
  }
  const total = merges.rows.length;
  merges.rows.forEach((r, i) => {
    if (i % 1000 === 0) progress(file, i, total);
    const oldCode = get(r, 'old_commune_code');
    const oldName = get(r, 'old_commune_name');
    const newCode = get(r, 'new_commune_code');
    const newName = get(r, 'new_commune_name');
    const part = get(r, 'part');
    const conflict = (code: string, name: string, reason: BilingualMessage, details?: Record<string, unknown>) =>
      plan.conflicts.push({ file, row: r.line, code, name, reason, ...(details ? { details } : {}) });
    const empty = (
      [
        ['old_commune_code', oldCode],
        ['old_commune_name', oldName],
        ['new_commune_code', newCode],
        ['new_commune_name', newName],
        ['part', part],
      ] as const
    )
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    if (empty.length) {
      conflict(oldCode, oldName, { vi: `Thiếu giá trị ở cột ${empty.join(', ')}: bỏ qua dòng.`, en: `Missing value in column ${empty.join(', ')}: row skipped.` }, { column: empty[0] });
      return;
    }
    if (part !== 'full' && part !== 'partial') {
      conflict(oldCode, oldName, { vi: `Cột part có giá trị "${part}" (cần full hoặc partial): bỏ qua dòng.`, en: `Column part is "${part}" (full or partial expected): row skipped.` }, { column: 'part' });
      return;
    }
    // Old side: a commune of the March 2025 list, or a district without communes named by its own code.
    let oldUnit = plan.units.get(unitId(oldCode, OLD))?.row;
    if (oldUnit && oldUnit.level !== 'commune') oldUnit = undefined;
    let viaDistrict = false;
    if (!oldUnit && CODE_PATTERN.district.test(oldCode)) {
      const d = plan.units.get(unitId(oldCode, OLD))?.row;
      if (d && d.level === 'district' && sameName(oldName, d)) {
        oldUnit = d;
        viaDistrict = true;
      }
    }
    const newUnit = plan.units.get(unitId(newCode, NEW))?.row;
    if (!oldUnit || !newUnit) {
      const sides: string[] = [];
      const sidesEn: string[] = [];
      const details: Record<string, unknown> = {};
      if (!oldUnit) {
        sides.push(`mã cũ ${oldCode} (${oldName}) không có trong danh mục ${OLD}`);
        sidesEn.push(`old code ${oldCode} (${oldName}) is not in list ${OLD}`);
        details.oldMissing = true;
      }
      if (!newUnit) {
        sides.push(`mã mới ${newCode} (${newName}) không có trong danh mục ${NEW}`);
        sidesEn.push(`new code ${newCode} (${newName}) is not in list ${NEW}`);
        details.newMissing = true;
        const candidates = newByName.get(foldVietnamese(newName)) ?? [];
        const provinceCode = get(r, 'new_province_code');
        const near = provinceCode ? candidates.filter((c) => plan.units.get(c)?.row.province_id === unitId(provinceCode, NEW)) : candidates;
        if (near.length) details.sameNameInNewList = near;
      }
      const hint = Array.isArray(details.sameNameInNewList)
        ? { vi: ` Cùng tên trong danh mục mới: ${(details.sameNameInNewList as string[]).join(', ')} (không tự ghép).`, en: ` Same name in the new list: ${(details.sameNameInNewList as string[]).join(', ')} (not linked automatically).` }
        : { vi: '', en: '' };
      plan.unmatched.push({
        file,
        row: r.line,
        code: oldUnit ? newCode : oldCode,
        name: oldUnit ? newName : oldName,
        reason: {
          vi: `Không ghép được: ${sides.join('; ')}. Bỏ qua liên kết ${oldCode} → ${newCode}.${hint.vi}`,
          en: `Unmatched: ${sidesEn.join('; ')}. Link ${oldCode} → ${newCode} skipped.${hint.en}`,
        },
        details: { ...details, oldCode, oldName, newCode, newName },
      });
      return;
    }
    if (!viaDistrict && !sameName(oldName, oldUnit)) {
      conflict(oldCode, oldName, {
        vi: `Tên cũ "${oldName}" khác tên trong danh mục ${OLD} ("${oldUnit.full_name}"): bỏ qua dòng.`,
        en: `Old name "${oldName}" differs from list ${OLD} ("${oldUnit.full_name}"): row skipped.`,
      }, { column: 'old_commune_name' });
      return;
    }
    if (!sameName(newName, newUnit)) {
      conflict(newCode, newName, {
        vi: `Tên mới "${newName}" khác tên trong danh mục ${NEW} ("${newUnit.full_name}"): bỏ qua dòng.`,
        en: `New name "${newName}" differs from list ${NEW} ("${newUnit.full_name}"): row skipped.`,
      }, { column: 'new_commune_name' });
      return;
    }
    const key = `${oldUnit.id}>${newUnit.id}`;
    const seen = plan.lineage.get(key);
    if (seen) {
      const first = firstRowOf.get(key);
      conflict(
        oldCode,
        oldName,
        seen.part === part
          ? { vi: `Trùng liên kết ${oldCode} → ${newCode} (đã có ở dòng ${first}): bỏ qua dòng.`, en: `Duplicate link ${oldCode} → ${newCode} (already on row ${first}): row skipped.` }
          : {
              vi: `Liên kết ${oldCode} → ${newCode} ở dòng ${first} là "${seen.part}", dòng này ghi "${part}": giữ dòng ${first}.`,
              en: `Link ${oldCode} → ${newCode} is "${seen.part}" on row ${first} but "${part}" here: kept row ${first}.`,
            },
        { firstRow: first },
      );
      return;
    }
    firstRowOf.set(key, r.line);
    plan.lineage.set(key, { predecessor_id: oldUnit.id, successor_id: newUnit.id, part: part as LineagePart, effective_on: MERGE_EFFECTIVE_ON, kind: viaDistrict ? 'districts' : 'communes' });
    if (viaDistrict) {
      plan.notices.push({
        file,
        row: r.line,
        code: oldCode,
        name: oldName,
        reason: {
          vi: `Mã cũ ${oldCode} là mã huyện (${oldUnit.full_name}, không có xã): đã liên kết huyện → ${newUnit.full_name}.`,
          en: `Old code ${oldCode} is a district code (${oldUnit.full_name}, no communes): linked the district → ${newUnit.full_name}.`,
        },
        details: { predecessorId: oldUnit.id, successorId: newUnit.id },
      });
    }
  });
  progress(file, total, total);

  // Commune-level units the mapping leaves without a successor (old) or a predecessor (new).
  const linked = new Set<string>();
  for (const l of plan.lineage.values()) {
    linked.add(l.predecessor_id);
    linked.add(l.successor_id);
  }
  for (const u of plan.units.values()) {
    if (u.row.level !== 'commune' || linked.has(u.row.id)) continue;
    const old = u.row.list_id === OLD;
    plan.notices.push({
      file,
      row: null,
      code: u.row.code,
      name: u.row.full_name,
      reason: old
        ? { vi: `${u.row.full_name} (${u.row.id}) không có đơn vị kế tiếp trong tệp sáp nhập.`, en: `${u.row.full_name} (${u.row.id}) has no successor in the merge mapping.` }
        : { vi: `${u.row.full_name} (${u.row.id}) không có đơn vị tiền thân trong tệp sáp nhập.`, en: `${u.row.full_name} (${u.row.id}) has no predecessor in the merge mapping.` },
      details: { unitId: u.row.id, missing: old ? 'successor' : 'predecessor' },
    });
  }

  // Provinces: an old province precedes every new province that received one of its units.
  const byOld = new Map<string, Set<string>>();
  for (const l of plan.lineage.values()) {
    const from = plan.units.get(l.predecessor_id)!.row.province_id!;
    const to = plan.units.get(l.successor_id)!.row.province_id!;
    if (!byOld.has(from)) byOld.set(from, new Set());
    byOld.get(from)!.add(to);
  }
  for (const [from, tos] of [...byOld.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const to of [...tos].sort()) {
      plan.lineage.set(`${from}>${to}`, { predecessor_id: from, successor_id: to, part: tos.size === 1 ? 'full' : 'partial', effective_on: MERGE_EFFECTIVE_ON, kind: 'provinces' });
    }
  }
}

function readRegions(plan: UnitListPlan, regions: CsvTable): void {
  const get = column(regions);
  const file = regions.file;
  const firstRow = new Map<string, number>();
  for (const r of regions.rows) {
    const code = get(r, 'gso_code');
    const name = get(r, 'name');
    const region = get(r, 'region7_code').toUpperCase();
    const empty = (
      [
        ['gso_code', code],
        ['name', name],
        ['region7_code', region],
      ] as const
    )
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    if (empty.length) {
      plan.conflicts.push({ file, row: r.line, code, name, reason: { vi: `Thiếu giá trị ở cột ${empty.join(', ')}: bỏ qua dòng.`, en: `Missing value in column ${empty.join(', ')}: row skipped.` }, details: { column: empty[0] } });
      continue;
    }
    if (!(REGION_CODES as readonly string[]).includes(region)) {
      plan.conflicts.push({
        file,
        row: r.line,
        code,
        name,
        reason: { vi: `Mã vùng "${region}" không hợp lệ (cần ${REGION_CODES.join(', ')}): bỏ qua dòng.`, en: `Invalid region code "${region}" (expected ${REGION_CODES.join(', ')}): row skipped.` },
        details: { column: 'region7_code' },
      });
      continue;
    }
    const id = unitId(code, OLD);
    const province = plan.units.get(id)?.row;
    if (!province || province.level !== 'province') {
      plan.unmatched.push({ file, row: r.line, code, name, reason: { vi: `Mã tỉnh ${code} (${name}) không có trong danh mục ${OLD}: bỏ qua vùng.`, en: `Province code ${code} (${name}) is not in list ${OLD}: region skipped.` } });
      continue;
    }
    if (!sameName(name, province)) {
      plan.conflicts.push({
        file,
        row: r.line,
        code,
        name,
        reason: { vi: `Tên "${name}" khác tên trong danh mục (${province.full_name}): bỏ qua dòng.`, en: `Name "${name}" differs from the list (${province.full_name}): row skipped.` },
        details: { column: 'name' },
      });
      continue;
    }
    const seen = firstRow.get(id);
    if (seen !== undefined) {
      plan.conflicts.push({
        file,
        row: r.line,
        code,
        name,
        reason: { vi: `Tỉnh ${code} đã có vùng ở dòng ${seen}: bỏ qua dòng này.`, en: `Province ${code} already has a region on row ${seen}: this row skipped.` },
        details: { firstRow: seen },
      });
      continue;
    }
    firstRow.set(id, r.line);
    plan.regions.set(id, { unitId: id, name: 'region', value: region, validFrom: null, validTo: UNIT_LISTS[OLD].validTo, source: REGION_SOURCE });
  }
  // Old provinces the file says nothing about.
  for (const u of plan.units.values()) {
    if (u.row.list_id === OLD && u.row.level === 'province' && !plan.regions.has(u.row.id)) {
      plan.notices.push({ file, row: null, code: u.row.code, name: u.row.full_name, reason: { vi: `${u.row.full_name} không có vùng trong tệp: chưa đặt vùng.`, en: `${u.row.full_name} has no region in the file: region left unset.` } });
    }
  }
  // New provinces: the region of their predecessor provinces when they all agree.
  const preds = new Map<string, string[]>();
  for (const l of plan.lineage.values()) {
    if (l.kind !== 'provinces') continue;
    preds.set(l.successor_id, [...(preds.get(l.successor_id) ?? []), l.predecessor_id]);
  }
  for (const u of plan.units.values()) {
    if (u.row.list_id !== NEW || u.row.level !== 'province') continue;
    const from = (preds.get(u.row.id) ?? []).sort();
    const values = from.map((p) => plan.regions.get(p)?.value ?? null);
    const distinct = [...new Set(values)];
    if (from.length && distinct.length === 1 && distinct[0]) {
      plan.regions.set(u.row.id, { unitId: u.row.id, name: 'region', value: distinct[0], validFrom: UNIT_LISTS[NEW].validFrom, validTo: null, source: DERIVED_REGION_SOURCE });
      continue;
    }
    const list = from.map((p, i) => `${plan.units.get(p)!.row.full_name}: ${values[i] ?? '?'}`).join(', ');
    plan.notices.push({
      file: UNIT_FILES.regions,
      row: null,
      code: u.row.code,
      name: u.row.full_name,
      reason: from.length
        ? {
            vi: `Không suy ra được vùng của ${u.row.full_name}: các tỉnh cũ khác vùng (${list}). Chưa đặt vùng; cán bộ cấp tỉnh đặt bằng "units set-attribute ${u.row.id} --name region".`,
            en: `Cannot derive the region of ${u.row.full_name}: its former provinces disagree (${list}). Left unset; a province officer can set it with "units set-attribute ${u.row.id} --name region".`,
          }
        : {
            vi: `Không suy ra được vùng của ${u.row.full_name}: không có tỉnh cũ nào. Chưa đặt vùng.`,
            en: `Cannot derive the region of ${u.row.full_name}: no former province. Left unset.`,
          },
      details: { unitId: u.row.id, predecessors: from.map((p, i) => ({ id: p, region: values[i] ?? null })) },
    });
  }
}

