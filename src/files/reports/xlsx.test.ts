/**
 * Spreadsheets as a spreadsheet program sees them: numbers are numbers, dates are dates, statuses a
 * symbol on a colour with a legend, frozen headers, autofilter, A4 landscape; templates with
 * validation on every input cell, locked headers and a very hidden metadata sheet; and the
 * streaming reader keeps Vietnamese text whole however the file is chunked.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { getCatalog } from '../../catalog/catalog.ts';
import { resolveTarget, targetContext } from '../../domain/targets.ts';
import { ExcelJS, LEGIBLE_WIDTH_PER_PAGE } from '../xlsx-style.ts';
import { tableFor } from './model.ts';
import { xlsxBuffer } from './xlsx.ts';
import { readXlsx, formatKind, type XlsxEvent } from '../imports/xlsx-reader.ts';
import { buildMatrixReport } from './builders/matrix.report.ts';
import { buildCommuneDetailReport } from './builders/commune.report.ts';
import { buildUnitSummaryReport } from './builders/unit-summary.report.ts';
import { META_SHEET, MATRIX_SHEET, MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, TEMPLATE_FORMAT, matrixColumns, writeTemplate, type TemplateSpec } from '../imports/template.ts';
import { DEMO_SET, demoValues, provinceSummary, trangAnInput } from '../../test-support/report-fixtures.ts';

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function xml(buf: Buffer, name: string): string {
  const files = unzipSync(new Uint8Array(buf));
  const f = files[name];
  if (!f) throw new Error(`${name} not in package: ${Object.keys(files).join(', ')}`);
  return strFromU8(f);
}

function events(buf: Buffer): XlsxEvent[] {
  return [...readXlsx(new Uint8Array(buf))];
}

async function template(spec: Partial<TemplateSpec> = {}): Promise<Buffer> {
  const set = getCatalog().get(DEMO_SET);
  const ctx = targetContext(set, { code: 'x', name: 'x', region: 'DBSH' }, 2023);
  const targets = new Map(set.criteria.flatMap((c) => c.indicators).map((i) => [i.code, resolveTarget(i.target, ctx)] as const));
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => pass.on('end', r));
  await writeTemplate(
    {
      set,
      setHash: getCatalog().hash(DEMO_SET),
      listId: '2025-03',
      date: '2023-03-20',
      layout: 'both',
      scopeName: 'Huyện Bình Lục',
      units: [
        { id: '13510@2025-03', code: '13510', name: 'Tràng An', fullName: 'Xã Tràng An', parentName: 'Huyện Bình Lục', targets },
        { id: '13513@2025-03', code: '13513', name: 'Bình Nghĩa', fullName: 'Xã Bình Nghĩa', parentName: 'Huyện Bình Lục', targets },
      ],
      prefill: (u) => (u.code === '13510' ? demoValues('2023-03-20') : undefined),
      generatedAt: '2026-01-01T00:00:00.000Z',
      demo: true,
      ...spec,
    },
    pass,
  );
  await done;
  return Buffer.concat(chunks);
}

describe('report spreadsheets', () => {
  it('writes the matrix with symbols on colours, a legend, real numbers and dates, frozen headers and A4 landscape', async () => {
    const buf = await xlsxBuffer(buildMatrixReport({ scopeName: 'Tỉnh Hà Nam', date: '2023-03-20', summaries: [provinceSummary()] }));
    const wb = await load(buf);
    const ws = wb.getWorksheet('Ma trận')!;
    expect(ws.getCell('A1').value).toBe('KẾT QUẢ ĐẠT CHUẨN TỪNG TIÊU CHÍ CỦA CÁC XÃ — TỈNH HÀ NAM');
    // Legend rows, then the header row.
    const texts = [] as string[];
    ws.eachRow((r) => texts.push(String(r.getCell(1).value ?? '')));
    expect(texts).toEqual(expect.arrayContaining(['✓', '✗', '?', '–']));
    let header = 0;
    ws.eachRow((r, n) => {
      if (r.getCell(1).value === 'STT') header = n;
    });
    expect(header).toBeGreaterThan(4);
    const row = ws.getRow(header + 1);
    const headers = ws.getRow(header).values as unknown[];
    const col = (title: string) => headers.indexOf(title);
    expect(row.getCell(col('Tên xã')).value).toBe('Tràng An');
    expect(row.getCell(col('Số tiêu chí đạt')).value).toBe(13);
    expect(typeof row.getCell(col('Số tiêu chí đạt')).value).toBe('number');
    const date = row.getCell(col('Ngày rà soát'));
    expect(date.value).toBeInstanceOf(Date);
    expect((date.value as Date).toISOString().slice(0, 10)).toBe('2023-03-20');
    expect(date.numFmt).toBe('dd/mm/yyyy');
    const c5 = row.getCell(col('TC 5'));
    expect(c5.value).toBe('✗');
    expect((c5.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((row.getCell(col('TC 1')).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFC6EFCE');
    expect(ws.getRow(header + 4).getCell(col('Tên xã')).value).toBe('Tiêu Động');
    expect(ws.getRow(header + 4).getCell(col('Mức đạt (đánh giá)')).value).toBe('Chưa rà soát');
    const sheet = xml(buf, 'xl/worksheets/sheet1.xml');
    expect(sheet).toMatch(new RegExp(`<pane xSplit="4" ySplit="${header}"[^>]*state="frozen"`));
    expect(sheet).toMatch(new RegExp(`<autoFilter ref="A${header}:[A-Z]+${header + 4}"`));
    expect(sheet).toMatch(/<pageSetup paperSize="9" orientation="landscape"/);
    expect(ws.getCell('A2').value).toMatch(/20\/03\/2023/);
  });

  it('writes a commune detail where numeric values stay numeric and unverified items are marked', async () => {
    const wb = await load(await xlsxBuffer(buildCommuneDetailReport(trangAnInput())));
    const ws = wb.getWorksheet('Chi tiết')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push(r.values as unknown[]));
    const r24 = rows.find((r) => r[1] === '2.4')!;
    expect(typeof r24[8]).toBe('number');
    expect(r24[2]).toMatch(/\(\*\)$/);
    expect(rows.some((r) => String(r[1] ?? '').includes('chưa được kiểm chứng'))).toBe(true);
  });

  it('writes the unit summary tables in the shapes provinces report', async () => {
    const r = buildUnitSummaryReport({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null });
    const wb = await load(await xlsxBuffer(r));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Chỉ số chung', 'Dưới 15 tiêu chí', 'Theo số tiêu chí', 'Theo tiêu chí', 'Danh sách xã']);
    const key: unknown[][] = [];
    wb.getWorksheet('Chỉ số chung')!.eachRow((row) => key.push(row.values as unknown[]));
    expect(key.find((v) => v[1] === 'Bình quân số tiêu chí đạt/xã')?.[2]).toBe(16);
    // Each share states its denominator on its own row.
    expect(key.find((v) => v[1] === 'Số xã đạt dưới 15 tiêu chí')?.slice(3, 6)).toEqual(['xã', 3, 'xã đã rà soát theo bộ 19 tiêu chí']);
    expect(key.find((v) => v[1] === 'Số xã đạt dưới 15 tiêu chí')?.[2]).toBe(1);
    const below: unknown[][] = [];
    wb.getWorksheet('Dưới 15 tiêu chí')!.eachRow((row) => below.push(row.values as unknown[]));
    expect(below.some((v) => v[2] === 'Tràng An' && v[5] === 13)).toBe(true);
    const bands = wb.getWorksheet('Theo số tiêu chí')!;
    const values: unknown[][] = [];
    bands.eachRow((row) => values.push(row.values as unknown[]));
    expect(values.find((v) => v[1] === 'Đạt 19 tiêu chí')?.[2]).toBe(1);
    expect(values.find((v) => v[1] === 'Từ 15 đến 18 tiêu chí')?.[2]).toBe(1);
    expect(values.find((v) => v[1] === 'Từ 10 đến 14 tiêu chí')?.[2]).toBe(1);
  });
});

describe('Excel for a clerk (issue 14.6)', () => {
  it('stores "13/19" as two numbers (met, total) in the summary\'s list of communes; Word keeps "13/19"', async () => {
    const r = buildUnitSummaryReport({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null });
    const wb = await load(await xlsxBuffer(r));
    const ws = wb.getWorksheet('Danh sách xã')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push(row.values as unknown[]));
    const header = rows.find((v) => v.includes('Số tiêu chí đạt'))!;
    const met = header.indexOf('Số tiêu chí đạt');
    expect(header.slice(met, met + 4)).toEqual(['Số tiêu chí đạt', 'Tổng số tiêu chí', 'Số chỉ tiêu đạt', 'Tổng số chỉ tiêu']);
    const trangAn = rows.find((v) => v.includes('Tràng An'))!;
    expect(trangAn.slice(met, met + 4).every((x) => typeof x === 'number')).toBe(true);
    expect(trangAn[met]).toBe(13);
    expect(trangAn[met + 1]).toBe(19);
    expect(rows.flat().some((x) => typeof x === 'string' && /^\d+\/\d+$/.test(x))).toBe(false);
    // The Word appendix prints the compact form.
    const docxTable = r.blocks.find((b) => b.type === 'table' && b.table.id === 'communes');
    if (docxTable?.type !== 'table') throw new Error('no communes table');
    const word = tableFor(docxTable.table, 'docx');
    expect(word.columns.map((c) => c.title.vi)).toContain('Số tiêu chí đạt');
    expect(word.columns.map((c) => c.title.vi)).not.toContain('Tổng số tiêu chí');
    expect(word.rows.some((row) => row.cells.includes('13/19'))).toBe(true);
  });

  it('numbers the printed pages of every sheet in the footer ("Trang 1/3")', async () => {
    // [workbook, sheets that are never printed (the template's very hidden metadata sheet)].
    const reports: Array<[Buffer, string[]]> = [
      [await xlsxBuffer(buildMatrixReport({ scopeName: 'Tỉnh Hà Nam', date: '2023-03-20', summaries: [provinceSummary()] })), []],
      [await xlsxBuffer(buildCommuneDetailReport(trangAnInput())), []],
      [await xlsxBuffer(buildUnitSummaryReport({ summary: provinceSummary(), unit: { type: 'Tỉnh', name: 'Hà Nam' }, parent: null })), []],
      [await template(), ['xl/worksheets/sheet1.xml']],
    ];
    for (const [buf, hidden] of reports) {
      const files = Object.keys(unzipSync(new Uint8Array(buf))).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n) && !hidden.includes(n));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(xml(buf, f), f).toMatch(/<oddFooter>[^<]*&amp;P[^<]*&amp;N[^<]*<\/oddFooter>/);
    }
  });

  it('prints the 80-odd-column template legibly: landscape, several pages across, commune columns and header rows repeated', async () => {
    const buf = await template();
    const wb = await load(buf);
    const ws = wb.getWorksheet(MATRIX_SHEET)!;
    expect(ws.columnCount).toBeGreaterThan(80);
    const units = (ws.columns ?? []).reduce((a, c) => a + (c.width ?? 9), 0);
    const sheetName = Object.keys(unzipSync(new Uint8Array(buf))).find((n) => /sheet3\.xml$/.test(n))!;
    const sheet = xml(buf, sheetName);
    expect(sheet).toMatch(/<pageSetup[^>]*orientation="landscape"/);
    expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"/);
    expect(sheet).toMatch(/<sheetPr[^>]*>[\s\S]*<pageSetUpPr fitToPage="1"/);
    const across = Number(/<pageSetup[^>]*fitToWidth="(\d+)"/.exec(sheet)![1]);
    const down = Number(/<pageSetup[^>]*fitToHeight="(\d+)"/.exec(sheet)![1]);
    expect(down).toBe(0);
    // Each page carries at most LEGIBLE_WIDTH_PER_PAGE width units: about 65 % or more.
    expect(across).toBeGreaterThanOrEqual(Math.ceil(units / LEGIBLE_WIDTH_PER_PAGE));
    expect(across).toBeGreaterThan(1);
    const wbXml = xml(buf, 'xl/workbook.xml');
    const titles = new RegExp(`<definedName name="_xlnm.Print_Titles" localSheetId="\\d+">([^<]*)</definedName>`).exec(wbXml)?.[1] ?? '';
    expect(titles).toContain(`$A:$C`);
    expect(titles).toContain(`$${MATRIX_HEADER_ROW}:$${MATRIX_FIRST_ROW - 1}`);
  });
});

describe('templates', () => {
  it('has a very hidden metadata sheet first, instructions, a matrix and one sheet per commune', async () => {
    const buf = await template();
    const wbXml = xml(buf, 'xl/workbook.xml');
    expect(wbXml).toMatch(new RegExp(`<sheet [^>]*name="${META_SHEET}"[^>]*state="veryHidden"`));
    const wb = await load(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual([META_SHEET, 'Hướng dẫn', MATRIX_SHEET, 'Tràng An', 'Bình Nghĩa']);
    const meta = wb.getWorksheet(META_SHEET)!;
    const kv = new Map<string, unknown>();
    meta.eachRow((r) => kv.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(kv.get('format')).toBe(TEMPLATE_FORMAT);
    expect(kv.get('setId')).toBe(DEMO_SET);
    expect(kv.get('setHash')).toBe(getCatalog().hash(DEMO_SET));
    expect(kv.get('listId')).toBe('2025-03');
    expect(kv.get('reviewedOn')).toBe('2023-03-20');
    const instructions: string[] = [];
    wb.getWorksheet('Hướng dẫn')!.eachRow((r) => instructions.push(String(r.getCell(2).value ?? '')));
    expect(instructions.join('\n')).toContain('HƯỚNG DẪN NHẬP SỐ LIỆU');
    expect(instructions.join('\n')).toContain('Tỷ lệ %: số từ 0 đến 100');
  });

  it('locks the headers, validates every input column, shows the targets and prefills values', async () => {
    const buf = await template();
    const sheet = xml(buf, 'xl/worksheets/sheet3.xml');
    expect(sheet).toMatch(/<sheetProtection [^>]*sheet="1"/);
    expect(sheet).toMatch(/<sheetProtection [^>]*sort="0"|<sheetProtection [^>]*autoFilter="0"/);
    const wb = await load(buf);
    const ws = wb.getWorksheet(MATRIX_SHEET)!;
    const cols = matrixColumns(getCatalog().get(DEMO_SET));
    const at = (code: string, part = 'value') => 6 + cols.findIndex((c) => c.code === code && c.part === part);
    expect(ws.getRow(MATRIX_HEADER_ROW).getCell(2).value).toBe('Mã xã');
    expect(ws.getRow(MATRIX_HEADER_ROW).getCell(at('2.4')).value).toBe('2.4');
    expect(ws.getRow(MATRIX_HEADER_ROW).getCell(at('12.3', 'numerator')).value).toBe('12.3 (tử số)');
    expect(ws.getRow(MATRIX_FIRST_ROW - 1).getCell(at('2.4')).value).toBe('≥ 90%');
    expect(ws.getRow(MATRIX_FIRST_ROW - 1).getCell(at('10')).value).toBe('≥ 64 triệu đồng/người/năm');
    // Headers locked, inputs not.
    expect(ws.getRow(MATRIX_HEADER_ROW).getCell(at('2.4')).protection?.locked).not.toBe(false);
    expect(ws.getRow(MATRIX_FIRST_ROW).getCell(2).protection?.locked).not.toBe(false);
    expect(ws.getRow(MATRIX_FIRST_ROW).getCell(at('2.4')).protection?.locked).toBe(false);
    expect(ws.getColumn(at('2.4')).style?.protection?.locked).toBe(false);
    // Prefilled values are numbers and texts; the second commune is left blank.
    expect(typeof ws.getRow(MATRIX_FIRST_ROW).getCell(at('2.4')).value).toBe('number');
    expect(ws.getRow(MATRIX_FIRST_ROW).getCell(at('1.1')).value).toBe('Đạt');
    expect(ws.getRow(MATRIX_FIRST_ROW + 1).getCell(at('2.4')).value).toBeNull();
    // Validation: lists for yes/no and grades, 0–100 for percents, whole ≥ 0 for counts, dates in the set's validity.
    const validations = (ws as unknown as { dataValidations: { find(address: string): unknown } }).dataValidations;
    const v = (code: string, part = 'value') => validations.find(`${ws.getColumn(at(code, part)).letter}${MATRIX_FIRST_ROW + 1}`) as ExcelJS.DataValidation;
    expect(v('1.1')).toMatchObject({ type: 'list', formulae: ['"Đạt,Không đạt"'] });
    expect(v('5.4')).toMatchObject({ type: 'list', formulae: ['"chưa đạt,mức 1,mức 2,mức 3"'] });
    expect(v('2.4')).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 100] });
    expect(v('9.2')).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0] });
    expect(v('12.3', 'denominator')).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual' });
    expect(v('has_traditional_craft', 'flag')).toMatchObject({ type: 'list', formulae: ['"Có,Không"'] });
    const dv = validations.find(`E${MATRIX_FIRST_ROW}`) as ExcelJS.DataValidation;
    expect(dv.type).toBe('date');
    expect(dv.error).toContain('01/01/2022 – 31/12/2025');
    // One sheet per commune: the commune's targets, the date cell, the value column.
    const sheet4 = wb.getWorksheet('Tràng An')!;
    expect(sheet4.getCell('B2').value).toBe('13510');
    expect((sheet4.getCell('B3').value as Date).toISOString().slice(0, 10)).toBe('2023-03-20');
    expect(sheet4.getCell('B3').protection?.locked).toBe(false);
  });

  it('is read back by the streaming reader, with Vietnamese text whole across inflated pieces', async () => {
    const buf = await template();
    const whole = events(buf);
    const sheets = whole.filter((e) => e.kind === 'sheet').map((e) => (e as { name: string }).name);
    expect(sheets).toEqual([META_SHEET, 'Hướng dẫn', MATRIX_SHEET, 'Tràng An', 'Bình Nghĩa']);
    const rows = whole.filter((e): e is Extract<XlsxEvent, { kind: 'row' }> => e.kind === 'row');
    const tranAn = rows.find((r) => r.cells[2] === 'Tràng An')!;
    expect(tranAn.number).toBe(MATRIX_FIRST_ROW);
    expect((tranAn.cells[4] as Date).toISOString().slice(0, 10)).toBe('2023-03-20');
    expect(rows.some((r) => r.cells.includes('Huyện Bình Lục'))).toBe(true);
    for (const r of rows) for (const c of r.cells) if (typeof c === 'string') expect(c).not.toContain('\ufffd');
  });

  it('knows date and percent number formats', () => {
    expect(formatKind('dd/mm/yyyy')).toBe('date');
    expect(formatKind('[$-42A]d mmmm yyyy')).toBe('date');
    expect(formatKind('0.0%')).toBe('percent');
    expect(formatKind('#,##0.00')).toBeNull();
    expect(formatKind('"Ngày "0')).toBeNull();
  });
});
