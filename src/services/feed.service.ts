/**
 * Dữ liệu chia sẻ — the machine-readable feed for other systems (the Ministry of Finance national
 * target-programme database, provincial LGSPs, analysts): units with their list version, attributes
 * and lineage; criteria sets with their indicators; reviews; every value version; evaluations;
 * recognitions. As JSON, JSON Lines or CSV, paged by a stable cursor (ids in ascending order),
 * incremental by `updatedSince`. Schema: docs/feed.schema.json; rules: docs/reports.md.
 *
 * Incremental sync: keep the `asOf` of the first page of a run and pass it as `updatedSince` next
 * time. A record changed while a run pages through may come twice (ids are stable: upsert by id);
 * none is missed.
 */
import type { Db } from '../db/database.ts';
import * as feed from '../db/feed.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { findUnit } from '../db/unit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet, IndicatorValue, TargetValueSpec } from '../domain/criteria.ts';
import { conditionKey } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { evaluateAndCache, isFresh, verdictOfCached } from './evaluation.service.ts';

export const FEED_FORMAT = 'datchuan.feed.v1';
export const FEED_ENTITIES = ['units', 'criteria-sets', 'reviews', 'values', 'evaluations', 'recognitions'] as const;
export type FeedEntity = (typeof FEED_ENTITIES)[number];
export const MAX_FEED_LIMIT = 5000;

export interface FeedQuery {
  updatedSince?: string | null;
  cursor?: string | null;
  limit?: number;
  /** Only this unit's subtree (a province or district office's own data). */
  unitId?: string | null;
}

export interface FeedPage {
  format: typeof FEED_FORMAT;
  entity: FeedEntity;
  /** Server time when this page was read: the next run's `updatedSince` (take it from the first page). */
  asOf: string;
  updatedSince: string | null;
  unitId: string | null;
  items: Array<Record<string, unknown>>;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function invalid(field: string, vi: string, en: string): DomainError {
  return new DomainError('validation_failed', { vi, en }, { fields: [{ field }] });
}

/** `updatedSince` as the UTC ISO text the database stores (a date means its midnight UTC). */
export function normaliseSince(s: string | null | undefined): string | null {
  if (s === null || s === undefined || s === '') return null;
  if (!ISO_TIME.test(s) || Number.isNaN(Date.parse(s))) {
    throw invalid('updatedSince', `"updatedSince" phải là thời điểm ISO 8601, ví dụ 2025-07-01T00:00:00Z (nhận được "${s}").`, `"updatedSince" must be an ISO 8601 time, e.g. 2025-07-01T00:00:00Z (got "${s}").`);
  }
  return new Date(s.length === 10 ? `${s}T00:00:00Z` : s).toISOString();
}

export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ a: after }), 'utf8').toString('base64url');
}

export function decodeCursor(c: string | null | undefined): string | number | null {
  if (!c) return null;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof v.a === 'string' || typeof v.a === 'number') return v.a;
  } catch {
    /* fall through */
  }
  throw invalid('cursor', 'Con trỏ trang (cursor) không hợp lệ: hãy dùng nextCursor của trang trước.', 'Invalid cursor: use the previous page\'s nextCursor.');
}

async function scopeOf(db: Db, unitId: string | null | undefined): Promise<feed.FeedScope | null> {
  if (!unitId) return null;
  const u = await findUnit(db.kysely, unitId);
  if (!u) throw new DomainError('not_found', { vi: `Không tìm thấy đơn vị "${unitId}".`, en: `Unit "${unitId}" not found.` }, { fields: [{ field: 'unitId' }] });
  return { id: u.id, level: u.level };
}

// ── Records ───────────────────────────────────────────────────────────────────────────────────

function latest(...times: Array<string | null | undefined>): string {
  return times.filter((t): t is string => !!t).sort().at(-1) ?? '';
}

