/**
 * Dữ liệu minh họa — the demo data that tells the real story: Hà Nam before the July 2025
 * merger (Bình Lục district, Tràng An among its communes) reviewed against the illustrative
 * Hà Nam advanced set over 2022–2025 — Tràng An at 13/19 criteria and 64/75 indicators on
 * 20/3/2023 — and the same communes after 1/7/2025 inside Ninh Bình. Deterministic; all in one
 * transaction; every generated review is checked by the real engine.
 */
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { countUnitsAndReviews, setMeta } from '../db/meta.repository.ts';
import { insertRecognition } from '../db/recognition.repository.ts';
import { BINH_LUC, seedDemoDossiers } from './demo-dossier.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet, IndicatorValue, Level } from '../domain/criteria.ts';
import { resolveTarget, targetContext } from '../domain/targets.ts';
import { evaluateCommune } from '../domain/evaluation.ts';
import type { Actor } from '../services/actor.ts';
import { createReviewsIn, type ValueInput } from '../services/review.service.ts';
import { getCommuneProfile, getUnit, listCommunesUnder } from '../services/unit.service.ts';
import { importUnits } from '../services/unit-import.service.ts';
import { demoValue, hashSeed, prng } from './demo-values.ts';
import { seedDemoAccounts } from './demo-accounts.ts';
import { seedDemoCommittee, seedDemoProvinceCommittee } from './demo-committee.ts';
import { seedDemoCriteriaSet2026, DEMO_SET_2026_ID } from './demo-criteria-set.ts';
import { seedDemoCostDefaults } from './demo-planning.ts';

export const DEMO_SET_ID = 'ha-nam-nang-cao-2021-2025-minh-hoa';
export const DEMO_PROVINCE_BEFORE = '35@2025-03';
export const DEMO_PROVINCE_AFTER = '37@2025-07';
export const TRANG_AN = '13510@2025-03';
export const TRANG_AN_REVIEW_DATE = '2023-03-20';
/** Criteria Tràng An had not met on 20/3/2023: Giáo dục, TT&TT, Tổ chức sản xuất, Y tế, Hành chính công, Môi trường. */
export const TRANG_AN_UNMET_CRITERIA = ['5', '8', '13', '14', '15', '17'];
const TRANG_AN_UNMET_INDICATORS = 11;

/** Review dates before the merger (old units) and after it (new units). */
export const DATES_BEFORE = ['2022-06-30', '2022-12-20', '2023-03-20', '2023-09-30', '2024-03-31', '2024-09-30', '2025-03-31', '2025-06-20'];
export const DATES_AFTER = ['2025-09-30', '2025-12-15'];

export interface SeedResult {
  units: number;
  reviews: number;
  recognitions: number;
  /** Demo accounts created (see demo-accounts.ts). */
  accounts: number;
  ms: number;
}

export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const c = await countUnitsAndReviews(db.kysely);
  return c.units === 0 && c.reviews === 0;
}

/**
 * For each indicator of a commune, the index of the first review date from which it is met
 * (dates.length = not within the horizon). Better communes start higher and improve faster.
 */
function trajectory(codes: string[], seedKey: string, horizon: number): Map<string, number> {
  const rnd = prng(hashSeed(seedKey));
  const quality = rnd();
  const out = new Map<string, number>();
  for (const code of codes) {
    const r = rnd();
    // Most indicators are met from the start; the rest arrive over the dates, a few never.
    const p = 0.8 + quality * 0.15;
    const u = (r - p) / (1 - p);
    out.set(code, r < p ? 0 : Math.min(horizon, 1 + Math.floor(u * (horizon + 0.4 - quality))));
  }
  return out;
}

/** Tràng An's indicators unmet on 20/3/2023: 11 spread over its six unmet criteria. */
function trangAnUnmet(set: CriteriaSet): Set<string> {
  const pools = TRANG_AN_UNMET_CRITERIA.map((code) => {
    const c = set.criteria.find((x) => x.code === code);
    if (!c || c.indicators.length === 0) throw new Error(`demo set lacks criterion ${code}`);
    return c.indicators.map((i) => i.code);
  });
  const chosen = new Set<string>(pools.map((p) => p[0]!));
  for (let k = 1; chosen.size < TRANG_AN_UNMET_INDICATORS; k++) {
    let added = false;
    for (const p of pools) {
      if (chosen.size < TRANG_AN_UNMET_INDICATORS && p[k]) {
        chosen.add(p[k]!);
        added = true;
      }
    }
    if (!added) throw new Error('demo set has too few indicators in the unmet criteria');
  }
  return chosen;
}

