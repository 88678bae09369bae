/**
 * The whole country (issue 16), on the synthetic country (`datchuan seed --synthetic national`) in
 * SQLite and in PostgreSQL. Every figure comes with its baseline measured in the same run:
 *  - national summary (every rural commune's latest review, counts per level, per province), uncached,
 *    p50/p99 of N calls — target p99 ≤ 150 ms; baseline: the simplest raw SQL giving the counts per
 *    level (a window function over the submitted reviews);
 *  - load: the province overview and a commune page through a real server (`datchuan serve`),
 *    autocannon 50 connections × 30 s while one review is written and submitted every second —
 *    target ≥ 1,500 req/s, overview p99 ≤ 50 ms; baseline: `/api/v1/health` under the same load;
 *  - freshness (PostgreSQL, two servers A and B): a review submitted through A under that load, until
 *    the national summary read through B counts it — target ≤ 1 s; baseline: the same read of B
 *    when nothing changed (a cache hit);
 *  - re-evaluation of the whole country (10,000 communes' latest reviews) after a threshold change —
 *    target ≤ 15 s; baseline: the engine alone on the same inputs (bench/sets.bench.ts);
 *  - synthetic load (values/s, peak memory) when the bench seeds the database itself; Excel import and
 *    export of the whole country (bench/reports.bench.ts, own process for peak memory).
 *
 * Databases: DATCHUAN_BENCH_NATIONAL_SQLITE (a file; default data/bench/national-1.sqlite) and
 * DATCHUAN_BENCH_NATIONAL_PG (a URL; default database `datchuan_bench_national` on the local server),
 * seeded on first use (minutes) and kept for the next run. DATCHUAN_BENCH_LOAD_SECONDS (default 30)
 * shortens the load phases; DATCHUAN_BENCH_NATIONAL_DIALECTS=sqlite (or postgres) runs one database; DATCHUAN_BENCH_NATIONAL_PARTS=summary,load,freshness,reevaluation,reports
 * picks parts.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { getMeta } from '../src/db/meta.repository.ts';
import { loadStoredSets } from '../src/services/criteria-authoring.service.ts';
import { getNationalSummary, getNationalTrend, type NationalSummary } from '../src/services/national-summary.service.ts';
import { seedSynthetic } from '../src/seed/synthetic.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { createToken } from '../src/services/token.service.ts';
import { createAuthContext } from '../src/services/auth.service.ts';
import { defaultSecurityConfig, loadConfig } from '../src/config.ts';
import { auditKeyOf } from '../src/cli/context.ts';
import { listCommunesUnder } from '../src/services/unit.service.ts';
import { startServerProcess, type ServerProcess } from '../src/test-support/server-process.ts';
import { runSetsCase, type SetsCase } from './sets.bench.ts';
import { runReportsBench, type ReportsBenchResult } from './reports.bench.ts';

const PROVINCE = '37@2025-07';
/** Before the merger (63 provinces, 7,692 rural communes) and after it (34, 2,621). */
const DATES = ['2024-12-31', '2025-12-31'] as const;
/** The freshness probe reads the national summary on this date; the writes move communes between sets on it. */
const FRESH_DATE = '2025-12-31';
const BASIC_SET = 'xa-ntm-2021-2025';
const ADVANCED_SET = 'xa-ntm-nang-cao-2021-2025';
const TARGETS = { summaryP99Ms: 150, requestsPerSecond: 1500, overviewP99Ms: 50, freshnessMs: 1000, reevaluationMs: 15_000 };

export interface SummaryTiming {
  dialect: string;
  date: string;
  communes: number;
  provinces: number;
  runs: number;
  p50: number;
  p99: number;
  max: number;
  baselineP50: number;
  baselineP99: number;
  /** p50 of the service over p50 of the raw SQL. */
  ratio: number;
  /** The trend by quarter (its own request), one call. */
  trendMs: number;
  sameCounts: boolean;
  met: boolean;
}

export interface LoadTiming {
  dialect: string;
  label: string;
  path: string;
  seconds: number;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  writes: number;
  writeErrors: number;
  baselineRequestsPerSecond: number;
  baselineP99: number;
  /** Requests/s over the baseline's. */
  ratio: number;
}

export interface FreshnessTiming {
  dialect: string;
  samples: number[];
  p50: number;
  max: number;
  /** B's national summary read when nothing changed (a cache hit), median ms. */
  baselineReadMs: number;
  loadRequestsPerSecond: number;
  met: boolean;
}

