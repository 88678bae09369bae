/**
 * Write throughput under load: 20 concurrent writers adding task comments (each write appends to
 * the hash-chained audit trail), on SQLite and PostgreSQL.
 *
 *  - `http`: `datchuan serve` in its own process, 20 clients POSTing `/tasks/:id/comments` with an
 *    API token created once (no sign-in per request), spread over the demo's tasks: writes/s, p50, p99.
 *  - `in-process`, 20 concurrent writers, alternating rounds in the same run so that every case
 *    sees the same machine load: the comment insert in a transaction with the audit append and
 *    without (the bare baseline), and the whole use case (addComment: load, authorise, insert +
 *    audit, read back) against the same steps without the audit append: writes/s, p99, ratios.
 *  DATCHUAN_BENCH_SKIP_SQLITE / DATCHUAN_BENCH_SKIP_PG skip a database; DATCHUAN_BENCH_CPU_PROF=<dir>
 *  writes the server's CPU profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { recordAudit } from '../src/db/audit.repository.ts';
import { insertTaskUpdate, listTasks } from '../src/db/task.repository.ts';
import { seedDemoData } from '../src/seed/demo.ts';
import { DEMO_PROVINCE, DEMO_PROVINCE_AFTER_MERGE } from '../src/seed/demo-committee.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { addComment, getTask } from '../src/services/task.service.ts';
import { createToken } from '../src/services/token.service.ts';
import { createAuthContext } from '../src/services/auth.service.ts';
import { defaultSecurityConfig } from '../src/config.ts';

export const WRITERS = 20;
/** The chain is keyed as in production: the server and this process share one key. */
const AUDIT_KEY = randomBytes(32);

