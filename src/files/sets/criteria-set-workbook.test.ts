/**
 * The criteria-set workbook: every shipped set (every version) goes out to Excel and comes back
 * the same; a workbook resolved for a context holds the targets `catalog show` gives; and each
 * kind of mistake a province can make is reported at its sheet and cell, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/catalog.ts';
import { resolveSets } from '../../catalog/resolve.ts';
import { showSet } from '../../catalog/show.ts';
import type { CriteriaSet } from '../../domain/criteria.ts';
import { ExcelJS } from '../xlsx-style.ts';
import {
  CONDITION_SHEET,
  FACTS_SHEET,
  INDICATOR_SHEET,
  SET_SHEET,
  readSetWorkbook,
  writeSetWorkbook,
  type SetWorkbookProblem,
  type SetWorkbookRead,
} from './criteria-set-workbook.ts';

const BASIC = 'xa-ntm-2021-2025';
const DEMO = 'ha-nam-nang-cao-2021-2025-minh-hoa';

/**
 * What a standalone set read from a workbook cannot share with the set it was exported from, by
 * construction: the `basedOn` chain (`basedOn`, `basedOnVersion`, `lineage`), which file introduced
 * an indicator and how (`definedIn`, `origin`), and which file set a target (`setBy`, `override`,
 * `derivedFrom`: a derived target is written as the values it derives to). Everything else —
 * names, kinds, units, every variant of every target, scales, conditions, applicability, sources,
 * provenance, notes, flags, attributes, validity, decision — must come back equal.
 */
const NOT_ROUND_TRIPPED = new Set(['basedOn', 'basedOnVersion', 'lineage', 'definedIn', 'origin', 'setBy', 'override', 'derivedFrom']);

function comparable(set: CriteriaSet): unknown {
  return JSON.parse(JSON.stringify(set, (k, v: unknown) => (NOT_ROUND_TRIPPED.has(k) ? undefined : v)));
}

function resolveRead(read: SetWorkbookRead): CriteriaSet {
  expect(read.problems).toEqual([]);
  const { sets, issues } = resolveSets([{ file: 'workbook.xlsx', data: read.set! }]);
  expect(issues).toEqual([]);
  return [...sets.values()][0]!;
}

describe('round trip of every shipped set', () => {
  const versions = getCatalog().allVersions();
  it('covers every version of every set id', () => {
    expect(versions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(versions.map((s) => s.id)).size).toBe(getCatalog().ids().length);
  });

  it.each(versions.map((s) => [`${s.id}@${s.version}`, s] as const))('%s: export every variant → read → resolve is the same set', async (_, set) => {
    const read = readSetWorkbook(await writeSetWorkbook(set));
    expect(read.set?.basedOn).toBeUndefined();
    expect(read.set?.criteria?.length).toBe(set.criteria.length);
    const back = resolveRead(read);
    expect(comparable(back)).toEqual(comparable(set));
    // Derived targets come back as their values (the kiểu mẫu income target is 1.1 × nâng cao's).
    for (const ind of set.criteria.flatMap((c) => c.indicators)) {
      const other = back.criteria.flatMap((c) => c.indicators).find((i) => i.code === ind.code)!;
      expect(other.target.value).toEqual(ind.target.value);
    }
  });
});

describe('a workbook resolved for a context', () => {
  it('holds the single target catalog show gives, with its basis, and reads back as a set with those targets', async () => {
    const set = getCatalog().get(DEMO);
    const context = { region: 'DBSH' as const, year: 2023 };
    const buf = await writeSetWorkbook(set, { resolvedFor: context });
    const shown = showSet(set, context);
    const read = readSetWorkbook(buf);
    const back = resolveRead(read);
    const want = shown.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i.target.value]));
    const got = back.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i.target.value]));
    expect(got).toEqual(want);
    const wb = await load(buf);
    const ws = wb.getWorksheet(INDICATOR_SHEET)!;
    const basis = col(ws, 'Căn cứ ngưỡng (chỉ để xem)');
    expect(String(ws.getRow(rowOf(ws, '10')).getCell(basis).value)).toMatch(/năm 2023/);
    expect(wb.getWorksheet(SET_SHEET)!.getCell('A2').value).toMatch(/MINH HỌA/);
  });
});

