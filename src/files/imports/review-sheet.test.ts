/**
 * The review-sheet reader without a database: workbooks made in memory (a template written by
 * template.ts and filled the way an officer would, hand-made sheets typed by hand) read into
 * records and problems, each problem with its sheet, cell, value and a bilingual message.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { DEMO_SET } from '../../test-support/report-fixtures.ts';
import { ExcelJS } from '../xlsx-style.ts';
import { MATRIX_FIRST_ROW, MATRIX_HEADER_ROW, MATRIX_SHEET, writeTemplate, type TemplateLayout, type TemplateUnit } from './template.ts';
import { readXlsx } from './xlsx-reader.ts';
import { assertXlsx, readReviewWorkbook, type ImportProblem, type ParsedRecord, type WorkbookInfo } from './review-sheet.ts';

function source(buf: Uint8Array) {
  return readXlsx(buf);
}

async function read(buf: Uint8Array, setId?: string): Promise<{ info: WorkbookInfo; records: ParsedRecord[]; problems: ImportProblem[] }> {
  const { info, items } = readReviewWorkbook(source(buf), { setId });
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  for await (const item of items) {
    if (item.problem) problems.push(item.problem);
    else records.push(item.record);
  }
  return { info, records, problems };
}

/** A sheet typed by hand: rows of cells. */
async function handMade(rows: unknown[][], sheet = 'Số liệu'): Promise<Buffer> {
  const w = new ExcelJS.Workbook();
  const ws = w.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await w.xlsx.writeBuffer());
}

const UNITS: TemplateUnit[] = [
  { id: '13510@2025-03', code: '13510', name: 'Tràng An', fullName: 'Xã Tràng An', parentName: 'Huyện Bình Lục', targets: new Map() },
  { id: '13513@2025-03', code: '13513', name: 'Bình Nghĩa', fullName: 'Xã Bình Nghĩa', parentName: 'Huyện Bình Lục', targets: new Map() },
];

async function template(layout: TemplateLayout, setHash = getCatalog().hash(DEMO_SET)): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const set = getCatalog().get(DEMO_SET);
  await writeTemplate({ set, setHash, listId: '2025-03', date: '2023-03-20', layout, scopeName: 'Huyện Bình Lục', units: UNITS, generatedAt: '2026-01-01T00:00:00Z', demo: set.demo }, out);
  await ended;
  return Buffer.concat(chunks);
}

function find(problems: ImportProblem[], code: string, cell?: string): ImportProblem {
  const p = problems.find((x) => x.code === code && (cell === undefined || x.cell === cell));
  if (!p) throw new Error(`no ${code}${cell ? ` at ${cell}` : ''} in ${JSON.stringify(problems.map((x) => `${x.code}@${x.cell}`))}`);
  expect(p.message.vi.length).toBeGreaterThan(10);
  expect(p.message.en.length).toBeGreaterThan(10);
  return p;
}

