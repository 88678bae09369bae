/**
 * Reviews (rà soát) and their indicator values. Values are append-only: each edit of an indicator
 * adds a row with the next `seq`; the current value is the row with the highest seq.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, IndicatorValueRow, ReviewEvaluationRow, ReviewRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function findReview(db: Q, id: number): Promise<ReviewRow | undefined> {
  return db.selectFrom('review').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Bump the version only if it still is `expected`: the optimistic lock. Returns false when
 * someone else wrote first.
 */
export async function bumpReviewVersion(
  db: Q,
  id: number,
  expected: number,
  changes: Partial<Pick<ReviewRow, 'status' | 'submitted_at' | 'submitted_by' | 'title' | 'note'>> & { updated_at: string },
): Promise<boolean> {
  const res = await db
    .updateTable('review')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listReviewsOfUnits(db: Q, unitIds: string[]): Promise<ReviewRow[]> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('review').selectAll().where('unit_id', 'in', unitIds).orderBy('reviewed_on', 'desc').orderBy('id', 'desc').execute();
}

export interface NewValue {
  code: string;
  valueJson: string;
  note: string | null;
  evidenceJson: string | null;
  restoredFromSeq: number | null;
}

/** Append one new version per indicator; seq continues from the indicator's last one. Returns the rows appended. */
export async function appendValues(db: Q, reviewId: number, values: readonly NewValue[], by: string, source: string, at: string): Promise<IndicatorValueRow[]> {
  if (values.length === 0) return [];
  const last = await db
    .selectFrom('indicator_value')
    .select(['indicator_code', (eb) => eb.fn.max('seq').as('seq')])
    .where('review_id', '=', reviewId)
    .where(
      'indicator_code',
      'in',
      values.map((v) => v.code),
    )
    .groupBy('indicator_code')
    .execute();
  const lastSeq = new Map(last.map((r) => [r.indicator_code, Number(r.seq)]));
  return db
    .insertInto('indicator_value')
    .values(
      values.map((v) => ({
        review_id: reviewId,
        indicator_code: v.code,
        seq: (lastSeq.get(v.code) ?? 0) + 1,
        value_json: v.valueJson,
        note: v.note,
        evidence_json: v.evidenceJson,
        entered_by: by,
        entered_at: at,
        source,
        restored_from_seq: v.restoredFromSeq,
      })),
    )
    .returningAll()
    .execute();
}

/** Current value rows (highest seq per indicator) of a review. */
export async function currentValues(db: Q, reviewId: number): Promise<IndicatorValueRow[]> {
  const rows = await db.selectFrom('indicator_value').selectAll().where('review_id', '=', reviewId).orderBy('seq', 'asc').execute();
  const latest = new Map<string, IndicatorValueRow>();
  for (const r of rows) latest.set(r.indicator_code, r);
  return [...latest.values()];
}

/** Current values of many reviews at once (for batch evaluation). */
export async function currentValuesOfReviews(db: Q, reviewIds: number[]): Promise<Map<number, IndicatorValueRow[]>> {
  const out = new Map<number, Map<string, IndicatorValueRow>>();
  for (let i = 0; i < reviewIds.length; i += 500) {
    const chunk = reviewIds.slice(i, i + 500);
    const rows = await db.selectFrom('indicator_value').selectAll().where('review_id', 'in', chunk).orderBy('seq', 'asc').execute();
    for (const r of rows) {
      let m = out.get(r.review_id);
      if (!m) out.set(r.review_id, (m = new Map()));
      m.set(r.indicator_code, r);
    }
  }
  return new Map([...out].map(([k, m]) => [k, [...m.values()]]));
}

export async function valueHistory(db: Q, reviewId: number, code?: string): Promise<IndicatorValueRow[]> {
  let q = db.selectFrom('indicator_value').selectAll().where('review_id', '=', reviewId);
  if (code) q = q.where('indicator_code', '=', code);
  return q.orderBy('indicator_code').orderBy('seq', 'desc').execute();
}

export async function findValueVersion(db: Q, reviewId: number, code: string, seq: number): Promise<IndicatorValueRow | undefined> {
  return db
    .selectFrom('indicator_value')
    .selectAll()
    .where('review_id', '=', reviewId)
    .where('indicator_code', '=', code)
    .where('seq', '=', seq)
    .executeTakeFirst();
}

/** Rows elsewhere that point at a review (a meeting's frozen status, a dossier's base review, a revocation alert): while any does, it stays. */
export async function reviewReferences(db: Q, reviewId: number): Promise<{ meetings: number; dossiers: number; alerts: number }> {
  const [m, d, a] = await Promise.all([
    db.selectFrom('meeting_unit').select((eb) => eb.fn.countAll<number>().as('n')).where('review_id', '=', reviewId).executeTakeFirstOrThrow(),
    db.selectFrom('dossier').select((eb) => eb.fn.countAll<number>().as('n')).where('base_review_id', '=', reviewId).executeTakeFirstOrThrow(),
    db.selectFrom('revocation_alert').select((eb) => eb.fn.countAll<number>().as('n')).where('review_id', '=', reviewId).executeTakeFirstOrThrow(),
  ]);
  return { meetings: Number(m.n), dossiers: Number(d.n), alerts: Number(a.n) };
}

/** Delete a review with everything that belongs only to it (every value version, the cached evaluation, its attachment rows): the caller's transaction. */
export async function deleteReview(db: Q, reviewId: number): Promise<void> {
  await db.deleteFrom('indicator_value').where('review_id', '=', reviewId).execute();
  await db.deleteFrom('review_evaluation').where('review_id', '=', reviewId).execute();
  await db.deleteFrom('attachment').where('review_id', '=', reviewId).execute();
  await db.deleteFrom('review').where('id', '=', reviewId).execute();
}

