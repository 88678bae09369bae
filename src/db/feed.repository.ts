/**
 * Pages of the machine-readable feed: rows in id order after a cursor, optionally changed after a
 * time and within a unit's subtree. Read-only; the service maps rows to feed records.
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database, IndicatorValueRow, RecognitionRow, ReviewEvaluationRow, ReviewRow, UnitAttributeTable, UnitLineageTable, UnitRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A unit subtree: the unit itself and everything whose province or parent it is. */
export interface FeedScope {
  id: string;
  level: 'province' | 'district' | 'commune';
}

export interface PageQuery {
  /** Rows with id greater than this (the cursor). */
  after: number | string | null;
  /** Only rows changed after this ISO time. */
  since: string | null;
  limit: number;
  scope: FeedScope | null;
}

/** Restrict `alias.unit_id` (or the unit `alias.id` itself) to a scope. */
function inScope(eb: ExpressionBuilder<any, any>, unitIdRef: string, scope: FeedScope) {
  const sub = eb
    .selectFrom('unit as su')
    .select('su.id')
    .where((w) =>
      scope.level === 'province'
        ? w.or([w('su.id', '=', scope.id), w('su.province_id', '=', scope.id)])
        : scope.level === 'district'
          ? w.or([w('su.id', '=', scope.id), w('su.parent_id', '=', scope.id)])
          : w('su.id', '=', scope.id),
    );
  return eb(unitIdRef, 'in', sub);
}

export type FeedUnitRow = UnitRow & { list_imported_at: string; list_name: string; list_valid_from: string | null; list_valid_to: string | null; attributes_at: string | null };

export async function unitPage(db: Q, q: PageQuery): Promise<FeedUnitRow[]> {
  let query = db
    .selectFrom('unit as u')
    .innerJoin('unit_list as l', 'l.id', 'u.list_id')
    .selectAll('u')
    .select(['l.imported_at as list_imported_at', 'l.name as list_name', 'l.valid_from as list_valid_from', 'l.valid_to as list_valid_to'])
    .select((eb) => eb.selectFrom('unit_attribute as a').select((e) => e.fn.max('a.created_at').as('m')).whereRef('a.unit_id', '=', 'u.id').as('attributes_at'))
    .orderBy('u.id')
    .limit(q.limit);
  if (q.after !== null) query = query.where('u.id', '>', String(q.after));
  if (q.since !== null) {
    const since = q.since;
    query = query.where((eb) => eb.or([eb('l.imported_at', '>', since), eb.exists(eb.selectFrom('unit_attribute as a2').select('a2.id').whereRef('a2.unit_id', '=', 'u.id').where('a2.created_at', '>', since))]));
  }
  if (q.scope) {
    const scope = q.scope;
    query = query.where((eb) => inScope(eb, 'u.id', scope));
  }
  return (await query.execute()) as FeedUnitRow[];
}

export async function attributesOf(db: Q, unitIds: readonly string[]): Promise<Array<Omit<UnitAttributeTable, 'id'> & { id: number }>> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('unit_attribute').selectAll().where('unit_id', 'in', [...unitIds]).orderBy('unit_id').orderBy('name').orderBy('id').execute() as Promise<Array<Omit<UnitAttributeTable, 'id'> & { id: number }>>;
}

export async function lineageOf(db: Q, unitIds: readonly string[]): Promise<UnitLineageTable[]> {
  if (unitIds.length === 0) return [];
  const ids = [...unitIds];
  return db
    .selectFrom('unit_lineage')
    .selectAll()
    .where((eb) => eb.or([eb('predecessor_id', 'in', ids), eb('successor_id', 'in', ids)]))
    .orderBy('predecessor_id')
    .orderBy('successor_id')
    .execute();
}

export async function reviewPage(db: Q, q: PageQuery): Promise<ReviewRow[]> {
  let query = db.selectFrom('review as r').selectAll('r').orderBy('r.id').limit(q.limit);
  if (q.after !== null) query = query.where('r.id', '>', Number(q.after));
  if (q.since !== null) query = query.where('r.updated_at', '>', q.since);
  if (q.scope) {
    const scope = q.scope;
    query = query.where((eb) => inScope(eb, 'r.unit_id', scope));
  }
  return query.execute();
}

export async function valuePage(db: Q, q: PageQuery): Promise<Array<IndicatorValueRow & { unit_id: string }>> {
  let query = db.selectFrom('indicator_value as v').innerJoin('review as r', 'r.id', 'v.review_id').selectAll('v').select('r.unit_id').orderBy('v.id').limit(q.limit);
  if (q.after !== null) query = query.where('v.id', '>', Number(q.after));
  if (q.since !== null) query = query.where('v.entered_at', '>', q.since);
  if (q.scope) {
    const scope = q.scope;
    query = query.where((eb) => inScope(eb, 'r.unit_id', scope));
  }
  return query.execute();
}

export async function evaluationPage(db: Q, q: PageQuery): Promise<Array<ReviewEvaluationRow & { unit_id: string; set_id: string; reviewed_on: string }>> {
  let query = db
    .selectFrom('review_evaluation as e')
    .innerJoin('review as r', 'r.id', 'e.review_id')
    .selectAll('e')
    .select(['r.unit_id', 'r.set_id', 'r.reviewed_on'])
    .orderBy('e.review_id')
    .limit(q.limit);
  if (q.after !== null) query = query.where('e.review_id', '>', Number(q.after));
  if (q.since !== null) query = query.where('e.computed_at', '>', q.since);
  if (q.scope) {
    const scope = q.scope;
    query = query.where((eb) => inScope(eb, 'r.unit_id', scope));
  }
  return query.execute();
}

/** Reviews whose cached evaluation is missing or was computed for another version (to refresh before a feed run). */
export async function reviewsWithEvaluationState(db: Q, scope: FeedScope | null): Promise<Array<{ id: number; set_id: string; version: number; ev_version: number | null; catalog_hash: string | null }>> {
  let query = db
    .selectFrom('review as r')
    .leftJoin('review_evaluation as e', 'e.review_id', 'r.id')
    .select(['r.id', 'r.set_id', 'r.version', 'e.review_version as ev_version', 'e.catalog_hash'])
    .orderBy('r.id');
  if (scope) query = query.where((eb) => inScope(eb, 'r.unit_id', scope));
  return query.execute();
}

export async function recognitionPage(db: Q, q: PageQuery): Promise<RecognitionRow[]> {
  let query = db.selectFrom('recognition as g').selectAll('g').orderBy('g.id').limit(q.limit);
  if (q.after !== null) query = query.where('g.id', '>', Number(q.after));
  if (q.since !== null) query = query.where('g.created_at', '>', q.since);
  if (q.scope) {
    const scope = q.scope;
    query = query.where((eb) => inScope(eb, 'g.unit_id', scope));
  }
  return query.execute();
}