export async function seedDemoData(db: Db, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<SeedResult> {
  const started = Date.now();
  const set = getCatalog().get(DEMO_SET_ID);
  const codes = set.criteria.flatMap((c) => c.indicators.map((i) => i.code));
  const indicators = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, i]));
  const trangAnMissing = trangAnUnmet(set);

  const imported = await importUnits(db, actor, { dir: path.resolve('assets/units') });
  let reviewsCreated = 0;
  let recognitions = 0;
  await db.kysely.transaction().execute(async (trx) => {
    await setMeta(trx, 'demo_seeded_at', new Date().toISOString());
    const before = (await listCommunesUnder(trx, DEMO_PROVINCE_BEFORE, '2025-06-30')).filter((c) => c.type === 'Xã');
    const successors = new Map<string, string>();
    for (const c of before) {
      const u = await getUnit(trx, c.id);
      for (const s of u.successors) if (s.type === 'Xã') successors.set(s.id, s.fullName);
    }
    const total = before.length * DATES_BEFORE.length + successors.size * DATES_AFTER.length;
    let decision = 1200;
    let declined = false;

    async function review(unitId: string, date: string, metFrom: Map<string, number>, dateIndex: number, submitted: boolean, override?: Set<string>): Promise<number> {
      const profile = await getCommuneProfile(trx, unitId, date);
      const ctx = targetContext(set, profile, Number(date.slice(0, 4)));
      const rnd = prng(hashSeed(`${unitId}|${date}`));
      const values: Record<string, ValueInput> = {};
      for (const code of codes) {
        const met = override ? !override.has(code) : (metFrom.get(code) ?? 0) <= dateIndex;
        const ind = indicators.get(code)!;
        values[code] = { value: demoValue(ind, resolveTarget(ind.target, ctx), met, rnd()) };
      }
      await createReviewsIn(trx, actor, [
        {
          unitId,
          setId: set.id,
          reviewedOn: date,
          title: `Rà soát đến ngày ${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} (minh họa)`,
          values,
          isDemo: true,
          status: submitted ? 'submitted' : 'draft',
        },
      ]);
      reviewsCreated++;
      onProgress?.(reviewsCreated, total);
      const plain: Record<string, IndicatorValue> = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.value]));
      return evaluateCommune(set, profile, date, plain).totals.criteriaMet;
    }

    async function recognise(unitId: string, level: Level, on: string, setId: string | null): Promise<void> {
      decision += 7;
      const rec = await insertRecognition(trx, {
        unitId,
        level,
        setId,
        decisionNo: `${decision}/QĐ-UBND`,
        decidedOn: on,
        signer: 'Chủ tịch UBND tỉnh (minh họa)',
        note: 'Quyết định minh họa — dữ liệu demo',
        isDemo: true,
        at: new Date().toISOString(),
      });
      await recordAudit(trx, actor, { action: 'recognition.create', entity: 'recognition', entityId: rec.id, unitId, after: rec });
      recognitions++;
    }

    for (const c of before) {
      // Hà Nam's communes were recognised NTM in the 2016–2020 phase.
      await recognise(c.id, 'ntm', `201${6 + (hashSeed(c.id) % 4)}-12-2${hashSeed(c.id) % 9}`, null);
      const metFrom = trajectory(codes, c.id, DATES_BEFORE.length);
      if (c.id === TRANG_AN) {
        // Meets everything by the next review, then is recognised advanced.
        for (const code of codes) metFrom.set(code, trangAnMissing.has(code) ? 3 : 0);
      }
      let recognisedAdvanced = false;
      for (let i = 0; i < DATES_BEFORE.length; i++) {
        const date = DATES_BEFORE[i]!;
        const isTrangAnDay = c.id === TRANG_AN && date === TRANG_AN_REVIEW_DATE;
        // The last review of a few communes is still a draft being prepared.
        const submitted = !(i === DATES_BEFORE.length - 1 && hashSeed(c.id) % 7 === 0);
        // One recognised commune declines in its last review: the revocation watch alerts the province.
        const declines = recognisedAdvanced && c.id !== TRANG_AN && !declined && i === DATES_BEFORE.length - 1 && submitted;
        if (declines) declined = true;
        const met = await review(c.id, date, metFrom, i, submitted, isTrangAnDay ? trangAnMissing : declines ? decliningSet(set) : undefined);
        if (met === set.criteria.length && submitted && !recognisedAdvanced) {
          recognisedAdvanced = true;
          const on = new Date(Date.parse(date) + 75 * 86400_000).toISOString().slice(0, 10);
          // Tràng An's advanced recognition comes from its dossier (demo-dossier-seed.ts).
          if (on <= '2025-06-30' && c.id !== TRANG_AN) await recognise(c.id, 'nang-cao', on, set.id);
        }
      }
    }
    for (const [unitId] of successors) {
      const metFrom = trajectory(codes, unitId, DATES_AFTER.length);
      // Bình Lục meets every indicator by 15/12/2025: its recognition dossier can go all the way.
      if (unitId === BINH_LUC) for (const code of codes) metFrom.set(code, Math.min(metFrom.get(code) ?? 0, DATES_AFTER.length - 1));
      for (let i = 0; i < DATES_AFTER.length; i++) await review(unitId, DATES_AFTER[i]!, metFrom, i, true);
    }
  });
  const accounts = await seedDemoAccounts(db);
  await seedDemoCommittee(db, actor);
  await seedDemoProvinceCommittee(db, actor);
  await seedDemoDossiers(db);
  // The current period: Ninh Bình's 2026–2030 provincial set (demo), its 2026 reviews, a verification waiting.
  const current = await seedDemoCriteriaSet2026(db);
  // Decision support: illustrative default costs per indicator, kept by Ninh Bình's office (also for
  // Hà Nam's communes before the merger: the province they went into keeps the defaults).
  await seedDemoCostDefaults(db, { id: 'tinh.ninhbinh', source: 'system' }, [DEMO_PROVINCE_AFTER], [DEMO_SET_ID, DEMO_SET_2026_ID]);
  return { units: imported.counts.total, reviews: reviewsCreated + current.reviews, recognitions, accounts, ms: Date.now() - started };
}

/** The first indicator of ten criteria (over half of 19): a decline that triggers revocation. */
function decliningSet(set: CriteriaSet): Set<string> {
  return new Set(set.criteria.slice(0, 10).map((c) => c.indicators[0]?.code).filter((x): x is string => !!x));
}