// ── Cached evaluations ─────────────────────────────────────────────────────────────────────

export type EvaluationRow = ReviewEvaluationRow;

export async function upsertEvaluation(db: Q, row: EvaluationRow): Promise<void> {
  const { review_id, ...rest } = row;
  await db
    .insertInto('review_evaluation')
    .values(row)
    .onConflict((oc) => oc.column('review_id').doUpdateSet(rest))
    .execute();
}

export async function findEvaluation(db: Q, reviewId: number): Promise<EvaluationRow | undefined> {
  return db.selectFrom('review_evaluation').selectAll().where('review_id', '=', reviewId).executeTakeFirst();
}

/** Drop cached evaluations of every review of these units (their profile or recognitions changed). */
export async function invalidateEvaluationsOfUnits(db: Q, unitIds: string[]): Promise<void> {
  if (unitIds.length === 0) return;
  await db
    .deleteFrom('review_evaluation')
    .where('review_id', 'in', (eb) => eb.selectFrom('review').select('id').where('unit_id', 'in', unitIds))
    .execute();
}

/** The columns of a `LatestReviewRow` but its unit, from `review as r` and `review_evaluation as e`. */
export const LATEST_REVIEW_COLUMNS = [
  'r.id as review_id',
  'r.set_id',
  'r.reviewed_on',
  'r.status',
  'r.version',
  'r.is_demo',
  'e.review_version as ev_version',
  'e.catalog_hash',
  'e.criteria_met',
  'e.criteria_total',
  'e.indicators_met',
  'e.indicators_total',
  'e.not_evaluable',
  'e.level',
  'e.meets_standard',
  'e.criteria_status',
] as const;

export interface LatestReviewRow {
  review_id: number;
  unit_id: string;
  set_id: string;
  reviewed_on: string;
  status: string;
  version: number;
  is_demo: number;
  ev_version: number | null;
  catalog_hash: string | null;
  criteria_met: number | null;
  criteria_total: number | null;
  indicators_met: number | null;
  indicators_total: number | null;
  not_evaluable: number | null;
  level: string | null;
  meets_standard: number | null;
  criteria_status: string | null;
}

/**
 * For each commune, its latest submitted review on or before `date`, with the cached evaluation
 * if any. One query: the summary's hot path.
 */
export async function latestSubmittedReviews(db: Q, unitIds: string[], date: string): Promise<LatestReviewRow[]> {
  if (unitIds.length === 0) return [];
  const out: LatestReviewRow[] = [];
  for (let i = 0; i < unitIds.length; i += 900) {
    const chunk = unitIds.slice(i, i + 900);
    const rows = await db
      .selectFrom('review as r')
      .leftJoin('review_evaluation as e', 'e.review_id', 'r.id')
      .select(['r.unit_id', ...LATEST_REVIEW_COLUMNS])
      .where('r.unit_id', 'in', chunk)
      .where('r.status', '=', 'submitted')
      .where('r.reviewed_on', '<=', date)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('review as r2')
              .select('r2.id')
              .whereRef('r2.unit_id', '=', 'r.unit_id')
              .where('r2.status', '=', 'submitted')
              .where('r2.reviewed_on', '<=', date)
              .where((eb) => eb.or([eb('r2.reviewed_on', '>', eb.ref('r.reviewed_on')), eb.and([eb('r2.reviewed_on', '=', eb.ref('r.reviewed_on')), eb('r2.id', '>', eb.ref('r.id'))])])),
          ),
        ),
      )
      .execute();
    out.push(...(rows as LatestReviewRow[]));
  }
  return out;
}

/** Distinct review dates of submitted reviews of these units (for trends). */
export async function reviewDatesOfUnits(db: Q, unitIds: string[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('review')
    .select('reviewed_on')
    .distinct()
    .where('unit_id', 'in', unitIds.slice(0, 5000))
    .where('status', '=', 'submitted')
    .orderBy('reviewed_on')
    .execute();
  return rows.map((r) => r.reviewed_on);
}

/** Distinct dates of submitted reviews anywhere, up to `to` (the national trend). */
export async function submittedReviewDates(db: Q, to: string): Promise<string[]> {
  const rows = await db.selectFrom('review').select('reviewed_on').distinct().where('status', '=', 'submitted').where('reviewed_on', '<=', to).orderBy('reviewed_on').execute();
  return rows.map((r) => r.reviewed_on);
}

export async function findReviewByKey(db: Q, unitId: string, setId: string, reviewedOn: string): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('review')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('set_id', '=', setId)
    .where('reviewed_on', '=', reviewedOn)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Reviews for export, optionally limited to units and to those changed since a time. */
export async function listReviewsForExport(db: Q, opts: { unitIds?: string[]; updatedSince?: string }): Promise<ReviewRow[]> {
  let q = db.selectFrom('review').selectAll().orderBy('unit_id').orderBy('reviewed_on').orderBy('id');
  if (opts.unitIds && opts.unitIds.length) q = q.where('unit_id', 'in', opts.unitIds);
  if (opts.updatedSince) q = q.where('updated_at', '>', opts.updatedSince);
  return q.execute();
}

/** Cached evaluations of many reviews at once. */
export async function evaluationsOfReviews(db: Q, reviewIds: number[]): Promise<Map<number, EvaluationRow>> {
  const out = new Map<number, EvaluationRow>();
  for (let i = 0; i < reviewIds.length; i += 900) {
    const rows = await db.selectFrom('review_evaluation').selectAll().where('review_id', 'in', reviewIds.slice(i, i + 900)).execute();
    for (const r of rows) out.set(r.review_id, r);
  }
  return out;
}
