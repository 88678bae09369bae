/** Small key/value facts about this database (e.g. whether it holds demo data), and whether it answers. */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** One round trip to the database (the health check): throws when it does not answer. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

export async function getMeta(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('app_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function isDemoDatabase(db: Kysely<Database>): Promise<boolean> {
  return (await getMeta(db, 'demo_seeded_at')) !== null;
}

/** How many units and reviews the database holds (an empty one gets the demo data). */
export async function countUnitsAndReviews(db: Kysely<Database>): Promise<{ units: number; reviews: number }> {
  const u = await db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await db.selectFrom('review').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { units: Number(u.n), reviews: Number(r.n) };
}

const REVISION_KEY = 'data_revision';

/**
 * Bump the data revision: called with every audited write, inside its transaction, after the audit
 * chain head is locked (so writers take the two rows in one order). On PostgreSQL the row lock
 * orders concurrent writers, so a reader that sees revision N sees every write up to N. One upsert
 * (the row may not exist yet); `bumpRevisionQuery` is the same statement unexecuted, for a WITH.
 */
export function bumpRevisionQuery(db: Kysely<Database>) {
  return db
    .insertInto('app_meta')
    .values({ key: REVISION_KEY, value: '1' })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.cast(eb(eb.cast('app_meta.value', 'integer'), '+', 1), 'text') })));
}

export async function bumpRevision(db: Kysely<Database>): Promise<void> {
  await bumpRevisionQuery(db).execute();
}

/** The current data revision: cached reads are valid while it does not change. */
export async function getRevision(db: Kysely<Database>): Promise<string> {
  return (await getMeta(db, REVISION_KEY)) ?? '0';
}

/**
 * Claim the lease `name` for `holder` until `now + ttlMs` when it is free, expired or already this
 * holder's: a compare-and-set on one `app_meta` row (`lease:<name>` = "<until> <holder>"), so when
 * several servers share the database exactly one of them runs a periodic job. A holder that dies
 * keeps the lease until it expires; nothing else is needed to take over.
 */
export async function claimLease(db: Kysely<Database>, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const key = `lease:${name}`;
  const value = `${new Date(now.getTime() + ttlMs).toISOString()} ${holder}`;
  const inserted = await db.insertInto('app_meta').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
  const current = await getMeta(db, key);
  if (current === null) return false;
  const space = current.indexOf(' ');
  const until = Date.parse(current.slice(0, space));
  const owner = current.slice(space + 1);
  if (owner !== holder && until > now.getTime()) return false;
  const updated = await db.updateTable('app_meta').set({ value }).where('key', '=', key).where('value', '=', current).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
