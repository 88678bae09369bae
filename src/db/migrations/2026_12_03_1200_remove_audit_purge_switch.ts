/**
 * The audit table's delete trigger no longer has a switch in the data: until now a row
 * `audit_purge_in_progress` in `app_meta` let DELETE through, and one INSERT could add it. Now
 * UPDATE, DELETE (and TRUNCATE on PostgreSQL) are always refused; the retention job removes the
 * trigger and restores it inside its own transaction (audit.repository.ts), which needs the rights
 * to change the schema. The chain's key and anchors need no schema change (the head row in
 * `app_meta` records where keying started).
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (%)', TG_OP;
      END
      $$`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_delete`.execute(db);
    await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE)'); END`.execute(db);
  }
  await db.deleteFrom('app_meta').where('key', '=', 'audit_purge_in_progress').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM app_meta WHERE key = 'audit_purge_in_progress') THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only (%)', TG_OP;
      END
      $$`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_delete`.execute(db);
    await sql`
      CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
      WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'audit_purge_in_progress')
      BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE)'); END`.execute(db);
  }
}
