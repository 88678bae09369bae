/**
 * Reports, templates, imports and the feed over HTTP (app.inject), signed in as the people who use
 * them: the province office produces the matrix, the summary and Word reports; the commune officer
 * downloads a template, uploads it (dry run, then commit) and gets the self-assessment report;
 * an API token reads the feed page by page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { ExcelJS } from '../../files/xlsx-style.ts';
import { MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, MATRIX_SHEET } from '../../files/imports/template.ts';
import { DEMO_SET, demoValues } from '../../test-support/report-fixtures.ts';
import { submittedReview } from '../../test-support/committee.ts';
import { buildApp, type App } from '../app.ts';
import { bearer, signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describeEachDialect('reports, imports and feed API', (ctx) => {
  let app: App;
  let trangAn = '';
  let binhNghia = '';
  let district = '';
  let province = '';
  let office: SignedIn;
  let commune: SignedIn;
  const savedLimit = process.env.DATCHUAN_IMPORT_MAX_BYTES;

  beforeAll(async () => {
    process.env.DATCHUAN_IMPORT_MAX_BYTES = String(1024 * 1024);
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
  afterAll(async () => {
    if (savedLimit === undefined) delete process.env.DATCHUAN_IMPORT_MAX_BYTES;
    else process.env.DATCHUAN_IMPORT_MAX_BYTES = savedLimit;
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  it('documents every route and declares an action on each', async () => {
    const doc = (await get('/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/reports/{kind}', '/api/v1/templates', '/api/v1/imports/xlsx', '/api/v1/feed/{entity}', '/api/v1/feed']) expect(Object.keys(doc.paths)).toContain(p);
    const mine = app.datchuan.routes.filter((r) => /\/(reports|templates|imports|feed)\b/.test(r.url));
    expect(mine.length).toBeGreaterThanOrEqual(6);
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

  it('lets a commune officer download a template, preview the upload with its problems, and commit it', async () => {
    const t = await get(`/templates?setId=${DEMO_SET}&unitId=${binhNghia}&date=2023-06-30`, commune);
    expect(t.statusCode).toBe(200);
    expect(t.headers['content-type']).toBe(XLSX);
    expect((await get(`/templates?setId=${DEMO_SET}&unitId=${trangAn}&date=2023-06-30`, commune)).statusCode).toBe(403);
    // Fill it, with one mistake.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(t.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(MATRIX_SHEET)!;
    const header = ws.getRow(MATRIX_HEADER_ROW).values as unknown[];
    const values = demoValues('2023-06-30', [], 'binh-nghia');
    const row = ws.getRow(MATRIX_FIRST_ROW);
    for (const [code, v] of Object.entries(values)) {
      const col = header.indexOf(code);
      if (col > 0 && (typeof v === 'number' || typeof v === 'string')) row.getCell(col).value = v;
    }
    const col24 = header.indexOf('2.4');
    row.getCell(col24).value = 'khoảng 90';
    const post = (buf: Buffer, query: string, headers: Record<string, string> = commune, type = XLSX) =>
      app.inject({ method: 'POST', url: `/api/v1/imports/xlsx?${query}`, headers: { ...headers, 'content-type': type }, payload: buf });
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    const preview = await post(bad, 'dryRun=true&fileName=binh-nghia.xlsx');
    expect(preview.statusCode).toBe(200);
    const p = preview.json() as { errors: number; problems: Array<{ code: string; cell: string; sheet: string; message: { vi: string; en: string } }>; fileHash: string };
    expect(p.errors).toBe(1);
    expect(p.problems[0]).toMatchObject({ code: 'wrong_kind', sheet: MATRIX_SHEET, cell: `${ws.getColumn(col24).letter}${MATRIX_FIRST_ROW}` });
    const refused = await post(bad, 'dryRun=false');
    expect(refused.statusCode).toBe(400);
    expect((refused.json().error.details.problems as unknown[]).length).toBe(1);
    // Fixed: preview, then commit what was previewed.
    row.getCell(col24).value = 95;
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    const ok = (await post(good, 'dryRun=true')).json() as { errors: number; fileHash: string; counts: { create: number } };
    expect(ok).toMatchObject({ errors: 0, counts: { create: 1 } });
    expect((await post(good, `dryRun=false&expectHash=${p.fileHash}`)).statusCode).toBe(409);
    const committed = await post(good, `dryRun=false&expectHash=${ok.fileHash}`);
    expect(committed.statusCode).toBe(200);
    expect(committed.json()).toMatchObject({ committed: true, counts: { create: 1 } });
    expect((await post(good, 'dryRun=false')).json()).toMatchObject({ committed: true, counts: { create: 0, unchanged: 1 } });
    // Wrong content type, not a workbook, too large: clear answers in both languages.
    const csv = await post(Buffer.from('a,b\n'), 'dryRun=true', commune, 'text/csv');
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.message_vi).toContain('Content-Type');
    const notXlsx = await post(Buffer.from('%PDF-1.4 …'), 'dryRun=true', commune, 'application/octet-stream');
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.message_vi).toContain('không phải bảng tính Excel');
    const big = await post(Buffer.alloc(1024 * 1024 + 10, 1), 'dryRun=true');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message_vi).toContain('Tệp quá lớn');
    expect((await post(good, 'dryRun=true', {})).statusCode).toBe(401);
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
