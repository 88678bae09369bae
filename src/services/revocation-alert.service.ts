/**
 * Cảnh báo thu hồi công nhận — what the province does with an alert raised by the revocation watch
 * (src/services/revocation-watch.service.ts): open a revocation dossier (procedure `revocation`)
 * or dismiss it with the reason. Recognition is never terminal.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, RevocationAlertRow } from '../db/schema.ts';
import * as repo from '../db/dossier.repository.ts';
import { findReview } from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { DomainError, notFound, type BilingualMessage } from '../domain/errors.ts';
import { levelName } from '../domain/criteria.ts';
import { nfc } from '../domain/text.ts';
import { todayInVietnam } from '../domain/dates.ts';
import type { Actor } from './actor.ts';
import { allowed, authorize } from './access.service.ts';
import { getUnit } from './unit.service.ts';
import { detailOf, insertOpenedDossier, type DossierDetail } from './dossier.service.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface RevocationAlert {
  id: number;
  unitId: string;
  unitName: string;
  reviewId: number;
  reviewDate: string;
  recognitionId: number;
  level: string;
  levelName: BilingualMessage;
  decisionNo: string;
  rule: string;
  failingCriteria: string[];
  reason: BilingualMessage;
  status: RevocationAlertRow['status'];
  dossierId: number | null;
  createdAt: string;
}

async function toAlert(db: Q, r: RevocationAlertRow): Promise<RevocationAlert> {
  const [unit, review, rec] = await Promise.all([getUnit(db, r.unit_id), findReview(db, r.review_id), repo.findRecognition(db, r.recognition_id)]);
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: unit.fullName,
    reviewId: r.review_id,
    reviewDate: review?.reviewed_on ?? '',
    recognitionId: r.recognition_id,
    level: r.level,
    levelName: levelName(r.level),
    decisionNo: rec?.decision_no ?? '',
    rule: r.rule,
    failingCriteria: JSON.parse(r.failing_json) as string[],
    reason: { vi: r.reason_vi, en: r.reason_en },
    status: r.status,
    dossierId: r.dossier_id,
    createdAt: r.created_at,
  };
}

/** The alerts the actor may read (default: open ones). */
export async function listAlerts(db: Db, actor: Actor, q: { status?: string; unitId?: string } = {}): Promise<RevocationAlert[]> {
  await authorize(db, actor, 'dossier.read', q.unitId ?? 'anywhere');
  const rows = await repo.listAlerts(db.kysely, { status: q.status, unitIds: q.unitId ? [q.unitId] : undefined });
  const out: RevocationAlert[] = [];
  for (const r of rows) if (await allowed(db, actor, 'dossier.read', r.unit_id)) out.push(await toAlert(db.kysely, r));
  return out;
}

async function loadAlert(db: Q, id: number): Promise<RevocationAlertRow> {
  const row = await repo.findAlert(db, id);
  if (!row) throw notFound('cảnh báo thu hồi', 'Revocation alert', id);
  return row;
}

function alreadyHandled(a: RevocationAlertRow): DomainError {
  return new DomainError(
    'conflict',
    { vi: `Cảnh báo ${a.id} đã được xử lý (${a.status === 'dismissed' ? 'bỏ qua' : `hồ sơ ${a.dossier_id}`}).`, en: `Alert ${a.id} was already handled (${a.status}).` },
    { status: a.status, dossierId: a.dossier_id },
  );
}

/** Lập hồ sơ thu hồi from an open alert (province office). */
export async function openRevocationDossier(db: Db, actor: Actor, alertId: number, openedOn?: string): Promise<DossierDetail> {
  const alert = await loadAlert(db.kysely, alertId);
  await authorize(db, actor, 'revocation.manage', alert.unit_id);
  if (alert.status !== 'open') throw alreadyHandled(alert);
  const on = openedOn ?? actor.access?.today() ?? todayInVietnam();
  const review = await findReview(db.kysely, alert.review_id);
  const at = new Date().toISOString();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const open = await repo.findOpenDossier(trx, alert.unit_id, 'revocation', alert.level);
    if (open) throw new DomainError('conflict', { vi: `Đã có hồ sơ thu hồi đang xử lý (số ${open.id}).`, en: `A revocation dossier is already open (no. ${open.id}).` }, { dossierId: open.id });
    const d = await insertOpenedDossier(trx, actor, {
      unitId: alert.unit_id,
      kind: 'revocation',
      level: alert.level,
      setId: review?.set_id ?? '',
      procedure: 'revocation',
      openedOn: on,
      baseReviewId: alert.review_id,
      recognitionId: alert.recognition_id,
      alertId: alert.id,
      isDemo: review?.is_demo === 1,
      comment: alert.reason_vi,
    });
    if (!(await repo.updateAlert(trx, alert.id, 'open', { status: 'dossier_opened', dossier_id: d.id, handled_by: actor.id, handled_at: at }))) throw alreadyHandled(await loadAlert(trx, alert.id));
    await recordAudit(trx, actor, { action: 'revocation_alert.open_dossier', entity: 'revocation_alert', entityId: alert.id, unitId: alert.unit_id, before: { status: 'open' }, after: { status: 'dossier_opened', dossierId: d.id } });
    return d.id;
  });
  return detailOf(db.kysely, actor, (await repo.findDossier(db.kysely, id))!);
}

/** Bỏ qua cảnh báo, with the reason (e.g. the review was a data-entry error). */
export async function dismissAlert(db: Db, actor: Actor, alertId: number, note: string): Promise<RevocationAlert> {
  const alert = await loadAlert(db.kysely, alertId);
  await authorize(db, actor, 'revocation.manage', alert.unit_id);
  if (alert.status !== 'open') throw alreadyHandled(alert);
  const text = nfc(note ?? '').trim();
  if (text.length < 5) {
    throw new DomainError('validation_failed', { vi: 'Cần nêu lý do bỏ qua cảnh báo (ít nhất 5 ký tự).', en: 'State why the alert is dismissed (at least 5 characters).' }, { fields: [{ field: 'note' }] });
  }
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateAlert(trx, alert.id, 'open', { status: 'dismissed', handled_by: actor.id, handled_at: at, note: text.slice(0, 1000) }))) throw alreadyHandled(await loadAlert(trx, alert.id));
    await recordAudit(trx, actor, { action: 'revocation_alert.dismiss', entity: 'revocation_alert', entityId: alert.id, unitId: alert.unit_id, before: { status: 'open' }, after: { status: 'dismissed', note: text } });
  });
  return toAlert(db.kysely, await loadAlert(db.kysely, alertId));
}
