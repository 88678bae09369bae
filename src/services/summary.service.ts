/**
 * Tổng hợp — where every commune under a unit stands on a date: per-commune status, counts per
 * level, average criteria met, communes below 15 criteria, distribution; and one commune's page.
 * A commune's status on a date is its latest *submitted* review on or before that date.
 * Figures are grouped per criteria set: x/N counts are only comparable within one set.
 */
import type { Db } from '../db/database.ts';
import * as reviews from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';
import type { RecognitionRow } from '../db/schema.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { LEVEL_IMPLIES, LEVELS, type Level } from '../domain/criteria.ts';
import { DomainError, type BilingualMessage } from '../domain/errors.ts';
import { LEVEL_SHORT_NAMES, expiredSetNote, levelReason, predecessorCoverage, type PredecessorRecognition } from '../domain/level-status.ts';
import { listPredecessorsOfUnits } from '../db/unit.repository.ts';
import { formatDateVi, withinPeriod } from '../domain/dates.ts';
import { getUnit, listCommunesUnder, type UnitDetail } from './unit.service.ts';
import type { CommuneStatusRow, SetStats, SummaryFigure, TrendPoint, UnitSummary } from '../files/reports/inputs.ts';
import { isFresh, refreshEvaluation } from './evaluation.service.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';

// The web app and the report service read these types from here.

/** Loại đơn vị "Xã": the units the NTM programme measures. */
export const RURAL_COMMUNE_TYPE = 'Xã';

function emptyLevelCounts(): Record<Level | 'none', number> {
  return { ntm: 0, 'nang-cao': 0, 'kieu-mau': 0, 'hien-dai': 0, none: 0 };
}

function highestLevel(levels: Level[]): Level | null {
  let best = -1;
  for (const l of levels) best = Math.max(best, LEVELS.indexOf(l));
  return best >= 0 ? LEVELS[best]! : null;
}

function notValidOnDate(unit: UnitDetail, date: string): DomainError {
  const alternatives = date < (unit.validFrom ?? '') ? unit.predecessors : unit.successors;
  return new DomainError(
    'unit_not_valid_on_date',
    {
      vi: `${unit.fullName} không tồn tại vào ngày ${formatDateVi(date)}${alternatives.length ? `; xem: ${alternatives.map((a) => a.fullName).join(', ')}` : ''}.`,
      en: `${unit.fullName} did not exist on ${date}${alternatives.length ? `; see: ${alternatives.map((a) => a.id).join(', ')}` : ''}.`,
    },
    { alternatives: alternatives.map((a) => ({ id: a.id, name: a.fullName })) },
  );
}

/** Fill in evaluations that are missing or stale (set file changed, profile changed). */
export async function freshRows(db: Db, rows: reviews.LatestReviewRow[]): Promise<reviews.LatestReviewRow[]> {
  const stale = rows.filter((r) => !isFresh({ review_version: r.ev_version, catalog_hash: r.catalog_hash }, r));
  if (stale.length === 0) return rows;
  const values = await reviews.currentValuesOfReviews(
    db.kysely,
    stale.map((r) => r.review_id),
  );
  const fixed = new Map<number, reviews.LatestReviewRow>();
  for (const r of stale) {
    const review = await reviews.findReview(db.kysely, r.review_id);
    if (!review) continue;
    const { row: e } = await refreshEvaluation(db.kysely, review, values.get(r.review_id) ?? []);
    fixed.set(r.review_id, {
      ...r,
      ev_version: e.review_version,
      catalog_hash: e.catalog_hash,
      criteria_met: e.criteria_met,
      criteria_total: e.criteria_total,
      indicators_met: e.indicators_met,
      indicators_total: e.indicators_total,
      not_evaluable: e.not_evaluable,
      level: e.level,
      meets_standard: e.meets_standard,
      criteria_status: e.criteria_status,
    });
  }
  return rows.map((r) => fixed.get(r.review_id) ?? r);
}

/** Recognitions in force on a date: decided on or before it and not revoked by then. */
/** What a summary reads of a recognition. */
type RecognitionFacts = Pick<RecognitionRow, 'id' | 'unit_id' | 'level' | 'decision_no' | 'decided_on' | 'revoked_on'>;

