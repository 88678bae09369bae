/**
 * Public consultation and the transparency portal: every SQL statement about public comments,
 * their consent records, the dossiers shown to the public and the published recognitions.
 * Rows are returned as rows; the services map them to what the public sees.
 */
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { ConsentRecordRow, Database, DossierRow, DossierTransitionRow, PublicCommentRow } from './schema.ts';
import type { Dialect } from './database.ts';
import { escapeLike } from './unit.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

// ── Server-side secrets kept in app_meta ───────────────────────────────────────────────────

/**
 * The value of `key`, created with `make()` the first time (the first writer wins on a race, so
 * every process reads the same value afterwards).
 */
export async function ensureMetaValue(db: Q, key: string, make: () => string): Promise<string> {
  const existing = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst();
  if (existing) return existing.value;
  await db.insertInto('app_meta').values({ key, value: make() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

// ── Dossiers as the public sees them ──────────────────────────────────────────────────────

export async function findDossier(db: Q, id: number): Promise<DossierRow | undefined> {
  return db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The latest move of a dossier into one of `states` (a consultation step it went through). */
export async function lastTransitionInto(db: Q, dossierId: number, states: readonly string[]): Promise<DossierTransitionRow | undefined> {
  if (states.length === 0) return undefined;
  return db
    .selectFrom('dossier_transition')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .where('to_state', 'in', states)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface OpenDossierRow {
  id: number;
  unit_id: string;
  unit_name: string;
  province_name: string | null;
  level: string;
  procedure: string;
  state: string;
  state_since: string;
  opened_on: string;
}

/** Dossiers not closed whose current state is one of `states`, with their commune and province names. */
export async function listDossiersInStates(db: Q, states: readonly string[]): Promise<OpenDossierRow[]> {
  if (states.length === 0) return [];
  return db
    .selectFrom('dossier as d')
    .innerJoin('unit as u', 'u.id', 'd.unit_id')
    .leftJoin('unit as p', 'p.id', 'u.province_id')
    .select(['d.id', 'd.unit_id', 'u.full_name as unit_name', 'p.full_name as province_name', 'd.level', 'd.procedure', 'd.state', 'd.state_since', 'd.opened_on'])
    .where('d.state', 'in', states)
    .where('d.closed_on', 'is', null)
    .orderBy('d.state_since', 'desc')
    .orderBy('d.id')
    .execute();
}

// ── Comments ──────────────────────────────────────────────────────────────────────────────

export interface NewComment {
  dossierId: number;
  stage: string;
  body: string;
  authorName: string | null;
  contact: string | null;
  clientHash: string;
  at: string;
  deleteAfter: string;
  withdrawHash: string | null;
}

export interface NewConsent {
  purpose: string;
  granted: boolean;
  noticeVersion: string;
  noticeText: string;
}

export async function insertComment(db: Q, c: NewComment): Promise<PublicCommentRow> {
  return db
    .insertInto('public_comment')
    .values({
      dossier_id: c.dossierId,
      stage: c.stage,
      body: c.body,
      author_name: c.authorName,
      contact: c.contact,
      status: 'pending',
      moderated_by: null,
      moderated_at: null,
      moderation_note: null,
      client_hash: c.clientHash,
      created_at: c.at,
      delete_after: c.deleteAfter,
      personal_data_erased_at: null,
      withdraw_hash: c.withdrawHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findCommentByWithdrawHash(db: Q, hash: string): Promise<PublicCommentRow | undefined> {
  return db.selectFrom('public_comment').selectAll().where('withdraw_hash', '=', hash).executeTakeFirst();
}

/** Withdraw every consent of a comment still in force and erase its name and contact. */
export async function withdrawConsents(db: Q, commentId: number, at: string): Promise<void> {
  await db.updateTable('consent_record').set({ withdrawn_at: at }).where('comment_id', '=', commentId).where('withdrawn_at', 'is', null).execute();
  await db.updateTable('public_comment').set({ author_name: null, contact: null, personal_data_erased_at: at }).where('id', '=', commentId).execute();
}

export async function insertConsents(db: Q, commentId: number, consents: readonly NewConsent[], at: string): Promise<void> {
  if (consents.length === 0) return;
  await db
    .insertInto('consent_record')
    .values(
      consents.map((c) => ({
        comment_id: commentId,
        purpose: c.purpose,
        granted: c.granted ? 1 : 0,
        notice_version: c.noticeVersion,
        notice_text: c.noticeText,
        at,
        withdrawn_at: null,
      })),
    )
    .execute();
}

/** Comments from one client (salted hash of its address) created at or after `sinceIso`. */
/**
 * Serialise one client's comments until the transaction ends: an advisory lock on PostgreSQL; on
 * SQLite the single connection already runs one transaction at a time.
 */
export async function lockClient(trx: Q, dialect: Dialect, clientHash: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${clientHash}))`.execute(trx);
}

export async function countCommentsOfClientSince(db: Q, clientHash: string, sinceIso: string): Promise<number> {
  const r = await db
    .selectFrom('public_comment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_hash', '=', clientHash)
    .where('created_at', '>=', sinceIso)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findComment(db: Q, id: number): Promise<PublicCommentRow | undefined> {
  return db.selectFrom('public_comment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCommentsOfDossier(db: Q, dossierId: number, status?: PublicCommentRow['status']): Promise<PublicCommentRow[]> {
  let q = db.selectFrom('public_comment').selectAll().where('dossier_id', '=', dossierId);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function listConsentsOfComments(db: Q, commentIds: readonly number[]): Promise<ConsentRecordRow[]> {
  if (commentIds.length === 0) return [];
  const out: ConsentRecordRow[] = [];
  for (let i = 0; i < commentIds.length; i += 900) {
    out.push(
      ...(await db
        .selectFrom('consent_record')
        .selectAll()
        .where('comment_id', 'in', commentIds.slice(i, i + 900))
        .orderBy('comment_id')
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

export async function countCommentsByStatus(db: Q, dossierId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('public_comment')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dossier_id', '=', dossierId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Moderate a pending comment; undefined when it is no longer pending (someone else did it). */
export async function setModeration(
  db: Q,
  id: number,
  m: { status: 'published' | 'rejected'; by: string; at: string; note: string | null },
): Promise<PublicCommentRow | undefined> {
  return db
    .updateTable('public_comment')
    .set({ status: m.status, moderated_by: m.by, moderated_at: m.at, moderation_note: m.note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** Erase name and contact of comments whose `delete_after` is before `today`; the ids erased. */
export async function erasePersonalDataBefore(db: Q, today: string, at: string): Promise<number[]> {
  const rows = await db
    .updateTable('public_comment')
    .set({ author_name: null, contact: null, personal_data_erased_at: at })
    .where('delete_after', '<', today)
    .where('personal_data_erased_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

// ── Recognitions for the transparency portal ──────────────────────────────────────────────

export interface PublicRecognitionSqlRow {
  id: number;
  unit_id: string;
  unit_name: string;
  province_id: string | null;
  province_name: string | null;
  level: string;
  decision_no: string;
  decided_on: string;
  revoked_on: string | null;
}

/**
 * Every recognition of a commune, with the commune and its province; optionally only communes of
 * these provinces, and whose folded name contains `folded`.
 */
export async function listRecognitionsWithUnits(db: Q, f: { provinceIds?: readonly string[]; folded?: string }): Promise<PublicRecognitionSqlRow[]> {
  let q = db
    .selectFrom('recognition as r')
    .innerJoin('unit as u', 'u.id', 'r.unit_id')
    .leftJoin('unit as p', 'p.id', 'u.province_id')
    .select(['r.id', 'r.unit_id', 'u.full_name as unit_name', 'u.province_id', 'p.full_name as province_name', 'r.level', 'r.decision_no', 'r.decided_on', 'r.revoked_on']);
  if (f.provinceIds) q = f.provinceIds.length ? q.where('u.province_id', 'in', f.provinceIds) : q.where(sql<SqlBool>`1 = 0`);
  if (f.folded) q = q.where(sql<SqlBool>`${sql.ref('u.name_folded')} like ${`%${escapeLike(f.folded)}%`} escape '\\'`);
  return q.orderBy('r.unit_id').orderBy('r.decided_on').orderBy('r.id').execute();
}

/** The units a unit came from (the 2025 mergers), one step back. */
export async function predecessorIds(db: Q, unitId: string): Promise<string[]> {
  const rows = await db.selectFrom('unit_lineage').select('predecessor_id').where('successor_id', '=', unitId).execute();
  return rows.map((r) => r.predecessor_id);
}
