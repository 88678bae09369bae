/**
 * Đánh giá — a review's verdict and its cache, in one place. The pure engine computes the verdict
 * from the set (resolved from the catalogue), the commune's profile and recognised levels on the
 * review date, and the values. Every write to a review evaluates it once and stores the result
 * with the review version and the catalogue hash; a cached verdict is used only while both still
 * match (`isFresh`), so it is never stale — a changed set file re-evaluates lazily.
 *
 * The cache keeps the compact figures the summaries read (criteria met, totals, one status letter
 * per criterion) and the engine's inputs that the review row does not pin down (profile, recognised
 * levels, values: about 2 KB, where the verdict tree is about 55 KB); a read derives the tree again.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, IndicatorValueRow, RecognitionRow, ReviewEvaluationRow, ReviewRow } from '../db/schema.ts';
import * as reviews from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { findUnit, listAttributes } from '../db/unit.repository.ts';
import { getCatalog, type Catalog } from '../catalog/catalog.ts';
import { evaluateCommune, evaluateFigures, type CommuneVerdict, type VerdictFigures } from '../domain/evaluation.ts';
import type { CommuneProfile, IndicatorValue, Level } from '../domain/criteria.ts';
import { withinPeriod } from '../domain/dates.ts';
import { notFound } from '../domain/errors.ts';
import { groupOf, regionOf, specialOf, type AttributeName, type Unit, type UnitAttribute } from '../domain/unit.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * What the evaluation cache keeps of a review: the engine's inputs that the review's own row does
 * not pin down (the commune's profile and recognised levels on its date, the values evaluated).
 * Stored as `inputs_json`; the verdict is derived again from these by the pure engine.
 */
export interface EvaluationInputs {
  profile: CommuneProfile;
  recognisedLevels: Level[];
  values: Record<string, IndicatorValue>;
}

/** What of a review the verdict and its cache row depend on. */
export type EvaluatedReview = Pick<ReviewRow, 'id' | 'version' | 'set_id' | 'reviewed_on'>;

/** The part of a unit its profile is resolved from. */
export type ProfiledUnit = Pick<Unit, 'id' | 'code' | 'name' | 'parentId' | 'provinceId'>;

/**
 * Whether a cached evaluation still describes the review: the same review version and set content.
 * The catalogue hash covers every version of the set id, so a new or changed version (which may
 * change the version governing the review's date) invalidates the cache.
 */
export function isFresh<C extends { review_version: number | null; catalog_hash: string | null }>(cached: C | null | undefined, review: Pick<ReviewRow, 'version' | 'set_id'>): cached is C {
  return !!cached && cached.review_version === review.version && cached.catalog_hash === getCatalog().hash(review.set_id);
}

/** The engine on a review's inputs, with the version of the set valid on the review's date. */
function evaluateInputs(review: Pick<ReviewRow, 'set_id' | 'reviewed_on'>, inputs: EvaluationInputs, catalog: Catalog = getCatalog()): CommuneVerdict {
  return evaluateCommune(catalog.at(review.set_id, review.reviewed_on), inputs.profile, review.reviewed_on, inputs.values, { recognisedLevels: inputs.recognisedLevels });
}

const STATUS_LETTER = { met: 'M', not_met: 'N', not_evaluable: 'E', not_applicable: 'A' } as const;

/** The cache row recording a verdict. */
function cacheRow(review: EvaluatedReview, inputs: EvaluationInputs, verdict: VerdictFigures, at: string, catalog: Catalog = getCatalog()): ReviewEvaluationRow {
  return {
    review_id: review.id,
    review_version: review.version,
    catalog_hash: catalog.hash(review.set_id),
    criteria_met: verdict.totals.criteriaMet,
    criteria_total: verdict.totals.criteriaTotal,
    indicators_met: verdict.totals.indicatorsMet,
    indicators_total: verdict.totals.indicatorsTotal,
    not_evaluable: verdict.totals.notEvaluable,
    not_applicable: verdict.totals.notApplicable,
    level: verdict.level,
    meets_standard: verdict.meetsStandard ? 1 : 0,
    // One status letter per criterion in set order (the summaries read these, not the verdict tree).
    criteria_status: verdict.criteriaStatus.map((c) => STATUS_LETTER[c]).join(''),
    inputs_json: JSON.stringify(inputs),
    computed_at: at,
  };
}

export interface Evaluation {
  verdict: CommuneVerdict;
  row: ReviewEvaluationRow;
}

/** Evaluate a review from its inputs (the engine, once): the verdict and the cache row that records it. */
function evaluateForCache(review: EvaluatedReview, inputs: EvaluationInputs, at: string): Evaluation {
  const verdict = evaluateInputs(review, inputs);
  return { verdict, row: cacheRow(review, inputs, figuresOf(verdict), at) };
}

function figuresOf(v: CommuneVerdict): VerdictFigures {
  return { totals: v.totals, meetsStandard: v.meetsStandard, level: v.level, criteriaStatus: v.criteria.map((c) => c.status) };
}

