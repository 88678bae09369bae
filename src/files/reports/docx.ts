/**
 * Văn bản Word theo Nghị định 30/2020/NĐ-CP — renders a `Report` with an official header as a
 * .docx in the administrative format (checklist DOC-01…DOC-20 in the shared reference §4):
 * A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, black; the
 * two-column header (issuing body with a short rule and "Số: …" on the left; national title,
 * underlined motto and the italic place-date line on the right); type and summary centred in bold
 * with a short rule; a justified body (14 pt, first-line indent 1.27 cm, 6 pt after, 1.15 lines);
 * page numbers centred in the top margin from page 2 (a different, empty first-page header);
 * signature block and "Nơi nhận:" (12 bold italic, entries 11). Pure: builds bytes, no I/O.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table as DocxTable,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlignTable,
  WidthType,
  type IBorderOptions,
  type ParagraphChild,
} from 'docx';
import type { Block, Cell, Column, OfficialHeader, Report, SignatureBlock, Table } from './model.ts';
import { DEMO_NOTE, STATUS_STYLE, UNVERIFIED_NOTE, isTypedCell, tableFor, type StatusValue } from './model.ts';
import { dateVi, numberVi, placeDateLine } from '../format.ts';

/** Twips per millimetre (1 twip = 1/1440 inch). */
const MM = 1440 / 25.4;
export const PAGE = {
  width: 11906, // 210 mm
  height: 16838, // 297 mm
  top: Math.round(20 * MM), // 1134
  bottom: Math.round(20 * MM),
  left: Math.round(30 * MM), // 1701
  right: Math.round(15 * MM), // 850
  header: Math.round(10 * MM),
  footer: Math.round(10 * MM),
} as const;
const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** First-line indent of body paragraphs: 1.27 cm. */
export const FIRST_LINE = 720;
const FONT = 'Times New Roman';
const BLACK = '000000';

/** Half-points, as Word stores sizes. */
const pt = (n: number) => n * 2;
const SIZE = { body: 14, title: 14, nationalTitle: 12, motto: 13, header: 13, table: 12, recipientsLabel: 12, recipients: 11, pageNumber: 13, note: 12 } as const;

interface RunOpts {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}

function run(text: string, o: RunOpts = {}): TextRun {
  return new TextRun({
    text,
    font: FONT,
    color: BLACK,
    size: pt(o.size ?? SIZE.body),
    bold: o.bold ?? false,
    italics: o.italics ?? false,
    ...(o.underline ? { underline: { type: UnderlineType.SINGLE, color: BLACK } } : {}),
  });
}

interface ParaOpts {
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  firstLine?: number;
  before?: number;
  after?: number;
  line?: number;
  /** Kept on the page of the next paragraph (headings; the last paragraph before the signature). */
  keepNext?: boolean;
}

function para(children: ParagraphChild[], o: ParaOpts = {}): Paragraph {
  return new Paragraph({
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: o.firstLine ? { firstLine: o.firstLine } : undefined,
    spacing: { before: o.before ?? 0, after: o.after ?? 0, line: o.line ?? 240 },
    keepNext: o.keepNext ?? false,
    // A paragraph kept with the next is also kept whole (its lines are not split over two pages).
    keepLines: o.keepNext ?? false,
    children,
  });
}

/** A centred paragraph of one text (lines split on "\n"). */
function centred(text: string, o: RunOpts & { before?: number; after?: number; keepNext?: boolean } = {}): Paragraph[] {
  return text.split('\n').map((line, i, all) => para([run(line, o)], { align: AlignmentType.CENTER, before: i === 0 ? (o.before ?? 0) : 0, after: i === all.length - 1 ? (o.after ?? 0) : 0, keepNext: o.keepNext }));
}

/**
 * Estimated printed width (twips) of a line of Times New Roman text, character by character
 * (upper-case letters ≈ 0.7 em, 0.74 bold — "CÁC CHƯƠNG TRÌNH MỤC", bold 13 pt, prints 3417 twips wide; digits 0.5 em; lower case ≈ 0.47 em, 0.52 bold; spaces
 * and narrow punctuation 0.25–0.33 em). Slightly generous, so that what it says fits does fit.
 */
