/**
 * Phương án phân bổ kinh phí dạng Excel — a budget allocation (issue 15) as a workbook for the
 * steering committee: what was asked, what the solver chose and how it compares with the greedy
 * plan, every chosen action, every commune, and what the allocation could not consider.
 *
 * Sheets (Vietnamese header with the English under it, in the same cell; header row frozen,
 * autofilter, column widths, A4 print setup and "Trang n/N" footers as every report has —
 * src/files/xlsx-style.ts):
 * - `Tóm tắt`: unit, analysis date, deadline, budget (triệu đồng), the summary and comparison
 *   sentences, the solver's status and gap, what-if marks; the chosen plan against greedy;
 * - `Hạng mục chọn`: the chosen actions (commune, indicators, action, plan or province default,
 *   cost in đồng `#,##0`, target date), with their total;
 * - `Xã`: each commune: reaches its level under the chosen plan and under greedy, indicators to
 *   close, those already funded, those marked fixed (what-if);
 * - `Không xét`: what was left out, and why.
 * Demo data says so in red on every sheet, as the reports do. Pure: data in, bytes out.
 */
import type { Style, Worksheet } from 'exceljs';
import type { UnitAllocation } from '../../domain/planning/unit-allocation.ts';
import { LEVEL_SHORT_NAMES } from '../../domain/level-status.ts';
import { DEMO_NOTE, fileStem } from '../reports/model.ts';
import { dateVi, numberVi } from '../format.ts';
import { DEMO_STYLE, ExcelJS, HEADER_STYLE, NOTE_STYLE, NUMFMT, PAGE_FOOTER, SUBTITLE_STYLE, TITLE_STYLE, a4, cellStyle, excelDate } from '../xlsx-style.ts';

export const SUMMARY_SHEET = 'Tóm tắt';
export const CHOSEN_SHEET = 'Hạng mục chọn';
export const COMMUNE_SHEET = 'Xã';
export const LEFT_OUT_SHEET = 'Không xét';

/** Triệu đồng with up to three decimals: 4.825,5. */
const MILLION_FORMAT = '#,##0.###';

export interface AllocationFileOptions {
  /** When the file is made (ISO date-time). */
  generatedAt: string;
  /** What-if: indicators marked fixed, by commune id (not in `UnitAllocation`: the request's). */
  fixed?: Readonly<Record<string, readonly string[]>>;
  /** Demo data: every sheet says so. */
  demo?: boolean;
}

interface Col {
  vi: string;
  en: string;
  width: number;
  /** Cell style of the data cells. */
  style: Partial<Style>;
}

const text = (extra: Parameters<typeof cellStyle>[0] = {}) => cellStyle(extra);
const dong = (bold = false) => cellStyle({ alignment: { horizontal: 'right' }, numFmt: NUMFMT.integer, bold });
const date = () => cellStyle({ alignment: { horizontal: 'center' }, numFmt: NUMFMT.date });
const centred = () => cellStyle({ alignment: { horizontal: 'center' } });

const yesNo = (b: boolean) => (b ? 'Có' : 'Không');
const sourceLabel = (s: 'plan' | 'default') => (s === 'plan' ? 'Kế hoạch hành động' : 'Chi phí mặc định của tỉnh');
const levelName = (l: string | null) => (l && l in LEVEL_SHORT_NAMES ? LEVEL_SHORT_NAMES[l as keyof typeof LEVEL_SHORT_NAMES].vi : (l ?? ''));

/** The fixed (what-if) codes of a commune, as given. */
function fixedOf(fixed: AllocationFileOptions['fixed'], commune: string): string[] {
  return [...(fixed?.[commune] ?? [])];
}

export function fixedCount(fixed: AllocationFileOptions['fixed']): number {
  return Object.values(fixed ?? {}).reduce((n, codes) => n + codes.length, 0);
}

/** "Huyện Bình Lục, số liệu đến 20/03/2023; thời hạn 31/12/2023" — the line under every title. */
function scopeLine(a: UnitAllocation): string {
  return `${a.unit.name} — số liệu đến ngày ${dateVi(a.date)}${a.deadline ? `; thời hạn hoàn thành ${dateVi(a.deadline)}` : ''} / data as of ${a.date}${a.deadline ? `, deadline ${a.deadline}` : ''}`;
}

