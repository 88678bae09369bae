/**
 * Residents' comments and their moderation over HTTP (app.inject) on both databases: anonymous
 * readers and commenters on a database that is not a demo, the form token against the app clock,
 * rate limits per client address, JSON-only answers, and moderation limited to the dossier's scope.
 * The portal's lists (consultations, recognitions): transparency.routes.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';
import { insertDossierFixture } from '../../test-support/consultation.ts';
import { setMeta } from '../../db/meta.repository.ts';

type Json = Record<string, any>;

describeEachDialect('public consultation API', (ctx) => {
  let app: App;
  let now = new Date('2026-12-01T03:00:00Z');
  let dossierId = 0;
  let communeId = '';
  let officer: SignedIn;
  let otherOfficer: SignedIn;
  let provinceOffice: SignedIn;
  let viewer: SignedIn;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), clock: () => now });
    const f = await insertDossierFixture(ctx.db, { commune: { code: '13510', name: 'Tràng An' }, review: { unmetCriteria: ['5'] } });
    dossierId = f.dossier.id;
    communeId = f.unitId;
    const other = await insertCommune(ctx.db.kysely, { code: '13513', name: 'An Mỹ' });
    officer = await signIn(app, { role: 'commune_officer', unitId: communeId });
    otherOfficer = await signIn(app, { role: 'commune_officer', unitId: other.id });
    provinceOffice = await signIn(app, { role: 'province_office', unitId: '35@2025-03' });
    viewer = await signIn(app, { role: 'viewer', unitId: '35@2025-03' });
  }, 120_000);
  afterAll(async () => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as Json, remoteAddress });

  /** Read the page (token issued now), wait `waitMs` on the app clock, then post. */
  async function comment(over: Json = {}, ip = '203.0.113.1', waitMs = 5000) {
    const page = await get(`/public/dossiers/${dossierId}`);
    const token = (page.json() as Json).form.token as string;
    now = new Date(now.getTime() + waitMs);
    return post(`/public/dossiers/${dossierId}/comments`, { body: 'Đề nghị công khai thêm số liệu thu nhập bình quân.', consents: { publish_name: false, contact_reply: false }, token, website: '', ...over }, {}, ip);
  }

  it('declares an action on every route and documents them', async () => {
    const expected: Record<string, string> = {
      'GET /api/v1/public/dossiers/:id': 'public',
      'POST /api/v1/public/dossiers/:id/comments': 'public',
      'GET /api/v1/dossiers/:id/comments': 'dossier.read',
      'POST /api/v1/public-comments/:id/moderation': 'dossier.moderate',
    };
    const declared = Object.fromEntries(app.datchuan.routes.map((r) => [`${r.method} ${r.url}`, r.action]));
    for (const [route, action] of Object.entries(expected)) expect([route, declared[route]]).toEqual([route, action]);
    const doc = (await get('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/public/dossiers/{id}/comments', '/api/v1/public-comments/{id}/moderation']));
  });

  it('serves the public dossier page to anonymous callers on a real (non-demo) database', async () => {
    const page = await get(`/public/dossiers/${dossierId}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const p = page.json() as Json;
    expect(p).toMatchObject({ dossierId, open: true, stage: 'commune_consultation', unit: { id: communeId, name: 'Xã Tràng An' } });
    expect(p.criteria.find((c: Json) => c.code === '5').status).toBe('not_met');
    expect(p.form.notice.purposes).toHaveLength(2);
    expect((await get('/public/dossiers/999999')).statusCode).toBe(404);
  });

  it('accepts a comment after the minimum time, as pending, with Cache-Control: no-store', async () => {
    const tooFast = await comment({}, '203.0.113.2', 0);
    expect(tooFast.statusCode).toBe(400);
    expect(tooFast.json()).toMatchObject({ error: { code: 'validation_failed', details: { reason: 'token_too_fast' } } });
    expect(tooFast.json().error.message_vi).toMatch(/quá nhanh/);
    const res = await comment({}, '203.0.113.2');
    expect(res.statusCode).toBe(202);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({ status: 'pending', message: { vi: expect.stringContaining('kiểm duyệt') } });
    const expired = await comment({}, '203.0.113.2', 2 * 3600_000);
    expect(expired.json()).toMatchObject({ error: { code: 'validation_failed', details: { reason: 'token_expired' } } });
    now = new Date(now.getTime() - 2 * 3600_000); // back, so the other tests' sessions stay within their idle time
  });

  it('refuses the honeypot, a forged token, an unknown field and missing consents with 400', async () => {
    const honey = await comment({ website: 'spam' }, '203.0.113.3');
    expect(honey.statusCode).toBe(400);
    expect(honey.json()).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: 'website' }] } } });
    const forged = await comment({ token: `${dossierId}.${now.getTime() - 60_000}.${'A'.repeat(43)}` }, '203.0.113.3');
    expect(forged.json()).toMatchObject({ error: { code: 'validation_failed', details: { reason: 'token_invalid' } } });
    expect((await comment({ extra: 1 }, '203.0.113.3')).statusCode).toBe(400);
    expect((await comment({ consents: { publish_name: true } }, '203.0.113.3')).statusCode).toBe(400);
    expect((await comment({ consents: { publish_name: 'yes', contact_reply: false } }, '203.0.113.3')).statusCode).toBe(400);
  });

  it('answers 429 rate_limited to the 4th comment from one address within 10 minutes', async () => {
    for (let i = 0; i < 3; i++) expect((await comment({}, '203.0.113.4')).statusCode).toBe(202);
    const fourth = await comment({}, '203.0.113.4');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await comment({}, '203.0.113.5')).statusCode).toBe(202);
  });

  it('returns markup verbatim inside JSON, never as HTML', async () => {
    const xss = '<script>alert(1)</script>';
    const res = await comment({ body: xss, name: '<b onmouseover=alert(2)>Tên</b>', consents: { publish_name: true, contact_reply: false } }, '203.0.113.6');
    expect(res.statusCode).toBe(202);
    const id = res.json().id as number;
    const mod = await post(`/public-comments/${id}/moderation`, { status: 'published' }, officer);
    expect(mod.statusCode).toBe(200);
    const page = await get(`/public/dossiers/${dossierId}`);
    expect(page.headers['content-type']).toMatch(/^application\/json/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const c = (page.json() as Json).comments.find((x: Json) => x.id === id);
    expect(c.body).toBe(xss);
    expect(c.authorName).toBe('<b onmouseover=alert(2)>Tên</b>');
    expect(page.body).toContain(JSON.stringify(xss));
  });

  it('shows the name only with its own consent, never the contact', async () => {
    const hidden = await comment({ name: 'Nguyễn Văn An', contact: 'an@example.vn', consents: { publish_name: false, contact_reply: true } }, '203.0.113.7');
    const shown = await comment({ name: 'Trần Thị Bình', consents: { publish_name: true, contact_reply: false } }, '203.0.113.7');
    for (const r of [hidden, shown]) expect((await post(`/public-comments/${r.json().id}/moderation`, { status: 'published' }, provinceOffice)).statusCode).toBe(200);
    const page = await get(`/public/dossiers/${dossierId}`);
    const comments = (page.json() as Json).comments as Json[];
    expect(comments.find((c) => c.id === hidden.json().id)!.authorName).toBeNull();
    expect(comments.find((c) => c.id === shown.json().id)!.authorName).toBe('Trần Thị Bình');
    expect(page.body).not.toContain('an@example.vn');
    expect(page.body).not.toContain('Nguyễn Văn An');
    // The moderators see name, contact and the consents.
    const all = (await get(`/dossiers/${dossierId}/comments`, officer)).json() as Json;
    const h = all.items.find((c: Json) => c.id === hidden.json().id);
    expect(h).toMatchObject({ authorName: 'Nguyễn Văn An', contact: 'an@example.vn', status: 'published', personalDataErased: false });
    expect(h.consents.map((c: Json) => [c.purpose, c.granted])).toEqual([
      ['publish_name', false],
      ['contact_reply', true],
    ]);
    // A reader who may not moderate sees no contact and the name only with consent.
    const asViewer = ((await get(`/dossiers/${dossierId}/comments`, viewer)).json() as Json).items as Json[];
    expect(asViewer.find((c) => c.id === hidden.json().id)).toMatchObject({ authorName: null, contact: null });
    expect(asViewer.find((c) => c.id === shown.json().id)).toMatchObject({ authorName: 'Trần Thị Bình', contact: null });
  });

  it('lets only scoped roles moderate: another commune\'s officer and a viewer get 403, anonymous 401', async () => {
    const id = (await comment({}, '203.0.113.8')).json().id as number;
    expect((await get(`/dossiers/${dossierId}/comments`)).statusCode).toBe(401);
    expect((await post(`/public-comments/${id}/moderation`, { status: 'published' })).statusCode).toBe(401);
    const foreignRead = await get(`/dossiers/${dossierId}/comments`, otherOfficer);
    expect(foreignRead.statusCode).toBe(403);
    const foreign = await post(`/public-comments/${id}/moderation`, { status: 'published' }, otherOfficer);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ error: { code: 'forbidden', details: { reason: 'out_of_scope' } } });
    expect((await get(`/dossiers/${dossierId}/comments`, viewer)).statusCode).toBe(200);
    expect((await post(`/public-comments/${id}/moderation`, { status: 'published' }, viewer)).statusCode).toBe(403);
    // Still pending after the refusals; then the commune's officer rejects it, once.
    const still = ((await get(`/dossiers/${dossierId}/comments`, officer)).json() as Json).items.find((c: Json) => c.id === id);
    expect(still.status).toBe('pending');
    const ok = await post(`/public-comments/${id}/moderation`, { status: 'rejected', note: 'Không liên quan đến hồ sơ' }, officer);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, status: 'rejected', moderationNote: 'Không liên quan đến hồ sơ', moderatedAt: now.toISOString() });
    expect((await post(`/public-comments/${id}/moderation`, { status: 'published' }, officer)).statusCode).toBe(409);
    expect((await post(`/public-comments/${id}/moderation`, { status: 'pending' }, officer)).statusCode).toBe(400);
    expect((await post(`/public-comments/999999/moderation`, { status: 'published' }, officer)).statusCode).toBe(404);
  });

  it('shows pending and rejected comments to moderators only: not to viewers, nor to anonymous visitors of a demo', async () => {
    const secret = 'Ý kiến đang chờ duyệt, chưa được công khai (kiểm thử).';
    const pending = (await comment({ body: secret }, '203.0.113.10')).json().id as number;
    const rejected = (await comment({ body: `${secret} Bị từ chối.` }, '203.0.113.10')).json().id as number;
    expect((await post(`/public-comments/${rejected}/moderation`, { status: 'rejected' }, officer)).statusCode).toBe(200);
    const asOfficer = ((await get(`/dossiers/${dossierId}/comments`, officer)).json() as Json).items as Json[];
    expect(asOfficer.map((c) => c.id)).toEqual(expect.arrayContaining([pending, rejected]));
    const asViewer = await get(`/dossiers/${dossierId}/comments`, viewer);
    expect(asViewer.statusCode).toBe(200);
    expect((asViewer.json() as Json).items.every((c: Json) => c.status === 'published')).toBe(true);
    expect((asViewer.json() as Json).items.length).toBeGreaterThan(0);
    expect(asViewer.body).not.toContain(secret);
    await setMeta(ctx.db.kysely, 'demo_seeded_at', now.toISOString());
    const demo = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), clock: () => now });
    try {
      const anonymous = await demo.inject({ method: 'GET', url: `/api/v1/dossiers/${dossierId}/comments` });
      expect(anonymous.statusCode).toBe(200);
      expect((anonymous.json() as Json).items.every((c: Json) => c.status === 'published')).toBe(true);
      expect(anonymous.body).not.toContain(secret);
    } finally {
      await demo.close();
      await ctx.db.kysely.deleteFrom('app_meta').where('key', '=', 'demo_seeded_at').execute();
    }
  });

  it('refuses comments on a closed consultation with 409', async () => {
    const closed = await insertDossierFixture(ctx.db, { unitId: communeId, review: 'none', closedOn: '2026-11-30' });
    const page = await get(`/public/dossiers/${closed.dossier.id}`);
    expect(page.statusCode).toBe(200);
    expect((page.json() as Json).open).toBe(false);
    now = new Date(now.getTime() + 5000);
    const res = await post(`/public/dossiers/${closed.dossier.id}/comments`, { body: 'Ý kiến gửi sau khi đã kết thúc.', consents: { publish_name: false, contact_reply: false }, token: (page.json() as Json).form.token }, {}, '203.0.113.9');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'consultation_closed' } } });
  });
});