export function textWidth(text: string, sizePt: number, bold = false): number {
  let em = 0;
  for (const ch of text.normalize('NFC')) {
    if (/\s/.test(ch)) em += 0.25;
    else if (/[0-9]/.test(ch)) em += 0.5;
    else if (/[.,:;!'|ilíìỉĩịIÍÌỈĨỊ]/.test(ch)) em += 0.3;
    else if (/[()[\]/\-–]/.test(ch)) em += 0.36;
    else if (/[mwMW%]/.test(ch)) em += bold ? 1 : 0.95;
    else if (ch !== ch.toLowerCase()) em += bold ? 0.74 : 0.7;
    else em += bold ? 0.52 : 0.47;
  }
  return Math.ceil(em * sizePt * 20);
}

/**
 * Words split into as few lines as fit `width` (twips), balanced so that the lines are about as
 * long as each other. Words joined by a no-break space (U+00A0) stay on one line ("MỤC TIÊU QUỐC
 * GIA"); the lines come back with ordinary spaces.
 */
export function balancedLines(text: string, width: number, measure: (s: string) => number): string[] {
  return balancedGroups(text, width, measure).map((l) => l.replace(/\u00a0/g, ' '));
}

function balancedGroups(text: string, width: number, measure: (s: string) => number): string[] {
  const words = text.split(/[ \t\r\n]+/).filter(Boolean);
  const greedy = (limit: number): string[] => {
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && measure(next) > limit) {
        lines.push(cur);
        cur = w;
      } else cur = next;
    }
    if (cur) lines.push(cur);
    return lines;
  };
  const fewest = greedy(width).length;
  let lo = Math.max(...words.map(measure));
  let hi = width;
  // The narrowest limit that still needs no more lines than the greedy fill at full width.
  while (hi - lo > 20) {
    const mid = Math.floor((lo + hi) / 2);
    if (greedy(mid).length <= fewest) hi = mid;
    else lo = mid;
  }
  return greedy(hi);
}

/** A short solid rule `ruleLength` long (1/3–1/2 of the text above it) centred in a column `width` wide. */
function shortRule(width: number, ruleLength: number): Paragraph {
  const side = Math.max(0, Math.round((width - ruleLength) / 2));
  const line: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: BLACK, space: 1 };
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 60, lineRule: 'exact' },
    border: { bottom: line },
    children: [],
  });
}

const NO_BORDERS = TableBorders.NONE;

function cell(children: Paragraph[], width: number, opts: { borders?: boolean; shade?: string; vAlign?: (typeof VerticalAlignTable)[keyof typeof VerticalAlignTable]; columnSpan?: number } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: children.length ? children : [new Paragraph({ children: [] })],
    verticalAlign: opts.vAlign ?? VerticalAlignTable.TOP,
    ...(opts.columnSpan ? { columnSpan: opts.columnSpan } : {}),
    ...(opts.shade ? { shading: { fill: opts.shade, color: 'auto', type: 'clear' as const } } : {}),
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
  });
}

// ── Header block (DOC-05…DOC-10) ───────────────────────────────────────────────────────────

const LEFT_COL = Math.round(TEXT_WIDTH * 0.4);
const RIGHT_COL = TEXT_WIDTH - LEFT_COL;
/** Room for text inside a header cell (its left and right margins are 60 twips each). */
const LEFT_TEXT = LEFT_COL - 160;
export const NATIONAL_TITLE = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const MOTTO = 'Độc lập - Tự do - Hạnh phúc';
/** The rule under the issuing body and under the summary: this share of the longest line (DOC-07, DOC-10: 1/3–1/2). */
export const RULE_SHARE = 0.4;

/** The lines of the issuing-body box (DOC-07): each "\n" part split further so that every line fits the column. */
export function issuingBodyLines(h: Pick<OfficialHeader, 'parentBody' | 'issuingBody'>): { parent: string[]; body: string[] } {
  const fit = (text: string, bold: boolean) =>
    text
      .toUpperCase()
      .split('\n')
      .flatMap((part) => balancedLines(part, LEFT_TEXT, (x) => textWidth(x, SIZE.header, bold)));
  return { parent: h.parentBody ? fit(h.parentBody, false) : [], body: fit(h.issuingBody, true) };
}

