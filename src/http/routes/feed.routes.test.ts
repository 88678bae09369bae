/** The data feed over HTTP (app.inject): an API token reads it page by page, as JSON, JSON Lines and CSV; scope and refusals. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { submittedReview } from '../../test-support/committee.ts';
import { buildApp, type App } from '../app.ts';
import { bearer, signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

describeEachDialect('feed API', (ctx) => {
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
    for (const p of ['/api/v1/feed/{entity}', '/api/v1/feed']) expect(Object.keys(doc.paths)).toContain(p);
    const mine = app.datchuan.routes.filter((r) => /\/feed\b/.test(r.url));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.filter((r) => !r.action)).toEqual([]);
  });

  it('serves the feed to an API token, page by page, as JSON, JSON Lines and CSV', async () => {
    const token = await bearer(app, { actions: ['feed.read'] });
    const first = await get('/feed/units?limit=2', token);
    expect(first.statusCode).toBe(200);
    const page = first.json() as { items: unknown[]; nextCursor: string; asOf: string };
    expect(page.items).toHaveLength(2);
    expect(first.headers['x-next-cursor']).toBe(page.nextCursor);
    expect(first.headers.link).toMatch(/<\/api\/v1\/feed\/units\?limit=2&cursor=[^>]+>; rel="next"/);
    const next = await get(`/feed/units?limit=2&cursor=${page.nextCursor}`, token);
    expect((next.json() as { items: Array<{ id: string }> }).items[0]!.id > (page.items[1] as { id: string }).id).toBe(true);
    const jsonl = await get('/feed/reviews?format=jsonl', token);
    expect(jsonl.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(JSON.parse(jsonl.body.trim().split('\n')[0]!)).toMatchObject({ unitId: trangAn, status: 'submitted' });
    const csv = await get('/feed/reviews?format=csv', token);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('id,unitId,setId,reviewedOn,status,version,title,note,isDemo,createdBy,createdAt,submittedBy,submittedAt,updatedAt');
    expect((await get('/feed/units?updatedSince=not-a-date', token)).statusCode).toBe(400);
    expect((await get('/feed/units', commune)).statusCode).toBe(403);
    expect((await get('/feed/units')).statusCode).toBe(401);
    const scoped = await get(`/feed/reviews?unitId=${district}`, office);
    expect(scoped.statusCode).toBe(200);
    const schema = await get('/feed/schema.json');
    expect(schema.statusCode).toBe(200);
    expect(schema.json().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
