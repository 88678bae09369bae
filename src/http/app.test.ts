import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { buildApp, type App } from './app.ts';
import { signIn, testSecurity, type SignedIn } from '../test-support/http.ts';

function expectEnvelope(body: unknown, code: string) {
  const b = body as { error: { code: string; message: string; message_vi: string } };
  expect(b.error.code).toBe(code);
  expect(b.error.message.length).toBeGreaterThan(5);
  expect(b.error.message_vi.length).toBeGreaterThan(5);
  return b.error;
}

describeEachDialect('HTTP API', (ctx) => {
  let app: App;
  let unitId = '';
  /** A province office of Hà Nam (before 7/2025), signed in: cookie and CSRF header. */
  let h: SignedIn;
  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    unitId = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
    h = await signIn(app, { role: 'province_office', unitId: '35@2025-03' });
  });
  afterAll(async () => app.close());

  it('answers health and serves an OpenAPI document describing every route', async () => {
    const h = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok', dialect: ctx.dialect });
    const o = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = o.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/reviews', '/api/v1/reviews/{id}/values', '/api/v1/units/{id}/summary', '/api/v1/units/search', '/api/v1/criteria-sets']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('answers unknown routes, malformed JSON and wrong types with the error envelope, never 500', async () => {
    expectEnvelope((await app.inject({ method: 'GET', url: '/api/v1/nope', headers: h })).json(), 'not_found');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: { ...h, 'content-type': 'application/json' }, payload: '{"unitId":' });
    expect(bad.statusCode).toBe(400);
    expectEnvelope(bad.json(), 'validation_failed');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { unitId: unitId, setId: DEMO_SET_ID, reviewedOn: 20230320 }, headers: h });
    expect(wrong.statusCode).toBe(400);
    const err = expectEnvelope(wrong.json(), 'validation_failed');
    expect(err.message).toContain('reviewedOn');
    expect(err.message_vi).toContain('reviewedOn');
    const huge = await app.inject({ method: 'GET', url: '/api/v1/reviews/99999999999999', headers: h });
    expect(huge.statusCode).toBe(400);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/reviews/424242', headers: h });
    expect(missing.statusCode).toBe(404);
    expectEnvelope(missing.json(), 'not_found');
    const extra = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { unitId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', admin: true }, headers: h });
    expect(extra.statusCode).toBe(400);
  });

  it('creates a review, returns its ETag, and refuses a stale If-Match with 409', async () => {
    const code = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
    const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { unitId, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [code]: { value: true } } }, headers: h });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const id = (created.json() as { id: number }).id;
    const ok = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, headers: { ...h, 'if-match': '"1"' }, payload: { values: { [code]: { value: false } } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, headers: { ...h, 'if-match': '"1"' }, payload: { values: { [code]: { value: true } } } });
    expect(stale.statusCode).toBe(409);
    const e = expectEnvelope(stale.json(), 'version_conflict');
    expect(e.message_vi).toContain('người khác');
    const noVersion = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, payload: { values: {} }, headers: h });
    expect(noVersion.statusCode).toBe(400);
    const wrongKind = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${id}/values`, payload: { version: 2, values: { [code]: { value: 'có lẽ' } } }, headers: h });
    expect(wrongKind.statusCode).toBe(400);
    expect(JSON.stringify(wrongKind.json())).toContain(code);
    const history = await app.inject({ method: 'GET', url: `/api/v1/reviews/${id}/history?code=${code}`, headers: h });
    expect((history.json() as { items: unknown[] }).items).toHaveLength(2);
  });

  it('serves criteria sets, units search and summaries', async () => {
    const sets = (await app.inject({ method: 'GET', url: '/api/v1/criteria-sets', headers: h })).json() as { items: Array<{ id: string }> };
    expect(sets.items.map((s) => s.id)).toContain(DEMO_SET_ID);
    const one = await app.inject({ method: 'GET', url: `/api/v1/criteria-sets/${DEMO_SET_ID}?region=DBSH&year=2023`, headers: h });
    expect(one.statusCode).toBe(200);
    expect((one.json() as { criteria: unknown[] }).criteria).toHaveLength(19);
    expect((await app.inject({ method: 'GET', url: '/api/v1/criteria-sets/nope', headers: h })).statusCode).toBe(404);
    const found = (await app.inject({ method: 'GET', url: `/api/v1/units/search?q=${encodeURIComponent('trang an')}`, headers: h })).json() as { items: Array<{ id: string }> };
    expect(found.items.map((i) => i.id)).toContain(unitId);
    const summary = await app.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary?date=2023-06-30', headers: h });
    expect(summary.statusCode).toBe(200);
    expect((summary.json() as { denominator: { communes: number } }).denominator.communes).toBeGreaterThan(0);
    const badDate = await app.inject({ method: 'GET', url: '/api/v1/units/35@2025-03/summary?date=2023-02-30', headers: h });
    expect(badDate.statusCode).toBe(400);
  });

  it('serves cached summaries that change as soon as a review is written', async () => {
    const url = '/api/v1/units/35@2025-03/summary?date=2024-06-30';
    const first = (await app.inject({ method: 'GET', url, headers: h })).json() as { reviewed: number };
    const again = await app.inject({ method: 'GET', url, headers: h });
    expect(again.json()).toEqual(first);
    const created = await app.inject({ method: 'POST', url: '/api/v1/reviews', payload: { unitId, setId: DEMO_SET_ID, reviewedOn: '2024-06-01' }, headers: h });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: number }).id;
    const submitted = await app.inject({ method: 'POST', url: `/api/v1/reviews/${id}/submit`, payload: { version: 1 }, headers: h });
    expect(submitted.statusCode).toBe(200);
    const after = (await app.inject({ method: 'GET', url, headers: h })).json() as { reviewed: number; communes: Array<{ reviewId: number | null }> };
    expect(after.reviewed).toBe(first.reviewed + 1);
    expect(after.communes.some((c) => c.reviewId === id)).toBe(true);
  });
});
