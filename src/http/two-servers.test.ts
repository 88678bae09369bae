/**
 * Two application servers on one PostgreSQL database (issue 16): two real `datchuan serve`
 * processes on two ports. A write through one is in the other's (cached) unit summary within the
 * freshness target; a session made on one works on the other and a sign-out or revocation on one
 * ends it on the other; failed sign-ins counted on one delay the account on the other; and a
 * server killed (SIGKILL) in the middle of a stream of writes loses none it acknowledged.
 * SQLite is embedded: one server per database file, so this runs on PostgreSQL only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_AUDIT_KEY, testDialects } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { createTestUser, login, testSecurity, type SignedIn } from '../test-support/http.ts';
import { signInOver, startServerProcess, type ServerProcess } from '../test-support/server-process.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import type { Db } from '../db/database.ts';
import { buildApp, type App } from './app.ts';

/** The freshness target: what one server wrote is what the other shows within this. */
const FRESHNESS_MS = 1000;
const LOCKOUT_THRESHOLD = 3;
const ADDRESS_LIMIT = 5;
const COMMUNE = '13510@2025-03';
const PROVINCE = '35@2025-03';
const postgres = testDialects().includes('postgres');

/** Poll `probe` until it returns true; the milliseconds it took (throws after `limitMs` × 3). */
async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > limitMs * 3) throw new Error(`not seen after ${limitMs * 3} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

describe.skipIf(!postgres)('two application servers on one PostgreSQL database [postgres]', () => {
  let handle: { db: Db; drop(): Promise<void> };
  let setup: App;
  let dir: string;
  let env: Record<string, string>;
  let a: ServerProcess;
  let b: ServerProcess;
  const officer = { username: 'can-bo-xa', password: '' };
  const viewer = { username: 'chuyen-vien-tinh', password: '' };
  const codes = () => getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators.map((i) => i.code);

  beforeAll(async () => {
    handle = await createTestDatabase('postgres');
    setup = await buildApp({ db: handle.db, webDist: '/nonexistent', security: testSecurity() });
    await insertCommune(handle.db.kysely, { code: '13510', name: 'Tràng An' });
    officer.password = (await createTestUser(setup, { username: officer.username, role: 'commune_officer', unitId: COMMUNE })).password;
    viewer.password = (await createTestUser(setup, { username: viewer.username, role: 'viewer', unitId: PROVINCE })).password;
    dir = mkdtempSync(join(tmpdir(), 'datchuan-two-'));
    env = {
      DATABASE_URL: handle.db.url,
      DATCHUAN_AUDIT_KEY: TEST_AUDIT_KEY.toString('hex'),
      DATCHUAN_SCRYPT_LOG_N: '10',
      DATCHUAN_SCRYPT_P: '1',
      DATCHUAN_MFA_REQUIRED_ROLES: '',
      DATCHUAN_LOCKOUT_THRESHOLD: String(LOCKOUT_THRESHOLD),
      DATCHUAN_LOGIN_IP_LIMIT: String(ADDRESS_LIMIT),
      // The test is the proxy: it names the client address in X-Forwarded-For.
      DATCHUAN_TRUSTED_PROXIES: '127.0.0.1',
      DATCHUAN_JOBS_INTERVAL_MINUTES: '0',
      DATCHUAN_AUDIT_ANCHOR_FILE: '',
    };
    [a, b] = await Promise.all([
      startServerProcess({ ...env, DATCHUAN_DATA_DIR: join(dir, 'a') }),
      startServerProcess({ ...env, DATCHUAN_DATA_DIR: join(dir, 'b') }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await setup?.close();
    await handle?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a review saved through A in the unit summary read through B within the freshness target', async () => {
    const hA = await signInOver(a, officer.username, officer.password);
    const hB = await signInOver(b, viewer.username, viewer.password);
    const code = codes()[0]!;
    const summaryPath = `/api/v1/units/${PROVINCE}/summary?date=2023-12-31`;
    type Row = { unitId: string; reviewId: number | null; reviewedOn: string | null; indicatorsMet: number | null };
    const rowOf = (body: unknown) => JSON.stringify((body as { communes: Row[] }).communes.find((c) => c.unitId === COMMUNE));
    const rowOnB = async () => {
      const r = await b.fetch(summaryPath, { headers: hB });
      expect(r.status, r.text).toBe(200);
      return rowOf(r.json());
    };
    // What the database holds now, read past every server's cache.
    const hSetup = await login(setup, viewer.username, viewer.password);
    const truth = async () => rowOf((await setup.inject({ method: 'GET', url: summaryPath, headers: hSetup })).json());

    const samples: number[] = [];
    const seen = new Set<string>();
    for (const [reviewedOn, value] of [['2023-03-20', true], ['2023-06-20', false], ['2023-09-20', true]] as const) {
      // B has the summary cached (the second read is a hit) before A writes.
      const before = await rowOnB();
      expect(await rowOnB()).toBe(before);
      seen.add(before);
      const created = await a.fetch('/api/v1/reviews', { method: 'POST', headers: hA, body: { unitId: COMMUNE, setId: DEMO_SET_ID, reviewedOn, values: { [code]: { value } } } });
      expect(created.status, created.text).toBe(201);
      const id = (created.json() as { id: number }).id;
      // The summary counts submitted reviews: the write that changes it is the submission.
      const submitted = await a.fetch(`/api/v1/reviews/${id}/submit`, { method: 'POST', headers: { ...hA, 'if-match': created.headers.get('etag')! }, body: {} });
      expect(submitted.status, submitted.text).toBe(200);
      const expected = await truth();
      expect(JSON.parse(expected) as Row).toMatchObject({ reviewId: id, reviewedOn });
      seen.add(expected);
      samples.push(await within(FRESHNESS_MS, async () => (await rowOnB()) === expected));
    }
    expect(seen.size).toBe(4);
    console.info(`two servers: a review submitted through A seen in B's cached summary after ${samples.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    for (const ms of samples) expect(ms).toBeLessThanOrEqual(FRESHNESS_MS);
  });

  it('takes a session made on A on B, and ends it on B when it is signed out or revoked on A', async () => {
    /** Whether `h` is signed in on `s` (`/auth/me` answers everyone, with `authenticated`). */
    const me = async (s: ServerProcess, h: SignedIn) => {
      const r = await s.fetch('/api/v1/auth/me', { headers: h });
      expect(r.status, r.text).toBe(200);
      return (r.json() as { authenticated: boolean }).authenticated;
    };
    const first = await signInOver(a, officer.username, officer.password);
    const second = await signInOver(a, officer.username, officer.password);
    for (const h of [first, second]) {
      // Twice each: B's session cache holds both before A ends them.
      expect(await me(b, h)).toBe(true);
      expect(await me(b, h)).toBe(true);
    }
    // The CSRF token of a session made on A is accepted by B too (a write through B).
    const viaB = await b.fetch('/api/v1/auth/sessions', { headers: first });
    expect(viaB.status, viaB.text).toBe(200);

    const out = await a.fetch('/api/v1/auth/logout', { method: 'POST', headers: first });
    expect(out.status, out.text).toBeLessThan(300);
    const signOutMs = await within(FRESHNESS_MS, async () => !(await me(b, first)));

    const third = await signInOver(a, officer.username, officer.password);
    const revoked = await a.fetch('/api/v1/auth/sessions/revoke-others', { method: 'POST', headers: third, body: {} });
    expect(revoked.status, revoked.text).toBe(200);
    const revokeMs = await within(FRESHNESS_MS, async () => !(await me(b, second)));
    expect(await me(b, third)).toBe(true);
    console.info(`two servers: sign-out on A refused on B after ${signOutMs.toFixed(1)} ms, revocation after ${revokeMs.toFixed(1)} ms`);
    expect(signOutMs).toBeLessThanOrEqual(FRESHNESS_MS);
    expect(revokeMs).toBeLessThanOrEqual(FRESHNESS_MS);
  });

  it('delays on B an account whose failed sign-ins were counted on A', async () => {
    const target = await createTestUser(setup, { username: 'nan-nhan', role: 'viewer', unitId: PROVINCE });
    const attempt = (s: ServerProcess, password: string) => s.fetch('/api/v1/auth/login', { method: 'POST', body: { username: target.username, password } });
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) expect((await attempt(a, 'sai-mat-khau-roi')).status).toBe(401);
    // The right password, on the other server: refused with the one answer, the account waits.
    const onB = await attempt(b, target.password);
    expect(onB.status).toBe(401);
    expect((onB.json() as { error: { code: string; details: { reason: string } } }).error.details.reason).toBe('wrong_credentials');
    const row = await handle.db.kysely.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(LOCKOUT_THRESHOLD);
    expect(Date.parse(row.locked_until!)).toBeGreaterThan(Date.now());
  });

  it('makes an address that failed on A wait on B (the per-address throttle is in the database)', async () => {
    const from = { 'x-forwarded-for': '198.51.100.4' };
    const attempt = (s: ServerProcess, i: number) => s.fetch('/api/v1/auth/login', { method: 'POST', headers: from, body: { username: `khong-co-${i}`, password: 'sai-mat-khau-roi' } });
    for (let i = 0; i < ADDRESS_LIMIT; i++) expect((await attempt(a, i)).status).toBe(401);
    const onB = await attempt(b, 99);
    expect(onB.status, onB.text).toBe(429);
    expect((onB.json() as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another address is not affected.
    expect((await b.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.20' }, body: { username: 'khong-co', password: 'sai-mat-khau-roi' } })).status).toBe(401);
  });

  it('loses no acknowledged write when A is killed (SIGKILL) in the middle of a stream of writes', async () => {
    const hA = await signInOver(a, officer.username, officer.password);
    const hB = await signInOver(b, officer.username, officer.password);
    const code = codes()[1]!;
    const created = await a.fetch('/api/v1/reviews', { method: 'POST', headers: hA, body: { unitId: COMMUNE, setId: DEMO_SET_ID, reviewedOn: '2024-03-20', values: { [code]: { value: true, note: 'w0' } } } });
    expect(created.status, created.text).toBe(201);
    const id = (created.json() as { id: number }).id;
    const acknowledged: string[] = ['w0'];
    let version = created.headers.get('etag')!;
    let failures = 0;
    const started = performance.now();
    let killer: NodeJS.Timeout | undefined;
    for (let i = 1; a.exited() === null && failures === 0; i++) {
      const note = `w${i}`;
      try {
        const r = await a.fetch(`/api/v1/reviews/${id}/values`, { method: 'PATCH', headers: { ...hA, 'if-match': version }, body: { values: { [code]: { value: i % 2 === 0, note } } } });
        if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
        acknowledged.push(note);
        version = r.headers.get('etag')!;
        // After a few acknowledged writes, kill A at a random moment: most likely mid-request.
        if (acknowledged.length === 6) killer = setTimeout(() => a.child.kill('SIGKILL'), Math.random() * 150);
        if (performance.now() - started > 30_000) throw new Error('A was not killed');
      } catch {
        // The connection died with the server: this write was never acknowledged.
        failures++;
      }
    }
    clearTimeout(killer);
    await a.stop('SIGKILL');
    console.info(`two servers: A killed after ${(performance.now() - started).toFixed(0)} ms, ${acknowledged.length} write(s) acknowledged`);
    expect(a.exited()!.signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(6);

    const history = await b.fetch(`/api/v1/reviews/${id}/history?code=${code}`, { headers: hB });
    expect(history.status, history.text).toBe(200);
    const stored = new Set((history.json() as { items: Array<{ note: string | null }> }).items.map((v) => v.note));
    expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
    // And B goes on taking writes.
    const current = await b.fetch(`/api/v1/reviews/${id}`, { headers: hB });
    const next = await b.fetch(`/api/v1/reviews/${id}/values`, { method: 'PATCH', headers: { ...hB, 'if-match': current.headers.get('etag')! }, body: { values: { [code]: { value: true, note: 'after' } } } });
    expect(next.status, next.text).toBe(200);
  });
});

describe.runIf(!postgres)('two application servers on one database [sqlite]', () => {
  it.skip('needs PostgreSQL: SQLite is embedded, so a database file has one server (set up PostgreSQL to run this)', () => {});
});