function inForce<R extends RecognitionFacts>(recs: readonly R[], date: string): R[] {
  return recs.filter((r) => r.decided_on <= date && (r.revoked_on === null || r.revoked_on > date));
}

function recognisedLevelOn(recs: RecognitionFacts[], date: string): Level | null {
  return highestLevel(inForce(recs, date).map((r) => r.level as Level));
}

function pct(n: number, d: number): number | null {
  return d > 0 ? Math.round((n * 1000) / d) / 10 : null;
}

const COMMUNES_UNIT: BilingualMessage = { vi: 'xã', en: 'communes' };

function figure(key: string, label: BilingualMessage, value: number | null, of: SummaryFigure['of'], note: BilingualMessage | null = null, decimals = 0, unit = COMMUNES_UNIT): SummaryFigure {
  return { key, label, value, unit, decimals, of, share: of && value !== null ? pct(value, of.count) : null, note };
}

/**
 * The headline figures, each with its denominator: the communes of the unit for coverage and
 * recognitions, the communes reviewed against a set for what that set measures (an advanced set
 * never says whether a commune meets the basic level, so it gives no "NTM" figure).
 */
export function headlineFigures(s: Omit<UnitSummary, 'figures'>, held: ReadonlyMap<string, ReadonlySet<Level>>): SummaryFigure[] {
  const d = s.denominator.communes;
  const communesOf = { count: d, label: { vi: 'xã trên địa bàn', en: 'communes in the unit' } };
  const out: SummaryFigure[] = [
    figure('communes', { vi: 'Tổng số xã trên địa bàn', en: 'Communes in the unit' }, d, null, {
      vi: `Mẫu số: các xã theo danh mục đơn vị hành chính tại ngày ${formatDateVi(s.denominator.asOf)}`,
      en: `Denominator: the communes of the administrative-unit list on ${formatDateVi(s.denominator.asOf)}`,
    }),
    figure('reviewed', { vi: 'Số xã đã có bản rà soát được nộp', en: 'Communes with a submitted review' }, s.reviewed, communesOf),
    figure('notReviewed', { vi: 'Số xã chưa rà soát', en: 'Communes not reviewed' }, s.notReviewed, communesOf),
  ];
  const catalog = getCatalog();
  for (const set of s.sets) {
    const mine = s.communes.filter((c) => c.setId === set.setId);
    const of = { count: mine.length, label: { vi: `xã đã rà soát theo ${set.setName}`, en: `communes reviewed against ${set.setName}` } };
    const n = set.criteria.length;
    const meets = mine.filter((c) => c.meetsStandard === true).length;
    const reached = mine.filter((c) => c.level !== null).length;
    const lvl = LEVEL_SHORT_NAMES[set.level];
    const expired = expiredSetNote(catalog.get(set.setId).validTo, s.date);
    out.push(figure(`meets:${set.setId}`, { vi: `Số xã đạt đủ ${n}/${n} tiêu chí`, en: `Communes meeting all ${n} criteria` }, meets, of, expired));
    const blocked = meets - reached;
    out.push(
      figure(
        `level:${set.setId}`,
        { vi: `Số xã đạt chuẩn ${lvl.vi} theo kết quả rà soát`, en: `Communes at the ${lvl.en} level by review` },
        reached,
        of,
        blocked > 0
          ? {
              vi: `${blocked} xã đạt đủ ${n}/${n} tiêu chí nhưng chưa đủ điều kiện (chưa được công nhận ${set.level === 'nang-cao' ? 'NTM' : 'mức trước'})`,
              en: `${blocked} meet all ${n} criteria but are not eligible (not yet recognised at the level required first)`,
            }
          : expired,
      ),
    );
  }
  const nineteen = s.communes.filter((r) => r.criteriaTotal === 19);
  if (nineteen.length > 0) {
    const of19 = { count: nineteen.length, label: { vi: 'xã đã rà soát theo bộ 19 tiêu chí', en: 'communes reviewed against a 19-criterion set' } };
    const average = figure('average', { vi: 'Bình quân số tiêu chí đạt/xã', en: 'Average criteria met' }, s.averageCriteriaMet, of19, null, 1, { vi: 'tiêu chí/xã', en: 'criteria per commune' });
    out.push({ ...average, share: null });
    out.push(figure('below15', { vi: 'Số xã đạt dưới 15 tiêu chí', en: 'Communes below 15 criteria' }, s.below15, of19, { vi: 'Mục tiêu: không còn xã dưới 15 tiêu chí', en: 'Target: no commune below 15 criteria' }));
  }
  // Recognitions: cumulative ("NTM" counts every commune holding NTM or a level above it).
  for (const l of LEVELS) {
    const k = s.communes.filter((c) => held.get(c.unitId)?.has(l) === true).length;
    if (k === 0 && l !== 'ntm') continue;
    out.push(figure(`recognised:${l}`, { vi: `Số xã đã được công nhận ${LEVEL_SHORT_NAMES[l].vi}`, en: `Communes recognised ${LEVEL_SHORT_NAMES[l].en}` }, k, communesOf, l === 'ntm' ? { vi: 'Kể cả xã đã được công nhận mức cao hơn', en: 'Including communes recognised at a higher level' } : null));
  }
  // The 2025 merger: recognitions stay with the former communes (docs/units.md).
  const predecessors = s.communes.reduce((n, c) => n + c.predecessorCount, 0);
  if (predecessors > 0) {
    const ofOld = { count: predecessors, label: { vi: 'xã cũ (trước 01/07/2025) hợp thành các xã trên địa bàn', en: 'former communes (before 01/07/2025) the communes were formed from' } };
    for (const l of LEVELS) {
      const k = s.communes.reduce((n, c) => n + new Set(c.predecessorRecognitions.filter((r) => LEVEL_IMPLIES[r.level].includes(l)).map((r) => r.unitId)).size, 0);
      if (k === 0 && l !== 'ntm') continue;
      out.push(figure(`predecessorRecognised:${l}`, { vi: `Số xã cũ đã được công nhận ${LEVEL_SHORT_NAMES[l].vi}`, en: `Former communes recognised ${LEVEL_SHORT_NAMES[l].en}` }, k, ofOld, {
        vi: 'Quyết định công nhận thuộc về xã cũ; xã mới chưa được công nhận',
        en: 'A recognition belongs to the former commune; the new commune is not recognised',
      }));
    }
    out.push(figure('coveredCommunes', { vi: 'Số xã có xã cũ đã được công nhận', en: 'Communes with a recognised former commune' }, s.communes.filter((c) => c.predecessorRecognitions.length > 0).length, communesOf));
  }
  out.push(figure('recognitionsThisYear', { vi: `Số quyết định công nhận trong năm ${s.date.slice(0, 4)}`, en: `Recognition decisions in ${s.date.slice(0, 4)}` }, s.recognitionsThisYear, null, { vi: `Đến ngày ${formatDateVi(s.date)}`, en: `Up to ${formatDateVi(s.date)}` }, 0, { vi: 'quyết định', en: 'decisions' }));
  return out;
}

