/**
 * Dữ liệu tổng hợp — a synthetic country (or one province of it) for load and usability tests:
 * every real unit of both lists with their lineage, quarterly reviews of every rural commune ('Xã')
 * from 2021 to 2026, values with a trend and noise, recognitions of a realistic share of communes,
 * the demo accounts. Deterministic for a seed; written in batches through the normal review write
 * path (values, evaluation cache, revocation watch, audit).
 *
 * The rule for sets and dates (each review against the set valid on its date):
 * - pre-merger communes (list 2025-03): the quarter ends of 2021 against a synthetic stored set
 *   illustrating the 2016–2020 standard (`xa-ntm-2021-tong-hop`, valid until 7/3/2022: the
 *   2021–2025 national set applies from 8/3/2022, Decision 318/QĐ-TTg, and the 2016–2020 tables are
 *   not in the project); then each quarter end from 31/3/2022 to 30/6/2025 against the national NTM
 *   set 2021–2025 (`xa-ntm-2021-2025`, the version valid on the date).
 * - post-merger communes (list 2025-07): 30/9/2025 and 31/12/2025 against the same national set;
 *   31/3, 30/6 and 30/9/2026 against their province's synthetic 2026–2030 set (the national set of
 *   Decision 51/2025/QĐ-TTg has no indicator in the project, and no threshold is invented in shipped
 *   data: the synthetic sets live only in the synthetic database). The communes get a synthetic
 *   commune group (1/2/3), on which the 2026–2030 targets depend.
 * The synthetic sets, their indicators and thresholds are marked "dữ liệu tổng hợp" / "synthetic —
 * not an official threshold" (see synthetic-sets.ts).
 *
 * Each commune has a quality and each criterion (and mostly its indicators with it) a first quarter
 * of the commune's timeline from which it is met (earlier for better communes, a few never); the
 * stricter 2026–2030 set and the advanced set start lower, on timelines of their own. 1% of values
 * flip for one quarter (noise). An indicator whose threshold is unknown (most regional thresholds
 * of the 2021–2025 sets) still gets a plausible measured value that improves over time: its verdict
 * stays "not evaluable", as in real use before the threshold is entered.
 * About 78% of the pre-merger communes are recognised NTM (the better ones in 2017–2020, the next
 * in 2023–2024 against the 2021–2025 set), with decision numbers marked "(tổng hợp)"; from its
 * recognition a commune also reviews itself each quarter against the national advanced set (NTM
 * nâng cao 2021–2025), and its reviews run the revocation watch.
 */
import path from 'node:path';
import { refreshPlannerStatistics, type Db } from '../db/database.ts';
import { setMeta } from '../db/meta.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { insertRecognition, listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { insertAttributes, type NewAttribute } from '../db/unit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet, Indicator, IndicatorValue } from '../domain/criteria.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import type { Unit } from '../domain/unit.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../services/actor.ts';
import { createReviewsIn, type CreateReviewInput, type ValueInput } from '../services/review.service.ts';
import { getCommuneProfile, getTree, getUnit, listCommunesUnder, type UnitTreeNode } from '../services/unit.service.ts';
import { importUnits } from '../services/unit-import.service.ts';
import { databaseIsEmpty } from './demo.ts';
import { demoValue, hashSeed, prng } from './demo-values.ts';
import { seedDemoAccounts } from './demo-accounts.ts';
import { seedSyntheticSets, synthetic2026SetId, SYNTHETIC_SET_2021_ID } from './synthetic-sets.ts';

export { SYNTHETIC_SET_2021_ID, synthetic2026SetId } from './synthetic-sets.ts';
export const SYNTHETIC_SET_ID = 'xa-ntm-2021-2025';
/** The national advanced set 2021–2025: recognised communes also review against it. */
export const SYNTHETIC_ADVANCED_SET_ID = 'xa-ntm-nang-cao-2021-2025';
/** Quarter ends of 2021 (pre-merger communes, the synthetic set illustrating the 2016–2020 standard). */
export const SYNTHETIC_DATES_2021 = quarterEnds('2021-03-31', '2021-12-31');
/** Quarter ends 31/3/2022 … 30/6/2025 (pre-merger communes, the national 2021–2025 set). */
export const SYNTHETIC_DATES_BEFORE = quarterEnds('2022-03-31', '2025-06-30');
/** Quarter ends 30/9/2025 … 30/9/2026 (post-merger communes; 2026 on the province's synthetic 2026–2030 set). */
export const SYNTHETIC_DATES_AFTER = quarterEnds('2025-09-30', '2026-09-30');
/** Ninh Bình in the list from 1/7/2025 (Hà Nam, Nam Định and Ninh Bình merged). */
export const SYNTHETIC_DEFAULT_PROVINCE = '37';
const TIMELINE = [...SYNTHETIC_DATES_2021, ...SYNTHETIC_DATES_BEFORE, ...SYNTHETIC_DATES_AFTER];
const START_2021_2025 = '2022-03-08';
const START_2026_2030 = '2026-02-15';
const MARK = 'Dữ liệu tổng hợp — synthetic data';