/**
 * A sheet with a title, the scope line, the demo line if any, then a header row (frozen) of
 * `columns`: returns the sheet and the header row's number.
 */
function tableSheet(wb: ExcelJS.Workbook, name: string, title: string, a: UnitAllocation, o: AllocationFileOptions, columns: Col[], landscape: boolean): { ws: Worksheet; headerRow: number } {
  const pre: Array<{ text: string; style: Partial<Style> }> = [
    { text: title, style: TITLE_STYLE },
    { text: scopeLine(a), style: SUBTITLE_STYLE },
  ];
  if (o.demo) pre.push({ text: `${DEMO_NOTE.vi} / ${DEMO_NOTE.en}`, style: DEMO_STYLE });
  const headerRow = pre.length + 2;
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow }],
    pageSetup: a4(landscape, `${headerRow}:${headerRow}`, { widthUnits: columns.reduce((n, c) => n + c.width, 0) }),
    headerFooter: PAGE_FOOTER,
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  pre.forEach((p, i) => {
    const c = ws.getCell(i + 1, 1);
    c.value = p.text;
    c.style = p.style;
  });
  const header = ws.getRow(headerRow);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = `${c.vi}\n${c.en}`;
    cell.style = HEADER_STYLE;
  });
  // Tall enough for the longest two-language title of its column (wrapped, 15 points a line).
  const perLine = (c: Col) => Math.max(4, Math.floor(c.width * 1.1));
  const lines = Math.max(2, ...columns.map((c) => Math.ceil(c.vi.length / perLine(c)) + Math.ceil(c.en.length / perLine(c))));
  header.height = 15 * lines + 4;
  return { ws, headerRow };
}

/** Append data rows under the header, styled by column; autofilter over header and rows. */
function fill(ws: Worksheet, headerRow: number, columns: Col[], rows: ExcelJS.CellValue[][]): number {
  let r = headerRow;
  for (const values of rows) {
    r++;
    const row = ws.getRow(r);
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = values[i] ?? null;
      cell.style = c.style;
    });
    // Wrapped text: about 1.3 characters of Times New Roman 11 a width unit, 15 points a line.
    const lines = Math.max(1, ...values.map((v, i) => (typeof v === 'string' ? Math.ceil(v.length / Math.max(4, Math.floor(columns[i]!.width * 1.3))) : 1)));
    row.height = Math.min(409, 15 * lines + 2);
  }
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: Math.max(r, headerRow), column: columns.length } };
  return r;
}

function note(ws: Worksheet, row: number, textValue: string): void {
  const c = ws.getCell(row, 1);
  c.value = textValue;
  c.style = NOTE_STYLE;
}

// ── Tóm tắt ─────────────────────────────────────────────────────────────────────────────────

