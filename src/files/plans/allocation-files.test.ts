/**
 * The allocation scenario as files (issue 15), read back: the workbook with ExcelJS (sheets,
 * headers in both languages, values, number formats, frozen rows, autofilter, what-if marks), the
 * Word note from its XML (the summary sentence, the chosen actions, "Nơi nhận", the Decree 30
 * parts, and a bounded table: one page by construction — LibreOffice counts the pages in
 * src/files/reports/office.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import type { Worksheet } from 'exceljs';
import { ExcelJS } from '../xlsx-style.ts';
import { binhLucAllocation } from '../../test-support/allocation-fixtures.ts';
import { CHOSEN_SHEET, COMMUNE_SHEET, LEFT_OUT_SHEET, SUMMARY_SHEET, allocationFileStem, allocationWorkbook, chosenActions } from './allocation-workbook.ts';
import { NOTE_MAX_ROWS, allocationNote, buildAllocationNote, comparisonSentence, cutToWidth, leftOutSentence, namesText } from './allocation-note.ts';
import { textWidth } from '../reports/docx.ts';

const GENERATED = '2026-12-03T10:00:00.000Z';
const UNIT = { type: 'Huyện', name: 'Bình Lục' };
const FIXED = { '13513@2025-03': ['13.2'] };

async function workbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Every cell's text of a sheet, row by row ("" for empty cells). */
function rowsOf(ws: Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c, k) => {
      cells[k - 1] = c.value instanceof Date ? c.value.toISOString().slice(0, 10) : c.value === null || c.value === undefined ? '' : String(c.value);
    });
    out[n - 1] = cells;
  });
  return out;
}

/** The row number (1-based) of the first row whose first cell starts with `text`. */
function rowStarting(ws: Worksheet, text: string, column = 1): number {
  let found = 0;
  ws.eachRow((row, n) => {
    const v = row.getCell(column).value;
    if (!found && typeof v === 'string' && v.startsWith(text)) found = n;
  });
  if (!found) throw new Error(`${ws.name}: no row starting "${text}"`);
  return found;
}

function documentXml(buf: Buffer): string {
  return strFromU8(unzipSync(new Uint8Array(buf))['word/document.xml']!);
}