export interface NationalBenchResult {
  environment: { cpu: string; cores: number; memoryGb: number; node: string; sqlite: string; postgres: string | null; loadAverage: number[]; startedAt: string };
  databases: Array<{ dialect: string; location: string; seededNow: boolean; reviews: number; values: number; seedMs?: number; seedPeakRssMb?: number; valuesPerSecond?: number }>;
  summary: SummaryTiming[];
  load: LoadTiming[];
  freshness: FreshnessTiming | null;
  reevaluation: SetsCase[];
  reports: ReportsBenchResult | null;
  targets: typeof TARGETS;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)] ?? NaN;

function parts(): Set<string> {
  const all = ['summary', 'load', 'freshness', 'reevaluation', 'reports'];
  const env = process.env.DATCHUAN_BENCH_NATIONAL_PARTS;
  return new Set(env ? env.split(',').map((s) => s.trim()) : all);
}

async function pgAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${base}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Open (and on first use seed) the synthetic country in one database. */
async function openCountry(dialect: 'sqlite' | 'postgres', log: (s: string) => void): Promise<{ db: Db; url: string; info: NationalBenchResult['databases'][number] }> {
  let url: string;
  if (dialect === 'sqlite') {
    const file = path.resolve(process.env.DATCHUAN_BENCH_NATIONAL_SQLITE ?? 'data/bench/national-1.sqlite');
    mkdirSync(path.dirname(file), { recursive: true });
    url = `sqlite:${file}`;
  } else {
    url = process.env.DATCHUAN_BENCH_NATIONAL_PG ?? 'postgres://postgres@127.0.0.1:5432/datchuan_bench_national';
    const base = url.slice(0, url.lastIndexOf('/'));
    const name = url.slice(url.lastIndexOf('/') + 1);
    await pgAdmin(base, async (c) => {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) await c.query(`create database "${name}"`);
    });
  }
  // The key the CLI and the servers use (<data dir>/audit.key or DATCHUAN_AUDIT_KEY): one audit chain.
  const db = openDatabase(url, { auditKey: auditKeyOf(loadConfig()) });
  await migrateToLatest(db);
  const seeded = await getMeta(db.kysely, 'synthetic_seed');
  let seed: { ms: number; peakRssMb: number; values: number } | undefined;
  if (!seeded || !String(seeded).includes('"national"')) {
    log(`  ${dialect}: seeding the synthetic country (first run; kept for the next) …`);
    let last = -1;
    const r = await seedSynthetic(db, SYSTEM_ACTOR, {
      variant: 'national',
      seed: 1,
      force: true,
      onProgress: (done, total) => {
        const pct = Math.floor((done * 10) / total);
        if (pct !== last) log(`    ${pct * 10}% (${done}/${total} reviews)`);
        last = pct;
      },
    });
    seed = { ms: r.ms, peakRssMb: r.peakRssMb, values: r.values };
  }
  // A database seeded earlier: the load figures its seeding recorded.
  const recorded = seed ? null : await getMeta(db.kysely, 'synthetic_result');
  if (recorded) {
    const r = JSON.parse(recorded) as { ms: number; peakRssMb: number; values: number };
    seed = { ms: r.ms, peakRssMb: r.peakRssMb, values: r.values };
  }
  await loadStoredSets(db);
  const count = async (table: 'review' | 'indicator_value') => Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
  const info = {
    dialect,
    location: dialect === 'sqlite' ? url.slice('sqlite:'.length) : url.replace(/\/\/[^@]*@/, '//'),
    seededNow: seeded === null || !String(seeded).includes('"national"'),
    reviews: await count('review'),
    values: await count('indicator_value'),
    ...(seed ? { seedMs: seed.ms, seedPeakRssMb: seed.peakRssMb, valuesPerSecond: Math.round(seed.values / (seed.ms / 1000)) } : {}),
  };
  log(`  ${dialect}: ${info.reviews.toLocaleString('en')} reviews, ${info.values.toLocaleString('en')} values (${info.location})`);
  return { db, url, info };
}