export async function getUnitSummary(db: Db, unitId: string, date: string, actor?: Actor): Promise<UnitSummary> {
  if (actor) await authorize(db, actor, 'summary.read', unitId);
  const unit = await getUnit(db.kysely, unitId);
  if (!withinPeriod(date, unit.validFrom, unit.validTo)) throw notValidOnDate(unit, date);
  // The programme measures rural communes (xã); wards and towns are not in the denominator.
  const communes =
    unit.level === 'commune'
      ? [{ id: unit.id, code: unit.code, name: unit.name, parentName: unit.parents[0]?.fullName ?? null }]
      : (await listCommunesUnder(db.kysely, unitId, date)).filter((c) => c.type === RURAL_COMMUNE_TYPE);
  const header = { id: unit.id, name: unit.name, fullName: unit.fullName, level: unit.level, listId: unit.listId, parentNames: unit.parents.map((p) => p.fullName) };
  return summarizeCommunes(db, header, communes, date);
}

/** A commune counted in a summary (its parent's full name for the lists of communes). */
export interface SummaryCommune {
  id: string;
  code: string;
  name: string;
  parentName: string | null;
}

/** What a summary reads about its communes on a date. */
export interface SummaryReads {
  /** Each commune's latest submitted review on or before the date (cached evaluation as stored). */
  latest: reviews.LatestReviewRow[];
  /** The communes' recognitions, in decision order. */
  recognitions: RecognitionFacts[];
  /** The 2025 merger: each commune's predecessors … */
  predecessors: Array<{ successorId: string; id: string; fullName: string }>;
  /** … and their recognitions, in decision order. */
  predecessorRecognitions: RecognitionFacts[];
}

