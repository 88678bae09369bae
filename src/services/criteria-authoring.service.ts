/**
 * Soạn, xác minh, ban hành bộ tiêu chí — a province office keeps its criteria sets in the
 * application. A set version is a *draft* while it is edited (add, change, split or remove
 * indicators of the set it is based on; targets by region / commune group / year / attribute;
 * critical criteria; validity), every indicator citing its source; a second officer — never the
 * one who entered it — verifies an indicator against the attached copy of the official text, and
 * only then is it `official` (four-eyes). *Publishing* freezes the version (a correction is a new
 * version), installs it in the catalogue beside the shipped national files, and re-evaluates in the
 * background every review of the set, reporting how many verdicts and which levels changed.
 *
 * Versions of one set id follow each other: a new version starts on or after the previous one's
 * start, and publishing it ends the previous one the day before (`superseded_on`); a review is
 * always evaluated by the version valid on its date.
 */
import { announceChange } from '../db/change-channel.ts';
import type { Db } from '../db/database.ts';
import type { CriteriaSetVersionRow } from '../db/schema.ts';
import * as repo from '../db/criteria-set.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { bumpRevision, getMeta, setMeta } from '../db/meta.repository.ts';
import { Catalog, catalogWith, getCatalog, installedStoredSets, installStoredSets, shippedSetFiles, type CriteriaSetSummary } from '../catalog/catalog.ts';
import { countSet, type SetCounts } from '../catalog/counts.ts';
import { diffSets, type SetDiff } from '../catalog/diff.ts';
import { applySetEdit, markOfficial, setEditProblems, statedIndicator, touchedIndicators, type SetEdit } from '../catalog/edit.ts';
import type { LoadedSetFile } from '../catalog/resolve.ts';
import type { IndicatorFile, SetFile } from '../catalog/set-file.ts';
import { validateSetFile } from '../catalog/set-schema.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
import { DomainError, notFound, versionConflict } from '../domain/errors.ts';
import { assertNoProblems, problem, type FieldProblem } from '../domain/field-error.ts';
import { isIsoDate } from '../domain/dates.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { storeUpload } from './attachment.service.ts';
import { compareUnderCatalog, type LevelChange, type Reevaluation } from './evaluation.service.ts';
import { getUnit } from './unit.service.ts';
import { readSetWorkbookWith, type SetWorkbookRead } from '../files/sets/criteria-set-workbook.ts';
import { parseXlsxInWorker } from '../platform/xlsx-parse.ts';
import type { XlsxLimits } from '../files/imports/limits.ts';
import { unitNames } from '../db/unit.repository.ts';

const SET = { vi: 'phiên bản bộ tiêu chí', en: 'criteria set version' };
const GENERATION_KEY = 'criteria_sets_generation';

/** Who entered an indicator in this version, the copy of its source, and who verified it. */
export interface IndicatorMeta {
  editedBy: string;
  editedAt: string;
  sourceCopy: { sha256: string; filename: string; contentType: string; size: number; uploadedBy: string; uploadedAt: string } | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
}

export interface ReevaluationStatus {
  state: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  changedVerdicts: number;
  levelChanges: Array<LevelChange & { unitName: string }>;
  startedAt: string;
  finishedAt: string | null;
  ms: number | null;
  error: string | null;
}

export interface AuthoredVersionSummary {
  setId: string;
  setVersion: number;
  status: 'draft' | 'published';
  name: string;
  provinceId: string | null;
  basedOn: string | null;
  validFrom: string;
  validTo: string | null;
  supersededOn: string | null;
  counts: SetCounts | null;
  /** Indicators entered with a source copy and waiting for a second officer's verification. */
  awaitingVerification: number;
  demo: boolean;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  reevaluation: ReevaluationStatus | null;
}

export interface AuthoredVersion extends AuthoredVersionSummary {
  document: SetFile;
  /** The version resolved as the engine will take it (null while it has problems). */
  resolved: CriteriaSet | null;
  problems: Array<{ field: string; message: string; message_vi: string }>;
  indicators: Record<string, IndicatorMeta>;
  /** What it changes against the set it is based on, and against the previous version. */
  diffFromBase: SetDiff | null;
  diffFromPrevious: SetDiff | null;
}

// ── Loading the published versions into the catalogue ───────────────────────────────────────

