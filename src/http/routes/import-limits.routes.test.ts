/**
 * Issue 17: a small spreadsheet cannot exhaust the server. Over HTTP on both databases, the three
 * bombs (one 1.26 GB shared string, 60 million shared strings, 40 million rows — 1.2 to 2.6 MB
 * each) and their lying-header variants are refused with a 413 naming the limit in both languages,
 * nothing is written, and the health route answers while one is being refused; the limits come
 * from the deployment's settings; a national-size workbook is still read through.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { DEMO_SET } from '../../test-support/report-fixtures.ts';
import { bomb, nationalSheet, type BombName } from '../../test-support/xlsx-bombs.ts';
import { loadServiceSettings } from '../../config.ts';
import { DEFAULT_XLSX_LIMITS } from '../../files/imports/limits.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOMBS: Array<[BombName, boolean]> = [
  ['huge-string', false],
  ['many-strings', false],
  ['many-rows', false],
  ['huge-string', true],
  ['many-strings', true],
  ['many-rows', true],
];

describeEachDialect('imports refuse spreadsheet bombs', (ctx) => {
  let app: App;
  let strict: App;
  let officer: SignedIn;

  beforeAll(async () => {
    const services = loadServiceSettings({});
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), services });
    // A deployment that allows any ratio and caps rows at 500.
    strict = await buildApp({
      db: ctx.db,
      strictResponses: true,
      webDist: '/nonexistent',
      security: testSecurity(),
      services: { ...services, importLimits: { ...DEFAULT_XLSX_LIMITS, maxRatio: 1_100, maxRows: 500 } },
    });
    const commune = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' })).id;
    officer = await signIn(app, { role: 'commune_officer', unitId: commune });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await strict.close();
  });

  const post = (target: App, buf: Buffer, query = `dryRun=false&setId=${DEMO_SET}`) =>
    target.inject({ method: 'POST', url: `/api/v1/imports/xlsx?${query}`, headers: { ...officer, 'content-type': XLSX }, payload: buf });
  const counts = async () => {
    const n = async (table: 'review' | 'audit_event' | 'indicator_value') => Number((await ctx.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { reviews: await n('review'), values: await n('indicator_value'), audit: await n('audit_event') };
  };

  it.each(BOMBS)('refuses the %s bomb (lying header: %s) with a 413 naming the limit, writing nothing', async (name, lie) => {
    const file = bomb(name, lie);
    expect(file.length).toBeLessThan(3 * 1024 * 1024);
    const before = await counts();
    const res = await post(app, file);
    expect(res.statusCode).toBe(413);
    const error = res.json().error as { code: string; message: string; message_vi: string; details: Record<string, unknown> };
    expect(error).toMatchObject({ code: 'payload_too_large', details: { code: 'import_limit', limit: 'maxInflatedBytes', variable: 'DATCHUAN_IMPORT_MAX_INFLATED_MB' } });
    expect(error.message).toMatch(/exceeds the limit on uncompressed size .*DATCHUAN_IMPORT_MAX_INFLATED_MB.*nothing was written/);
    expect(error.message_vi).toMatch(/vượt giới hạn dung lượng sau giải nén .*DATCHUAN_IMPORT_MAX_INFLATED_MB.*không ghi gì/);
    if (lie) expect(error.message).toMatch(/declares \d+ bytes but inflates to more/);
    expect(await counts()).toEqual(before);
  });

  it('answers the health route while a bomb is being refused', async () => {
    let importDone = false;
    const refusing = post(app, bomb('many-rows', true)).then((r) => {
      importDone = true;
      return r;
    });
    // Let the import reach its parse worker, then ask for health: it must not wait for the parse.
    await new Promise((r) => setTimeout(r, 20));
    const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(importDone).toBe(false);
    expect((await refusing).statusCode).toBe(413);
  });

  it('applies the deployment’s limits (DATCHUAN_IMPORT_MAX_ROWS), naming the sheet', async () => {
    const before = await counts();
    const res = await post(strict, bomb('many-rows', false, 0.02));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ details: { limit: 'maxRows', max: 500, variable: 'DATCHUAN_IMPORT_MAX_ROWS', where: 'Số liệu' } });
    expect(res.json().error.message_vi).toMatch(/số dòng của một trang \(Số liệu\): tối đa 500/);
    expect(await counts()).toEqual(before);
  });

  it('still reads a national-size workbook (10,000 communes × 100 indicators) through', async () => {
    const res = await post(app, nationalSheet(), `dryRun=true&setId=${DEMO_SET}&date=2023-06-30`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { counts: { rows: number }; sheets: Array<{ name: string; rows: number }> };
    expect(body.counts.rows).toBe(10_000);
    expect(body.sheets).toEqual([{ name: 'Số liệu', layout: 'matrix', rows: 10_000 }]);
  }, 120_000);
});
