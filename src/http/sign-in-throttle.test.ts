/**
 * Sign-in throttling without a lock a stranger can set off (issue 18, item 3): one answer for an
 * unknown user, a wrong password and an account waiting out a delay; progressive delays per account
 * and per address; a correct password plus second factor still signs in from an address that is not
 * the attacker's; an office behind one address waits seconds, not a quarter of an hour; the
 * administrator's unlock and the alert (`user.lock` in the audit trail, `locked` in the account list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import type { SecurityConfig } from '../config.ts';
import { loadConfig } from '../config.ts';
import { totpCode } from '../platform/totp.ts';
import { cookieHeader, createTestUser, enrolTotp, login, testSecurity } from '../test-support/http.ts';
import { buildApp, type App } from './app.ts';

const ATTACKER = '198.51.100.4';
const OFFICE = '203.0.113.20';

describeEachDialect('sign-in throttling', (ctx) => {
  let now = Date.parse('2026-12-03T02:00:00Z');
  const clock = () => new Date(now);
  const apps: App[] = [];

  async function makeApp(overrides: Partial<SecurityConfig> = {}): Promise<App> {
    const a = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(overrides), clock });
    apps.push(a);
    return a;
  }
  const signInFrom = (app: App, remoteAddress: string, username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });

  beforeAll(async () => {
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  it('gives one answer for an unknown user, a wrong password and an account in a delay', async () => {
    const app = await makeApp({ lockoutThreshold: 3, lockoutMinutes: 15, ipFailureLimit: 1000 });
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await signInFrom(app, ATTACKER, u.username, 'sai-mat-khau-roi');
      expect(r.statusCode).toBe(401);
      bodies.push(r.body);
    }
    // The account now waits: its right password is refused with the very same answer…
    const right = await signInFrom(app, ATTACKER, u.username, u.password);
    const unknown = await signInFrom(app, ATTACKER, 'khong-ai-co-ten-nay', 'sai-mat-khau-roi');
    for (const r of [right, unknown]) {
      expect(r.statusCode).toBe(401);
      bodies.push(r.body);
    }
    expect(new Set(bodies).size).toBe(1);
    const e = (right.json() as { error: { code: string; message: string; message_vi: string; details: unknown } }).error;
    expect(e.code).toBe('unauthenticated');
    expect(e.message_vi).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(e.message).toContain('Wrong username or password');
    expect(e.details).toEqual({ reason: 'wrong_credentials' });
  });

  it('delays an account progressively (30 s, then doubling) instead of locking it, from any address', async () => {
    const app = await makeApp({ lockoutThreshold: 3, lockoutMinutes: 15, ipFailureLimit: 1000 });
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    for (let i = 0; i < 3; i++) await signInFrom(app, ATTACKER, u.username, 'sai-mat-khau-roi');
    // Without a second factor the account waits everywhere: guesses from a botnet gain nothing.
    expect((await signInFrom(app, OFFICE, u.username, u.password)).statusCode).toBe(401);
    now += 31_000;
    // One more wrong guess after the first delay: the next delay is 60 s.
    expect((await signInFrom(app, '192.0.2.77', u.username, 'sai-lan-nua-roi')).statusCode).toBe(401);
    now += 45_000;
    expect((await signInFrom(app, OFFICE, u.username, u.password)).statusCode).toBe(401);
    now += 16_000;
    expect((await signInFrom(app, OFFICE, u.username, u.password)).statusCode).toBe(200);
    // The longest delay is DATCHUAN_LOCKOUT_MINUTES, never a lock until someone intervenes.
    for (let i = 0; i < 20; i++) await signInFrom(app, ATTACKER, u.username, 'sai-mat-khau-roi');
    now += 15 * 60_000 + 1000;
    expect((await signInFrom(app, OFFICE, u.username, u.password)).statusCode).toBe(200);
  });

  it('lets an administrator with a second factor sign in from another address while a stranger hammers the account', async () => {
    const app = await makeApp({ mfaRoles: ['admin'] });
    const a = await createTestUser(app, { role: 'admin', unitId: null });
    const { secret } = await enrolTotp(app, await login(app, a.username, a.password, {}), clock());
    now += 60_000;
    // Five anonymous failures: formerly a 15-minute lock (423) that told the username exists.
    for (let i = 0; i < 6; i++) expect((await signInFrom(app, ATTACKER, a.username, `doan-mo-${i}-sai-roi`)).statusCode).toBe(401);
    // The attacker's own address still waits, even with the right password.
    expect((await signInFrom(app, ATTACKER, a.username, a.password)).statusCode).toBe(401);
    // The administrator, from the office: password, then the code.
    const first = await signInFrom(app, OFFICE, a.username, a.password);
    expect(first.statusCode).toBe(200);
    expect((first.json() as { stage: string }).stage).toBe('mfa');
    const h = { cookie: cookieHeader(first), 'x-csrf-token': (first.json() as { csrfToken: string }).csrfToken };
    const second = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', remoteAddress: OFFICE, headers: h, payload: { code: totpCode(secret, clock()) } });
    expect(second.statusCode, second.body).toBe(200);
    expect((second.json() as { stage: string }).stage).toBe('active');
    // The administrator's success forgives nothing at the attacker's address.
    expect((await signInFrom(app, ATTACKER, a.username, a.password)).statusCode).toBe(401);
    // The alert: one `user.lock` event when the threshold was crossed.
    const locks = await ctx.db.kysely.selectFrom('audit_event').select('after_json').where('action', '=', 'user.lock').where('entity_id', '=', String(a.id)).execute();
    expect(locks).toHaveLength(1);
    expect(JSON.parse(locks[0]!.after_json!)).toMatchObject({ failures: 5, delayedSeconds: 30 });
  });

  it('keeps the administrator unlock: the account list shows the delay, unlocking lifts it at once', async () => {
    const app = await makeApp({ lockoutThreshold: 3, ipFailureLimit: 1000 });
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, 'mot-cum-tu-du-dai-de-nho');
    for (let i = 0; i < 5; i++) await signInFrom(app, ATTACKER, u.username, 'sai-mat-khau-roi');
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/users', headers: admin })).json() as { items: Array<{ id: number; locked: boolean; failedLogins: number }> };
    expect(listed.items.find((x) => x.id === u.id)).toMatchObject({ locked: true, failedLogins: 5 });
    expect((await app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/unlock`, headers: admin })).statusCode).toBe(200);
    expect((await signInFrom(app, OFFICE, u.username, u.password)).statusCode).toBe(200);
    // The unlock forgets the attacker's address for this account too (this process's counters).
    expect((await signInFrom(app, ATTACKER, u.username, u.password)).statusCode).toBe(200);
  });

  it('makes an office behind one address wait seconds, not a quarter of an hour; a second factor passes at once', async () => {
    const app = await makeApp({ ipFailureLimit: 5, ipWindowMinutes: 15, mfaRoles: ['province_office'] });
    const colleague = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const chief = await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' });
    await enrolTotp(app, await login(app, chief.username, chief.password), clock());
    for (let i = 0; i < 5; i++) expect((await signInFrom(app, OFFICE, `go-nham-${i}`, 'sai-mat-khau-roi')).statusCode).toBe(401);
    const wait = await signInFrom(app, OFFICE, colleague.username, colleague.password);
    expect(wait.statusCode).toBe(429);
    const e = (wait.json() as { error: { message: string; message_vi: string; details: { retryAfterSeconds: number } } }).error;
    expect(e.details.retryAfterSeconds).toBe(30);
    expect(e.message_vi).toContain('30 giây');
    expect(e.message).toContain('30 seconds');
    // A correct password with a second factor goes on to the code even now.
    const chiefFirst = await signInFrom(app, OFFICE, chief.username, chief.password);
    expect(chiefFirst.statusCode).toBe(200);
    expect((chiefFirst.json() as { stage: string }).stage).toBe('mfa');
    now += 31_000;
    expect((await signInFrom(app, OFFICE, colleague.username, colleague.password)).statusCode).toBe(200);
  });

  it('delays further second-factor codes after wrong ones, without ending the sign-in', async () => {
    const app = await makeApp({ lockoutThreshold: 3, mfaRoles: ['admin'] });
    const a = await createTestUser(app, { role: 'admin', unitId: null });
    const { secret } = await enrolTotp(app, await login(app, a.username, a.password), clock());
    now += 60_000;
    const h = await login(app, a.username, a.password);
    const verify = (code: string) => app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: h, payload: { code } });
    for (let i = 0; i < 3; i++) expect((await verify('000000')).statusCode).toBe(401);
    const held = await verify(totpCode(secret, clock()));
    expect(held.statusCode).toBe(429);
    expect((held.json() as { error: { message_vi: string } }).error.message_vi).toContain('Đã nhập sai mã xác thực');
    now += 31_000;
    expect((await verify(totpCode(secret, clock()))).statusCode).toBe(200);
  });
});

describe('DATCHUAN_LOCKOUT_MINUTES', () => {
  it('refuses 0 (a lock until an administrator unlocks, which any stranger could set off)', () => {
    let message = '';
    try {
      loadConfig({ DATCHUAN_LOCKOUT_MINUTES: '0' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('DATCHUAN_LOCKOUT_MINUTES=0');
    expect(message).toContain('any stranger could lock any account');
    expect(loadConfig({ DATCHUAN_LOCKOUT_MINUTES: '30' }).security.lockoutMinutes).toBe(30);
  });
});