export interface WriteResult {
  dialect: string;
  case: string;
  writes: number;
  writesPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface WritesBenchResult {
  writers: number;
  results: WriteResult[];
  /** Per dialect and level (`sqlite insert`, `sqlite use case`…): baseline and audited writes/s, slowdown (1 = no overhead), p99 ratio. */
  auditOverhead: Record<string, { baselinePerSecond: number; auditedPerSecond: number; slowdown: number; p99Ratio: number }>;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Run `writers` loops of `one(i)` for `ms` milliseconds; latencies of each call. */
async function hammer(writers: number, ms: number, one: (writer: number, n: number) => Promise<boolean>): Promise<{ times: number[]; errors: number; elapsed: number }> {
  const times: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = 0; performance.now() < end; n++) {
        const t = performance.now();
        let ok = false;
        try {
          ok = await one(w, n);
        } catch {
          ok = false;
        }
        times.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  return { times, errors, elapsed: performance.now() - start };
}

function summarise(dialect: string, name: string, r: { times: number[]; errors: number; elapsed: number }): WriteResult {
  const sorted = [...r.times].sort((a, b) => a - b);
  // Only the writes that succeeded count: a refused request (403…) is cheaper and would flatter the rate.
  const ok = sorted.length - r.errors;
  return { dialect, case: name, writes: ok, writesPerSecond: Math.round((ok / r.elapsed) * 1000), p50: round1(percentile(sorted, 50)), p99: round1(percentile(sorted, 99)), errors: r.errors };
}

async function seed(db: Db): Promise<number[]> {
  await migrateToLatest(db);
  await seedDemoData(db, SYSTEM_ACTOR);
  const tasks = await listTasks(db.kysely, {});
  if (tasks.length === 0) throw new Error('the demo data has no tasks');
  return tasks.map((t) => t.id);
}

async function startServer(url: string, port: number, dataDir: string): Promise<ChildProcess> {
  // DATCHUAN_BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there (open it in Chrome DevTools).
  const prof = process.env.DATCHUAN_BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.DATCHUAN_BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, 'bin/datchuan.mjs', 'serve', '--no-seed'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DATCHUAN_LOG_LEVEL: 'warn', DATCHUAN_JOBS_INTERVAL_MINUTES: '0', DATCHUAN_AUDIT_KEY: AUDIT_KEY.toString('hex'), DATCHUAN_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

async function measureHttp(dialect: string, url: string, port: number, dataDir: string, taskIds: number[], ms: number): Promise<WriteResult> {
  const db = openDatabase(url, { auditKey: AUDIT_KEY });
  const t = await createToken(createAuthContext(db, defaultSecurityConfig()), SYSTEM_ACTOR, { name: `bench-writes-${Date.now().toString(36)}`, actions: ['task.read', 'task.write'], unitIds: [DEMO_PROVINCE, DEMO_PROVINCE_AFTER_MERGE] });
  await db.close();
  const server = await startServer(url, port, dataDir);
  try {
    const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
    const post = async (w: number, n: number) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/tasks/${taskIds[1 + (w % (taskIds.length - 1))] ?? taskIds[0]}/comments`, { method: 'POST', headers, body: JSON.stringify({ text: `Ý kiến ${w}.${n} (đo tải)` }) });
      await r.arrayBuffer();
      return r.status === 200 || r.status === 201;
    };
    await hammer(WRITERS, 1000, post); // warm-up
    return summarise(dialect, 'http: POST /tasks/:id/comments', await hammer(WRITERS, ms, post));
  } finally {
    server.kill('SIGTERM');
  }
}

/** The comment insert of `addComment`, with or without its audit append, 20 writers at once. */
async function measureInProcess(dialect: string, url: string, taskIds: number[], ms: number): Promise<WriteResult[]> {
  const db = openDatabase(url, { auditKey: AUDIT_KEY });
  try {
    // The bare inserts pile thousands of comments on one task of their own; the use case (whose
    // answer lists the task's comments) writes to the others.
    const bareTask = taskIds[0]!;
    const useTasks = taskIds.length > 1 ? taskIds.slice(1) : taskIds;
    const write = (audited: boolean) => async (w: number, n: number) => {
      const id = bareTask;
      const at = new Date().toISOString();
      const text = `Ý kiến ${w}.${n} (đo tải)`;
      await db.kysely.transaction().execute(async (trx) => {
        const u = await insertTaskUpdate(trx, { task_id: id, kind: 'comment', reported_on: at.slice(0, 10), at, actor: 'bench', progress: null, status_from: null, status_to: null, text, evidence_json: null });
        if (audited) await recordAudit(trx, SYSTEM_ACTOR, { action: 'task.comment', entity: 'task', entityId: id, unitId: null, after: { updateId: u.id, text } }, at);
      });
      return true;
    };
    // The whole use case as the route runs it (addComment: load, authorise, insert + audit, read
    // back), and the same without the audit append (insert, read back — a little less work).
    const request = (audited: boolean) => async (w: number, n: number) => {
      const id = useTasks[w % useTasks.length]!;
      const text = `Ý kiến ${w}.${n} (đo tải)`;
      if (audited) await addComment(db, SYSTEM_ACTOR, id, { text });
      else {
        const at = new Date().toISOString();
        await db.kysely.transaction().execute((trx) =>
          insertTaskUpdate(trx, { task_id: id, kind: 'comment', reported_on: at.slice(0, 10), at, actor: 'bench', progress: null, status_from: null, status_to: null, text, evidence_json: null }),
        );
        await getTask(db, SYSTEM_ACTOR, id);
      }
      return true;
    };
    const cases = [
      ['in-process: insert (baseline, no audit)', write(false)],
      ['in-process: insert + audit', write(true)],
      ['in-process: comment use case without audit', request(false)],
      ['in-process: comment use case (addComment)', request(true)],
    ] as const;
    for (const [, fn] of cases) await hammer(WRITERS, 300, fn);
    // Alternate short rounds so every case sees the same machine load.
    const acc = cases.map(() => ({ times: [] as number[], errors: 0, elapsed: 0 }));
    for (let round = 0; round < 4; round++) {
      for (let c = 0; c < cases.length; c++) {
        const r = await hammer(WRITERS, ms / 8, cases[c]![1]);
        acc[c]!.times.push(...r.times);
        acc[c]!.errors += r.errors;
        acc[c]!.elapsed += r.elapsed;
      }
    }
    return cases.map(([name], c) => summarise(dialect, name, acc[c]!));
  } finally {
    await db.close();
  }
}

export async function runWritesBench(log: (s: string) => void, opts: { ms?: number } = {}): Promise<WritesBenchResult> {
  const ms = opts.ms ?? 6000;
  const results: WriteResult[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-bench-writes-'));
  const show = (r: WriteResult) =>
    log(`  ${r.dialect.padEnd(8)} ${r.case.padEnd(46)} ${String(r.writesPerSecond).padStart(6)} writes/s  p50 ${r.p50} ms  p99 ${r.p99} ms  (${r.writes} writes, ${r.errors} errors)`);
  log(`Writes (${WRITERS} concurrent writers, task comments):`);
  const run = async (dialect: string, url: string, port: number) => {
    const db = openDatabase(url, { auditKey: AUDIT_KEY });
    const taskIds = await seed(db);
    await db.close();
    // HTTP first: each answer lists the task's comments, so it must not start after the
    // in-process rounds have added thousands.
    const h = await measureHttp(dialect, url, port, dir, taskIds, ms);
    results.push(h);
    show(h);
    for (const r of await measureInProcess(dialect, url, taskIds, ms)) {
      results.push(r);
      show(r);
    }
  };
  try {
    if (!process.env.DATCHUAN_BENCH_SKIP_SQLITE) await run('sqlite', `sqlite:${path.join(dir, 'writes.sqlite')}`, 3911);
    const admin = process.env.DATCHUAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `datchuan_bench_writes_${process.pid}`;
    const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
    let reachable = true;
    try {
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      await c.query(`CREATE DATABASE "${name}"`);
    } catch {
      reachable = false;
      log('  postgres: not reachable, skipped');
    }
    if (reachable && !process.env.DATCHUAN_BENCH_SKIP_PG) {
      const u = new URL(admin);
      u.pathname = `/${name}`;
      try {
        await run('postgres', u.toString(), 3912);
      } finally {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    }
    await c.end().catch(() => {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const auditOverhead: WritesBenchResult['auditOverhead'] = {};
  const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.001)) * 100) / 100;
  for (const d of new Set(results.map((r) => r.dialect))) {
    for (const [label, baseCase, auditedCase] of [
      ['insert', 'insert (baseline, no audit)', 'insert + audit'],
      ['use case', 'comment use case without audit', 'comment use case (addComment)'],
    ] as const) {
      const b = results.find((r) => r.dialect === d && r.case.endsWith(baseCase))!;
      const a = results.find((r) => r.dialect === d && r.case.endsWith(auditedCase))!;
      const o = { baselinePerSecond: b.writesPerSecond, auditedPerSecond: a.writesPerSecond, slowdown: ratio(b.writesPerSecond, a.writesPerSecond), p99Ratio: ratio(a.p99, b.p99) };
      auditOverhead[`${d} ${label}`] = o;
      log(`  ${d.padEnd(8)} audit overhead (${label}): ${o.slowdown}× fewer writes/s, p99 ${o.p99Ratio}× the baseline (target ≤ 2×)`);
    }
  }
  return { writers: WRITERS, results, auditOverhead };
}
