/**
 * Request-wide hardening (issue 18.7) on both databases: a NUL character anywhere in a request is
 * a 400 naming the field (PostgreSQL answered 500), security headers on 401 and 403 answers too
 * (helmet used to run after the auth hook), and `Cache-Control: no-store` on the API's answers to
 * signed-in callers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { bearer, signIn, testSecurity, type SignedIn } from '../test-support/http.ts';
import { buildApp, type App } from './app.ts';

describeEachDialect('request hardening', (ctx) => {
  let app: App;
  let office: SignedIn;
  let unitId = '';

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    unitId = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
    office = await signIn(app, { role: 'province_office', unitId: '35@2025-03' });
  });
  afterAll(async () => app.close());

  it('refuses a NUL character in a body, a query or a path as bad input (400 naming the field), signed in or not', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/v1/auth/login', payload: { username: 'admin\u0000', password: 'x' }, field: 'body.username' },
      { method: 'POST' as const, url: '/api/v1/public/comments/withdraw', payload: { code: 'abc\u0000def' }, field: 'body.code' },
      { method: 'GET' as const, url: '/api/v1/units/search?q=Tr%00ang', headers: office, field: 'query.q' },
      { method: 'GET' as const, url: `/api/v1/units/${encodeURIComponent(`${unitId}\u0000`)}/summary`, headers: office, field: 'params.id' },
      { method: 'POST' as const, url: '/api/v1/reviews', headers: office, payload: { unitId, setId: 'x', reviewedOn: '2023-03-20', title: 'a\u0000b' }, field: 'body.title' },
      { method: 'POST' as const, url: '/api/v1/reviews', headers: office, payload: { unitId, setId: 'x', reviewedOn: '2023-03-20', values: { 'a\u0000': { value: 1 } } }, field: 'body.values' },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: c.method, url: c.url, headers: c.headers ?? {}, ...(c.payload ? { payload: c.payload } : {}) });
      expect([c.url, res.statusCode]).toEqual([c.url, 400]);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.stringContaining('NUL'), message_vi: expect.stringContaining('NUL'), details: { fields: [{ field: c.field }] } } });
    }
  });

  it('refuses numbers a database cannot hold (1e309 is Infinity; 1e12 overflows an integer id) in queries and bodies', async () => {
    const district = await signIn(app, { role: 'district_office', unitId: '352@2025-03' });
    const cases = [
      { method: 'GET' as const, url: '/api/v1/meetings?committeeId=1e309' },
      { method: 'GET' as const, url: '/api/v1/tasks?committeeId=1e400' },
      { method: 'GET' as const, url: '/api/v1/meetings?committeeId=1000000000000' },
      { method: 'POST' as const, url: '/api/v1/meetings', payload: '{"committeeId":1e400,"title":"Họp","heldOn":"2023-03-20"}' },
      { method: 'POST' as const, url: '/api/v1/meetings', payload: '{"committeeId":99999999999999,"title":"Họp","heldOn":"2023-03-20"}' },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: c.method, url: c.url, headers: { ...district, ...(c.payload ? { 'content-type': 'application/json' } : {}) }, ...(c.payload ? { payload: c.payload } : {}) });
      expect([c.url, c.payload, res.statusCode]).toEqual([c.url, c.payload, 400]);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: expect.stringContaining('committeeId') }] } } });
    }
  });

  it('sends the security headers with 401 and 403 answers', async () => {
    const anonymous = await app.inject({ method: 'GET', url: `/api/v1/units/${unitId}/summary` });
    const viewer = await signIn(app, { role: 'viewer', unitId: '35@2025-03' });
    const refused = await app.inject({ method: 'GET', url: '/api/v1/users', headers: viewer });
    expect([anonymous.statusCode, refused.statusCode]).toEqual([401, 403]);
    for (const res of [anonymous, refused]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['x-frame-options']).toBeDefined();
    }
  });

  it('answers signed-in callers (session or token) with Cache-Control: no-store', async () => {
    const token = await bearer(app, { actions: ['unit.read'] });
    for (const headers of [office, token]) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/units/search?q=trang', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // The public files keep their own caching.
    expect((await app.inject({ method: 'GET', url: '/.well-known/security.txt' })).headers['cache-control']).toBe('public, max-age=86400');
  });
});