/** The text of the body, paragraph by paragraph (w:t joined; "\n" between paragraphs). */
function plainText(xml: string): string {
  return (xml.match(/<w:p\b[\s\S]*?<\/w:p>/g) ?? []).map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).join('\n').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('allocation workbook', () => {
  it('has the four sheets, in order, with both languages in the headers', async () => {
    const a = binhLucAllocation();
    const wb = await workbook(await allocationWorkbook(a, { generatedAt: GENERATED }));
    expect(wb.worksheets.map((w) => w.name)).toEqual([SUMMARY_SHEET, CHOSEN_SHEET, COMMUNE_SHEET, LEFT_OUT_SHEET]);
    const chosen = wb.getWorksheet(CHOSEN_SHEET)!;
    const header = rowStarting(chosen, 'STT');
    expect(chosen.getCell(header, 2).value).toBe('Xã\nCommune');
    expect(chosen.getCell(header, 6).value).toBe('Kinh phí (đồng)\nCost (VND)');
    expect(chosen.getCell(header, 6).alignment?.wrapText).toBe(true);
  });

  it('"Tóm tắt": unit, dates, budget in triệu đồng, the sentences, solver status and gap, MIP against greedy', async () => {
    const a = binhLucAllocation();
    const ws = (await workbook(await allocationWorkbook(a, { generatedAt: GENERATED }))).getWorksheet(SUMMARY_SHEET)!;
    const value = (label: string) => ws.getCell(rowStarting(ws, label), 2);
    expect(value('Đơn vị').value).toBe('Huyện Bình Lục');
    expect(value('Số liệu đến ngày').value).toEqual(new Date(Date.UTC(2023, 2, 20)));
    expect(value('Số liệu đến ngày').numFmt).toBe('dd/mm/yyyy');
    expect(value('Thời hạn').value).toEqual(new Date(Date.UTC(2023, 11, 31)));
    expect(value('Kinh phí (triệu đồng)').value).toBe(5000);
    expect(value('Lập lúc').value).toEqual(new Date(Date.UTC(2026, 11, 3)));
    expect(value('Tóm tắt').value).toBe(`${a.result.summary.vi}\n${a.result.summary.en}`);
    expect(value('So sánh').value).toBe(`${a.result.comparison.vi}\n${a.result.comparison.en}`);
    expect(String(value('Trạng thái bộ giải').value)).toContain('Tối ưu');
    expect(value('Khoảng cách tối ưu').value).toBe(0);
    expect(value('Giả định').value).toBe('Không có / none');
    // The comparison table: communes, indicators, actions, cost, remaining (MIP, greedy, difference).
    const comm = rowStarting(ws, 'Số xã đạt chuẩn');
    expect([2, 3, 4].map((c) => ws.getCell(comm, c).value)).toEqual([a.result.communesReaching, a.result.greedy.communesReaching, 0]);
    const cost = rowStarting(ws, 'Kinh phí (đồng)');
    expect(ws.getCell(cost, 2).value).toBe(a.result.cost);
    expect(ws.getCell(cost, 2).numFmt).toBe('#,##0');
    const rest = rowStarting(ws, 'Còn dư');
    expect(ws.getCell(rest, 2).value).toBe(a.result.remaining);
    expect(ws.getCell(rest, 3).value).toBe(a.result.budget - a.result.greedy.cost);
    expect(ws.getCell(rowStarting(ws, 'Chỉ số'), 2).value).toBe('Phương án chọn (MIP)\nChosen plan (MIP)');
  });

  it('"Tóm tắt" of a plan stopped at the time limit gives the status, the gap and the solver note', async () => {
    const a = binhLucAllocation({ unproven: true });
    const ws = (await workbook(await allocationWorkbook(a, { generatedAt: GENERATED }))).getWorksheet(SUMMARY_SHEET)!;
    const value = (label: string) => ws.getCell(rowStarting(ws, label), 2).value;
    expect(String(value('Trạng thái bộ giải'))).toContain('chưa chứng minh tối ưu');
    expect(value('Khoảng cách tối ưu')).toBeCloseTo(0.42, 6);
    expect(String(value('Ghi chú của bộ giải'))).toContain('hết thời gian giới hạn (10 giây)');
  });

  it('"Hạng mục chọn": one row per chosen action with commune, indicators, source, cost in đồng (#,##0) and date; the total', async () => {
    const a = binhLucAllocation();
    const ws = (await workbook(await allocationWorkbook(a, { generatedAt: GENERATED }))).getWorksheet(CHOSEN_SHEET)!;
    const header = rowStarting(ws, 'STT');
    const chosen = chosenActions(a);
    expect(chosen).toHaveLength(a.result.chosen.length);
    const first = ws.getRow(header + 1);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe(chosen[0]!.communeName);
    expect(first.getCell(3).value).toBe(chosen[0]!.closes.join(', '));
    expect(first.getCell(4).value).toBe(chosen[0]!.name);
    expect(first.getCell(6).value).toBe(chosen[0]!.cost);
    expect(first.getCell(6).numFmt).toBe('#,##0');
    expect(first.getCell(7).value).toEqual(new Date(`${chosen[0]!.targetOn}T00:00:00Z`));
    expect(first.getCell(7).numFmt).toBe('dd/mm/yyyy');
    const rows = rowsOf(ws);
    const bySource = rows.slice(header).filter((r) => r[4] === 'Chi phí mặc định của tỉnh');
    expect(bySource.length).toBe(chosen.filter((c) => c.source === 'default').length);
    const total = rowStarting(ws, 'Tổng cộng', 4);
    expect(total).toBe(header + chosen.length + 1);
    expect(ws.getCell(total, 6).value).toBe(a.result.cost);
    // Frozen under the header, autofilter over the table.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    expect(ws.autoFilter).toBe(`A${header}:H${header + chosen.length}`);
    expect(ws.getColumn(4).width).toBe(46);
  });

  it('"Xã": each commune reaches or not under the chosen plan and greedy, with indicators to close, funded and fixed codes', async () => {
    const a = binhLucAllocation({ fixed: FIXED });
    const ws = (await workbook(await allocationWorkbook(a, { generatedAt: GENERATED, fixed: FIXED }))).getWorksheet(COMMUNE_SHEET)!;
    const header = rowStarting(ws, 'STT');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    expect(ws.autoFilter).toBeTruthy();
    const row = (name: string) => ws.getRow(rowStarting(ws, name, 2));
    const trangAn = row('Tràng An');
    expect(trangAn.getCell(3).value).toBe('NTM nâng cao');
    expect(trangAn.getCell(4).value).toBe(a.result.reaching.includes('13510@2025-03') ? 'Có' : 'Không');
    expect(trangAn.getCell(5).value).toBe(a.result.greedy.reaching.includes('13510@2025-03') ? 'Có' : 'Không');
    expect(trangAn.getCell(6).value).toBe('5.1, 8.1');
    const binhNghia = row('Bình Nghĩa');
    expect(binhNghia.getCell(8).value).toBe('6.2');
    expect(binhNghia.getCell(9).value).toBe('13.2');
    const boiCau = row('Bối Cầu');
    expect(boiCau.getCell(4).value).toBe('Không xét');
    expect(boiCau.getCell(10).value).toBe(2);
    expect(ws.getCell(header, 9).value).toBe('Giả định đã khắc phục\nMarked fixed (what-if)');
    // The what-if marks are also on the summary sheet.
    const summary = (await workbook(await allocationWorkbook(a, { generatedAt: GENERATED, fixed: FIXED }))).getWorksheet(SUMMARY_SHEET)!;
    expect(String(summary.getCell(rowStarting(summary, 'Giả định'), 2).value)).toContain('Coi là đã khắc phục 1 chỉ tiêu: Bình Nghĩa (13.2)');
  });

  it('"Không xét": what was left out, with the reasons in both languages; demo data says so on every sheet', async () => {
    const a = binhLucAllocation();
    const wb = await workbook(await allocationWorkbook(a, { generatedAt: GENERATED, demo: true }));
    const ws = wb.getWorksheet(LEFT_OUT_SHEET)!;
    const header = rowStarting(ws, 'STT');
    expect(ws.getRow(header + 1).getCell(2).value).toBe('Bối Cầu');
    expect(ws.getRow(header + 1).getCell(3).value).toBe('Cả xã');
    expect(ws.getRow(header + 2).getCell(4).value).toBe(a.leftOut[1]!.reason.vi);
    expect(ws.getRow(header + 2).getCell(5).value).toBe(a.leftOut[1]!.reason.en);
    for (const sheet of wb.worksheets) expect(rowsOf(sheet).some((r) => r[0]?.startsWith('DỮ LIỆU MINH HỌA')), sheet.name).toBe(true);
    const plain = await workbook(await allocationWorkbook(a, { generatedAt: GENERATED }));
    for (const sheet of plain.worksheets) expect(rowsOf(sheet).some((r) => r[0]?.startsWith('DỮ LIỆU MINH HỌA')), sheet.name).toBe(false);
  });

  it('prints on A4 with page numbers in the footer', async () => {
    const wb = await workbook(await allocationWorkbook(binhLucAllocation(), { generatedAt: GENERATED }));
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.paperSize, ws.name).toBe(9);
      expect(ws.headerFooter.oddFooter, ws.name).toContain('Trang &P/&N');
    }
    expect(allocationFileStem(binhLucAllocation())).toBe('phuong-an-phan-bo-huyen-binh-luc-2023-03-20');
  });
});

