/**
 * Re-authentication before sensitive changes (issue 18, item 2). A session that proved nothing for
 * DATCHUAN_REAUTH_MINUTES — a stolen cookie — may not enrol a new second factor, make new recovery
 * codes, change the password or sign out the other sessions; `POST /auth/reauth` with the password
 * and a current code (or a recovery code) allows them again for a few minutes. A sign-in counts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { sha256 } from '../platform/password-hash.ts';
import { totpCode } from '../platform/totp.ts';
import { cookieHeader, createTestUser, enrolTotp, login, testSecurity, type SignedIn } from '../test-support/http.ts';
import { buildApp, type App } from './app.ts';

type ErrorBody = { error: { code: string; message: string; message_vi: string; details: Record<string, unknown> } };

describeEachDialect('re-authentication before sensitive changes', (ctx) => {
  let now = Date.parse('2026-12-03T03:00:00Z');
  const clock = () => new Date(now);
  let app: App;

  beforeAll(async () => {
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity({ mfaRoles: ['province_office'] }), clock });
  });
  afterAll(async () => app.close());

  const sessionExists = async (h: SignedIn) =>
    (await ctx.db.kysely.selectFrom('user_session').select('id').where('id', '=', sha256(/datchuan_session=([^;]+)/.exec(h.cookie)![1]!)).executeTakeFirst()) !== undefined;
  const post = (url: string, h: SignedIn, payload?: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: h, ...(payload ? { payload } : {}) });

  /** A province office with TOTP, signed in with password and code. */
  async function officeWithTotp(): Promise<{ id: number; username: string; password: string; secret: string; h: SignedIn }> {
    const u = await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' });
    const { secret } = await enrolTotp(app, await login(app, u.username, u.password), clock());
    now += 30_000;
    const first = await login(app, u.username, u.password);
    const r = await post('/auth/mfa/verify', first, { code: totpCode(secret, clock()) });
    expect(r.statusCode, r.body).toBe(200);
    return { ...u, secret, h: { cookie: cookieHeader(r), 'x-csrf-token': (r.json() as { csrfToken: string }).csrfToken } };
  }

  it('refuses the four changes from a session that has not proved the password lately, and changes nothing', async () => {
    const u = await officeWithTotp();
    const elsewhere = await login(app, u.username, u.password);
    const before = await ctx.db.kysely.selectFrom('app_user').select(['password_hash', 'mfa_secret', 'mfa_pending_secret']).where('id', '=', u.id).executeTakeFirstOrThrow();
    const codesBefore = (await ctx.db.kysely.selectFrom('recovery_code').select('code_hash').where('user_id', '=', u.id).execute()).map((r) => r.code_hash).sort();
    // The thief keeps the session alive, six minutes after the sign-in.
    now += 3 * 60_000;
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: u.h })).statusCode).toBe(200);
    now += 3 * 60_000;
    const attempts = [
      await post('/auth/mfa/setup', u.h),
      await post('/auth/mfa/enable', u.h, { code: '123456' }),
      await post('/auth/mfa/recovery-codes', u.h, { code: totpCode(u.secret, clock()) }),
      await post('/auth/password', u.h, { currentPassword: u.password, newPassword: 'ke trom doi mat khau 2026' }),
      await post('/auth/sessions/revoke-others', u.h),
    ];
    for (const r of attempts) {
      expect(r.statusCode, r.body).toBe(403);
      const e = (r.json() as ErrorBody).error;
      expect(e.code).toBe('reauthentication_required');
      expect(e.details).toMatchObject({ reason: 'reauthentication_expired', validMinutes: 5 });
      expect(e.message_vi).toContain('nhập lại mật khẩu (và mã xác thực hai lớp)');
      expect(e.message).toContain('enter your password (and two-factor code) again');
    }
    expect(await ctx.db.kysely.selectFrom('app_user').select(['password_hash', 'mfa_secret', 'mfa_pending_secret']).where('id', '=', u.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await ctx.db.kysely.selectFrom('recovery_code').select('code_hash').where('user_id', '=', u.id).execute()).map((r) => r.code_hash).sort()).toEqual(codesBefore);
    expect(await sessionExists(elsewhere)).toBe(true);
  });

  it('asks for the password and a current code, then allows the changes for five minutes', async () => {
    const u = await officeWithTotp();
    const elsewhere = await login(app, u.username, u.password);
    now += 6 * 60_000;
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: u.h })).statusCode).toBe(200);
    // A wrong password or a missing code: 400 naming the field (never 401, which would sign out).
    const wrong = await post('/auth/reauth', u.h, { password: 'khong-phai-mat-khau' });
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as ErrorBody).error.details).toMatchObject({ fields: [{ field: 'password' }] });
    const noCode = await post('/auth/reauth', u.h, { password: u.password });
    expect(noCode.statusCode).toBe(400);
    expect((noCode.json() as ErrorBody).error.details).toMatchObject({ fields: [{ field: 'code' }] });
    expect((noCode.json() as ErrorBody).error.message_vi).toContain('Cần mã xác thực hai lớp hiện tại');
    expect((await post('/auth/reauth', u.h, { password: u.password, code: '000000' })).statusCode).toBe(400);
    expect((await post('/auth/mfa/setup', u.h)).statusCode).toBe(403);

    const ok = await post('/auth/reauth', u.h, { password: u.password, code: totpCode(u.secret, clock()) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ reauthenticatedUntil: new Date(now + 5 * 60_000).toISOString() });
    // The stamp is on this session only.
    const id = sha256(/datchuan_session=([^;]+)/.exec(u.h.cookie)![1]!);
    expect((await ctx.db.kysely.selectFrom('user_session').select('reauthenticated_at').where('id', '=', id).executeTakeFirstOrThrow()).reauthenticated_at).toBe(clock().toISOString());
    now += 30_000;
    const setup = await post('/auth/mfa/setup', u.h);
    expect(setup.statusCode).toBe(200);
    const enable = await post('/auth/mfa/enable', u.h, { code: totpCode((setup.json() as { secret: string }).secret, clock()) });
    expect(enable.statusCode, enable.body).toBe(200);
    expect(await sessionExists(elsewhere)).toBe(true);
    expect((await post('/auth/sessions/revoke-others', u.h)).statusCode).toBe(200);
    expect(await sessionExists(elsewhere)).toBe(false);
    expect(await sessionExists(u.h)).toBe(true);
    // Five minutes later it is needed again.
    now += 5 * 60_000;
    const late = await post('/auth/password', u.h, { currentPassword: u.password, newPassword: 'mot cau moi that dai 2026' });
    expect(late.statusCode).toBe(403);
    const audit = (await ctx.db.kysely.selectFrom('audit_event').select('action').where('entity_id', '=', String(u.id)).execute()).map((r) => r.action);
    expect(audit).toContain('session.reauth');
    expect(audit.filter((a) => a === 'session.reauth_failure')).toHaveLength(3);
  });

  it('takes a recovery code instead of the code (a lost phone), once', async () => {
    const u = await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' });
    const { recoveryCodes } = await enrolTotp(app, await login(app, u.username, u.password), clock());
    now += 30_000;
    const first = await login(app, u.username, u.password);
    const r = await post('/auth/mfa/verify', first, { recoveryCode: recoveryCodes[0]! });
    const h = { cookie: cookieHeader(r), 'x-csrf-token': (r.json() as { csrfToken: string }).csrfToken };
    now += 6 * 60_000;
    expect((await post('/auth/reauth', h, { password: u.password, recoveryCode: recoveryCodes[0]! })).statusCode).toBe(400);
    expect((await post('/auth/reauth', h, { password: u.password, recoveryCode: recoveryCodes[1]! })).statusCode).toBe(200);
    expect((await post('/auth/mfa/setup', h)).statusCode).toBe(200);
  });

  it('needs only the password for an account without a second factor, and throttles wrong ones', async () => {
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const h = await login(app, u.username, u.password);
    now += 6 * 60_000;
    expect((await post('/auth/password', h, { currentPassword: u.password, newPassword: 'cay lua non xanh muot 2026' })).statusCode).toBe(403);
    for (let i = 0; i < 5; i++) expect((await post('/auth/reauth', h, { password: `doan-sai-${i}-mat-khau` })).statusCode).toBe(400);
    const held = await post('/auth/reauth', h, { password: u.password });
    expect(held.statusCode).toBe(429);
    now += 31_000;
    expect((await post('/auth/reauth', h, { password: u.password })).statusCode).toBe(200);
    expect((await post('/auth/password', h, { currentPassword: u.password, newPassword: 'cay lua non xanh muot 2026' })).statusCode).toBe(200);
  });
});
