/**
 * Lấy ý kiến nhân dân — public consultation of a recognition dossier (docs/dossier-api.md, "Public,
 * no sign-in"). While a dossier is at a step with `publicConsultation` (dossier-workflow.ts),
 * anyone may read what the commune achieved (the engine's verdict of the base review) and send a
 * comment; comments are published only after moderation.
 *
 * Protection without accounts: a form token (HMAC over the dossier id and the issue time, with a
 * secret kept in `app_meta`) that must be at least 3 seconds and less than 2 hours old, a honeypot
 * field, and a rate limit per client (3 per 10 minutes, 20 per 24 hours) counted from the stored
 * comments by a salted SHA-256 of the address — the address itself is never stored.
 *
 * Personal data (Decree 13/2023/NĐ-CP): consent is asked per purpose, never bundled — publishing
 * the name, using the contact to reply — and recorded with the notice shown; name and contact are
 * erased `retentionDays` after the comment by the daily jobs. The audit trail (append-only, never
 * erased) therefore records no name, contact or address.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { ConsentRecordRow, DossierRow, PublicCommentRow } from '../db/schema.ts';
import * as repo from '../db/consultation.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { findUnit } from '../db/unit.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { PROCEDURES, stepOf, type ProcedureId, type Step } from '../domain/dossier-workflow.ts';
import { addCalendarDays, DEFAULT_CALENDAR } from '../domain/working-days.ts';
import { levelName, type VerdictStatus } from '../domain/criteria.ts';
import { todayInVietnam } from '../domain/dates.ts';
import { DomainError, notFound, type BilingualMessage } from '../domain/errors.ts';
import { nfc } from '../domain/text.ts';
import { evaluationOf } from './evaluation.service.ts';
import { allowed, authorize } from './access.service.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';

// ── Rules ─────────────────────────────────────────────────────────────────────────────────

export const COMMENT_RULES = Object.freeze({
  minLength: 10,
  maxLength: 2000,
  nameMaxLength: 100,
  contactMaxLength: 200,
  /** A form sent sooner than this after it was served is refused (bots fill forms at once). */
  minSeconds: 3,
  /** A form older than this is refused (reload the page). */
  maxTokenAgeMs: 2 * 60 * 60 * 1000,
  perTenMinutes: 3,
  perDay: 20,
  retentionDays: 365,
});

export type ConsentPurpose = 'publish_name' | 'contact_reply';
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['publish_name', 'contact_reply'];

/** Version of the privacy notice; bump it whenever a text below changes. */
export const NOTICE_VERSION = '2026-11-27';

export const CONSENT_TEXTS: Readonly<Record<ConsentPurpose, BilingualMessage>> = {
  publish_name: {
    vi: 'Tôi đồng ý công khai họ tên của tôi cùng ý kiến này trên trang công khai hồ sơ. Nếu không đồng ý, ý kiến được công khai không kèm tên.',
    en: 'I agree that my name is published with this comment on the public page of the dossier. Without this consent the comment is published without a name.',
  },
  contact_reply: {
    vi: 'Tôi đồng ý để cơ quan tiếp nhận dùng thông tin liên hệ tôi cung cấp để trả lời ý kiến này. Thông tin liên hệ không bao giờ được công khai.',
    en: 'I agree that the receiving office uses the contact details I give to reply to this comment. Contact details are never published.',
  },
};

const TOKEN_SECRET_KEY = 'public_form_secret';
const CLIENT_SALT_KEY = 'public_client_salt';

// ── Shapes (docs/dossier-api.md) ──────────────────────────────────────────────────────────

export interface ConsultationNotice {
  version: string;
  controller: string;
  purposes: { purpose: ConsentPurpose; text: BilingualMessage }[];
  retentionDays: number;
}

export interface PublicComment {
  id: number;
  body: string;
  authorName: string | null;
  createdAt: string;
}

export interface PublicDossier {
  dossierId: number;
  unit: { id: string; name: string; parentName: string | null };
  level: string;
  levelName: BilingualMessage;
  stage: string;
  stageName: BilingualMessage;
  open: boolean;
  openedOn: string;
  closesOn: string | null;
  review: { date: string; criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number } | null;
  criteria: { code: string; name: string; status: VerdictStatus; indicatorsMet: number; indicatorsTotal: number }[];
  comments: PublicComment[];
  form: { token: string; minSeconds: number; maxLength: number; notice: ConsultationNotice };
}