export interface SyntheticOptions {
  variant: 'province' | 'national';
  seed?: number;
  /** Province code in the list from 1/7/2025 (province variant). */
  province?: string;
  force?: boolean;
  /** Tests: only the first N communes of each list. */
  limitCommunes?: number;
  /** Reviews per transaction. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticResult {
  units: number;
  communesBefore: number;
  communesAfter: number;
  reviews: number;
  values: number;
  /** Synthetic criteria sets stored and published (0 on a reseed with --force: they were there). */
  sets: number;
  /** Commune groups given to post-merger communes (the 2026–2030 targets depend on them). */
  groups: number;
  recognitions: number;
  accounts: number;
  /** Dates skipped because no set with indicators was valid then for the commune. */
  skippedDates: string[];
  ms: number;
  peakRssMb: number;
}

function quarterEnds(from: string, to: string): string[] {
  const out: string[] = [];
  const ends = ['03-31', '06-30', '09-30', '12-31'];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    for (const e of ends) {
      const d = `${y}-${e}`;
      if (d >= from && d <= to) out.push(d);
    }
  }
  return out;
}

function ruralCommunes(nodes: readonly UnitTreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.children) ruralCommunes(n.children, out);
    else if (n.type === 'Xã') out.push(n.id);
  }
  return out;
}

interface Scope {
  before: string[];
  after: string[];
  /** The provinces (list from 1/7/2025) whose communes are reviewed after the merger. */
  provinces: Unit[];
}

async function scopeOf(db: Db, variant: 'province' | 'national', province: string): Promise<Scope> {
  if (variant === 'national') {
    const tree = (await getTree(db, { listId: '2025-07' })).provinces;
    const provinces: Unit[] = [];
    for (const p of tree) provinces.push(await getUnit(db, p.id));
    return {
      before: ruralCommunes((await getTree(db, { listId: '2025-03' })).provinces),
      after: ruralCommunes(tree),
      provinces,
    };
  }
  const p = await getUnit(db, `${province}@2025-07`);
  if (p.level !== 'province') {
    throw new DomainError('validation_failed', { vi: `"${p.fullName}" không phải tỉnh, thành phố.`, en: `"${p.fullName}" is not a province.` }, { fields: [{ field: 'province' }] });
  }
  const after = (await listCommunesUnder(db, p.id, '2025-07-01')).filter((c) => c.type === 'Xã').map((c) => c.id);
  const before: string[] = [];
  for (const pred of p.predecessors.filter((x) => x.level === 'province')) {
    before.push(...(await listCommunesUnder(db, pred.id, '2025-06-30')).filter((c) => c.type === 'Xã').map((c) => c.id));
  }
  return { before, after, provinces: [p] };
}

type Era = 'ntm' | 'ntm-2026' | 'nang-cao';
function eraOf(setId: string): Era {
  if (setId === SYNTHETIC_ADVANCED_SET_ID) return 'nang-cao';
  return setId === SYNTHETIC_SET_ID || setId === SYNTHETIC_SET_2021_ID ? 'ntm' : 'ntm-2026';
}

/** The basic (NTM) set a commune's review on `date` is written against. */
function setIdOf(date: string, provinceCode: string): string {
  if (date < START_2021_2025) return SYNTHETIC_SET_2021_ID;
  if (date < START_2026_2030) return SYNTHETIC_SET_ID;
  return synthetic2026SetId(provinceCode);
}

/**
 * For each indicator, the index of the first date from which it is met (horizon = never). Most
 * indicators of a criterion move together (a commune works on a criterion as a whole): the
 * criterion draws a date and 85% of its indicators take it, the others draw their own.
 */
