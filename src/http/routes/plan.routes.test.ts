/**
 * Decision support over HTTP (issue 15), on every dialect, signed in as the people who use it:
 * the province office sets default costs, the district office looks at the gaps, a commune's
 * priorities and the budget allocation, downloads the scenario (Excel and the one-page Word
 * note) and saves it as a meeting proposal; a commune officer may not do any of that for the
 * district. Data: two reviewed communes of huyện Bình Lục (one action plan each, province
 * defaults for what no plan covers) and one not reviewed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { spreadIndicators, submittedReview, TEST_SET_ID } from '../../test-support/committee.ts';
import { buildApp, type App } from '../app.ts';
import { signIn, testSecurity, type SignedIn } from '../../test-support/http.ts';
import { ExcelJS } from '../../files/xlsx-style.ts';

type Json = Record<string, any>;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DATE = '2023-03-20';
const M = 1_000_000;

describeEachDialect('decision support API', (ctx) => {
  let app: App;
  let trangAn = '';
  let binhNghia = '';
  let dongDu = '';
  let district = '';
  let province = '';
  let provinceOffice: SignedIn;
  let districtOffice: SignedIn;
  let communeOfficer: SignedIn;
  let trangAnOfficer: SignedIn;
  /** Unmet indicators of Tràng An (2) and Bình Nghĩa (3). */
  const trangAnUnmet = spreadIndicators(['5', '8'], 2);
  const binhNghiaUnmet = spreadIndicators(['2', '13', '17'], 3);

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as Json } : {}) });

  const auditCount = async (action: string) =>
    Number((await ctx.db.kysely.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    const t = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = t.id;
    district = t.parent_id!;
    province = t.province_id!;
    binhNghia = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' })).id;
    dongDu = (await insertCommune(ctx.db.kysely, { code: '13516', name: 'Đồng Du' })).id;
    await submittedReview(ctx.db, trangAn, DATE, trangAnUnmet);
    await submittedReview(ctx.db, binhNghia, DATE, binhNghiaUnmet);
    provinceOffice = await signIn(app, { role: 'province_office', unitId: province });
    districtOffice = await signIn(app, { role: 'district_office', unitId: district });
    communeOfficer = await signIn(app, { role: 'commune_officer', unitId: binhNghia });
    trangAnOfficer = await signIn(app, { role: 'commune_officer', unitId: trangAn });
    // Action plans: Tràng An plans both its indicators; Bình Nghĩa plans its first one.
    const plan = async (who: SignedIn, unitId: string, actions: Array<{ code: string; action: string; cost: number; targetOn: string }>) => {
      const p = await inject('POST', '/action-plans', who, { unitId, title: 'Kế hoạch 2023' });
      if (p.statusCode !== 201) throw new Error(`plan: ${p.statusCode} ${p.body}`);
      for (const a of actions) {
        const r = await inject('POST', `/action-plans/${p.json().id}/actions`, who, { criterionCode: a.code.split('.')[0], indicatorCode: a.code, action: a.action, estimatedCost: a.cost, targetOn: a.targetOn });
        if (r.statusCode !== 201) throw new Error(`action: ${r.statusCode} ${r.body}`);
      }
    };
    await plan(trangAnOfficer, trangAn, [
      { code: trangAnUnmet[0]!, action: 'Xây dựng 04 phòng học Trường Tiểu học Tràng An', cost: 1_200 * M, targetOn: '2023-10-31' },
      { code: trangAnUnmet[1]!, action: 'Nâng cấp điểm phục vụ bưu chính xã', cost: 350 * M, targetOn: '2023-08-31' },
    ]);
    await plan(communeOfficer, binhNghia, [{ code: binhNghiaUnmet[0]!, action: 'Cứng hóa 2,4 km đường trục thôn', cost: 2_150 * M, targetOn: '2023-11-30' }]);
  }, 180_000);
  afterAll(async () => app.close());

  const body = (over: Json = {}) => ({ unitId: district, date: DATE, budget: 5_000 * M, deadline: '2023-12-31', ...over });

  it('documents the routes in OpenAPI with their operation ids and binary responses, and declares an action on each', async () => {
    const doc = (await inject('GET', '/openapi.json')).json() as { paths: Record<string, Json> };
    expect(doc.paths['/api/v1/plans/allocation.xlsx']!.post.operationId).toBe('exportAllocationWorkbook');
    expect(doc.paths['/api/v1/plans/allocation.docx']!.post.operationId).toBe('exportAllocationNote');
    expect(doc.paths['/api/v1/plans/allocation.xlsx']!.post.responses['200'].content[XLSX].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(doc.paths['/api/v1/plans/allocation.docx']!.post.responses['200'].content[DOCX].schema).toMatchObject({ type: 'string', format: 'binary' });
    const mine = app.datchuan.routes.filter((r) => /\/plans\b|allocation-proposals/.test(r.url));
    expect(mine.length).toBeGreaterThanOrEqual(10);
    expect(mine.filter((r) => !r.action)).toEqual([]);
  });

  it('sets default costs: the province office only, optimistic (409 on a stale version), audited; a default can be removed', async () => {
    const put = (who: SignedIn, code: string, over: Json = {}) => inject('PUT', '/plans/cost-defaults', who, { unitId: province, setId: TEST_SET_ID, code, cost: 620 * M, days: 120, ...over });
    const before = await auditCount('cost_default.create');
    expect((await put(communeOfficer, binhNghiaUnmet[1]!)).statusCode).toBe(403);
    expect((await put(districtOffice, binhNghiaUnmet[1]!)).statusCode).toBe(403);
    const created = await put(provinceOffice, binhNghiaUnmet[1]!);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ code: binhNghiaUnmet[1], cost: 620 * M, days: 120, version: 1 });
    expect(await auditCount('cost_default.create')).toBe(before + 1);
    const stale = await put(provinceOffice, binhNghiaUnmet[1]!, { cost: 700 * M });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const changed = await put(provinceOffice, binhNghiaUnmet[1]!, { cost: 180 * M, days: 90, version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ cost: 180 * M, version: 2 });
    expect(await auditCount('cost_default.update')).toBeGreaterThanOrEqual(1);
    expect((await put(provinceOffice, binhNghiaUnmet[2]!, { cost: 620 * M, days: 200 })).statusCode).toBe(200);
    // A default for an indicator no commune needs, set and removed.
    const spare = spreadIndicators(['1'], 1)[0]!;
    expect((await put(provinceOffice, spare, { cost: 10 * M })).statusCode).toBe(200);
    const del = (who: SignedIn, version: number) => inject('DELETE', `/plans/cost-defaults?unitId=${encodeURIComponent(province)}&setId=${TEST_SET_ID}&code=${spare}&version=${version}`, who);
    expect((await del(communeOfficer, 1)).statusCode).toBe(403);
    expect((await del(provinceOffice, 2)).statusCode).toBe(409);
    const deleted = await auditCount('cost_default.delete');
    expect((await del(provinceOffice, 1)).statusCode).toBe(204);
    expect(await auditCount('cost_default.delete')).toBe(deleted + 1);
    const list = (await inject('GET', `/plans/cost-defaults?unitId=${encodeURIComponent(province)}&setId=${TEST_SET_ID}`, provinceOffice)).json() as Json;
    expect(list.filled).toBe(2);
    expect(list.items.find((i: Json) => i.code === spare).version).toBeNull();
  });

  it('ranks the communes by closeness to their next level, with the denominator and those not reviewed', async () => {
    const r = await inject('GET', `/plans/gaps?unitId=${encodeURIComponent(district)}&date=${DATE}`, districtOffice);
    expect(r.statusCode).toBe(200);
    const g = r.json() as Json;
    expect(g.denominator).toBe(3);
    expect(g.communes.map((c: Json) => c.name)).toEqual(['Tràng An', 'Bình Nghĩa']);
    expect(g.communes[0]).toMatchObject({ criteriaToGo: 2, indicatorsToGo: 2, pending: 0 });
    expect(g.communes[1]).toMatchObject({ criteriaToGo: 3, indicatorsToGo: 3 });
    expect(g.communes[0].unmet.map((u: Json) => u.code)).toEqual(trangAnUnmet);
    expect(g.notReviewed).toEqual([{ id: dongDu, name: 'Đồng Du' }]);
    expect(g.nearlyThere).toEqual([trangAn]);
    expect(g.nearlyThereLine.vi).toMatch(/1.*3/);
    expect((await inject('GET', `/plans/gaps?unitId=${encodeURIComponent(district)}&date=${DATE}`, communeOfficer)).statusCode).toBe(403);
  });

  it('gives a commune its priorities with the plan’s costs and the province defaults', async () => {
    const r = await inject('GET', `/plans/priorities?unitId=${encodeURIComponent(binhNghia)}&date=${DATE}&goal=cheapest`, communeOfficer);
    expect(r.statusCode).toBe(200);
    const p = r.json() as Json;
    expect(p.commune.id).toBe(binhNghia);
    expect(p.items.map((i: Json) => i.code).sort()).toEqual([...binhNghiaUnmet].sort());
    const bySource = Object.fromEntries(p.items.map((i: Json) => [i.code, i.estimate.source]));
    expect(bySource).toEqual({ [binhNghiaUnmet[0]!]: 'plan', [binhNghiaUnmet[1]!]: 'default', [binhNghiaUnmet[2]!]: 'default' });
    expect(p.knownCost).toBe((2_150 + 180 + 620) * M);
    expect(p.sentence.vi).toBeTruthy();
    expect((await inject('GET', `/plans/priorities?unitId=${encodeURIComponent(trangAn)}&date=${DATE}`, communeOfficer)).statusCode).toBe(403);
  });

  it('allocates the budget from the plans and defaults (MIP and greedy), with what-if marks', async () => {
    const r = await inject('POST', '/plans/allocation', districtOffice, body());
    expect(r.statusCode).toBe(200);
    const a = r.json() as Json;
    expect(a.candidates).toHaveLength(5);
    expect(a.result.status).toBe('optimal');
    // 5 000 triệu: Tràng An (1 550) and Bình Nghĩa (2 950) both reach their level.
    expect(a.result.communesReaching).toBe(2);
    expect(a.result.cost).toBe(4_500 * M);
    expect(a.result.summary.vi).toContain('2 xã đạt chuẩn');
    const small = (await inject('POST', '/plans/allocation', districtOffice, body({ budget: 2_000 * M }))).json() as Json;
    expect(small.result.reaching).toEqual([trangAn]);
    const whatIf = (await inject('POST', '/plans/allocation', districtOffice, body({ budget: 2_000 * M, fixed: { [binhNghia]: [binhNghiaUnmet[0]] } }))).json() as Json;
    expect(whatIf.result.communesReaching).toBe(1);
    expect(whatIf.input.communes.find((c: Json) => c.id === binhNghia).unmet).toEqual(binhNghiaUnmet.slice(1));
    expect((await inject('POST', '/plans/allocation', communeOfficer, body())).statusCode).toBe(403);
  });

  it('downloads the scenario as Excel and as the one-page Word note, with their types and file names; nothing audited', async () => {
    const audited = Number((await ctx.db.kysely.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const x = await inject('POST', '/plans/allocation.xlsx', districtOffice, body());
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toBe(XLSX);
    expect(x.headers['content-disposition']).toBe(`attachment; filename="phuong-an-phan-bo-huyen-binh-luc-${DATE}.xlsx"; filename*=UTF-8''phuong-an-phan-bo-huyen-binh-luc-${DATE}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tóm tắt', 'Hạng mục chọn', 'Xã', 'Không xét']);
    expect(wb.getWorksheet('Tóm tắt')!.getCell('B3').value).toBe('Huyện Bình Lục');
    const d = await inject('POST', '/plans/allocation.docx', districtOffice, body({ fixed: { [binhNghia]: [binhNghiaUnmet[0]] } }));
    expect(d.statusCode).toBe(200);
    expect(d.headers['content-type']).toBe(DOCX);
    expect(d.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="phuong-an-phan-bo-huyen-binh-luc-${DATE}\\.docx"`));
    const xml = strFromU8(unzipSync(new Uint8Array(d.rawPayload))['word/document.xml']!);
    expect(xml).toContain('Xây dựng 04 phòng học');
    expect(xml).toContain('giả định 1 chỉ tiêu đã được khắc phục');
    expect(xml).toContain('Nơi nhận:');
    expect(Number((await ctx.db.kysely.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(audited);
  });

  it('refuses the downloads to a user outside the unit (403) and bad input (400, naming the field in Vietnamese and English)', async () => {
    for (const url of ['/plans/allocation.xlsx', '/plans/allocation.docx']) {
      expect((await inject('POST', url, communeOfficer, body())).statusCode, url).toBe(403);
      expect((await inject('POST', url, {}, body())).statusCode, url).toBe(401);
      const zero = await inject('POST', url, districtOffice, body({ budget: 0 }));
      expect(zero.statusCode, url).toBe(400);
      const ze = zero.json().error;
      expect(ze.code).toBe('validation_failed');
      expect(ze.message_vi).toContain('Kinh phí phải là số đồng nguyên dương (nhận 0)');
      expect(ze.message).toContain('The budget must be a positive whole number of đồng (got 0)');
      expect(ze.details.fields[0].field).toBe('budget');
      const early = await inject('POST', url, districtOffice, body({ deadline: '2023-01-01' }));
      expect(early.statusCode, url).toBe(400);
      const ee = early.json().error;
      expect(ee.details.fields[0].field).toBe('deadline');
      expect(ee.message_vi).toContain('Thời hạn 01/01/2023 không sau ngày phân tích 20/03/2023');
      expect(ee.message).toContain('The deadline 2023-01-01 is not after the analysis date 2023-03-20');
    }
  });

  it('saves the allocation as a proposal on a committee meeting (audited) and lists it', async () => {
    const c = await inject('POST', '/committees', districtOffice, { unitId: district, name: 'Ban Chỉ đạo các chương trình MTQG huyện Bình Lục', periodFrom: '2020-10-01' });
    expect(c.statusCode).toBe(201);
    const m = await inject('POST', '/meetings', districtOffice, { committeeId: c.json().id, title: 'Phân bổ kinh phí năm 2023', heldOn: DATE, unitIds: [trangAn, binhNghia] });
    expect(m.statusCode).toBe(201);
    const meetingId = m.json().id as number;
    const before = await auditCount('allocation_proposal.create');
    expect((await inject('POST', `/meetings/${meetingId}/allocation-proposals`, communeOfficer, body())).statusCode).toBe(403);
    const saved = await inject('POST', `/meetings/${meetingId}/allocation-proposals`, districtOffice, body({ title: 'Phương án 5 tỷ' }));
    expect(saved.statusCode).toBe(201);
    const p = saved.json() as Json;
    expect(p).toMatchObject({ meetingId, unitId: district, title: 'Phương án 5 tỷ', asOf: DATE, deadline: '2023-12-31', budget: 5_000 * M });
    expect(p.result.communesReaching).toBe(2);
    expect(p.chosen).toHaveLength(5);
    expect(await auditCount('allocation_proposal.create')).toBe(before + 1);
    const untitled = await inject('POST', `/meetings/${meetingId}/allocation-proposals`, districtOffice, body({ budget: 2_000 * M }));
    expect(untitled.json().title).toBe('Phương án phân bổ 2.000 triệu đồng — Huyện Bình Lục');
    const list = await inject('GET', `/meetings/${meetingId}/allocation-proposals`, districtOffice);
    expect(list.statusCode).toBe(200);
    expect((list.json() as Json[]).map((x) => x.title)).toEqual(expect.arrayContaining(['Phương án 5 tỷ', 'Phương án phân bổ 2.000 triệu đồng — Huyện Bình Lục']));
  });
});
