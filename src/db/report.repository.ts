/**
 * Unit look-ups for reports and spreadsheet imports: provinces valid on a date (the national
 * matrix), and communes valid on a date with their parent and province names (matching a commune
 * written by name in a hand-made sheet). Read-only.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, RecognitionRow } from './schema.ts';
import { toUnit, validOn } from './unit.repository.ts';
import { LATEST_REVIEW_COLUMNS, type LatestReviewRow } from './review.repository.ts';
import type { Unit } from '../domain/unit.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface UnitWithParents extends Unit {
  nameFolded: string;
  parentName: string | null;
  parentNameFolded: string | null;
  provinceName: string | null;
  provinceNameFolded: string | null;
}

/** Provinces valid on `date`, in code order. */
export async function listProvincesValidOn(db: Q, date: string): Promise<Unit[]> {
  const rows = await db
    .selectFrom('unit')
    .selectAll()
    .where('level', '=', 'province')
    .where((eb) => eb.and([eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', date)]), eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)])]))
    .orderBy('code')
    .execute();
  return rows.map(toUnit);
}

/** Commune-level units valid on `date` (optionally in one province), with parent and province names. */
export async function listCommunesWithParents(db: Q, date: string, provinceId?: string): Promise<UnitWithParents[]> {
  let q = db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .leftJoin('unit as pr', 'pr.id', 'u.province_id')
    .selectAll('u')
    .select(['p.full_name as parent_full_name', 'p.name_folded as parent_folded', 'pr.full_name as province_full_name', 'pr.name_folded as province_folded'])
    .where('u.level', '=', 'commune')
    .where((eb) => eb.and([eb.or([eb('u.valid_from', 'is', null), eb('u.valid_from', '<=', date)]), eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>=', date)])]));
  if (provinceId) q = q.where('u.province_id', '=', provinceId);
  const rows = await q.orderBy('u.code').execute();
  return rows.map((r) => ({
    ...toUnit(r),
    nameFolded: r.name_folded,
    parentName: r.parent_full_name ?? null,
    parentNameFolded: r.parent_folded ?? null,
    provinceName: r.province_full_name ?? null,
    provinceNameFolded: r.province_folded ?? null,
  }));
}

/** Units by id (any level), with the same parent names. */
export async function findUnitsWithParents(db: Q, ids: readonly string[]): Promise<UnitWithParents[]> {
  const out: UnitWithParents[] = [];
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('unit as u')
      .leftJoin('unit as p', 'p.id', 'u.parent_id')
      .leftJoin('unit as pr', 'pr.id', 'u.province_id')
      .selectAll('u')
      .select(['p.full_name as parent_full_name', 'p.name_folded as parent_folded', 'pr.full_name as province_full_name', 'pr.name_folded as province_folded'])
      .where('u.id', 'in', ids.slice(i, i + 900))
      .execute();
    out.push(
      ...rows.map((r) => ({
        ...toUnit(r),
        nameFolded: r.name_folded,
        parentName: r.parent_full_name ?? null,
        parentNameFolded: r.parent_folded ?? null,
        provinceName: r.province_full_name ?? null,
        provinceNameFolded: r.province_folded ?? null,
      })),
    );
  }
  return out;
}

/** Communes of a type valid on `date` whose province is valid then too (the national trend's denominator). */
export async function countCommunesValidOn(db: Q, date: string, type: string): Promise<number> {
  const row = await communesOfCountryOn(db, date, type)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Communes of a type valid on `date` whose province is valid then too (`u`, `pr`): the country on a date. */
function communesOfCountryOn(db: Q, date: string, type: string) {
  return db
    .selectFrom('unit as u')
    .innerJoin('unit as pr', 'pr.id', 'u.province_id')
    .where('u.level', '=', 'commune')
    .where('u.type', '=', type)
    .where('pr.level', '=', 'province')
    .where((eb) => validOn(eb, 'u', date))
    .where((eb) => validOn(eb, 'pr', date));
}

/** The same communes with the id of each one's latest submitted review on or before `date` (`latest_id`): one probe of the (unit_id, status, reviewed_on, id) index each. */
function communesWithLatestIdOn(db: Q, date: string, type: string) {
  return communesOfCountryOn(db, date, type).select((eb) =>
    eb
      .selectFrom('review as r2')
      .select('r2.id')
      .whereRef('r2.unit_id', '=', 'u.id')
      .where('r2.status', '=', 'submitted')
      .where('r2.reviewed_on', '<=', date)
      .orderBy('r2.reviewed_on', 'desc')
      .orderBy('r2.id', 'desc')
      .limit(1)
      .as('latest_id'),
  );
}

/** A commune of the country on a date with its latest submitted review (null fields: none yet). */
export interface CommuneLatestRow extends Omit<LatestReviewRow, 'review_id' | 'set_id' | 'reviewed_on' | 'status' | 'version' | 'is_demo'> {
  id: string;
  /** = id: with a review, the row is that review's `LatestReviewRow` as it is (no copy). */
  unit_id: string;
  code: string;
  name: string;
  province_id: string;
  parent_name: string | null;
  review_id: number | null;
  set_id: string | null;
  reviewed_on: string | null;
  status: string | null;
  version: number | null;
  is_demo: number | null;
}

/**
 * Every commune of a type valid on `date` whose province is valid then too, with its parent's name
 * and its latest submitted review on or before `date` and the cached evaluation — one query, the
 * national summary's hot path (the latest review found per commune through the
 * (unit_id, status, reviewed_on, id) index, not by scanning reviews).
 */
export async function communesWithLatestReviewOn(db: Q, date: string, type: string): Promise<CommuneLatestRow[]> {
  const communes = communesWithLatestIdOn(db, date, type)
    .leftJoin('unit as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.code', 'u.name', 'u.province_id', 'p.full_name as parent_name']);
  const rows = await db
    .selectFrom(communes.as('x'))
    .leftJoin('review as r', 'r.id', 'x.latest_id')
    .leftJoin('review_evaluation as e', 'e.review_id', 'r.id')
    .select([
      'x.id',
      'x.id as unit_id',
      'x.code',
      'x.name',
      'x.province_id',
      'x.parent_name',
      ...LATEST_REVIEW_COLUMNS,
    ])
    .orderBy('x.code')
    .execute();
  return rows as CommuneLatestRow[];
}

/** Whether the commune has a latest review (then the row is one). */
export function hasLatestReview(r: CommuneLatestRow): r is CommuneLatestRow & LatestReviewRow {
  return r.review_id !== null;
}

/** Latest reviews on a date counted by set, level and cache state (the trend's points). */
export interface LatestLevelCount {
  set_id: string;
  level: string | null;
  /** The cached evaluation's review version matches the review's and its catalogue hash is this. */
  catalog_hash: string | null;
  current: number;
  n: number;
}

/**
 * The latest submitted review on or before `date` of each commune of a type valid then (in a
 * province valid then), counted by set, level and whether the cached evaluation is of the review's
 * current version — one aggregate query per trend point; the caller checks the catalogue hash.
 */
export async function countLatestReviewsByLevelOn(db: Q, date: string, type: string): Promise<LatestLevelCount[]> {
  const latest = communesWithLatestIdOn(db, date, type);
  const rows = await db
    .selectFrom(latest.as('x'))
    .innerJoin('review as r', 'r.id', 'x.latest_id')
    .leftJoin('review_evaluation as e', 'e.review_id', 'r.id')
    .select((eb) => [
      'r.set_id',
      'e.level',
      'e.catalog_hash',
      eb.case().when('e.review_version', '=', eb.ref('r.version')).then(1).else(0).end().as('current'),
      eb.fn.countAll<number | string>().as('n'),
    ])
    .groupBy(['r.set_id', 'e.level', 'e.catalog_hash', 'current'])
    .execute();
  return rows.map((r) => ({ set_id: r.set_id, level: r.level, catalog_hash: r.catalog_hash, current: Number(r.current), n: Number(r.n) }));
}

/** Communes of a type valid on `date` in a province valid then: the national summary's communes, as a subquery. */
function communeIdsValidOn(db: Q, date: string, type: string) {
  return communesOfCountryOn(db, date, type).select('u.id');
}

/** What a summary reads of a recognition. */
const RECOGNITION_FACTS = ['id', 'unit_id', 'level', 'decision_no', 'decided_on', 'revoked_on'] as const;
type RecognitionFacts = Pick<RecognitionRow, (typeof RECOGNITION_FACTS)[number]>;

/** The recognitions of every such commune, in decision order — one query for the whole country. */
export async function recognitionsOfCommunesValidOn(db: Q, date: string, type: string): Promise<RecognitionFacts[]> {
  return db.selectFrom('recognition').select(RECOGNITION_FACTS).where('unit_id', 'in', communeIdsValidOn(db, date, type)).orderBy('decided_on').orderBy('id').execute();
}

/** The predecessors (2025 merger) of every such commune, in code order. */
export async function predecessorsOfCommunesValidOn(db: Q, date: string, type: string): Promise<Array<{ successorId: string; id: string; fullName: string }>> {
  const rows = await db
    .selectFrom('unit_lineage as l')
    .innerJoin('unit as u', 'u.id', 'l.predecessor_id')
    .select(['l.successor_id', 'u.id', 'u.full_name'])
    .where('l.successor_id', 'in', communeIdsValidOn(db, date, type))
    .orderBy('u.code')
    .execute();
  return rows.map((r) => ({ successorId: r.successor_id, id: r.id, fullName: r.full_name }));
}

/** The recognitions of those predecessors, in decision order. */
export async function recognitionsOfPredecessorsOfCommunesValidOn(db: Q, date: string, type: string): Promise<RecognitionFacts[]> {
  return db
    .selectFrom('recognition')
    .select(RECOGNITION_FACTS)
    .where('unit_id', 'in', db.selectFrom('unit_lineage as l').select('l.predecessor_id').where('l.successor_id', 'in', communeIdsValidOn(db, date, type)))
    .orderBy('decided_on')
    .orderBy('id')
    .execute();
}
