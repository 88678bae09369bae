/**
 * Reports from the database, on both: the figures of the summary report are the summary
 * service's, the national matrix covers every province, histories follow review dates, and each
 * report refuses what it cannot be (a Word matrix, a commune report of a province).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { isDomainError } from '../domain/errors.ts';
import { submittedReview } from '../test-support/committee.ts';
import { buildReport, exportReport, matrixReport } from './report.service.ts';
import { getUnitSummary } from './summary.service.ts';
import type { Table } from '../files/reports/model.ts';
import { getCatalog } from '../catalog/catalog.ts';

const tables = (blocks: Array<{ type: string; table?: Table }>) => blocks.filter((b) => b.type === 'table').map((b) => b.table!);

describeEachDialect('report exports', (ctx) => {
  let trangAn = '';
  let province = '';
  let otherProvince = '';

  beforeAll(async () => {
    const t = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = t.id;
    province = t.province_id!;
    await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' });
    const far = await insertCommune(ctx.db.kysely, { code: '00115', name: 'Tân Hòa', provinceCode: '01', provinceName: 'Hà Nội', districtCode: '018', districtName: 'Gia Lâm' });
    otherProvince = far.province_id!;
    await submittedReview(ctx.db, trangAn, '2022-12-20', ['5.1', '8.1', '13.1', '14.1', '15.1']);
    await submittedReview(ctx.db, trangAn, '2023-03-20', ['5.1', '8.1']);
    await submittedReview(ctx.db, far.id, '2023-03-20', []);
  });

  it('puts the summary service\'s figures in the summary report', async () => {
    const s = await getUnitSummary(ctx.db, province, '2023-03-20');
    const r = await buildReport(ctx.db, { kind: 'summary', unitIds: [province], date: '2023-03-20' });
    const key = tables(r.blocks).find((t) => t.id === 'key-figures')!;
    expect(key.rows.map((row) => row.cells[1])).toEqual(s.figures.map((f) => (f.decimals > 0 ? { t: 'number', v: f.value, decimals: f.decimals } : f.value)));
    const list = tables(r.blocks).find((t) => t.id === 'communes')!;
    expect(list.rows.map((row) => row.cells[1])).toEqual(s.communes.map((c) => c.name));
    expect(r.header?.issuingBody).toBe('ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM');
    expect(r.header?.place).toBe('Hà Nam');
  });

  it('makes the national matrix from every province valid on the date', async () => {
    const r = await matrixReport(ctx.db, ['all'], '2023-03-20');
    const rows = tables(r.blocks).flatMap((t) => t.rows);
    expect(rows.map((row) => row.cells[4]).sort()).toEqual(['Bình Nghĩa', 'Tràng An', 'Tân Hòa'].sort());
    expect(tables(r.blocks)[0]!.columns[1]!.key).toBe('province');
    expect(r.meta.unitName).toBe('Toàn quốc');
    const two = await matrixReport(ctx.db, [province, otherProvince], '2023-03-20');
    expect(tables(two.blocks).flatMap((t) => t.rows)).toHaveLength(3);
  });

  it('follows review dates in the history, for a province and for a commune', async () => {
    const p = await buildReport(ctx.db, { kind: 'history', unitIds: [province], date: '2023-12-31' });
    expect(tables(p.blocks)[0]!.rows.map((r) => r.cells[0])).toEqual(['2022-12-20', '2023-03-20']);
    const c = await buildReport(ctx.db, { kind: 'history', unitIds: [trangAn], date: '2023-12-31' });
    expect(tables(c.blocks)[0]!.rows.map((r) => r.cells[0])).toEqual(['2023-03-20', '2022-12-20']);
    // The set column names the set, never its id (issue 14.5).
    const setCells = tables(c.blocks)[0]!.rows.map((r) => r.cells[2]);
    expect(setCells.every((x) => typeof x === 'string' && x.startsWith('Bộ tiêu chí'))).toBe(true);
  });

  it('heads the matrix with the set\'s name, not its id (issue 14.5)', async () => {
    const r = await matrixReport(ctx.db, [province], '2023-03-20');
    const subtitle = tables(r.blocks)[0]!.subtitle!.join(' ');
    const setId = r.meta.setId!;
    expect(subtitle).toContain(getCatalog().get(setId).name);
    expect(subtitle).not.toContain(`(${setId})`);
  });

  it('names units as they were on the report date: "Huyện Kim Bảng" in 2023, "Thị xã Kim Bảng" from 2025 (issue 14.6)', async () => {
    const nguyenUy = await insertCommune(ctx.db.kysely, { code: '13387', name: 'Nguyễn Úy', districtCode: '350', districtName: 'Kim Bảng' });
    // The list of 1/3/2025 records the district as it is then: a thị xã since 1/1/2025.
    await ctx.db.kysely.updateTable('unit').set({ type: 'Thị xã', full_name: 'Thị xã Kim Bảng' }).where('id', '=', '350@2025-03').execute();
    await submittedReview(ctx.db, nguyenUy.id, '2023-03-20', ['5.1']);
    const list = (r: Awaited<ReturnType<typeof buildReport>>) => tables(r.blocks).find((t) => t.id === 'communes')!;
    const row = (r: Awaited<ReturnType<typeof buildReport>>) => list(r).rows.find((x) => x.cells[1] === 'Nguyễn Úy')!;
    const in2023 = await buildReport(ctx.db, { kind: 'summary', unitIds: [province], date: '2023-03-20' });
    expect(row(in2023).cells[2]).toBe('Huyện Kim Bảng');
    const in2025 = await buildReport(ctx.db, { kind: 'summary', unitIds: [province], date: '2025-03-01' });
    expect(row(in2025).cells[2]).toBe('Thị xã Kim Bảng');
    // The district's own report and the commune's documents of 2023 too.
    const district = await buildReport(ctx.db, { kind: 'summary', unitIds: ['350@2025-03'], date: '2023-03-20' });
    expect(district.header!.issuingBody).toBe('ỦY BAN NHÂN DÂN\nHUYỆN KIM BẢNG');
    expect(district.header!.summary).toContain('huyện Kim Bảng');
    const self = await buildReport(ctx.db, { kind: 'self-assessment', unitIds: [nguyenUy.id], date: '2023-03-20' });
    expect(self.header!.recipientsTo).toEqual(['Ủy ban nhân dân huyện Kim Bảng']);
    const detail = await buildReport(ctx.db, { kind: 'commune-detail', unitIds: [nguyenUy.id], date: '2023-03-20' });
    expect(tables(detail.blocks)[0]!.subtitle![0]).toBe('Xã Nguyễn Úy, Huyện Kim Bảng, Tỉnh Hà Nam');
    const matrix = await matrixReport(ctx.db, [province], '2023-03-20');
    expect(JSON.stringify(matrix)).not.toContain('Thị xã Kim Bảng');
  });

  it('refuses a report in a form it does not have, and a commune report of a province', async () => {
    for (const [kind, unit, format] of [
      ['matrix', province, 'docx'],
      ['self-assessment', province, 'docx'],
    ] as const) {
      try {
        await exportReport(ctx.db, { kind, unitIds: [unit], date: '2023-03-20' }, format);
        throw new Error('expected an error');
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe('validation_failed');
      }
    }
  });
});