export interface ModeratedComment {
  id: number;
  dossierId: number;
  stage: string;
  stageName: BilingualMessage;
  body: string;
  authorName: string | null;
  contact: string | null;
  consents: { purpose: string; granted: boolean; at: string }[];
  status: 'pending' | 'published' | 'rejected';
  createdAt: string;
  moderatedBy: string | null;
  moderatedAt: string | null;
  moderationNote: string | null;
  deleteAfter: string;
  personalDataErased: boolean;
}

export interface CommentInput {
  dossierId: number;
  body: string;
  name?: string | null;
  contact?: string | null;
  consents: { publish_name: boolean; contact_reply: boolean };
  token: string;
  website?: string | null;
}

export interface CommentReceipt {
  id: number;
  status: 'pending';
  message: BilingualMessage;
  /**
   * Shown once: with it the commenter withdraws their consents and has their name and contact
   * erased (POST /public/comments/withdraw). Only its SHA-256 is kept.
   */
  withdrawCode: string;
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────

function stageName(procedure: string, stage: string): BilingualMessage {
  return stepOf(procedure as ProcedureId, stage)?.name ?? { vi: stage, en: stage };
}

function consultationStates(procedure: string): string[] {
  const proc = PROCEDURES[procedure as ProcedureId];
  return proc ? proc.steps.filter((s) => s.publicConsultation).map((s) => s.id) : [];
}

/** The consultation period of a step entered on `openedOn`: it ends after the step's working days. */
export function closesOnFor(step: Step | undefined, openedOn: string): string | null {
  return step?.limitDays ? DEFAULT_CALENDAR.addWorkingDays(openedOn, step.limitDays) : null;
}

export interface ConsultationWindow {
  stage: string;
  step: Step | undefined;
  openedOn: string;
  closesOn: string | null;
  /** At a consultation step now, the dossier not closed, and the period not over on `today`. */
  open: boolean;
}

/**
 * The consultation a dossier is in or went through last, or null when it never was in one.
 * Exported so that the dossier service shows the same "open" as the public page.
 */
export async function consultationWindow(db: Db, d: DossierRow, today: string): Promise<ConsultationWindow | null> {
  const current = stepOf(d.procedure as ProcedureId, d.state);
  if (current?.publicConsultation) {
    const closesOn = closesOnFor(current, d.state_since);
    const open = d.closed_on === null && (closesOn === null || today <= closesOn);
    return { stage: d.state, step: current, openedOn: d.state_since, closesOn, open };
  }
  const t = await repo.lastTransitionInto(db.kysely, d.id, consultationStates(d.procedure));
  if (!t) return null;
  const step = stepOf(d.procedure as ProcedureId, t.to_state);
  return { stage: t.to_state, step, openedOn: t.on_date, closesOn: closesOnFor(step, t.on_date), open: false };
}

function fieldError(field: string, message: BilingualMessage, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('validation_failed', message, { fields: [{ field, message: message.en, message_vi: message.vi }], ...extra });
}

/**
 * The two server secrets, read (or created) once per database and then kept: every public page
 * view issues a token, every comment hashes an address. They never change once created.
 */
const secrets = new WeakMap<Db, Map<string, Promise<string>>>();
function metaSecret(db: Db, key: string): Promise<string> {
  let m = secrets.get(db);
  if (!m) secrets.set(db, (m = new Map()));
  let v = m.get(key);
  if (!v) {
    v = repo.ensureMetaValue(db.kysely, key, () => randomBytes(32).toString('base64'));
    v.catch(() => m!.delete(key));
    m.set(key, v);
  }
  return v;
}

async function formSecret(db: Db): Promise<Buffer> {
  return Buffer.from(await metaSecret(db, TOKEN_SECRET_KEY), 'base64');
}

function sign(secret: Buffer, dossierId: number, issuedAtMs: number): string {
  return createHmac('sha256', secret).update(`${dossierId}.${issuedAtMs}`).digest('base64url');
}

/** A form token for a dossier: `<dossierId>.<issuedAtMs>.<HMAC-SHA256>`. */
export async function issueFormToken(db: Db, dossierId: number, now: Date): Promise<string> {
  const at = now.getTime();
  return `${dossierId}.${at}.${sign(await formSecret(db), dossierId, at)}`;
}

async function checkFormToken(db: Db, token: string, dossierId: number, now: Date): Promise<void> {
  const m = /^(\d{1,10})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
  const forged = fieldError(
    'token',
    { vi: 'Biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại ý kiến.', en: 'The form is not valid; reload the page and send the comment again.' },
    { reason: 'token_invalid' },
  );
  if (!m) throw forged;
  const id = Number(m[1]);
  const issuedAt = Number(m[2]);
  const expected = Buffer.from(sign(await formSecret(db), id, issuedAt));
  const sent = Buffer.from(m[3]!);
  if (id !== dossierId || expected.length !== sent.length || !timingSafeEqual(expected, sent)) throw forged;
  const age = now.getTime() - issuedAt;
  if (age < COMMENT_RULES.minSeconds * 1000) {
    throw fieldError(
      'token',
      { vi: `Ý kiến được gửi quá nhanh; hãy đợi vài giây rồi gửi lại.`, en: `The comment was sent too quickly; wait a few seconds and send it again.` },
      { reason: 'token_too_fast', minSeconds: COMMENT_RULES.minSeconds },
    );
  }
  if (age >= COMMENT_RULES.maxTokenAgeMs) {
    throw fieldError(
      'token',
      { vi: 'Biểu mẫu đã mở quá 2 giờ; hãy tải lại trang rồi gửi lại ý kiến.', en: 'The form was opened more than 2 hours ago; reload the page and send the comment again.' },
      { reason: 'token_expired' },
    );
  }
}

/** Salted SHA-256 of the client's address: what rate limiting counts; the address is never stored. */
export async function clientHash(db: Db, clientAddress: string): Promise<string> {
  const salt = await metaSecret(db, CLIENT_SALT_KEY);
  return createHash('sha256').update(`${salt}|${clientAddress}`).digest('hex');
}

async function loadDossier(db: Db, id: number): Promise<DossierRow> {
  const d = await repo.findDossier(db.kysely, id);
  if (!d) throw notFound('hồ sơ', 'Dossier', id);
  return d;
}

async function noticeFor(db: Db, d: DossierRow, step: Step | undefined): Promise<ConsultationNotice> {
  const commune = await findUnit(db.kysely, d.unit_id);
  // The People's Committee of the level that runs the consultation controls the data.
  let unit = commune;
  if (commune && step?.role === 'province_office' && commune.provinceId) unit = (await findUnit(db.kysely, commune.provinceId)) ?? commune;
  if (commune && step?.role === 'district_office' && commune.parentId) unit = (await findUnit(db.kysely, commune.parentId)) ?? commune;
  const controller = unit ? `Ủy ban nhân dân ${unit.type.toLowerCase()} ${unit.name}` : 'Ủy ban nhân dân';
  return {
    version: NOTICE_VERSION,
    controller,
    purposes: CONSENT_PURPOSES.map((purpose) => ({ purpose, text: CONSENT_TEXTS[purpose] })),
    retentionDays: COMMENT_RULES.retentionDays,
  };
}

/** The exact text a consent row records: the controller and the purpose's text in both languages. */
function noticeText(notice: ConsultationNotice, purpose: ConsentPurpose): string {
  const t = CONSENT_TEXTS[purpose];
  return `${notice.controller}\n${t.vi}\n${t.en}\nRetention: ${notice.retentionDays} days`;
}

// ── Public reads ──────────────────────────────────────────────────────────────────────────

/** A dossier as the public sees it; 404 unless it is or was in public consultation. */
export async function publicDossier(db: Db, id: number, now: Date): Promise<PublicDossier> {
  const d = await repo.findDossier(db.kysely, id);
  const w = d ? await consultationWindow(db, d, todayInVietnam(now)) : null;
  if (!d || !w) throw notFound('hồ sơ lấy ý kiến', 'Dossier in public consultation', id);
  const unit = await findUnit(db.kysely, d.unit_id);
  const parent = unit?.parentId ? await findUnit(db.kysely, unit.parentId) : undefined;
  let review: PublicDossier['review'] = null;
  let criteria: PublicDossier['criteria'] = [];
  const reviewRow = d.base_review_id !== null ? await findReview(db.kysely, d.base_review_id) : undefined;
  if (reviewRow) {
    const v = await evaluationOf(db.kysely, reviewRow);
    review = { date: reviewRow.reviewed_on, criteriaMet: v.totals.criteriaMet, criteriaTotal: v.totals.criteriaTotal, indicatorsMet: v.totals.indicatorsMet, indicatorsTotal: v.totals.indicatorsTotal };
    criteria = v.criteria.map((c) => ({ code: c.code, name: c.name, status: c.status, indicatorsMet: c.indicatorsMet, indicatorsTotal: c.indicatorsTotal }));
  }
  return {
    dossierId: d.id,
    unit: { id: d.unit_id, name: unit?.fullName ?? d.unit_id, parentName: parent?.fullName ?? null },
    level: d.level,
    levelName: levelName(d.level),
    stage: w.stage,
    stageName: stageName(d.procedure, w.stage),
    open: w.open,
    openedOn: w.openedOn,
    closesOn: w.closesOn,
    review,
    criteria,
    comments: await publicComments(db, d.id),
    form: {
      token: await issueFormToken(db, d.id, now),
      minSeconds: COMMENT_RULES.minSeconds,
      maxLength: COMMENT_RULES.maxLength,
      notice: await noticeFor(db, d, w.step),
    },
  };
}

function consentsByComment(rows: readonly ConsentRecordRow[]): Map<number, ConsentRecordRow[]> {
  const out = new Map<number, ConsentRecordRow[]>();
  for (const r of rows) out.set(r.comment_id, [...(out.get(r.comment_id) ?? []), r]);
  return out;
}

/** The name may be shown only with a granted, not withdrawn consent to publish it, and while not erased. */
function publishableName(c: PublicCommentRow, consents: readonly ConsentRecordRow[]): string | null {
  if (c.personal_data_erased_at !== null || !c.author_name) return null;
  const ok = consents.some((x) => x.purpose === 'publish_name' && x.granted === 1 && x.withdrawn_at === null);
  return ok ? c.author_name : null;
}

/** Published comments of a dossier, oldest first; never a contact, a name only with consent. */
export async function publicComments(db: Db, dossierId: number): Promise<PublicComment[]> {
  const rows = await repo.listCommentsOfDossier(db.kysely, dossierId, 'published');
  const consents = consentsByComment(await repo.listConsentsOfComments(db.kysely, rows.map((r) => r.id)));
  return rows.map((r) => ({ id: r.id, body: r.body, authorName: publishableName(r, consents.get(r.id) ?? []), createdAt: r.created_at }));
}

export interface CommentSummary {
  counts: { pending: number; published: number; rejected: number; total: number };
  /** Published comments, oldest first (name only with consent): the body of the summary report. */
  published: (PublicComment & { stage: string; stageName: BilingualMessage })[];
}

/** Counts by status and the published comments: for the "comment_summary" document draft. */
export async function commentSummary(db: Db, dossierId: number): Promise<CommentSummary> {
  const d = await loadDossier(db, dossierId);
  const counts = await repo.countCommentsByStatus(db.kysely, dossierId);
  const rows = await repo.listCommentsOfDossier(db.kysely, dossierId, 'published');
  const consents = consentsByComment(await repo.listConsentsOfComments(db.kysely, rows.map((r) => r.id)));
  const pending = counts.pending ?? 0;
  const published = counts.published ?? 0;
  const rejected = counts.rejected ?? 0;
  return {
    counts: { pending, published, rejected, total: pending + published + rejected },
    published: rows.map((r) => ({
      id: r.id,
      body: r.body,
      authorName: publishableName(r, consents.get(r.id) ?? []),
      createdAt: r.created_at,
      stage: r.stage,
      stageName: stageName(d.procedure, r.stage),
    })),
  };
}

// ── Sending a comment ─────────────────────────────────────────────────────────────────────

/** NFC, trimmed, without control characters other than line breaks and tabs (PostgreSQL refuses NUL). */
function cleanText(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  return nfc(String(v ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ''));
}

function optionalText(v: string | null | undefined, field: string, max: number, label: BilingualMessage): string | null {
  if (v == null) return null;
  const s = cleanText(v);
  if (s === '') return null;
  if (s.length > max) {
    throw fieldError(field, { vi: `${label.vi} dài tối đa ${max} ký tự (đang có ${s.length}).`, en: `${label.en} is at most ${max} characters (got ${s.length}).` });
  }
  return s;
}

/**
 * Receive a resident's comment (pending until moderated). `clientAddress` is only hashed.
 * Refusals: 400 `validation_failed` naming the field (body, name, contact, website, token,
 * consents), 404 no such dossier in consultation, 409 `conflict` when the consultation is closed,
 * 429 `rate_limited`.
 */
export async function submitComment(db: Db, input: CommentInput, clientAddress: string, now: Date, opts: { retentionDays?: number } = {}): Promise<CommentReceipt> {
  // The honeypot: a field people never see. Refused like any invalid form, without saying why.
  if (input.website != null && String(input.website).trim() !== '') {
    throw fieldError('website', { vi: 'Ý kiến không được tiếp nhận: biểu mẫu không hợp lệ.', en: 'The comment was not accepted: the form is not valid.' });
  }
  const d = await repo.findDossier(db.kysely, input.dossierId);
  const today = todayInVietnam(now);
  const w = d ? await consultationWindow(db, d, today) : null;
  if (!d || !w) throw notFound('hồ sơ lấy ý kiến', 'Dossier in public consultation', input.dossierId);
  await checkFormToken(db, input.token, d.id, now);
  if (!w.open) {
    throw new DomainError(
      'conflict',
      {
        vi: `Hồ sơ không còn trong thời gian lấy ý kiến${w.closesOn ? ` (kết thúc ${w.closesOn})` : ''}; ý kiến không được tiếp nhận.`,
        en: `The dossier is no longer open for comments${w.closesOn ? ` (closed ${w.closesOn})` : ''}; the comment was not accepted.`,
      },
      { reason: 'consultation_closed', closesOn: w.closesOn },
    );
  }
  const body = cleanText(input.body);
  if (body.length < COMMENT_RULES.minLength || body.length > COMMENT_RULES.maxLength) {
    throw fieldError('body', {
      vi: `Nội dung ý kiến phải từ ${COMMENT_RULES.minLength} đến ${COMMENT_RULES.maxLength} ký tự (đang có ${body.length}).`,
      en: `The comment must be ${COMMENT_RULES.minLength} to ${COMMENT_RULES.maxLength} characters long (got ${body.length}).`,
    });
  }
  const name = optionalText(input.name, 'name', COMMENT_RULES.nameMaxLength, { vi: 'Họ tên', en: 'The name' });
  const contact = optionalText(input.contact, 'contact', COMMENT_RULES.contactMaxLength, { vi: 'Thông tin liên hệ', en: 'The contact' });
  const consents = input.consents as Partial<Record<ConsentPurpose, unknown>> | undefined;
  for (const p of CONSENT_PURPOSES) {
    if (typeof consents?.[p] !== 'boolean') {
      throw fieldError(`consents.${p}`, { vi: `Hãy chọn có hoặc không cho mục đồng ý "${p}".`, en: `Answer yes or no to the consent "${p}".` });
    }
  }

  const hash = await clientHash(db, clientAddress);
  const notice = await noticeFor(db, d, w.step);
  const retentionDays = opts.retentionDays ?? COMMENT_RULES.retentionDays;
  const at = now.toISOString();
  const granted = { publish_name: consents!.publish_name === true, contact_reply: consents!.contact_reply === true };
  const anonymous: Actor = { id: 'anonymous', source: 'web', ip: null };
  const withdrawCode = randomBytes(12).toString('base64url');
  const row = await db.kysely.transaction().execute(async (trx) => {
    // Count and insert under one lock per client, so parallel posts cannot all pass the limit.
    await repo.lockClient(trx, db.dialect, hash);
    const tenMinutesAgo = new Date(now.getTime() - 10 * 60_000).toISOString();
    const dayAgo = new Date(now.getTime() - 24 * 3600_000).toISOString();
    const recent = await repo.countCommentsOfClientSince(trx, hash, tenMinutesAgo);
    const daily = recent >= COMMENT_RULES.perTenMinutes ? recent : await repo.countCommentsOfClientSince(trx, hash, dayAgo);
    if (recent >= COMMENT_RULES.perTenMinutes || daily >= COMMENT_RULES.perDay) {
      const perDay = recent < COMMENT_RULES.perTenMinutes;
      throw new DomainError(
        'rate_limited',
        perDay
          ? { vi: `Mỗi người gửi tối đa ${COMMENT_RULES.perDay} ý kiến mỗi ngày; hãy gửi lại vào ngày mai.`, en: `At most ${COMMENT_RULES.perDay} comments a day; please try again tomorrow.` }
          : { vi: `Mỗi người gửi tối đa ${COMMENT_RULES.perTenMinutes} ý kiến trong 10 phút; hãy đợi rồi gửi lại.`, en: `At most ${COMMENT_RULES.perTenMinutes} comments in 10 minutes; please wait and try again.` },
        { limit: perDay ? 'per_day' : 'per_10_minutes' },
      );
    }
    const c = await repo.insertComment(trx, {
      dossierId: d.id,
      stage: w.stage,
      body,
      authorName: name,
      // The contact serves only to reply: without that consent it is not kept at all.
      contact: granted.contact_reply ? contact : null,
      clientHash: hash,
      at,
      deleteAfter: addCalendarDays(today, retentionDays),
      withdrawHash: sha256(withdrawCode),
    });
    await repo.insertConsents(
      trx,
      c.id,
      CONSENT_PURPOSES.map((p) => ({ purpose: p, granted: granted[p], noticeVersion: notice.version, noticeText: noticeText(notice, p) })),
      at,
    );
    // No name, contact or address in the trail: it is never erased.
    await recordAudit(
      trx,
      anonymous,
      {
        action: 'public_comment.create',
        entity: 'public_comment',
        entityId: c.id,
        unitId: d.unit_id,
        after: { dossierId: d.id, stage: w.stage, status: 'pending', bodyLength: body.length, hasName: name !== null, hasContact: granted.contact_reply && contact !== null, consents: granted, noticeVersion: notice.version },
      },
      at,
    );
    return c;
  });
  return {
    id: row.id,
    status: 'pending',
    message: {
      vi: 'Cảm ơn bạn đã góp ý. Ý kiến sẽ được công khai sau khi cán bộ kiểm duyệt.',
      en: 'Thank you for your comment. It will be published after moderation.',
    },
    withdrawCode,
  };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * Rút lại sự đồng ý: the commenter's code withdraws every consent still in force and erases name
 * and contact at once (the body stays, unsigned, as part of the consultation record). 404 for an
 * unknown code; the same answer again for a code already used.
 */
export async function withdrawConsent(db: Db, code: string, now: Date = new Date()): Promise<{ id: number; message: BilingualMessage }> {
  const clean = String(code ?? '').trim();
  const row = /^[A-Za-z0-9_-]{16}$/.test(clean) ? await repo.findCommentByWithdrawHash(db.kysely, sha256(clean)) : undefined;
  if (!row) throw fieldError('code', { vi: 'Mã rút lại đồng ý không đúng.', en: 'The withdrawal code is not valid.' });
  const at = now.toISOString();
  const d = await repo.findDossier(db.kysely, row.dossier_id);
  await db.kysely.transaction().execute(async (trx) => {
    await repo.withdrawConsents(trx, row.id, at);
    await recordAudit(trx, { id: 'anonymous', source: 'web', ip: null }, { action: 'public_comment.withdraw_consent', entity: 'public_comment', entityId: row.id, unitId: d?.unit_id ?? null, after: { fields: ['author_name', 'contact'], consents: 'withdrawn' } }, at);
  });
  return {
    id: row.id,
    message: {
      vi: 'Đã rút lại sự đồng ý: họ tên và thông tin liên hệ của bạn đã được xóa; nội dung ý kiến được giữ, không kèm tên.',
      en: 'Consent withdrawn: your name and contact were erased; the comment text is kept without a name.',
    },
  };
}

// ── Moderation ────────────────────────────────────────────────────────────────────────────

function toModerated(r: PublicCommentRow, procedure: string, consents: readonly ConsentRecordRow[]): ModeratedComment {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    stage: r.stage,
    stageName: stageName(procedure, r.stage),
    body: r.body,
    authorName: r.author_name,
    contact: r.contact,
    consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted === 1 && c.withdrawn_at === null, at: c.at })),
    status: r.status,
    createdAt: r.created_at,
    moderatedBy: r.moderated_by,
    moderatedAt: r.moderated_at,
    moderationNote: r.moderation_note,
    deleteAfter: r.delete_after,
    personalDataErased: r.personal_data_erased_at !== null,
  };
}