/** The baseline: the counts per level as the simplest SQL says them (latest submitted review per rural commune valid on the date). */
async function rawCounts(db: Db, date: string): Promise<Record<string, number>> {
  const rows = await sql<{ level: string | null; n: number | string }>`
    select e.level as level, count(*) as n from (
      select r.id, r.unit_id, row_number() over (partition by r.unit_id order by r.reviewed_on desc, r.id desc) as k
      from review r
      where r.status = 'submitted' and r.reviewed_on <= ${date}
    ) l
    join unit u on u.id = l.unit_id and u.level = 'commune' and u.type = 'Xã'
      and (u.valid_from is null or u.valid_from <= ${date}) and (u.valid_to is null or u.valid_to >= ${date})
    left join review_evaluation e on e.review_id = l.id
    where l.k = 1
    group by e.level`.execute(db.kysely);
  const out: Record<string, number> = {};
  for (const r of rows.rows) out[r.level ?? 'none'] = Number(r.n);
  return out;
}

async function timeSummary(db: Db, dialect: string, runs: number, log: (s: string) => void): Promise<SummaryTiming[]> {
  const out: SummaryTiming[] = [];
  for (const date of DATES) {
    // Warm-up (and the evaluation cache brought up to date, as any first read does).
    let s: NationalSummary = await getNationalSummary(db, undefined, date);
    await rawCounts(db, date);
    const own: number[] = [];
    const base: number[] = [];
    let raw: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      // Alternated, so that both see the same machine.
      let t = performance.now();
      s = await getNationalSummary(db, undefined, date);
      own.push(performance.now() - t);
      t = performance.now();
      raw = await rawCounts(db, date);
      base.push(performance.now() - t);
    }
    const t = performance.now();
    await getNationalTrend(db, undefined, date);
    const trendMs = Math.round(performance.now() - t);
    const mine: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.byLevel)) if (v > 0) mine[k] = v;
    const r: SummaryTiming = {
      dialect,
      date,
      communes: s.denominator.communes,
      provinces: s.provinces.length,
      runs,
      p50: round1(quantile(own, 0.5)),
      p99: round1(quantile(own, 0.99)),
      max: round1(Math.max(...own)),
      baselineP50: round1(quantile(base, 0.5)),
      baselineP99: round1(quantile(base, 0.99)),
      ratio: round1(quantile(own, 0.5) / quantile(base, 0.5)),
      trendMs,
      sameCounts: JSON.stringify(Object.entries(mine).sort()) === JSON.stringify(Object.entries(raw).sort()),
      met: quantile(own, 0.99) <= TARGETS.summaryP99Ms,
    };
    log(
      `  ${dialect.padEnd(8)} ${date}: ${r.communes} communes in ${r.provinces} provinces — p50 ${r.p50} ms, p99 ${r.p99} ms (max ${r.max}) over ${runs}; raw SQL p50 ${r.baselineP50} ms (ratio ${r.ratio}×); same counts: ${r.sameCounts}; trend ${trendMs} ms`,
    );
    out.push(r);
  }
  return out;
}

/** A token reading and writing everywhere (the bench's servers are not demo servers for tokens). */
async function benchToken(db: Db): Promise<Record<string, string>> {
  const t = await createToken(createAuthContext(db, defaultSecurityConfig()), SYSTEM_ACTOR, {
    name: `bench-national-${Date.now().toString(36)}`,
    actions: ['summary.read', 'review.read', 'review.write', 'review.submit', 'national.read'],
    unitIds: [],
  });
  return { authorization: `Bearer ${t.token}` };
}

/**
 * One write a second while `until` is pending: a review of the next commune on FRESH_DATE against the
 * set it is not on now (basic ↔ advanced), then its submission — a change every national figure of
 * sets in use sees. Returns the number written and failed.
 */
class Writer {
  written = 0;
  failed = 0;
  private next = 0;
  constructor(
    private readonly server: ServerProcess,
    private readonly headers: Record<string, string>,
    private readonly communes: string[],
    private readonly setOf: Map<string, string>,
  ) {}