/** Length (twips) of the rule under the issuing body: RULE_SHARE of its longest line. */
export function issuingRuleLength(bodyLines: string[]): number {
  return Math.round(RULE_SHARE * Math.max(...bodyLines.map((l) => textWidth(l, SIZE.header, true))));
}

function headerTable(h: OfficialHeader): DocxTable {
  const lines = issuingBodyLines(h);
  const left: Paragraph[] = [];
  if (lines.parent.length) left.push(...centred(lines.parent.join('\n'), { size: SIZE.header }));
  left.push(...centred(lines.body.join('\n'), { bold: true, size: SIZE.header }));
  left.push(shortRule(LEFT_COL - 120, issuingRuleLength(lines.body)));
  const right: Paragraph[] = [
    ...centred(NATIONAL_TITLE, { bold: true, size: SIZE.nationalTitle }),
    ...centred(MOTTO, { bold: true, size: SIZE.motto, underline: true }),
  ];
  return new DocxTable({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LEFT_COL, RIGHT_COL],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [
      new TableRow({ children: [cell(left, LEFT_COL), cell(right, RIGHT_COL)] }),
      new TableRow({
        children: [
          cell(centred(`Số: ${h.number}`, { size: SIZE.header, before: 120 }), LEFT_COL),
          cell(centred(placeDateLine(h.place, h.date), { italics: true, size: SIZE.motto, before: 120 }), RIGHT_COL),
        ],
      }),
    ],
  });
}

function titleBlock(h: OfficialHeader): Paragraph[] {
  // Each summary line that would wrap is split into balanced lines (no lone "2026" on the last line).
  const summary = h.summary.split('\n').flatMap((part) => balancedLines(part, TEXT_WIDTH - 240, (x) => textWidth(x, SIZE.title, true)));
  const out = [...centred(h.docType.toUpperCase(), { bold: true, size: SIZE.title, before: 360 }), ...centred(summary.join('\n'), { bold: true, size: SIZE.title })];
  const longest = Math.max(...summary.map((l) => textWidth(l, SIZE.title, true)));
  out.push(shortRule(TEXT_WIDTH, Math.min(TEXT_WIDTH * 0.5, longest * RULE_SHARE)));
  if (h.recipientsTo.length === 1) {
    out.push(para([run(`Kính gửi: ${h.recipientsTo[0]}.`)], { align: AlignmentType.CENTER, before: 240, after: 120 }));
  } else if (h.recipientsTo.length > 1) {
    out.push(para([run('Kính gửi:')], { align: AlignmentType.CENTER, before: 240 }));
    h.recipientsTo.forEach((r, i) => out.push(para([run(`- ${r}${i === h.recipientsTo.length - 1 ? '.' : ';'}`)], { align: AlignmentType.CENTER, after: i === h.recipientsTo.length - 1 ? 120 : 0 })));
  } else {
    out.push(para([], { after: 240 }));
  }
  return out;
}

/** Lưu hành nội bộ-style box (DOC-19) saying the data is illustrative. */
function demoBox(): Paragraph {
  const b: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: BLACK, space: 2 };
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 0 },
    border: { top: b, bottom: b, left: b, right: b },
    indent: { left: Math.round(TEXT_WIDTH * 0.3), right: Math.round(TEXT_WIDTH * 0.3) },
    children: [run(DEMO_NOTE.vi.split(' — ')[0]!, { bold: true, size: 13 })],
  });
}

// ── Body ────────────────────────────────────────────────────────────────────────────────────

/** A body paragraph (DOC-12): justified, first-line indent 1.27 cm, 6 pt after, 1.15 lines. */
export function bodyParagraph(text: string, o: { bold?: boolean; italics?: boolean; indent?: boolean; size?: number; keepNext?: boolean; center?: boolean } = {}): Paragraph {
  return para([run(text, { bold: o.bold, italics: o.italics, size: o.size })], { firstLine: o.indent === false ? undefined : FIRST_LINE, after: 120, line: 276, keepNext: o.keepNext, align: o.center ? AlignmentType.CENTER : undefined });
}

