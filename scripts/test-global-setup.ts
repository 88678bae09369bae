/**
 * Vitest global setup: reach PostgreSQL (127.0.0.1:5432, user postgres by default, or
 * DATCHUAN_TEST_PG_URL), create this run's template database with all migrations, and drop every
 * database of this run at the end. In CI PostgreSQL is required.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';

const adminUrl = process.env.DATCHUAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATCHUAN_TEST_SQLITE_ONLY === '1' || !(await reachable())) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${adminUrl} is not reachable`);
    console.warn('⚠ PostgreSQL not reachable: persistence tests run on SQLite only');
    project.provide('pgAdminUrl', null);
    project.provide('pgTemplate', null);
    return async () => {};
  }
  const prefix = `dctest_${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = `${prefix}_tpl`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  const db = openDatabase(u.toString());
  await migrateToLatest(db);
  await db.close();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
  };
}
