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
import { LEVELS, type Level } from '../domain/criteria.ts';
import { DomainError } from '../domain/errors.ts';
import { formatDateVi, withinPeriod } from '../domain/dates.ts';
import { getUnit, listCommunesUnder, type UnitDetail } from './unit.service.ts';
import type { CommuneStatusRow, SetStats, TrendPoint, UnitSummary } from '../files/reports/inputs.ts';
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
async function freshRows(db: Db, rows: reviews.LatestReviewRow[]): Promise<reviews.LatestReviewRow[]> {
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

function recognisedLevelOn(recs: RecognitionRow[], date: string): Level | null {
  return highestLevel(recs.filter((r) => r.decided_on <= date).map((r) => r.level as Level));
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
  const ids = communes.map((c) => c.id);
  const latest = await freshRows(db, await reviews.latestSubmittedReviews(db.kysely, ids, date));
  const byUnit = new Map(latest.map((r) => [r.unit_id, r]));
  const recs = await listRecognitionsOfUnits(db.kysely, ids);
  const recsByUnit = new Map<string, RecognitionRow[]>();
  for (const r of recs) recsByUnit.set(r.unit_id, [...(recsByUnit.get(r.unit_id) ?? []), r]);

  const rows: CommuneStatusRow[] = communes.map((c) => {
    const r = byUnit.get(c.id);
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
      level: (r?.level as Level | null) ?? null,
      meetsStandard: r ? r.meets_standard === 1 : null,
      criteriaStatus: r?.criteria_status ?? null,
      recognisedLevel: recognisedLevelOn(recsByUnit.get(c.id) ?? [], date),
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

  const catalog = getCatalog();
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
  const nineteen = rows.filter((r) => r.criteriaTotal === 19);
  return {
    unit: { id: unit.id, name: unit.name, fullName: unit.fullName, level: unit.level, listId: unit.listId, parentNames: unit.parents.map((p) => p.fullName) },
    date,
    isDemo: await isDemoDatabase(db.kysely),
    denominator: { communes: communes.length, asOf: date, listId: unit.listId },
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
    out.push({ date: d, reviewed: s.reviewed, averageCriteriaMet: s.averageCriteriaMet, below15: s.below15, byLevel: s.byLevel });
  }
  return out;
}
