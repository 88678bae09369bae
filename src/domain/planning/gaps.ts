/**
 * Phân tích khoảng cách — gap analysis: for a commune's verdict, every indicator still standing
 * between it and the level of the set it is reviewed against (its distance to target, in its unit
 * and as a share of the target), the criteria it blocks, and one sentence saying how far the
 * commune is ("Tràng An: 11 chỉ tiêu ở 6 tiêu chí để đạt NTM nâng cao"). Communes are ranked by
 * closeness to that level. Pure: takes verdicts, returns plain data.
 *
 * "To go" counts what is not met *and* what cannot be evaluated yet (a missing value, a threshold
 * no source shows): both stand between the commune and recognition. The pending ones are counted
 * apart so nobody mistakes "không có ngưỡng" for "chưa đạt".
 */
import type { IndicatorValue, Level, TargetLeaf, TargetOp } from '../criteria.ts';
import { LEVEL_NAMES } from '../criteria.ts';
import type { BilingualMessage } from '../errors.ts';
import type { CommuneVerdict } from '../evaluation.ts';
import { formatNumber } from '../verdict-text.ts';

/** Một chỉ tiêu chưa đạt — one indicator not (yet) met, with its distance to target. */
export interface IndicatorGap {
  /** Code of the criterion (tiêu chí) it belongs to. */
  criterion: string;
  criterionName: string;
  critical: boolean;
  code: string;
  name: string;
  unit: string | null;
  status: 'not_met' | 'not_evaluable';
  value: IndicatorValue;
  target: { op: TargetOp; value: TargetLeaf | null };
  /** Distance to target in the indicator's unit (grade: steps); null when it cannot be measured. */
  gap: number | null;
  /** gap / |target|, 0…∞ (0,25 = a quarter of the target still to go); null when not numeric. */
  gapShare: number | null;
  reason: BilingualMessage;
}

/** Khoảng cách của một xã — how far one commune is from the level of its set. */
export interface CommuneGap {
  id: string;
  name: string;
  parentName: string | null;
  reviewId: number;
  reviewedOn: string;
  set: string;
  setName: string;
  /** Level reached under the set (null: none). */
  level: Level | null;
  /** The level the set measures when not reached yet; null when reached. */
  nextLevel: Level | null;
  /** Criteria not met or not evaluable. */
  criteriaToGo: number;
  /** Indicators not met or not evaluable in those criteria. */
  indicatorsToGo: number;
  /** Of which not evaluable (no value or no threshold). */
  pending: number;
  /** Criteria not evaluable that have no indicator to list (none entered yet, or none with a threshold). */
  criteriaPending: number;
  criteriaTotal: number;
  indicatorsTotal: number;
  /** Prerequisite levels the commune does not hold (the level is withheld until it does). */
  missingPrerequisites: Level[];
  unmet: IndicatorGap[];
  sentence: BilingualMessage;
}

export interface CommuneMeta {
  id: string;
  name: string;
  parentName: string | null;
  reviewId: number;
  setName: string;
}

function share(gap: number | null, target: TargetLeaf | null): number | null {
  if (gap === null || typeof target !== 'number' || target === 0) return null;
  return Math.round((gap / Math.abs(target)) * 10000) / 10000;
}

/** The gap analysis of one commune from its verdict. */
export function communeGap(v: CommuneVerdict, meta: CommuneMeta): CommuneGap {
  const unmet: IndicatorGap[] = [];
  let criteriaToGo = 0;
  let criteriaPending = 0;
  for (const c of v.criteria) {
    if (c.status === 'met' || c.status === 'not_applicable') continue;
    criteriaToGo++;
    if (!c.indicators.some((i) => i.status === 'not_met' || i.status === 'not_evaluable')) criteriaPending++;
    for (const i of c.indicators) {
      if (i.status !== 'not_met' && i.status !== 'not_evaluable') continue;
      unmet.push({
        criterion: c.code,
        criterionName: c.name,
        critical: c.critical,
        code: i.code,
        name: i.name,
        unit: i.unit,
        status: i.status,
        value: i.value,
        target: { op: i.target.op, value: i.target.value },
        gap: i.gap,
        gapShare: share(i.gap, i.target.value),
        reason: i.reason,
      });
    }
  }
  const pending = unmet.filter((u) => u.status === 'not_evaluable').length;
  const reached = v.level === v.setLevel;
  const g: Omit<CommuneGap, 'sentence'> = {
    id: meta.id,
    name: meta.name,
    parentName: meta.parentName,
    reviewId: meta.reviewId,
    reviewedOn: v.asOf,
    set: v.setId,
    setName: meta.setName,
    level: v.level,
    nextLevel: reached ? null : v.setLevel,
    criteriaToGo,
    indicatorsToGo: unmet.length,
    pending,
    criteriaPending,
    criteriaTotal: v.totals.criteriaTotal - v.totals.criteriaNotApplicable,
    indicatorsTotal: v.totals.indicatorsTotal,
    missingPrerequisites: v.prerequisites.missing,
    unmet,
  };
  return { ...g, sentence: gapSentence(g, v.setLevel) };
}