describe('allocation note (Word, one page)', () => {
  it('says the situation from the summary sentence, lists the chosen actions, compares with greedy, names what is left out, recommends', async () => {
    const a = binhLucAllocation();
    const text = plainText(documentXml(await allocationNote(a, { unit: UNIT, generatedAt: GENERATED })));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Số:       /BC-BCĐ');
    expect(text).toContain('Bình Lục, ngày 20 tháng 3 năm 2023');
    expect(text).toContain('BAN CHỈ ĐẠO');
    expect(text).toContain('UBND HUYỆN BÌNH LỤC');
    expect(text).toContain('Đề xuất phương án phân bổ kinh phí xây dựng nông thôn mới');
    expect(text).toContain('Kính gửi: Ủy ban nhân dân huyện Bình Lục.');
    // The summary sentence, as the solver wrote it (its first letter in lower case, mid-sentence).
    const summary = a.result.summary.vi.replace(/\.$/, '');
    expect(text).toContain(`phương án đề xuất: ${summary.charAt(0).toLowerCase()}${summary.slice(1)}`);
    // Each shown action on one line of its column: the whole text, or its start and "…".
    for (const c of chosenActions(a).slice(0, NOTE_MAX_ROWS - 1)) {
      const shown = text.split('\n').find((p) => p.length > 2 && (p === c.name || (p.endsWith('…') && c.name.startsWith(p.slice(0, -1)))));
      expect(shown, c.name).toBeDefined();
    }
    expect(text).toContain(comparisonSentence(a.result));
    expect(text).toContain(leftOutSentence(a));
    expect(text).toContain('Kiến nghị:');
    expect(text).toContain('Nơi nhận:');
    expect(text).toContain('- Lưu: VT.');
    expect(text).toContain('TM. BAN CHỈ ĐẠO');
    expect(text).not.toContain('DỮ LIỆU MINH HỌA');
  });

  it('fits one page by construction: at most NOTE_MAX_ROWS action rows (the rest as "và N hạng mục khác"), each on one line', async () => {
    const a = binhLucAllocation({ extra: 12, budget: 9_000_000_000 });
    const report = buildAllocationNote(a, { unit: UNIT, generatedAt: GENERATED });
    const table = report.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : []));
    expect(table).toHaveLength(1);
    const rows = table[0]!.rows;
    expect(rows.length).toBe(NOTE_MAX_ROWS + 1);
    const more = a.result.chosen.length - (NOTE_MAX_ROWS - 1);
    expect(rows.at(-2)!.cells[3]).toMatch(new RegExp(`^và ${more} hạng mục khác tại \\d+ xã$`));
    expect(rows.at(-1)!.cells[1]).toBe('Tổng cộng');
    const xml = documentXml(await allocationNote(a, { unit: UNIT, generatedAt: GENERATED }));
    // Two tables of layout (header, signature) and the one of actions: header row + rows.
    const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
    const actions = tables.find((t) => t.includes('Hạng mục'))!;
    expect(actions.match(/<w:tr\b/g)).toHaveLength(NOTE_MAX_ROWS + 2);
    // No page break anywhere; the body has the fixed number of paragraphs (situation, comparison and left out, recommendation).
    expect(xml).not.toContain('w:type="page"');
    const body = plainText(xml).split('\n').filter((p) => /^(Căn cứ|Phương án|Kiến nghị)/.test(p));
    expect(body).toHaveLength(3);
  });

  it('cuts long action texts at a word to one line of their column, and long lists of names', () => {
    const long = 'Cứng hóa 2,4 km đường trục thôn Đồng Quan, thôn Thượng, thôn Hạ và đường ra khu sản xuất tập trung';
    const cut = cutToWidth(long, 4000);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(textWidth(cut, 12)).toBeLessThanOrEqual(4000);
    expect(cutToWidth('Ngắn', 4000)).toBe('Ngắn');
    expect(namesText(['A', 'B', 'C'])).toBe('A, B và C');
    expect(namesText(['A', 'B', 'C', 'D'], 3)).toBe('A, B, C và 1 xã khác');
  });

  it('says what-if marks and the solver note when there are; demo data is boxed as in the other documents', async () => {
    const a = binhLucAllocation({ fixed: FIXED, unproven: true });
    const text = plainText(documentXml(await allocationNote(a, { unit: UNIT, generatedAt: GENERATED, fixed: FIXED, demo: true })));
    expect(text).toContain('(giả định 1 chỉ tiêu đã được khắc phục)');
    expect(text).toContain('bộ giải dừng khi hết thời gian giới hạn (10 giây)');
    expect(text).toContain('DỮ LIỆU MINH HỌA');
  });
});
