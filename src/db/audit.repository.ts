/**
 * Audit trail: one row per change — who, when, from where (source, IP), what (action, entity,
 * unit), before and after. Append-only (database triggers refuse UPDATE and DELETE, with no switch
 * in the data), and chained: each row stores the previous row's hash and its own over a canonical
 * serialisation, so a changed, removed or inserted row breaks the chain (`datchuan audit verify`).
 *
 * The chain is keyed: rows are hashed with HMAC-SHA-256 under DATCHUAN_AUDIT_KEY (kept outside the
 * database), so someone who can rewrite the table cannot recompute the hashes. Rows written before
 * a key was configured keep their plain SHA-256 (v1); the chain head records the first keyed seq
 * (`keyedFrom`) and the key id, and once keyed, unkeyed or differently keyed writes are refused.
 *
 * Writers lock the chain head (one `app_meta` row) for the rest of their transaction, so rows are
 * chained in commit order on PostgreSQL too. Retention deletes the oldest rows and records an
 * anchor (the first kept row's seq and prev hash) so the rest stays verifiable.
 */
import { createHash, createHmac } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { auditKeyOf, type AuditKeyPlugin } from './audit-key.ts';
import type { AuditEventRow, Database } from './schema.ts';
import { bumpRevision, bumpRevisionQuery, getMeta } from './meta.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Who made a change, as the trail records it (the services' Actor has these fields). */
export interface AuditActor {
  id: string;
  source: AuditEventRow['source'];
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
}

export const CHAIN_HEAD_KEY = 'audit_chain_head';
export const CHAIN_ANCHOR_KEY = 'audit_chain_anchor';

type Hashable = Pick<AuditEventRow, 'at' | 'actor' | 'source' | 'ip' | 'action' | 'entity' | 'entity_id' | 'unit_id' | 'before_json' | 'after_json'>;

function fieldsOf(r: Hashable): unknown[] {
  return [r.at, r.actor, r.source, r.ip ?? null, r.action, r.entity, r.entity_id, r.unit_id ?? null, r.before_json ?? null, r.after_json ?? null];
}

