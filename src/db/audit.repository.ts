/**
 * Audit trail: one row per change — who, when, from where (source, IP), what (action, entity,
 * unit), before and after. Append-only (database triggers refuse UPDATE and DELETE), and chained:
 * each row stores the previous row's hash and its own, SHA-256 over a canonical serialisation,
 * so a changed, removed or inserted row breaks the chain (`datchuan audit verify`).
 *
 * Writers lock the chain head (one `app_meta` row) for the rest of their transaction, so rows are
 * chained in commit order on PostgreSQL too. Retention deletes the oldest rows and records an
 * anchor (the first kept row's seq and prev hash) so the rest stays verifiable.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditEventRow, Database } from './schema.ts';
import { bumpRevision, getMeta } from './meta.repository.ts';

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
export const PURGE_FLAG_KEY = 'audit_purge_in_progress';

type Hashable = Pick<AuditEventRow, 'at' | 'actor' | 'source' | 'ip' | 'action' | 'entity' | 'entity_id' | 'unit_id' | 'before_json' | 'after_json'>;

/** Canonical serialisation v1 (frozen: the migration that chained old rows has its own copy). */
export function auditHash(r: Hashable, seq: number, prevHash: string): string {
  const canonical = JSON.stringify([1, seq, r.at, r.actor, r.source, r.ip ?? null, r.action, r.entity, r.entity_id, r.unit_id ?? null, r.before_json ?? null, r.after_json ?? null, prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

interface ChainHead {
  seq: number;
  hash: string;
}

function inTransaction<T>(db: Q, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Lock and read the chain head (a no-op UPDATE takes the row lock on PostgreSQL). */
async function lockHead(db: Q): Promise<ChainHead> {
  const row = await db.updateTable('app_meta').set((eb) => ({ value: eb.ref('value') })).where('key', '=', CHAIN_HEAD_KEY).returning('value').executeTakeFirst();
  if (row) return JSON.parse(row.value) as ChainHead;
  await db.insertInto('app_meta').values({ key: CHAIN_HEAD_KEY, value: JSON.stringify({ seq: 0, hash: '' }) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return lockHead(db);
}

async function append(db: Q, actor: AuditActor, entry: AuditEntry, at: string): Promise<void> {
  const head = await lockHead(db);
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
  const hash = auditHash(row, seq, head.hash);
  await db
    .insertInto('audit_event')
    .values({ ...row, seq, prev_hash: head.hash, hash })
    .execute();
  await db.updateTable('app_meta').set({ value: JSON.stringify({ seq, hash }) }).where('key', '=', CHAIN_HEAD_KEY).execute();
}

/** Record a change to data, and bump the data revision so cached reads see it. */
export async function recordAudit(db: Q, actor: AuditActor, entry: AuditEntry, at: string = new Date().toISOString()): Promise<void> {
  await inTransaction(db, async (trx) => {
    await bumpRevision(trx);
    await append(trx, actor, entry, at);
  });
}

/**
 * Record a security event (sign-in, account or token change, job run): same trail and chain, but
 * cached data reads stay valid (nothing they show has changed).
 */
export async function recordSecurityAudit(db: Q, actor: AuditActor, entry: AuditEntry, at: string = new Date().toISOString()): Promise<void> {
  await inTransaction(db, (trx) => append(trx, actor, entry, at));
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
 * Delete the oldest rows, strictly before `cutoff`, as one chain prefix. Runs in the caller's
 * transaction with the purge flag set (the delete trigger checks it) and cleared again.
 * Returns the anchor, or null when nothing was old enough.
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
  await db.insertInto('app_meta').values({ key: PURGE_FLAG_KEY, value: at }).onConflict((oc) => oc.column('key').doUpdateSet({ value: at })).execute();
  const r = await db.deleteFrom('audit_event').where('seq', '<=', throughSeq).executeTakeFirst();
  await db.deleteFrom('app_meta').where('key', '=', PURGE_FLAG_KEY).execute();
  const anchor: ChainAnchor = { seq: throughSeq + 1, prevHash: through.hash!, purgedAt: at, purgedThroughAt: through.at };
  await db
    .insertInto('app_meta')
    .values({ key: CHAIN_ANCHOR_KEY, value: JSON.stringify(anchor) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(anchor) }))
    .execute();
  return { deleted: Number(r.numDeletedRows), anchor };
}