function summarySheet(wb: ExcelJS.Workbook, a: UnitAllocation, o: AllocationFileOptions): void {
  const r = a.result;
  const ws = wb.addWorksheet(SUMMARY_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }], pageSetup: a4(false), headerFooter: PAGE_FOOTER });
  ws.columns = [{ width: 34 }, { width: 24 }, { width: 24 }, { width: 22 }];
  const title = ws.getCell('A1');
  title.value = 'PHƯƠNG ÁN PHÂN BỔ KINH PHÍ XÂY DỰNG NÔNG THÔN MỚI / Budget allocation scenario';
  title.style = TITLE_STYLE;
  let row = 2;
  if (o.demo) {
    const d = ws.getCell(row, 1);
    d.value = `${DEMO_NOTE.vi} / ${DEMO_NOTE.en}`;
    d.style = DEMO_STYLE;
    row++;
  }
  row++;
  const label = (vi: string, en: string) => {
    const c = ws.getCell(row, 1);
    c.value = `${vi}\n${en}`;
    c.style = { ...HEADER_STYLE, alignment: { vertical: 'top', horizontal: 'left', wrapText: true } };
  };
  /** One "label | value" line; long values are merged over the three value columns. */
  const line = (vi: string, en: string, value: ExcelJS.CellValue, style: Partial<Style>, wide = false) => {
    label(vi, en);
    const c = ws.getCell(row, 2);
    c.value = value;
    c.style = style;
    if (wide) {
      ws.mergeCells(row, 2, row, 4);
      const len = typeof value === 'string' ? value.length : 0;
      ws.getRow(row).height = Math.min(409, 15 * Math.max(2, Math.ceil(len / 80)) + 2);
    } else {
      ws.getRow(row).height = 32;
    }
    row++;
  };
  const left = text({ alignment: { horizontal: 'left' } });
  line('Đơn vị', 'Unit', a.unit.name, left);
  line('Số liệu đến ngày', 'Data as of', excelDate(a.date), date());
  line('Thời hạn hoàn thành', 'Deadline', a.deadline ? excelDate(a.deadline) : 'Không giới hạn / none', a.deadline ? date() : centred());
  line('Kinh phí (triệu đồng)', 'Budget (million VND)', a.budget / 1_000_000, cellStyle({ alignment: { horizontal: 'right' }, numFmt: MILLION_FORMAT }));
  line('Lập lúc', 'Generated', excelDate(o.generatedAt.slice(0, 10)), date());
  line('Tóm tắt', 'Summary', `${r.summary.vi}\n${r.summary.en}`, left, true);
  line('So sánh với phương án tham lam', 'Against the greedy plan', `${r.comparison.vi}\n${r.comparison.en}`, left, true);
  line('Trạng thái bộ giải', 'Solver status', r.status === 'optimal' ? 'Tối ưu (đã chứng minh) / optimal' : 'Khả thi, chưa chứng minh tối ưu / feasible', left);
  line('Khoảng cách tối ưu (%)', 'Optimality gap (%)', Number.isFinite(r.gap) ? r.gap * 100 : 'Chưa biết / unknown', cellStyle({ alignment: { horizontal: 'right' }, numFmt: '0.00' }));
  if (r.note) line('Ghi chú của bộ giải', 'Solver note', `${r.note.vi}\n${r.note.en}`, left, true);
  const fixed = Object.entries(o.fixed ?? {}).filter(([, codes]) => codes.length > 0);
  const names = new Map(a.communes.map((c) => [c.id, c.name]));
  line(
    'Giả định (what-if)',
    'What-if marks',
    fixed.length
      ? `Coi là đã khắc phục ${fixedCount(o.fixed)} chỉ tiêu: ${fixed.map(([id, codes]) => `${names.get(id) ?? id} (${codes.join(', ')})`).join('; ')} / indicators marked fixed`
      : 'Không có / none',
    left,
    true,
  );
  line('Số xã được xét, hạng mục ứng viên', 'Communes considered, candidate actions', `${a.input.communes.length} xã, ${a.candidates.length} hạng mục / ${a.input.communes.length} communes, ${a.candidates.length} actions`, left, true);

  // Phương án chọn so với phương án tham lam.
  row++;
  const heads = [
    ['Chỉ số', 'Figure'],
    ['Phương án chọn (MIP)', 'Chosen plan (MIP)'],
    ['Phương án tham lam', 'Greedy plan'],
    ['Chênh lệch', 'Difference'],
  ];
  heads.forEach(([vi, en], i) => {
    const c = ws.getCell(row, i + 1);
    c.value = `${vi}\n${en}`;
    c.style = HEADER_STYLE;
  });
  ws.getRow(row).height = 36;
  row++;
  const g = r.greedy;
  const greedyRemaining = r.budget - g.cost;
  const figures: Array<[string, number, number, string]> = [
    ['Số xã đạt chuẩn\nCommunes reaching the level', r.communesReaching, g.communesReaching, NUMFMT.integer],
    ['Số chỉ tiêu khép\nIndicators closed', r.indicatorsClosed, g.indicatorsClosed, NUMFMT.integer],
    ['Số hạng mục\nActions', r.chosen.length, g.chosen.length, NUMFMT.integer],
    ['Kinh phí (đồng)\nCost (VND)', r.cost, g.cost, NUMFMT.integer],
    ['Còn dư (đồng)\nRemaining (VND)', r.remaining, greedyRemaining, NUMFMT.integer],
  ];
  for (const [name, mip, greedy, numFmt] of figures) {
    const cells: Array<[ExcelJS.CellValue, Partial<Style>]> = [
      [name, text()],
      [mip, cellStyle({ alignment: { horizontal: 'right' }, numFmt })],
      [greedy, cellStyle({ alignment: { horizontal: 'right' }, numFmt })],
      [mip - greedy, cellStyle({ alignment: { horizontal: 'right' }, numFmt: `${numFmt};-${numFmt};0` })],
    ];
    cells.forEach(([v, s], i) => {
      const c = ws.getCell(row, i + 1);
      c.value = v;
      c.style = s;
    });
    ws.getRow(row).height = 32;
    row++;
  }
  row++;
  note(ws, row, 'Phương án chọn: bài toán quy hoạch nguyên (MIP) — nhiều xã đạt chuẩn nhất, rồi nhiều chỉ tiêu nhất, rồi ít kinh phí nhất. Phương án tham lam: xã ít tốn kém trước.');
  note(ws, row + 1, 'Chosen plan: integer programme (most communes reaching, then most indicators, then least cost). Greedy: cheapest communes first.');
}

