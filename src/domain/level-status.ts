/**
 * Mức đạt và lý do — the level a review shows and, in two languages, why: every screen, export and
 * report that shows a level shows this reason beside it, so "Chưa đạt" on a commune that meets
 * 19/19 criteria never stands unexplained (it lacks the recognition the level requires first).
 * Also the label of a result computed from a set no longer in force, and the rule of the 2025
 * merger for recognitions (a recognition stays with the old commune; see docs/units.md).
 * Pure: the callers give the figures and dates.
 */
import { LEVEL_IMPLIES, type Level } from './criteria.ts';
import type { BilingualMessage } from './errors.ts';
import { formatDateVi } from './dates.ts';

/** Short level names as tables and cards show them. */
export const LEVEL_SHORT_NAMES: Readonly<Record<Level, BilingualMessage>> = {
  ntm: { vi: 'NTM', en: 'NTM' },
  'nang-cao': { vi: 'NTM nâng cao', en: 'Advanced NTM' },
  'kieu-mau': { vi: 'NTM kiểu mẫu', en: 'Model NTM' },
  'hien-dai': { vi: 'NTM hiện đại', en: 'Modern NTM' },
};

export interface LevelFacts {
  /** The level the set measures and what it requires first (advanced requires NTM). */
  setLevel: Level;
  requires: readonly Level[];
  criteriaMet: number;
  criteriaTotal: number;
  indicatorsMet: number;
  indicatorsTotal: number;
  meetsStandard: boolean;
  /** The level the engine found (null: not reached). */
  level: Level | null;
  /** Levels recognised on the review date (their implied levels count too). */
  recognised: readonly Level[];
}

/** The prerequisite levels not held. */
export function missingPrerequisites(requires: readonly Level[], recognised: readonly Level[]): Level[] {
  const held = new Set(recognised.flatMap((l) => LEVEL_IMPLIES[l] ?? [l]));
  return requires.filter((l) => !held.has(l));
}

/**
 * Why a review shows the level it shows: "Đạt đủ 19/19 tiêu chí; chưa đủ điều kiện: chưa được công
 * nhận NTM", "Đạt 13/19 tiêu chí (64/75 chỉ tiêu); còn 6 tiêu chí chưa đạt", "Đạt đủ 19/19 tiêu chí,
 * 75/75 chỉ tiêu".
 */
export function levelReason(f: LevelFacts): BilingualMessage {
  const c = `${f.criteriaMet}/${f.criteriaTotal}`;
  const i = `${f.indicatorsMet}/${f.indicatorsTotal}`;
  if (!f.meetsStandard) {
    const left = f.criteriaTotal - f.criteriaMet;
    return {
      vi: `Đạt ${c} tiêu chí (${i} chỉ tiêu); còn ${left} tiêu chí chưa đạt`,
      en: `Meets ${c} criteria (${i} indicators); ${left} ${left === 1 ? 'criterion' : 'criteria'} not met`,
    };
  }
  if (f.level !== null) return { vi: `Đạt đủ ${c} tiêu chí, ${i} chỉ tiêu`, en: `Meets all ${c} criteria, ${i} indicators` };
  const missing = missingPrerequisites(f.requires, f.recognised);
  const names = (missing.length ? missing : f.requires).map((l) => LEVEL_SHORT_NAMES[l]);
  return {
    vi: `Đạt đủ ${c} tiêu chí; chưa đủ điều kiện: chưa được công nhận ${names.map((n) => n.vi).join(', ')}${missing.length ? '' : ' vào ngày rà soát'}`,
    en: `Meets all ${c} criteria; not eligible: not yet recognised ${names.map((n) => n.en).join(', ')}${missing.length ? '' : ' on the review date'}`,
  };
}

/** "Bộ tiêu chí đã hết hiệu lực 31/12/2025" when `date` is after the set's end, else null. */
export function expiredSetNote(validTo: string | null, date: string): BilingualMessage | null {
  if (validTo === null || date <= validTo) return null;
  return { vi: `Bộ tiêu chí đã hết hiệu lực ${formatDateVi(validTo)}`, en: `The criteria set expired on ${formatDateVi(validTo)}` };
}

