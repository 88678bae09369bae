/**
 * Nhật ký thay đổi — reading the audit trail (filters: unit and the units under it, user, entity,
 * action, dates), verifying its hash chain, and the retention purge. There is no use case that
 * edits or deletes audit rows: the viewer is read-only, retention runs only as the scheduled job
 * (or `datchuan audit purge-expired`), and the database refuses anything else (triggers).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import { auditKeyOf, type AuditKeyPlugin } from '../db/audit-key.ts';
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
  /** Rows from this seq on are keyed (HMAC with DATCHUAN_AUDIT_KEY); null = the chain is not keyed yet. */
  keyedFrom: number | null;
  /** The published anchor checked (`datchuan audit anchor`), or null when none was given. */
  publishedAnchor: { seq: number; hash: string; at: string } | null;
  problems: ChainProblem[];
}

/**
 * A published anchor: the chain head at a moment, written outside the database (a file, syslog,
 * e-mail) by `datchuan audit anchor` and the scheduled jobs. `mac` (HMAC with the audit key) lets
 * `verify` tell a genuine anchor from an edited one. A database rewritten or cut back after the
 * anchor no longer matches it.
 */
export interface PublishedAnchor {
  v: 1;
  seq: number;
  hash: string;
  keyedFrom: number | null;
  keyId: string | null;
  at: string;
  mac: string | null;
}