// ── Hạng mục chọn ───────────────────────────────────────────────────────────────────────────

function chosenSheet(wb: ExcelJS.Workbook, a: UnitAllocation, o: AllocationFileOptions): void {
  const columns: Col[] = [
    { vi: 'STT', en: 'No.', width: 6, style: centred() },
    { vi: 'Xã', en: 'Commune', width: 18, style: text() },
    { vi: 'Chỉ tiêu', en: 'Indicators', width: 11, style: centred() },
    { vi: 'Hạng mục, giải pháp', en: 'Action', width: 46, style: text() },
    { vi: 'Nguồn ước tính', en: 'Estimate from', width: 20, style: text() },
    { vi: 'Kinh phí (đồng)', en: 'Cost (VND)', width: 18, style: dong() },
    { vi: 'Dự kiến hoàn thành', en: 'Target date', width: 14, style: date() },
    { vi: 'Phương án tham lam cũng chọn', en: 'Also in greedy', width: 14, style: centred() },
  ];
  const { ws, headerRow } = tableSheet(wb, CHOSEN_SHEET, 'CÁC HẠNG MỤC ĐƯỢC CHỌN / Chosen actions', a, o, columns, true);
  const chosen = chosenActions(a);
  const greedy = new Set(a.result.greedy.chosen);
  const last = fill(
    ws,
    headerRow,
    columns,
    chosen.map((c, i) => [i + 1, c.communeName, c.closes.join(', '), c.name, sourceLabel(c.source), c.cost, c.targetOn ? excelDate(c.targetOn) : null, yesNo(greedy.has(c.id))]),
  );
  const total = ws.getRow(last + 1);
  total.getCell(4).value = 'Tổng cộng / Total';
  total.getCell(4).style = text({ bold: true });
  total.getCell(6).value = chosen.reduce((n, c) => n + c.cost, 0);
  total.getCell(6).style = dong(true);
  note(ws, last + 3, `Kinh phí là phần còn thiếu của mỗi giải pháp (dự toán trừ số đã huy động), đồng. Tổng: ${numberVi(a.result.cost / 1_000_000, 3)} triệu đồng / the part of each action not yet mobilised, VND.`);
}

/** The chosen candidate actions, by commune (communes reaching their level first) then cost. */
export function chosenActions(a: UnitAllocation): UnitAllocation['candidates'] {
  const chosen = new Set(a.result.chosen);
  const reaching = new Set(a.result.reaching);
  const order = new Map(a.communes.map((c, i) => [c.id, i]));
  return a.candidates
    .filter((c) => chosen.has(c.id))
    .sort((x, y) => Number(reaching.has(y.commune)) - Number(reaching.has(x.commune)) || (order.get(x.commune) ?? 0) - (order.get(y.commune) ?? 0) || y.cost - x.cost);
}

// ── Xã ──────────────────────────────────────────────────────────────────────────────────────