// ── Mistakes ──────────────────────────────────────────────────────────────────────────────────

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function col(ws: ExcelJS.Worksheet, header: string): number {
  let found = 0;
  ws.getRow(1).eachCell((c, n) => {
    if (c.value === header) found = n;
  });
  if (!found) throw new Error(`no column ${header}`);
  return found;
}

function rowOf(ws: ExcelJS.Worksheet, code: string, header = 'Mã chỉ tiêu'): number {
  const c = col(ws, header);
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(c).value === code) return r;
  throw new Error(`no row ${code}`);
}

function letter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** The basic set's workbook changed by `edit`, read back. */
async function edited(edit: (wb: ExcelJS.Workbook) => void | string, setId = BASIC): Promise<SetWorkbookRead & { cell?: string }> {
  const wb = await load(await writeSetWorkbook(getCatalog().get(setId, 1)));
  const cell = edit(wb);
  const read = readSetWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
  return cell ? { ...read, cell } : read;
}

/** Set the cell of indicator `code` under `header` on sheet "Chỉ tiêu"; returns its A1 address. */
function setIndicatorCell(wb: ExcelJS.Workbook, code: string, header: string, value: ExcelJS.CellValue): string {
  const ws = wb.getWorksheet(INDICATOR_SHEET)!;
  const c = col(ws, header);
  const r = rowOf(ws, code);
  const cell = ws.getRow(r).getCell(c);
  cell.value = value;
  // What a spreadsheet does to "5.1" typed in a Vietnamese locale: a date cell.
  if (value instanceof Date) cell.style = { ...cell.style, numFmt: 'dd/mm/yyyy' };
  return `${letter(c)}${r}`;
}

function only(problems: SetWorkbookProblem[], sheet: string, cell: string): SetWorkbookProblem {
  const p = problems.filter((x) => x.sheet === sheet && x.cell === cell);
  expect(p, JSON.stringify(problems, null, 1)).toHaveLength(1);
  expect(p[0]!.message_vi.startsWith(`${sheet}!${cell}`)).toBe(true);
  expect(p[0]!.message.startsWith(`${sheet}!${cell}`)).toBe(true);
  return p[0]!;
}