async function caught(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('review sheets: the matrix layout (one commune per row)', () => {
  it('reads a hand-made sheet, naming every problem with its sheet, cell and value', async () => {
    const file = await handMade([
      ['STT', 'Tên xã', 'Huyện', 'Ngày rà soát', '2.4', '5.4', '12.3 (tử số)', '12.3 (mẫu số)', '99.9', 'Ghi chú', 'Người lập'],
      [1, 'Tràng An', 'Bình Lục', '21/03/2023', 'chín mươi', 'mức 9', 60, 50, null, 'x', 'An'],
      [2, 'Xã Không Có', 'Bình Lục', '21/03/2023', 95],
      [3, 'Bình Nghĩa', 'Bình Lục', 'hôm qua', 120, null, 40],
      [4, 'Trang An', 'Binh Luc', '21/03/2023', '95,5'],
    ]);
    const { info, records, problems } = await read(file, DEMO_SET);
    expect(info.meta).toBeNull();
    expect(info.index?.set.id).toBe(DEMO_SET);
    expect(info.sheets).toEqual([{ name: 'Số liệu', layout: 'matrix', rows: 4 }]);
    // Header problems come on their own; a cell's problems with its record.
    expect(find(problems, 'unknown_indicator', 'I1')).toMatchObject({ severity: 'error', sheet: 'Số liệu', row: 1, value: '99.9' });
    expect(find(problems, 'unknown_indicator', 'I1').message.vi).toContain(getCatalog().get(DEMO_SET).name);
    expect(find(problems, 'ignored_column', 'K1').severity).toBe('warning');
    expect(records.map((r) => [r.row, r.unit.name, r.unit.district, r.date.iso])).toEqual([
      [2, 'Tràng An', 'Bình Lục', '2023-03-21'],
      [3, 'Xã Không Có', 'Bình Lục', '2023-03-21'],
      [4, 'Bình Nghĩa', 'Bình Lục', null],
      [5, 'Trang An', 'Binh Luc', '2023-03-21'],
    ]);
    const [first, second, third, fourth] = records;
    expect(find(first!.problems, 'wrong_kind', 'E2')).toMatchObject({ value: 'chín mươi', row: 2, severity: 'error' });
    expect(find(first!.problems, 'wrong_kind', 'F2').message.vi).toContain('"mức 2"');
    expect(find(first!.problems, 'out_of_range', 'G2').message.en).toContain('numerator');
    expect(find(first!.problems, 'out_of_range', 'G2').message.vi).toMatch(/^Số liệu!G2: /);
    expect(second).toMatchObject({ values: { '2.4': 95 }, problems: [] });
    expect(find(third!.problems, 'invalid_date', 'D4').value).toBe('hôm qua');
    expect(find(third!.problems, 'out_of_range', 'E4').message.vi).toContain('0 đến 100');
    expect(find(third!.problems, 'incomplete_ratio', 'G4').message.en).toContain('12.3');
    expect(fourth!.values).toEqual({ '2.4': 95.5 });
  });

  it('maps headers written without diacritics, by indicator name', async () => {
    const set = getCatalog().get(DEMO_SET);
    const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    const names = ['1.1', '2.4', '15.3'].map((c) => plain(set.criteria.flatMap((x) => x.indicators).find((i) => i.code === c)!.name));
    const { records, problems } = await read(await handMade([['TEN XA', 'HUYEN', 'NGAY RA SOAT', ...names], ['Tan Hoa', 'Ly Nhan', '30/06/2024', 'dat', '91,5', 'hoan thanh tot']], 'Bao cao xa'), DEMO_SET);
    // Only three of the set's indicators: the rest are named once, as a warning.
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['missing_column', 'warning']]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ unit: { name: 'Tan Hoa', district: 'Ly Nhan' }, date: { iso: '2024-06-30' }, values: { '1.1': true, '2.4': 91.5, '15.3': 'hoàn thành tốt' }, problems: [] });
  });

  it("reads a filled template: its set, date and unit list from the hidden sheet, one record per commune row", async () => {
    const w = new ExcelJS.Workbook();
    await w.xlsx.load((await template('matrix')) as unknown as ArrayBuffer);
    // The instructions name the set and the unit list in words, not ids (issue 14.5).
    const notes: string[] = [];
    w.getWorksheet('Hướng dẫn')!.eachRow((row) => notes.push(String(row.getCell(2).value ?? '')));
    const about = notes.find((t) => t.startsWith('Thông tin mẫu'))!;
    expect(about).toContain(getCatalog().get(DEMO_SET).name);
    expect(about).toContain('danh mục đơn vị hành chính trước 1/7/2025');
    expect(about).not.toContain('ĐVHC 2025-03');
    const ws = w.getWorksheet(MATRIX_SHEET)!;
    const header = ws.getRow(MATRIX_HEADER_ROW).values as unknown[];
    ws.eachRow((row, n) => {
      if (n < MATRIX_FIRST_ROW || String(row.getCell(2).value) !== '13510') return;
      row.getCell(header.indexOf('2.4')).value = 93.5;
      row.getCell(header.indexOf('1.1')).value = 'Không đạt';
    });
    const { info, records, problems } = await read(Buffer.from(await w.xlsx.writeBuffer()));
    expect(problems).toEqual([]);
    expect(info.meta).toMatchObject({ setId: DEMO_SET, listId: '2025-03', reviewedOn: '2023-03-20' });
    expect([...info.meta!.units]).toEqual(UNITS.map((u) => u.id));
    expect(info.sheets.map((s) => [s.name, s.layout])).toEqual([
      ['_datchuan', 'meta'],
      ['Hướng dẫn', 'instructions'],
      [MATRIX_SHEET, 'matrix'],
    ]);
    expect(records.map((r) => [r.unit.code, r.values])).toEqual([
      ['13510', { '1.1': false, '2.4': 93.5 }],
      ['13513', {}],
    ]);
    // The template writes its date in each row's date cell.
    expect(records[0]!.date).toMatchObject({ iso: '2023-03-20', cell: `E${MATRIX_FIRST_ROW}` });
  });

  it('names a merged range in the data rows (its value would be lost or spread), not a merged title or grouped header', async () => {
    const w = new ExcelJS.Workbook();
    const ws = w.addWorksheet('Số liệu');
    ws.addRow(['BÁO CÁO RÀ SOÁT NÔNG THÔN MỚI']);
    ws.addRow([null, null, 'Tiêu chí 2', null]);
    ws.addRow(['Tên xã', 'Ngày rà soát', '2.4', '5.4']);
    ws.addRow(['Tràng An', '21/03/2023', 95, null]);
    ws.addRow(['Bình Nghĩa', '21/03/2023', 80, 'mức 3']);
    ws.mergeCells('A1:D1'); // the title
    ws.mergeCells('C2:D2'); // a grouped header above the codes
    ws.mergeCells('C4:D4'); // two indicators of one commune typed in one merged cell
    const { records, problems } = await read(Buffer.from(await w.xlsx.writeBuffer()), DEMO_SET);
    expect(records).toHaveLength(2);
    const merged = problems.filter((p) => p.code === 'merged_cells');
    expect(merged.map((p) => [p.sheet, p.cell, p.severity])).toEqual([['Số liệu', 'C4:D4', 'error']]);
    const p = find(problems, 'merged_cells', 'C4:D4');
    expect(p.message.vi).toContain('Số liệu!C4:D4');
    expect(p.message.vi).toContain('bỏ gộp ô và nhập từng giá trị');
    expect(p.message.en).toContain('Unmerge the cells and enter each value');
  });

  it('names a merged range in a filled template and on a one-commune sheet, the template headings left alone', async () => {
    const w = new ExcelJS.Workbook();
    await w.xlsx.load((await template('matrix')) as unknown as ArrayBuffer);
    const ws = w.getWorksheet(MATRIX_SHEET)!;
    const header = ws.getRow(MATRIX_HEADER_ROW).values as unknown[];
    const c24 = header.indexOf('2.4');
    const row = ws.getRow(MATRIX_FIRST_ROW);
    row.getCell(c24).value = 93.5;
    // The commune's value typed once across two rows (a merge down a column)…
    ws.mergeCells(MATRIX_FIRST_ROW, c24, MATRIX_FIRST_ROW + 1, c24);
    // …and a merge in the rows between the header and the first commune (headings): not data.
    ws.mergeCells(MATRIX_HEADER_ROW + 1, 1, MATRIX_HEADER_ROW + 1, 2);
    const L = ws.getColumn(c24).letter;
    const { problems } = await read(Buffer.from(await w.xlsx.writeBuffer()));
    expect(problems.filter((p) => p.code === 'merged_cells').map((p) => p.cell)).toEqual([`${L}${MATRIX_FIRST_ROW}:${L}${MATRIX_FIRST_ROW + 1}`]);

    const v = new ExcelJS.Workbook();
    await v.xlsx.load((await template('per-commune')) as unknown as ArrayBuffer);
    const sheet = v.getWorksheet('Tràng An')!;
    let last = 0;
    sheet.eachRow((_, n) => (last = n));
    sheet.mergeCells(`A1:C1`);
    sheet.mergeCells(`D${last - 1}:D${last}`);
    const vertical = await read(Buffer.from(await v.xlsx.writeBuffer()));
    expect(vertical.problems.filter((p) => p.code === 'merged_cells').map((p) => [p.sheet, p.cell])).toEqual([['Tràng An', `D${last - 1}:D${last}`]]);
  });

  it('warns when the template was made from another version of the set, or another set was chosen', async () => {
    const other = getCatalog().ids().find((id) => id !== DEMO_SET)!;
    const { info, problems } = await read(await template('matrix', 'an-older-hash'), other);
    expect(info.index?.set.id).toBe(DEMO_SET);
    expect(find(problems, 'set_changed')).toMatchObject({ severity: 'warning', sheet: '_datchuan' });
    expect(find(problems, 'unknown_set')).toMatchObject({ severity: 'warning' });
    // Both sets by their names, never their ids (issue 14.5).
    for (const code of ['set_changed', 'unknown_set']) {
      const vi = find(problems, code).message.vi;
      expect(vi).toContain(getCatalog().get(DEMO_SET).name);
      expect(vi).not.toContain(DEMO_SET);
    }
    expect(find(problems, 'unknown_set').message.vi).toContain(getCatalog().get(other).name);
  });
});

