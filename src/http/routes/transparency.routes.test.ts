/**
 * The public portal's lists over HTTP (app.inject) on both databases: dossiers open for comments
 * and recognised communes, served to anonymous callers on a database that is not a demo.
 * Comments and moderation: consultation.routes.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';
import { insertDossierFixture, insertRecognitionFixture } from '../../test-support/consultation.ts';

type Json = Record<string, any>;

describeEachDialect('public transparency API', (ctx) => {
  let app: App;
  const now = new Date('2026-12-01T03:00:00Z');
  let dossierId = 0;
  let communeId = '';
  let officer: SignedIn;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), clock: () => now });
    const f = await insertDossierFixture(ctx.db, { commune: { code: '13510', name: 'Tràng An' }, review: { unmetCriteria: ['5'] } });
    dossierId = f.dossier.id;
    communeId = f.unitId;
    await insertRecognitionFixture(ctx.db, { unitId: communeId, level: 'ntm', decisionNo: '1001/QĐ-UBND', decidedOn: '2019-12-20' });
    officer = await signIn(app, { role: 'commune_officer', unitId: communeId });
  }, 120_000);
  afterAll(async () => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  it('declares the public action on its routes', async () => {
    const expected: Record<string, string> = {
      'GET /api/v1/public/consultations': 'public',
      'GET /api/v1/public/recognitions': 'public',
    };
    const declared = Object.fromEntries(app.datchuan.routes.map((r) => [`${r.method} ${r.url}`, r.action]));
    for (const [route, action] of Object.entries(expected)) expect([route, declared[route]]).toEqual([route, action]);
  });

  it('serves the public lists to anonymous callers on a real (non-demo) database', async () => {
    const list = await get('/public/consultations');
    expect(list.statusCode).toBe(200);
    expect((list.json() as Json).items.map((i: Json) => i.dossierId)).toContain(dossierId);
    const rec = await get(`/public/recognitions?q=${encodeURIComponent('trang an')}`);
    expect(rec.statusCode).toBe(200);
    expect((rec.json() as Json).items.map((r: Json) => [r.unitId, r.currentLevel])).toEqual([[communeId, 'ntm']]);
    // Signed-in callers may read them too.
    expect((await get('/public/consultations', officer)).statusCode).toBe(200);
  });
});
