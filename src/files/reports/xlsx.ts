/**
 * Bảng tính — renders a `Report`'s tables to an .xlsx workbook, one sheet per table, streaming
 * (ExcelJS WorkbookWriter: each row is written and forgotten, so a national matrix of 10,000
 * communes stays small in memory). Numbers are numbers, dates real Excel dates (dd/mm/yyyy),
 * statuses a symbol on a coloured fill with a legend; headers frozen, autofilter, A4 print setup.
 */
import { PassThrough, type Writable } from 'node:stream';
import type { Worksheet } from 'exceljs';
import type { Cell, Column, Report, StatusValue, Table } from './model.ts';
import { DEMO_NOTE, STATUS_STYLE, UNVERIFIED_NOTE, isTypedCell, safeSheetName, tableFor } from './model.ts';
import {
  DEMO_STYLE,
  ExcelJS,
  HEADER_STYLE,
  NOTE_STYLE,
  NUMFMT,
  PAGE_FOOTER,
  SUBTITLE_STYLE,
  TITLE_STYLE,
  a4,
  cellStyle,
  decimalsFormat,
  excelDate,
  statusStyle,
} from '../xlsx-style.ts';

export type Lang = 'vi' | 'en';

const LEGEND_ORDER: StatusValue[] = ['met', 'not_met', 'not_evaluable', 'not_applicable'];

function alignmentOf(col: Column): 'left' | 'center' | 'right' {
  if (col.align) return col.align;
  if (col.type === 'status' || col.type === 'date') return 'center';
  if (col.type === 'text') return 'left';
  return 'right';
}

/** The value and style of one cell. */
function renderCell(cell: Cell, col: Column, bold: boolean): { value: ExcelJS.CellValue; style: Partial<ExcelJS.Style> } {
  const type = isTypedCell(cell) ? cell.t : col.type;
  const v = isTypedCell(cell) ? cell.v : cell;
  const decimals = (isTypedCell(cell) ? cell.decimals : undefined) ?? col.decimals;
  const horizontal = isTypedCell(cell) && cell.t !== col.type ? (type === 'text' ? 'left' : type === 'status' ? 'center' : 'right') : alignmentOf(col);
  if (v === null || v === undefined || v === '') {
    if (type === 'status' && v === null) return { value: null, style: cellStyle({ alignment: { horizontal: 'center' } }) };
    return { value: null, style: cellStyle({ alignment: { horizontal }, bold }) };
  }
  switch (type) {
    case 'status': {
      const s = String(v) as StatusValue;
      return { value: STATUS_STYLE[s]?.symbol ?? String(v), style: statusStyle(s in STATUS_STYLE ? s : 'none') };
    }
    case 'date':
      return { value: typeof v === 'string' ? excelDate(v) : v, style: cellStyle({ alignment: { horizontal }, numFmt: NUMFMT.date, bold }) };
    case 'integer':
      return { value: typeof v === 'number' ? v : Number(v), style: cellStyle({ alignment: { horizontal }, numFmt: NUMFMT.integer, bold }) };
    case 'number':
      return { value: typeof v === 'number' ? v : Number(v), style: cellStyle({ alignment: { horizontal }, numFmt: decimals !== undefined ? decimalsFormat(decimals) : NUMFMT.number, bold }) };
    case 'percent':
      return { value: typeof v === 'number' ? v : Number(v), style: cellStyle({ alignment: { horizontal }, numFmt: decimals !== undefined ? decimalsFormat(decimals) : NUMFMT.percent, bold }) };
    case 'text':
      return { value: String(v), style: cellStyle({ alignment: { horizontal }, bold }) };
  }
}

/**
 * Row height from the longest wrapped text (spreadsheet programs do not re-measure rows written
 * by a streaming writer): about 1.15 characters per unit of column width, 15 points a line.
 */
function rowHeight(cells: Cell[], columns: Column[]): number {
  let lines = 1;
  cells.forEach((c, i) => {
    const col = columns[i];
    if (!col) return;
    const v = isTypedCell(c) ? c.v : c;
    if (typeof v !== 'string' || (isTypedCell(c) ? c.t : col.type) !== 'text') return;
    const perLine = Math.max(4, Math.floor((col.width ?? 10) * 1.15));
    lines = Math.max(lines, Math.ceil(v.length / perLine));
  });
  return Math.min(409, 15 * lines + 2);
}

