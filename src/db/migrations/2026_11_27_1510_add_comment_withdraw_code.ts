/**
 * A commenter withdraws consent with the code shown once when the comment was sent (Law 91/2025
 * Art. 4, 10): only its SHA-256 is kept.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('public_comment').addColumn('withdraw_hash', 'text').execute();
  await db.schema.createIndex('public_comment_withdraw_hash_idx').on('public_comment').column('withdraw_hash').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('public_comment_withdraw_hash_idx').execute();
  await db.schema.alterTable('public_comment').dropColumn('withdraw_hash').execute();
}
