/**
 * The national view (issue 16): the country as unit `VN` on the demo data, on SQLite and
 * PostgreSQL. The national denominator is the sum of the provinces' and each province's figures
 * are what its own summary says; 34 provinces from 1/7/2025, 63 before; a date before any list is
 * refused; only the central office (and administrators) read it. Service and HTTP (app.inject).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { login, signIn, testSecurity } from '../test-support/http.ts';
import { seedDemoData, DEMO_PROVINCE_AFTER, DEMO_PROVINCE_BEFORE } from '../seed/demo.ts';
import { DEMO_PASSWORD } from '../seed/demo-accounts.ts';
import { buildApp, type App } from '../http/app.ts';
import { isDomainError } from '../domain/errors.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { ScopeResolver } from './access.service.ts';
import { earliestNationalDate, getNationalSummary, getNationalTrend, nationalFigures, type NationalSummary } from './national-summary.service.ts';
import type { SummaryFigure } from '../files/reports/inputs.ts';
import { getUnitSummary } from './summary.service.ts';
import { exportReport } from './report.service.ts';
import ExcelJS from 'exceljs';
import { gunzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';

function actorWith(role: Role, unitId: string | null): Actor {
  const principal: Principal = { kind: 'user', userId: 9, username: role, grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: role, source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2026-12-03' } };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: { vi: string; en: string }; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, message: { vi: e.messageVi, en: e.message }, details: e.details };
    throw e;
  }
  throw new Error('expected a refusal');
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describeEachDialect('national summary (unit VN)', (ctx) => {
  let app: App;
  const national = actorWith('national_office', null);
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await seedDemoData(ctx.db, SYSTEM_ACTOR);
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    console.log(`[${ctx.dialect}] national summary uncached:`, timings);
  });

  async function timed(date: string): Promise<NationalSummary> {
    const t = performance.now();
    const s = await getNationalSummary(ctx.db, national, date);
    timings[date] = Math.round(performance.now() - t);
    return s;
  }

  it('after the merger: 34 provinces, the denominator is the sum of theirs and each province says what its own summary says', async () => {
    const s = await timed('2026-12-03');
    expect(s.list).toMatchObject({ id: '2025-07', provinces: 34, note: null });
    expect(s.provinces).toHaveLength(34);
    expect(s.denominator.communes).toBeGreaterThan(0);
    expect(s.denominator.communes).toBe(sum(s.provinces.map((p) => p.denominator)));
    expect(s.reviewed).toBe(sum(s.provinces.map((p) => p.reviewed)));
    for (const k of ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai', 'none'] as const) {
      expect(s.byLevel[k]).toBe(sum(s.provinces.map((p) => p.byLevel[k])));
      expect(s.recognisedByLevel[k]).toBe(sum(s.provinces.map((p) => p.recognisedByLevel[k])));
    }
    for (const p of s.provinces) {
      const own = await getUnitSummary(ctx.db, p.unitId, '2026-12-03');
      expect({ id: p.unitId, d: p.denominator, r: p.reviewed, l: p.byLevel, rec: p.recognisedByLevel }).toEqual({ id: p.unitId, d: own.denominator.communes, r: own.reviewed, l: own.byLevel, rec: own.recognisedByLevel });
      expect(p.sets.map((x) => x.setId).sort()).toEqual(own.sets.map((x) => x.setId).sort());
    }
    // Ninh Bình holds the demo's reviews after the merger: first in the ranking.
    const nb = s.provinces.find((p) => p.unitId === DEMO_PROVINCE_AFTER)!;
    expect(nb.reviewed).toBeGreaterThan(0);
    expect(s.provinces[0]!.unitId).toBe(DEMO_PROVINCE_AFTER);
    expect(s.sets.length).toBeGreaterThan(0);
    expect(sum(s.sets.map((x) => x.communes))).toBe(s.reviewed);
    const trend = (await getNationalTrend(ctx.db, undefined, '2026-12-03')).points;
    expect(trend.length).toBeGreaterThan(1);
    expect(trend.at(-1)!).toMatchObject({ date: '2026-12-03', reviewed: s.reviewed, denominator: s.denominator.communes, byLevel: s.byLevel });
    expect(trend.some((p) => p.listId === '2025-03')).toBe(true);
  }, 120_000);

  it('before 1/7/2025: the 63-province list, said so; Hà Nam as in its own summary', async () => {
    const s = await timed('2024-12-31');
    expect(s.list).toMatchObject({ id: '2025-03', provinces: 63 });
    expect(s.list.note?.vi).toContain('63 tỉnh');
    expect(s.provinces).toHaveLength(63);
    expect(s.denominator.communes).toBe(sum(s.provinces.map((p) => p.denominator)));
    const hn = s.provinces.find((p) => p.unitId === DEMO_PROVINCE_BEFORE)!;
    const own = await getUnitSummary(ctx.db, DEMO_PROVINCE_BEFORE, '2024-12-31');
    expect([hn.denominator, hn.reviewed, hn.byLevel]).toEqual([own.denominator.communes, own.reviewed, own.byLevel]);
    expect(hn.reviewed).toBeGreaterThan(0);
    console.log(`[${ctx.dialect}] national denominator: 2026-12-03 →`, (await getNationalSummary(ctx.db, undefined, '2026-12-03')).denominator.communes, '; 2024-12-31 →', s.denominator.communes);
  }, 120_000);

  it('evaluations missing from the cache are computed, not counted as unreviewed: the same figures', async () => {
    const before = await getNationalSummary(ctx.db, national, '2024-12-31');
    await ctx.db.kysely.deleteFrom('review_evaluation').execute();
    const after = await getNationalSummary(ctx.db, national, '2024-12-31');
    expect(after.provinces).toEqual(before.provinces);
    expect(after.figures).toEqual(before.figures);
    expect(Number((await ctx.db.kysely.selectFrom('review_evaluation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before.reviewed);
  }, 120_000);

  it('one figure per level where provinces use sets of their own (not one card per set); one set per level stays as it is', () => {
    const f = (key: string, value: number, count: number | null): SummaryFigure => ({ key, label: { vi: key, en: key }, value, unit: { vi: 'xã', en: 'communes' }, decimals: 0, of: count === null ? null : { count, label: { vi: 'x', en: 'x' } }, share: null, note: null });
    const sets = [
      { setId: 'tinh-a-2026', level: 'ntm' as const },
      { setId: 'tinh-b-2026', level: 'ntm' as const },
      { setId: 'nang-cao', level: 'nang-cao' as const },
    ];
    const out = nationalFigures(
      [f('communes', 300, null), f('meets:tinh-a-2026', 10, 100), f('level:tinh-a-2026', 9, 100), f('meets:tinh-b-2026', 30, 150), f('level:tinh-b-2026', 30, 150), f('meets:nang-cao', 2, 20), f('level:nang-cao', 1, 20), f('recognised:ntm', 7, 300)],
      sets,
    );
    expect(out.map((x) => x.key)).toEqual(['communes', 'meets:all-ntm', 'level:all-ntm', 'meets:nang-cao', 'level:nang-cao', 'recognised:ntm']);
    const meets = out.find((x) => x.key === 'meets:all-ntm')!;
    expect([meets.value, meets.of?.count, meets.share]).toEqual([40, 250, 16]);
    expect(meets.note?.vi).toContain('2 bộ tiêu chí');
    expect(out.find((x) => x.key === 'level:all-ntm')).toMatchObject({ value: 39, of: { count: 250 }, share: 15.6 });
    expect(out.find((x) => x.key === 'meets:nang-cao')).toMatchObject({ value: 2, of: { count: 20 } });
  });

  it('a date before any list or criteria set is refused, naming the date in both languages', async () => {
    const r = await refusal(getNationalSummary(ctx.db, national, '1999-12-31'));
    expect(r.code).toBe('validation_failed');
    expect(r.message.vi).toContain('31/12/1999');
    expect(r.message.en).toContain('date');
    expect(JSON.stringify(r.details)).toContain('"field":"date"');
    expect(earliestNationalDate() > '1999-12-31').toBe(true);
  });

  it('a province office is refused (forbidden); the central office and administrators read it', async () => {
    expect((await refusal(getNationalSummary(ctx.db, actorWith('province_office', DEMO_PROVINCE_AFTER), '2026-12-03'))).code).toBe('forbidden');
    expect((await refusal(getNationalSummary(ctx.db, actorWith('viewer', null), '2026-12-03'))).code).toBe('forbidden');
    expect((await getNationalSummary(ctx.db, actorWith('admin', null), '2026-12-03')).provinces).toHaveLength(34);
  }, 60_000);

  it('the Excel summary and the Word report for VN: the provinces ranked, the same denominator; a province office is refused', async () => {
    const s = await getNationalSummary(ctx.db, national, '2026-12-03');
    const xlsx = await exportReport(ctx.db, { kind: 'summary', unitIds: ['VN'], date: '2026-12-03' }, 'xlsx', national);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('Theo tỉnh')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const data = rows.filter((r) => typeof r[0] === 'number');
    expect(data).toHaveLength(34);
    expect(data.map((r) => r[1])).toEqual(s.provinces.map((p) => p.fullName));
    expect(sum(data.map((r) => r[2] as number))).toBe(s.denominator.communes);
    const docx = await exportReport(ctx.db, { kind: 'summary', unitIds: ['VN'], date: '2026-12-03' }, 'docx', national);
    const xml = strFromU8(unzipSync(new Uint8Array(docx.body))['word/document.xml']!);
    const lower = xml.toLowerCase();
    for (const text of ['văn phòng điều phối nông thôn mới trung ương báo cáo', 'trên địa bàn cả nước', 'kết quả theo tỉnh, thành phố', 'tỉnh ninh bình']) expect(lower.includes(text), text).toBe(true);
    expect((await refusal(exportReport(ctx.db, { kind: 'summary', unitIds: ['VN'], date: '2026-12-03' }, 'xlsx', actorWith('province_office', DEMO_PROVINCE_AFTER)))).code).toBe('forbidden');
  }, 120_000);

  it('HTTP: GET /api/v1/units/VN/summary for trunguong; 403 for a province office, 400 for an early date, 404 for an unknown unit', async () => {
    const tw = await login(app, 'trunguong', DEMO_PASSWORD);
    const ok = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03', headers: tw });
    expect(ok.statusCode).toBe(200);
    const body = ok.json() as NationalSummary;
    expect(body.provinces).toHaveLength(34);
    expect(body.denominator.communes).toBe(sum(body.provinces.map((p) => p.denominator)));
    const again = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03', headers: tw });
    expect(again.body).toBe(ok.body);
    // A browser asks for gzip: the same answer, compressed (once per data revision).
    const zipped = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03', headers: { ...tw, 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(ok.body);
    expect(zipped.rawPayload.length).toBeLessThan(ok.body.length / 3);
    const plain = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03', headers: { ...tw, 'accept-encoding': 'gzip;q=0, identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(ok.body);
    const old = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2024-12-31', headers: tw });
    expect((old.json() as NationalSummary).provinces).toHaveLength(63);

    const early = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=1999-12-31', headers: tw });
    expect(early.statusCode).toBe(400);
    const err = early.json() as { error: { code: string; message: string; message_vi: string } };
    expect(err.error.code).toBe('validation_failed');
    expect(err.error.message_vi).toContain('31/12/1999');
    expect(err.error.message).toContain('1999-12-31');

    const bad = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-13-45', headers: tw });
    expect(bad.statusCode).toBe(400);

    const province = await signIn(app, { role: 'province_office', unitId: DEMO_PROVINCE_AFTER });
    const refused = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03', headers: province });
    expect(refused.statusCode).toBe(403);
    expect((refused.json() as { error: { code: string } }).error.code).toBe('forbidden');

    // The trend is its own request, with the same grant; its last point is the summary's date.
    const trend = await app.inject({ method: 'GET', url: '/api/v1/units/VN/trend?date=2026-12-03', headers: tw });
    expect(trend.statusCode).toBe(200);
    const points = (trend.json() as { points: Array<{ date: string; reviewed: number; denominator: number }> }).points;
    expect(points.at(-1)).toMatchObject({ date: '2026-12-03', reviewed: body.reviewed, denominator: body.denominator.communes });
    expect((await app.inject({ method: 'GET', url: '/api/v1/units/VN/trend?date=2026-12-03', headers: province })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/units/VN/trend?date=1999-12-31', headers: tw })).statusCode).toBe(400);

    const unknown = await app.inject({ method: 'GET', url: '/api/v1/units/99999@2025-07/summary?date=2026-12-03', headers: tw });
    expect(unknown.statusCode).toBe(404);

    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/units/VN/summary?date=2026-12-03' });
    expect([401, 403]).toContain(anonymous.statusCode);

    // The central office reads a province's summary too, and lands on the country page.
    const nb = await app.inject({ method: 'GET', url: `/api/v1/units/${DEMO_PROVINCE_AFTER}/summary?date=2026-12-03`, headers: tw });
    expect(nb.statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: tw });
    expect((me.json() as { user: { landing: unknown } }).user.landing).toEqual({ kind: 'national', role: 'national_office' });
  }, 120_000);
});
