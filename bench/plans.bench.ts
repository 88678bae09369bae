/**
 * Decision support (issue 15): the budget allocation (HiGHS MIP vs greedy on a synthetic province,
 * bench/allocation.bench.ts) and the gap analysis of a province on the server (target ≤ 50 ms),
 * with its baseline in the same run: the bare reads it cannot avoid (each commune's latest
 * submitted review and its cached evaluation, no verdicts derived).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { evaluationsOfReviews, latestSubmittedReviews } from '../src/db/review.repository.ts';
import { seedDemoData, DEMO_PROVINCE_BEFORE } from '../src/seed/demo.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { getGapAnalysis } from '../src/services/planning.service.ts';
import { listCommunesUnder } from '../src/services/unit.service.ts';
import { runAllocationBench } from './allocation.bench.ts';
import { stopMipWorker } from '../src/platform/mip-solver.ts';

const DATE = '2023-03-20';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function gapCase(db: Db, dialect: string, log: (s: string) => void) {
  await migrateToLatest(db);
  await seedDemoData(db, SYSTEM_ACTOR);
  const communes = (await listCommunesUnder(db.kysely, DEMO_PROVINCE_BEFORE, DATE)).filter((c) => c.type === 'Xã').map((c) => c.id);
  const analysis = await getGapAnalysis(db, SYSTEM_ACTOR, DEMO_PROVINCE_BEFORE, DATE);
  const runs = 40;
  const full = await time(() => getGapAnalysis(db, SYSTEM_ACTOR, DEMO_PROVINCE_BEFORE, DATE), runs);
  const bare = await time(async () => {
    const latest = await latestSubmittedReviews(db.kysely, communes, DATE);
    return evaluationsOfReviews(
      db.kysely,
      latest.map((r) => r.review_id),
    );
  }, runs);
  const r = {
    dialect,
    communes: analysis.communes.length,
    unmetIndicators: analysis.communes.reduce((n, c) => n + c.unmet.length, 0),
    p50Ms: Math.round(quantile(full, 0.5) * 10) / 10,
    p99Ms: Math.round(quantile(full, 0.99) * 10) / 10,
    baselineP50Ms: Math.round(quantile(bare, 0.5) * 10) / 10,
    ratioToBaseline: Math.round((quantile(full, 0.5) / quantile(bare, 0.5)) * 10) / 10,
    targetMs: 50,
  };
  log(
    `  gap analysis, ${dialect}: province of ${r.communes} reviewed communes (${r.unmetIndicators} indicators to go): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (target ≤ ${r.targetMs} ms); bare reads p50 ${r.baselineP50Ms} ms; ratio ${r.ratioToBaseline}×`,
  );
  return r;
}

export async function runPlansBench(log: (s: string) => void): Promise<object> {
  log('Decision support (issue 15):');
  const allocation = await runAllocationBench(log);
  await stopMipWorker(); // the solver's thread would keep the bench process alive
  const gaps: object[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-bench-plans-'));
  const db = openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  try {
    gaps.push(await gapCase(db, 'sqlite', log));
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.DATCHUAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const name = `datchuan_bench_plans_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  try {
    await admin.connect();
  } catch {
    log('  (PostgreSQL not reachable: gap analysis measured on SQLite only)');
    return { allocation, gaps };
  }
  await admin.query(`create database ${name}`);
  const pdb = openDatabase(`${base}/${name}`);
  try {
    gaps.push(await gapCase(pdb, 'postgres', log));
  } finally {
    await pdb.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return { allocation, gaps };
}