/** A stored version as the catalogue reads a file; a superseded version ends the day before its successor starts. */
function asLoaded(row: CriteriaSetVersionRow, status: 'draft' | 'published' = row.status): LoadedSetFile {
  const data = JSON.parse(row.document) as SetFile;
  if (row.superseded_on !== null) data.validTo = dayBefore(row.superseded_on);
  return { file: `db:${row.set_id}@${row.set_version}`, data, status };
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

let installedGeneration: string | null = null;

/** Install the database's published versions in the catalogue (at start, after publishing, when another server published). */
export async function loadStoredSets(db: Db): Promise<{ sets: number; problems: number }> {
  const rows = await repo.listSetVersions(db.kysely, 'published');
  const issues = installStoredSets(rows.map((r) => asLoaded(r)));
  installedGeneration = await getMeta(db.kysely, GENERATION_KEY);
  return { sets: rows.length, problems: issues.length };
}

/** Reload when another server published since the last load (one small read; run on a timer). */
export async function refreshStoredSetsIfChanged(db: Db): Promise<boolean> {
  const g = await getMeta(db.kysely, GENERATION_KEY);
  if (g === installedGeneration) return false;
  await loadStoredSets(db);
  return true;
}

// ── Reading ───────────────────────────────────────────────────────────────────────────────────

function metaOf(row: CriteriaSetVersionRow): Record<string, IndicatorMeta> {
  return JSON.parse(row.indicator_meta) as Record<string, IndicatorMeta>;
}

function reevaluationOf(row: CriteriaSetVersionRow): ReevaluationStatus | null {
  return row.reevaluation_json === null ? null : (JSON.parse(row.reevaluation_json) as ReevaluationStatus);
}

/** The catalogue with this version added as it stands (a draft previewed as if published). */
function previewCatalog(row: CriteriaSetVersionRow): { catalog: Catalog; problems: FieldProblem[] } {
  const validFrom = (JSON.parse(row.document) as SetFile).validFrom;
  const others = installedStoredSets()
    .filter((f) => f.file !== `db:${row.set_id}@${row.set_version}`)
    // Publishing ends the previous version the day before this one starts: preview it so.
    .map((f) => (f.file === `db:${row.set_id}@${row.set_version - 1}` && (f.data.validTo === null || f.data.validTo >= validFrom) ? { ...f, data: { ...f.data, validTo: dayBefore(validFrom) } } : f));
  const { catalog, issues } = catalogWith([...others, asLoaded(row, 'published')]);
  const mine = issues.filter((i) => i.file === `db:${row.set_id}@${row.set_version}`);
  return { catalog, problems: mine.map((i) => ({ field: i.path, message: i.message })) };
}

function summaryOf(row: CriteriaSetVersionRow, resolved: CriteriaSet | null): AuthoredVersionSummary {
  const doc = JSON.parse(row.document) as SetFile;
  const meta = metaOf(row);
  return {
    setId: row.set_id,
    setVersion: row.set_version,
    status: row.status,
    name: doc.name,
    provinceId: row.province_id,
    basedOn: doc.basedOn ?? null,
    validFrom: doc.validFrom,
    validTo: row.superseded_on !== null ? dayBefore(row.superseded_on) : doc.validTo,
    supersededOn: row.superseded_on,
    counts: resolved ? countSet(resolved) : null,
    awaitingVerification: Object.values(meta).filter((m) => m.sourceCopy !== null && m.verifiedBy === null).length,
    demo: row.is_demo === 1,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    reevaluation: reevaluationOf(row),
  };
}

function resolvedOf(row: CriteriaSetVersionRow): { resolved: CriteriaSet | null; problems: FieldProblem[] } {
  if (row.status === 'published') {
    const c = getCatalog();
    if (c.has(row.set_id)) {
      const v = c.versions(row.set_id).find((s) => s.version === row.set_version);
      if (v) return { resolved: v, problems: [] };
    }
  }
  const { catalog, problems } = previewCatalog(row);
  const v = catalog.has(row.set_id) ? catalog.versions(row.set_id).find((s) => s.version === row.set_version) : undefined;
  return { resolved: v ? { ...v, status: row.status } : null, problems };
}

async function loadRow(db: Db, setId: string, setVersion: number): Promise<CriteriaSetVersionRow> {
  const row = await repo.findSetVersion(db.kysely, setId, setVersion);
  if (!row) throw notFound('phiên bản bộ tiêu chí', 'Criteria set version', `${setId}@${setVersion}`);
  return row;
}

/** The province a version belongs to, for authorisation (a national one: administrators only). */
async function authorizeOn(db: Db, actor: Actor, row: Pick<CriteriaSetVersionRow, 'province_id'>): Promise<void> {
  await authorize(db, actor, 'catalog.write', row.province_id ?? 'everywhere');
}

/** Every stored version (drafts included): the province offices' and administrators' list. */
export async function listAuthoredVersions(db: Db, actor: Actor): Promise<AuthoredVersionSummary[]> {
  await authorize(db, actor, 'catalog.read', 'anywhere');
  const rows = await repo.listSetVersions(db.kysely);
  return rows.map((r) => summaryOf(r, resolvedOf(r).resolved));
}

/** One stored version with its document, resolution, problems, four-eyes state and diffs. */
export async function getAuthoredVersion(db: Db, actor: Actor, setId: string, setVersion: number): Promise<AuthoredVersion> {
  await authorize(db, actor, 'catalog.read', 'anywhere');
  const row = await loadRow(db, setId, setVersion);
  return detailOf(db, row);
}

async function detailOf(db: Db, row: CriteriaSetVersionRow): Promise<AuthoredVersion> {
  const { resolved, problems } = resolvedOf(row);
  const doc = JSON.parse(row.document) as SetFile;
  const catalog = getCatalog();
  let diffFromBase: SetDiff | null = null;
  let diffFromPrevious: SetDiff | null = null;
  if (resolved) {
    if (resolved.basedOn && catalog.has(resolved.basedOn)) diffFromBase = diffSets(catalog.at(resolved.basedOn, resolved.validFrom), resolved);
    const previous = row.set_version > 1 ? (await repo.findSetVersion(db.kysely, row.set_id, row.set_version - 1)) : undefined;
    const prevResolved = previous ? resolvedOf(previous).resolved : null;
    if (prevResolved) diffFromPrevious = diffSets(prevResolved, resolved);
  }
  return {
    ...summaryOf(row, resolved),
    document: doc,
    resolved,
    problems: problems.map((p) => ({ field: p.field, message: p.message.en, message_vi: p.message.vi })),
    indicators: metaOf(row),
    diffFromBase,
    diffFromPrevious,
  };
}

// ── Creating a draft ─────────────────────────────────────────────────────────────────────────

export interface NewDraftInput {
  /** A new provincial set: the set it is based on (a national set, or another published set). */
  basedOn?: string;
  /** Its id (lowercase letters, digits and hyphens), for a new set. */
  setId?: string;
  /** A new version of a stored set: its id. */
  newVersionOf?: string;
  name?: string;
  /** The province unit the set belongs to. */
  provinceId?: string;
  validFrom?: string;
  validTo?: string | null;
  decision?: { number: string; date: string; issuer?: string | null; appendix?: string | null; url?: string | null };
  demo?: boolean;
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Problems of a document as the catalogue sees it (schema and resolution against every other set). */
function documentProblems(row: CriteriaSetVersionRow): FieldProblem[] {
  const doc = JSON.parse(row.document) as unknown;
  const schema = validateSetFile(doc).map((i) => ({ field: i.path, message: i.message }));
  if (schema.length > 0) return schema;
  return previewCatalog(row).problems;
}

export async function createDraft(db: Db, actor: Actor, input: NewDraftInput): Promise<AuthoredVersion> {
  const at = new Date().toISOString();
  const catalog = getCatalog();
  let row: Omit<CriteriaSetVersionRow, never>;
  if (input.newVersionOf !== undefined) {
    const versions = await repo.listVersionsOfSet(db.kysely, input.newVersionOf);
    if (versions.length === 0) {
      const shipped = catalog.has(input.newVersionOf);
      throw new DomainError(
        'validation_failed',
        shipped
          ? { vi: `Bộ "${catalog.nameOf(input.newVersionOf)}" là bộ quốc gia kèm theo phần mềm (chỉ đọc): tạo bộ của tỉnh dựa trên nó (basedOn).`, en: `"${catalog.nameOf(input.newVersionOf)}" is a shipped national set (read-only): create a provincial set based on it (basedOn).` }
          : { vi: `Không có bộ tiêu chí "${input.newVersionOf}" trong cơ sở dữ liệu.`, en: `No criteria set "${input.newVersionOf}" in the database.` },
        { fields: [{ field: 'newVersionOf', message: 'not a stored set', message_vi: 'không phải bộ đã lưu' }] },
      );
    }
    const last = versions[versions.length - 1]!;
    await authorizeOn(db, actor, last);
    if (last.status === 'draft') {
      throw new DomainError('conflict', { vi: `Bộ này đã có bản dự thảo phiên bản ${last.set_version}: sửa hoặc ban hành bản đó trước.`, en: `This set already has a draft (version ${last.set_version}): edit or publish it first.` }, { setId: last.set_id, setVersion: last.set_version });
    }
    const doc = JSON.parse(last.document) as SetFile;
    const validFrom = input.validFrom ?? doc.validFrom;
    const problems: FieldProblem[] = [];
    if (!isIsoDate(validFrom)) problems.push(problem('validFrom', 'Ngày có hiệu lực phải là ngày hợp lệ (yyyy-mm-dd).', 'validFrom must be a date (yyyy-mm-dd).'));
    else if (validFrom < doc.validFrom) {
      problems.push(problem('validFrom', `Phiên bản mới phải có hiệu lực từ ${fmt(doc.validFrom)} (ngày phiên bản ${last.set_version} có hiệu lực) trở đi: thời gian hiệu lực của hai phiên bản không được chồng lên nhau.`, `A new version must start on or after ${doc.validFrom} (when version ${last.set_version} starts): the validity periods of two versions must not overlap.`));
    }
    assertNoProblems(problems);
    const next: SetFile = { ...doc, version: last.set_version + 1, validFrom, validTo: input.validTo !== undefined ? input.validTo : doc.validTo, ...(input.name ? { name: input.name } : {}), ...(input.decision ? { decision: input.decision } : {}) };
    row = { ...last, set_version: last.set_version + 1, status: 'draft', document: JSON.stringify(next), published_by: null, published_at: null, superseded_on: null, reevaluation_json: null, version: 1, created_by: actor.id, created_at: at, updated_at: at };
  } else {
    const problems: FieldProblem[] = [];
    if (!input.basedOn) problems.push(problem('basedOn', 'Cần chọn bộ tiêu chí làm gốc (basedOn), ví dụ bộ quốc gia 2026–2030.', 'Choose the set it is based on (basedOn), e.g. the 2026–2030 national set.'));
    else if (!catalog.has(input.basedOn)) problems.push(problem('basedOn', `Không có bộ tiêu chí "${input.basedOn}" đã ban hành.`, `No published criteria set "${input.basedOn}".`));
    if (!input.setId || !ID_PATTERN.test(input.setId)) problems.push(problem('setId', 'Mã bộ tiêu chí chỉ gồm chữ thường không dấu, số và dấu gạch ngang (vd. "ninh-binh-ntm-2026-2030").', 'The set id has lowercase letters, digits and hyphens only (e.g. "ninh-binh-ntm-2026-2030").'));
    else if (shippedSetIds().includes(input.setId) || (await repo.listVersionsOfSet(db.kysely, input.setId)).length > 0) problems.push(problem('setId', `Mã "${input.setId}" đã có: chọn mã khác, hoặc tạo phiên bản mới của bộ đó.`, `The id "${input.setId}" is taken: choose another, or make a new version of that set.`));
    if (!input.provinceId) problems.push(problem('provinceId', 'Cần chọn tỉnh ban hành bộ tiêu chí.', 'Choose the province that issues the set.'));
    assertNoProblems(problems);
    const province = await getUnit(db.kysely, input.provinceId!);
    if (province.level !== 'province') assertNoProblems([problem('provinceId', `${province.fullName} không phải cấp tỉnh.`, `${province.fullName} is not a province.`)]);
    await authorize(db, actor, 'catalog.write', province.id);
    const base = catalog.get(input.basedOn!);
    const validFrom = input.validFrom ?? base.validFrom;
    const doc: SetFile = {
      formatVersion: 1,
      id: input.setId!,
      version: 1,
      name: input.name?.trim() || `${base.name} — ${province.fullName}`,
      phase: base.phase,
      level: base.level,
      scope: 'provincial',
      province: { code: province.code, name: province.name },
      decision: input.decision ?? { number: 'Dự thảo — chưa có quyết định ban hành', date: at.slice(0, 10), issuer: `UBND ${province.fullName}`, appendix: null, url: null },
      validFrom,
      validTo: input.validTo !== undefined ? input.validTo : base.validTo,
      ...(input.demo ? { demo: true } : {}),
      basedOn: base.id,
      changes: [],
    };
    row = {
      set_id: doc.id, set_version: 1, status: 'draft', province_id: province.id, document: JSON.stringify(doc), indicator_meta: '{}', published_by: null, published_at: null,
      superseded_on: null, reevaluation_json: null, is_demo: input.demo ? 1 : 0, version: 1, created_by: actor.id, created_at: at, updated_at: at,
    };
  }
  assertNoProblems(documentProblems(row));
  await db.kysely.transaction().execute(async (trx) => {
    await repo.insertSetVersion(trx, row);
    await recordAudit(trx, actor, { action: 'criteria_set.create', entity: 'criteria_set_version', entityId: `${row.set_id}@${row.set_version}`, unitId: row.province_id, after: { status: 'draft', document: JSON.parse(row.document) } });
  });
  return detailOf(db, row);
}

/**
 * A set read from a workbook (`catalog import`, a standalone document) stored as a draft: a new set,
 * or the next version of a stored set with that id. Its indicators are entered by the importer (so
 * the importer cannot verify them); a claim of "official" in the file is refused — only a second
 * officer makes an indicator official, in the application.
 */
export async function importSetDraft(db: Db, actor: Actor, document: SetFile, options: { provinceId?: string } = {}): Promise<AuthoredVersion> {
  if (shippedSetIds().includes(document.id)) {
    assertNoProblems([problem('id', `Mã "${document.id}" là của bộ quốc gia kèm theo phần mềm (chỉ đọc): đổi mã trong trang "Bộ tiêu chí" của tệp.`, `"${document.id}" is a shipped national set (read-only): change the id on the file's set sheet.`)]);
  }
  const claims = (document.criteria ?? []).flatMap((c) => c.indicators).filter((i) => i.verified || i.provenance?.level === 'official');
  if (claims.length > 0) {
    assertNoProblems(claims.map((i) => problem(`indicator ${i.code}`, `Chỉ tiêu ${i.code} ghi "chính thức": khi nhập từ tệp chỉ là thứ cấp hoặc tái dựng; xác minh trong ứng dụng do một cán bộ khác làm.`, `Indicator ${i.code} says "official": imported indicators are secondary or reconstructed; another officer verifies them in the application.`)));
  }
  const previous = await repo.listVersionsOfSet(db.kysely, document.id);
  const last = previous[previous.length - 1];
  let provinceId: string | null;
  if (last) provinceId = last.province_id;
  else if (document.scope === 'national') provinceId = null;
  else {
    const id = options.provinceId ?? (document.province ? `${document.province.code}@2025-07` : null);
    if (!id) assertNoProblems([problem('province', 'Bộ cấp tỉnh cần tỉnh ban hành (--province).', 'A provincial set needs its province (--province).')]);
    const unit = await getUnit(db.kysely, id!);
    if (unit.level !== 'province') assertNoProblems([problem('province', `${unit.fullName} không phải cấp tỉnh.`, `${unit.fullName} is not a province.`)]);
    provinceId = unit.id;
  }
  await authorize(db, actor, 'catalog.write', provinceId ?? 'everywhere');
  if (last?.status === 'draft') {
    throw new DomainError('conflict', { vi: `Bộ "${document.id}" đang có bản dự thảo phiên bản ${last.set_version}: ban hành hoặc hủy bản đó trước.`, en: `"${document.id}" already has a draft (version ${last.set_version}): publish or discard it first.` }, { setId: document.id });
  }
  if (last && document.validFrom < (JSON.parse(last.document) as SetFile).validFrom) {
    assertNoProblems([problem('validFrom', `Phiên bản mới phải có hiệu lực từ ngày phiên bản ${last.set_version} có hiệu lực trở đi (thời gian hiệu lực không chồng lên nhau).`, `A new version must start on or after version ${last.set_version} does (periods must not overlap).`)]);
  }
  const at = new Date().toISOString();
  const setVersion = (last?.set_version ?? 0) + 1;
  const doc: SetFile = { ...document, version: setVersion };
  const meta: Record<string, IndicatorMeta> = {};
  for (const c of doc.criteria ?? []) for (const i of c.indicators) meta[i.code] = { editedBy: actor.id, editedAt: at, sourceCopy: null, verifiedBy: null, verifiedAt: null };
  const row: CriteriaSetVersionRow = {
    set_id: doc.id, set_version: setVersion, status: 'draft', province_id: provinceId, document: JSON.stringify(doc), indicator_meta: JSON.stringify(meta), published_by: null, published_at: null,
    superseded_on: null, reevaluation_json: null, is_demo: doc.demo ? 1 : 0, version: 1, created_by: actor.id, created_at: at, updated_at: at,
  };
  assertNoProblems(documentProblems(row));
  await db.kysely.transaction().execute(async (trx) => {
    await repo.insertSetVersion(trx, row);
    await recordAudit(trx, actor, { action: 'criteria_set.import', entity: 'criteria_set_version', entityId: `${row.set_id}@${row.set_version}`, unitId: provinceId, after: { status: 'draft', document: doc } });
  });
  return detailOf(db, row);
}

export interface SetImportResult {
  problems: SetWorkbookRead['problems'];
  set: { id: string; name: string; criteria: number; indicators: number } | null;
  /** The draft stored (not on a dry run, nor when there is a problem). */
  draft: AuthoredVersionSummary | null;
}

/** A workbook in the `catalog export` shape: checked (every problem by sheet and cell), then on request stored as a draft. */
export async function importSetWorkbook(db: Db, actor: Actor, bytes: Uint8Array, options: { dryRun: boolean; provinceId?: string }, limits: XlsxLimits): Promise<SetImportResult> {
  await authorize(db, actor, 'catalog.write', options.provinceId ?? 'anywhere');
  const read = await readSetWorkbookWith(bytes, limits, parseXlsxInWorker);
  const s = read.set;
  const set = s ? { id: s.id, name: s.name, criteria: s.criteria?.length ?? 0, indicators: (s.criteria ?? []).reduce((n, c) => n + c.indicators.length, 0) } : null;
  if (read.problems.length > 0 || options.dryRun || !s) return { problems: read.problems, set, draft: null };
  const draft = await importSetDraft(db, actor, s, options.provinceId ? { provinceId: options.provinceId } : {});
  const { document: _d, resolved: _r, problems: _p, indicators: _i, diffFromBase: _b, diffFromPrevious: _v, ...summary } = draft;
  return { problems: [], set, draft: summary };
}

function fmt(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

// ── Editing a draft ──────────────────────────────────────────────────────────────────────────

function assertDraft(row: CriteriaSetVersionRow): void {
  if (row.status !== 'draft') {
    throw new DomainError(
      'conflict',
      { vi: `Phiên bản ${row.set_version} của bộ "${row.set_id}" đã ban hành nên không sửa được nữa: tạo phiên bản mới để đính chính.`, en: `Version ${row.set_version} of "${row.set_id}" is published and can no longer be edited: make a new version to correct it.` },
      { setId: row.set_id, setVersion: row.set_version },
    );
  }
}

/** Only a second officer makes an indicator official: an edit cannot claim it. */
function claimProblems(edit: SetEdit): FieldProblem[] {
  const claims = (ind: IndicatorFile, field: string) =>
    ind.verified === true || ind.provenance?.level === 'official'
      ? [problem(`${field}.provenance.level`, `Chỉ tiêu ${ind.code}: người nhập không tự ghi "chính thức"; chỉ tiêu thành chính thức khi một cán bộ khác xác minh với văn bản đính kèm.`, `Indicator ${ind.code}: its author cannot mark it "official"; it becomes official when another officer verifies it against the attached document.`)]
      : [];
  if (edit.op === 'put') return claims(edit.indicator, 'edit.indicator');
  if (edit.op === 'split') return edit.into.flatMap((i, k) => claims(i, `edit.into[${k}]`));
  return [];
}

/** Criticality on a criterion the set no longer has (or never had) is refused by name. */
function criterionProblems(base: CriteriaSet | null, doc: SetFile, edit: SetEdit): FieldProblem[] {
  if (edit.op !== 'criterion') return [];
  const codes = new Set([...(base?.criteria.map((c) => c.code) ?? []), ...(doc.criteria?.map((c) => c.code) ?? [])]);
  return codes.has(edit.criterion) ? [] : [problem('edit.criterion', `Bộ không có tiêu chí "${edit.criterion}".`, `The set has no criterion "${edit.criterion}".`)];
}

export async function editDraft(db: Db, actor: Actor, setId: string, setVersion: number, input: { version: number; edit: SetEdit }): Promise<AuthoredVersion> {
  const row = await loadRow(db, setId, setVersion);
  await authorizeOn(db, actor, row);
  assertDraft(row);
  assertNoProblems(setEditProblems(input.edit));
  const before = JSON.parse(row.document) as SetFile;
  const catalog = getCatalog();
  const base = before.basedOn && catalog.has(before.basedOn) ? catalog.at(before.basedOn, before.validFrom) : null;
  assertNoProblems([...claimProblems(input.edit), ...criterionProblems(base, before, input.edit)]);
  const doc = applySetEdit(before, base, input.edit);
  const at = new Date().toISOString();
  const meta = metaOf(row);
  for (const code of touchedIndicators(input.edit)) {
    if (input.edit.op === 'remove' || (input.edit.op === 'split' && code === input.edit.indicator)) delete meta[code];
    else meta[code] = { editedBy: actor.id, editedAt: at, sourceCopy: meta[code]?.sourceCopy ?? null, verifiedBy: null, verifiedAt: null };
  }
  const next: CriteriaSetVersionRow = { ...row, document: JSON.stringify(doc), indicator_meta: JSON.stringify(meta), updated_at: at, version: row.version + 1 };
  assertNoProblems(documentProblems(next));
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateSetVersion(trx, setId, setVersion, input.version, { document: next.document, indicator_meta: next.indicator_meta, updated_at: at }))) {
      throw versionConflict(SET, (await repo.findSetVersion(trx, setId, setVersion))!.version, input.version);
    }
    await recordAudit(trx, actor, { action: 'criteria_set.edit', entity: 'criteria_set_version', entityId: `${setId}@${setVersion}`, unitId: row.province_id, before: { changes: before.changes ?? null, criteria: before.criteria ?? null, header: headerOf(before) }, after: { edit: input.edit } });
  });
  return detailOf(db, next);
}

