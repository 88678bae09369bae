/**
 * Failed sign-ins per throttle key, shared by every application server on the database
 * (the `FailureCounter`s of src/platform/auth-cache.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Where throttle failures are counted: the database (shared by servers) or, in unit tests, memory. */
export interface FailureStore {
  recent(key: string, since: number, limit: number): Promise<number[]>;
  add(key: string, at: number, pruneBefore: number): Promise<void>;
  clear(key: string): Promise<void>;
  clearPrefix(prefix: string): Promise<void>;
}

/** The latest `limit` failure times of `key` since `since` (ms), oldest first. */
export async function recentFailures(db: Kysely<Database>, key: string, since: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('sign_in_failure')
    .select('failed_at')
    .where('key', '=', key)
    .where('failed_at', '>', since)
    .orderBy('failed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.failed_at)).reverse();
}

/** Count one failure of `key` at `at`, forgetting its failures from before `pruneBefore`. */
export async function recordFailure(db: Kysely<Database>, key: string, at: number, pruneBefore: number): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('key', '=', key).where('failed_at', '<=', pruneBefore).execute();
  await db.insertInto('sign_in_failure').values({ key, failed_at: at }).execute();
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('key', '=', key).execute();
}

/** Forget every key starting with `prefix` (an account's keys at every address). */
export async function clearFailuresWithPrefix(db: Kysely<Database>, prefix: string): Promise<void> {
  await db
    .deleteFrom('sign_in_failure')
    .where((eb) => eb(eb.fn<string>('substr', ['key', eb.val(1), eb.val(prefix.length)]), '=', prefix))
    .execute();
}

/** Drop failures older than `before` (ms) of every key: run by the periodic jobs. */
export async function purgeFailures(db: Kysely<Database>, before: number): Promise<number> {
  const r = await db.deleteFrom('sign_in_failure').where('failed_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The store of a database. */
export function databaseFailureStore(db: Kysely<Database>): FailureStore {
  return {
    recent: (key, since, limit) => recentFailures(db, key, since, limit),
    add: (key, at, pruneBefore) => recordFailure(db, key, at, pruneBefore),
    clear: (key) => clearFailures(db, key),
    clearPrefix: (prefix) => clearFailuresWithPrefix(db, prefix),
  };
}
