/**
 * Minh chứng đính kèm — files attached to a review (optionally to one indicator of it). The bytes
 * live in the data folder under their SHA-256 (`attachments/ab/abcd…`); the row says what they
 * are, who added them and when.
 */
import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('attachment'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('review.id'))
    .addColumn('indicator_code', 'text')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachment_review_id_idx').on('attachment').columns(['review_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachment').execute();
}