function headerOf(d: SetFile) {
  return { name: d.name, validFrom: d.validFrom, validTo: d.validTo, decision: d.decision };
}

/** Discard a draft (published versions stay forever). */
export async function discardDraft(db: Db, actor: Actor, setId: string, setVersion: number, version: number): Promise<void> {
  const row = await loadRow(db, setId, setVersion);
  await authorizeOn(db, actor, row);
  assertDraft(row);
  if (row.version !== version) throw versionConflict(SET, row.version, version);
  await db.kysely.transaction().execute(async (trx) => {
    await repo.deleteSetVersion(trx, setId, setVersion);
    await recordAudit(trx, actor, { action: 'criteria_set.discard', entity: 'criteria_set_version', entityId: `${setId}@${setVersion}`, unitId: row.province_id, before: { document: JSON.parse(row.document), indicators: metaOf(row) } });
  });
}

// ── Sources and four-eyes verification ───────────────────────────────────────────────────────

function indicatorExists(row: CriteriaSetVersionRow, code: string): void {
  const { resolved } = resolvedOf(row);
  const has = resolved ? resolved.criteria.some((c) => c.indicators.some((i) => i.code === code)) : statedIndicator(JSON.parse(row.document) as SetFile, code) !== null;
  if (!has) throw notFound('chỉ tiêu', 'Indicator', code);
}

