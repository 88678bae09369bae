/**
 * Minh chứng đính kèm — evidence files attached to a review (a decision scan, a photo, a
 * spreadsheet). The type is decided by the content, never by the name or the header the client
 * sent: PDF (`%PDF-`), PNG, JPEG, and Office Open XML (DOCX, XLSX: a ZIP holding `word/` or `xl/`).
 * Bytes are stored once under their SHA-256 in the attachment folder the caller gives (the
 * deployment's `services.attachmentDir`, `<data dir>/attachments`): `ab/abcdef…` (the same
 * file attached twice is stored once); every upload is audited. Only drafts take new files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { AttachmentRow } from '../db/schema.ts';
import * as repo from '../db/attachment.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { safeFileName } from '../domain/text.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';

/** 10 MB: a scanned decision of a few pages, a phone photo. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const ATTACHMENT_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export type AttachmentKind = keyof typeof ATTACHMENT_TYPES;

export interface AttachmentInfo {
  id: number;
  reviewId: number;
  indicatorCode: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdBy: string;
  createdAt: string;
  /** Where to download it (same origin). */
  url: string;
}

/** What the bytes are, or null when not an accepted type. */
export function detectKind(buf: Uint8Array): AttachmentKind | null {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    // Entry names are stored in clear in a ZIP's local and central headers.
    const names = b.toString('latin1');
    if (names.includes('[Content_Types].xml')) {
      if (names.includes('word/document.xml')) return 'docx';
      if (names.includes('xl/workbook.xml')) return 'xlsx';
    }
  }
  return null;
}

/** The extensions each kind may carry (the first is added when the name has none of them). */
const EXTENSIONS: Record<AttachmentKind, readonly string[]> = { pdf: ['pdf'], png: ['png'], jpeg: ['jpg', 'jpeg'], docx: ['docx'], xlsx: ['xlsx'] };

/**
 * The name an upload is stored and served under: `safeFileName` of what the client sent (never a
 * path), ending with the extension of what the bytes are — a PDF named `x.html` becomes
 * `x.html.pdf`, so a saved copy opens as what it is.
 */
export function cleanFilename(name: string | null | undefined, kind: AttachmentKind): string {
  const base = safeFileName(String(name ?? ''));
  const ext = EXTENSIONS[kind];
  if (!base) return `minh-chung.${ext[0]}`;
  const has = ext.some((e) => base.toLowerCase().endsWith(`.${e}`));
  return has ? base : `${Array.from(base).slice(0, 195).join('')}.${ext[0]}`;
}

export function toAttachmentInfo(r: AttachmentRow): AttachmentInfo {
  return {
    id: r.id,
    reviewId: r.review_id,
    indicatorCode: r.indicator_code,
    filename: r.filename,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    createdBy: r.created_by,
    createdAt: r.created_at,
    url: `/api/v1/attachments/${r.id}`,
  };
}

export function attachmentPath(dir: string, sha256: string): string {
  return path.join(dir, sha256.slice(0, 2), sha256);
}

export interface StoredFile {
  sha256: string;
  kind: AttachmentKind;
  contentType: string;
  filename: string;
  size: number;
}

/**
 * Check an uploaded file (not empty, at most 10 MB, an accepted type by its content) and store its
 * bytes under their SHA-256. Evidence files and dossier documents both come through here.
 */
