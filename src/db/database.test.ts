import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateAllDown, migrateToLatest } from './database.ts';
import { createTestDatabase, testDialects } from '../test-support/dialects.ts';

describe('migrations', () => {
  for (const dialect of testDialects()) {
    it(`run up, down, up on ${dialect}`, async () => {
      const { db, drop } = await createTestDatabase(dialect, { migrated: false });
      try {
        const up = await migrateToLatest(db);
        expect(up.results?.every((r) => r.status === 'Success')).toBe(true);
        await db.kysely.insertInto('app_meta').values({ key: 'k', value: 'v' }).execute();
        await migrateAllDown(db);
        await expect(sql`select count(*) from app_meta`.execute(db.kysely)).rejects.toThrow();
        await migrateToLatest(db);
        const rows = await db.kysely.selectFrom('app_meta').selectAll().execute();
        expect(rows).toEqual([]);
      } finally {
        await drop();
      }
    });
  }
});