/** Canonical serialisation v1, plain SHA-256 (frozen: the migration that chained old rows has its own copy). */
export function auditHash(r: Hashable, seq: number, prevHash: string): string {
  const canonical = JSON.stringify([1, seq, ...fieldsOf(r), prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** v2: the same fields under HMAC-SHA-256 with the audit key. */
export function auditHmac(key: Buffer, r: Hashable, seq: number, prevHash: string): string {
  const canonical = JSON.stringify([2, seq, ...fieldsOf(r), prevHash]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

/** The chain head, kept in `app_meta`. */
export interface ChainHead {
  seq: number;
  hash: string;
  /** The first row hashed with the key (rows before it are v1); absent while the chain is unkeyed. */
  keyedFrom?: number;
  /** Which key (AuditKeyPlugin.keyId) the keyed rows were written with. */
  keyId?: string;
}

/** Why a keyed chain cannot be appended to with this handle's key (null = it can). */
export function keyMismatch(head: ChainHead, key: AuditKeyPlugin | null): string | null {
  if (!head.keyId) return null;
  if (!key) return `the audit chain is keyed (key id ${head.keyId}) but DATCHUAN_AUDIT_KEY is not configured`;
  if (key.keyId !== head.keyId) return `DATCHUAN_AUDIT_KEY (key id ${key.keyId}) is not the key the audit chain was written with (key id ${head.keyId})`;
  return null;
}

function inTransaction<T>(db: Q, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * The head each open transaction has locked and last written: a transaction that records several
 * rows (an import, a conclusion with its tasks) locks and reads the head once, and bumps the data
 * revision once. Keyed by the transaction object, so it goes away with it.
 */
const heldHeads = new WeakMap<object, { head: ChainHead; revisionBumped: boolean }>();

/** Lock and read the chain head (a no-op UPDATE takes the row lock on PostgreSQL; on SQLite the write transaction is already exclusive). */
async function lockHead(db: Q): Promise<ChainHead> {
  const row = await db.updateTable('app_meta').set((eb) => ({ value: eb.ref('value') })).where('key', '=', CHAIN_HEAD_KEY).returning('value').executeTakeFirst();
  if (row) return JSON.parse(row.value) as ChainHead;
  await db.insertInto('app_meta').values({ key: CHAIN_HEAD_KEY, value: JSON.stringify({ seq: 0, hash: '' }) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return lockHead(db);
}

/**
 * Append one row. Locks: the chain head first, then (data writes) the data revision — always in
 * this order, so concurrent writers never deadlock. On PostgreSQL the head is held from the first
 * statement to the commit, so everything after the lock goes in one statement: the row, the new
 * head and the revision bump (WITH … INSERT): three round trips under the lock with the commit.
 */
async function append(db: Q, actor: AuditActor, entry: AuditEntry, at: string, data: boolean): Promise<void> {
  const key = auditKeyOf(db);
  const held = heldHeads.get(db);
  const head = held ? held.head : await lockHead(db);
  const bump = data && !held?.revisionBumped;
  // Never extend a keyed chain without its key: the rows would not verify (and a downgrade is what an attacker wants).
  const refused = keyMismatch(head, key);
  if (refused) throw new Error(`${refused}: refusing to write to the audit trail`);
  const row: Hashable = {
    at,
    actor: actor.id,
    source: actor.source,
    ip: actor.ip ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: String(entry.entityId),
    unit_id: entry.unitId ?? null,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
  };
  const seq = head.seq + 1;
  const hash = key ? auditHmac(key.key, row, seq, head.hash) : auditHash(row, seq, head.hash);
  const next: ChainHead = key ? { seq, hash, keyedFrom: head.keyedFrom ?? seq, keyId: key.keyId } : { seq, hash };
  const insert = { ...row, seq, prev_hash: head.hash, hash };
  const moveHead = (q: Q) => q.updateTable('app_meta').set({ value: JSON.stringify(next) }).where('key', '=', CHAIN_HEAD_KEY);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const withHead = db.with('moved', () => moveHead(db));
    if (bump) await withHead.with('bumped', () => bumpRevisionQuery(db)).insertInto('audit_event').values(insert).execute();
    else await withHead.insertInto('audit_event').values(insert).execute();
  } else {
    // SQLite has no data-modifying WITH; it runs in-process, so more statements cost no round trip.
    await db.insertInto('audit_event').values(insert).execute();
    await moveHead(db).execute();
    if (bump) await bumpRevision(db);
  }
  if (db.isTransaction) heldHeads.set(db, { head: next, revisionBumped: (held?.revisionBumped ?? false) || data });
}

/** Record a change to data, and bump the data revision so cached reads see it. */
export async function recordAudit(db: Q, actor: AuditActor, entry: AuditEntry, at: string = new Date().toISOString()): Promise<void> {
  await inTransaction(db, (trx) => append(trx, actor, entry, at, true));
}

/**
 * Record a security event (sign-in, account or token change, job run): same trail and chain, but
 * cached data reads stay valid (nothing they show has changed).
 */
export async function recordSecurityAudit(db: Q, actor: AuditActor, entry: AuditEntry, at: string = new Date().toISOString()): Promise<void> {
  await inTransaction(db, (trx) => append(trx, actor, entry, at, false));
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  /** Rows of this one unit. */
  unitId?: string;
  /** Rows of these units (the caller expands a unit to its subtree). */
  unitIds?: readonly string[];
  actor?: string;
  action?: string;
  /** ISO timestamps, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  /** Rows with seq below this (paging backwards). */
  beforeSeq?: number;
  limit?: number;
}

export async function listAudit(db: Q, q: AuditQuery): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(q.limit ?? 100);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.unitId) query = query.where('unit_id', '=', q.unitId);
  if (q.unitIds) query = q.unitIds.length ? query.where('unit_id', 'in', q.unitIds) : query.where((eb) => eb.val(1), '=', 0);
  if (q.actor) query = query.where('actor', '=', q.actor);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return query.execute();
}

/** Rows in chain order, `batch` at a time from `afterSeq` (for verification). */
export async function auditBatch(db: Q, afterSeq: number, batch: number): Promise<AuditEventRow[]> {
  return db.selectFrom('audit_event').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(batch).execute();
}

export async function auditRowsWithoutSeq(db: Q): Promise<number[]> {
  const rows = await db.selectFrom('audit_event').select('id').where('seq', 'is', null).execute();
  return rows.map((r) => r.id);
}

export interface ChainAnchor {
  /** First seq kept after a purge. */
  seq: number;
  /** The hash of the last purged row, which the first kept row must name as its prev_hash. */
  prevHash: string;
  purgedAt: string;
  purgedThroughAt: string;
}

export async function getChainHead(db: Q): Promise<ChainHead> {
  const v = await getMeta(db, CHAIN_HEAD_KEY);
  return v ? (JSON.parse(v) as ChainHead) : { seq: 0, hash: '' };
}

export async function getChainAnchor(db: Q): Promise<ChainAnchor | null> {
  const v = await getMeta(db, CHAIN_ANCHOR_KEY);
  return v ? (JSON.parse(v) as ChainAnchor) : null;
}

/** The latest `audit.purge` event (its `after` holds the anchor it set). */
export async function lastPurgeEvent(db: Q): Promise<AuditEventRow | undefined> {
  return db.selectFrom('audit_event').selectAll().where('action', '=', 'audit.purge').orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/**
 * Delete rows with seq up to `throughSeq`: the delete trigger refuses every DELETE, and there is no
 * row or flag in the data that turns it off. Retention therefore takes the trigger away and puts it
 * back inside its own transaction (DDL is transactional on both databases; PostgreSQL's ALTER TABLE
 * locks the table, so no other transaction ever sees it unguarded). That needs the rights to change
 * the schema — which anyone able to bypass a trigger has anyway — not a row an INSERT could add.
 */
async function deleteChainPrefix(db: Kysely<Database>, throughSeq: number): Promise<number> {
  const del = () => db.deleteFrom('audit_event').where('seq', '<=', throughSeq).executeTakeFirst();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_guard`.execute(db);
    const r = await del();
    await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_guard`.execute(db);
    return Number(r.numDeletedRows);
  }
  const trigger = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'audit_event_no_delete'`.execute(db);
  const ddl = trigger.rows[0]?.sql;
  if (!ddl) throw new Error('the audit_event delete trigger is missing');
  await sql`DROP TRIGGER audit_event_no_delete`.execute(db);
  const r = await del();
  await sql.raw(ddl).execute(db);
  return Number(r.numDeletedRows);
}

/**
 * Delete the oldest rows, strictly before `cutoff`, as one chain prefix, in the caller's
 * transaction. Returns the anchor, or null when nothing was old enough.
 */
export async function purgeAuditBefore(db: Transaction<Database> | Kysely<Database>, cutoff: string, at: string): Promise<{ deleted: number; anchor: ChainAnchor } | null> {
  await lockHead(db);
  const firstKept = await db.selectFrom('audit_event').select(['seq', 'prev_hash']).where('at', '>=', cutoff).orderBy('seq').limit(1).executeTakeFirst();
  const lastOld = await db.selectFrom('audit_event').select(['seq', 'hash', 'at']).where('at', '<', cutoff).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!lastOld) return null;
  // Delete a prefix of the chain: everything up to the row before the first one to keep.
  const throughSeq = firstKept ? Math.min(lastOld.seq!, firstKept.seq! - 1) : lastOld.seq!;
  if (throughSeq < 1) return null;
  const through = await db.selectFrom('audit_event').select(['hash', 'at']).where('seq', '=', throughSeq).executeTakeFirstOrThrow();
  const deleted = await deleteChainPrefix(db, throughSeq);
  const anchor: ChainAnchor = { seq: throughSeq + 1, prevHash: through.hash!, purgedAt: at, purgedThroughAt: through.at };
  await db
    .insertInto('app_meta')
    .values({ key: CHAIN_ANCHOR_KEY, value: JSON.stringify(anchor) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(anchor) }))
    .execute();
  return { deleted, anchor };
}
