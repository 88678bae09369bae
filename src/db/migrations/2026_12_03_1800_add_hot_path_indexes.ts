/**
 * Indexes the hot paths' query plans need (issue 16, checked by src/db/query-plans.test.ts on both
 * databases): the national trend reads the submitted reviews up to a date across the country
 * (`submittedReviewDates`, and before 16 the units with a submitted review), which without this index read the whole
 * `review` table. With `unit_id` last it is a covering index for both.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('review_status_reviewed_on_unit_id_idx').on('review').columns(['status', 'reviewed_on', 'unit_id']).execute();
  await db.schema.createIndex('review_unit_id_status_reviewed_on_id_idx').on('review').columns(['unit_id', 'status', 'reviewed_on', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('review_unit_id_status_reviewed_on_id_idx').execute();
  await db.schema.dropIndex('review_status_reviewed_on_unit_id_idx').execute();
}
