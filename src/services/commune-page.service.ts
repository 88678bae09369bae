/**
 * Trang xã — everything a commune's page shows on a date: the unit with its predecessors and
 * successors across the 2025 merge, its latest submitted review and the verdict tree, the
 * committee sentence, recognitions (its own and its predecessors'), and the review history.
 */
import type { Db } from '../db/database.ts';
import * as reviews from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import type { CommuneVerdict } from '../domain/evaluation.ts';
import { summaryLine } from '../domain/evaluation.ts';
import { expiredSetNote, levelReasonOfVerdict, predecessorCoverage } from '../domain/level-status.ts';
import { formatDateVi } from '../domain/dates.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { countEn } from '../domain/text.ts';
import { countSet } from '../catalog/counts.ts';
import type { ProvenanceCounts } from '../domain/provenance.ts';
import type { BilingualMessage } from '../domain/errors.ts';
import type { Level } from '../domain/criteria.ts';
import { getUnit, type UnitDetail } from './unit.service.ts';
import type { HistoryEntry, ReviewSummary } from '../files/reports/inputs.ts';
import { evaluationOf, isFresh, refreshEvaluation } from './evaluation.service.ts';
import { toReviewSummary } from './review.service.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';

// The web app reads this type from here.

export interface RecognitionEntry {
  id: number;
  unitId: string;
  unitName: string;
  relation: 'self' | 'predecessor';
  level: Level;
  setId: string | null;
  decisionNo: string;
  decidedOn: string;
  signer: string | null;
  isDemo: boolean;
}

export interface CommunePage {
  unit: UnitDetail;
  date: string;
  /** Latest submitted review on or before the date, with its evaluation. */
  review: ReviewSummary | null;
  /** The name of the criteria set (the version in force on the review's date) that review was evaluated by. */
  reviewSetName: string | null;
  evaluation: CommuneVerdict | null;
  summaryLine: BilingualMessage | null;
  /** A newer draft, if one is being prepared. */
  draft: ReviewSummary | null;
  recognitions: RecognitionEntry[];
  /** Why the review shows its level ("Đạt đủ 19/19 tiêu chí; chưa đủ điều kiện: chưa được công nhận NTM"). */
  levelReason: BilingualMessage | null;
  /** "Bộ tiêu chí đã hết hiệu lực 31/12/2025" when the review's set had ended by the date. */
  setNote: BilingualMessage | null;
  /** Which version of the set the review was evaluated by, and why (the one in force on its date); null when the set has one version. */
  versionNote: BilingualMessage | null;
  /** The set's indicators by provenance ("5 chỉ tiêu: 0 chính thức, 1 thứ cấp, 4 tái dựng"), for the version that evaluated the review. */
  setProvenance: BilingualMessage | null;
  /** A new commune (2025 merger) not recognised itself: its recognised predecessors, with their decisions. */
  coverage: BilingualMessage | null;
  history: HistoryEntry[];
}