function cellText(c: Cell, col: Column): { text: string; status: StatusValue | null } {
  const type = isTypedCell(c) ? c.t : col.type;
  const v = isTypedCell(c) ? c.v : c;
  const decimals = (isTypedCell(c) ? c.decimals : undefined) ?? col.decimals;
  if (v === null || v === undefined || v === '') return { text: '', status: type === 'status' ? 'none' : null };
  switch (type) {
    case 'status': {
      const s = String(v) as StatusValue;
      const st = STATUS_STYLE[s];
      return { text: st ? (s === 'none' ? st.label.vi : `${st.symbol} ${st.label.vi}`) : String(v), status: st ? s : null };
    }
    case 'date':
      return { text: dateVi(String(v)), status: null };
    case 'integer':
      return { text: typeof v === 'number' ? numberVi(v, 0) : String(v), status: null };
    case 'number':
      return { text: typeof v === 'number' ? numberVi(v, decimals ?? 2, decimals !== undefined) : String(v), status: null };
    case 'percent':
      return { text: typeof v === 'number' ? numberVi(v, decimals ?? 1, true) : String(v), status: null };
    case 'text':
      return { text: String(v), status: null };
  }
}

function columnAlign(col: Column, typeOverride?: string): (typeof AlignmentType)[keyof typeof AlignmentType] {
  const t = typeOverride ?? col.type;
  const a = col.align ?? (t === 'text' ? 'left' : t === 'status' || t === 'date' ? 'center' : 'right');
  return a === 'left' ? AlignmentType.LEFT : a === 'center' ? AlignmentType.CENTER : AlignmentType.RIGHT;
}

/** Cell margins left + right (twips), and a little slack for the estimate. */
const CELL_PAD = 120 + 40;

/**
 * Column widths (twips) of a Word table: shared in proportion to the columns' `width`, but never
 * narrower than the longest word of the column (header included), so that "17.10", "30/06/2026"
 * or "đồng/người/năm" are never broken over two lines. Columns that need more take it from the
 * others, in proportion.
 */
export function columnWidths(source: Table, fontSize: number, total = TEXT_WIDTH): number[] {
  const t = tableFor(source, 'docx');
  const n = t.columns.length;
  const weights = t.columns.map((c) => c.width ?? 10);
  const longestWord = (text: string, bold: boolean) => Math.max(0, ...text.split(/\s+/).filter(Boolean).map((w) => textWidth(w, fontSize, bold)));
  const min = t.columns.map((c, i) => {
    let need = longestWord(c.title.vi, true);
    for (const r of t.rows) {
      if (r.kind === 'group') continue;
      const cellValue = r.cells[i] ?? null;
      need = Math.max(need, longestWord(cellText(cellValue, c).text, r.kind === 'strong'));
    }
    return need + CELL_PAD;
  });
  const minTotal = min.reduce((a, b) => a + b, 0);
  if (minTotal >= total) return min.map((w) => Math.floor((w / minTotal) * total));
  const pinned = new Array<boolean>(n).fill(false);
  let widths: number[] = [];
  for (;;) {
    const free = total - min.reduce((a, w, i) => a + (pinned[i] ? w : 0), 0);
    const freeWeight = weights.reduce((a, w, i) => a + (pinned[i] ? 0 : w), 0);
    widths = weights.map((w, i) => (pinned[i] ? min[i]! : Math.floor((w / freeWeight) * free)));
    const short = widths.map((w, i) => !pinned[i] && w < min[i]!);
    if (!short.some(Boolean)) break;
    short.forEach((s, i) => {
      if (s) pinned[i] = true;
    });
  }
  return widths;
}