async function unitRecords(db: Db, rows: feed.FeedUnitRow[]): Promise<Array<Record<string, unknown>>> {
  const ids = rows.map((r) => r.id);
  const attrs = await feed.attributesOf(db.kysely, ids);
  const links = await feed.lineageOf(db.kysely, ids);
  return rows.map((u) => ({
    id: u.id,
    code: u.code,
    listId: u.list_id,
    list: { id: u.list_id, name: u.list_name, validFrom: u.list_valid_from, validTo: u.list_valid_to, importedAt: u.list_imported_at },
    name: u.name,
    fullName: u.full_name,
    type: u.type,
    level: u.level,
    parentId: u.parent_id,
    provinceId: u.province_id,
    validFrom: u.valid_from,
    validTo: u.valid_to,
    attributes: attrs.filter((a) => a.unit_id === u.id).map((a) => ({ name: a.name, value: a.value, validFrom: a.valid_from, validTo: a.valid_to, source: a.source })),
    predecessors: links.filter((l) => l.successor_id === u.id).map((l) => ({ id: l.predecessor_id, part: l.part, effectiveOn: l.effective_on })),
    successors: links.filter((l) => l.predecessor_id === u.id).map((l) => ({ id: l.successor_id, part: l.part, effectiveOn: l.effective_on })),
    updatedAt: latest(u.list_imported_at, u.attributes_at),
  }));
}

function targetOut(spec: TargetValueSpec): unknown {
  return spec;
}

export function criteriaSetRecord(set: CriteriaSet, hash: string): Record<string, unknown> {
  return {
    id: set.id,
    name: set.name,
    phase: set.phase,
    level: set.level,
    scope: set.scope,
    province: set.province,
    decision: set.decision,
    validFrom: set.validFrom,
    validTo: set.validTo,
    basedOn: set.basedOn,
    demo: set.demo,
    requires: set.requires,
    hash,
    flags: set.flags,
    criteria: set.criteria.map((c) => ({
      code: c.code,
      name: c.name,
      group: c.group,
      critical: c.critical,
      indicators: c.indicators.map((i) => ({
        code: i.code,
        name: i.name,
        kind: i.kind,
        unit: i.unit,
        scale: i.scale,
        target: { op: i.target.op, value: targetOut(i.target.value), setBy: i.target.setBy },
        applicableIf: i.applicableIf?.flag ?? null,
        verified: i.verified,
        provenance: i.provenance.level,
        conditions: i.conditions?.map((k) => ({ code: conditionKey(i.code, k.code), name: k.name, kind: k.kind, unit: k.unit, target: { op: k.target.op, value: targetOut(k.target.value) } })) ?? null,
      })),
    })),
  };
}

function reviewRecord(r: Awaited<ReturnType<typeof feed.reviewPage>>[number]): Record<string, unknown> {
  return {
    id: r.id,
    unitId: r.unit_id,
    setId: r.set_id,
    reviewedOn: r.reviewed_on,
    status: r.status,
    version: r.version,
    title: r.title,
    note: r.note,
    isDemo: r.is_demo === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
  };
}

function valueRecord(v: Awaited<ReturnType<typeof feed.valuePage>>[number]): Record<string, unknown> {
  return {
    id: v.id,
    reviewId: v.review_id,
    unitId: v.unit_id,
    indicatorCode: v.indicator_code,
    seq: v.seq,
    value: JSON.parse(v.value_json) as IndicatorValue,
    note: v.note,
    evidence: v.evidence_json ? (JSON.parse(v.evidence_json) as unknown) : [],
    enteredBy: v.entered_by,
    source: v.source,
    restoredFromSeq: v.restored_from_seq,
    updatedAt: v.entered_at,
  };
}

const LETTER: Readonly<Record<string, string>> = { M: 'met', N: 'not_met', E: 'not_evaluable', A: 'not_applicable' };

function evaluationRecord(e: Awaited<ReturnType<typeof feed.evaluationPage>>[number]): Record<string, unknown> {
  const catalog = getCatalog();
  const set = catalog.has(e.set_id) ? catalog.get(e.set_id) : null;
  const verdict = set ? verdictOfCached(e, e) : null;
  return {
    reviewId: e.review_id,
    unitId: e.unit_id,
    setId: e.set_id,
    reviewVersion: e.review_version,
    catalogHash: e.catalog_hash,
    criteriaMet: e.criteria_met,
    criteriaTotal: e.criteria_total,
    indicatorsMet: e.indicators_met,
    indicatorsTotal: e.indicators_total,
    notEvaluable: e.not_evaluable,
    notApplicable: e.not_applicable,
    meetsStandard: e.meets_standard === 1,
    level: e.level,
    criteria: Object.fromEntries((set?.criteria ?? []).map((c, k) => [c.code, LETTER[e.criteria_status[k] ?? ''] ?? 'not_evaluable'])),
    indicators: Object.fromEntries((verdict?.criteria ?? []).flatMap((c) => c.indicators.map((i) => [i.code, i.status]))),
    updatedAt: e.computed_at,
  };
}