  /** Write one; resolves with the commune, its new set and the time the submission was acknowledged. */
  async writeOne(): Promise<{ unitId: string; from: string; to: string; ackAt: number } | null> {
    const unitId = this.communes[this.next++ % this.communes.length]!;
    const from = this.setOf.get(unitId) ?? BASIC_SET;
    const to = from === BASIC_SET ? ADVANCED_SET : BASIC_SET;
    const created = await this.server.fetch('/api/v1/reviews', { method: 'POST', headers: this.headers, body: { unitId, setId: to, reviewedOn: FRESH_DATE, values: {} } });
    if (created.status !== 201) {
      this.failed++;
      return null;
    }
    const id = (created.json() as { id: number }).id;
    const submitted = await this.server.fetch(`/api/v1/reviews/${id}/submit`, { method: 'POST', headers: { ...this.headers, 'if-match': created.headers.get('etag')! }, body: {} });
    if (submitted.status !== 200) {
      this.failed++;
      return null;
    }
    const ackAt = performance.now();
    this.written++;
    this.setOf.set(unitId, to);
    return { unitId, from, to, ackAt };
  }

  /** Every second until `done` resolves. */
  async during<T>(done: Promise<T>): Promise<T> {
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const t = performance.now();
        await this.writeOne();
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
      }
    })();
    try {
      return await done;
    } finally {
      stop = true;
      await loop;
    }
  }
}

/** As a browser asks: with `Accept-Encoding: gzip` (the dashboards answer compressed, once per revision). */
async function cannon(url: string, headers: Record<string, string>, seconds: number, connections = 50): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, pipelining: 1, headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } });
}

async function startServers(url: string, n: number): Promise<ServerProcess[]> {
  const env = { DATABASE_URL: url, DATCHUAN_JOBS_INTERVAL_MINUTES: '0', DATCHUAN_LOG_LEVEL: 'warn' };
  return Promise.all(Array.from({ length: n }, () => startServerProcess(env, 120_000)));
}

/** Set of each commune's latest submitted review on FRESH_DATE (from the province summary). */
async function setsOn(server: ServerProcess, headers: Record<string, string>): Promise<Map<string, string>> {
  const r = await server.fetch(`/api/v1/units/${PROVINCE}/summary?date=${FRESH_DATE}`, { headers });
  if (r.status !== 200) throw new Error(`province summary: ${r.status} ${r.text.slice(0, 200)}`);
  return new Map((r.json() as { communes: Array<{ unitId: string; setId: string | null }> }).communes.filter((c) => c.setId).map((c) => [c.unitId, c.setId!]));
}

async function measureLoad(dialect: string, url: string, db: Db, seconds: number, log: (s: string) => void): Promise<LoadTiming[]> {
  const headers = await benchToken(db);
  const communes = (await listCommunesUnder(db.kysely, PROVINCE, FRESH_DATE)).filter((c) => c.type === 'Xã').map((c) => c.id);
  const [server] = await startServers(url, 1);
  try {
    const writer = new Writer(server!, headers, communes, await setsOn(server!, headers));
    const paths = [
      ['overview', `/api/v1/units/${PROVINCE}/summary?date=${FRESH_DATE}`],
      ['commune page', `/api/v1/units/${communes[0]}/commune-page?date=${FRESH_DATE}`],
    ] as const;
    const out: LoadTiming[] = [];
    await cannon(`${server!.url}/api/v1/health`, headers, 3, 10); // warm-up
    const base = await cannon(`${server!.url}/api/v1/health`, headers, Math.max(5, Math.round(seconds / 3)));
    for (const [label, p] of paths) {
      await cannon(`${server!.url}${p}`, headers, 2, 10); // warm-up
      const w0 = writer.written;
      const f0 = writer.failed;
      const r = await writer.during(cannon(`${server!.url}${p}`, headers, seconds));
      const t: LoadTiming = {
        dialect,
        label,
        path: p,
        seconds,
        connections: 50,
        requestsPerSecond: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
        writes: writer.written - w0,
        writeErrors: writer.failed - f0,
        baselineRequestsPerSecond: Math.round(base.requests.average),
        baselineP99: base.latency.p99,
        ratio: round1(r.requests.average / base.requests.average),
      };
      log(
        `  ${dialect.padEnd(8)} ${label.padEnd(12)} ${t.requestsPerSecond} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms, errors ${t.errors}; ${t.writes} writes (${t.writeErrors} failed) meanwhile; /health alone ${t.baselineRequestsPerSecond} req/s p99 ${t.baselineP99} ms (ratio ${t.ratio}×)`,
      );
      out.push(t);
    }
    return out;
  } finally {
    await server!.stop();
  }
}

