/**
 * Where a task came from when the commune it concerned was merged (1/7/2025) and its successor
 * took the open task over: the original commune, kept for the record and shown beside the task.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task').addColumn('origin_unit_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task').dropColumn('origin_unit_id').execute();
}