function recognitionRecord(g: Awaited<ReturnType<typeof feed.recognitionPage>>[number]): Record<string, unknown> {
  return {
    id: g.id,
    unitId: g.unit_id,
    level: g.level,
    setId: g.set_id,
    decisionNo: g.decision_no,
    decidedOn: g.decided_on,
    signer: g.signer,
    note: g.note,
    isDemo: g.is_demo === 1,
    updatedAt: g.created_at,
  };
}

/** Recompute evaluations that are missing or stale (set file changed) so the feed serves current ones. */
export async function refreshEvaluations(db: Db, scope: feed.FeedScope | null): Promise<number> {
  const catalog = getCatalog();
  let n = 0;
  for (const r of await feed.reviewsWithEvaluationState(db.kysely, scope)) {
    if (!catalog.has(r.set_id)) continue;
    if (isFresh({ review_version: r.ev_version, catalog_hash: r.catalog_hash }, r)) continue;
    const row = await findReview(db.kysely, r.id);
    if (row) {
      await evaluateAndCache(db.kysely, row);
      n++;
    }
  }
  return n;
}

// ── Pages ─────────────────────────────────────────────────────────────────────────────────────

export function assertEntity(e: string): FeedEntity {
  if (!(FEED_ENTITIES as readonly string[]).includes(e)) {
    throw new DomainError('not_found', { vi: `Không có loại dữ liệu "${e}" (có: ${FEED_ENTITIES.join(', ')}).`, en: `No feed entity "${e}" (available: ${FEED_ENTITIES.join(', ')}).` }, { entity: e });
  }
  return e as FeedEntity;
}

/** One page of an entity. With an actor: refused unless it may read the feed of the unit (or of everything). */
export async function getFeedPage(db: Db, entityName: string, q: FeedQuery = {}, actor?: Actor): Promise<FeedPage> {
  const entity = assertEntity(entityName);
  const limit = q.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FEED_LIMIT) throw invalid('limit', `"limit" phải từ 1 đến ${MAX_FEED_LIMIT}.`, `"limit" must be 1–${MAX_FEED_LIMIT}.`);
  if (actor) await authorize(db, actor, 'feed.read', q.unitId ? q.unitId : 'everywhere');
  const since = normaliseSince(q.updatedSince);
  const after = decodeCursor(q.cursor);
  const scope = await scopeOf(db, q.unitId);
  const asOf = new Date().toISOString();
  const pq: feed.PageQuery = { after, since, limit: limit + 1, scope };
  let items: Array<Record<string, unknown>>;
  let keys: Array<string | number>;
  switch (entity) {
    case 'units': {
      const rows = await feed.unitPage(db.kysely, pq);
      keys = rows.map((r) => r.id);
      items = await unitRecords(db, rows.slice(0, limit));
      break;
    }
    case 'criteria-sets': {
      // The catalogue is small and versioned by content hash: always the whole list, one page.
      const catalog = getCatalog();
      const all = catalog
        .all()
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((s) => criteriaSetRecord(s, catalog.hash(s.id)));
      const start = after === null ? 0 : all.findIndex((s) => String(s.id) > String(after));
      const rest = start < 0 ? [] : all.slice(start);
      keys = rest.map((s) => String(s.id));
      items = rest.slice(0, limit);
      break;
    }
    case 'reviews': {
      const rows = await feed.reviewPage(db.kysely, pq);
      keys = rows.map((r) => r.id);
      items = rows.slice(0, limit).map(reviewRecord);
      break;
    }
    case 'values': {
      const rows = await feed.valuePage(db.kysely, pq);
      keys = rows.map((r) => r.id);
      items = rows.slice(0, limit).map(valueRecord);
      break;
    }
    case 'evaluations': {
      if (after === null) await refreshEvaluations(db, scope);
      const rows = await feed.evaluationPage(db.kysely, pq);
      keys = rows.map((r) => r.review_id);
      items = rows.slice(0, limit).map(evaluationRecord);
      break;
    }
    case 'recognitions': {
      const rows = await feed.recognitionPage(db.kysely, pq);
      keys = rows.map((r) => r.id);
      items = rows.slice(0, limit).map(recognitionRecord);
      break;
    }
  }
  const nextCursor = keys.length > limit ? encodeCursor(keys[limit - 1]!) : null;
  return { format: FEED_FORMAT, entity, asOf, updatedSince: since, unitId: q.unitId ?? null, items, nextCursor };
}

// ── Serialisation ─────────────────────────────────────────────────────────────────────────────