/** Attach the copy of the official text an indicator is checked against (PDF or image). */
export async function attachSourceCopy(db: Db, actor: Actor, setId: string, setVersion: number, code: string, file: { data: Uint8Array; filename?: string | null }, dir: string): Promise<AuthoredVersion> {
  const row = await loadRow(db, setId, setVersion);
  await authorizeOn(db, actor, row);
  assertDraft(row);
  indicatorExists(row, code);
  const stored = storeUpload(file.data, file.filename, dir);
  if (!['application/pdf', 'image/png', 'image/jpeg'].includes(stored.contentType)) {
    assertNoProblems([problem('file', 'Bản sao văn bản nguồn phải là PDF hoặc ảnh (PNG, JPEG).', 'The copy of the source must be a PDF or an image (PNG, JPEG).')]);
  }
  const at = new Date().toISOString();
  const meta = metaOf(row);
  const prev = meta[code];
  // Attaching the copy is part of entering the indicator: whoever attaches it cannot verify it either.
  meta[code] = {
    editedBy: prev?.editedBy ?? actor.id,
    editedAt: prev?.editedAt ?? at,
    sourceCopy: { sha256: stored.sha256, filename: stored.filename, contentType: stored.contentType, size: stored.size, uploadedBy: actor.id, uploadedAt: at },
    verifiedBy: null,
    verifiedAt: null,
  };
  const next = { ...row, indicator_meta: JSON.stringify(meta), updated_at: at, version: row.version + 1 };
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateSetVersion(trx, setId, setVersion, row.version, { indicator_meta: next.indicator_meta, updated_at: at }))) throw versionConflict(SET, row.version + 1, row.version);
    await recordAudit(trx, actor, { action: 'criteria_set.attach_source', entity: 'criteria_set_version', entityId: `${setId}@${setVersion}`, unitId: row.province_id, before: prev ? { indicator: code, sourceCopy: prev.sourceCopy } : null, after: { indicator: code, sourceCopy: meta[code]!.sourceCopy } });
  });
  return detailOf(db, next);
}