/** A recognition of a commune that existed before the 2025 merger, as its successor shows it. */
export interface PredecessorRecognition {
  unitId: string;
  name: string;
  level: Level;
  decisionNo: string;
  decidedOn: string;
}

/**
 * The merger rule for recognitions (docs/units.md): a recognition belongs to the old commune; the
 * new commune is "chưa công nhận" until it is recognised itself, and shows how many of its
 * predecessors were recognised (the unit list carries no population or area, so the share is a
 * count of predecessor communes), with each predecessor's decision.
 */
export function predecessorCoverage(predecessors: number, recs: readonly PredecessorRecognition[]): BilingualMessage | null {
  if (predecessors === 0 || recs.length === 0) return null;
  const best = new Map<string, PredecessorRecognition>();
  for (const r of recs) {
    const b = best.get(r.unitId);
    if (!b || rank(r.level) > rank(b.level)) best.set(r.unitId, r);
  }
  const list = [...best.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const vi = list.map((r) => `${r.name}: ${LEVEL_SHORT_NAMES[r.level].vi}, QĐ ${r.decisionNo} ngày ${formatDateVi(r.decidedOn)}`).join('; ');
  const en = list.map((r) => `${r.name}: ${LEVEL_SHORT_NAMES[r.level].en}, decision ${r.decisionNo} of ${formatDateVi(r.decidedOn)}`).join('; ');
  return {
    vi: `Chưa công nhận (xã mới từ 01/07/2025); ${best.size}/${predecessors} xã cũ đã được công nhận — ${vi}`,
    en: `Not recognised (new commune from 01/07/2025); ${best.size}/${predecessors} former communes were recognised — ${en}`,
  };
}

const ORDER: readonly Level[] = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'];
function rank(l: Level): number {
  return ORDER.indexOf(l);
}

/** The day after an ISO date (a unit valid to 30/06/2025 ceased on 01/07/2025). */
function dayAfter(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
}

/**
 * What a review shows above its result: the set ended before today ("Bộ tiêu chí đã hết hiệu lực
 * 31/12/2025"), or the commune no longer exists (a back-dated review of a commune abolished in the
 * 2025 merger: its result and any recognition stay with the old commune).
 */
export function reviewWarnings(r: { unitName: string; unitValidTo: string | null; setValidTo: string | null; today: string }): BilingualMessage[] {
  const out: BilingualMessage[] = [];
  const expired = expiredSetNote(r.setValidTo, r.today);
  if (expired) out.push({ vi: `${expired.vi}: kết quả này tính theo bộ tiêu chí cũ.`, en: `${expired.en}: this result follows a set no longer in force.` });
  if (r.unitValidTo !== null && r.unitValidTo < r.today) {
    const gone = formatDateVi(dayAfter(r.unitValidTo));
    out.push({
      vi: `${r.unitName} không còn tồn tại từ ${gone} (sắp xếp đơn vị hành chính): bản rà soát ghi lại số liệu của xã cũ; kết quả và công nhận không chuyển sang xã mới.`,
      en: `${r.unitName} ceased to exist on ${gone} (administrative reorganisation): this review records the former commune; its result and recognitions do not pass to the new commune.`,
    });
  }
  return out;
}

/** The reason of a full verdict (the commune page, the commune's documents). */
export function levelReasonOfVerdict(v: {
  setLevel: Level;
  meetsStandard: boolean;
  level: Level | null;
  totals: { criteriaMet: number; criteriaTotal: number; indicatorsMet: number; indicatorsTotal: number };
  prerequisites: { required: readonly Level[]; held: readonly Level[] };
}): BilingualMessage {
  return levelReason({ setLevel: v.setLevel, requires: v.prerequisites.required, ...v.totals, meetsStandard: v.meetsStandard, level: v.level, recognised: v.prerequisites.held });
}