describe('review sheets: one commune per sheet', () => {
  it("reads a per-commune template sheet: the commune from the template, one value per indicator row", async () => {
    const w = new ExcelJS.Workbook();
    await w.xlsx.load((await template('per-commune')) as unknown as ArrayBuffer);
    const ws = w.getWorksheet('Tràng An')!;
    ws.eachRow((row) => {
      if (row.getCell(1).value === '2.4') row.getCell(6).value = 93.5;
      if (row.getCell(1).value === '12.3') {
        row.getCell(6).value = 45;
        row.getCell(7).value = 50;
      }
    });
    const { info, records, problems } = await read(Buffer.from(await w.xlsx.writeBuffer()));
    expect(problems).toEqual([]);
    expect(info.sheets.filter((s) => s.layout === 'per-commune').map((s) => s.name)).toEqual(['Tràng An', 'Bình Nghĩa']);
    expect(records.map((r) => [r.sheet, r.unit.unitId, r.values])).toEqual([
      ['Tràng An', '13510@2025-03', { '2.4': 93.5, '12.3': { numerator: 45, denominator: 50 } }],
      ['Bình Nghĩa', '13513@2025-03', {}],
    ]);
  });

  it('reads a hand-made sheet with a preamble and a "Giá trị" column, naming unknown codes', async () => {
    const file = await handMade(
      [
        ['Xã:', 'Tràng An'],
        ['Ngày rà soát:', '20/03/2023'],
        [],
        ['Mã', 'Chỉ tiêu', 'Giá trị', 'Mẫu số'],
        ['2.4', 'Tỷ lệ…', 95],
        ['12.3', 'Tỷ lệ…', 45, 50],
        ['12.3x', 'không phải mã', 1],
        ['99.9', 'Chỉ tiêu lạ', 5],
        ['1.1', 'Có quy hoạch', 'Đạt'],
      ],
      'Tràng An',
    );
    const { info, records, problems } = await read(file, DEMO_SET);
    expect(problems).toEqual([]);
    expect(info.sheets).toEqual([{ name: 'Tràng An', layout: 'per-commune', rows: 5 }]);
    expect(records).toHaveLength(1);
    const [rec] = records;
    expect(rec).toMatchObject({ unit: { name: 'Tràng An', cell: 'B1' }, date: { iso: '2023-03-20', cell: 'B2' }, values: { '2.4': 95, '12.3': { numerator: 45, denominator: 50 }, '1.1': true } });
    expect(find(rec!.problems, 'unknown_indicator', 'A8').value).toBe('99.9');
    expect(rec!.problems).toHaveLength(1);
  });
});

describe('review sheets: the file', () => {
  it('needs a set for a hand-made file, and a known one', async () => {
    const file = await handMade([
      ['Tên xã', '2.4'],
      ['Tràng An', 90],
    ]);
    const noSet = await caught(read(file));
    expect(noSet.code).toBe('validation_failed');
    expect(noSet.details).toMatchObject({ code: 'unknown_set' });
    expect(noSet.message).toContain('criteria set');
    expect((await caught(read(file, 'no-such-set'))).code).toBe('unknown_criteria_set');
  });

  it('refuses what is not a workbook, by its content', async () => {
    const csv = Buffer.from('STT,Tên xã\n1,Tràng An\n');
    expect((await caught(read(csv, DEMO_SET))).details).toMatchObject({ code: 'not_xlsx' });
    expect(() => assertXlsx(csv)).toThrow(/not an \.xlsx workbook/);
    const { zipSync, strToU8 } = await import('fflate');
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') });
    try {
      assertXlsx(docx);
      throw new Error('expected a DomainError');
    } catch (e) {
      expect(isDomainError(e) && e.messageVi).toContain('không chứa bảng tính');
    }
    expect(() => assertXlsx(new Uint8Array(0))).toThrow(/not an \.xlsx workbook/);
  });
});
