/**
 * Hash chain over the audit trail, and the audit table made append-only in the database itself.
 *
 * Each row gets `seq` (its place in the chain), `prev_hash` and `hash` = SHA-256 of a canonical
 * serialisation (v1, below) of its fields and `prev_hash`. Existing rows are chained in id order.
 * The chain head (`audit_chain_head`: last seq and hash) lives in `app_meta`; writers lock it.
 *
 * Triggers refuse UPDATE and DELETE on `audit_event` (and TRUNCATE on PostgreSQL). The only
 * deletion allowed is the retention job's, which marks itself with the `audit_purge_in_progress`
 * key in `app_meta` inside its own transaction.
 *
 * Frozen in time: the v1 serialisation is copied here, not imported.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.ts';

function hashV1(r: Record<string, unknown>, seq: number, prevHash: string): string {
  const canonical = JSON.stringify([
    1,
    seq,
    r.at,
    r.actor,
    r.source,
    r.ip ?? null,
    r.action,
    r.entity,
    r.entity_id,
    r.unit_id ?? null,
    r.before_json ?? null,
    r.after_json ?? null,
    prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_event').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('audit_event').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_event').addColumn('hash', 'text').execute();

  let seq = 0;
  let prev = '';
  let lastId = 0;
  for (;;) {
    const rows = (await db.selectFrom('audit_event').selectAll().where('id', '>', lastId).orderBy('id').limit(1000).execute()) as Array<Record<string, unknown>>;
    if (rows.length === 0) break;
    for (const r of rows) {
      seq += 1;
      const hash = hashV1(r, seq, prev);
      await db.updateTable('audit_event').set({ seq, prev_hash: prev, hash }).where('id', '=', r.id as number).execute();
      prev = hash;
      lastId = r.id as number;
    }
  }
  // An empty trail gets its head with the first row (see audit.repository.ts).
  if (seq > 0) await db.insertInto('app_meta').values({ key: 'audit_chain_head', value: JSON.stringify({ seq, hash: prev }) }).execute();
  await db.schema.createIndex('audit_event_seq_key').on('audit_event').column('seq').unique().execute();
  await db.schema.createIndex('audit_event_at_idx').on('audit_event').column('at').execute();
  await db.schema.createIndex('audit_event_actor_idx').on('audit_event').column('actor').execute();

  if (isPostgres(db)) {
    await sql`
      CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM app_meta WHERE key = 'audit_purge_in_progress') THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only (%)', TG_OP;
      END
      $$`.execute(db);
    await sql`CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_guard()`.execute(db);
    await sql`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (UPDATE)'); END`.execute(db);
    await sql`
      CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
      WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'audit_purge_in_progress')
      BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE)'); END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event`.execute(db);
    await sql`DROP TRIGGER IF EXISTS audit_event_guard ON audit_event`.execute(db);
    await sql`DROP FUNCTION IF EXISTS audit_event_guard()`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS audit_event_no_update`.execute(db);
    await sql`DROP TRIGGER IF EXISTS audit_event_no_delete`.execute(db);
  }
  await db.schema.dropIndex('audit_event_actor_idx').ifExists().execute();
  await db.schema.dropIndex('audit_event_at_idx').ifExists().execute();
  await db.schema.dropIndex('audit_event_seq_key').ifExists().execute();
  await db.deleteFrom('app_meta').where('key', 'in', ['audit_chain_head', 'audit_chain_anchor']).execute();
  await db.schema.alterTable('audit_event').dropColumn('hash').execute();
  await db.schema.alterTable('audit_event').dropColumn('prev_hash').execute();
  await db.schema.alterTable('audit_event').dropColumn('seq').execute();
}
