/**
 * Import of the administrative-unit lists (`datchuan units import`): the March 2025 list
 * (provinces, districts, communes), the July 2025 list (provinces, communes), the 2025 merge
 * mapping (lineage) and the old provinces' regions. Reading the files into records and problems
 * is src/files/imports/unit-list.ts; this is the database side: compare, write, report.
 *
 * What aborts and what is reported:
 * - **Aborts, nothing written**: a file that is missing or unreadable, a header without a required
 *   column, a row whose number of fields differs from the header, an unclosed quote. The error
 *   names the file, the row (line number, header = 1) and the column.
 * - **Reported and skipped** (`conflicts`): a row with an empty required field, a code of the wrong
 *   shape, an unknown unit type, a code read twice with another name/type/parent (the first one
 *   read is kept), a duplicate row, a lineage row whose names do not match the lists.
 * - **Reported and skipped** (`unmatched`): lineage rows or region rows whose code is in neither
 *   list (the 17 old and 6 new codes of the real mapping).
 * - **Reported, imported** (`notices`): districts without commune-level units (island districts),
 *   whose lineage row names the district code itself and links the district to its đặc khu;
 *   new provinces whose region cannot be derived because their predecessors disagree; regions
 *   already set by hand (kept).
 *
 * The whole import runs in one transaction and compares with what is stored: re-importing the same
 * files changes nothing. One audit event records the counts and the sha256 of every file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { isDb, kyselyOf, type Db } from '../db/database.ts';
import type { Database, NewUnitRow, UnitLineageTable } from '../db/schema.ts';
import * as repo from '../db/unit.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { announceChange } from '../db/change-channel.ts';
import { DomainError } from '../domain/errors.ts';
import { foldVietnamese } from '../domain/text.ts';
import { UNIT_LISTS, periodText, periodsOverlap, type Unit, type UnitAttribute, type UnitLevel, type UnitListId } from '../domain/unit.ts';
import {
  DERIVED_REGION_SOURCE,
  REGION_SOURCE,
  UNIT_FILES,
  parseUnitFile,
  planUnitLists,
  type CsvTable,
  type UnitFileKey,
  type UnitListProblem,
} from '../files/imports/unit-list.ts';
import type { Actor } from './actor.ts';
import { authorize, invalidateLocalScopes } from './access.service.ts';

export { UNIT_FILES };

const OLD: UnitListId = '2025-03';
const NEW: UnitListId = '2025-07';

/**
 * Where the unit files are by default: `../shared/data/units` from the working directory, then
 * `./shared/data/units`, then the copy shipped in `./assets/units`. Returns the candidates tried.
 */
export function resolveUnitsDir(cwd: string = process.cwd()): { dir: string | null; tried: string[] } {
  const tried = [path.resolve(cwd, '../shared/data/units'), path.resolve(cwd, 'shared/data/units'), path.resolve(cwd, 'assets/units')];
  for (const t of tried) {
    if (existsSync(path.join(t, UNIT_FILES.before))) return { dir: t, tried };
  }
  return { dir: null, tried };
}

// ── Report ────────────────────────────────────────────────────────────────────────────────

/** A row the importer could not use as it stands, or imported with a caveat. */
export type ImportProblem = UnitListProblem;

export interface Tally {
  /** Rows the files give (after skipping reported ones). */
  total: number;
  added: number;
  updated: number;
  unchanged: number;
}

export interface RemovableTally extends Tally {
  /** Stored by an earlier import and no longer in the files: removed. */
  removed: number;
}

export interface ImportCounts {
  /** Units read from the two list files (every list and level). */
  total: number;
  lists: {
    '2025-03': { provinces: Tally; districts: Tally; communes: Tally };
    '2025-07': { provinces: Tally; communes: Tally };
  };
  lineage: { communes: RemovableTally; districts: RemovableTally; provinces: RemovableTally };
  regions: RemovableTally & { derived: number; notDerived: number };
  /** Units stored for these lists but absent from the files: kept (they may carry history). */
  unitsNotInFiles: number;
}

export interface ImportFileInfo {
  file: string;
  path: string;
  sha256: string;
  rows: number;
}

export interface ImportResult {
  dir: string;
  dryRun: boolean;
  files: ImportFileInfo[];
  counts: ImportCounts;
  totals: { added: number; updated: number; unchanged: number; removed: number };
  unmatched: ImportProblem[];
  conflicts: ImportProblem[];
  notices: ImportProblem[];
  durationMs: number;
}

