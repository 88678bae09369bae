/**
 * Reports over HTTP (app.inject), signed in as the people who use them: the province office
 * produces the matrix, the summary and Word reports; a commune officer gets only their own.
 * Templates and imports: import.routes.test.ts; the feed: feed.routes.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { submittedReview } from '../../test-support/committee.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describeEachDialect('reports API', (ctx) => {
  let app: App;
  let trangAn = '';
  let binhNghia = '';
  let district = '';
  let province = '';
  let office: SignedIn;
  let commune: SignedIn;

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    const t = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = t.id;
    district = t.parent_id!;
    province = t.province_id!;
    binhNghia = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' })).id;
    await submittedReview(ctx.db, trangAn, '2023-03-20', ['5.1', '8.1']);
    office = await signIn(app, { role: 'province_office', unitId: province });
    commune = await signIn(app, { role: 'commune_officer', unitId: binhNghia });
  }, 120_000);
  afterAll(async () => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  it('documents every route and declares an action on each', async () => {
    const doc = (await get('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/reports/{kind}');
    const mine = app.datchuan.routes.filter((r) => /\/reports\b/.test(r.url));
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.filter((r) => !r.action)).toEqual([]);
  });

  it('gives the province office the matrix, the summary (xlsx, docx, JSON) and the history', async () => {
    const m = await get(`/reports/matrix?unitId=${province}&date=2023-03-20`, office);
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toBe(XLSX);
    expect(m.headers['content-disposition']).toMatch(/^attachment; filename="ma-tran-tinh-ha-nam-2023-03-20.xlsx"; filename\*=UTF-8''ma-tran/);
    expect(m.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const docx = await get(`/reports/summary?unitId=${province}&date=2023-03-20&format=docx&number=12%2FBC-UBND&signer=Tr%E1%BA%A7n%20Th%E1%BB%8B%20B%C3%ACnh`, office);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe(DOCX);
    const json = await get(`/reports/summary?unitId=${province}&date=2023-03-20&format=json`, office);
    const model = json.json() as { kind: string; header: { number: string }; blocks: Array<{ type: string }> };
    expect(model.kind).toBe('unit-summary');
    expect(model.blocks.some((b) => b.type === 'table')).toBe(true);
    expect((await get(`/reports/history?unitId=${district}&date=2023-12-31`, office)).statusCode).toBe(200);
    const bad = await get(`/reports/matrix?unitId=${province}&date=2023-03-20&format=docx`, office);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message_vi).toContain('không xuất được dạng docx');
  });

  it('lets a commune officer export only their own commune, and refuses anonymous callers', async () => {
    expect((await get(`/reports/summary?unitId=${province}&date=2023-03-20`)).statusCode).toBe(401);
    expect((await get(`/reports/self-assessment?unitId=${trangAn}&date=2023-03-20`, commune)).statusCode).toBe(403);
    const own = await get(`/reports/self-assessment?unitId=${trangAn}&date=2023-03-20`, office);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe(DOCX);
    const none = await get(`/reports/self-assessment?unitId=${binhNghia}&date=2023-03-20`, commune);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message_vi).toContain('chưa có bản rà soát');
  });
});
