/**
 * Reviews in and out as JSON (`datchuan reviews export|import`). Import is all-or-nothing in one
 * transaction: every problem names the review (index, unit, date) and field; a review already
 * present with the same values is left unchanged, so re-importing a file changes nothing.
 */
import type { Db } from '../db/database.ts';
import * as reviews from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { authorize } from './access.service.ts';
import type { IndicatorValue } from '../domain/criteria.ts';
import { DomainError, isDomainError } from '../domain/errors.ts';
import type { Actor } from './actor.ts';
import { createReviewsIn, type EvidenceRef, type ValueInput } from './review.service.ts';

export const REVIEWS_FORMAT = 'datchuan.reviews.v1';

export interface ReviewDocument {
  format: typeof REVIEWS_FORMAT;
  exportedAt: string;
  reviews: ExportedReview[];
}

export interface ExportedReview {
  unitId: string;
  setId: string;
  reviewedOn: string;
  status: 'draft' | 'submitted';
  title: string | null;
  note: string | null;
  values: Record<string, { value: IndicatorValue; note: string | null; evidence: EvidenceRef[] }>;
}

export async function exportReviews(db: Db, opts: { unitIds?: string[]; updatedSince?: string } = {}): Promise<ReviewDocument> {
  const rows = await reviews.listReviewsForExport(db.kysely, opts);
  const values = await reviews.currentValuesOfReviews(
    db.kysely,
    rows.map((r) => r.id),
  );
  return {
    format: REVIEWS_FORMAT,
    exportedAt: new Date().toISOString(),
    reviews: rows.map((r) => ({
      unitId: r.unit_id,
      setId: r.set_id,
      reviewedOn: r.reviewed_on,
      status: r.status,
      title: r.title,
      note: r.note,
      values: Object.fromEntries(
        (values.get(r.id) ?? []).map((v) => [
          v.indicator_code,
          { value: JSON.parse(v.value_json) as IndicatorValue, note: v.note, evidence: v.evidence_json ? (JSON.parse(v.evidence_json) as EvidenceRef[]) : [] },
        ]),
      ),
    })),
  };
}

export interface ImportResult {
  created: number;
  unchanged: number;
  dryRun: boolean;
}

function bad(where: string, vi: string, en: string): DomainError {
  return new DomainError('validation_failed', { vi: `${where}: ${vi}`, en: `${where}: ${en}` }, { field: where });
}

/** Check the document's shape before touching the database. */
export function parseReviewDocument(input: unknown): ReviewDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad('(tệp / file)', 'phải là một đối tượng JSON', 'must be a JSON object');
  const doc = input as Partial<ReviewDocument>;
  if (doc.format !== REVIEWS_FORMAT) throw bad('format', `phải là "${REVIEWS_FORMAT}"`, `must be "${REVIEWS_FORMAT}"`);
  if (!Array.isArray(doc.reviews)) throw bad('reviews', 'phải là một mảng', 'must be an array');
  doc.reviews.forEach((r, i) => {
    const at = `reviews[${i}]`;
    if (typeof r !== 'object' || r === null) throw bad(at, 'phải là một đối tượng', 'must be an object');
    for (const k of ['unitId', 'setId', 'reviewedOn'] as const) if (typeof r[k] !== 'string') throw bad(`${at}.${k}`, 'thiếu hoặc không phải chuỗi', 'missing or not a string');
    if (r.status !== 'draft' && r.status !== 'submitted') throw bad(`${at}.status`, 'phải là draft hoặc submitted', 'must be draft or submitted');
    if (typeof r.values !== 'object' || r.values === null || Array.isArray(r.values)) throw bad(`${at}.values`, 'phải là một đối tượng', 'must be an object');
    for (const [code, v] of Object.entries(r.values)) {
      if (typeof v !== 'object' || v === null || !('value' in v)) throw bad(`${at}.values.${code}`, 'cần dạng { "value": … }', 'expected { "value": … }');
    }
  });
  return doc as ReviewDocument;
}

const ROLLBACK = Symbol('dry-run rollback');

export async function importReviews(db: Db, actor: Actor, input: unknown, opts: { dryRun?: boolean; fileHash?: string } = {}): Promise<ImportResult> {
  const doc = parseReviewDocument(input);
  const result: ImportResult = { created: 0, unchanged: 0, dryRun: opts.dryRun ?? false };
  try {
    await db.kysely.transaction().execute(async (trx) => {
      for (const [i, r] of doc.reviews.entries()) {
        const where = `reviews[${i}] (${r.unitId}, ${r.reviewedOn})`;
        await authorize(trx, actor, 'data.import', r.unitId);
        const existing = await reviews.findReviewByKey(trx, r.unitId, r.setId, r.reviewedOn);
        if (existing) {
          const current = await reviews.currentValues(trx, existing.id);
          const same =
            current.length === Object.keys(r.values).length &&
            current.every((v) => r.values[v.indicator_code] !== undefined && v.value_json === JSON.stringify(r.values[v.indicator_code]!.value));
          if (same && existing.status === r.status) {
            result.unchanged++;
            continue;
          }
          throw bad(where, 'đã có bản rà soát khác cho xã, bộ tiêu chí và ngày này; hãy sửa trực tiếp bản đó', 'a different review already exists for this unit, set and date; edit that one instead');
        }
        try {
          await createReviewsIn(trx, actor, [{ ...r, values: r.values as Record<string, ValueInput> }]);
        } catch (e) {
          if (isDomainError(e)) throw new DomainError(e.code, { vi: `${where}: ${e.messageVi}`, en: `${where}: ${e.message}` }, { index: i, ...e.details });
          throw e;
        }
        result.created++;
      }
      await recordAudit(trx, { ...actor, source: 'import' }, {
        action: 'reviews.import',
        entity: 'import',
        entityId: opts.fileHash ?? 'stdin',
        after: { created: result.created, unchanged: result.unchanged, fileHash: opts.fileHash ?? null },
      });
      if (opts.dryRun) throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result;
}
