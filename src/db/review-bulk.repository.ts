/**
 * New reviews: multi-row inserts of reviews, their first values and their cached evaluations, in
 * the caller's transaction — one review from the form, thousands from a spreadsheet import
 * (`createReviewsIn` validates with the domain, evaluates and audits each review around these). About a hundred rows per statement: measured fastest on SQLite (the statement is prepared
 * each time, and its cost grows faster than linearly with its length), and few round trips on
 * PostgreSQL.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, ReviewEvaluationRow, ReviewRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

const ROWS_PER_STATEMENT = 100;

export interface BulkReview {
  unitId: string;
  setId: string;
  reviewedOn: string;
  status: 'draft' | 'submitted';
  title: string | null;
  note: string | null;
  isDemo: boolean;
  createdBy: string;
  at: string;
}

/** Insert reviews; returns the rows in input order. A submitted review is stored at version 2, as if created then submitted. */
export async function insertReviews(db: Q, items: readonly BulkReview[]): Promise<ReviewRow[]> {
  const out: ReviewRow[] = [];
  const size = ROWS_PER_STATEMENT;
  for (let i = 0; i < items.length; i += size) {
    const part = items.slice(i, i + size);
    const rows = await db
      .insertInto('review')
      .values(
        part.map((r) => ({
          unit_id: r.unitId,
          set_id: r.setId,
          reviewed_on: r.reviewedOn,
          status: r.status,
          title: r.title,
          note: r.note,
          version: r.status === 'submitted' ? 2 : 1,
          is_demo: r.isDemo ? 1 : 0,
          created_by: r.createdBy,
          created_at: r.at,
          updated_at: r.at,
          submitted_by: r.status === 'submitted' ? r.createdBy : null,
          submitted_at: r.status === 'submitted' ? r.at : null,
        })),
      )
      .returningAll()
      .execute();
    // Both databases return inserted rows in insertion order; ids are increasing.
    out.push(...rows.sort((a, b) => a.id - b.id));
  }
  return out;
}

export interface BulkValue {
  reviewId: number;
  code: string;
  valueJson: string;
  note: string | null;
  evidenceJson: string | null;
  enteredBy: string;
  source: string;
  at: string;
}

/** First values (seq 1) of new reviews. */
export async function insertFirstValues(db: Q, values: readonly BulkValue[]): Promise<void> {
  const size = ROWS_PER_STATEMENT;
  for (let i = 0; i < values.length; i += size) {
    await db
      .insertInto('indicator_value')
      .values(
        values.slice(i, i + size).map((v) => ({
          review_id: v.reviewId,
          indicator_code: v.code,
          seq: 1,
          value_json: v.valueJson,
          note: v.note,
          evidence_json: v.evidenceJson,
          entered_by: v.enteredBy,
          entered_at: v.at,
          source: v.source,
          restored_from_seq: null,
        })),
      )
      .execute();
  }
}

/** Cached evaluations of new reviews. */
export async function insertEvaluations(db: Q, rows: readonly ReviewEvaluationRow[]): Promise<void> {
  // 14 columns a row: 500 rows stay well under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('review_evaluation').values(rows.slice(i, i + 500)).execute();
}
