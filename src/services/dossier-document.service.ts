/**
 * Tài liệu của hồ sơ — the documents of a dossier's checklist: a new version uploaded (type and
 * content checked), a version downloaded, and the drafts generated from the dossier's data, as Word
 * drafts the commune completes, signs and uploads back: the self-assessment report (the existing
 * report builder on the base review), the submission letter, the summary of residents' comments,
 * the public notice, the meeting minutes with the vote, the examination and appraisal reports'
 * narrative, the recognition decision and, for a revocation, the province's review report (Báo cáo rà soát: the alerting review
 * against the revocation rule).
 */
import type { Db } from '../db/database.ts';
import { findReview } from '../db/review.repository.ts';
import { docxBuffer } from '../files/reports/docx.ts';
import {
  buildAppraisalReport,
  buildCommentSummary,
  buildExaminationNarrative,
  buildMeetingMinutes,
  buildPublicNotice,
  buildRecognitionDecision,
  buildRevocationDecision,
  buildRevocationReviewReport,
  buildSubmissionLetter,
  type DossierFacts,
} from '../files/reports/builders/dossier.report.ts';
import { checkRevocation } from '../domain/revocation.ts';
import { unitNameOn } from '../domain/unit-names.ts';
import { DOCUMENT_TYPES, PROCEDURES, hasDraft, type DocumentType, type ProcedureId } from '../domain/dossier-workflow.ts';
import { DomainError } from '../domain/errors.ts';
import type { Level } from '../domain/criteria.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { Actor } from './actor.ts';
import { authorize } from './access.service.ts';
import { getUnit } from './unit.service.ts';
import { assertOpen, detailOf, invalid, loadDossier, type DossierDetail } from './dossier.service.ts';
import { attachmentPath, storeUpload } from './attachment.service.ts';
import { existsSync } from 'node:fs';
import { findDocument, findRecognition, findRecognitionOfDossier, insertDocument, listDocuments, listTransitions } from '../db/dossier.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import type { DossierDocumentRow } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { nfc } from '../domain/text.ts';
import { exportReport, type RenderedReport } from './report.service.ts';
import { commentSummary } from './consultation.service.ts';
import { evaluationOf } from './evaluation.service.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The Word draft of one document type of a dossier (404-like refusal for types without one). */
export async function draftDocument(db: Db, actor: Actor, dossierId: number, type: string, on: string): Promise<RenderedReport> {
  const d = await loadDossier(db.kysely, dossierId);
  await authorize(db, actor, 'dossier.read', d.unit_id);
  if (!(type in DOCUMENT_TYPES) || !DOCUMENT_TYPES[type as DocumentType].draft) {
    const types = (Object.keys(DOCUMENT_TYPES) as DocumentType[]).filter((t) => DOCUMENT_TYPES[t].draft);
    throw new DomainError('validation_failed', { vi: `Không có bản dự thảo cho loại "${type}" (có: ${types.join(', ')}).`, en: `No draft for "${type}" (available: ${types.join(', ')}).` }, { fields: [{ field: 'type' }] });
  }
  // A revocation dossier drafts its review report and its decision (a revocation); a recognition
  // dossier everything else — never a recognition decision for a revocation.
  if (!hasDraft(d.kind, type as DocumentType)) {
    const types = (Object.keys(DOCUMENT_TYPES) as DocumentType[]).filter((t) => hasDraft(d.kind, t));
    throw new DomainError('validation_failed', { vi: `Hồ sơ ${d.kind === 'revocation' ? 'thu hồi' : 'công nhận'} không có bản dự thảo "${DOCUMENT_TYPES[type as DocumentType].name.vi}" (có: ${types.map((t) => DOCUMENT_TYPES[t].name.vi).join('; ')}).`, en: `A ${d.kind} dossier has no "${DOCUMENT_TYPES[type as DocumentType].name.en}" draft (available: ${types.join(', ')}).` }, { fields: [{ field: 'type' }] });
  }
  const review = d.base_review_id ? await findReview(db.kysely, d.base_review_id) : undefined;
  if (!review) throw new DomainError('conflict', { vi: 'Hồ sơ chưa có bản rà soát làm căn cứ.', en: 'The dossier has no base review.' });
  const reportReq = { unitIds: [d.unit_id], date: review.reviewed_on, reviewId: review.id };
  switch (type as DocumentType) {
    case 'self_assessment_report':
      return exportReport(db, { kind: 'self-assessment', ...reportReq }, 'docx', actor);
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
  const transitions = await listTransitions(db.kysely, d.id);
  const steps = PROCEDURES[d.procedure as ProcedureId].steps;
  const roleOf = (state: string | null) => steps.find((x) => x.id === state)?.role ?? null;
  const consultationStep = steps.find((x) => x.publicConsultation && roleOf(x.id) === 'commune_officer');
  const consultation = {
    from: transitions.find((t) => t.to_state === consultationStep?.id)?.on_date ?? null,
    to: transitions.find((t) => t.from_state === consultationStep?.id)?.on_date ?? null,
  };
  if (type === 'decision' && d.kind === 'revocation') {
    const recognition = d.recognition_id !== null ? await findRecognition(db.kysely, d.recognition_id) : undefined;
    const date = transitions.find((t) => t.action === 'decide')?.on_date ?? d.closed_on ?? on;
    report = buildRevocationDecision({
      unit: naming,
      district: null,
      province: unitNameOn(province, date),
      level: d.level as Level,
      recognition: recognition ? { decisionNo: recognition.decision_no, decidedOn: recognition.decided_on } : null,
      date,
      demo,
    });
  } else if (type === 'meeting_minutes' || type === 'public_notice' || type === 'examination_report' || type === 'appraisal_report' || type === 'decision') {
    const v = await evaluationOf(db.kysely, review);
    const documents = await listDocuments(db.kysely, d.id);
    const recognition = d.kind === 'recognition' ? await findRecognitionOfDossier(db.kysely, d.id) : undefined;
    const approvedBy = (role: string) => transitions.find((t) => t.action === 'approve' && roleOf(t.from_state) === role)?.on_date;
    // Each document dated from the dossier's own moves: the minutes when the consultation closed,
    // the notice when it opened, the examination and appraisal when approved, the decision when
    // recorded — `on` (today) only for a step not reached yet.
    const dated: Record<string, string | null | undefined> = {
      meeting_minutes: consultation.to,
      public_notice: consultation.from,
      examination_report: approvedBy(d.procedure === 'three-level' ? 'district_office' : 'province_office'),
      appraisal_report: approvedBy('province_office'),
      decision: recognition?.decided_on,
    };
    const date = dated[type] ?? d.closed_on ?? on;
    const facts: DossierFacts = {
      unit: naming,
      district: d.procedure === 'three-level' && upper.level === 'district' ? unitNameOn(upper, date) : null,
      province: unitNameOn(province, date),
      level: d.level as Level,
      setName: set.name,
      review: { date: review.reviewed_on, criteriaMet: v.totals.criteriaMet, criteriaTotal: v.totals.criteriaTotal, indicatorsMet: v.totals.indicatorsMet, indicatorsTotal: v.totals.indicatorsTotal, unmet: v.unmet.map((u) => u.code) },
      satisfactionRate: d.satisfaction_rate,
      noConstructionDebt: d.no_construction_debt === null ? null : d.no_construction_debt === 1,
      securityOk: d.security_ok === null ? null : d.security_ok === 1,
      consultation,
      // The documents the examiner had: those of the steps before theirs (the commune's; for the
      // appraisal also the district's), with the two confirmations, in checklist order.
      documents: (Object.keys(DOCUMENT_TYPES) as DocumentType[])
        .filter((t) => documents.some((x) => x.doc_type === t))
        .filter((t) => {
          const roles = type === 'appraisal_report' || type === 'decision' ? ['commune_officer', 'district_office'] : ['commune_officer'];
          return t === 'debt_confirmation' || t === 'security_confirmation' || steps.some((x) => x.role !== null && roles.includes(x.role) && x.requires.includes(t));
        })
        .map((t) => DOCUMENT_TYPES[t].name.vi),
      decision: recognition ? { number: recognition.decision_no, date: recognition.decided_on, signer: recognition.signer } : null,
      date,
      demo,
    };
    const build = { meeting_minutes: buildMeetingMinutes, public_notice: buildPublicNotice, examination_report: buildExaminationNarrative, appraisal_report: buildAppraisalReport, decision: buildRecognitionDecision }[type];
    report = build(facts);
  } else if (type === 'review_report') {
    // The province's review of the review that crossed the revocation rule, dated the day the dossier was opened.
    const v = await evaluationOf(db.kysely, review);
    // A revocation dossier points at the recognition it would revoke.
    const recognition = d.recognition_id !== null ? await findRecognition(db.kysely, d.recognition_id) : await findRecognitionOfDossier(db.kysely, d.id);
    const reviewSet = getCatalog().get(review.set_id);
    report = buildRevocationReviewReport({
      unit: naming,
      province: unitNameOn(province, d.opened_on),
      level: d.level as Level,
      recognition: recognition ? { decisionNo: recognition.decision_no, decidedOn: recognition.decided_on } : null,
      setName: reviewSet.name,
      review: {
        date: review.reviewed_on,
        criteriaMet: v.totals.criteriaMet,
        criteriaTotal: v.totals.criteriaTotal,
        indicatorsMet: v.totals.indicatorsMet,
        indicatorsTotal: v.totals.indicatorsTotal,
        criteria: v.criteria.map((c) => ({ code: c.code, name: c.name, critical: c.critical, status: c.status, indicatorsMet: c.indicatorsMet, indicatorsTotal: c.indicatorsTotal })),
      },
      check: checkRevocation(v),
      date: d.opened_on,
      demo: demo || reviewSet.demo,
    });
  } else if (type === 'submission_letter') {
    const v = await evaluationOf(db.kysely, review);
    // Dated from the dossier's own data: the day the commune (last) submitted it, else the day it
    // closed, else `on` — a dossier of 2023 proposes recognition for 2023, never for the year it is printed.
    const communeSubmits = transitions.filter((t) => t.action === 'submit' && roleOf(t.from_state) === 'commune_officer');
    const dated = communeSubmits.at(-1)?.on_date ?? d.closed_on ?? on;
    report = buildSubmissionLetter({
      unit: naming,
      recipient: unitNameOn(recipient, dated),
      level: d.level as Level,
      setName: set.name,
      decision: { number: set.decision.number, date: set.decision.date },
      review: { date: review.reviewed_on, criteriaMet: v.totals.criteriaMet, criteriaTotal: v.totals.criteriaTotal, indicatorsMet: v.totals.indicatorsMet, indicatorsTotal: v.totals.indicatorsTotal },
      satisfactionRate: d.satisfaction_rate,
      noConstructionDebt: d.no_construction_debt === null ? null : d.no_construction_debt === 1,
      securityOk: d.security_ok === null ? null : d.security_ok === 1,
      date: dated,
      demo,
    });
  } else {
    const s = await commentSummary(db, d.id);
    const consultation = PROCEDURES[d.procedure as ProcedureId].steps.find((x) => x.publicConsultation);
    const into = transitions.find((t) => t.to_state === consultation?.id);
    const out = transitions.find((t) => t.from_state === consultation?.id);
    // The day the consultation closed (the summary is written then), else the day the dossier closed, else `on`.
    const dated = out?.on_date ?? d.closed_on ?? on;
    report = buildCommentSummary({
      unit: naming,
      recipient: unitNameOn(recipient, dated),
      level: d.level as Level,
      openedOn: into?.on_date ?? null,
      closedOn: out?.on_date ?? null,
      counts: { pending: s.counts.pending, published: s.counts.published, rejected: s.counts.rejected },
      comments: s.published.map((c) => ({ body: c.body, createdAt: c.createdAt })),
      date: dated,
      demo,
    });
  }
  return { body: await docxBuffer(report), contentType: DOCX, fileName: `${report.fileName}.docx` };
}

export interface UploadDocumentInput {
  type: string;
  filename?: string | null;
  note?: string | null;
  data: Uint8Array;
}

/** A new version of one document of the checklist (type and size checked by content). */
export async function uploadDocument(db: Db, actor: Actor, id: number, input: UploadDocumentInput, dir: string): Promise<DossierDetail> {
  const existing = await loadDossier(db.kysely, id);
  await authorize(db, actor, 'dossier.write', existing.unit_id);
  assertOpen(existing);
  if (!(input.type in DOCUMENT_TYPES)) {
    throw invalid('type', `Loại tài liệu "${input.type}" không có trong danh mục hồ sơ.`, `Unknown document type "${input.type}".`);
  }
  const stored = storeUpload(input.data, input.filename, dir);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const doc = await insertDocument(trx, {
      dossier_id: id,
      doc_type: input.type,
      sha256: stored.sha256,
      filename: stored.filename,
      content_type: stored.contentType,
      size: stored.size,
      note: input.note ? nfc(input.note).trim().slice(0, 500) : null,
      created_by: actor.id,
      created_at: at,
    });
    await recordAudit(trx, actor, { action: 'dossier.document.upload', entity: 'dossier_document', entityId: doc.id, unitId: existing.unit_id, after: doc });
  });
  return detailOf(db.kysely, actor, await loadDossier(db.kysely, id));
}

/** A document version and where its bytes are (within `dossier.read`). */
export async function getDocumentFile(db: Db, actor: Actor, docId: number, dir: string): Promise<{ row: DossierDocumentRow; path: string }> {
  const doc = await findDocument(db.kysely, docId);
  if (!doc) throw notFound('tài liệu hồ sơ', 'Dossier document', docId);
  const d = await loadDossier(db.kysely, doc.dossier_id);
  await authorize(db, actor, 'dossier.read', d.unit_id);
  const file = attachmentPath(dir, doc.sha256);
  // A lost file (a restore without the files) is a named 404, not a 500 from the stream.
  if (!existsSync(file)) throw notFound('nội dung tài liệu hồ sơ', 'Dossier document content', docId);
  return { row: doc, path: file };
}
