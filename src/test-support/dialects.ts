/**
 * Runs the same test file on every database dialect: SQLite always, PostgreSQL when the test
 * run's global setup reached the server (always in CI, where it must). Each test file gets its own
 * freshly migrated database, copied from a per-run template on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrateToLatest, openDatabase, type Db, type Dialect } from '../db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    pgTemplate: string | null;
  }
}

export interface DialectContext {
  readonly dialect: Dialect;
  /** The database of this file's run on this dialect (ready inside tests and hooks). */
  readonly db: Db;
}

export function testDialects(): Dialect[] {
  return inject('pgAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The audit chain key of every test database (the command line's tests pass it as DATCHUAN_AUDIT_KEY). */
export const TEST_AUDIT_KEY = Buffer.alloc(32, 7);

/** A new, migrated database on `dialect`. Call `drop()` when done. */
export async function createTestDatabase(dialect: Dialect, opts: { migrated?: boolean } = {}): Promise<{ db: Db; drop(): Promise<void> }> {
  const migrated = opts.migrated ?? true;
  if (dialect === 'sqlite') {
    const db = openDatabase('sqlite::memory:', { auditKey: TEST_AUDIT_KEY });
    if (migrated) await migrateToLatest(db);
    return { db, drop: () => db.close() };
  }
  const admin = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  if (!admin || !template) throw new Error('PostgreSQL is not available for this test run');
  const name = `${template.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(migrated ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const db = openDatabase(withDatabase(admin, name), { auditKey: TEST_AUDIT_KEY });
  return {
    db,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * `describe` once per dialect, with a migrated database open for the whole block:
 *
 *     describeEachDialect('review service', (ctx) => {
 *       it('…', async () => { await createReview(ctx.db, …) });
 *     });
 */
export function describeEachDialect(name: string, body: (ctx: DialectContext) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let handle: { db: Db; drop(): Promise<void> } | null = null;
      const ctx = {
        dialect,
        get db(): Db {
          if (!handle) throw new Error('database not ready: use ctx.db inside tests or hooks');
          return handle.db;
        },
      };
      beforeAll(async () => {
        handle = await createTestDatabase(dialect);
      }, 60_000);
      afterAll(async () => {
        await handle?.drop();
      });
      body(ctx);
    });
  }
}