/** The stored copy of an indicator's source (for download). */
export async function sourceCopyOf(db: Db, actor: Actor, setId: string, setVersion: number, code: string): Promise<NonNullable<IndicatorMeta['sourceCopy']>> {
  await authorize(db, actor, 'catalog.read', 'anywhere');
  const row = await loadRow(db, setId, setVersion);
  const copy = metaOf(row)[code]?.sourceCopy;
  if (!copy) throw notFound('bản sao văn bản nguồn của chỉ tiêu', 'Source copy of indicator', code);
  return copy;
}

/**
 * Verify an indicator against the attached copy of its official text (four-eyes): never by the
 * officer who entered it or attached the copy; it needs the copy and a cited source document. The
 * indicator becomes `official`; who and when are kept and audited.
 */
export async function verifyIndicator(db: Db, actor: Actor, setId: string, setVersion: number, code: string, input: { version: number }): Promise<AuthoredVersion> {
  const row = await loadRow(db, setId, setVersion);
  await authorizeOn(db, actor, row);
  assertDraft(row);
  indicatorExists(row, code);
  const meta = metaOf(row);
  const m = meta[code];
  const doc = JSON.parse(row.document) as SetFile;
  const stated = statedIndicator(doc, code);
  const problems: FieldProblem[] = [];
  if (!m || !stated) problems.push(problem('indicator', `Chỉ tiêu ${code} chưa được nhập trong phiên bản này nên chưa có gì để xác minh.`, `Indicator ${code} has not been entered in this version, so there is nothing to verify.`));
  else {
    if (m.editedBy === actor.id || m.sourceCopy?.uploadedBy === actor.id) {
      problems.push(problem('indicator', `Không tự xác minh chỉ tiêu ${code} do chính mình nhập: cần một cán bộ khác đối chiếu với văn bản.`, `You cannot verify indicator ${code} you entered yourself: another officer must check it against the document.`));
    }
    if (!m.sourceCopy) problems.push(problem('sourceCopy', `Chỉ tiêu ${code} chưa có bản sao văn bản nguồn (PDF/ảnh) để đối chiếu.`, `Indicator ${code} has no attached copy of its source (PDF/image) to check against.`));
    if (!stated.provenance?.source) problems.push(problem('provenance.source', `Chỉ tiêu ${code} chưa ghi văn bản nguồn (số, ngày, cơ quan ban hành).`, `Indicator ${code} does not cite its source document (number, date, issuer).`));
    if (m.verifiedBy !== null) problems.push(problem('indicator', `Chỉ tiêu ${code} đã được ${m.verifiedBy} xác minh.`, `Indicator ${code} is already verified by ${m.verifiedBy}.`));
  }
  assertNoProblems(problems);
  const at = new Date().toISOString();
  meta[code] = { ...m!, verifiedBy: actor.id, verifiedAt: at };
  const next: CriteriaSetVersionRow = { ...row, document: JSON.stringify(markOfficial(doc, code)), indicator_meta: JSON.stringify(meta), updated_at: at, version: row.version + 1 };
  assertNoProblems(documentProblems(next));
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateSetVersion(trx, setId, setVersion, input.version, { document: next.document, indicator_meta: next.indicator_meta, updated_at: at }))) {
      throw versionConflict(SET, (await repo.findSetVersion(trx, setId, setVersion))!.version, input.version);
    }
    await recordAudit(trx, actor, { action: 'criteria_set.verify', entity: 'criteria_set_version', entityId: `${setId}@${setVersion}`, unitId: row.province_id, before: { indicator: code, provenance: stated!.provenance ?? null, verified: stated!.verified ?? false }, after: { indicator: code, provenance: 'official', verifiedBy: actor.id, verifiedAt: at, enteredBy: m!.editedBy, sourceCopy: m!.sourceCopy!.sha256 } });
  });
  return detailOf(db, next);
}

