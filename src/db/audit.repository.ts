/** Audit trail: one row per change, who/when/where/before/after. Append-only. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Actor } from '../services/actor.ts';
import { bumpRevision } from './meta.repository.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | number;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Record a change, and bump the data revision so cached reads see it (every write is audited). */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await bumpRevision(db);
  await db
    .insertInto('audit_event')
    .values({
      at: new Date().toISOString(),
      actor: actor.id,
      source: actor.source,
      ip: actor.ip ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      unit_id: entry.unitId ?? null,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  unitId?: string;
  limit?: number;
}

export async function listAudit(db: Kysely<Database>, q: AuditQuery) {
  let query = db.selectFrom('audit_event').selectAll().orderBy('id', 'desc').limit(q.limit ?? 100);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.unitId) query = query.where('unit_id', '=', q.unitId);
  return query.execute();
}
