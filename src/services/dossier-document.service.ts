/**
 * Dự thảo văn bản của hồ sơ — the standard documents generated from the dossier's data, as Word
 * drafts the commune completes, signs and uploads back: the self-assessment report (the existing
 * report builder on the base review), the submission letter, the summary of residents' comments
 * and, for a revocation, the review report (the commune-detail report on the alerting review).
 */
import type { Db } from '../db/database.ts';
import { findReview } from '../db/review.repository.ts';
import { listTransitions } from '../db/dossier.repository.ts';
import { docxBuffer } from '../files/reports/docx.ts';
import { buildCommentSummary, buildSubmissionLetter } from '../files/reports/builders/dossier.report.ts';
import { DOCUMENT_TYPES, PROCEDURES, type DocumentType, type ProcedureId } from '../domain/dossier-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import type { Level } from '../domain/criteria.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';
import { getUnit } from './unit.service.ts';
import { loadDossier } from './dossier.service.ts';
import { exportReport, type RenderedReport } from './report.service.ts';
import { commentSummary } from './consultation.service.ts';
import { evaluationOf } from './review.service.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The Word draft of one document type of a dossier (404-like refusal for types without one). */
export async function draftDocument(db: Db, actor: Actor, dossierId: number, type: string, on: string): Promise<RenderedReport> {
  const d = await loadDossier(db.kysely, dossierId);
  await authorize(db, actor, 'dossier.read', d.unit_id);
  if (!(type in DOCUMENT_TYPES) || !DOCUMENT_TYPES[type as DocumentType].draft) {
    const types = (Object.keys(DOCUMENT_TYPES) as DocumentType[]).filter((t) => DOCUMENT_TYPES[t].draft);
    throw new DomainError('validation_failed', { vi: `Không có bản dự thảo cho loại "${type}" (có: ${types.join(', ')}).`, en: `No draft for "${type}" (available: ${types.join(', ')}).` }, { fields: [{ field: 'type' }] });
  }
  const review = d.base_review_id ? await findReview(db.kysely, d.base_review_id) : undefined;
  if (!review) throw new DomainError('conflict', { vi: 'Hồ sơ chưa có bản rà soát làm căn cứ.', en: 'The dossier has no base review.' });
  const reportReq = { unitIds: [d.unit_id], date: review.reviewed_on, reviewId: review.id };
  switch (type as DocumentType) {
    case 'self_assessment_report':
      return exportReport(db, { kind: 'self-assessment', ...reportReq }, 'docx', actor);
    case 'review_report':
      return exportReport(db, { kind: 'commune-detail', ...reportReq }, 'docx', actor);
    default:
      break;
  }
  const unit = await getUnit(db.kysely, d.unit_id);
  // The three-level procedure submits to the district; the two-level one to the province.
  const upper = unit.parentId ? await getUnit(db.kysely, unit.parentId) : unit;
  const province = upper.level === 'district' && upper.parentId ? await getUnit(db.kysely, upper.parentId) : upper;
  const recipient = (d.procedure as ProcedureId) === 'three-level' ? upper : province;
  const naming = { type: unit.type, name: unit.name, fullName: unit.fullName };
  const set = getCatalog().get(d.set_id);
  const demo = d.is_demo === 1 || set.demo;
  let report;
  if (type === 'submission_letter') {
    const v = await evaluationOf(db.kysely, review);
    report = buildSubmissionLetter({
      unit: naming,
      recipient: { type: recipient.type, name: recipient.name },
      level: d.level as Level,
      setName: set.name,
      decision: { number: set.decision.number, date: set.decision.date },
      review: { date: review.reviewed_on, criteriaMet: v.totals.criteriaMet, criteriaTotal: v.totals.criteriaTotal, indicatorsMet: v.totals.indicatorsMet, indicatorsTotal: v.totals.indicatorsTotal },
      satisfactionRate: d.satisfaction_rate,
      noConstructionDebt: d.no_construction_debt === null ? null : d.no_construction_debt === 1,
      securityOk: d.security_ok === null ? null : d.security_ok === 1,
      date: on,
      demo,
    });
  } else {
    const s = await commentSummary(db, d.id);
    const consultation = PROCEDURES[d.procedure as ProcedureId].steps.find((x) => x.publicConsultation);
    const transitions = await listTransitions(db.kysely, d.id);
    const into = transitions.find((t) => t.to_state === consultation?.id);
    const out = transitions.find((t) => t.from_state === consultation?.id);
    report = buildCommentSummary({
      unit: naming,
      recipient: { type: recipient.type, name: recipient.name },
      level: d.level as Level,
      openedOn: into?.on_date ?? null,
      closedOn: out?.on_date ?? null,
      counts: { pending: s.counts.pending, published: s.counts.published, rejected: s.counts.rejected },
      comments: s.published.map((c) => ({ body: c.body, createdAt: c.createdAt })),
      date: on,
      demo,
    });
  }
  return { body: await docxBuffer(report), contentType: DOCX, fileName: `${report.fileName}.docx` };
}
