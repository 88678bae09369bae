/**
 * Failed sign-ins per throttle key (a client address, an account at an address, an account's second
 * factor), in the database so that every application server counts the same failures: an attacker
 * spreading guesses over several servers waits as long as on one. Times in milliseconds since the
 * epoch; rows older than the longest window are pruned as keys are counted (and by the jobs).
 */
import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('sign_in_failure'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failure_key_failed_at_idx').on('sign_in_failure').columns(['key', 'failed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_failure').execute();
}
