/**
 * Criteria-set authoring over HTTP, signed in as the people who do it: two officers of the
 * province's coordination office (one enters, the other verifies — never the same person), a
 * viewer of the province (reads, never edits), an officer of another province (cannot touch the
 * set). Every refusal leaves the draft as it was; the editor flow ends with a commune's verdict
 * changed by publishing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';
import { loadStoredSets } from '../../services/criteria-authoring.service.ts';

type Json = Record<string, any>;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describeEachDialect('criteria-set authoring API', (ctx) => {
  let app: App;
  let province = '';
  let commune = '';
  let author: SignedIn;
  let colleague: SignedIn;
  let viewer: SignedIn;
  let stranger: SignedIn;
  const setId = 'ninh-binh-thu-2026-2030';

  beforeAll(async () => {
    await loadStoredSets(ctx.db);
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    const c = await insertCommune(ctx.db.kysely, { code: '14002', name: 'Thử Hai', listId: '2025-07' });
    commune = c.id;
    province = c.province_id!;
    const other = await insertCommune(ctx.db.kysely, { code: '27002', name: 'Ngoài Tỉnh', listId: '2025-07', provinceCode: '24', provinceName: 'Bắc Ninh' });
    author = await signIn(app, { role: 'province_office', unitId: province, username: `vp.a.${ctx.dialect}` });
    colleague = await signIn(app, { role: 'province_office', unitId: province, username: `vp.b.${ctx.dialect}` });
    viewer = await signIn(app, { role: 'viewer', unitId: province });
    stranger = await signIn(app, { role: 'province_office', unitId: other.province_id! });
  }, 120_000);
  afterAll(async () => app.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as Json } : {}) });

  const put = (target: number) => ({
    op: 'put',
    criterion: '2',
    indicator: {
      code: '2.1',
      name: 'Tỷ lệ km đường xã được nhựa hóa hoặc bê tông hóa',
      kind: 'percent',
      unit: '% km',
      target: { op: '>=', value: { byGroup: { '1': target, '2': target, '3': target - 10 } } },
      source: { decision: '51/2025/QĐ-TTg', appendix: 'Phụ lục I' },
      verified: false,
      provenance: { level: 'secondary', source: { number: '51/2025/QĐ-TTg', date: '2025-12-29', issuer: 'Thủ tướng Chính phủ', ref: 'Phụ lục I', url: 'https://example.gov.vn/51' } },
    },
  });

  it('enter, verify by a colleague, publish: the commune is evaluated by the new set; wrong people are refused and change nothing', async () => {
    const doc = (await call('GET', '/openapi.json', {})).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/criteria-sets/authored', '/api/v1/criteria-sets/{id}/versions/{version}/publish', '/api/v1/criteria-sets/{id}/versions/{version}/indicators/{code}/verify']));

    const body = { basedOn: 'xa-ntm-2026-2030', setId, provinceId: province, validFrom: '2026-02-15' };
    expect((await call('POST', '/criteria-sets', viewer, body)).statusCode).toBe(403);
    expect((await call('POST', '/criteria-sets', stranger, body)).statusCode).toBe(403);
    const created = await call('POST', '/criteria-sets', author, body);
    expect(created.statusCode, created.body).toBe(201);
    let v = created.json() as Json;

    const edited = await call('PATCH', `/criteria-sets/${setId}/versions/1`, { ...author, 'if-match': `"${v.version}"` }, { edit: put(100) });
    expect(edited.statusCode, edited.body).toBe(200);
    v = edited.json();
    expect(v.counts.indicators).toBe(1);

    const tooHigh = await call('PATCH', `/criteria-sets/${setId}/versions/1`, author, { version: v.version, edit: put(120) });
    expect(tooHigh.statusCode).toBe(400);
    expect(JSON.stringify(tooHigh.json().error.details.fields)).toContain('target');
    expect((await call('PATCH', `/criteria-sets/${setId}/versions/1`, viewer, { version: v.version, edit: put(90) })).statusCode).toBe(403);
    expect((await call('PATCH', `/criteria-sets/${setId}/versions/1`, stranger, { version: v.version, edit: put(90) })).statusCode).toBe(403);
    expect((await call('PATCH', `/criteria-sets/${setId}/versions/1`, author, { version: v.version - 1, edit: put(90) })).statusCode).toBe(409);

    const upload = await app.inject({ method: 'POST', url: `/api/v1/criteria-sets/${setId}/versions/1/indicators/2.1/source?filename=QD51-phu-luc-I.pdf`, headers: { ...author, 'content-type': 'application/pdf' }, payload: PDF });
    expect(upload.statusCode, upload.body).toBe(200);
    v = upload.json();
    const download = await call('GET', `/criteria-sets/${setId}/versions/1/indicators/2.1/source`, viewer);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);

    const own = await call('POST', `/criteria-sets/${setId}/versions/1/indicators/2.1/verify`, author, { version: v.version });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.message_vi ?? own.json().error.message).toBeTruthy();
    expect((await call('POST', `/criteria-sets/${setId}/versions/1/indicators/2.1/verify`, stranger, { version: v.version })).statusCode).toBe(403);
    expect((await call('POST', `/criteria-sets/${setId}/versions/1/indicators/2.1/verify`, viewer, { version: v.version })).statusCode).toBe(403);
    const unchanged = (await call('GET', `/criteria-sets/${setId}/versions/1`, viewer)).json() as Json;
    expect(unchanged.version).toBe(v.version);
    expect(unchanged.counts.provenance.official).toBe(0);

    const verified = await call('POST', `/criteria-sets/${setId}/versions/1/indicators/2.1/verify`, colleague, { version: v.version });
    expect(verified.statusCode, verified.body).toBe(200);
    v = verified.json();
    expect(v.indicators['2.1'].verifiedBy).toBe(`vp.b.${ctx.dialect}`);
    expect(v.counts.provenance).toEqual({ official: 1, secondary: 0, reconstructed: 0 });

    const published = await call('POST', `/criteria-sets/${setId}/versions/1/publish`, colleague, { version: v.version });
    expect(published.statusCode, published.body).toBe(200);
    expect((await call('PATCH', `/criteria-sets/${setId}/versions/1`, author, { version: published.json().version, edit: put(90) })).statusCode).toBe(409);

    // The commune (group 2 by default: no group attribute → not evaluable by group) gets a review on the new set.
    await ctx.db.kysely.insertInto('unit_attribute').values({ unit_id: commune, name: 'group', value: '2', valid_from: null, valid_to: null, source: 'test', created_at: new Date().toISOString() }).execute();
    const officer = await signIn(app, { role: 'commune_officer', unitId: commune });
    const review = await call('POST', '/reviews', officer, { unitId: commune, setId, reviewedOn: '2026-06-30', values: { '2.1': { value: 95 } } });
    expect(review.statusCode, review.body).toBe(201);
    const r = review.json() as Json;
    expect(r.evaluation.criteria.find((c: Json) => c.code === '2').status).toBe('not_met');

    // A new version lowers the threshold from 1/6/2026: the impact is shown before publishing.
    const v2 = await call('POST', '/criteria-sets', author, { newVersionOf: setId, validFrom: '2026-06-01' });
    expect(v2.statusCode, v2.body).toBe(201);
    const lowered = await call('PATCH', `/criteria-sets/${setId}/versions/2`, author, { version: v2.json().version, edit: put(90) });
    expect(lowered.statusCode, lowered.body).toBe(200);
    const impact = (await call('GET', `/criteria-sets/${setId}/versions/2/impact`, viewer)).json() as Json;
    expect(impact).toMatchObject({ reviews: 1, changedVerdicts: 1 });
    const p2 = await call('POST', `/criteria-sets/${setId}/versions/2/publish`, colleague, { version: lowered.json().version });
    expect(p2.statusCode).toBe(200);
    let job: Json = p2.json().reevaluation;
    for (let i = 0; i < 100 && job.state === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      job = ((await call('GET', `/criteria-sets/${setId}/versions/2`, viewer)).json() as Json).reevaluation;
    }
    expect(job).toMatchObject({ state: 'done', total: 1, changedVerdicts: 1 });
    const after = (await call('GET', `/reviews/${r.id}`, officer)).json() as Json;
    expect(after.evaluation.criteria.find((c: Json) => c.code === '2').status).toBe('met');

    const list = (await call('GET', '/criteria-sets/authored', viewer)).json() as Json;
    expect(list.items.filter((i: Json) => i.setId === setId).map((i: Json) => [i.setVersion, i.status, i.validTo])).toEqual([
      [1, 'published', '2026-05-31'],
      [2, 'published', '2030-12-31'],
    ]);
    const catalog = (await call('GET', '/criteria-sets', viewer)).json() as Json;
    expect(catalog.items.filter((i: Json) => i.id === setId).map((i: Json) => [i.version, i.provenance])).toEqual([
      [1, { official: 1, secondary: 0, reconstructed: 0 }],
      [2, { official: 0, secondary: 1, reconstructed: 0 }],
    ]);
  });

  it('a set goes out as a workbook and comes back as a draft; a shipped id is refused and nothing is stored', async () => {
    const out = await call('GET', '/criteria-sets/xa-ntm-kieu-mau-2021-2025/workbook.xlsx', viewer);
    expect(out.statusCode).toBe(200);
    expect(out.headers['content-type']).toContain('spreadsheetml');
    const xlsx = out.rawPayload;
    const post = (query: string, who: SignedIn) => app.inject({ method: 'POST', url: `/api/v1/criteria-sets/import?${query}`, headers: { ...who, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, payload: xlsx });
    const dry = await post('dryRun=true', author);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ problems: [], set: { id: 'xa-ntm-kieu-mau-2021-2025', criteria: 3, indicators: 3 }, draft: null });
    expect((await post('dryRun=true', viewer)).statusCode).toBe(403);
    const before = (await call('GET', '/criteria-sets/authored', viewer)).json().items.length;
    const stored = await post('dryRun=false', author);
    expect(stored.statusCode).toBe(400);
    expect(stored.json().error.message).toMatch(/shipped national set/);
    expect((await call('GET', '/criteria-sets/authored', viewer)).json().items.length).toBe(before);
    const broken = await app.inject({ method: 'POST', url: '/api/v1/criteria-sets/import?dryRun=true', headers: { ...author, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, payload: Buffer.from('PK\u0003\u0004 không phải bảng tính') });
    expect(broken.statusCode).toBe(200);
    expect(broken.json().problems[0]).toMatchObject({ sheet: null, cell: null });
  });
});