export interface ImportProgress {
  phase: 'read' | 'compare' | 'write';
  /** What is being worked on: a file name or a table. */
  label: string;
  done: number;
  total: number;
}

export interface ImportOptions {
  dir: string;
  dryRun?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Clock for `imported_at` and `created_at` (tests). */
  now?: () => Date;
}

const tally = (): Tally => ({ total: 0, added: 0, updated: 0, unchanged: 0 });
const rtally = (): RemovableTally => ({ ...tally(), removed: 0 });

// ── Import ────────────────────────────────────────────────────────────────────────────────

function readFile(dir: string, file: string): { text: string; info: Omit<ImportFileInfo, 'rows'> } {
  const p = path.join(dir, file);
  let buf: Buffer;
  try {
    if (!statSync(p).isFile()) throw new Error('not a file');
    buf = readFileSync(p);
  } catch {
    throw new DomainError(
      'validation_failed',
      { vi: `Không đọc được tệp ${file} trong ${dir}. Không ghi gì vào cơ sở dữ liệu.`, en: `Cannot read ${file} in ${dir}. Nothing was written.` },
      { file, dir },
    );
  }
  return { text: buf.toString('utf8'), info: { file, path: p, sha256: createHash('sha256').update(buf).digest('hex') } };
}

const UNIT_COLUMNS = ['list_id', 'code', 'name', 'full_name', 'name_folded', 'type', 'level', 'parent_id', 'province_id', 'valid_from', 'valid_to'] as const;

function unitChanged(stored: Unit, row: NewUnitRow): boolean {
  const s: Record<(typeof UNIT_COLUMNS)[number], string | null> = {
    list_id: stored.listId,
    code: stored.code,
    name: stored.name,
    full_name: stored.fullName,
    name_folded: foldVietnamese(stored.name),
    type: stored.type,
    level: stored.level,
    parent_id: stored.parentId,
    province_id: stored.provinceId,
    valid_from: stored.validFrom,
    valid_to: stored.validTo,
  };
  return UNIT_COLUMNS.some((c) => (s[c] ?? null) !== (row[c] ?? null));
}

const LEVEL_ORDER: Record<UnitLevel, number> = { province: 0, district: 1, commune: 2 };

/**
 * Import the four unit files from `dir`, all or nothing, in one transaction. Problems in single
 * rows are reported in the result; a malformed file throws `validation_failed` and writes nothing.
 * With `dryRun`, computes the same report and writes nothing (no audit event either).
 */
