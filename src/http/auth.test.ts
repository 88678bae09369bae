/**
 * Sign-in and sessions over HTTP: session fixation, CSRF, per-IP throttling (delays per account
 * and address, administrator unlock: sign-in-throttle.test.ts), MFA (TOTP with a computed code, recovery codes used once), idle and absolute
 * timeouts on a moved clock, forced password change, password history for administrators, API
 * tokens (shown once, hashed, scoped, revoked, last use), security headers, secrets kept out of
 * logs and responses. Messages are checked in Vietnamese and English.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import type { SecurityConfig } from '../config.ts';
import { sha256 } from '../platform/password-hash.ts';
import { totpCode } from '../platform/totp.ts';
import { openSecret } from '../platform/secret-box.ts';
import { buildApp, type App } from './app.ts';
import { cookieHeader, createTestUser, login, TEST_PASSWORD, testSecurity, type SignedIn } from '../test-support/http.ts';

const T0 = Date.parse('2026-11-27T02:00:00Z');

interface Envelope {
  error: { code: string; message: string; message_vi: string; details?: Record<string, unknown> };
}

function envelopeOf(res: { json(): unknown }): Envelope['error'] {
  const b = res.json() as Envelope;
  expect(b.error.message.length).toBeGreaterThan(5);
  expect(b.error.message_vi.length).toBeGreaterThan(5);
  return b.error;
}

describeEachDialect('sign-in and sessions', (ctx) => {
  let now = T0;
  const clock = () => new Date(now);
  const apps: App[] = [];
  let app: App;
  const logLines: string[] = [];

  async function makeApp(overrides: Partial<SecurityConfig> = {}, logger = false): Promise<App> {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const a = await buildApp({
      db: ctx.db,
      strictResponses: true,
      webDist: '/nonexistent',
      security: testSecurity(overrides),
      clock,
      ...(logger ? { logger: { level: 'info', stream: sink } as unknown as { level: string } } : {}),
    });
    apps.push(a);
    return a;
  }

  beforeAll(async () => {
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    app = await makeApp({}, true);
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  it('tells the session what its user may do on some unit, and where it starts (screens offer only that)', async () => {
    const officer = await createTestUser(app, { role: 'commune_officer', unitId: '13510@2025-03' });
    const s = await login(app, officer.username, officer.password);
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).json() as { may: string[]; user: { landing: unknown } };
    expect(me.may).toEqual(expect.arrayContaining(['review.write', 'data.import', 'task.write']));
    expect(me.may).not.toContain('user.manage');
    expect(me.may).not.toContain('committee.write');
    expect(me.user.landing).toEqual({ kind: 'unit', unitId: '13510@2025-03', role: 'commune_officer' });
    const anonymous = (await app.inject({ method: 'GET', url: '/api/v1/auth/me' })).json() as { may: string[] };
    expect(anonymous.may.every((a) => !a.endsWith('.write'))).toBe(true);
  });

  it('issues a new session id at sign-in and ends the one the browser had (no fixation)', async () => {
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const first = await login(app, u.username, u.password);
    const again = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: first.cookie }, payload: { username: u.username, password: u.password } });
    expect(again.statusCode).toBe(200);
    const second = cookieHeader(again);
    expect(second).not.toBe(first.cookie);
    const c = again.cookies.find((x) => x.name === 'datchuan_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.path).toBe('/');
    // The old id no longer works; the new one does.
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: second } })).statusCode).toBe(200);
    // The database holds only a hash of the cookie value.
    const value = c.value;
    const rows = await ctx.db.kysely.selectFrom('user_session').select('id').execute();
    expect(rows.some((r) => r.id === sha256(value))).toBe(true);
    expect(rows.some((r) => r.id === value)).toBe(false);
  });

  it('re-hashes a password made with older scrypt parameters at the next sign-in, and keeps it valid', async () => {
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const stored = async () => (await ctx.db.kysely.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash;
    expect(await stored()).toMatch(/^scrypt\$1024\$8\$1\$/);
    const raised = await makeApp({ scrypt: { N: 1 << 11, r: 8, p: 2 } });
    await login(raised, u.username, u.password);
    expect(await stored()).toMatch(/^scrypt\$2048\$8\$2\$/);
    // The new hash still signs in, and a wrong password still fails.
    await login(raised, u.username, u.password);
    expect((await raised.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: 'sai-mat-khau-hoan-toan' } })).statusCode).toBe(401);
  });

  it('sets Secure on the cookies behind HTTPS (trusted proxy)', async () => {
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const proxied = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), clock, trustedProxies: ['127.0.0.1'] });
    apps.push(proxied);
    const res = await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: u.username, password: u.password } });
    expect(res.cookies.find((x) => x.name === 'datchuan_session')!.secure).toBe(true);
    const plain = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: u.password } });
    expect(plain.cookies.find((x) => x.name === 'datchuan_session')!.secure).toBeFalsy();
  });

  it('refuses a cookie-authenticated write without the CSRF header (403), accepts it with', async () => {
    const h = await login(app, (await createTestUser(app, { role: 'commune_officer', unitId: '13510@2025-03' })).username, TEST_PASSWORD);
    const body = { unitId: '13510@2025-03', setId: 'ha-nam-nang-cao-2021-2025-minh-hoa', reviewedOn: '2023-05-01' };
    const without = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: { cookie: h.cookie }, payload: body });
    expect(without.statusCode).toBe(403);
    const e = envelopeOf(without);
    expect(e.details).toMatchObject({ reason: 'csrf' });
    expect(e.message_vi).toContain('CSRF');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: { cookie: h.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: body });
    expect(wrong.statusCode).toBe(403);
    expect(await ctx.db.kysely.selectFrom('review').select('id').execute()).toHaveLength(0);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: h, payload: body });
    expect(ok.statusCode).toBe(201);
    // Reads need no CSRF header.
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: h.cookie } })).statusCode).toBe(200);
  });

  it('throttles one IP address after too many failures, whatever the usernames', async () => {
    const throttled = await makeApp({ ipFailureLimit: 5, ipWindowMinutes: 15 });
    for (let i = 0; i < 5; i++) {
      const r = await throttled.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.7', payload: { username: `khong-co-${i}`, password: 'abcdefghijkl' } });
      expect(r.statusCode).toBe(401);
    }
    const r = await throttled.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.7', payload: { username: 'ai-do', password: 'abcdefghijkl' } });
    expect(r.statusCode).toBe(429);
    const e = envelopeOf(r);
    expect(e.code).toBe('rate_limited');
    expect(e.message_vi).toContain('quá nhiều lần đăng nhập sai từ địa chỉ mạng này');
    expect(e.message).toContain('Too many failed sign-ins');
    // Another address is not affected.
    expect((await throttled.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.8', payload: { username: 'ai-do', password: 'abcdefghijkl' } })).statusCode).toBe(401);
    now += 16 * 60_000;
    expect((await throttled.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.7', payload: { username: 'ai-do', password: 'abcdefghijkl' } })).statusCode).toBe(401);
  });

  it('ends a session idle longer than its timeout (5 minutes for administrators, 15 for others) and deletes it', async () => {
    const viewer = await login(app, (await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' })).username, TEST_PASSWORD);
    const admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, TEST_PASSWORD);
    now += 4 * 60_000;
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: admin })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: viewer })).statusCode).toBe(200);
    now += 6 * 60_000;
    const idleAdmin = await app.inject({ method: 'GET', url: '/api/v1/users', headers: admin });
    expect(idleAdmin.statusCode).toBe(401);
    const e = envelopeOf(idleAdmin);
    expect(e.details).toMatchObject({ reason: 'idle_timeout' });
    expect(e.message_vi).toContain('hết hạn do không hoạt động');
    // The viewer was active 6 minutes ago: still signed in; then 16 idle minutes end it.
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: viewer })).statusCode).toBe(200);
    now += 16 * 60_000;
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: viewer })).statusCode).toBe(401);
    const id = sha256(/datchuan_session=([^;]+)/.exec(viewer.cookie)![1]!);
    expect(await ctx.db.kysely.selectFrom('user_session').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    const short = await makeApp({ sessionAbsoluteHours: 1 });
    const h = await login(short, (await createTestUser(short, { role: 'viewer', unitId: '35@2025-03' })).username, TEST_PASSWORD);
    for (let i = 0; i < 5; i++) {
      now += 10 * 60_000;
      expect((await short.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: h })).statusCode).toBe(200);
    }
    now += 11 * 60_000;
    const r = await short.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: h });
    expect(r.statusCode).toBe(401);
    expect(envelopeOf(r).details).toMatchObject({ reason: 'session_expired' });
  });

  it('forces a password change at first sign-in, with the rules, before anything else', async () => {
    const u = await createTestUser(app, { role: 'commune_officer', unitId: '13510@2025-03', mustChangePassword: true });
    const h = await login(app, u.username, u.password);
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h })).json() as { mustChangePassword: boolean };
    expect(me.mustChangePassword).toBe(true);
    const blocked = await app.inject({ method: 'GET', url: '/api/v1/units/13510@2025-03/reviews', headers: h });
    expect(blocked.statusCode).toBe(403);
    expect(envelopeOf(blocked).details).toMatchObject({ reason: 'password_change_required' });
    const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { currentPassword: u.password, newPassword: 'matkhau123' } });
    expect(weak.statusCode).toBe(400);
    expect(envelopeOf(weak).message_vi).toContain('ít nhất 12 ký tự');
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { currentPassword: u.password, newPassword: 'ruong lua xanh muot 2026' } });
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/api/v1/units/13510@2025-03/reviews', headers: h })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: u.password } })).statusCode).toBe(401);
  });

  it('refuses the last 10 passwords of an administrator, and forces the administrator reset to be changed', async () => {
    const admin = await createTestUser(app, { role: 'admin', unitId: null, password: 'mat-khau-so-0-cua-quan-tri' });
    let h = await login(app, admin.username, admin.password);
    let current = admin.password;
    for (let i = 1; i <= 3; i++) {
      const next = `mat-khau-so-${i}-cua-quan-tri`;
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { currentPassword: current, newPassword: next } });
      expect(r.statusCode, r.body).toBe(200);
      current = next;
    }
    const reuse = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { currentPassword: current, newPassword: 'mat-khau-so-0-cua-quan-tri' } });
    expect(reuse.statusCode).toBe(400);
    const e = envelopeOf(reuse);
    expect(e.message_vi).toContain('Không được dùng lại một trong 10 mật khẩu gần nhất');
    expect(e.message).toContain('may not reuse any of their last 10 passwords');
    // A non-administrator may go back to an old password.
    const officer = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03', password: 'cau-chuyen-cu-ve-dong-lua' });
    const oh = await login(app, officer.username, officer.password);
    await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: oh, payload: { currentPassword: officer.password, newPassword: 'cau-chuyen-moi-ve-dong-lua' } });
    const back = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: oh, payload: { currentPassword: 'cau-chuyen-moi-ve-dong-lua', newPassword: officer.password } });
    expect(back.statusCode).toBe(200);
    // Reset by an administrator: a one-time password, changed at the next sign-in.
    h = await login(app, admin.username, current);
    const reset = await app.inject({ method: 'POST', url: `/api/v1/users/${officer.id}/reset-password`, headers: h });
    expect(reset.statusCode).toBe(200);
    const temp = (reset.json() as { temporaryPassword: string }).temporaryPassword;
    expect(temp).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const th = await login(app, officer.username, temp);
    expect(((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: th })).json() as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    // Neither the temporary password nor any hash reaches the audit trail.
    const audit = await ctx.db.kysely.selectFrom('audit_event').select(['before_json', 'after_json']).execute();
    const text = JSON.stringify(audit);
    expect(text).not.toContain(temp);
    expect(text).not.toContain('scrypt$');
  });

  it('requires an administrator to change a password older than the maximum age', async () => {
    const aged = await makeApp({ adminPasswordMaxAgeDays: 60 });
    const admin = await createTestUser(aged, { role: 'admin', unitId: null });
    now += 61 * 86400_000;
    const h = await login(aged, admin.username, admin.password);
    const me = (await aged.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h })).json() as { mustChangePassword: boolean };
    expect(me.mustChangePassword).toBe(true);
  });

  it('enrols TOTP with a QR code, then signs in with a computed code; a recovery code works once', async () => {
    const mfa = await makeApp({ mfaRoles: ['admin', 'province_office'] });
    const u = await createTestUser(mfa, { role: 'province_office', unitId: '35@2025-03' });
    let h: SignedIn = await login(mfa, u.username, u.password);
    // Required for this role: nothing but enrolment until it is done.
    const me = (await mfa.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h })).json() as { mfaSetupRequired: boolean };
    expect(me.mfaSetupRequired).toBe(true);
    const blocked = await mfa.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary', headers: h });
    expect(blocked.statusCode).toBe(403);
    expect(envelopeOf(blocked).details).toMatchObject({ reason: 'mfa_setup_required' });
    const setup = (await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/setup', headers: h })).json() as { secret: string; otpauthUri: string; qrDataUrl: string };
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const bad = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/enable', headers: h, payload: { code: '000000' } });
    expect(bad.statusCode).toBe(400);
    const enable = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/enable', headers: h, payload: { code: totpCode(setup.secret, clock()) } });
    expect(enable.statusCode, enable.body).toBe(200);
    const codes = (enable.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    // Secrets at rest: recovery codes only as hashes.
    const stored = await ctx.db.kysely.selectFrom('recovery_code').select('code_hash').where('user_id', '=', u.id).execute();
    expect(stored.map((s) => s.code_hash)).not.toContain(codes[0]);
    const row = await ctx.db.kysely.selectFrom('app_user').select('mfa_secret').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(openSecret(row.mfa_secret!, null)).toBe(setup.secret);

    // Sign in again: password, then the second step.
    now += 60_000;
    h = await login(mfa, u.username, u.password);
    const pending = await mfa.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary', headers: h });
    expect(pending.statusCode).toBe(401);
    expect(envelopeOf(pending).details).toMatchObject({ reason: 'mfa_required' });
    const wrong = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: h, payload: { code: '123456' } });
    expect(wrong.statusCode).toBe(401);
    expect(envelopeOf(wrong).message_vi).toContain('Mã xác thực không đúng');
    const code = totpCode(setup.secret, clock());
    const verified = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: h, payload: { code } });
    expect(verified.statusCode).toBe(200);
    // A new session id after the second factor; the pending one is gone.
    const active = { cookie: cookieHeader(verified), 'x-csrf-token': (verified.json() as { csrfToken: string }).csrfToken };
    expect(active.cookie).not.toBe(h.cookie);
    expect((await mfa.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary', headers: h })).statusCode).toBe(401);
    expect((await mfa.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary?date=2024-01-01', headers: active })).statusCode).toBe(200);
    // The same code is not accepted twice.
    const again = await login(mfa, u.username, u.password);
    expect((await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: again, payload: { code } })).statusCode).toBe(401);
    // A recovery code works, once.
    const rec = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: again, payload: { recoveryCode: codes[0]!.toUpperCase() } });
    expect(rec.statusCode).toBe(200);
    const third = await login(mfa, u.username, u.password);
    const reused = await mfa.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: third, payload: { recoveryCode: codes[0]! } });
    expect(reused.statusCode).toBe(401);
    expect(envelopeOf(reused).message_vi).toContain('Mã khôi phục không đúng hoặc đã được dùng');
  });

  it('creates an API token shown once and stored hashed, scopes it, records its last use, and revokes it', async () => {
    const admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, TEST_PASSWORD);
    const created = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'csdl-quoc-gia', actions: ['summary.read', 'feed.read'], unitIds: ['35@2025-03'] } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: number };
    expect(token).toMatch(/^dct_/);
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: admin })).body;
    expect(listed).not.toContain(token);
    const row = await ctx.db.kysely.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.last_used_at).toBeNull();
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/units/13510@2025-03/commune-page?date=2024-01-01', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/units/01@2025-03/summary', headers: auth })).statusCode).toBe(403);
    const used = await ctx.db.kysely.selectFrom('api_token').select(['last_used_at', 'last_used_ip']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(used.last_used_at).toBe(new Date(now).toISOString());
    const revoke = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
    expect(revoke.statusCode).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/api/v1/units/13510@2025-03/commune-page', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(envelopeOf(after).message_vi).toContain('Khóa API không hợp lệ');
  });

  it('gives administration only to the allowed networks when an allowlist is set', async () => {
    const guarded = await makeApp({ adminIpAllowlist: ['10.0.0.0/8'] });
    const a = await createTestUser(guarded, { role: 'admin', unitId: null });
    const h = await login(guarded, a.username, a.password);
    const outside = await guarded.inject({ method: 'GET', url: '/api/v1/users', headers: h, remoteAddress: '198.51.100.4' });
    expect(outside.statusCode).toBe(403);
    expect(envelopeOf(outside).details).toMatchObject({ reason: 'ip_not_allowed' });
    expect((await guarded.inject({ method: 'GET', url: '/api/v1/users', headers: h, remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
  });

  it('disables accounts at once: their sessions end and they cannot sign in', async () => {
    const admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, TEST_PASSWORD);
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const h = await login(app, u.username, u.password);
    expect((await app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/disable`, headers: admin, payload: { reason: 'chuyển công tác' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: h })).statusCode).toBe(401);
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: u.password } });
    expect(r.statusCode).toBe(403);
    expect(envelopeOf(r).message_vi).toContain('vô hiệu hóa');
  });

  it('sends security headers and a strict CSP, serves security.txt, and keeps secrets out of logs', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toContain('max-age=');
    const txt = await app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(txt.statusCode).toBe(200);
    expect(txt.body).toMatch(/^Contact: /m);
    expect(txt.body).toMatch(/^Expires: \d{4}-/m);
    // Sign in, use a token, fail a sign-in: neither the password nor the token nor the cookie is logged.
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03', password: 'bi-mat-khong-duoc-ghi-log' });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: 'bi-mat-khong-duoc-ghi-log' } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: 'sai-bi-mat-cung-khong-ghi' } });
    await app.inject({ method: 'GET', url: '/api/v1/units/search?q=trang', headers: { authorization: 'Bearer dct_khong-duoc-ghi-log-token' } });
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(100);
    expect(logs).not.toContain('bi-mat-khong-duoc-ghi-log');
    expect(logs).not.toContain('sai-bi-mat-cung-khong-ghi');
    expect(logs).not.toContain('khong-duoc-ghi-log-token');
  });

  it('answers an unexpected failure with the envelope and a request id, never a stack trace or SQL', async () => {
    const broken = await makeApp();
    broken.get('/api/v1/broken', { config: { action: 'public' } }, async () => {
      throw new Error('SELECT * FROM app_user WHERE password_hash = 1 at Object.<anonymous> (/src/x.ts:1:1)');
    });
    const r = await broken.inject({ method: 'GET', url: '/api/v1/broken' });
    expect(r.statusCode).toBe(500);
    expect(envelopeOf(r).code).toBe('internal');
    expect(r.body).not.toContain('SELECT');
    expect(r.body).not.toContain('.ts:');
  });
});

describe('security config', () => {
  it('reads secrets from *_FILE, validates keys, and reports every problem at once', async () => {
    const { loadConfig } = await import('../config.ts');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const d = mkdtempSync(join(tmpdir(), 'dc-cfg-'));
    writeFileSync(join(d, 'key'), `${'ab'.repeat(32)}\n`);
    const c = loadConfig({ DATCHUAN_BACKUP_KEY_FILE: join(d, 'key'), DATCHUAN_SESSION_IDLE_MINUTES: '20', DATCHUAN_MFA_REQUIRED_ROLES: 'all', DATCHUAN_SCRYPT_LOG_N: '15', DATCHUAN_SCRYPT_P: '5' });
    expect(c.backupKey?.length).toBe(32);
    expect(c.security.scrypt).toEqual({ N: 1 << 15, r: 8, p: 5 });
    expect(loadConfig({}).security.scrypt).toEqual({ N: 1 << 14, r: 8, p: 3 });
    expect(c.security.sessionIdleMinutes).toBe(20);
    expect(c.security.mfaRoles).toBe('all');
    let message = '';
    try {
      loadConfig({ DATCHUAN_BACKUP_KEY: 'short', DATCHUAN_LOCKOUT_THRESHOLD: '0', DATCHUAN_ADMIN_IP_ALLOWLIST: '10.0.0.0/99', DATCHUAN_SCRYPT_P: '0' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of ['DATCHUAN_BACKUP_KEY', 'DATCHUAN_LOCKOUT_THRESHOLD', 'DATCHUAN_ADMIN_IP_ALLOWLIST', 'DATCHUAN_SCRYPT_P']) expect(message).toContain(name);
  });
});
