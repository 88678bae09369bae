/**
 * When a session last proved its password (and second factor): set at a complete sign-in and by
 * `POST /auth/reauth`. Enrolling a second factor, new recovery codes, a new password and signing
 * out other sessions need it within the last few minutes (a stolen session alone is not enough).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_session').addColumn('reauthenticated_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_session').dropColumn('reauthenticated_at').execute();
}