/** Write one table as a worksheet and commit it (rows leave memory as they are written). */
export function writeTableSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, source: Table, report: Report, lang: Lang, taken: Set<string>): void {
  const table = tableFor(source, 'xlsx');
  const pre: Array<{ text: string; style: Partial<ExcelJS.Style> }> = [{ text: table.title[lang], style: TITLE_STYLE }];
  for (const s of table.subtitle ?? []) pre.push({ text: s, style: SUBTITLE_STYLE });
  if (report.meta.demo) pre.push({ text: DEMO_NOTE[lang], style: DEMO_STYLE });
  const legendStart = table.legend ? pre.length + 1 : 0;
  if (table.legend) for (const _ of LEGEND_ORDER) pre.push({ text: '', style: {} });
  const headerRow = pre.length + 2;
  const nCols = table.columns.length;
  const widths = table.columns.map((c) => c.width ?? Math.max(8, Math.min(40, c.title[lang].length + 2)));
  const ws: Worksheet = wb.addWorksheet(safeSheetName(table.sheetName, taken), {
    views: [{ state: 'frozen', xSplit: table.freezeColumns ?? 0, ySplit: headerRow, topLeftCell: undefined, activeCell: undefined }],
    pageSetup: a4(table.landscape ?? nCols > 8, `${headerRow}:${headerRow}`, { widthUnits: widths.reduce((a, b) => a + b, 0), printTitlesColumn: table.freezeColumns ? `A:${String.fromCharCode(64 + table.freezeColumns)}` : undefined }),
    headerFooter: PAGE_FOOTER,
  } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = table.columns.map((c, i) => ({ key: c.key, width: widths[i] }));

  pre.forEach((p, i) => {
    const row = ws.getRow(i + 1);
    const k = i + 1 - legendStart;
    if (table.legend && k >= 0 && k < LEGEND_ORDER.length) {
      // Chú giải: one status per row, symbol on its colour, label beside it.
      const s = LEGEND_ORDER[k]!;
      const c = row.getCell(1);
      c.value = STATUS_STYLE[s].symbol;
      c.style = statusStyle(s);
      const l = row.getCell(2);
      l.value = `${STATUS_STYLE[s].label[lang]}${k === 0 ? (lang === 'vi' ? ' (chú giải)' : ' (legend)') : ''}`;
      l.style = { font: { name: 'Times New Roman', size: 11 } };
    } else {
      row.getCell(1).value = p.text;
      row.getCell(1).style = p.style;
    }
    row.commit();
  });
  ws.getRow(headerRow - 1).commit();

  const header = ws.getRow(headerRow);
  table.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.title[lang];
    cell.style = HEADER_STYLE;
  });
  header.height = 36;
  header.commit();

  let r = headerRow;
  for (const row of table.rows) {
    r++;
    const xr = ws.getRow(r);
    const bold = row.kind === 'group' || row.kind === 'strong';
    if (row.kind === 'group') {
      const c = xr.getCell(1);
      c.value = String(row.cells[0] ?? '');
      c.style = cellStyle({ bold: true, fill: 'FFF2F2F2' });
      for (let k = 2; k <= nCols; k++) xr.getCell(k).style = cellStyle({ fill: 'FFF2F2F2' });
    } else {
      table.columns.forEach((col, i) => {
        const { value, style } = renderCell(row.cells[i] ?? null, col, bold);
        const c = xr.getCell(i + 1);
        c.value = value;
        c.style = style;
      });
    }
    xr.height = rowHeight(row.kind === 'group' ? [] : row.cells, table.columns);
    xr.commit();
  }
  if (table.autoFilter !== false && table.rows.length > 0) {
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: r, column: nCols } };
  }
  const notes = [...(table.notes ?? [])];
  if (report.meta.unverifiedIndicators > 0 && !notes.includes(UNVERIFIED_NOTE[lang])) notes.push(UNVERIFIED_NOTE[lang]);
  r++;
  for (const n of notes) {
    r++;
    const nr = ws.getRow(r);
    nr.getCell(1).value = n;
    nr.getCell(1).style = NOTE_STYLE;
    nr.commit();
  }
  ws.commit();
}

/** Render every table of the report to `out` as .xlsx. */
export async function writeXlsx(report: Report, out: Writable, lang: Lang = 'vi'): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Đạt Chuẩn';
  wb.title = report.title[lang];
  const taken = new Set<string>();
  const tables = report.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : []));
  for (const t of tables) writeTableSheet(wb, t, report, lang, taken);
  await wb.commit();
}

/** The workbook as a Buffer (small reports, tests). */
export async function xlsxBuffer(report: Report, lang: Lang = 'vi'): Promise<Buffer> {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pass.on('end', resolve);
    pass.on('error', reject);
  });
  await writeXlsx(report, pass, lang);
  await done;
  return Buffer.concat(chunks);
}
