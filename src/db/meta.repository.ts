/** Small key/value facts about this database (e.g. whether it holds demo data). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

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
