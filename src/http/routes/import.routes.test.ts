/**
 * The Excel template and imports over HTTP (app.inject): a commune officer downloads the template
 * of their commune, uploads it filled (dry run with the problems by sheet and cell, then commit
 * what was previewed), and gets clear answers for a wrong type, not a workbook, or too large.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { ExcelJS } from '../../files/xlsx-style.ts';
import { MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, MATRIX_SHEET } from '../../files/imports/template.ts';
import { DEMO_SET, demoValues } from '../../test-support/report-fixtures.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describeEachDialect('imports API', (ctx) => {
  let app: App;
  let trangAn = '';
  let binhNghia = '';
  let commune: SignedIn;
  const savedLimit = process.env.DATCHUAN_IMPORT_MAX_BYTES;

  beforeAll(async () => {
    process.env.DATCHUAN_IMPORT_MAX_BYTES = String(1024 * 1024);
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    trangAn = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
    binhNghia = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' })).id;
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
    for (const p of ['/api/v1/templates', '/api/v1/imports/xlsx']) expect(Object.keys(doc.paths)).toContain(p);
    const mine = app.datchuan.routes.filter((r) => /\/(templates|imports)\b/.test(r.url));
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.filter((r) => !r.action)).toEqual([]);
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
});
