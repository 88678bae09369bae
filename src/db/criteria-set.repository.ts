/** Criteria-set versions authored in the application (drafts and published versions). */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { CriteriaSetVersionRow, CriteriaSetVersionTable, Database, ReviewEvaluationRow, ReviewRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertSetVersion(db: Q, row: Insertable<CriteriaSetVersionTable>): Promise<CriteriaSetVersionRow> {
  return db.insertInto('criteria_set_version').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSetVersion(db: Q, setId: string, setVersion: number): Promise<CriteriaSetVersionRow | undefined> {
  return db.selectFrom('criteria_set_version').selectAll().where('set_id', '=', setId).where('set_version', '=', setVersion).executeTakeFirst();
}

/** Every stored version of one set id, oldest first. */
export async function listVersionsOfSet(db: Q, setId: string): Promise<CriteriaSetVersionRow[]> {
  return db.selectFrom('criteria_set_version').selectAll().where('set_id', '=', setId).orderBy('set_version').execute();
}

/** Stored versions, optionally of one status, by set id and version. */
export async function listSetVersions(db: Q, status?: 'draft' | 'published'): Promise<CriteriaSetVersionRow[]> {
  let q = db.selectFrom('criteria_set_version').selectAll().orderBy('set_id').orderBy('set_version');
  if (status) q = q.where('status', '=', status);
  return q.execute();
}

/** Optimistic lock: change the row only if its version still is `expected`. */
export async function updateSetVersion(db: Q, setId: string, setVersion: number, expected: number, changes: Updateable<CriteriaSetVersionTable>): Promise<boolean> {
  const r = await db
    .updateTable('criteria_set_version')
    .set({ ...changes, version: expected + 1 })
    .where('set_id', '=', setId)
    .where('set_version', '=', setVersion)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A later version takes over from `on`: the published version ends the day before (its only change after publishing). */
export async function markSuperseded(db: Q, setId: string, setVersion: number, on: string): Promise<void> {
  await db.updateTable('criteria_set_version').set({ superseded_on: on }).where('set_id', '=', setId).where('set_version', '=', setVersion).execute();
}

/** Progress of the re-evaluation (not a user's edit: no version bump). */
export async function setReevaluation(db: Q, setId: string, setVersion: number, json: string): Promise<void> {
  await db.updateTable('criteria_set_version').set({ reevaluation_json: json }).where('set_id', '=', setId).where('set_version', '=', setVersion).execute();
}

export async function deleteSetVersion(db: Q, setId: string, setVersion: number): Promise<void> {
  await db.deleteFrom('criteria_set_version').where('set_id', '=', setId).where('set_version', '=', setVersion).execute();
}

/** The reviews of a set id with their cached evaluation (if any), by date. */
export async function reviewsOfSet(db: Q, setId: string): Promise<Array<{ review: ReviewRow; cached: ReviewEvaluationRow | null }>> {
  const rows = await db
    .selectFrom('review')
    .leftJoin('review_evaluation', 'review_evaluation.review_id', 'review.id')
    .selectAll('review')
    .select([
      'review_evaluation.review_id as e_review_id',
      'review_evaluation.review_version as e_review_version',
      'review_evaluation.catalog_hash as e_catalog_hash',
      'review_evaluation.criteria_met as e_criteria_met',
      'review_evaluation.criteria_total as e_criteria_total',
      'review_evaluation.indicators_met as e_indicators_met',
      'review_evaluation.indicators_total as e_indicators_total',
      'review_evaluation.not_evaluable as e_not_evaluable',
      'review_evaluation.not_applicable as e_not_applicable',
      'review_evaluation.level as e_level',
      'review_evaluation.meets_standard as e_meets_standard',
      'review_evaluation.criteria_status as e_criteria_status',
      'review_evaluation.inputs_json as e_inputs_json',
      'review_evaluation.computed_at as e_computed_at',
    ])
    .where('review.set_id', '=', setId)
    .orderBy('review.reviewed_on')
    .orderBy('review.id')
    .execute();
  return rows.map((r) => {
    const review: ReviewRow = {
      id: r.id, unit_id: r.unit_id, set_id: r.set_id, reviewed_on: r.reviewed_on, status: r.status, title: r.title, note: r.note, version: r.version, is_demo: r.is_demo,
      created_by: r.created_by, created_at: r.created_at, updated_at: r.updated_at, submitted_by: r.submitted_by, submitted_at: r.submitted_at,
    };
    const cached: ReviewEvaluationRow | null =
      r.e_review_id === null
        ? null
        : {
            review_id: r.e_review_id, review_version: r.e_review_version!, catalog_hash: r.e_catalog_hash!, criteria_met: r.e_criteria_met!, criteria_total: r.e_criteria_total!,
            indicators_met: r.e_indicators_met!, indicators_total: r.e_indicators_total!, not_evaluable: r.e_not_evaluable!, not_applicable: r.e_not_applicable!, level: r.e_level,
            meets_standard: r.e_meets_standard!, criteria_status: r.e_criteria_status!, inputs_json: r.e_inputs_json!, computed_at: r.e_computed_at!,
          };
    return { review, cached };
  });
}

/** Replace the cached evaluations of these reviews (call inside a transaction). */
export async function replaceEvaluations(db: Q, rows: readonly ReviewEvaluationRow[]): Promise<void> {
  // 14 columns a row: 500 rows stay well under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.deleteFrom('review_evaluation').where('review_id', 'in', chunk.map((r) => r.review_id)).execute();
    await db.insertInto('review_evaluation').values(chunk).execute();
  }
}
