/**
 * API latency benchmark: a province of 129 communes × 10 review dates (Ninh Bình after the
 * merger, scaled from the demo data), served by `datchuan serve` in its own process, loaded by
 * autocannon over loopback. Reports p50/p99 latency and requests/second of the province summary
 * and of a commune page, on SQLite and (when reachable) PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { getCatalog } from '../src/catalog/catalog.ts';
import { resolveTarget, targetContext } from '../src/domain/targets.ts';
import { importUnits } from '../src/services/unit-import.service.ts';
import { createReviewsIn, type ValueInput } from '../src/services/review.service.ts';
import { getCommuneProfile, listCommunesUnder } from '../src/services/unit.service.ts';
import { demoValue, hashSeed, prng } from '../src/seed/demo-values.ts';
import { DEMO_SET_ID } from '../src/seed/demo.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { getUnitSummary } from '../src/services/summary.service.ts';
import { getCommunePage } from '../src/services/commune-page.service.ts';
import { createToken } from '../src/services/token.service.ts';
import { createAuthContext } from '../src/services/auth.service.ts';
import { defaultSecurityConfig } from '../src/config.ts';

export const PROVINCE = '37@2025-07';
export const BENCH_DATES = ['2025-07-15', '2025-08-01', '2025-08-15', '2025-09-01', '2025-09-15', '2025-10-01', '2025-10-15', '2025-11-01', '2025-11-15', '2025-12-01'];

export interface LatencyResult {
  dialect: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Seed the scaled province: every commune of Ninh Bình × 10 submitted reviews. */
export async function seedScaledProvince(db: Db, onProgress?: (done: number, total: number) => void): Promise<{ communes: number; reviews: number }> {
  await migrateToLatest(db);
  await importUnits(db, SYSTEM_ACTOR, { dir: path.resolve('assets/units') });
  const set = getCatalog().get(DEMO_SET_ID);
  const indicators = set.criteria.flatMap((c) => c.indicators);
  const communes = await listCommunesUnder(db.kysely, PROVINCE, '2025-12-31');
  let n = 0;
  await db.kysely.transaction().execute(async (trx) => {
    for (const c of communes) {
      const quality = prng(hashSeed(c.id))();
      for (let d = 0; d < BENCH_DATES.length; d++) {
        const date = BENCH_DATES[d]!;
        const profile = await getCommuneProfile(trx, c.id, date);
        const ctx = targetContext(set, profile, 2025);
        const rnd = prng(hashSeed(`${c.id}${date}`));
        const values: Record<string, ValueInput> = {};
        for (const ind of indicators) values[ind.code] = { value: demoValue(ind, resolveTarget(ind.target, ctx), rnd() < 0.7 + quality * 0.2 + d * 0.01, rnd()) };
        await createReviewsIn(trx, SYSTEM_ACTOR, [{ unitId: c.id, setId: set.id, reviewedOn: date, values, status: 'submitted' }]);
        onProgress?.(++n, communes.length * BENCH_DATES.length);
      }
    }
  });
  return { communes: communes.length, reviews: n };
}

export async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/datchuan.mjs', 'serve', '--no-seed'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DATCHUAN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

async function load(url: string, connections: number, duration: number, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration, pipelining: 1, headers });
}

/** A read-only API token for the province (the bench database is not a demo: reads need one). */
async function readerToken(db: Db): Promise<Record<string, string>> {
  const name = `bench-${Date.now().toString(36)}`;
  const t = await createToken(createAuthContext(db, defaultSecurityConfig()), SYSTEM_ACTOR, { name, actions: ['summary.read', 'review.read'], unitIds: [PROVINCE] });
  return { authorization: `Bearer ${t.token}` };
}

export async function measure(dialect: string, url: string, port: number, log: (s: string) => void): Promise<LatencyResult[]> {
  const server = await startServer(url, port);
  try {
    const db = openDatabase(url);
    const communes = await listCommunesUnder(db.kysely, PROVINCE, '2025-12-31');
    const headers = await readerToken(db);
    await db.close();
    const commune = communes.find((c) => c.type === 'Xã') ?? communes[0]!;
    const paths = [`/api/v1/units/${PROVINCE}/summary?date=2025-12-31`, `/api/v1/units/${commune.id}/commune-page?date=2025-12-31`];
    const out: LatencyResult[] = [];
    for (const p of paths) {
      await load(`http://127.0.0.1:${port}${p}`, 4, 2, headers); // warm-up
      const r = await load(`http://127.0.0.1:${port}${p}`, 10, 8, headers);
      const res = { dialect, path: p, requestsPerSecond: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
      log(`  ${dialect.padEnd(8)} ${p.padEnd(58)} ${String(res.requestsPerSecond).padStart(6)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  errors ${res.errors}`);
      out.push(res);
    }
    return out;
  } finally {
    server.kill('SIGTERM');
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The uncached path (what the first request after a write pays), measured in-process. */
export async function measureCold(dialect: string, url: string, log: (s: string) => void): Promise<LatencyResult[]> {
  const db = openDatabase(url);
  try {
    const communes = await listCommunesUnder(db.kysely, PROVINCE, '2025-12-31');
    const commune = communes.find((c) => c.type === 'Xã') ?? communes[0]!;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['summary (uncached)', () => getUnitSummary(db, PROVINCE, '2025-12-31')],
      ['commune page (uncached)', () => getCommunePage(db, commune.id, '2025-12-31')],
    ];
    const out: LatencyResult[] = [];
    for (const [name, fn] of cases) {
      for (let i = 0; i < 5; i++) await fn();
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t = performance.now();
        JSON.stringify(await fn());
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const res = { dialect, path: name, requestsPerSecond: Math.round(1000 / (times.reduce((a, b) => a + b, 0) / times.length)), p50: round2(percentile(times, 50)), p99: round2(percentile(times, 99)), errors: 0 };
      log(`  ${dialect.padEnd(8)} ${name.padEnd(58)} ${String(res.requestsPerSecond).padStart(6)} /s     p50 ${res.p50} ms  p99 ${res.p99} ms`);
      out.push(res);
    }
    return out;
  } finally {
    await db.close();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function runApiBench(log: (s: string) => void, progress?: (label: string) => (d: number, t: number) => void): Promise<LatencyResult[]> {
  const results: LatencyResult[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-bench-'));
  try {
    const sqliteUrl = `sqlite:${path.join(dir, 'bench.sqlite')}`;
    const db = openDatabase(sqliteUrl);
    const s = await seedScaledProvince(db, progress?.('Dữ liệu SQLite / seeding SQLite'));
    await db.close();
    log(`API (${s.communes} communes × ${BENCH_DATES.length} review dates = ${s.reviews} reviews):`);
    results.push(...(await measure('sqlite', sqliteUrl, 3901, log)));
    results.push(...(await measureCold('sqlite', sqliteUrl, log)));

    const admin = process.env.DATCHUAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `datchuan_bench_${process.pid}`;
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    let pgReachable = true;
    try {
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      await c.query(`CREATE DATABASE "${name}"`);
    } catch {
      pgReachable = false;
      log('  postgres: not reachable, skipped');
    }
    if (pgReachable) {
      const u = new URL(admin);
      u.pathname = `/${name}`;
      try {
        const pdb = openDatabase(u.toString());
        await seedScaledProvince(pdb, progress?.('Dữ liệu PostgreSQL / seeding PostgreSQL'));
        await pdb.close();
        results.push(...(await measure('postgres', u.toString(), 3902, log)));
        results.push(...(await measureCold('postgres', u.toString(), log)));
      } finally {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    }
    await c.end().catch(() => {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