export async function importUnits(db: Db | Kysely<Database>, actor: Actor, opts: ImportOptions): Promise<ImportResult> {
  await authorize(db, actor, 'unit.import', 'anywhere');
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  const dir = path.resolve(opts.dir);
  const report = (phase: ImportProgress['phase']) => (label: string, done: number, total: number) => opts.onProgress?.({ phase, label, done, total });
  const read = report('read');

  // 1. Read and check every file before touching the database.
  const files: ImportFileInfo[] = [];
  const tables = {} as Record<UnitFileKey, CsvTable>;
  for (const key of ['before', 'after', 'merges', 'regions'] as const) {
    const { text, info } = readFile(dir, UNIT_FILES[key]);
    const table = parseUnitFile(UNIT_FILES[key], text);
    tables[key] = table;
    files.push({ ...info, rows: table.rows.length });
  }
  const plan = planUnitLists(tables, read);

  const counts: ImportCounts = {
    total: plan.units.size,
    lists: {
      '2025-03': { provinces: tally(), districts: tally(), communes: tally() },
      '2025-07': { provinces: tally(), communes: tally() },
    },
    lineage: { communes: rtally(), districts: rtally(), provinces: rtally() },
    regions: { ...rtally(), derived: 0, notDerived: 0 },
    unitsNotInFiles: 0,
  };
  const unitTally = (listId: string, level: UnitLevel): Tally => {
    const l = counts.lists[listId as UnitListId] as Record<string, Tally>;
    return l[level === 'province' ? 'provinces' : level === 'district' ? 'districts' : 'communes']!;
  };

  const k = kyselyOf(db);
  const run = <T,>(fn: (trx: Kysely<Database>) => Promise<T>) => (k.isTransaction ? fn(k) : k.transaction().execute(fn));
  await run(async (trx) => {
    const compare = report('compare');
    // 2. Compare with what is stored.
    compare('unit', 0, plan.units.size);
    const stored = new Map((await repo.listUnitsOfLists(trx, [OLD, NEW])).map((u) => [u.id, u]));
    const toInsert: NewUnitRow[] = [];
    const toUpdate: NewUnitRow[] = [];
    for (const { row } of plan.units.values()) {
      const t = unitTally(row.list_id, row.level);
      t.total++;
      const s = stored.get(row.id);
      if (!s) {
        toInsert.push(row);
        t.added++;
      } else if (unitChanged(s, row)) {
        toUpdate.push(row);
        t.updated++;
      } else t.unchanged++;
    }
    for (const id of stored.keys()) if (!plan.units.has(id)) counts.unitsNotInFiles++;
    toInsert.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.id.localeCompare(b.id));

    const storedLinks = new Map((await repo.listLineageFromLists(trx, [OLD])).map((l) => [`${l.predecessor_id}>${l.successor_id}`, l]));
    const linksToInsert: UnitLineageTable[] = [];
    const linksToUpdate: UnitLineageTable[] = [];
    const linksToDelete: UnitLineageTable[] = [];
    for (const [key, l] of plan.lineage) {
      const t = counts.lineage[l.kind];
      t.total++;
      const s = storedLinks.get(key);
      const row = { predecessor_id: l.predecessor_id, successor_id: l.successor_id, part: l.part, effective_on: l.effective_on };
      if (!s) {
        linksToInsert.push(row);
        t.added++;
      } else if (s.part !== l.part || s.effective_on !== l.effective_on) {
        linksToUpdate.push(row);
        t.updated++;
      } else t.unchanged++;
    }
    for (const [key, s] of storedLinks) {
      if (plan.lineage.has(key)) continue;
      linksToDelete.push(s);
      const level = stored.get(s.predecessor_id)?.level;
      counts.lineage[level === 'province' ? 'provinces' : level === 'district' ? 'districts' : 'communes'].removed++;
    }

    const storedRegions = await repo.listAttributesOfLists(trx, [OLD, NEW], 'region');
    const managed = new Map<string, UnitAttribute>();
    const manual = new Map<string, UnitAttribute[]>();
    for (const a of storedRegions) {
      if (a.source === REGION_SOURCE || a.source === DERIVED_REGION_SOURCE) managed.set(a.unitId, a);
      else manual.set(a.unitId, [...(manual.get(a.unitId) ?? []), a]);
    }
    const regionsToInsert: Array<Omit<UnitAttribute, 'id'>> = [];
    const regionsToUpdate: UnitAttribute[] = [];
    const regionsToDelete: UnitAttribute[] = [];
    const createdAt = now().toISOString();
    for (const [uid, a] of plan.regions) {
      if (a.source === DERIVED_REGION_SOURCE) counts.regions.derived++;
      const s = managed.get(uid);
      const byHand = (manual.get(uid) ?? []).filter((m) => periodsOverlap(m, a));
      if (byHand.length) {
        plan.notices.push({
          file: UNIT_FILES.regions,
          row: null,
          code: plan.units.get(uid)!.row.code,
          name: plan.units.get(uid)!.row.full_name,
          reason: {
            vi: `Vùng đã được đặt thủ công (${byHand.map((m) => `${m.value ?? 'không'} ${periodText(m.validFrom, m.validTo, 'vi')}`).join('; ')}): giữ nguyên, không nhập ${a.value}.`,
            en: `Region was set by hand (${byHand.map((m) => `${m.value ?? 'none'} ${periodText(m.validFrom, m.validTo, 'en')}`).join('; ')}): kept, ${a.value} not imported.`,
          },
        });
        continue;
      }
      counts.regions.total++;
      if (!s) {
        regionsToInsert.push({ ...a, createdAt });
        counts.regions.added++;
      } else if (s.value !== a.value || s.validFrom !== a.validFrom || s.validTo !== a.validTo || s.source !== a.source) {
        regionsToUpdate.push({ ...s, value: a.value, validFrom: a.validFrom, validTo: a.validTo, source: a.source });
        counts.regions.updated++;
      } else counts.regions.unchanged++;
    }
    for (const [uid, s] of managed) {
      if (!plan.regions.has(uid)) {
        regionsToDelete.push(s);
        counts.regions.removed++;
      }
    }
    // Provinces whose region could not be derived: say when someone has already set it.
    for (const n of plan.notices) {
      const uid = n.details?.predecessors ? (n.details.unitId as string) : null;
      const set = uid ? manual.get(uid) : undefined;
      if (!set?.length) continue;
      n.reason = {
        vi: `${n.reason.vi} Đã đặt thủ công: ${set.map((m) => `${m.value ?? 'không'} (${periodText(m.validFrom, m.validTo, 'vi')})`).join('; ')}.`,
        en: `${n.reason.en} Set by hand: ${set.map((m) => `${m.value ?? 'none'} (${periodText(m.validFrom, m.validTo, 'en')})`).join('; ')}.`,
      };
    }
    counts.regions.notDerived = [...plan.units.values()].filter((u) => u.row.list_id === NEW && u.row.level === 'province' && !plan.regions.has(u.row.id)).length;
    compare('unit', plan.units.size, plan.units.size);

    const storedLists = new Map((await repo.findUnitLists(trx, [OLD, NEW])).map((l) => [l.id, l]));
    if (opts.dryRun) return;

    // 3. Write.
    const write = report('write');
    const importedAt = now().toISOString();
    const sourceOf: Record<UnitListId, string> = {
      '2025-03': `${UNIT_FILES.before} sha256:${files[0]!.sha256}`,
      '2025-07': `${UNIT_FILES.after} sha256:${files[1]!.sha256}`,
    };
    for (const id of [OLD, NEW]) {
      const meta = UNIT_LISTS[id];
      const s = storedLists.get(id);
      if (!s) await repo.insertUnitList(trx, { id, name: meta.name.vi, valid_from: meta.validFrom, valid_to: meta.validTo, source: sourceOf[id], imported_at: importedAt });
      else if (s.source !== sourceOf[id] || s.name !== meta.name.vi || s.valid_from !== meta.validFrom || s.valid_to !== meta.validTo) {
        await repo.updateUnitList(trx, id, { name: meta.name.vi, valid_from: meta.validFrom, valid_to: meta.validTo, source: sourceOf[id], imported_at: importedAt });
      }
    }
    write('unit', 0, toInsert.length);
    await repo.insertUnits(trx, toInsert, (done) => write('unit', done, toInsert.length));
    for (const row of toUpdate) {
      const { id, ...patch } = row;
      await repo.updateUnit(trx, id, patch);
    }
    for (const l of linksToDelete) await repo.deleteLineage(trx, l.predecessor_id, l.successor_id);
    write('unit_lineage', 0, linksToInsert.length);
    await repo.insertLineage(trx, linksToInsert, (done) => write('unit_lineage', done, linksToInsert.length));
    for (const l of linksToUpdate) await repo.updateLineage(trx, l);
    for (const a of regionsToDelete) await repo.deleteAttribute(trx, a.id);
    await repo.insertAttributes(trx, regionsToInsert);
    for (const a of regionsToUpdate) await repo.updateAttribute(trx, a.id, { value: a.value, validFrom: a.validFrom, validTo: a.validTo, source: a.source });
    write('unit_attribute', regionsToInsert.length, regionsToInsert.length);

    await recordAudit(trx, actor, {
      action: 'units.import',
      entity: 'unit_list',
      entityId: `${OLD},${NEW}`,
      after: {
        files: files.map((f) => ({ file: f.file, sha256: f.sha256, rows: f.rows })),
        counts,
        totals: totalsOf(counts),
        unmatched: plan.unmatched.length,
        conflicts: plan.conflicts.length,
        notices: plan.notices.length,
      },
    });
  });
  if (!opts.dryRun) {
    // Scopes are cached per server for a minute: this one and (on PostgreSQL) the others forget them.
    invalidateLocalScopes();
    if (isDb(db)) await announceChange(db, 'units');
  }

  return {
    dir,
    dryRun: opts.dryRun ?? false,
    files,
    counts,
    totals: totalsOf(counts),
    unmatched: plan.unmatched,
    conflicts: plan.conflicts,
    notices: plan.notices,
    durationMs: Math.round(performance.now() - started),
  };
}

function totalsOf(c: ImportCounts): ImportResult['totals'] {
  const all: Array<Tally & { removed?: number }> = [
    c.lists['2025-03'].provinces,
    c.lists['2025-03'].districts,
    c.lists['2025-03'].communes,
    c.lists['2025-07'].provinces,
    c.lists['2025-07'].communes,
    c.lineage.communes,
    c.lineage.districts,
    c.lineage.provinces,
    c.regions,
  ];
  return all.reduce(
    (acc, t) => ({ added: acc.added + t.added, updated: acc.updated + t.updated, unchanged: acc.unchanged + t.unchanged, removed: acc.removed + (t.removed ?? 0) }),
    { added: 0, updated: 0, unchanged: 0, removed: 0 },
  );
}
