/** The reminder log (what the daily job recorded or sent) and where to send a reminder. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, ReminderLogRow, ReminderLogTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Insert unless the dedupe key is already there; true when inserted. */
export async function insertReminderOnce(db: Q, row: Insertable<ReminderLogTable>): Promise<boolean> {
  const r = await db
    .insertInto('reminder_log')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function setReminderStatus(db: Q, dedupeKey: string, status: string, detail: string | null): Promise<void> {
  await db.updateTable('reminder_log').set({ status, detail }).where('dedupe_key', '=', dedupeKey).execute();
}

export async function listReminders(db: Q, q: { runOn?: string; recipient?: string; limit?: number }): Promise<ReminderLogRow[]> {
  let query = db.selectFrom('reminder_log').selectAll().orderBy('id', 'desc').limit(q.limit ?? 500);
  if (q.runOn) query = query.where('run_on', '=', q.runOn);
  if (q.recipient) query = query.where('recipient', '=', q.recipient);
  return query.execute();
}

/** E-mail addresses of accounts by user name (active accounts only). */
export async function emailsOfUsers(db: Q, usernames: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (usernames.length === 0) return out;
  const rows = await db
    .selectFrom('app_user')
    .select(['username', 'email'])
    .where('username', 'in', [...new Set(usernames)])
    .where('status', '=', 'active')
    .execute();
  for (const r of rows) if (r.email) out.set(r.username, r.email);
  return out;
}
