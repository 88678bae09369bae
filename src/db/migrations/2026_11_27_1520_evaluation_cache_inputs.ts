/**
 * The evaluation cache keeps the engine's inputs (profile, recognised levels, values: ≈2 KB a
 * review) instead of the verdict tree (≈55 KB; a national import wrote 540 MB of them). The cached
 * rows are dropped — it is a cache, recomputed on the next read — and the column replaced.
 * SQLite adds a NOT NULL column only with a default; every insert writes the column.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('review_evaluation').execute();
  await db.schema.alterTable('review_evaluation').dropColumn('result_json').execute();
  await db.schema.alterTable('review_evaluation').addColumn('inputs_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('review_evaluation').execute();
  await db.schema.alterTable('review_evaluation').dropColumn('inputs_json').execute();
  await db.schema.alterTable('review_evaluation').addColumn('result_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}