function dataTable(source: Table, fontSize: number, keepLastRowWithNext = false): DocxTable {
  const t = tableFor(source, 'docx');
  const widths = columnWidths(t, fontSize);
  const border: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: BLACK };
  const cp = (text: string, o: RunOpts & { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; keepNext?: boolean } = {}) =>
    para([run(text, { size: fontSize, bold: o.bold, italics: o.italics })], { align: o.align ?? AlignmentType.LEFT, before: 20, after: 20, keepNext: o.keepNext });
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: t.columns.map((c, i) => cell([cp(c.title.vi, { bold: true, align: AlignmentType.CENTER })], widths[i]!, { vAlign: VerticalAlignTable.CENTER })),
  });
  const rows = t.rows.map((r, k) => {
    const keepNext = keepLastRowWithNext && k === t.rows.length - 1;
    if (r.kind === 'group') {
      return new TableRow({ cantSplit: true, children: [cell([cp(String(r.cells[0] ?? ''), { bold: true, keepNext })], TEXT_WIDTH, { columnSpan: t.columns.length })] });
    }
    return new TableRow({
      cantSplit: true,
      children: t.columns.map((col, i) => {
        const c = r.cells[i] ?? null;
        const { text } = cellText(c, col);
        return cell([cp(text, { bold: r.kind === 'strong', align: columnAlign(col, isTypedCell(c) ? c.t : undefined), keepNext })], widths[i]!);
      }),
    });
  });
  return new DocxTable({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [header, ...rows],
  });
}

/**
 * One block as Word paragraphs and tables. `keep`: the block is the last before the signature and
 * is kept on the signature's page (its last paragraph, or its table's last row, "keep with next").
 */
function renderBlock(b: Block, keep = false): Array<Paragraph | DocxTable> {
  switch (b.type) {
    case 'heading':
      // DOC-13 (report style): "I. TITLE" upper case bold; "1." clauses bold when titled.
      return [para([run(b.level === 1 ? b.text.toUpperCase() : b.text, { bold: true })], { firstLine: FIRST_LINE, before: b.level === 1 ? 120 : 60, after: 120, line: 276, keepNext: true })];
    case 'paragraph':
      if (b.lead) {
        // "Điều 1." bold, then the article's text (DOC-13).
        return [para([run(`${b.lead} `, { bold: true, italics: b.italic }), run(b.text, { bold: b.bold, italics: b.italic })], { firstLine: b.indent === false ? undefined : FIRST_LINE, after: 120, line: 276, keepNext: keep })];
      }
      return [bodyParagraph(b.text, { bold: b.bold, italics: b.italic, indent: b.indent, keepNext: keep, center: b.center })];
    case 'bullets':
      return b.items.map((i, k) => bodyParagraph(`- ${i}`, { keepNext: keep && k === b.items.length - 1 }));
    case 'note':
      return [para([run(b.text, { italics: true, size: SIZE.note })], { firstLine: FIRST_LINE, before: 60, after: 60, keepNext: keep })];
    case 'table': {
      if (b.xlsxOnly) return [];
      const out: Array<Paragraph | DocxTable> = [];
      if (!b.hideTitle && b.table.title.vi) out.push(para([run(b.table.title.vi, { bold: true, size: SIZE.table + 1 })], { align: AlignmentType.CENTER, before: 120, after: 60, keepNext: true }));
      const notes = b.table.notes ?? [];
      out.push(dataTable(b.table, b.fontSize ?? SIZE.table, keep));
      notes.forEach((n) => out.push(para([run(n, { italics: true, size: SIZE.note - 1 })], { before: 40, keepNext: keep })));
      out.push(para([], { after: 120, keepNext: keep }));
      return out;
    }
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
    case 'appendix':
      // DOC-18: "Phụ lục" centred bold 14, title upper case bold, reference italic.
      return [
        new Paragraph({ children: [new PageBreak()] }),
        ...centred(b.label, { bold: true, size: 14, keepNext: true }),
        ...centred(b.title.toUpperCase(), { bold: true, size: 14, keepNext: true }),
        ...centred(b.reference, { italics: true, size: 14, after: 240, keepNext: true }),
      ];
  }
}

// ── Signature and recipients (DOC-15, DOC-17) ───────────────────────────────────────────────

