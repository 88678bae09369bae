/** Rows of `attachment` (the bytes are files, see attachment.service.ts). */
import type { Kysely, Transaction } from 'kysely';
import type { AttachmentRow, Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewAttachment {
  reviewId: number;
  indicatorCode: string | null;
  sha256: string;
  filename: string;
  contentType: string;
  size: number;
  createdBy: string;
  at: string;
}

export async function insertAttachment(db: Q, a: NewAttachment): Promise<AttachmentRow> {
  return db
    .insertInto('attachment')
    .values({
      review_id: a.reviewId,
      indicator_code: a.indicatorCode,
      sha256: a.sha256,
      filename: a.filename,
      content_type: a.contentType,
      size: a.size,
      created_by: a.createdBy,
      created_at: a.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findAttachment(db: Q, id: number): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAttachmentsOfReview(db: Q, reviewId: number): Promise<AttachmentRow[]> {
  return db.selectFrom('attachment').selectAll().where('review_id', '=', reviewId).orderBy('id').execute();
}

/** Every stored file the database points at (evidence and dossier documents), by SHA-256: what a backup must carry. */
export async function referencedFileHashes(db: Q): Promise<string[]> {
  const rows = await db
    .selectFrom('attachment')
    .select('sha256')
    .union(db.selectFrom('dossier_document').select('sha256'))
    .execute();
  return [...new Set(rows.map((r) => r.sha256))].sort();
}