/** "Tràng An: 11 chỉ tiêu ở 6 tiêu chí để đạt NTM nâng cao" — and why when the count alone would mislead. */
export function gapSentence(g: Omit<CommuneGap, 'sentence'>, setLevel: Level): BilingualMessage {
  const level = LEVEL_NAMES[setLevel];
  if (g.nextLevel === null) {
    return { vi: `${g.name}: đã đạt chuẩn ${level.vi} theo bộ tiêu chí đang áp dụng.`, en: `${g.name}: meets the ${level.en} standard of its set.` };
  }
  if (g.indicatorsToGo === 0 && g.criteriaToGo === 0) {
    const held = g.missingPrerequisites.map((l) => LEVEL_NAMES[l].vi).join(', ');
    return {
      vi: `${g.name}: đạt đủ tiêu chí nhưng chưa được công nhận ${held} (điều kiện tiên quyết) nên chưa đạt ${level.vi}.`,
      en: `${g.name}: meets every criterion but does not hold the prerequisite recognition (${g.missingPrerequisites.join(', ')}), so not yet ${level.en}.`,
    };
  }
  const pendingVi = g.pending > 0 ? ` (trong đó ${g.pending} chỉ tiêu chưa đánh giá được: thiếu số liệu hoặc ngưỡng)` : '';
  const pendingEn = g.pending > 0 ? ` (of which ${g.pending} cannot be evaluated yet: no value or no threshold)` : '';
  if (g.criteriaPending > 0) {
    const rest = g.criteriaToGo - g.criteriaPending;
    return {
      vi: `${g.name}: ${g.criteriaPending} tiêu chí chưa đánh giá được (chưa có chỉ tiêu hoặc ngưỡng)${rest > 0 ? `; ngoài ra còn ${g.indicatorsToGo} chỉ tiêu ở ${rest} tiêu chí` : ''}: chưa thể đạt ${level.vi} cho đến khi bộ tiêu chí đủ ngưỡng${pendingVi}.`,
      en: `${g.name}: ${g.criteriaPending} criteri${g.criteriaPending === 1 ? 'on' : 'a'} cannot be evaluated (no indicators or thresholds yet)${rest > 0 ? `; besides, ${g.indicatorsToGo} indicator(s) in ${rest} criteria to go` : ''}: ${level.en} cannot be reached until the set has its thresholds${pendingEn}.`,
    };
  }
  return {
    vi: `${g.name}: còn ${g.indicatorsToGo} chỉ tiêu ở ${g.criteriaToGo} tiêu chí để đạt ${level.vi}${pendingVi}.`,
    en: `${g.name}: ${g.indicatorsToGo} indicator${g.indicatorsToGo === 1 ? '' : 's'} in ${g.criteriaToGo} criteri${g.criteriaToGo === 1 ? 'on' : 'a'} to go to reach ${level.en}${pendingEn}.`,
  };
}

/** Mean gap share of the measurable unmet indicators (0 when none): how far, not just how many. */
export function meanGapShare(g: Pick<CommuneGap, 'unmet'>): number {
  const s = g.unmet.map((u) => u.gapShare).filter((x): x is number => x !== null);
  return s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
}

/**
 * Closest to the next level first: communes already there last; then fewer criteria to go, fewer
 * indicators to go, fewer pending, smaller mean gap share, then by name (Vietnamese collation).
 */
export function rankByCloseness<G extends CommuneGap>(gaps: readonly G[]): G[] {
  const collator = new Intl.Collator('vi');
  return [...gaps].sort(
    (a, b) =>
      Number(a.nextLevel === null) - Number(b.nextLevel === null) ||
      a.criteriaToGo - b.criteriaToGo ||
      a.indicatorsToGo - b.indicatorsToGo ||
      a.criteriaPending - b.criteriaPending ||
      a.pending - b.pending ||
      meanGapShare(a) - meanGapShare(b) ||
      collator.compare(a.name, b.name),
  );
}

/** "Gần đạt chuẩn": not there yet, at most `maxCriteria` criteria to go and nothing pending. */
export function nearlyThere<G extends CommuneGap>(ranked: readonly G[], maxCriteria = 2): G[] {
  return ranked.filter((g) => g.nextLevel !== null && g.criteriaToGo <= maxCriteria && g.pending === 0 && g.criteriaPending === 0 && g.indicatorsToGo > 0);
}

/** One line for a list of gaps: "3/12 xã gần đạt chuẩn (còn ≤ 2 tiêu chí)". */
export function nearlyThereLine(near: number, of: number, maxCriteria = 2): BilingualMessage {
  return {
    vi: `${near}/${of} xã gần đạt chuẩn (còn không quá ${maxCriteria} tiêu chí, không có chỉ tiêu chờ ngưỡng hoặc số liệu).`,
    en: `${near}/${of} communes nearly there (at most ${maxCriteria} criteria to go, none pending).`,
  };
}

/** "12,5 %" of a gap share, for sentences. */
export function formatShare(s: number, lang: 'vi' | 'en'): string {
  return `${formatNumber(Math.round(s * 1000) / 10, lang)} %`;
}