// ── Impact, publishing and re-evaluation ─────────────────────────────────────────────────────

export interface Impact {
  reviews: number;
  changedVerdicts: number;
  levelChanges: Array<LevelChange & { unitName: string }>;
}

async function named(db: Db, r: Reevaluation): Promise<Impact> {
  const names = await unitNames(db.kysely, r.levelChanges.map((c) => c.unitId));
  return { reviews: r.reviews, changedVerdicts: r.changedVerdicts, levelChanges: r.levelChanges.map((c) => ({ ...c, unitName: names.get(c.unitId) ?? c.unitId })) };
}

/** What publishing would change, before publishing: verdicts and levels of the set's reviews. */
export async function previewImpact(db: Db, actor: Actor, setId: string, setVersion: number): Promise<Impact> {
  await authorize(db, actor, 'catalog.read', 'anywhere');
  const row = await loadRow(db, setId, setVersion);
  const { catalog, problems } = previewCatalog(row);
  assertNoProblems(problems);
  const items = await repo.reviewsOfSet(db.kysely, setId);
  return named(db, await compareUnderCatalog(db.kysely, items, catalog));
}

/**
 * Publish a draft: frozen from now on; the previous version ends the day before it starts; the
 * catalogue is reloaded and the set's reviews are re-evaluated in the background (progress and
 * result on the version: `reevaluation`). Returns once the version is published.
 */