function trajectory(codes: readonly string[], key: string, horizon: number, base: number): { metFrom: Map<string, number>; quality: number } {
  const rnd = prng(hashSeed(key));
  const quality = rnd();
  const p = base + quality * 0.35;
  const draw = () => {
    const r = rnd();
    const u = (r - p) / (1 - p);
    return r < p ? 0 : Math.min(horizon, 1 + Math.floor(u * (horizon + 1 - quality * 2)));
  };
  const byCriterion = new Map<string, number>();
  const metFrom = new Map<string, number>();
  for (const code of codes) {
    const criterion = code.split('.')[0]!;
    if (!byCriterion.has(criterion)) byCriterion.set(criterion, draw());
    metFrom.set(code, rnd() < 0.85 ? byCriterion.get(criterion)! : draw());
  }
  return { metFrom, quality };
}

/** The version of a set valid on a date when it has indicators, else null; memoised for one seeding. */
function setLookup(): (id: string, date: string) => CriteriaSet | null {
  const cache = new Map<string, CriteriaSet | null>();
  return (id, date) => {
    const key = `${id}|${date}`;
    if (cache.has(key)) return cache.get(key)!;
    let s: CriteriaSet | null = null;
    try {
      s = getCatalog().at(id, date);
      if (!s.criteria.some((c) => c.indicators.length > 0)) s = null;
    } catch {
      s = null;
    }
    cache.set(key, s);
    return s;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A plausible measured value for an indicator whose threshold is unknown: better communes higher,
 * improving by quarter (`k` on the timeline). Null for kinds this cannot measure without a target.
 */
function measurement(ind: Indicator, quality: number, k: number, year: number, r: number): IndicatorValue {
  if (ind.kind === 'percent') {
    if (ind.target.op === '<=') return round1(Math.max(0, (ind.code === '11' ? 9 : 22) * (1.25 - quality) * (1 - k / (TIMELINE.length * 2)) + r * 1.5));
    return round1(Math.min(100, 48 + 40 * quality + k * 0.7 + r * 6));
  }
  if (ind.kind === 'number') {
    if ((ind.unit ?? '').startsWith('triệu')) return round1(32 + 26 * quality + 4.5 * (year - 2021) + r * 5);
    return round1(1.5 + 6 * quality + r);
  }
  return null;
}

/** Synthetic commune group: mostly 2, some 1 (near towns), some 3 (ethnic-minority and mountain areas). */
function syntheticGroup(unitId: string): '1' | '2' | '3' {
  const h = hashSeed(`group|${unitId}`) % 20;
  return h < 4 ? '1' : h < 17 ? '2' : '3';
}

export async function seedSynthetic(db: Db, actor: Actor, opts: SyntheticOptions): Promise<SyntheticResult> {
  const started = Date.now();
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  if (!opts.force && !(await databaseIsEmpty(db))) {
    throw new DomainError('conflict', {
      vi: 'CSDL đã có dữ liệu: không nạp dữ liệu tổng hợp (dùng --force để nạp thêm).',
      en: 'The database is not empty: synthetic data not seeded (use --force to seed anyway).',
    });
  }
  const seed = opts.seed ?? 1;
  const batchSize = opts.batchSize ?? 250;
  const imported = await importUnits(db, actor, { dir: path.resolve('assets/units') });
  const stamp = new Date().toISOString();
  await setMeta(db.kysely, 'synthetic_seeded_at', stamp);
  await setMeta(db.kysely, 'synthetic_seed', JSON.stringify({ variant: opts.variant, seed, province: opts.province ?? SYNTHETIC_DEFAULT_PROVINCE }));
  // The demo accounts sign in only on a demo database: the synthetic one is one.
  await setMeta(db.kysely, 'demo_seeded_at', stamp);

  const scope = await scopeOf(db, opts.variant, opts.province ?? SYNTHETIC_DEFAULT_PROVINCE);
  const { provinces } = scope;
  const before = opts.limitCommunes === undefined ? scope.before : scope.before.slice(0, opts.limitCommunes);
  const after = opts.limitCommunes === undefined ? scope.after : scope.after.slice(0, opts.limitCommunes);
  const sets = await seedSyntheticSets(db, provinces.map((p) => ({ code: p.code, name: p.name, fullName: p.fullName })));

  // Commune groups of the post-merger communes (kept when a commune already has one).
  const groups: NewAttribute[] = [];
  for (const unitId of after) {
    if ((await getCommuneProfile(db, unitId, START_2026_2030)).group == null) {
      groups.push({ unitId, name: 'group', value: syntheticGroup(unitId), validFrom: '2025-07-01', validTo: null, source: 'dữ liệu tổng hợp (synthetic)', createdAt: stamp });
    }
  }
  await db.kysely.transaction().execute((trx) => insertAttributes(trx, groups));

  const recognitions = await recognise(db, actor, before, seed);
  sample();

  const setOn = setLookup();
  const skipped = new Set<string>();
  const plan: { unitId: string; province: string; items: Array<{ date: string; setId: string }> }[] = [];
  const provinceCode = new Map(provinces.map((p) => [p.id, p.code]));
  for (const unitId of before) {
    const items = [...SYNTHETIC_DATES_2021, ...SYNTHETIC_DATES_BEFORE].map((date) => ({ date, setId: setIdOf(date, '') }));
    // A recognised commune also reviews itself against the advanced set (NTM nâng cao) from then on.
    const rec = recognitionOf(seed, unitId);
    if (rec) for (const date of SYNTHETIC_DATES_BEFORE) if (date >= rec.decidedOn) items.push({ date, setId: SYNTHETIC_ADVANCED_SET_ID });
    items.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    plan.push({ unitId, province: '', items });
  }
  for (const unitId of after) {
    const unit = await getUnit(db, unitId);
    const code = provinceCode.get(unit.provinceId ?? '') ?? '';
    const items = SYNTHETIC_DATES_AFTER.map((date) => ({ date, setId: setIdOf(date, code) })).filter(({ date, setId }) => {
      const ok = setOn(setId, date) !== null;
      if (!ok) skipped.add(date);
      return ok;
    });
    plan.push({ unitId, province: code, items });
  }
  const total = plan.reduce((n, p) => n + p.items.length, 0);

  let reviews = 0;
  let values = 0;
  let pending: CreateReviewInput[] = [];
  let pendingUnits = new Map<string, Unit>();
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    const batchUnits = pendingUnits;
    pending = [];
    pendingUnits = new Map();
    await db.kysely.transaction().execute(async (trx) => {
      await createReviewsIn(trx, actor, batch, batchUnits);
    });
    reviews += batch.length;
    sample();
    opts.onProgress?.(reviews, total);
  };

  for (const { unitId, items } of plan) {
    const unit = await getUnit(db, unitId);
    // One timeline per kind of set. The basic NTM sets up to 2025 share one for both lists: a
    // post-merger commune carries on where the old ones were. The stricter 2026–2030 set and the
    // advanced set start lower, each on a timeline of its own.
    const timelines = new Map<Era, { metFrom: Map<string, number>; quality: number; dates: string[] }>();
    for (const era of ['ntm', 'ntm-2026', 'nang-cao'] as const) {
      const mine = items.filter((i) => eraOf(i.setId) === era);
      if (mine.length === 0) continue;
      const codes = [...new Set(mine.flatMap((i) => setOn(i.setId, i.date)!.criteria.flatMap((c) => c.indicators.map((x) => x.code))))];
      const t = era === 'ntm' ? trajectory(codes, `${seed}|${unitId}`, TIMELINE.length, 0.55) : trajectory(codes, `${seed}|${unitId}|${era}`, mine.length + 1, era === 'ntm-2026' ? 0.3 : 0.35);
      timelines.set(era, { ...t, dates: mine.map((i) => i.date) });
    }
    const profiles = new Map<string, Awaited<ReturnType<typeof getCommuneProfile>>>();
    for (const [j, { date, setId }] of items.entries()) {
      const k = TIMELINE.indexOf(date);
      const set = setOn(setId, date)!;
      const era = eraOf(setId);
      const { metFrom, quality, dates } = timelines.get(era)!;
      const step = era === 'ntm' ? k : dates.indexOf(date);
      const year = Number(date.slice(0, 4));
      const profile = profiles.get(date) ?? (await getCommuneProfile(db, unitId, date));
      profiles.set(date, profile);
      const ctx = targetContext(set, profile, year);
      const rnd = prng(hashSeed(`${seed}|${unitId}|${date}${era === 'ntm' ? '' : `|${era}`}`));
      const vals: Record<string, ValueInput> = {};
      for (const c of set.criteria) {
        for (const ind of c.indicators) {
          const noise = rnd() < 0.01;
          const met = ((metFrom.get(ind.code) ?? 0) <= step) !== noise;
          const r = rnd();
          const target = resolveTarget(ind.target, ctx);
          const v = target.value === null ? measurement(ind, quality, k, year, r) : demoValue(ind, target, met, r);
          if (v === null) continue;
          vals[ind.code] = { value: v };
          values++;
        }
      }
      pending.push({
        unitId,
        setId: set.id,
        reviewedOn: date,
        title: `Rà soát${era === 'nang-cao' ? ' NTM nâng cao' : ''} đến ngày ${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} (dữ liệu tổng hợp)`,
        note: MARK,
        values: vals,
        isDemo: true,
        status: j === items.length - 1 && hashSeed(`${seed}|${unitId}`) % 5 === 0 ? 'draft' : 'submitted',
      });
      pendingUnits.set(unitId, unit);
      if (pending.length >= batchSize) await flush();
    }
  }
  await flush();
  const accounts = await seedDemoAccounts(db, { synthetic: true });
  await refreshPlannerStatistics(db);
  sample();
  const result: SyntheticResult = {
    units: imported.counts.total,
    communesBefore: before.length,
    communesAfter: after.length,
    reviews,
    values,
    sets,
    groups: groups.length,
    recognitions,
    accounts,
    skippedDates: [...skipped].sort(),
    ms: Date.now() - started,
    peakRssMb: Math.round(peak / 1048576),
  };
  // What the load cost, kept with the data (the national benchmark reports it).
  await setMeta(db.kysely, 'synthetic_result', JSON.stringify({ reviews, values, ms: result.ms, peakRssMb: result.peakRssMb, at: new Date().toISOString() }));
  return result;
}

/** The synthetic recognition of a pre-merger commune (by its quality), or null. */
function recognitionOf(seed: number, unitId: string): { decidedOn: string; setId: string | null; decisionNo: string } | null {
  const { quality } = trajectory([], `${seed}|${unitId}`, TIMELINE.length, 0.55);
  const h = hashSeed(`recognition|${seed}|${unitId}`);
  const day = `${String(1 + (h % 12)).padStart(2, '0')}-${String(10 + (h % 18)).padStart(2, '0')}`;
  const decisionNo = `${100 + (h % 3900)}/QĐ-UBND (tổng hợp)`;
  if (quality > 0.4) return { decidedOn: `${2017 + (h % 4)}-${day}`, setId: null, decisionNo };
  if (quality > 0.22) return { decidedOn: `${2023 + (h % 2)}-${day}`, setId: SYNTHETIC_SET_ID, decisionNo };
  return null;
}

/**
 * Quyết định công nhận (tổng hợp) — a realistic share of the pre-merger communes recognised NTM:
 * the better ones in 2017–2020 (the 2016–2020 phase, no set in the project), the next ones in
 * 2023–2024 against the 2021–2025 set; every decision number and signer marked synthetic. A commune
 * already recognised (reseed with --force) is left alone. Their later reviews run the revocation watch.
 */
async function recognise(db: Db, actor: Actor, communes: readonly string[], seed: number): Promise<number> {
  let n = 0;
  const at = new Date().toISOString();
  for (let i = 0; i < communes.length; i += 500) {
    const part = communes.slice(i, i + 500);
    const already = new Set((await listRecognitionsOfUnits(db.kysely, [...part])).map((r) => r.unit_id));
    await db.kysely.transaction().execute(async (trx) => {
      for (const unitId of part) {
        if (already.has(unitId)) continue;
        const r = recognitionOf(seed, unitId);
        if (!r) continue;
        const rec = await insertRecognition(trx, {
          unitId,
          level: 'ntm',
          setId: r.setId,
          decisionNo: r.decisionNo,
          decidedOn: r.decidedOn,
          signer: 'Chủ tịch UBND tỉnh (dữ liệu tổng hợp)',
          note: 'Quyết định tổng hợp — không phải quyết định thật (synthetic data)',
          isDemo: true,
          at,
        });
        await recordAudit(trx, actor, { action: 'recognition.create', entity: 'recognition', entityId: rec.id, unitId, after: rec });
        n++;
      }
    });
  }
  return n;
}
