import type { Db } from '../db/database.ts';
import { isDemoDatabase, ping } from '../db/meta.repository.ts';

export async function checkHealth(db: Db) {
  await ping(db.kysely);
  return { status: 'ok' as const, database: 'up', dialect: db.dialect, demo: await isDemoDatabase(db.kysely), version: '0.1.0' };
}
