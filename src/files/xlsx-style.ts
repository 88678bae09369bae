/**
 * Shared spreadsheet styles: fonts, header, borders, number formats, status colours. Used by the
 * report renderer and the template writer so both look the same.
 */
import ExcelJS from 'exceljs';
import type { Alignment, Borders, Fill, Font, Style } from 'exceljs';
import { STATUS_STYLE, type StatusValue } from './reports/model.ts';

export { ExcelJS };

export const FONT = 'Times New Roman';

const thin = { style: 'thin' as const, color: { argb: 'FF9E9E9E' } };
export const BORDER: Partial<Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export function font(extra: Partial<Font> = {}): Partial<Font> {
  return { name: FONT, size: 11, ...extra };
}

export function solid(argb: string): Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

export const TITLE_STYLE: Partial<Style> = { font: font({ bold: true, size: 14 }) };
export const SUBTITLE_STYLE: Partial<Style> = { font: font({ italic: true, size: 11 }) };
export const NOTE_STYLE: Partial<Style> = { font: font({ italic: true, size: 10, color: { argb: 'FF595959' } }) };
export const DEMO_STYLE: Partial<Style> = { font: font({ bold: true, size: 11, color: { argb: 'FFC00000' } }) };

export const HEADER_STYLE: Partial<Style> = {
  font: font({ bold: true }),
  fill: solid('FFDDEBF7'),
  border: BORDER,
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
};

export const NUMFMT = {
  integer: '#,##0',
  number: '#,##0.##',
  percent: '0.0',
  date: 'dd/mm/yyyy',
} as const;

/** A number format with exactly `d` decimals. */
export function decimalsFormat(d: number): string {
  return d <= 0 ? '#,##0' : `#,##0.${'0'.repeat(d)}`;
}

export function statusStyle(status: StatusValue): Partial<Style> {
  const s = STATUS_STYLE[status];
  return {
    font: font({ bold: true, color: { argb: s.font } }),
    fill: solid(s.fill),
    border: BORDER,
    alignment: { horizontal: 'center', vertical: 'middle' },
  };
}

export function cellStyle(extra: { alignment?: Partial<Alignment>; numFmt?: string; bold?: boolean; fill?: string } = {}): Partial<Style> {
  return {
    font: font(extra.bold ? { bold: true } : {}),
    border: BORDER,
    alignment: { vertical: 'top', wrapText: true, ...extra.alignment },
    ...(extra.numFmt ? { numFmt: extra.numFmt } : {}),
    ...(extra.fill ? { fill: solid(extra.fill) } : {}),
  };
}

/** An ISO date as the Date ExcelJS stores as a real Excel date (UTC midnight, no time-zone drift). */
export function excelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * Column width units that still print legibly across one A4 landscape page (≈ 150 at 100 %;
 * 230 prints at about 65 %, 10-point text at 6.5 points — the smallest a clerk reads).
 */
export const LEGIBLE_WIDTH_PER_PAGE = 230;

/**
 * A4 page setup for printing: fitted to the page width — to as many pages across as keep the text
 * legible when the sheet is wider than `LEGIBLE_WIDTH_PER_PAGE` (`widthUnits`: the sum of the
 * column widths), with `printTitlesColumn` (the commune columns) repeated on each of them — and
 * `printTitlesRow` (the header rows) repeated on every page.
 */
export function a4(landscape: boolean, printTitlesRow?: string, opts: { widthUnits?: number; printTitlesColumn?: string } = {}): Partial<ExcelJS.PageSetup> {
  const across = opts.widthUnits ? Math.max(1, Math.ceil(opts.widthUnits / LEGIBLE_WIDTH_PER_PAGE)) : 1;
  return {
    paperSize: 9,
    orientation: landscape ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: across,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(printTitlesRow ? { printTitlesRow } : {}),
    ...(opts.printTitlesColumn && across > 1 ? { printTitlesColumn: opts.printTitlesColumn } : {}),
  };
}

/** Page numbers in the footer of every printed sheet: "Trang 2/5", centred. */
export const PAGE_FOOTER: Partial<ExcelJS.HeaderFooter> = {
  differentFirst: false,
  differentOddEven: false,
  oddFooter: '&C&"Times New Roman,Regular"&10Trang &P/&N',
};