/** Two servers on one PostgreSQL: a review submitted through A, polled through B's national summary. */
async function measureFreshness(url: string, db: Db, seconds: number, log: (s: string) => void): Promise<FreshnessTiming> {
  const headers = await benchToken(db);
  const communes = (await listCommunesUnder(db.kysely, PROVINCE, FRESH_DATE)).filter((c) => c.type === 'Xã').map((c) => c.id);
  const [a, b] = await startServers(url, 2);
  try {
    const writer = new Writer(a!, headers, communes, await setsOn(a!, headers));
    const national = `/api/v1/units/VN/summary?date=${FRESH_DATE}`;
    const setsOfProvince = async (): Promise<Record<string, number>> => {
      const r = await b!.fetch(national, { headers });
      if (r.status !== 200) throw new Error(`national summary through B: ${r.status}`);
      const p = (r.json() as NationalSummary).provinces.find((x) => x.unitId === PROVINCE)!;
      return Object.fromEntries(p.sets.map((s) => [s.setId, s.communes]));
    };
    // The baseline: B answering from its cache (nothing changed).
    await setsOfProvince();
    const hits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await setsOfProvince();
      hits.push(performance.now() - t);
    }
    const samples: number[] = [];
    const load = Promise.all([cannon(`${a!.url}/api/v1/units/${PROVINCE}/summary?date=${FRESH_DATE}`, headers, seconds, 25), cannon(`${b!.url}/api/v1/units/${PROVINCE}/summary?date=${FRESH_DATE}`, headers, seconds, 25)]);
    const started = performance.now();
    let expected = await setsOfProvince();
    while (performance.now() - started < (seconds - 3) * 1000) {
      const t = performance.now();
      const w = await writer.writeOne();
      if (w) {
        expected = { ...expected, [w.from]: (expected[w.from] ?? 0) - 1, [w.to]: (expected[w.to] ?? 0) + 1 };
        for (const k of Object.keys(expected)) if (expected[k] === 0) delete expected[k];
        const want = JSON.stringify(Object.entries(expected).sort());
        for (;;) {
          const seen = JSON.stringify(Object.entries(await setsOfProvince()).sort());
          if (seen === want) break;
          if (performance.now() - w.ackAt > 10_000) throw new Error(`B did not show the write after 10 s: ${seen} ≠ ${want}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        samples.push(round1(performance.now() - w.ackAt));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
    }
    const [ra, rb] = await load;
    const r: FreshnessTiming = {
      dialect: 'postgres',
      samples,
      p50: round1(quantile(samples, 0.5)),
      max: round1(Math.max(...samples)),
      baselineReadMs: round1(quantile(hits, 0.5)),
      loadRequestsPerSecond: Math.round(ra.requests.average + rb.requests.average),
      met: samples.length > 0 && Math.max(...samples) <= TARGETS.freshnessMs,
    };
    log(
      `  postgres two servers: ${samples.length} reviews submitted through A seen in B's national summary after p50 ${r.p50} ms, max ${r.max} ms (target ≤ ${TARGETS.freshnessMs}); B's cached read ${r.baselineReadMs} ms; load meanwhile ${r.loadRequestsPerSecond} req/s on the two overviews`,
    );
    return r;
  } finally {
    await Promise.all([a!.stop(), b!.stop()]);
  }
}

async function versions(dbs: Db[]): Promise<{ sqlite: string; postgres: string | null }> {
  let sqlite = '';
  let postgres: string | null = null;
  for (const db of dbs) {
    if (db.dialect === 'sqlite') sqlite = (await sql<{ v: string }>`select sqlite_version() as v`.execute(db.kysely)).rows[0]!.v;
    else postgres = (await sql<{ v: string }>`show server_version`.execute(db.kysely)).rows.map((r) => Object.values(r)[0] as string)[0]!;
  }
  return { sqlite, postgres };
}

export async function runNationalBench(log: (s: string) => void): Promise<NationalBenchResult> {
  const which = parts();
  const seconds = Number(process.env.DATCHUAN_BENCH_LOAD_SECONDS ?? 30);
  const runs = Number(process.env.DATCHUAN_BENCH_SUMMARY_RUNS ?? 100);
  log('The whole country (synthetic data):');
  const dialects = (process.env.DATCHUAN_BENCH_NATIONAL_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim()) as Array<'sqlite' | 'postgres'>;
  const opened = [];
  for (const d of dialects) opened.push(await openCountry(d, log));
  const v = await versions(opened.map((o) => o.db));
  const result: NationalBenchResult = {
    environment: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      sqlite: v.sqlite,
      postgres: v.postgres,
      loadAverage: os.loadavg().map(round1),
      startedAt: new Date().toISOString(),
    },
    databases: opened.map((o) => o.info),
    summary: [],
    load: [],
    freshness: null,
    reevaluation: [],
    reports: null,
    targets: TARGETS,
  };
  try {
    if (which.has('summary')) {
      log(`National summary, uncached (${runs} calls per date, alternated with the raw SQL baseline):`);
      for (const o of opened) result.summary.push(...(await timeSummary(o.db, o.info.dialect, runs, log)));
    }
    if (which.has('load')) {
      log(`Load: 50 connections × ${seconds} s, one review written and submitted every second:`);
      for (const o of opened) result.load.push(...(await measureLoad(o.info.dialect, o.url, o.db, seconds, log)));
    }
    const onPg = opened.find((x) => x.info.dialect === 'postgres');
    if (which.has('freshness') && onPg) {
      log('Freshness across two servers (PostgreSQL), under load:');
      result.freshness = await measureFreshness(onPg.url, onPg.db, seconds, log);
    }
  } finally {
    for (const o of opened) await o.db.close();
  }
  if (which.has('reevaluation')) {
    log('Re-evaluation of the whole country after a threshold change (10,000 communes × their latest review):');
    for (const dialect of dialects) {
      const dir = path.resolve('data/bench');
      mkdirSync(dir, { recursive: true });
      if (dialect === 'sqlite') {
        const file = path.join(dir, `reevaluation-${process.pid}.sqlite`);
        const db = openDatabase(`sqlite:${file}`);
        try {
          result.reevaluation.push(await runSetsCase(db, 'sqlite', 10_000, 1, TARGETS.reevaluationMs, log));
        } finally {
          await db.close();
          for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
        }
      } else {
        const base = 'postgres://postgres@127.0.0.1:5432';
        const name = `datchuan_bench_reeval_${process.pid}`;
        await pgAdmin(base, (c) => c.query(`create database ${name}`));
        const db = openDatabase(`${base}/${name}`);
        try {
          result.reevaluation.push(await runSetsCase(db, 'postgres', 10_000, 1, TARGETS.reevaluationMs, log));
        } finally {
          await db.close();
          await pgAdmin(base, (c) => c.query(`drop database if exists ${name} with (force)`));
        }
      }
    }
  }
  if (which.has('reports')) result.reports = await runReportsBench(log);
  return result;
}

const MARK_START = '<!-- bench:national:start (written by `npm run bench -- --only national`) -->';
const MARK_END = '<!-- bench:national:end -->';

function yes(met: boolean): string {
  return met ? 'met' : '**not met**';
}

const num = (x: number, d = 0) => x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: 0 });

/** The results as the Markdown table of docs/benchmarks.md. */
export function nationalMarkdown(r: NationalBenchResult): string {
  const e = r.environment;
  const lines: string[] = [];
  lines.push(`Run ${e.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${e.cpu} × ${e.cores} cores, ${e.memoryGb} GB; Node ${e.node}; SQLite ${e.sqlite}; PostgreSQL ${e.postgres ?? '—'}; load average at the start ${e.loadAverage.join(' / ')}.`);
  lines.push('');
  lines.push('| database | reviews | indicator values | loaded by this run | load time | values/s | peak memory of the load |');
  lines.push('|---|---:|---:|---|---:|---:|---:|');
  for (const d of r.databases) {
    lines.push(`| ${d.dialect} | ${num(d.reviews)} | ${num(d.values)} | ${d.seededNow ? 'yes' : 'no (loaded earlier)'} | ${d.seedMs ? `${num(d.seedMs / 1000, 1)} s` : '—'} | ${d.valuesPerSecond ? num(d.valuesPerSecond) : '—'} | ${d.seedPeakRssMb ? `${num(d.seedPeakRssMb)} MB` : '—'} |`);
  }
  lines.push('');
  lines.push('| measure | database | result | baseline (same run) | ratio | target | |');
  lines.push('|---|---|---|---|---:|---|---|');
  for (const s of r.summary) {
    lines.push(
      `| national summary ${s.date} (${num(s.communes)} communes, ${s.provinces} provinces), uncached, ${s.runs} calls | ${s.dialect} | p50 ${num(s.p50, 1)} ms, p99 ${num(s.p99, 1)} ms | raw SQL counts per level p50 ${num(s.baselineP50, 1)} ms | ${s.ratio}× | p99 ≤ ${r.targets.summaryP99Ms} ms | ${yes(s.met)}${s.sameCounts ? '' : ' (counts differ from the raw SQL!)'} |`,
    );
  }
  for (const s of r.summary) lines.push(`| national trend by quarter to ${s.date} (own request, cached like the summary) | ${s.dialect} | ${num(s.trendMs)} ms | — | — | — | |`);
  for (const l of r.load) {
    const met = l.requestsPerSecond >= r.targets.requestsPerSecond && (l.label !== 'overview' || l.p99 <= r.targets.overviewP99Ms) && l.errors === 0;
    lines.push(
      `| ${l.label} under load (${l.connections} connections × ${l.seconds} s, ${l.writes} writes meanwhile) | ${l.dialect} | ${num(l.requestsPerSecond)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.errors} errors | \`/api/v1/health\` ${num(l.baselineRequestsPerSecond)} req/s, p99 ${l.baselineP99} ms | ${l.ratio}× | ≥ ${num(r.targets.requestsPerSecond)} req/s${l.label === 'overview' ? `, p99 ≤ ${r.targets.overviewP99Ms} ms` : ''} | ${yes(met)} |`,
    );
  }
  if (r.freshness) {
    const f = r.freshness;
    lines.push(
      `| freshness: review submitted through server A → national summary through server B, under load (${num(f.loadRequestsPerSecond)} req/s) | ${f.dialect} | ${f.samples.length} samples: p50 ${num(f.p50, 1)} ms, max ${num(f.max, 1)} ms | B's cached read ${num(f.baselineReadMs, 1)} ms | ${num(f.p50 / f.baselineReadMs, 1)}× | ≤ ${num(r.targets.freshnessMs)} ms | ${yes(f.met)} |`,
    );
  }
  for (const c of r.reevaluation) {
    lines.push(
      `| re-evaluation after a threshold change, ${num(c.communes)} communes × ${c.dates} review (${num(c.reviews)} reviews, ${num(c.changedVerdicts)} verdicts changed) | ${c.dialect} | ${num(c.publishMs / 1000, 1)} s | engine alone ${num(c.plainLoopMs)} ms | ${c.ratioToPlainLoop}× | ≤ ${num(r.targets.reevaluationMs / 1000)} s | ${yes(c.publishMs <= r.targets.reevaluationMs)} |`,
    );
  }
  if (r.reports) {
    const n = r.reports.national;
    const imp = n.import;
    lines.push(
      `| Excel import of the whole country (${num(n.communes)} communes × ${n.indicators} indicators, check + commit) | sqlite | ${num((imp.totalMs ?? 0) / 1000, 1)} s, peak ${num(imp.maxRssMB ?? 0)} MB | — | — | ≤ ${num(r.reports.targets.nationalImportMs / 1000)} s, ≤ ${num(r.reports.targets.nationalImportRssMB)} MB | ${yes(r.reports.met.nationalImport && r.reports.met.nationalMemory)} |`,
    );
    const ex = n.exportMatrix;
    lines.push(
      `| Excel export of the national commune × criterion matrix | sqlite | ${num((ex.ms ?? ex.totalMs ?? 0) / 1000, 1)} s, ${num((ex.bytes ?? 0) / 1048576, 1)} MB file, peak ${num(ex.maxRssMB ?? 0)} MB | — | — | ≤ ${num(r.reports.targets.nationalExportMs / 1000)} s | ${yes(r.reports.met.nationalExport)} |`,
    );
  }
  return lines.join('\n');
}

/** Put the table between the markers of docs/benchmarks.md (the rest of the page is prose kept by hand). */
export function writeNationalMarkdown(r: NationalBenchResult, file = 'docs/benchmarks.md'): void {
  const table = `${MARK_START}\n${nationalMarkdown(r)}\n${MARK_END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n## The whole country\n\n${MARK_START}\n${MARK_END}\n`;
  const a = text.indexOf(MARK_START);
  const b = text.indexOf(MARK_END);
  writeFileSync(file, a >= 0 && b > a ? text.slice(0, a) + table + text.slice(b + MARK_END.length) : `${text}\n${table}\n`);
}