export function storeUpload(data: Uint8Array, name: string | null | undefined, dir: string): StoredFile {
  if (data.byteLength === 0) {
    throw new DomainError('validation_failed', { vi: 'Tệp rỗng.', en: 'The file is empty.' }, { fields: [{ field: 'file', message: 'The file is empty.', message_vi: 'Tệp rỗng.' }] });
  }
  if (data.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new DomainError('payload_too_large', {
      vi: `Tệp quá lớn (${(data.byteLength / 1048576).toFixed(1)} MB); tối đa ${MAX_ATTACHMENT_BYTES / 1048576} MB.`,
      en: `File too large (${(data.byteLength / 1048576).toFixed(1)} MB); at most ${MAX_ATTACHMENT_BYTES / 1048576} MB.`,
    });
  }
  const kind = detectKind(data);
  if (!kind) {
    const vi = 'Chỉ nhận tệp PDF, ảnh PNG/JPEG, Word (.docx) hoặc Excel (.xlsx); nội dung tệp không thuộc loại nào trong số đó.';
    const en = 'Only PDF, PNG/JPEG images, Word (.docx) or Excel (.xlsx) files are accepted; the content is none of these.';
    throw new DomainError('validation_failed', { vi, en }, { fields: [{ field: 'file', message: en, message_vi: vi }] });
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const file = attachmentPath(dir, sha256);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  }
  return { sha256, kind, contentType: ATTACHMENT_TYPES[kind], filename: cleanFilename(name, kind), size: data.byteLength };
}

export interface UploadInput {
  reviewId: number;
  indicatorCode?: string | null;
  filename?: string | null;
  data: Uint8Array;
}

export async function uploadAttachment(db: Db, actor: Actor, input: UploadInput, dir: string): Promise<AttachmentInfo> {
  const review = await findReview(db.kysely, input.reviewId);
  if (!review) throw notFound('bản rà soát', 'Review', input.reviewId);
  await authorize(db, actor, 'review.write', review.unit_id);
  if (review.status !== 'draft') {
    throw new DomainError('conflict', {
      vi: 'Bản rà soát đã nộp, không đính kèm thêm minh chứng được; hãy tạo bản rà soát mới.',
      en: 'The review has been submitted: no more evidence can be attached; create a new review.',
    });
  }
  const code = input.indicatorCode ?? null;
  if (code !== null && !/^[0-9A-Za-z.\-_]{1,20}$/.test(code)) {
    throw new DomainError('validation_failed', { vi: `Mã chỉ tiêu "${code}" không hợp lệ.`, en: `Invalid indicator code "${code}".` }, { fields: [{ field: 'indicator' }] });
  }
  const stored = storeUpload(input.data, input.filename, dir);
  const at = new Date().toISOString();
  const { sha256, filename } = stored;
  const row = await db.kysely.transaction().execute(async (trx) => {
    const r = await repo.insertAttachment(trx, {
      reviewId: review.id,
      indicatorCode: code,
      sha256,
      filename,
      contentType: stored.contentType,
      size: stored.size,
      createdBy: actor.id,
      at,
    });
    await recordAudit(trx, actor, {
      action: 'attachment.create',
      entity: 'attachment',
      entityId: r.id,
      unitId: review.unit_id,
      after: { reviewId: review.id, indicatorCode: code, filename, contentType: r.content_type, size: r.size, sha256 },
    });
    return r;
  });
  return toAttachmentInfo(row);
}

/** An attachment and where its bytes are; with an actor, only within their `review.read` scope. */
export async function getAttachment(db: Db, id: number, dir: string, actor?: Actor): Promise<{ info: AttachmentInfo; unitId: string; path: string }> {
  const row = await repo.findAttachment(db.kysely, id);
  if (!row) throw notFound('tệp minh chứng', 'Attachment', id);
  const review = await findReview(db.kysely, row.review_id);
  if (actor) await authorize(db, actor, 'review.read', review?.unit_id ?? 'everywhere');
  const file = attachmentPath(dir, row.sha256);
  if (!existsSync(file)) throw notFound('nội dung tệp minh chứng', 'Attachment content', id);
  return { info: toAttachmentInfo(row), unitId: review?.unit_id ?? '', path: file };
}

export async function listAttachments(db: Db, reviewId: number, actor?: Actor): Promise<AttachmentInfo[]> {
  const review = await findReview(db.kysely, reviewId);
  if (!review) throw notFound('bản rà soát', 'Review', reviewId);
  if (actor) await authorize(db, actor, 'review.read', review.unit_id);
  return (await repo.listAttachmentsOfReview(db.kysely, reviewId)).map(toAttachmentInfo);
}