export async function publishDraft(db: Db, actor: Actor, setId: string, setVersion: number, input: { version: number }, options: { wait?: boolean } = {}): Promise<AuthoredVersion> {
  const row = await loadRow(db, setId, setVersion);
  await authorizeOn(db, actor, row);
  assertDraft(row);
  assertNoProblems(documentProblems(row));
  const doc = JSON.parse(row.document) as SetFile;
  const at = new Date().toISOString();
  const status: ReevaluationStatus = { state: 'running', total: 0, done: 0, changedVerdicts: 0, levelChanges: [], startedAt: at, finishedAt: null, ms: null, error: null };
  const current = getCatalog();
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateSetVersion(trx, setId, setVersion, input.version, { status: 'published', published_by: actor.id, published_at: at, updated_at: at, reevaluation_json: JSON.stringify(status) }))) {
      throw versionConflict(SET, (await repo.findSetVersion(trx, setId, setVersion))!.version, input.version);
    }
    const previous = setVersion > 1 ? await repo.findSetVersion(trx, setId, setVersion - 1) : undefined;
    if (previous && previous.status === 'published') {
      await repo.markSuperseded(trx, setId, setVersion - 1, doc.validFrom);
    }
    const generation = String(Number((await getMeta(trx, GENERATION_KEY)) ?? '0') + 1);
    await setMeta(trx, GENERATION_KEY, generation);
    await bumpRevision(trx);
    await recordAudit(trx, actor, { action: 'criteria_set.publish', entity: 'criteria_set_version', entityId: `${setId}@${setVersion}`, unitId: row.province_id, before: { status: 'draft' }, after: { status: 'published', validFrom: doc.validFrom, validTo: doc.validTo, previousEndsOn: previous ? dayBefore(doc.validFrom) : null } });
  });
  await loadStoredSets(db);
  // The other servers reload at once instead of at their next poll.
  await announceChange(db, 'sets');
  const job = reevaluate(db, setId, setVersion, current);
  if (options.wait) await job;
  else void job;
  return detailOf(db, await loadRow(db, setId, setVersion));
}