/** The figures alone (no verdict tree) under a catalogue: what re-evaluating many reviews needs. */
function figuresUnder(review: Pick<ReviewRow, 'set_id' | 'reviewed_on'>, inputs: EvaluationInputs, catalog: Catalog): VerdictFigures {
  return evaluateFigures(catalog.at(review.set_id, review.reviewed_on), inputs.profile, review.reviewed_on, inputs.values, { recognisedLevels: inputs.recognisedLevels });
}

/** The verdict a cache row records, derived again from its inputs. */
export function verdictOfCached(review: Pick<ReviewRow, 'set_id' | 'reviewed_on'>, cached: Pick<ReviewEvaluationRow, 'inputs_json'>): CommuneVerdict {
  return evaluateInputs(review, JSON.parse(cached.inputs_json) as EvaluationInputs);
}

/** Current value rows as the engine reads them. */
export function plainValues(rows: readonly IndicatorValueRow[]): Record<string, IndicatorValue> {
  const plain: Record<string, IndicatorValue> = {};
  for (const v of rows) plain[v.indicator_code] = JSON.parse(v.value_json) as IndicatorValue;
  return plain;
}

// ── Inputs ────────────────────────────────────────────────────────────────────────────────────

function pickValid(attrs: readonly UnitAttribute[], name: AttributeName, date: string): UnitAttribute | undefined {
  return attrs
    .filter((a) => a.name === name && withinPeriod(date, a.validFrom, a.validTo))
    .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? '') || a.id - b.id)
    .at(-1);
}

/**
 * Commune profiles for many communes at once (region, group, special status from the commune,
 * else its district, else its province, valid on the date) — the same rule as getCommuneProfile.
 */
export async function profilesOf(db: Q, communes: readonly ProfiledUnit[], date: string): Promise<Map<string, CommuneProfile>> {
  const ids = new Set<string>();
  for (const c of communes) for (const id of [c.id, c.parentId, c.provinceId]) if (id) ids.add(id);
  const all = [...ids];
  const byUnit = new Map<string, UnitAttribute[]>();
  for (let i = 0; i < all.length; i += 5000) {
    for (const a of await listAttributes(db, all.slice(i, i + 5000))) byUnit.set(a.unitId, [...(byUnit.get(a.unitId) ?? []), a]);
  }
  const out = new Map<string, CommuneProfile>();
  for (const c of communes) {
    const chain = [...new Set([c.id, c.parentId, c.provinceId].filter((x): x is string => x !== null))];
    const resolve = (name: AttributeName): string | null => {
      for (const id of chain) {
        const a = pickValid(byUnit.get(id) ?? [], name, date);
        if (a) return a.value;
      }
      return null;
    };
    out.set(c.id, { code: c.code, name: c.name, region: regionOf(resolve('region')), group: groupOf(resolve('group')), special: specialOf(resolve('special')) });
  }
  return out;
}

export interface ToEvaluate {
  review: EvaluatedReview;
  unit: ProfiledUnit;
  values: Record<string, IndicatorValue>;
}

/**
 * Evaluate reviews (the engine once each) with their communes' profiles and recognised levels on
 * their dates, fetched for all of them at once. Returns the recognitions read too, so the
 * revocation watch needs no query of its own.
 */
export async function evaluateReviews(db: Q, items: readonly ToEvaluate[], at: string): Promise<{ evaluations: Evaluation[]; recognitions: RecognitionRow[] }> {
  const { inputs, recognitions } = await inputsOfReviews(db, items);
  return { evaluations: items.map(({ review }, i) => evaluateForCache(review, inputs[i]!, at)), recognitions };
}

/** The engine's inputs of each review (same order), with the recognitions read to build them. */
async function inputsOfReviews(db: Q, items: readonly ToEvaluate[]): Promise<{ inputs: EvaluationInputs[]; recognitions: RecognitionRow[] }> {
  if (items.length === 0) return { inputs: [], recognitions: [] };
  const profiles = new Map<string, CommuneProfile>();
  const byDate = new Map<string, ProfiledUnit[]>();
  for (const it of items) byDate.set(it.review.reviewed_on, [...(byDate.get(it.review.reviewed_on) ?? []), it.unit]);
  for (const [date, units] of byDate) for (const [id, p] of await profilesOf(db, units, date)) profiles.set(`${id}|${date}`, p);
  const recognitions = await listRecognitionsOfUnits(db, [...new Set(items.map((i) => i.unit.id))]);
  const inputs = items.map(({ review, unit, values }) => {
    const date = review.reviewed_on;
    const recognisedLevels = recognitions.filter((x) => x.unit_id === unit.id && x.decided_on <= date).map((x) => x.level as Level);
    return { profile: profiles.get(`${unit.id}|${date}`)!, recognisedLevels, values };
  });
  return { inputs, recognitions };
}

/** A review with its cached evaluation row, if any. */
export interface ReviewWithCache {
  review: ReviewRow;
  cached: ReviewEvaluationRow | null;
}

/** One review whose level changes under another catalogue. */
export interface LevelChange {
  reviewId: number;
  unitId: string;
  reviewedOn: string;
  from: string | null;
  to: string | null;
}

