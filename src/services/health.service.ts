import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';

export async function checkHealth(db: Db) {
  await sql`select 1`.execute(db.kysely);
  return { status: 'ok' as const, database: 'up', dialect: db.dialect, demo: await isDemoDatabase(db.kysely), version: '0.1.0' };
}