/** Re-evaluate every review of the set under the catalogue now installed, recording progress on the version. */
async function reevaluate(db: Db, setId: string, setVersion: number, previous: Catalog): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const save = (s: ReevaluationStatus) => repo.setReevaluation(db.kysely, setId, setVersion, JSON.stringify(s));
  try {
    const items = await repo.reviewsOfSet(db.kysely, setId);
    const status: ReevaluationStatus = { state: 'running', total: items.length, done: 0, changedVerdicts: 0, levelChanges: [], startedAt, finishedAt: null, ms: null, error: null };
    await save(status);
    const next = getCatalog();
    const levelChanges: LevelChange[] = [];
    const batch = 500;
    for (let i = 0; i < items.length; i += batch) {
      const chunk = items.slice(i, i + batch);
      const r = await compareUnderCatalog(db.kysely, chunk, next, previous);
      await db.kysely.transaction().execute((trx) => repo.replaceEvaluations(trx, r.rows));
      status.done += chunk.length;
      status.changedVerdicts += r.changedVerdicts;
      levelChanges.push(...r.levelChanges);
      await save(status);
    }
    const names = await unitNames(db.kysely, levelChanges.map((c) => c.unitId));
    await save({ ...status, state: 'done', levelChanges: levelChanges.map((c) => ({ ...c, unitName: names.get(c.unitId) ?? c.unitId })), finishedAt: new Date().toISOString(), ms: Math.round(performance.now() - started) });
  } catch (e) {
    await save({ state: 'failed', total: 0, done: 0, changedVerdicts: 0, levelChanges: [], startedAt, finishedAt: new Date().toISOString(), ms: Math.round(performance.now() - started), error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * `catalog list`: every version in the catalogue (shipped files and published stored versions)
 * and the stored drafts, each with its status, version and provenance counts.
 */
export async function listWithDrafts(db: Db): Promise<CriteriaSetSummary[]> {
  const drafts = (await repo.listSetVersions(db.kysely, 'draft')).map((r) => resolvedOf(r).resolved).filter((s): s is CriteriaSet => s !== null);
  return [...getCatalog().list(), ...new Catalog(drafts).list()];
}

/** The shipped national files (read-only layer) and the stored versions, for `catalog list`. */
export function shippedSetIds(): string[] {
  return shippedSetFiles().map((f) => f.data.id);
}