/** The comments of a dossier for the people who read it (`dossier.read` on its commune): every one, with contacts, for moderators; the published ones, as the public sees them, for everyone else. */
export async function listComments(db: Db, actor: Actor, dossierId: number): Promise<ModeratedComment[]> {
  const d = await loadDossier(db, dossierId);
  await authorize(db, actor, 'dossier.read', d.unit_id);
  // Readers who may not moderate (viewers, committees, anonymous demo visitors) see what the
  // public would: published comments only — pending and rejected ones are for moderators — with
  // no contact and a name only with consent to publish it.
  const moderator = await allowed(db, actor, 'dossier.moderate', d.unit_id);
  const rows = (await repo.listCommentsOfDossier(db.kysely, dossierId)).filter((r) => moderator || r.status === 'published');
  const consents = consentsByComment(await repo.listConsentsOfComments(db.kysely, rows.map((r) => r.id)));
  return rows.map((r) => {
    const c = toModerated(r, d.procedure, consents.get(r.id) ?? []);
    return moderator ? c : { ...c, authorName: publishableName(r, consents.get(r.id) ?? []), contact: null };
  });
}

export interface ModerationInput {
  status: 'published' | 'rejected';
  note?: string | null;
}

/** Publish or reject a pending comment (`dossier.moderate` on the dossier's commune); audited. */
export async function moderateComment(db: Db, actor: Actor, commentId: number, input: ModerationInput, now: Date = new Date()): Promise<ModeratedComment> {
  const c = await repo.findComment(db.kysely, commentId);
  if (!c) throw notFound('ý kiến', 'Comment', commentId);
  const d = await loadDossier(db, c.dossier_id);
  await authorize(db, actor, 'dossier.moderate', d.unit_id);
  if (input.status !== 'published' && input.status !== 'rejected') {
    throw fieldError('status', { vi: 'Trạng thái kiểm duyệt phải là "published" hoặc "rejected".', en: 'The moderation status must be "published" or "rejected".' });
  }
  const note = optionalText(input.note, 'note', 1000, { vi: 'Ghi chú kiểm duyệt', en: 'The moderation note' });
  const at = now.toISOString();
  const row = await db.kysely.transaction().execute(async (trx) => {
    const updated = await repo.setModeration(trx, commentId, { status: input.status, by: actor.id, at, note });
    if (!updated) {
      const current = await repo.findComment(trx, commentId);
      throw new DomainError(
        'conflict',
        {
          vi: `Ý kiến đã được kiểm duyệt (${current?.status ?? '?'}) bởi ${current?.moderated_by ?? '?'}; chỉ ý kiến đang chờ mới kiểm duyệt được.`,
          en: `The comment was already moderated (${current?.status ?? '?'}) by ${current?.moderated_by ?? '?'}; only pending comments can be moderated.`,
        },
        { field: 'status', current: { status: current?.status, moderatedBy: current?.moderated_by ?? null, moderatedAt: current?.moderated_at ?? null } },
      );
    }
    await recordAudit(
      trx,
      actor,
      {
        action: 'public_comment.moderate',
        entity: 'public_comment',
        entityId: commentId,
        unitId: d.unit_id,
        before: { status: 'pending' },
        after: { status: input.status, note },
      },
      at,
    );
    return updated;
  });
  const consents = await repo.listConsentsOfComments(db.kysely, [row.id]);
  return toModerated(row, d.procedure, consents);
}

// ── Retention ─────────────────────────────────────────────────────────────────────────────

/**
 * Erase name and contact of every comment whose `delete_after` has passed on `today` (the body
 * stays: it is the public record). One audit event for the run; returns how many were erased.
 */
export async function eraseExpiredPersonalData(db: Db, today: string, actor: Actor = SYSTEM_ACTOR, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    const ids = await repo.erasePersonalDataBefore(trx, today, at);
    if (ids.length) {
      await recordAudit(trx, actor, { action: 'public_comment.erase_personal_data', entity: 'public_comment', entityId: `before:${today}`, after: { count: ids.length, ids, fields: ['author_name', 'contact'] } }, at);
    }
    return ids.length;
  });
}