function communeSheet(wb: ExcelJS.Workbook, a: UnitAllocation, o: AllocationFileOptions): void {
  const columns: Col[] = [
    { vi: 'STT', en: 'No.', width: 6, style: centred() },
    { vi: 'Xã', en: 'Commune', width: 18, style: text() },
    { vi: 'Mức hướng tới', en: 'Next level', width: 14, style: centred() },
    { vi: 'Đạt chuẩn theo phương án chọn', en: 'Reaches (chosen plan)', width: 14, style: centred() },
    { vi: 'Đạt chuẩn theo phương án tham lam', en: 'Reaches (greedy)', width: 14, style: centred() },
    { vi: 'Chỉ tiêu cần khép', en: 'Indicators to close', width: 22, style: text() },
    { vi: 'Chỉ tiêu được khép', en: 'Closed by the plan', width: 22, style: text() },
    { vi: 'Chỉ tiêu đã đủ kinh phí', en: 'Already funded', width: 16, style: text() },
    { vi: 'Giả định đã khắc phục', en: 'Marked fixed (what-if)', width: 16, style: text() },
    { vi: 'Chưa đánh giá được', en: 'Not evaluable', width: 11, style: centred() },
    { vi: 'Kinh phí phân bổ (đồng)', en: 'Allocated (VND)', width: 18, style: dong() },
  ];
  const { ws, headerRow } = tableSheet(wb, COMMUNE_SHEET, 'CÁC XÃ TRONG PHƯƠNG ÁN / Communes', a, o, columns, true);
  const reaching = new Set(a.result.reaching);
  const greedy = new Set(a.result.greedy.reaching);
  const considered = new Set(a.input.communes.map((c) => c.id));
  const chosen = chosenActions(a);
  fill(
    ws,
    headerRow,
    columns,
    a.communes.map((c, i) => {
      const mine = chosen.filter((x) => x.commune === c.id);
      const inPlan = considered.has(c.id);
      return [
        i + 1,
        c.name,
        levelName(c.nextLevel),
        inPlan ? yesNo(reaching.has(c.id)) : 'Không xét',
        inPlan ? yesNo(greedy.has(c.id)) : 'Không xét',
        c.unmet.join(', '),
        [...new Set(mine.flatMap((x) => x.closes))].join(', '),
        c.fundedCodes.join(', '),
        fixedOf(o.fixed, c.id).join(', '),
        c.pending,
        mine.reduce((n, x) => n + x.cost, 0),
      ];
    }),
  );
}

// ── Không xét ───────────────────────────────────────────────────────────────────────────────

function leftOutSheet(wb: ExcelJS.Workbook, a: UnitAllocation, o: AllocationFileOptions): void {
  const columns: Col[] = [
    { vi: 'STT', en: 'No.', width: 6, style: centred() },
    { vi: 'Xã', en: 'Commune', width: 18, style: text() },
    { vi: 'Chỉ tiêu', en: 'Indicator', width: 10, style: centred() },
    { vi: 'Lý do', en: 'Reason (Vietnamese)', width: 60, style: text() },
    { vi: 'Lý do (tiếng Anh)', en: 'Reason', width: 50, style: text() },
  ];
  const { ws, headerRow } = tableSheet(wb, LEFT_OUT_SHEET, 'NHỮNG GÌ PHƯƠNG ÁN CHƯA XÉT ĐƯỢC / Left out', a, o, columns, true);
  const last = fill(
    ws,
    headerRow,
    columns,
    a.leftOut.map((l, i) => [i + 1, l.communeName, l.code ?? 'Cả xã', l.reason.vi, l.reason.en]),
  );
  if (a.leftOut.length === 0) note(ws, last + 2, 'Không có / nothing left out.');
}

/** The workbook's bytes. */
export async function allocationWorkbook(a: UnitAllocation, o: AllocationFileOptions): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Đạt Chuẩn';
  wb.title = `Phương án phân bổ kinh phí — ${a.unit.name}`;
  wb.created = new Date(o.generatedAt);
  summarySheet(wb, a, o);
  chosenSheet(wb, a, o);
  communeSheet(wb, a, o);
  leftOutSheet(wb, a, o);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** "phuong-an-phan-bo-huyen-binh-luc-2023-03-20" (+ ".xlsx" / ".docx"). */
export function allocationFileStem(a: Pick<UnitAllocation, 'unit' | 'date'>): string {
  return fileStem('phuong-an-phan-bo', a.unit.name, a.date);
}
