/** Server-side sessions: one row per signed-in browser, keyed by the SHA-256 of its cookie value. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserSessionRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertSession(db: Q, row: UserSessionRow): Promise<void> {
  await db.insertInto('user_session').values(row).execute();
}

export async function findSession(db: Q, id: string): Promise<UserSessionRow | undefined> {
  return db.selectFrom('user_session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSession(db: Q, id: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Q, userId: number): Promise<number> {
  const r = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function touchSession(db: Q, id: string, at: string): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function markReauthenticated(db: Q, id: string, at: string): Promise<void> {
  await db.updateTable('user_session').set({ reauthenticated_at: at }).where('id', '=', id).execute();
}

export async function updateSessionStage(db: Q, id: string, stage: UserSessionRow['stage']): Promise<void> {
  await db.updateTable('user_session').set({ stage }).where('id', '=', id).execute();
}

export async function listSessionsOfUser(db: Q, userId: number): Promise<UserSessionRow[]> {
  return db.selectFrom('user_session').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/**
 * Delete sessions past their absolute expiry, or idle longer than their own idle limit. The idle
 * test is done in JavaScript (timestamps are ISO text on both databases).
 */
export async function deleteExpiredSessions(db: Q, now: Date): Promise<number> {
  const iso = now.toISOString();
  const rows = await db.selectFrom('user_session').select(['id', 'last_seen_at', 'idle_seconds', 'expires_at']).execute();
  const dead = rows.filter((r) => r.expires_at <= iso || Date.parse(r.last_seen_at) + r.idle_seconds * 1000 <= now.getTime()).map((r) => r.id);
  for (let i = 0; i < dead.length; i += 500) await db.deleteFrom('user_session').where('id', 'in', dead.slice(i, i + 500)).execute();
  return dead.length;
}