export async function getCommunePage(db: Db, unitId: string, date: string, actor?: Actor): Promise<CommunePage> {
  if (actor) await authorize(db, actor, 'summary.read', unitId);
  const unit = await getUnit(db.kysely, unitId);
  const related = [{ id: unit.id, name: unit.fullName, relation: 'self' as const }, ...unit.predecessors.map((p) => ({ id: p.id, name: p.fullName, relation: 'predecessor' as const }))];
  const names = new Map(related.map((r) => [r.id, r]));
  const all = await reviews.listReviewsOfUnits(
    db.kysely,
    related.map((r) => r.id),
  );
  const own = all.filter((r) => r.unit_id === unit.id && r.reviewed_on <= date);
  const latest = own.find((r) => r.status === 'submitted') ?? null;
  const draft = own.find((r) => r.status === 'draft' && (!latest || r.reviewed_on >= latest.reviewed_on)) ?? null;
  const evaluation = latest ? await evaluationOf(db.kysely, latest) : null;

  const evals = await reviews.evaluationsOfReviews(
    db.kysely,
    all.map((r) => r.id),
  );
  for (const r of all) {
    const e = evals.get(r.id);
    if (isFresh(e, r)) continue;
    // Missing or stale: recompute once and use the row it stored.
    evals.set(r.id, (await refreshEvaluation(db.kysely, r)).row);
  }
  const history: HistoryEntry[] = all
    .filter((r) => r.reviewed_on <= date)
    .map((r) => {
      const e = evals.get(r.id);
      const rel = names.get(r.unit_id)!;
      return {
        ...toReviewSummary(r),
        unitName: rel.name,
        relation: rel.relation,
        criteriaMet: e?.criteria_met ?? null,
        criteriaTotal: e?.criteria_total ?? null,
        indicatorsMet: e?.indicators_met ?? null,
        indicatorsTotal: e?.indicators_total ?? null,
      };
    });

  const recs = await listRecognitionsOfUnits(
    db.kysely,
    related.map((r) => r.id),
  );
  const inForce = recs.filter((r) => r.decided_on <= date && (r.revoked_on === null || r.revoked_on > date));
  const ownRecognised = inForce.some((r) => r.unit_id === unit.id);
  const fromPredecessors = inForce
    .filter((r) => r.unit_id !== unit.id)
    .map((r) => ({ unitId: r.unit_id, name: names.get(r.unit_id)!.name, level: r.level as Level, decisionNo: r.decision_no, decidedOn: r.decided_on }));
  return {
    unit,
    date,
    levelReason: evaluation ? levelReasonOfVerdict(evaluation) : null,
    setNote: latest ? expiredSetNote(getCatalog().get(latest.set_id).validTo, date) : null,
    versionNote: latest ? versionNoteOf(latest.set_id, latest.reviewed_on) : null,
    setProvenance: latest && getCatalog().has(latest.set_id) ? provenanceText(countSet(getCatalog().at(latest.set_id, latest.reviewed_on)).provenance) : null,
    coverage: ownRecognised ? null : predecessorCoverage(unit.predecessors.length, fromPredecessors),
    review: latest ? toReviewSummary(latest) : null,
    reviewSetName: latest ? getCatalog().nameOf(latest.set_id, latest.reviewed_on) : null,
    evaluation,
    summaryLine: evaluation ? summaryLine(evaluation) : null,
    draft: draft ? toReviewSummary(draft) : null,
    recognitions: recs
      .filter((r) => r.decided_on <= date)
      .map((r) => ({
        id: r.id,
        unitId: r.unit_id,
        unitName: names.get(r.unit_id)!.name,
        relation: names.get(r.unit_id)!.relation,
        level: r.level as Level,
        setId: r.set_id,
        decisionNo: r.decision_no,
        decidedOn: r.decided_on,
        signer: r.signer,
        isDemo: r.is_demo === 1,
      })),
    history,
  };
}

/** "Evaluated by version 2 (valid 01/10/2026 – 31/12/2030): the version in force on the review's date." */
function versionNoteOf(setId: string, reviewedOn: string): BilingualMessage | null {
  const catalog = getCatalog();
  if (!catalog.has(setId) || catalog.versions(setId).length < 2) return null;
  const v = catalog.at(setId, reviewedOn);
  const to = (lang: 'vi' | 'en') => (v.validTo ? formatDateVi(v.validTo) : lang === 'vi' ? 'nay' : 'open-ended');
  return {
    vi: `Đánh giá theo phiên bản ${v.version} của bộ (hiệu lực ${formatDateVi(v.validFrom)} – ${to('vi')}): phiên bản có hiệu lực vào ngày rà soát ${formatDateVi(reviewedOn)}.`,
    en: `Evaluated by version ${v.version} of the set (valid ${formatDateVi(v.validFrom)} – ${to('en')}): the version in force on the review date, ${formatDateVi(reviewedOn)}.`,
  };
}

/** "Bộ có 47 chỉ tiêu: 41 chính thức, 6 thứ cấp, 0 tái dựng." — how far the set's thresholds can be trusted. */
export function provenanceText(p: ProvenanceCounts): BilingualMessage {
  const n = p.official + p.secondary + p.reconstructed;
  return {
    vi: `Bộ có ${n} chỉ tiêu: ${p.official} chính thức, ${p.secondary} thứ cấp, ${p.reconstructed} tái dựng (chưa có nguồn).`,
    en: `The set has ${countEn(n, 'indicator')}: ${p.official} official, ${p.secondary} secondary, ${p.reconstructed} reconstructed (no source).`,
  };
}