function signatureTable(s: SignatureBlock): DocxTable {
  const leftW = Math.round(TEXT_WIDTH * 0.45);
  const rightW = TEXT_WIDTH - leftW;
  const left: Paragraph[] = [];
  if (s.coSigner) {
    // Minutes: the second signer (the secretary) on the left, level with the chair.
    if (s.authority) left.push(...centred(' ', { size: SIZE.body }));
    left.push(...centred(s.coSigner.position.toUpperCase(), { bold: true, size: SIZE.body }));
    for (let i = 0; i < 4; i++) left.push(para([], { align: AlignmentType.CENTER }));
    left.push(...centred(s.coSigner.name ?? '', { bold: true, size: SIZE.body }));
  } else {
    left.push(para([run('Nơi nhận:', { bold: true, italics: true, size: SIZE.recipientsLabel })], { align: AlignmentType.LEFT }));
    for (const r of s.recipients) left.push(para([run(`- ${r};`, { size: SIZE.recipients })], { align: AlignmentType.LEFT }));
    left.push(para([run(`- ${s.archive.replace(/\.?$/, '.')}`, { size: SIZE.recipients })], { align: AlignmentType.LEFT }));
  }
  const right: Paragraph[] = [];
  if (s.authority) right.push(...centred(s.authority.toUpperCase(), { bold: true, size: SIZE.body }));
  right.push(...centred(s.position.toUpperCase(), { bold: true, size: SIZE.body }));
  for (let i = 0; i < 4; i++) right.push(para([], { align: AlignmentType.CENTER }));
  right.push(...centred(s.name ?? '', { bold: true, size: SIZE.body }));
  return new DocxTable({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [leftW, rightW],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ cantSplit: true, children: [cell(left, leftW), cell(right, rightW)] })],
  });
}

// ── Document ────────────────────────────────────────────────────────────────────────────────

/** Build the Word document of a report that has an official header. */
export function buildDocx(report: Report): Document {
  const h = report.header;
  if (!h) throw new Error(`report ${report.kind} has no official header`);
  const children: Array<Paragraph | DocxTable> = [headerTable(h)];
  if (report.meta.demo) children.push(demoBox());
  children.push(...titleBlock(h));
  // The body, then the signature and "Nơi nhận" — kept on one page with the last paragraph — and
  // only then the appendices (DOC-15/17/18: an appendix follows the signed document).
  const firstAppendix = report.blocks.findIndex((b) => b.type === 'appendix');
  const body = firstAppendix < 0 ? report.blocks : report.blocks.slice(0, firstAppendix);
  const appendices = firstAppendix < 0 ? [] : report.blocks.slice(firstAppendix);
  const note = report.meta.unverifiedIndicators > 0;
  const signed = report.signature !== undefined;
  body.forEach((b, i) => children.push(...renderBlock(b, signed && i === body.length - 1)));
  if (note) children.push(para([run(UNVERIFIED_NOTE.vi, { italics: true, size: SIZE.note })], { firstLine: FIRST_LINE, before: 120, after: 120, keepNext: signed }));
  if (report.signature) {
    children.push(para([], { after: 120, keepNext: true }));
    children.push(signatureTable(report.signature));
  }
  for (const b of appendices) children.push(...renderBlock(b));
  const pageNumber = new Header({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: pt(SIZE.pageNumber), color: BLACK })] })],
  });
  return new Document({
    creator: 'Đạt Chuẩn',
    title: `${h.docType} ${h.summary}`.replace(/\n/g, ' '),
    description: report.title.vi,
    styles: {
      default: {
        document: { run: { font: FONT, size: pt(SIZE.body), color: BLACK }, paragraph: { spacing: { before: 0, after: 0, line: 240 } } },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: PAGE.header, footer: PAGE.footer },
          },
        },
        headers: { default: pageNumber, first: new Header({ children: [new Paragraph({ children: [] })] }) },
        children,
      },
    ],
  });
}

export async function docxBuffer(report: Report): Promise<Buffer> {
  return Packer.toBuffer(buildDocx(report));
}
