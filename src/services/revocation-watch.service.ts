/**
 * Theo dõi thu hồi công nhận — every submitted review of a recognised commune runs the revocation
 * rule (Decision 18/2022, src/domain/revocation.ts) against the recognition of the review's level;
 * a trigger raises an alert for the province (src/services/revocation-alert.service.ts handles it).
 * Called by the review service inside the transaction that submits the review.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, RecognitionRow, RevocationAlertRow, ReviewRow } from '../db/schema.ts';
import { insertAlertOnce } from '../db/dossier.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { checkRevocation } from '../domain/revocation.ts';
import type { CommuneVerdict } from '../domain/evaluation.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { Actor } from './actor.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Run the rule for a submitted review (inside the caller's transaction). Only a recognition of the
 * review's level, decided on or before the review date and not revoked, is at stake: a commune
 * recognised NTM that fails an advanced-level review keeps its NTM recognition. Returns the alert
 * raised, if any (one per review and recognition).
 */
export async function watchReview(trx: Q, actor: Actor, review: ReviewRow, verdict: CommuneVerdict, knownRecognitions?: readonly RecognitionRow[]): Promise<RevocationAlertRow | null> {
  if (review.status !== 'submitted') return null;
  const level = getCatalog().get(review.set_id).level;
  // Bulk imports pass the recognitions they already loaded (no query per review).
  const recs = (knownRecognitions ?? (await listRecognitionsOfUnits(trx, [review.unit_id]))).filter((r) => r.unit_id === review.unit_id).filter((r) => r.level === level && r.decided_on <= review.reviewed_on && !r.revoked_on);
  const rec = recs.at(-1);
  if (!rec) return null;
  const check = checkRevocation(verdict);
  if (!check.triggered) return null;
  const { row, created } = await insertAlertOnce(trx, {
    unit_id: review.unit_id,
    review_id: review.id,
    recognition_id: rec.id,
    level,
    rule: check.rule,
    failing_json: JSON.stringify(check.failingCriteria),
    reason_vi: check.reason.vi,
    reason_en: check.reason.en,
    status: 'open',
    dossier_id: null,
    handled_by: null,
    handled_at: null,
    note: null,
    created_at: new Date().toISOString(),
  });
  if (created) await recordAudit(trx, actor, { action: 'revocation_alert.create', entity: 'revocation_alert', entityId: row.id, unitId: review.unit_id, after: row });
  return row;
}

