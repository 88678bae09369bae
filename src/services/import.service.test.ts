/**
 * Excel in, on both databases, with real files: a template is downloaded, filled the way an officer
 * would (opened and saved by a spreadsheet library), imported — dry run, then all or nothing —
 * and exported again; hand-made sheets with unaccented headers; every problem named by sheet and
 * cell; re-importing changes nothing; drafts updated, submitted reviews refused.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { IndicatorValue } from '../domain/criteria.ts';
import { isDomainError, type DomainError } from '../domain/errors.ts';
import { ExcelJS } from '../files/xlsx-style.ts';
import { readXlsx, type XlsxEvent } from '../files/imports/xlsx-reader.ts';
import { MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, MATRIX_SHEET } from '../files/imports/template.ts';
import { DEMO_SET, demoValues } from '../test-support/report-fixtures.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import { ScopeResolver } from './access.service.ts';
import { templateBuffer } from './import-template.service.ts';
import { importWorkbook } from './import.service.ts';
import type { ImportProblem } from '../files/imports/review-sheet.ts';
import { createReview, getReview, getValueHistory, listReviewsForUnit, submitReview } from './review.service.ts';
import { exportReport } from './report.service.ts';
import { listAlerts } from './revocation-alert.service.ts';

const officer: Actor = { id: 'can-bo-xa', source: 'web', ip: '127.0.0.1' };
const DATE = '2023-03-20';

async function wb(buf: Buffer): Promise<ExcelJS.Workbook> {
  const w = new ExcelJS.Workbook();
  await w.xlsx.load(buf as unknown as ArrayBuffer);
  return w;
}

async function save(w: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await w.xlsx.writeBuffer());
}

/** Type values into a template's matrix row for a commune, as an officer would. */
async function fill(template: Buffer, byCode: Record<string, Record<string, IndicatorValue>>, date?: Date): Promise<Buffer> {
  const w = await wb(template);
  const ws = w.getWorksheet(MATRIX_SHEET)!;
  const header = ws.getRow(MATRIX_HEADER_ROW).values as unknown[];
  ws.eachRow((row, n) => {
    if (n < MATRIX_FIRST_ROW) return;
    const values = byCode[String(row.getCell(2).value)];
    if (!values) return;
    if (date) row.getCell(5).value = date;
    header.forEach((h, col) => {
      if (typeof h !== 'string') return;
      const m = /^(\S+)(?: \((tử số|mẫu số)\))?$/.exec(h);
      if (!m || !(m[1]! in values)) return;
      const v = values[m[1]!];
      let cell: string | number | null = null;
      if (m[2] === 'tử số') cell = typeof v === 'object' && v ? v.numerator : null;
      else if (m[2] === 'mẫu số') cell = typeof v === 'object' && v ? v.denominator : null;
      else if (typeof v === 'boolean') cell = h === 'has_traditional_craft' ? (v ? 'Có' : 'Không') : v ? 'Đạt' : 'Không đạt';
      else if (typeof v === 'number' || typeof v === 'string') cell = v;
      row.getCell(col).value = cell;
    });
  });
  return save(w);
}

/** A sheet typed by hand: rows of cells, first row the header. */
async function handMade(rows: unknown[][], sheet = 'Số liệu'): Promise<Buffer> {
  const w = new ExcelJS.Workbook();
  const ws = w.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return save(w);
}

async function expectError(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    expect(e.code).toBe(code);
    return e;
  }
  throw new Error(`expected ${code}`);
}

function find(problems: ImportProblem[], code: string, cell?: string): ImportProblem {
  const p = problems.find((x) => x.code === code && (cell === undefined || x.cell === cell));
  if (!p) throw new Error(`no ${code}${cell ? ` at ${cell}` : ''} in ${JSON.stringify(problems.map((x) => `${x.code}@${x.cell}`))}`);
  expect(p.message.vi.length).toBeGreaterThan(10);
  expect(p.message.en.length).toBeGreaterThan(10);
  return p;
}