describe('mistakes are reported by sheet and cell, in Vietnamese and English', () => {
  it('a threshold of the wrong type for its kind', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '3.1', 'Ngưỡng', 'tám mươi'));
    expect(r.set).toBeNull();
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toMatch(/\(Ngưỡng\): ngưỡng "tám mươi" không hợp lệ: loại chỉ tiêu này cần một số từ 0 đến 100/);
    expect(p.message).toMatch(/target "tám mươi" is not valid: this kind of indicator needs a number from 0 to 100/);
  });

  it('a percentage over 100, alone or inside a table', async () => {
    let first = '';
    const r = await edited((wb) => {
      first = setIndicatorCell(wb, '3.1', 'Ngưỡng', 800);
      return setIndicatorCell(wb, '2.2', 'Ngưỡng', 'Theo vùng (DBSH: 100; TN: 120)');
    });
    expect(only(r.problems, INDICATOR_SHEET, r.cell!).message_vi).toMatch(/ngưỡng 120 \(TN\) vượt quá 100%: tỷ lệ phần trăm ghi từ 0 đến 100/);
    expect(only(r.problems, INDICATOR_SHEET, first).message).toMatch(/target 800 is over 100%/);
  });

  it('an unknown kind', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '3.1', 'Loại', 'Phần trăm'));
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toMatch(/loại "Phần trăm" không có: chọn một trong "Đạt\/Không đạt", "Tỷ lệ %"/);
    expect(p.message).toMatch(/unknown kind "Phần trăm": choose one of .*"Tỷ lệ %" \(percent\)/);
  });

  it('a comparator that does not fit the kind', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '1.1', 'So sánh', '≥'));
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toMatch(/phép so sánh "≥" không dùng cho loại "Đạt\/Không đạt": dùng "là"/);
    expect(p.message).toMatch(/comparator "≥" does not fit kind/);
  });

  it('a duplicate indicator code names the other row', async () => {
    let other = 0;
    const r = await edited((wb) => {
      other = rowOf(wb.getWorksheet(INDICATOR_SHEET)!, '1.1');
      return setIndicatorCell(wb, '1.2', 'Mã chỉ tiêu', '1.1');
    });
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toContain(`mã chỉ tiêu "1.1" trùng với dòng ${other}`);
    expect(p.message).toContain(`indicator code "1.1" duplicates row ${other}`);
  });

  it('a date not in dd/mm/yyyy, and one that does not exist', async () => {
    let cells: string[] = [];
    const r = await edited((wb) => {
      const ws = wb.getWorksheet(SET_SHEET)!;
      cells = [];
      ws.eachRow((row, n) => {
        if (row.getCell(1).value === 'Hiệu lực từ ngày') (row.getCell(2).value = '2022-03-08'), cells.push(`B${n}`);
        if (row.getCell(1).value === 'Ngày quyết định') (row.getCell(2).value = '31/02/2022'), cells.push(`B${n}`);
      });
    });
    const [validFrom, decided] = [cells.find((_, i) => i === 1) ?? cells[0]!, cells.find((_, i) => i === 0)!];
    const all = [only(r.problems, SET_SHEET, validFrom), only(r.problems, SET_SHEET, decided)];
    expect(all.map((p) => p.message_vi).join('\n')).toMatch(/"2022-03-08" không phải ngày dạng dd\/mm\/yyyy: ghi ví dụ 08\/03\/2022/);
    expect(all.map((p) => p.message).join('\n')).toMatch(/"31\/02\/2022" is not a real date/);
  });

  it('a real date cell typed by a person is read', async () => {
    const r = await edited((wb) => {
      wb.getWorksheet(SET_SHEET)!.eachRow((row) => {
        if (row.getCell(1).value === 'Hiệu lực từ ngày') {
          row.getCell(2).value = new Date(Date.UTC(2022, 2, 8));
          row.getCell(2).style = { ...row.getCell(2).style, numFmt: 'dd/mm/yyyy' };
        }
      });
    });
    expect(r.problems).toEqual([]);
    expect(r.set!.validFrom).toBe('2022-03-08');
  });

  it('a missing required column, and a column the template does not have', async () => {
    const r = await edited((wb) => {
      const ws = wb.getWorksheet(INDICATOR_SHEET)!;
      ws.getRow(1).getCell(col(ws, 'Loại')).value = null;
      ws.getRow(1).getCell(ws.columnCount + 1).value = 'Người nhập';
    });
    const missing = only(r.problems, INDICATOR_SHEET, '1:1');
    expect(missing.message_vi).toMatch(/thiếu cột bắt buộc "Loại": thêm cột này vào dòng tiêu đề/);
    expect(missing.message).toMatch(/the required column "Loại" is missing/);
    const extra = r.problems.find((p) => p.message_vi.includes('Người nhập'))!;
    expect(extra.sheet).toBe(INDICATOR_SHEET);
    expect(extra.cell).toMatch(/^[A-Z]+1$/);
    expect(extra.message).toMatch(/column "Người nhập" is not one of the template's/);
  });

  it('a sheet that is not part of the template, and a missing one', async () => {
    const r = await edited((wb) => {
      wb.addWorksheet('Nháp').getCell('A1').value = 'ghi chú riêng';
      wb.removeWorksheet(wb.getWorksheet(SET_SHEET)!.id);
    });
    expect(only(r.problems, 'Nháp', 'A1').message).toMatch(/sheet "Nháp" is not part of the criteria-set template/);
    const missing = r.problems.find((p) => p.sheet === SET_SHEET)!;
    expect(missing.message_vi).toMatch(/thiếu trang "Bộ tiêu chí"/);
    expect(missing.message).toMatch(/sheet "Bộ tiêu chí" .* is missing/);
  });

  it('an empty required cell', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '3.1', 'Căn cứ: quyết định', null));
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toMatch(/ô trống: ghi số quyết định làm căn cứ/);
    expect(p.message).toMatch(/the cell is empty: write the decision it rests on/);
  });

  it('an indicator code the spreadsheet turned into a date', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '3.1', 'Mã chỉ tiêu', new Date(Date.UTC(2026, 0, 3))));
    const p = only(r.problems, INDICATOR_SHEET, r.cell!);
    expect(p.message_vi).toMatch(/định dạng ô là Văn bản/);
    expect(p.message).toMatch(/format the cell as Text/);
  });

  it('the catalogue’s own checks come back at the cell: an undeclared "(nếu có)" flag, official provenance not verified', async () => {
    let flagCell = '';
    let provCell = '';
    const r = await edited((wb) => {
      flagCell = setIndicatorCell(wb, '3.1', 'Chỉ áp dụng khi có', 'co_kenh_muong');
      provCell = setIndicatorCell(wb, '3.2', 'Nguồn gốc', 'chính thức');
      setIndicatorCell(wb, '3.2', 'Nguồn: số văn bản', '318/QĐ-TTg');
    });
    expect(only(r.problems, INDICATOR_SHEET, flagCell).message).toMatch(/flag "co_kenh_muong" is not declared in "flags"/);
    const prov = r.problems.filter((p) => p.cell === provCell);
    expect(prov.length).toBeGreaterThan(0);
    expect(prov[0]!.message_vi).toMatch(/chính thức|xác minh|verified/);
    expect(r.set).toBeNull();
  });

  it('a compound condition of an unknown indicator, and a compound indicator left with one condition', async () => {
    const r = await edited((wb) => {
      const ws = wb.getWorksheet(CONDITION_SHEET)!;
      const c = col(ws, 'Mã chỉ tiêu');
      ws.getRow(2).getCell(c).value = '55';
    });
    const p = r.problems.find((x) => x.sheet === CONDITION_SHEET)!;
    expect(p.cell).toBe(`${letter(1)}2`);
    expect(p.message_vi).toMatch(/không có chỉ tiêu "55" ở trang "Chỉ tiêu"/);
    const compound = r.problems.find((x) => x.sheet === INDICATOR_SHEET)!;
    expect(compound.message).toMatch(/conditions|at least 2/);
  });

  it('criterion rows that disagree, and an indicator row without its code', async () => {
    let nameCell = '';
    let codeCell = '';
    const r = await edited((wb) => {
      nameCell = setIndicatorCell(wb, '1.2', 'Tên tiêu chí', 'Quy hoạch xây dựng');
      codeCell = setIndicatorCell(wb, '2.2', 'Mã chỉ tiêu', null);
    });
    expect(only(r.problems, INDICATOR_SHEET, nameCell).message_vi).toMatch(/tên của tiêu chí 1 khác dòng 2/);
    expect(only(r.problems, INDICATOR_SHEET, codeCell).message).toMatch(/describes an indicator but has no indicator code/);
  });

  it('cells people leave blank or type differently are read: criterion cells "as above", numbers typed as numbers, ≥ typed >=', async () => {
    const r = await edited((wb) => {
      setIndicatorCell(wb, '1.2', 'Mã tiêu chí', null);
      setIndicatorCell(wb, '1.2', 'Tên tiêu chí', null);
      setIndicatorCell(wb, '1.2', 'Tiêu chí bắt buộc', null);
      setIndicatorCell(wb, '3.1', 'So sánh', '>=');
      setIndicatorCell(wb, '3.1', 'Ngưỡng', '80,0');
      setIndicatorCell(wb, '3.1', 'Loại', 'percent');
    });
    expect(r.problems).toEqual([]);
    expect(comparable(resolveRead(r))).toEqual(comparable(getCatalog().get(BASIC, 1)));
  });

  it('a "to be entered later" message beside indicators is not dropped silently', async () => {
    const r = await edited((wb) => setIndicatorCell(wb, '1.1', 'Chỉ tiêu sẽ nhập sau (tiếng Việt)', 'Tỉnh nhập sau'));
    // The problem is at the English cell, beside the Vietnamese one typed.
    let english = '';
    await edited((wb) => void (english = setIndicatorCell(wb, '1.1', 'Chỉ tiêu sẽ nhập sau (tiếng Anh)', null)));
    expect(only(r.problems, INDICATOR_SHEET, english).message_vi).toMatch(/có lời giải thích tiếng Việt nhưng thiếu tiếng Anh: ghi cả hai/);
    const both = await edited((wb) => {
      setIndicatorCell(wb, '1.1', 'Chỉ tiêu sẽ nhập sau (tiếng Anh)', 'Entered later by the province');
      return setIndicatorCell(wb, '1.1', 'Chỉ tiêu sẽ nhập sau (tiếng Việt)', 'Tỉnh nhập sau');
    });
    expect(only(both.problems, INDICATOR_SHEET, both.cell!).message).toMatch(/criterion 1 has indicators, so its "to be entered later" explanation no longer applies/);
  });

  it('a flag on sheet "Thông tin xã" with a wrong type', async () => {
    const r = await edited((wb) => {
      const ws = wb.getWorksheet(FACTS_SHEET)!;
      ws.getRow(2).getCell(1).value = 'Cờ';
      return 'A2';
    }, DEMO);
    expect(only(r.problems, FACTS_SHEET, 'A2').message_vi).toMatch(/loại "Cờ" không hợp lệ: ghi "Điều kiện \(có\/không\)"/);
  });

  it('a workbook typed by hand with only the required rows and columns is read', async () => {
    const wb = new ExcelJS.Workbook();
    const head = wb.addWorksheet('Bộ tiêu chí');
    head.addRow(['Bộ tiêu chí xã NTM tỉnh Ninh Bình 2026–2030']);
    head.addRow(['Trường', 'Giá trị']);
    for (const r of [
      ['Mã bộ tiêu chí', 'ninh-binh-ntm-2026-2030'],
      ['Tên bộ tiêu chí', 'Bộ tiêu chí xã NTM tỉnh Ninh Bình giai đoạn 2026–2030'],
      ['Giai đoạn', '2026–2030'],
      ['Mức đạt chuẩn', 'ntm'],
      ['Phạm vi', 'tỉnh'],
      ['Mã tỉnh', '37'],
      ['Tên tỉnh', 'Ninh Bình'],
      ['Số quyết định', '15/2026/QĐ-UBND'],
      ['Ngày quyết định', '2/3/2026'],
      ['Hiệu lực từ ngày', '02/03/2026'],
    ]) head.addRow(r);
    const ind = wb.addWorksheet('Chỉ tiêu');
    ind.addRow(['Mã tiêu chí', 'Tên tiêu chí', 'Tiêu chí bắt buộc', 'Mã chỉ tiêu', 'Tên chỉ tiêu', 'Loại', 'So sánh', 'Ngưỡng', 'Đã xác minh', 'Căn cứ: quyết định']);
    ind.addRow(['1', 'Quy hoạch', 'Không', '1.1', 'Có quy hoạch chung xây dựng xã', 'Đạt/Không đạt', 'là', 'Đạt', 'Không', '15/2026/QĐ-UBND']);
    ind.addRow([2, 'Giao thông', 'Có', '2.1', 'Tỷ lệ đường xã được cứng hóa', 'Tỷ lệ %', '>=', 'Theo nhóm xã (Nhóm 1: 100; Nhóm 2: 95; Nhóm 3: 80)', 'Không', '15/2026/QĐ-UBND']);
    ind.addRow([null, null, null, '2.2', 'Thu nhập', 'Số', '≥', 72.5, 'không', '15/2026/QĐ-UBND']);
    const r = readSetWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.problems).toEqual([]);
    const set = resolveRead(r);
    expect(set).toMatchObject({ id: 'ninh-binh-ntm-2026-2030', phase: '2026-2030', level: 'ntm', scope: 'provincial', province: { code: '37', name: 'Ninh Bình' }, validFrom: '2026-03-02', validTo: null });
    expect(set.decision).toEqual({ number: '15/2026/QĐ-UBND', date: '2026-03-02', appendix: null, issuer: null, url: null });
    expect(set.criteria.map((c) => [c.code, c.critical, c.indicators.map((i) => [i.code, i.kind, i.target.op, i.target.value])])).toEqual([
      ['1', false, [['1.1', 'boolean', 'is', true]]],
      ['2', true, [['2.1', 'percent', '>=', { byGroup: { '1': 100, '2': 95, '3': 80 } }], ['2.2', 'number', '>=', 72.5]]],
    ]);
  });

  it('a file that is not a workbook is one problem about the file', () => {
    const r = readSetWorkbook(Buffer.from('mã,tên\n1,Quy hoạch\n'));
    expect(r.set).toBeNull();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ sheet: null, cell: null });
    expect(r.problems[0]!.message_vi).toMatch(/không phải bảng tính Excel/);
    expect(r.problems[0]!.message).toMatch(/not an .xlsx workbook/);
  });
});
