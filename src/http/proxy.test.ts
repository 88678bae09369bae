/**
 * Client addresses behind a reverse proxy (issue 18, item 1). Only the proxies named in
 * DATCHUAN_TRUSTED_PROXIES are believed; the client is the right-most X-Forwarded-For hop that is
 * not one of them. A client's own X-Forwarded-For must not pass the administration allowlist, dodge
 * the sign-in throttle or the public-comment limit, or be written to the audit trail as its address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertDossierFixture } from '../test-support/consultation.ts';
import { createTestUser, login, testSecurity } from '../test-support/http.ts';
import { loadConfig } from '../config.ts';
import { buildApp, type App } from './app.ts';

const PROXY = '10.9.9.9';
const ATTACKER = '198.51.100.4';

describeEachDialect('client address behind a reverse proxy', (ctx) => {
  let now = new Date('2026-12-03T03:00:00Z');
  const apps: App[] = [];
  let dossierId = 0;

  async function makeApp(trustedProxies: string[], security = testSecurity({ adminIpAllowlist: ['10.0.0.0/8'] })): Promise<App> {
    const a = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security, clock: () => now, trustedProxies });
    apps.push(a);
    return a;
  }

  beforeAll(async () => {
    dossierId = (await insertDossierFixture(ctx.db, { commune: { code: '13510', name: 'Tràng An' }, review: { unmetCriteria: ['5'] } })).dossier.id;
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy (allowlist, audit trail)', async () => {
    const app = await makeApp([PROXY]);
    const admin = await createTestUser(app, { role: 'admin', unitId: null });
    const h = await login(app, admin.username, admin.password);
    const forged = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { ...h, 'x-forwarded-for': '10.1.2.3' }, remoteAddress: ATTACKER });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: { details: { reason: 'ip_not_allowed' } } });
    // With no proxy configured at all, the header is ignored too.
    const direct = await makeApp([]);
    const d = await direct.inject({ method: 'GET', url: '/api/v1/users', headers: { ...h, 'x-forwarded-for': '10.1.2.3' }, remoteAddress: ATTACKER });
    expect(d.statusCode).toBe(403);
  });

  it('takes the right-most untrusted hop: a forged first hop passed through the proxy is not the client', async () => {
    const app = await makeApp([PROXY, '10.9.8.0/24']);
    const admin = await createTestUser(app, { role: 'admin', unitId: null });
    const h = await login(app, admin.username, admin.password, { 'x-forwarded-for': '10.1.2.3' });
    // The attacker sent "X-Forwarded-For: 10.1.2.3"; the proxy appended the address it saw.
    const viaProxy = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { ...h, 'x-forwarded-for': `10.1.2.3, ${ATTACKER}` }, remoteAddress: PROXY });
    expect(viaProxy.statusCode).toBe(403);
    expect(viaProxy.json()).toMatchObject({ error: { message: `Administration is not allowed from ${ATTACKER}.` } });
    // Through two trusted proxies, an office address is the client and administration works.
    const office = await app.inject({ method: 'GET', url: '/api/v1/users', headers: { ...h, 'x-forwarded-for': '10.1.2.3, 10.9.8.7' }, remoteAddress: PROXY });
    expect(office.statusCode).toBe(200);
  });

  it('writes the real address to the audit trail and throttles it whatever X-Forwarded-For it sends', async () => {
    const app = await makeApp([PROXY], testSecurity({ ipFailureLimit: 3 }));
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-for': `192.0.2.${i + 1}, ${ATTACKER}` },
        remoteAddress: PROXY,
        payload: { username: `khong-co-ai-${i}`, password: 'sai-mat-khau-hoan-toan' },
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    const ips = await ctx.db.kysely.selectFrom('audit_event').select('ip').where('action', '=', 'login.failure').where('entity_id', 'like', 'khong-co-ai-%').execute();
    expect(ips.length).toBeGreaterThan(0);
    expect(new Set(ips.map((r) => r.ip))).toEqual(new Set([ATTACKER]));
    // Another client behind the same proxy is not affected.
    const other = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '203.0.113.50' }, remoteAddress: PROXY, payload: { username: u.username, password: u.password } });
    expect(other.statusCode).toBe(200);
  });

  it('limits public comments by the real address, not by a rotating X-Forwarded-For', async () => {
    const app = await makeApp([PROXY]);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await app.inject({ method: 'GET', url: `/api/v1/public/dossiers/${dossierId}` });
      const token = (page.json() as { form: { token: string } }).form.token;
      now = new Date(now.getTime() + 5000);
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/public/dossiers/${dossierId}/comments`,
        headers: { 'x-forwarded-for': `192.0.2.${i + 10}, ${ATTACKER}` },
        remoteAddress: PROXY,
        payload: { body: 'Đề nghị công khai thêm số liệu thu nhập bình quân.', consents: { publish_name: false, contact_reply: false }, token, website: '' },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 429]);
  });

  it('believes X-Forwarded-Proto only from a trusted proxy (Secure cookies)', async () => {
    const app = await makeApp([PROXY]);
    const u = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    const signIn = (remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, remoteAddress, payload: { username: u.username, password: u.password } });
    expect((await signIn(PROXY)).cookies.find((c) => c.name === 'datchuan_session')!.secure).toBe(true);
    expect((await signIn(ATTACKER)).cookies.find((c) => c.name === 'datchuan_session')!.secure).toBeFalsy();
  });
});

describe('DATCHUAN_TRUSTED_PROXIES', () => {
  function problem(env: Record<string, string>): string {
    try {
      loadConfig(env);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  }

  it('reads addresses and CIDR ranges, and reports bad ones', () => {
    expect(loadConfig({ DATCHUAN_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(problem({ DATCHUAN_TRUSTED_PROXIES: '10.0.0.0/33,proxy.local' })).toContain('DATCHUAN_TRUSTED_PROXIES');
  });

  it('refuses the former DATCHUAN_TRUST_PROXY=true at start, saying what to set instead', () => {
    const m = problem({ DATCHUAN_TRUST_PROXY: 'true' });
    expect(m).toContain('DATCHUAN_TRUST_PROXY');
    expect(m).toContain('list the addresses of your reverse proxies in DATCHUAN_TRUSTED_PROXIES');
    expect(m).toContain('hãy liệt kê địa chỉ các máy proxy');
    expect(problem({ DATCHUAN_TRUST_PROXY: 'false' })).toBe('');
  });
});