describeEachDialect('Excel import', (ctx) => {
  let trangAn = '';
  let binhNghia = '';
  let district = '';
  let province = '';
  const count = async () => Number((await ctx.db.kysely.selectFrom('review').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const audits = async () => Number((await ctx.db.kysely.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    const t = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    trangAn = t.id;
    district = t.parent_id!;
    province = t.province_id!;
    binhNghia = (await insertCommune(ctx.db.kysely, { code: '13513', name: 'Bình Nghĩa' })).id;
    // Two communes named Tân Hòa, in different districts of the province.
    await insertCommune(ctx.db.kysely, { code: '13520', name: 'Tân Hòa' });
    await insertCommune(ctx.db.kysely, { code: '13606', name: 'Tân Hòa', districtCode: '353', districtName: 'Lý Nhân' });
  });

  it('imports a filled template; exporting gives back the same values and Vietnamese text', async () => {
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [district], date: DATE });
    expect(t.communes).toBe(3);
    const values = demoValues(DATE, ['5.4', '15.3'], 'trang-an');
    values['15.3'] = 'hoàn thành';
    values.has_traditional_craft = true;
    const file = await fill(t.body, { '13510': values });
    const dry = await importWorkbook(ctx.db, officer, { buffer: file }, { dryRun: true, fileName: 'Tràng An.xlsx' });
    expect(dry.problems).toEqual([]);
    expect(dry.source).toBe('template');
    expect(dry.counts).toMatchObject({ rows: 1, create: 1, skipped: 2 });
    const before = await count();
    const done = await importWorkbook(ctx.db, officer, { buffer: file }, { fileName: 'Tràng An.xlsx' });
    expect(done.committed).toBe(true);
    expect(await count()).toBe(before + 1);
    const group = (await listReviewsForUnit(ctx.db, trangAn))[0]!;
    const review = await getReview(ctx.db, group.reviews[0]!.id);
    expect(review.status).toBe('draft');
    expect(Object.fromEntries(review.values.map((v) => [v.code, v.value]))).toEqual(values);
    expect(review.evaluation.totals.indicatorsTotal).toBe(75);
    // Export the detail and read it back: the same values, the same Vietnamese text.
    const out = await exportReport(ctx.db, { kind: 'commune-detail', unitIds: [trangAn], date: DATE, reviewId: review.id }, 'xlsx');
    const rows: Array<Extract<XlsxEvent, { kind: 'row' }>> = [];
    for (const e of readXlsx(new Uint8Array(out.body))) if (e.kind === 'row') rows.push(e);
    const byCode = new Map(rows.map((r) => [r.cells[0], r.cells]));
    expect(byCode.get('15.3')![6]).toBe('hoàn thành');
    expect(byCode.get('2.4')![6]).toBe(values['2.4']);
    expect(byCode.get('1.1')![6]).toBe(values['1.1'] ? 'Đạt' : 'Không đạt');
    const ratio = values['12.3'] as { numerator: number; denominator: number };
    expect(byCode.get('12.3')![6]).toBe(`${ratio.numerator}/${ratio.denominator}`);
    expect(rows[0]!.cells[0]).toBe('KẾT QUẢ ĐÁNH GIÁ TỪNG CHỈ TIÊU — XÃ TRÀNG AN');
    expect(rows.some((r) => r.cells[1] === 'Tiêu chí 13. Tổ chức sản xuất và phát triển kinh tế nông thôn')).toBe(true);
  });

  it('records one import with the file hash, and re-importing the same file changes nothing', async () => {
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [binhNghia], date: DATE });
    const file = await fill(t.body, { '13513': demoValues(DATE, [], 'binh-nghia') });
    const first = await importWorkbook(ctx.db, officer, { buffer: file }, {});
    expect(first.counts.create).toBe(1);
    const imports = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('entity', '=', 'import').where('entity_id', '=', first.fileHash).execute();
    expect(imports).toHaveLength(1);
    expect(imports[0]!.source).toBe('import');
    expect(JSON.parse(imports[0]!.after_json!)).toMatchObject({ sha256: first.fileHash, created: 1 });
    const perReview = await ctx.db.kysely.selectFrom('audit_event').select('action').where('unit_id', '=', binhNghia).where('action', '=', 'review.create').execute();
    expect(perReview).toHaveLength(1);
    const [reviewsBefore, auditsBefore] = [await count(), await audits()];
    const again = await importWorkbook(ctx.db, officer, { buffer: file }, {});
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 1 });
    expect(again.committed).toBe(true);
    expect(await count()).toBe(reviewsBefore);
    expect(await audits()).toBe(auditsBefore);
  });

  it('updates a draft with the changed values (history kept) and refuses to change a submitted review, naming the row', async () => {
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [binhNghia], date: DATE });
    const values = demoValues(DATE, [], 'binh-nghia');
    const changed = { ...values, '2.4': 91.5 };
    const upd = await importWorkbook(ctx.db, officer, { buffer: await fill(t.body, { '13513': changed }) }, {});
    expect(upd.counts).toMatchObject({ create: 0, update: 1 });
    expect(upd.rows[0]).toMatchObject({ action: 'update', changed: 1 });
    const id = upd.rows[0]!.reviewId!;
    const history = await getValueHistory(ctx.db, id, '2.4');
    expect(history.map((h) => [h.seq, h.value])).toEqual([
      [2, 91.5],
      [1, values['2.4']],
    ]);
    expect(history[0]!.source).toBe('import');
    const r = await getReview(ctx.db, id);
    await submitReview(ctx.db, SYSTEM_ACTOR, id, { version: r.version });
    const dry = await importWorkbook(ctx.db, officer, { buffer: await fill(t.body, { '13513': { ...changed, '2.4': 88 } }) }, { dryRun: true });
    const p = find(dry.problems, 'submitted_review', `B${MATRIX_FIRST_ROW}`);
    expect(p.message.vi).toContain(`dòng ${MATRIX_FIRST_ROW}`);
    expect(p.message.vi).toContain('Xã Bình Nghĩa');
    expect(p.message.en).toContain('2.4');
    await expectError(importWorkbook(ctx.db, officer, { buffer: await fill(t.body, { '13513': { ...changed, '2.4': 88 } }) }, {}), 'validation_failed');
    // The same values as submitted: unchanged, not an error.
    const same = await importWorkbook(ctx.db, officer, { buffer: await fill(t.body, { '13513': changed }) }, { dryRun: true });
    expect(same.errors).toBe(0);
    expect(same.counts.unchanged).toBe(1);
  });

  it('lists every problem of a hand-made sheet with its sheet, cell, value and a bilingual message', async () => {
    const file = await handMade([
      ['STT', 'Tên xã', 'Huyện', 'Ngày rà soát', '2.4', '5.4', '12.3 (tử số)', '12.3 (mẫu số)', '99.9', 'Ghi chú', 'Người lập'],
      [1, 'Tràng An', 'Bình Lục', '21/03/2023', 'chín mươi', 'mức 9', 60, 50, null, 'x', 'An'],
      [2, 'Xã Không Có', 'Bình Lục', '21/03/2023', 95],
      [3, 'Tân Hòa', null, '21/03/2023', 95],
      [4, 'Bình Nghĩa', 'Bình Lục', '01/01/2030', 95],
      [5, 'Bình Nghĩa', 'Bình Lục', '21/03/2023', 120, null, 40],
      [6, 'Trang An', 'Binh Luc', '21/03/2023', 95],
    ]);
    const before = await count();
    const r = await importWorkbook(ctx.db, officer, { buffer: file }, { dryRun: true, setId: DEMO_SET });
    expect(r.source).toBe('hand-made');
    const P = r.problems;
    expect(find(P, 'wrong_kind', 'E2')).toMatchObject({ sheet: 'Số liệu', value: 'chín mươi', row: 2, severity: 'error' });
    expect(find(P, 'wrong_kind', 'F2').message.vi).toContain('"mức 2"');
    expect(find(P, 'out_of_range', 'G2').message.en).toContain('numerator');
    expect(find(P, 'unknown_indicator', 'I1').value).toBe('99.9');
    expect(find(P, 'ignored_column', 'K1').severity).toBe('warning');
    expect(find(P, 'unknown_unit', 'B3').message.vi).toContain('Xã Không Có');
    // The list and the set by the words a person reads, not their ids (issue 14.5).
    expect(find(P, 'unknown_unit', 'B3').message.vi).toContain('danh mục đơn vị hành chính trước 1/7/2025');
    expect(find(P, 'unknown_unit', 'B3').message.vi).not.toContain('2025-03');
    expect(find(P, 'date_outside_set_validity', 'D5').message.vi).toContain(getCatalog().get(DEMO_SET).name);
    expect(find(P, 'date_outside_set_validity', 'D5').message.vi).not.toContain(DEMO_SET);
    const ambiguous = find(P, 'ambiguous_unit', 'B4');
    expect(ambiguous.message.vi).toContain('13520');
    expect(ambiguous.message.vi).toContain('13606');
    expect(ambiguous.message.vi).toContain('Huyện Lý Nhân');
    expect(ambiguous.message.en).toContain('2 communes are named "Tân Hòa"');
    expect(find(P, 'date_outside_set_validity', 'D5').message.vi).toContain('01/01/2030');
    expect(find(P, 'out_of_range', 'E6').message.vi).toContain('0 đến 100');
    expect(find(P, 'incomplete_ratio', 'G6').message.en).toContain('12.3');
    expect(find(P, 'duplicate_row', 'B7').message.vi).toContain('Số liệu!B2');
    expect(r.errors).toBe(P.filter((p) => p.severity === 'error').length);
    expect(r.rows.find((x) => x.row === 2)?.action).toBe('error');
    // All or nothing: the same file committed writes nothing.
    const e = await expectError(importWorkbook(ctx.db, officer, { buffer: file }, { setId: DEMO_SET }), 'validation_failed');
    expect((e.details?.problems as unknown[]).length).toBe(P.length);
    expect(await count()).toBe(before);
  });

  it('never loses data silently: a deleted header, values under a blank header, 0.95 in a percent cell, an extra sheet, a wrong code, a merged cell', async () => {
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [district], date: DATE });
    const values = demoValues(DATE, [], 'silent');
    const w = await wb(await fill(t.body, { '13510': values, '13513': values }));
    const ws = w.getWorksheet(MATRIX_SHEET)!;
    const header = ws.getRow(MATRIX_HEADER_ROW);
    // The header of 2.4 is deleted: its column keeps every commune's values but names no indicator.
    let col24 = 0;
    header.eachCell((c, n) => {
      if (c.value === '2.4') col24 = n;
    });
    expect(col24).toBeGreaterThan(0);
    header.getCell(col24).value = null;
    // A percentage typed as a fraction.
    let percentCol = 0;
    const set = getCatalog().get(DEMO_SET);
    const percent = set.criteria.flatMap((c) => c.indicators).find((i) => i.kind === 'percent' && i.code !== '2.4')!;
    header.eachCell((c, n) => {
      if (c.value === percent.code) percentCol = n;
    });
    const row = ws.getRow(MATRIX_FIRST_ROW);
    const code = String(row.getCell(2).value);
    row.getCell(percentCol).value = '0.95';
    // A wrong commune code on the second row (13513 → 13514), its name kept.
    const second = ws.getRow(MATRIX_FIRST_ROW + 1);
    const secondName = String(second.getCell(3).value);
    second.getCell(2).value = '13514';
    // Two cells of the second commune merged: Excel kept only the first one's value.
    ws.mergeCells(MATRIX_FIRST_ROW + 1, percentCol, MATRIX_FIRST_ROW + 1, percentCol + 1);
    const mergedRange = `${ws.getColumn(percentCol).letter}${MATRIX_FIRST_ROW + 1}:${ws.getColumn(percentCol + 1).letter}${MATRIX_FIRST_ROW + 1}`;
    // An extra sheet: a copy of the data sheet.
    const copy = w.addWorksheet('Bản sao');
    ws.eachRow((r, n) => {
      copy.getRow(n).values = r.values as ExcelJS.CellValue[];
    });
    const before = await count();
    const r = await importWorkbook(ctx.db, officer, { buffer: await save(w) }, { dryRun: true });
    const P = r.problems;
    const missing = find(P, 'missing_column');
    expect(missing).toMatchObject({ severity: 'error', sheet: MATRIX_SHEET, value: '2.4' });
    expect(missing.message.vi).toContain('2.4');
    const blank = find(P, 'unnamed_column');
    expect(blank.cell).toMatch(new RegExp(`^[A-Z]+${MATRIX_FIRST_ROW}$`));
    expect(blank.message.en).toContain('no header');
    const fraction = find(P, 'percent_as_fraction');
    expect(fraction).toMatchObject({ severity: 'warning', value: '0.95' });
    expect(fraction.message.vi).toContain('95');
    const wrong = find(P, 'unknown_unit', `B${MATRIX_FIRST_ROW + 1}`);
    expect(wrong.message.vi).toContain('Có phải');
    expect(wrong.message.vi).toContain(secondName.replace(/^Xã /, ''));
    // Read through the parse worker: the merged range is named, with what to do.
    expect(find(P, 'merged_cells', mergedRange)).toMatchObject({ severity: 'error', sheet: MATRIX_SHEET });
    expect(find(P, 'merged_cells', mergedRange).message.vi).toContain('bỏ gộp ô và nhập từng giá trị');
    const dup = P.find((p) => p.code === 'duplicate_sheet' && p.sheet === 'Bản sao');
    expect(dup, JSON.stringify(P.map((p) => p.code))).toBeDefined();
    expect(dup!.message.vi).toContain('trang thừa');
    expect(P.some((p) => p.code === 'duplicate_row')).toBe(false);
    expect(code).toBe('13510');
    expect(await count()).toBe(before);
  });

  it('maps a hand-made sheet whose Vietnamese headers have no accents, and matches communes by name and district', async () => {
    const set = getCatalog().get(DEMO_SET);
    const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    const codes = ['1.1', '2.4', '9.2', '10', '15.3'];
    const names = codes.map((c) => plain(set.criteria.flatMap((x) => x.indicators).find((i) => i.code === c)!.name));
    const values = demoValues('2024-06-30', [], 'tan-hoa');
    const file = await handMade(
      [
        ['TEN XA', 'HUYEN', 'NGAY RA SOAT', ...names],
        ['Tan Hoa', 'Ly Nhan', '30/06/2024', values['1.1'] ? 'dat' : 'khong dat', String(values['2.4']).replace('.', ','), 0, values['10'], 'hoan thanh tot'],
      ],
      'Bao cao xa',
    );
    const r = await importWorkbook(ctx.db, officer, { buffer: file }, { dryRun: false, setId: DEMO_SET, status: 'submitted' });
    // A hand-made sheet may hold part of the set: the indicators it leaves out are named, as a warning.
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['missing_column', 'warning']]);
    expect(r.problems[0]!.message.vi).toContain(`${set.criteria.flatMap((c) => c.indicators).length - 5} chỉ tiêu`);
    expect(r.counts.create).toBe(1);
    expect(r.rows[0]).toMatchObject({ unitId: '13606@2025-03', reviewedOn: '2024-06-30', values: 5 });
    const review = await getReview(ctx.db, (await listReviewsForUnit(ctx.db, '13606@2025-03'))[0]!.reviews[0]!.id);
    expect(review.status).toBe('submitted');
    expect(Object.fromEntries(review.values.map((v) => [v.code, v.value]))).toEqual({ '1.1': values['1.1'], '2.4': values['2.4'], '9.2': 0, '10': values['10'], '15.3': 'hoàn thành tốt' });
  });

  it('imports one commune per sheet (the per-commune template)', async () => {
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [trangAn], date: '2023-09-30', layout: 'per-commune' });
    const w = await wb(t.body);
    const ws = w.getWorksheet('Tràng An')!;
    ws.eachRow((row) => {
      if (row.getCell(1).value === '2.4') row.getCell(6).value = 93.5;
      if (row.getCell(1).value === '12.3') {
        row.getCell(6).value = 45;
        row.getCell(7).value = 50;
      }
      if (row.getCell(1).value === '1.1') row.getCell(6).value = 'Không đạt';
    });
    const r = await importWorkbook(ctx.db, officer, { buffer: await save(w) }, {});
    expect(r.problems).toEqual([]);
    expect(r.sheets.find((s) => s.name === 'Tràng An')?.layout).toBe('per-commune');
    expect(r.rows[0]).toMatchObject({ unitId: trangAn, reviewedOn: '2023-09-30', action: 'create', values: 3 });
    const review = await getReview(ctx.db, (await listReviewsForUnit(ctx.db, trangAn))[0]!.reviews.find((x) => x.reviewedOn === '2023-09-30')!.id);
    expect(Object.fromEntries(review.values.map((v) => [v.code, v.value]))).toEqual({ '1.1': false, '2.4': 93.5, '12.3': { numerator: 45, denominator: 50 } });
  });

  it('creates reviews in bulk exactly as createReview does', async () => {
    const values = demoValues('2024-09-30', ['5.1', '17.2'], 'parity');
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [trangAn], date: '2024-09-30' });
    const r = await importWorkbook(ctx.db, SYSTEM_ACTOR, { buffer: await fill(t.body, { '13510': values }) }, { status: 'submitted' });
    const viaImport = await getReview(ctx.db, r.rows[0]!.reviewId ?? (await listReviewsForUnit(ctx.db, trangAn))[0]!.reviews.find((x) => x.reviewedOn === '2024-09-30')!.id);
    const viaService = await createReview(ctx.db, SYSTEM_ACTOR, { unitId: trangAn, setId: DEMO_SET, reviewedOn: '2024-09-29', values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])), status: 'submitted' });
    expect(viaImport.status).toBe(viaService.status);
    expect(viaImport.version).toBe(viaService.version);
    const vals = (r: typeof viaImport) => r.values.map((v) => [v.code, v.value, v.seq]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(vals(viaImport)).toEqual(vals(viaService));
    const strip = (e: typeof viaImport.evaluation) => ({ ...e, asOf: '', context: { ...e.context, year: 0 } });
    expect(strip(viaImport.evaluation)).toEqual(strip(viaService.evaluation));
  });

  it('runs the revocation rule on imported submitted reviews of a recognised commune', async () => {
    await ctx.db.kysely
      .insertInto('recognition')
      .values({ unit_id: trangAn, level: 'nang-cao', set_id: DEMO_SET, decision_no: '77/QĐ-UBND', decided_on: '2023-12-01', signer: null, note: null, is_demo: 0, created_at: new Date().toISOString() })
      .execute();
    const failing = getCatalog().get(DEMO_SET).criteria.slice(0, 10).map((c) => c.indicators[0]!.code);
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [trangAn], date: '2025-03-31' });
    await importWorkbook(ctx.db, SYSTEM_ACTOR, { buffer: await fill(t.body, { '13510': demoValues('2025-03-31', failing, 'parity') }) }, { status: 'submitted' });
    const alerts = await listAlerts(ctx.db, SYSTEM_ACTOR, { unitId: trangAn });
    expect(alerts.map((a) => [a.decisionNo, a.rule, a.reviewDate])).toEqual([['77/QĐ-UBND', 'share_50', '2025-03-31']]);
  });

  it('refuses files that are not workbooks, by their content', async () => {
    await expectError(importWorkbook(ctx.db, officer, { buffer: Buffer.from('STT,Tên xã\n1,Tràng An\n') }, { dryRun: true }), 'validation_failed');
    const { zipSync, strToU8 } = await import('fflate');
    const docx = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') }));
    const e = await expectError(importWorkbook(ctx.db, officer, { buffer: docx }, { dryRun: true }), 'validation_failed');
    expect(e.messageVi).toContain('không chứa bảng tính');
    const noSet = await expectError(importWorkbook(ctx.db, officer, { buffer: await handMade([['Tên xã', '2.4'], ['Tràng An', 90]]) }, { dryRun: true }), 'validation_failed');
    expect(noSet.message).toContain('criteria set');
  });

  it('refuses a template for a date outside the set, and rows of communes outside the officer\'s units', async () => {
    await expectError(templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [district], date: '2030-01-01' }), 'date_outside_set_validity');
    // A commune officer of Tràng An may not import Bình Nghĩa's values, nor download its template.
    const scoped: Actor = {
      id: 'can-bo-trang-an',
      source: 'web',
      access: { principal: { kind: 'user', userId: 1, username: 'can-bo-trang-an', grants: [{ role: 'commune_officer', unitId: trangAn, validFrom: null, validTo: null }] }, scopes: new ScopeResolver(), today: () => '2026-01-01' },
    };
    await expectError(templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [binhNghia], date: DATE }, { actor: scoped }), 'forbidden');
    const t = await templateBuffer(ctx.db, { setId: DEMO_SET, unitIds: [district], date: '2025-03-31' });
    const file = await fill(t.body, { '13510': demoValues('2025-03-31', [], 'a'), '13513': demoValues('2025-03-31', [], 'b') });
    const dry = await importWorkbook(ctx.db, scoped, { buffer: file }, { dryRun: true });
    expect(find(dry.problems, 'forbidden', `B${MATRIX_FIRST_ROW + 1}`).message.vi).toContain('Xã Bình Nghĩa');
    expect(dry.problems.filter((p) => p.code === 'forbidden')).toHaveLength(1);
    expect(province).toMatch(/@2025-03$/);
  });
});