/** The reads of a summary of the given communes (independent reads at once: PostgreSQL runs them in parallel). */
async function readSummaryInputs(db: Db, ids: string[], date: string): Promise<SummaryReads> {
  const [latest, recognitions, predecessors] = await Promise.all([
    reviews.latestSubmittedReviews(db.kysely, ids, date),
    listRecognitionsOfUnits(db.kysely, ids),
    listPredecessorsOfUnits(db.kysely, ids),
  ]);
  const predecessorRecognitions = await listRecognitionsOfUnits(db.kysely, [...new Set(predecessors.map((p) => p.id))]);
  return { latest, recognitions, predecessors, predecessorRecognitions };
}

/**
 * The summary of a given set of communes on a date: one pass (batched queries) over their latest
 * submitted reviews, recognitions and predecessors. A unit's summary and the national one
 * (src/services/national-summary.service.ts) both come from here, so their figures agree.
 */
export async function summarizeCommunes(
  db: Db,
  header: UnitSummary['unit'],
  communes: readonly SummaryCommune[],
  date: string,
  /** What the caller has read already for these communes (the national summary reads the whole country at once). */
  reads?: SummaryReads,
): Promise<UnitSummary> {
  const ids = communes.map((c) => c.id);
  const got = reads ?? (await readSummaryInputs(db, ids, date));
  const latest = await freshRows(db, got.latest);
  const byUnit = new Map(latest.map((r) => [r.unit_id, r]));
  const recs = got.recognitions;
  const recsByUnit = groupBy(recs, (r) => r.unit_id);
  // The 2025 merger: a new commune's predecessors and their recognitions (which stay theirs).
  const preds = got.predecessors;
  const predsByUnit = groupBy(preds, (p) => p.successorId);
  const predRecsByUnit = groupBy(got.predecessorRecognitions, (r) => r.unit_id);
  const predNames = new Map(preds.map((p) => [p.id, p.fullName]));
  const catalog = getCatalog();
  const held = new Map<string, Set<Level>>();

  const rows: CommuneStatusRow[] = communes.map((c) => {
    const r = byUnit.get(c.id);
    const mine = recsByUnit.get(c.id) ?? [];
    held.set(c.id, new Set(inForce(mine, date).flatMap((x) => LEVEL_IMPLIES[x.level as Level] ?? [])));
    const predIds = new Set((predsByUnit.get(c.id) ?? []).map((p) => p.id));
    const predecessorRecognitions: PredecessorRecognition[] = inForce(
      [...predIds].flatMap((p) => predRecsByUnit.get(p) ?? []).sort((a, b) => (a.decided_on < b.decided_on ? -1 : a.decided_on > b.decided_on ? 1 : a.id - b.id)),
      date,
    ).map((x) => ({ unitId: x.unit_id, name: predNames.get(x.unit_id) ?? x.unit_id, level: x.level as Level, decisionNo: x.decision_no, decidedOn: x.decided_on }));
    const set = r ? catalog.get(r.set_id) : null;
    const level = (r?.level as Level | null) ?? null;
    const recognisedLevel = recognisedLevelOn(mine, date);
    return {
      unitId: c.id,
      code: c.code,
      name: c.name,
      parentName: c.parentName,
      reviewId: r?.review_id ?? null,
      reviewedOn: r?.reviewed_on ?? null,
      setId: r?.set_id ?? null,
      criteriaMet: r?.criteria_met ?? null,
      criteriaTotal: r?.criteria_total ?? null,
      indicatorsMet: r?.indicators_met ?? null,
      indicatorsTotal: r?.indicators_total ?? null,
      notEvaluable: r?.not_evaluable ?? null,
      level,
      meetsStandard: r ? r.meets_standard === 1 : null,
      criteriaStatus: r?.criteria_status ?? null,
      recognisedLevel,
      levelReason:
        r && set
          ? levelReason({
              setLevel: set.level,
              requires: set.requires,
              criteriaMet: r.criteria_met ?? 0,
              criteriaTotal: r.criteria_total ?? 0,
              indicatorsMet: r.indicators_met ?? 0,
              indicatorsTotal: r.indicators_total ?? 0,
              meetsStandard: r.meets_standard === 1,
              level,
              recognised: inForce(mine, r.reviewed_on).map((x) => x.level as Level),
            })
          : null,
      setNote: set ? expiredSetNote(set.validTo, date) : null,
      predecessorCount: predIds.size,
      predecessorRecognitions,
      coverage: recognisedLevel === null ? predecessorCoverage(predIds.size, predecessorRecognitions) : null,
    };
  });

  const byLevel = emptyLevelCounts();
  const recognisedByLevel = emptyLevelCounts();
  for (const r of rows) {
    if (r.reviewId !== null) byLevel[r.level ?? 'none']++;
    recognisedByLevel[r.recognisedLevel ?? 'none']++;
  }
  const year = date.slice(0, 4);
  const recognitionsThisYear = recs.filter((r) => r.decided_on.startsWith(year) && r.decided_on <= date).length;

  const sets: SetStats[] = [];
  for (const setId of [...new Set(rows.map((r) => r.setId).filter((s): s is string => s !== null))].sort()) {
    const set = catalog.get(setId);
    const mine = rows.filter((r) => r.setId === setId);
    const dist = new Map<number, number>();
    for (const r of mine) dist.set(r.criteriaMet ?? 0, (dist.get(r.criteriaMet ?? 0) ?? 0) + 1);
    const nCriteria = set.criteria.length;
    sets.push({
      setId,
      setName: set.name,
      level: set.level,
      criteria: set.criteria.map((c) => ({ code: c.code, name: c.name, critical: c.critical })),
      indicatorsTotal: set.criteria.reduce((n, c) => n + c.indicators.length, 0),
      communes: mine.length,
      averageCriteriaMet: mine.length ? round1(mine.reduce((n, r) => n + (r.criteriaMet ?? 0), 0) / mine.length) : null,
      below15: nCriteria === 19 ? mine.filter((r) => (r.criteriaMet ?? 0) < 15).length : null,
      distribution: Array.from({ length: nCriteria + 1 }, (_, k) => ({ criteriaMet: k, communes: dist.get(k) ?? 0 })),
    });
  }
  // The set most communes are reviewed against first (in 2026: the new period's set), then by id.
  sets.sort((a, b) => b.communes - a.communes || (a.setId < b.setId ? -1 : a.setId > b.setId ? 1 : 0));
  const nineteen = rows.filter((r) => r.criteriaTotal === 19);
  const summary: Omit<UnitSummary, 'figures'> = {
    unit: header,
    date,
    isDemo: await isDemoDatabase(db.kysely),
    denominator: { communes: communes.length, asOf: date, listId: header.listId },
    reviewed: latest.length,
    notReviewed: communes.length - latest.length,
    byLevel,
    recognisedByLevel,
    recognitionsThisYear,
    averageCriteriaMet: nineteen.length ? round1(nineteen.reduce((n, r) => n + (r.criteriaMet ?? 0), 0) / nineteen.length) : null,
    below15: nineteen.filter((r) => (r.criteriaMet ?? 0) < 15).length,
    sets,
    communes: rows,
  };
  return { ...summary, figures: headlineFigures(summary, held) };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The summary at each date on which any commune under the unit submitted a review. */
export async function getUnitTrend(db: Db, unitId: string, to: string, actor?: Actor): Promise<TrendPoint[]> {
  if (actor) await authorize(db, actor, 'summary.read', unitId);
  const unit = await getUnit(db.kysely, unitId);
  const communes = unit.level === 'commune' ? [{ id: unit.id }] : await listCommunesUnder(db.kysely, unitId, withinPeriod(to, unit.validFrom, unit.validTo) ? to : (unit.validTo ?? to));
  const dates = (await reviews.reviewDatesOfUnits(
    db.kysely,
    communes.map((c) => c.id),
  )).filter((d) => d <= to && withinPeriod(d, unit.validFrom, unit.validTo));
  const out: TrendPoint[] = [];
  for (const d of dates) {
    const s = await getUnitSummary(db, unitId, d);
    out.push({ date: d, reviewed: s.reviewed, averageCriteriaMet: s.averageCriteriaMet, below15: s.below15, byLevel: s.byLevel, levelsMeasured: LEVELS.filter((l) => s.sets.some((x) => x.level === l)) });
  }
  return out;
}