function anchorMac(key: AuditKeyPlugin, a: Omit<PublishedAnchor, 'mac'>): string {
  return createHmac('sha256', key.key).update(JSON.stringify(['datchuan-audit-anchor', a.v, a.seq, a.hash, a.keyedFrom, a.keyId, a.at]), 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The current chain head as an anchor to publish (signed with the audit key when there is one). */
export async function currentAnchor(db: Db | Kysely<Database>, now: Date = new Date()): Promise<PublishedAnchor> {
  const q = 'kysely' in db ? db.kysely : db;
  const head = await audit.getChainHead(q);
  const key = auditKeyOf(q);
  const refused = audit.keyMismatch(head, key);
  if (refused) throw new Error(refused);
  const a: Omit<PublishedAnchor, 'mac'> = { v: 1, seq: head.seq, hash: head.hash, keyedFrom: head.keyedFrom ?? null, keyId: head.keyId ?? null, at: now.toISOString() };
  return { ...a, mac: key ? anchorMac(key, a) : null };
}

/** Append the current anchor to `file` (one JSON line each, the file is never rewritten). */
export async function publishAnchor(db: Db | Kysely<Database>, file: string, now: Date = new Date()): Promise<PublishedAnchor> {
  const a = await currentAnchor(db, now);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  appendFileSync(file, `${JSON.stringify(a)}\n`, { mode: 0o600 });
  return a;
}

/** The last anchor of an anchor file; null when the file does not exist or is empty. */
export function readLastAnchor(file: string): PublishedAnchor | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const last = lines[lines.length - 1];
  if (!last) return null;
  try {
    const a = JSON.parse(last) as PublishedAnchor;
    if (a.v === 1 && Number.isInteger(a.seq) && typeof a.hash === 'string') return a;
  } catch {
    /* reported below */
  }
  throw new DomainError('validation_failed', { vi: `Dòng cuối của tệp mốc "${file}" không phải là mốc hợp lệ.`, en: `The last line of the anchor file "${file}" is not a valid anchor.` });
}

/**
 * Walk the chain from its retention anchor (or the start) to the head and report every break:
 * plain SHA-256 before `keyedFrom`, HMAC with the handle's audit key from there on. With a
 * published anchor, also check that the chain still reaches it and passes through its hash.
 */
export async function verifyAuditChain(db: Db | Kysely<Database>, opts: { published?: PublishedAnchor | null; anchorFile?: string | null } = {}): Promise<ChainReport> {
  const q = 'kysely' in db ? db.kysely : db;
  const published = opts.published !== undefined ? opts.published : opts.anchorFile ? readLastAnchor(opts.anchorFile) : null;
  const problems: ChainProblem[] = [];
  const key = auditKeyOf(q);
  const anchor = await audit.getChainAnchor(q);
  const head = await audit.getChainHead(q);
  const keyedFrom = head.keyedFrom ?? null;
  const keyProblem = audit.keyMismatch(head, key);
  if (keyProblem) problems.push({ id: null, seq: keyedFrom, problem: `${keyProblem}: keyed rows cannot be checked` });
  for (const id of await audit.auditRowsWithoutSeq(q)) problems.push({ id, seq: null, problem: 'row outside the chain (no seq)' });

  const purge = await audit.lastPurgeEvent(q);
  const purgeAnchor = purge ? ((parse(purge.after_json) as { anchor?: audit.ChainAnchor } | null)?.anchor ?? null) : null;
  if (anchor && (!purgeAnchor || purgeAnchor.seq !== anchor.seq || purgeAnchor.prevHash !== anchor.prevHash)) {
    problems.push({ id: purge?.id ?? null, seq: anchor.seq, problem: 'the retention anchor does not match the last audit.purge event' });
  }
  if (!anchor && purgeAnchor) problems.push({ id: purge!.id, seq: purge!.seq, problem: 'an audit.purge event exists but the anchor is missing' });

  let publishedSeen = false;
  if (published) {
    if (published.mac !== null || published.keyId !== null) {
      if (!key) problems.push({ id: null, seq: published.seq, problem: 'the published anchor is signed but DATCHUAN_AUDIT_KEY is not configured' });
      else if (published.keyId !== key.keyId || !published.mac || !sameHex(published.mac, anchorMac(key, published))) {
        problems.push({ id: null, seq: published.seq, problem: 'the published anchor was not signed with this audit key (edited, or another key)' });
      }
    }
    if ((published.keyedFrom ?? null) !== keyedFrom) {
      problems.push({ id: null, seq: keyedFrom, problem: `the chain says keying started at seq ${keyedFrom ?? 'never'}, the published anchor says ${published.keyedFrom ?? 'never'}` });
    }
    if (head.seq < published.seq) {
      problems.push({ id: null, seq: head.seq, problem: `the chain ends at seq ${head.seq}, before the published anchor (seq ${published.seq}): rows were cut or the database was rolled back` });
    }
    // Purged by retention since it was published: nothing left to compare.
    if (anchor && published.seq < anchor.seq) publishedSeen = true;
    if (published.seq === 0) publishedSeen = true;
  }

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
      const keyed = keyedFrom !== null && seq >= keyedFrom;
      if (!keyed) {
        if (audit.auditHash(r, seq, r.prev_hash ?? '') !== r.hash) problems.push({ id: r.id, seq, problem: 'content does not match its hash (the row was changed)' });
      } else if (key && !keyProblem && audit.auditHmac(key.key, r, seq, r.prev_hash ?? '') !== r.hash) {
        problems.push({ id: r.id, seq, problem: 'content does not match its keyed hash (the row was changed or rehashed without the key)' });
      }
      if (published && seq === published.seq) {
        publishedSeen = true;
        if (r.hash !== published.hash) problems.push({ id: r.id, seq, problem: 'this row differs from the published anchor (the chain was rewritten after it was published)' });
      }
      expectedSeq = seq + 1;
      expectedPrev = r.hash ?? '';
      lastSeq = seq;
      lastHash = r.hash ?? '';
    }
  }
  if (head.seq !== (lastSeq ?? (anchor ? anchor.seq - 1 : 0)) || head.hash !== lastHash) {
    problems.push({ id: null, seq: head.seq, problem: `the chain head (seq ${head.seq}) does not match the last row (seq ${lastSeq ?? 'none'}): rows at the end are missing or changed` });
  }
  if (published && !publishedSeen && head.seq >= published.seq) {
    problems.push({ id: null, seq: published.seq, problem: 'the row of the published anchor is missing' });
  }
  return {
    ok: problems.length === 0,
    checked,
    firstSeq,
    lastSeq,
    anchor,
    keyedFrom,
    publishedAnchor: published ? { seq: published.seq, hash: published.hash, at: published.at } : null,
    problems,
  };
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