export interface Reevaluation {
  /** Reviews evaluated. */
  reviews: number;
  /** Reviews whose verdict (criteria met, indicators met, a criterion's status or the level) changes. */
  changedVerdicts: number;
  levelChanges: LevelChange[];
  /** The cache rows under the other catalogue (to store when publishing; ignored by a preview). */
  rows: ReviewEvaluationRow[];
}

/**
 * Evaluate reviews under another catalogue (a version about to be published, or just published)
 * and compare each with its verdict under the current one: the cached figures while fresh,
 * otherwise evaluated now. Inputs come from the cache where it matches the review version (they do
 * not depend on the set), else are read. Pure engine work apart from those reads.
 */
export async function compareUnderCatalog(db: Q, items: readonly ReviewWithCache[], next: Catalog, current: Catalog = getCatalog()): Promise<Reevaluation> {
  const at = new Date().toISOString();
  const inputs = new Map<number, EvaluationInputs>();
  const missing = items.filter((it) => !(it.cached && it.cached.review_version === it.review.version));
  for (const it of items) if (!missing.includes(it)) inputs.set(it.review.id, JSON.parse(it.cached!.inputs_json) as EvaluationInputs);
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const values = await reviews.currentValuesOfReviews(db, chunk.map((c) => c.review.id));
    const units = new Map<string, ProfiledUnit>();
    for (const c of chunk) {
      if (units.has(c.review.unit_id)) continue;
      const u = await findUnit(db, c.review.unit_id);
      if (!u) throw notFound('đơn vị', 'Unit', c.review.unit_id);
      units.set(u.id, u);
    }
    const read = await inputsOfReviews(db, chunk.map((c) => ({ review: c.review, unit: units.get(c.review.unit_id)!, values: plainValues(values.get(c.review.id) ?? []) })));
    chunk.forEach((c, k) => inputs.set(c.review.id, read.inputs[k]!));
  }
  let changedVerdicts = 0;
  const levelChanges: LevelChange[] = [];
  const rows: ReviewEvaluationRow[] = [];
  for (const { review, cached } of items) {
    const input = inputs.get(review.id)!;
    const before =
      cached && cached.review_version === review.version && cached.catalog_hash === current.hash(review.set_id)
        ? cached
        : cacheRow(review, input, figuresUnder(review, input, current), at, current);
    const row = cacheRow(review, input, figuresUnder(review, input, next), at, next);
    rows.push(row);
    if (before.criteria_status !== row.criteria_status || before.indicators_met !== row.indicators_met || before.criteria_met !== row.criteria_met || before.level !== row.level) changedVerdicts++;
    if (before.level !== row.level) levelChanges.push({ reviewId: review.id, unitId: review.unit_id, reviewedOn: review.reviewed_on, from: before.level, to: row.level });
  }
  return { reviews: items.length, changedVerdicts, levelChanges, rows };
}

// ── Refreshing and reading ────────────────────────────────────────────────────────────────────

/** Evaluate a review from its current values (read unless given) and store the result: the verdict and the cache row. */
export async function refreshEvaluation(db: Q, review: ReviewRow, values?: readonly IndicatorValueRow[]): Promise<Evaluation> {
  const current = values ?? (await reviews.currentValues(db, review.id));
  const unit = await findUnit(db, review.unit_id);
  if (!unit) throw notFound('đơn vị', 'Unit', review.unit_id);
  const [evaluated] = (await evaluateReviews(db, [{ review, unit, values: plainValues(current) }], new Date().toISOString())).evaluations;
  await reviews.upsertEvaluation(db, evaluated!.row);
  return evaluated!;
}

/** Evaluate a review from its current values and store the result: the verdict. */
export async function evaluateAndCache(db: Q, review: ReviewRow, values?: readonly IndicatorValueRow[]): Promise<CommuneVerdict> {
  return (await refreshEvaluation(db, review, values)).verdict;
}

/** A review's verdict: from the cache while fresh, else evaluated (from `values` when the caller has read them) and cached. */
export async function evaluationOf(db: Q, review: ReviewRow, values?: readonly IndicatorValueRow[]): Promise<CommuneVerdict> {
  const cached = await reviews.findEvaluation(db, review.id);
  if (isFresh(cached, review)) return verdictOfCached(review, cached);
  return evaluateAndCache(db, review, values);
}

/**
 * The verdicts of many reviews at once (e.g. each commune's latest on a date): from the cache
 * while fresh, else evaluated again and cached. One read of the cache for all.
 */
export async function verdictsOf<R extends Pick<ReviewRow, 'id' | 'version' | 'set_id' | 'reviewed_on'>>(db: Q, items: readonly R[]): Promise<Map<number, CommuneVerdict>> {
  const cached = await reviews.evaluationsOfReviews(
    db,
    items.map((r) => r.id),
  );
  const out = new Map<number, CommuneVerdict>();
  for (const r of items) {
    const c = cached.get(r.id);
    if (isFresh(c, r)) {
      out.set(r.id, verdictOfCached(r, c));
      continue;
    }
    const review = await reviews.findReview(db, r.id);
    if (review) out.set(r.id, await evaluateAndCache(db, review));
  }
  return out;
}
