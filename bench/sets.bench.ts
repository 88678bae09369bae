/**
 * Publishing a criteria-set version re-evaluates every review of the set (issue 13): a provincial
 * set (the demo Hà Nam advanced set's 75 indicators) with its reviews stored and evaluated; a new
 * version changes one threshold; we time `publishDraft` until its re-evaluation is done (reading
 * the reviews and their cached inputs, the engine on each, writing the verdicts) and compare with
 * a plain engine loop over the same inputs measured in the same run (the engine's figures — totals,
 * level, each criterion's status — which is what the re-evaluation computes and stores).
 *
 *  - province: 130 communes × 20 review dates (2,600 reviews) — target ≤ 5 s;
 *  - country: 10,000 communes × 1 latest review — target ≤ 30 s.
 * SQLite in a temporary directory; DATCHUAN_BENCH_PG=1 runs the province case on PostgreSQL too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { insertCommune } from '../src/test-support/factories.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { createReviewsIn, type ValueInput } from '../src/services/review.service.ts';
import { createDraft, editDraft, getAuthoredVersion, loadStoredSets, publishDraft } from '../src/services/criteria-authoring.service.ts';
import { getCatalog } from '../src/catalog/catalog.ts';
import { reviewsOfSet } from '../src/db/criteria-set.repository.ts';
import { evaluateFigures } from '../src/domain/evaluation.ts';
import { resolveTarget, targetContext } from '../src/domain/targets.ts';
import { demoValue, hashSeed, prng } from '../src/seed/demo-values.ts';
import type { EvaluationInputs } from '../src/services/evaluation.service.ts';

const BASE = 'ha-nam-nang-cao-2021-2025-minh-hoa';

export interface SetsCase {
  dialect: string;
  communes: number;
  dates: number;
  reviews: number;
  publishMs: number;
  changedVerdicts: number;
  plainLoopMs: number;
  ratioToPlainLoop: number;
  targetMs: number;
}

/** Every other month from 1/2022 to 3/2025 (inside the old unit list and the set's validity). */
const DATES = Array.from({ length: 20 }, (_, i) => `${2022 + Math.floor((2 * i) / 12)}-${String(1 + ((2 * i) % 12)).padStart(2, '0')}-15`);

export async function runSetsCase(db: Db, dialect: string, communes: number, dates: number, targetMs: number, log: (s: string) => void): Promise<SetsCase> {
  await migrateToLatest(db);
  await loadStoredSets(db);
  const units: string[] = [];
  for (let i = 0; i < communes; i++) units.push((await insertCommune(db.kysely, { code: String(10000 + i), name: `Xã đo ${i}` })).id);
  const province = (await db.kysely.selectFrom('unit').select('id').where('level', '=', 'province').executeTakeFirstOrThrow()).id;
  const setId = `bench-tinh-${communes}`;
  let v = await createDraft(db, SYSTEM_ACTOR, { basedOn: BASE, setId, provinceId: province, validFrom: '2022-01-01', validTo: '2025-12-31' });
  await publishDraft(db, SYSTEM_ACTOR, setId, 1, { version: v.version }, { wait: true });

  const set = getCatalog().get(setId);
  const indicators = set.criteria.flatMap((c) => c.indicators);
  const started = performance.now();
  const items = units.flatMap((unitId) => DATES.slice(DATES.length - dates).map((reviewedOn) => ({ unitId, reviewedOn })));
  for (let i = 0; i < items.length; i += 250) {
    await db.kysely.transaction().execute(async (trx) => {
      const batch = items.slice(i, i + 250).map(({ unitId, reviewedOn }) => {
        const rnd = prng(hashSeed(`${unitId}|${reviewedOn}`));
        const ctx = targetContext(set, { code: unitId, name: unitId, region: 'DBSH', group: null, special: null }, Number(reviewedOn.slice(0, 4)));
        const values: Record<string, ValueInput> = {};
        for (const ind of indicators) values[ind.code] = { value: demoValue(ind, resolveTarget(ind.target, ctx), rnd() < 0.8, rnd()) };
        return { unitId, setId, reviewedOn, values, status: 'submitted' as const };
      });
      await createReviewsIn(trx, SYSTEM_ACTOR, batch);
    });
  }
  log(`  ${dialect}: ${items.length} reviews stored and evaluated in ${Math.round(performance.now() - started)} ms`);

  // Version 2 from the same date changes one threshold (2.2: ≥ 100 % → ≥ 90 %).
  v = await createDraft(db, SYSTEM_ACTOR, { newVersionOf: setId, validFrom: '2022-01-01' });
  const ind = indicators.find((x) => x.code === '2.2')!;
  v = await editDraft(db, SYSTEM_ACTOR, setId, 2, {
    version: v.version,
    edit: { op: 'put', criterion: '2', indicator: { code: ind.code, name: ind.name, kind: ind.kind, unit: ind.unit, target: { op: '>=', value: 90 }, source: { decision: 'bench' }, verified: false } },
  });
  const t0 = performance.now();
  await publishDraft(db, SYSTEM_ACTOR, setId, 2, { version: v.version }, { wait: true });
  const publishMs = performance.now() - t0;
  const job = (await getAuthoredVersion(db, SYSTEM_ACTOR, setId, 2)).reevaluation!;
  if (job.state !== 'done' || job.total !== items.length) throw new Error(`re-evaluation ${job.state}: ${job.done}/${job.total} ${job.error ?? ''}`);

  // The plain loop: the engine alone over the same inputs (read beforehand, not timed).
  const inputs = (await reviewsOfSet(db.kysely, setId)).map(({ review, cached }) => ({ review, inputs: JSON.parse(cached!.inputs_json) as EvaluationInputs }));
  const catalog = getCatalog();
  const t1 = performance.now();
  let met = 0;
  for (const { review, inputs: x } of inputs) met += evaluateFigures(catalog.at(setId, review.reviewed_on), x.profile, review.reviewed_on, x.values, { recognisedLevels: x.recognisedLevels }).totals.criteriaMet;
  const plainLoopMs = performance.now() - t1;
  if (met < 0) throw new Error('unreachable');
  const r: SetsCase = {
    dialect,
    communes,
    dates,
    reviews: items.length,
    publishMs: Math.round(publishMs),
    changedVerdicts: job.changedVerdicts,
    plainLoopMs: Math.round(plainLoopMs * 10) / 10,
    ratioToPlainLoop: Math.round((publishMs / plainLoopMs) * 10) / 10,
    targetMs,
  };
  log(
    `  ${dialect} ${communes} communes × ${dates} dates: publish + re-evaluate ${r.reviews} reviews in ${r.publishMs} ms (target ≤ ${targetMs} ms), ${r.changedVerdicts} verdicts changed; plain engine loop ${r.plainLoopMs} ms; ratio ${r.ratioToPlainLoop}×`,
  );
  return r;
}

export async function runSetsBench(log: (s: string) => void): Promise<SetsCase[]> {
  log('Criteria-set publishing (re-evaluation of every review of the set):');
  const out: SetsCase[] = [];
  for (const [communes, dates, target] of [
    [130, 20, 5000],
    [10000, 1, 30000],
  ] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-bench-sets-'));
    const db = openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
    try {
      out.push(await runSetsCase(db, 'sqlite', communes, dates, target, log));
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (process.env.DATCHUAN_BENCH_PG === '1') {
    const base = process.env.DATCHUAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
    const name = `datchuan_bench_sets_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const db = openDatabase(`${base}/${name}`);
    try {
      out.push(await runSetsCase(db, 'postgres', 130, 20, 5000, log));
    } finally {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
  return out;
}
