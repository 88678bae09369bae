/**
 * Dữ liệu tổng hợp — a synthetic country (or one province of it) for load and usability tests:
 * every real unit of both lists with their lineage, quarterly reviews of every rural commune ('Xã')
 * against the national sets, values with a trend and noise, the demo accounts. Deterministic for a
 * seed; written in batches through the normal review write path (values, evaluation cache, audit).
 *
 * The rule for sets and dates:
 * - pre-merger communes (list 2025-03): each quarter end from 31/3/2022 to 30/6/2025 against the
 *   national NTM set 2021–2025 (`xa-ntm-2021-2025`, the version valid on the date). It applies from
 *   8/3/2022 (Decision 318/QĐ-TTg), so 2021 has no reviews: the write path refuses a date outside a
 *   set's validity.
 * - post-merger communes (list 2025-07): 30/9/2025 and 31/12/2025 against the same set; from 2026
 *   the national 2026–2030 set (`xa-ntm-2026-2030`) — while it has no indicator the write path
 *   refuses reviews on it, so no 2026 review is written (no threshold is invented).
 * Each commune has a quality and each indicator a first quarter of the one 2022–2026 timeline from
 * which it is met (earlier for better communes, a few never); 2% of values flip for one quarter
 * (noise). Indicators whose target is unknown get no value (not evaluable, as in the demo).
 */
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { setMeta } from '../db/meta.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
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

export const SYNTHETIC_SET_ID = 'xa-ntm-2021-2025';
export const SYNTHETIC_SET_2026_ID = 'xa-ntm-2026-2030';
/** Quarter ends 31/3/2022 … 30/6/2025 (pre-merger communes). */
export const SYNTHETIC_DATES_BEFORE = quarterEnds('2022-03-31', '2025-06-30');
/** Quarter ends 30/9/2025 … 30/9/2026 (post-merger communes; 2026 only on a set with indicators). */
export const SYNTHETIC_DATES_AFTER = quarterEnds('2025-09-30', '2026-09-30');
/** Ninh Bình in the list from 1/7/2025 (Hà Nam, Nam Định and Ninh Bình merged). */
export const SYNTHETIC_DEFAULT_PROVINCE = '37';
const TIMELINE = [...SYNTHETIC_DATES_BEFORE, ...SYNTHETIC_DATES_AFTER];

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
  accounts: number;
  /** Dates skipped because the set valid then has no indicator (the 2026–2030 set today). */
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

async function communesOf(db: Db, variant: 'province' | 'national', province: string): Promise<{ before: string[]; after: string[] }> {
  if (variant === 'national') {
    return {
      before: ruralCommunes((await getTree(db, { listId: '2025-03' })).provinces),
      after: ruralCommunes((await getTree(db, { listId: '2025-07' })).provinces),
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
  return { before, after };
}

/** For each indicator, the index of the first date from which it is met (dates.length = never). */
function trajectory(codes: readonly string[], key: string, horizon: number): { metFrom: Map<string, number>; quality: number } {
  const rnd = prng(hashSeed(key));
  const quality = rnd();
  const metFrom = new Map<string, number>();
  for (const code of codes) {
    const r = rnd();
    const p = 0.55 + quality * 0.35;
    const u = (r - p) / (1 - p);
    metFrom.set(code, r < p ? 0 : Math.min(horizon, 1 + Math.floor(u * (horizon + 1 - quality * 2))));
  }
  return { metFrom, quality };
}

function setOn(id: string, date: string): CriteriaSet | null {
  const catalog = getCatalog();
  try {
    const s = catalog.at(id, date);
    return s.criteria.some((c) => c.indicators.length > 0) ? s : null;
  } catch {
    return null;
  }
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

  let { before, after } = await communesOf(db, opts.variant, opts.province ?? SYNTHETIC_DEFAULT_PROVINCE);
  if (opts.limitCommunes !== undefined) {
    before = before.slice(0, opts.limitCommunes);
    after = after.slice(0, opts.limitCommunes);
  }
  const skippedDates: string[] = [];
  const plan: { unitId: string; dates: string[] }[] = [];
  const datesAfter = SYNTHETIC_DATES_AFTER.filter((d) => {
    const ok = setOn(d >= '2026-02-15' ? SYNTHETIC_SET_2026_ID : SYNTHETIC_SET_ID, d) !== null;
    if (!ok) skippedDates.push(d);
    return ok;
  });
  for (const unitId of before) plan.push({ unitId, dates: SYNTHETIC_DATES_BEFORE });
  for (const unitId of after) plan.push({ unitId, dates: datesAfter });
  const total = plan.reduce((n, p) => n + p.dates.length, 0);

  let reviews = 0;
  let values = 0;
  let pending: CreateReviewInput[] = [];
  let pendingUnits = new Map<string, Unit>();
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    const units = pendingUnits;
    pending = [];
    pendingUnits = new Map();
    await db.kysely.transaction().execute(async (trx) => {
      await createReviewsIn(trx, actor, batch, units);
    });
    reviews += batch.length;
    sample();
    opts.onProgress?.(reviews, total);
  };

  for (const { unitId, dates } of plan) {
    const unit = await getUnit(db, unitId);
    const setIdOf = (d: string) => (d >= '2026-02-15' ? SYNTHETIC_SET_2026_ID : SYNTHETIC_SET_ID);
    const allCodes = [...new Set(dates.flatMap((d) => setOn(setIdOf(d), d)!.criteria.flatMap((c) => c.indicators.map((i) => i.code))))];
    // One timeline for both lists: a post-merger commune carries on where the old ones were.
    const { metFrom } = trajectory(allCodes, `${seed}|${unitId}`, TIMELINE.length);
    for (const [j, date] of dates.entries()) {
      const k = TIMELINE.indexOf(date);
      const set = setOn(setIdOf(date), date)!;
      const profile = await getCommuneProfile(db, unitId, date);
      const ctx = targetContext(set, profile, Number(date.slice(0, 4)));
      const rnd = prng(hashSeed(`${seed}|${unitId}|${date}`));
      const vals: Record<string, ValueInput> = {};
      for (const c of set.criteria) {
        for (const ind of c.indicators) {
          const noise = rnd() < 0.02;
          const met = ((metFrom.get(ind.code) ?? 0) <= k) !== noise;
          const v = demoValue(ind, resolveTarget(ind.target, ctx), met, rnd());
          if (v === null) continue;
          vals[ind.code] = { value: v };
          values++;
        }
      }
      pending.push({
        unitId,
        setId: set.id,
        reviewedOn: date,
        title: `Rà soát đến ngày ${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} (dữ liệu tổng hợp)`,
        note: 'Dữ liệu tổng hợp — synthetic data',
        values: vals,
        isDemo: true,
        status: j === dates.length - 1 && hashSeed(`${seed}|${unitId}`) % 5 === 0 ? 'draft' : 'submitted',
      });
      pendingUnits.set(unitId, unit);
      if (pending.length >= batchSize) await flush();
    }
  }
  await flush();
  const accounts = await seedDemoAccounts(db, { synthetic: true });
  sample();
  return {
    units: imported.counts.total,
    communesBefore: before.length,
    communesAfter: after.length,
    reviews,
    values,
    accounts,
    skippedDates,
    ms: Date.now() - started,
    peakRssMb: Math.round(peak / 1048576),
  };
}