/** CSV columns per entity: scalar fields as they are, nested ones as JSON text. */
export const CSV_COLUMNS: Readonly<Record<FeedEntity, readonly string[]>> = {
  units: ['id', 'code', 'listId', 'name', 'fullName', 'type', 'level', 'parentId', 'provinceId', 'validFrom', 'validTo', 'list', 'attributes', 'predecessors', 'successors', 'updatedAt'],
  'criteria-sets': ['id', 'name', 'phase', 'level', 'scope', 'province', 'decision', 'validFrom', 'validTo', 'basedOn', 'demo', 'requires', 'hash', 'flags', 'criteria'],
  reviews: ['id', 'unitId', 'setId', 'reviewedOn', 'status', 'version', 'title', 'note', 'isDemo', 'createdBy', 'createdAt', 'submittedBy', 'submittedAt', 'updatedAt'],
  values: ['id', 'reviewId', 'unitId', 'indicatorCode', 'seq', 'value', 'note', 'evidence', 'enteredBy', 'source', 'restoredFromSeq', 'updatedAt'],
  evaluations: ['reviewId', 'unitId', 'setId', 'reviewVersion', 'catalogHash', 'criteriaMet', 'criteriaTotal', 'indicatorsMet', 'indicatorsTotal', 'notEvaluable', 'notApplicable', 'meetsStandard', 'level', 'criteria', 'indicators', 'updatedAt'],
  recognitions: ['id', 'unitId', 'level', 'setId', 'decisionNo', 'decidedOn', 'signer', 'note', 'isDemo', 'updatedAt'],
};

/**
 * One CSV cell. Text that a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return — gets a leading apostrophe (OWASP "CSV injection"): Excel and
 * LibreOffice then show it as text. Numbers and JSON stay as they are.
 */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let t = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) || t !== t.trim() ? `"${t.replace(/"/g, '""')}"` : t;
}

export function csvHeader(entity: FeedEntity): string {
  return `${CSV_COLUMNS[entity].join(',')}\r\n`;
}

export function toCsvLines(entity: FeedEntity, items: ReadonlyArray<Record<string, unknown>>): string {
  return items.map((it) => `${CSV_COLUMNS[entity].map((c) => csvCell(it[c])).join(',')}\r\n`).join('');
}

export function toJsonLines(items: ReadonlyArray<Record<string, unknown>>): string {
  return items.map((it) => `${JSON.stringify(it)}\n`).join('');
}

// ── Dump ──────────────────────────────────────────────────────────────────────────────────────

export interface DumpManifest {
  format: typeof FEED_FORMAT;
  asOf: string;
  updatedSince: string | null;
  unitId: string | null;
  schema: string;
  entities: Record<string, { count: number; files: string[] }>;
}

/** Write every entity to `dir` as JSON Lines and/or CSV, with a manifest (what `datchuan feed dump` does). */
export async function dumpFeed(
  db: Db,
  dir: string,
  opts: { updatedSince?: string | null; unitId?: string | null; formats?: Array<'jsonl' | 'csv'>; onProgress?: (entity: string, count: number) => void },
  actor?: Actor,
): Promise<DumpManifest> {
  const { mkdirSync, openSync, writeSync, closeSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  mkdirSync(dir, { recursive: true });
  const formats = opts.formats ?? ['jsonl', 'csv'];
  const manifest: DumpManifest = { format: FEED_FORMAT, asOf: new Date().toISOString(), updatedSince: normaliseSince(opts.updatedSince), unitId: opts.unitId ?? null, schema: 'feed.schema.json', entities: {} };
  for (const entity of FEED_ENTITIES) {
    const files = formats.map((f) => `${entity}.${f}`);
    const fds = files.map((f) => openSync(path.join(dir, f), 'w'));
    if (formats.includes('csv')) writeSync(fds[formats.indexOf('csv')]!, csvHeader(entity));
    let cursor: string | null = null;
    let count = 0;
    do {
      const page: FeedPage = await getFeedPage(db, entity, { updatedSince: opts.updatedSince ?? null, unitId: opts.unitId ?? null, cursor, limit: MAX_FEED_LIMIT }, actor);
      formats.forEach((f, i) => writeSync(fds[i]!, f === 'jsonl' ? toJsonLines(page.items) : toCsvLines(entity, page.items)));
      count += page.items.length;
      cursor = page.nextCursor;
      opts.onProgress?.(entity, count);
    } while (cursor);
    for (const fd of fds) closeSync(fd);
    manifest.entities[entity] = { count, files };
  }
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
