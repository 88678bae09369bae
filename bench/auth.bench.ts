/**
 * Authentication benchmark.
 *  1. Sign-in latency with the production scrypt cost (N=2^14, r=8, p=3 unless
 *     DATCHUAN_SCRYPT_LOG_N / DATCHUAN_SCRYPT_P say otherwise): the service's login, sequentially, p50/p99.
 *  1b. Refused sign-ins: an unknown user, a wrong password and an account waiting out a delay must
 *     cost the same (one scrypt verification each), so time does not tell which usernames exist:
 *     p50 of each, alternated in rounds, and the ratio to the wrong password.
 *  2. The overhead of authentication on a read: the same cached province summary served by
 *     `datchuan serve` to an anonymous caller (demo database, read-only), to a signed-in session
 *     (cookie) and to an API token — requests per second with autocannon over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/database.ts';
import { setMeta } from '../src/db/meta.repository.ts';
import { defaultSecurityConfig } from '../src/config.ts';
import { createAuthContext, login } from '../src/services/auth.service.ts';
import { createUser } from '../src/services/user.service.ts';
import { createToken } from '../src/services/token.service.ts';
import { hashPassword } from '../src/platform/password-hash.ts';
import { SYSTEM_ACTOR } from '../src/services/actor.ts';
import { buildApp } from '../src/http/app.ts';
import { PROVINCE, seedScaledProvince } from './api.bench.ts';

export interface AuthBenchResult {
  scrypt: { N: number; r: number; p: number };
  hash: { p50: number; p99: number };
  login: { runs: number; p50: number; p99: number };
  /** Refused sign-ins, p50 ms, and each as a ratio of the wrong password's (1 = the same time). */
  refusals: { runs: number; p50: { unknownUser: number; wrongPassword: number; delayedAccount: number }; ratioToWrongPassword: { unknownUser: number; delayedAccount: number } };
  reads: Array<{ who: 'anonymous' | 'session' | 'token'; requestsPerSecond: number; p50: number; p99: number; errors: number }>;
  /** Requests/second lost to authentication, % of the anonymous rate (session, token), over loopback. */
  overheadPercent: { session: number; token: number };
  /** The same read in-process (app.inject, no network), alternating batches: µs per request and overhead %. */
  inProcess: { requests: number; microseconds: { anonymous: number; session: number; token: number }; overheadPercent: { session: number; token: number } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/datchuan.mjs', 'serve', '--no-seed'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DATCHUAN_LOG_LEVEL: 'warn', DATCHUAN_JOBS_INTERVAL_MINUTES: '0', DATCHUAN_MFA_REQUIRED_ROLES: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
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

export async function runAuthBench(log: (s: string) => void, progress?: (label: string) => (d: number, t: number) => void): Promise<AuthBenchResult> {
  const security = defaultSecurityConfig({ mfaRoles: [] });
  const params = security.scrypt;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'datchuan-auth-bench-'));
  try {
    const url = `sqlite:${path.join(dir, 'auth.sqlite')}`;
    const db = openDatabase(url);
    await seedScaledProvince(db, progress?.('Dữ liệu / seeding'));
    // Anonymous callers may read only on a demo database: mark this one so the three cases read the same thing.
    await setMeta(db.kysely, 'demo_seeded_at', new Date().toISOString());
    const ctx = createAuthContext(db, security);

    // 1. Hashing and sign-in at the production cost.
    const hashTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await hashPassword('mot-cum-tu-du-dai-de-nho', params);
      hashTimes.push(performance.now() - t);
    }
    hashTimes.sort((a, b) => a - b);
    await createUser(ctx, SYSTEM_ACTOR, { username: 'bench.tinh', displayName: 'Bench', password: 'mot-cum-tu-du-dai-de-nho', mustChangePassword: false, grants: [{ role: 'province_office', unitId: PROVINCE }] });
    const loginTimes: number[] = [];
    let cookieToken = '';
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      const r = await login(ctx, { username: 'bench.tinh', password: 'mot-cum-tu-du-dai-de-nho', ip: `10.9.${i}.1`, userAgent: 'bench' });
      loginTimes.push(performance.now() - t);
      cookieToken = r.token;
    }
    loginTimes.sort((a, b) => a - b);
    const loginRes = { runs: loginTimes.length, p50: round1(percentile(loginTimes, 50)), p99: round1(percentile(loginTimes, 99)) };
    log(`Auth: scrypt N=2^${Math.log2(params.N)} r=${params.r} p=${params.p}: hash p50 ${round1(percentile(hashTimes, 50))} ms p99 ${round1(percentile(hashTimes, 99))} ms; sign-in p50 ${loginRes.p50} ms p99 ${loginRes.p99} ms (${loginRes.runs} runs)`);
    // 1b. Refusals: same cost whatever the reason.
    const refusing = createAuthContext(db, { ...security, lockoutThreshold: 1, ipFailureLimit: 1_000_000 });
    const counting = createAuthContext(db, { ...security, lockoutThreshold: 1_000_000, ipFailureLimit: 1_000_000 });
    const pw = 'mot-cum-tu-du-dai-de-nho';
    for (const name of ['bench.sai', 'bench.cho']) await createUser(ctx, SYSTEM_ACTOR, { username: name, displayName: 'Bench', password: pw, mustChangePassword: false, grants: [] });
    // Six failures: the delay reaches its cap (15 minutes) and outlasts the measurement.
    for (let i = 0; i < 6; i++) await login(refusing, { username: 'bench.cho', password: 'sai-mat-khau-roi', ip: '10.8.0.1', userAgent: 'bench' }).catch(() => undefined);
    const refusalCases = {
      unknownUser: () => login(counting, { username: 'khong-co-ai', password: pw, ip: '10.7.0.1', userAgent: 'bench' }),
      wrongPassword: () => login(counting, { username: 'bench.sai', password: 'sai-mat-khau-roi', ip: '10.7.0.2', userAgent: 'bench' }),
      // Its right password, refused: the account waits (threshold 1, delays up to 15 minutes).
      delayedAccount: () => login(refusing, { username: 'bench.cho', password: pw, ip: '10.7.0.3', userAgent: 'bench' }),
    };
    const refusalTimes = { unknownUser: [] as number[], wrongPassword: [] as number[], delayedAccount: [] as number[] };
    for (let round = 0; round < 30; round++) {
      for (const k of Object.keys(refusalCases) as Array<keyof typeof refusalCases>) {
        const t = performance.now();
        const refused = await refusalCases[k]().then(
          () => false,
          () => true,
        );
        refusalTimes[k].push(performance.now() - t);
        if (!refused) throw new Error(`${k}: the sign-in was not refused`);
      }
    }
    for (const list of Object.values(refusalTimes)) list.sort((a, b) => a - b);
    const p50 = { unknownUser: round1(percentile(refusalTimes.unknownUser, 50)), wrongPassword: round1(percentile(refusalTimes.wrongPassword, 50)), delayedAccount: round1(percentile(refusalTimes.delayedAccount, 50)) };
    const ratio = (x: number) => Math.round((x / p50.wrongPassword) * 100) / 100;
    const refusals = { runs: 30, p50, ratioToWrongPassword: { unknownUser: ratio(p50.unknownUser), delayedAccount: ratio(p50.delayedAccount) } };
    log(
      `Auth: refused sign-ins p50 — unknown user ${p50.unknownUser} ms, wrong password ${p50.wrongPassword} ms, delayed account ${p50.delayedAccount} ms ` +
        `(×${refusals.ratioToWrongPassword.unknownUser} and ×${refusals.ratioToWrongPassword.delayedAccount} of the wrong password)`,
    );

    const token = (await createToken(ctx, SYSTEM_ACTOR, { name: 'bench-reader', actions: ['summary.read'], unitIds: [PROVINCE] })).token;
    let inProcessResult: AuthBenchResult['inProcess'] | null = null;

    // 2a. In-process: the cost of authentication without the network, robust to a busy machine
    // (the three ways alternate in small batches, so any slowdown hits them alike).
    const app = await buildApp({ db, webDist: '/nonexistent', security });
    const inject = { anonymous: {}, session: { cookie: `datchuan_session=${cookieToken}` }, token: { authorization: `Bearer ${token}` } } as const;
    const path1 = `/api/v1/units/${PROVINCE}/summary?date=2025-12-31`;
    const spent = { anonymous: 0, session: 0, token: 0 };
    const BATCH = 250;
    const ROUNDS = 16;
    for (const [, headers] of Object.entries(inject)) for (let i = 0; i < 200; i++) await app.inject({ method: 'GET', url: path1, headers });
    for (let round = 0; round < ROUNDS; round++) {
      for (const who of ['anonymous', 'session', 'token'] as const) {
        const t = performance.now();
        for (let i = 0; i < BATCH; i++) {
          const r = await app.inject({ method: 'GET', url: path1, headers: inject[who] });
          if (r.statusCode !== 200) throw new Error(`${who}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        }
        spent[who] += performance.now() - t;
      }
    }
    await app.close();
    const us = (who: keyof typeof spent) => round1((spent[who] * 1000) / (BATCH * ROUNDS));
    const inProcess = {
      requests: BATCH * ROUNDS * 3,
      microseconds: { anonymous: us('anonymous'), session: us('session'), token: us('token') },
      overheadPercent: { session: round1(((spent.session - spent.anonymous) / spent.anonymous) * 100), token: round1(((spent.token - spent.anonymous) / spent.anonymous) * 100) },
    };
    inProcessResult = inProcess;
    log(
      `  in-process (app.inject, ${inProcess.requests} requests): anonymous ${inProcess.microseconds.anonymous} µs, session ${inProcess.microseconds.session} µs, token ${inProcess.microseconds.token} µs per request → overhead session ${inProcess.overheadPercent.session}%, token ${inProcess.overheadPercent.token}%`,
    );
    await db.close();

    // 2. The same read, three ways.
    const server = await startServer(url, 3911);
    const reads: AuthBenchResult['reads'] = [];
    try {
      const target = `http://127.0.0.1:3911/api/v1/units/${PROVINCE}/summary?date=2025-12-31`;
      const cases: Array<[AuthBenchResult['reads'][number]['who'], Record<string, string>]> = [
        ['anonymous', {}],
        ['session', { cookie: `datchuan_session=${cookieToken}` }],
        ['token', { authorization: `Bearer ${token}` }],
      ];
      // Warm every path once, then measure in three alternating rounds to even out machine noise.
      for (const [, headers] of cases) await autocannon({ url: target, connections: 4, duration: 2, headers });
      const acc = new Map<string, { rps: number[]; p50: number[]; p99: number[]; errors: number }>();
      for (let round = 0; round < 3; round++) {
        for (const [who, headers] of cases) {
          const r = await autocannon({ url: target, connections: 10, duration: 5, headers });
          const a = acc.get(who) ?? { rps: [], p50: [], p99: [], errors: 0 };
          a.rps.push(r.requests.average);
          a.p50.push(r.latency.p50);
          a.p99.push(r.latency.p99);
          a.errors += r.errors + r.non2xx;
          acc.set(who, a);
        }
      }
      for (const [who] of cases) {
        const a = acc.get(who)!;
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        const res = { who, requestsPerSecond: Math.round(mean(a.rps)), p50: round1(mean(a.p50)), p99: round1(mean(a.p99)), errors: a.errors };
        reads.push(res);
        log(`  read as ${who.padEnd(9)} ${String(res.requestsPerSecond).padStart(6)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  errors ${res.errors}`);
      }
    } finally {
      server.kill('SIGTERM');
    }
    const anon = reads.find((r) => r.who === 'anonymous')!.requestsPerSecond;
    const overhead = (who: 'session' | 'token') => round1(((anon - reads.find((r) => r.who === who)!.requestsPerSecond) / anon) * 100);
    const overheadPercent = { session: overhead('session'), token: overhead('token') };
    log(`  authentication overhead: session ${overheadPercent.session}%, token ${overheadPercent.token}% of the anonymous rate (target ≤ 10%)`);
    return { scrypt: params, hash: { p50: round1(percentile(hashTimes, 50)), p99: round1(percentile(hashTimes, 99)) }, login: loginRes, refusals, reads, overheadPercent, inProcess: inProcessResult! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
