/**
 * Nhật ký thay đổi — reading the audit trail (filters: unit and the units under it, user, entity,
 * action, dates), verifying its hash chain, and the retention purge. There is no use case that
 * edits or deletes audit rows: the viewer is read-only, retention runs only as the scheduled job
 * (or `datchuan audit purge-expired`), and the database refuses anything else (triggers).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AuditEventRow, Database } from '../db/schema.ts';
import * as audit from '../db/audit.repository.ts';
import { subtreeIds } from '../db/scope.repository.ts';
import { DomainError } from '../domain/errors.ts';
import { authorize } from './access.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';

export interface AuditRecord {
  id: number;
  seq: number | null;
  at: string;
  actor: string;
  source: string;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string;
  unitId: string | null;
  before: unknown;
  after: unknown;
  hash: string | null;
}

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

export function toAuditRecord(r: AuditEventRow): AuditRecord {
  return {
    id: r.id,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    source: r.source,
    ip: r.ip,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    unitId: r.unit_id,
    before: parse(r.before_json),
    after: parse(r.after_json),
    hash: r.hash,
  };
}

export interface AuditFilter {
  unitId?: string;
  actor?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  /** YYYY-MM-DD (Vietnam days), inclusive. */
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit?: number;
}

function dayStartUtc(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+07:00`)).toISOString();
}

/**
 * Audit rows, newest first. With a unit: that unit and the units under it (needs `audit.read` on
 * it). Without: every row, which needs `audit.read` everywhere (a reviewer granted nationally).
 */
export async function listAuditTrail(db: Db, actor: Actor, f: AuditFilter): Promise<{ items: AuditRecord[]; nextBeforeSeq: number | null }> {
  await authorize(db, actor, 'audit.read', f.unitId ?? 'everywhere');
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
  const rows = await audit.listAudit(db.kysely, {
    unitIds: f.unitId ? await subtreeIds(db.kysely, f.unitId) : undefined,
    actor: f.actor,
    entity: f.entity,
    entityId: f.entityId,
    action: f.action,
    from: f.from ? dayStartUtc(f.from) : undefined,
    to: f.to ? new Date(Date.parse(dayStartUtc(f.to)) + 86400_000).toISOString() : undefined,
    beforeSeq: f.beforeSeq,
    limit,
  });
  return { items: rows.map(toAuditRecord), nextBeforeSeq: rows.length === limit ? (rows[rows.length - 1]!.seq ?? null) : null };
}

export interface ChainProblem {
  id: number | null;
  seq: number | null;
  problem: string;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  anchor: audit.ChainAnchor | null;
  problems: ChainProblem[];
}

/** Walk the chain from its anchor (or the start) to the head and report every break. */
export async function verifyAuditChain(db: Db | Kysely<Database>): Promise<ChainReport> {
  const q = 'kysely' in db ? db.kysely : db;
  const problems: ChainProblem[] = [];
  const anchor = await audit.getChainAnchor(q);
  const head = await audit.getChainHead(q);
  for (const id of await audit.auditRowsWithoutSeq(q)) problems.push({ id, seq: null, problem: 'row outside the chain (no seq)' });

  const purge = await audit.lastPurgeEvent(q);
  const purgeAnchor = purge ? ((parse(purge.after_json) as { anchor?: audit.ChainAnchor } | null)?.anchor ?? null) : null;
  if (anchor && (!purgeAnchor || purgeAnchor.seq !== anchor.seq || purgeAnchor.prevHash !== anchor.prevHash)) {
    problems.push({ id: purge?.id ?? null, seq: anchor.seq, problem: 'the retention anchor does not match the last audit.purge event' });
  }
  if (!anchor && purgeAnchor) problems.push({ id: purge!.id, seq: purge!.seq, problem: 'an audit.purge event exists but the anchor is missing' });

  let expectedSeq = anchor ? anchor.seq : 1;
  let expectedPrev = anchor ? anchor.prevHash : '';
  let checked = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastHash = expectedPrev;
  // From the very start: rows before the anchor should not exist any more.
  let after = 0;
  for (;;) {
    const rows = await audit.auditBatch(q, after, 2000);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = r.seq!;
      after = seq;
      checked++;
      firstSeq ??= seq;
      if (seq < expectedSeq) {
        problems.push({ id: r.id, seq, problem: 'row before the retention anchor' });
        continue;
      }
      if (seq !== expectedSeq) {
        problems.push({ id: r.id, seq, problem: `rows missing before this one (expected seq ${expectedSeq})` });
      }
      if (r.prev_hash !== expectedPrev) problems.push({ id: r.id, seq, problem: 'prev_hash does not match the previous row (a row was removed, inserted or changed)' });
      if (audit.auditHash(r, seq, r.prev_hash ?? '') !== r.hash) problems.push({ id: r.id, seq, problem: 'content does not match its hash (the row was changed)' });
      expectedSeq = seq + 1;
      expectedPrev = r.hash ?? '';
      lastSeq = seq;
      lastHash = r.hash ?? '';
    }
  }
  if (head.seq !== (lastSeq ?? (anchor ? anchor.seq - 1 : 0)) || head.hash !== lastHash) {
    problems.push({ id: null, seq: head.seq, problem: `the chain head (seq ${head.seq}) does not match the last row (seq ${lastSeq ?? 'none'}): rows at the end are missing or changed` });
  }
  return { ok: problems.length === 0, checked, firstSeq, lastSeq, anchor, problems };
}

/** The same date `months` calendar months earlier (clamped to the month's last day). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * Retention: delete audit rows older than `months` as one chain prefix, keep an anchor, and
 * record the purge (with the anchor) in the trail itself. Runs as the scheduled job.
 */
export async function purgeExpiredAudit(db: Db, now: Date, months: number, actor: Actor = SYSTEM_ACTOR): Promise<{ deleted: number; cutoff: string }> {
  if (!Number.isInteger(months) || months < 1) {
    throw new DomainError('validation_failed', { vi: 'Thời hạn lưu nhật ký phải là số tháng nguyên dương.', en: 'The audit retention must be a positive number of months.' });
  }
  const cutoff = monthsBefore(now, months).toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const r = await audit.purgeAuditBefore(trx, cutoff, now.toISOString());
    if (!r) return { deleted: 0, cutoff };
    await audit.recordSecurityAudit(
      trx,
      actor,
      { action: 'audit.purge', entity: 'audit_event', entityId: `..${r.anchor.seq - 1}`, after: { deleted: r.deleted, cutoff, retentionMonths: months, anchor: r.anchor } },
      now.toISOString(),
    );
    return { deleted: r.deleted, cutoff };
  });
}
