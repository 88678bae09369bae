/**
 * Mô hình báo cáo — the pure report model every export is built as, before it is rendered to a
 * spreadsheet (xlsx.ts), a Word document in the Decree 30/2020 format (docx.ts) or the screen
 * (the web app renders the same JSON). Builders in `builders/` turn service data into a `Report`;
 * they do no I/O. Adding a report (tasks, budgets…) means adding one builder.
 */
import type { VerdictStatus } from '../../domain/criteria.ts';
import type { BilingualMessage } from '../../domain/errors.ts';

/** How a column's plain values are interpreted and shown. */
export type CellType = 'text' | 'integer' | 'number' | 'percent' | 'date' | 'status';

/**
 * One cell: a plain value read with its column's type, or an object overriding the type (a mixed
 * "value" column holds numbers, grades and yes/no answers). Dates are ISO `YYYY-MM-DD`; percents
 * are 0–100; statuses are verdict statuses or `none` (not reviewed).
 */
export type Cell = null | string | number | TypedCell;

export interface TypedCell {
  t: CellType;
  v: string | number | null;
  /** Decimals shown for numbers (default: as needed, up to 2). */
  decimals?: number;
}

export type StatusValue = VerdictStatus | 'none';

export interface Column {
  key: string;
  title: BilingualMessage;
  type: CellType;
  /** Width in characters (xlsx) — the docx renderer shares widths in proportion. */
  width?: number;
  decimals?: number;
  align?: 'left' | 'center' | 'right';
  /**
   * Rendered only in one format: Excel keeps "13/19" as two numeric columns (met, total) that sort
   * and sum, Word prints one compact "13/19" column.
   */
  only?: 'xlsx' | 'docx';
}

export interface Row {
  cells: Cell[];
  /** `group`: a heading row spanning the table; `strong`: a bold row (a criterion, totals). */
  kind?: 'data' | 'group' | 'strong';
}

/** Bảng — a table: one sheet in xlsx, a Word table in docx. */
export interface Table {
  id: string;
  /** Sheet name (≤ 31 chars, no []:*?/\). */
  sheetName: string;
  title: BilingualMessage;
  /** Lines under the title (unit, date, set…). */
  subtitle?: string[];
  columns: Column[];
  rows: Row[];
  /** Columns kept visible when scrolling right (xlsx freeze panes). */
  freezeColumns?: number;
  /** Show the status legend (✓ ✗ ? –) above the table. */
  legend?: boolean;
  autoFilter?: boolean;
  /** Landscape when printed (xlsx page setup). */
  landscape?: boolean;
  notes?: string[];
}

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | {
      type: 'paragraph';
      text: string;
      italic?: boolean;
      bold?: boolean;
      indent?: boolean;
      /** Centred (a decision's "QUYẾT ĐỊNH:" line). */
      center?: boolean;
      /** Bold words opening the paragraph ("Điều 1." — DOC-13). */
      lead?: string;
    }
  | { type: 'bullets'; items: string[] }
  | { type: 'table'; table: Table; fontSize?: number; hideTitle?: boolean; /** Only in the spreadsheet (the Word text already says it). */ xlsxOnly?: boolean }
  | { type: 'note'; text: string }
  | { type: 'pageBreak' }
  | { type: 'appendix'; label: string; title: string; reference: string };

/** Văn bản hành chính — the parts of a Decree 30/2020 document around the body. */
export interface OfficialHeader {
  /** Cơ quan chủ quản — parent body (upper case, upright), or null. */
  parentBody: string | null;
  /** Cơ quan ban hành — issuing body (upper case, bold); "\n" splits it over lines. */
  issuingBody: string;
  /** Số, ký hiệu: "05/BC-UBND"; blank number ("   /BC-UBND") for a draft. */
  number: string;
  /** Địa danh — the place name on the date line ("Bình Lục"). */
  place: string;
  /** ISO date of the document. */
  date: string;
  /** Tên loại — "BÁO CÁO", "BIỂU TỔNG HỢP". */
  docType: string;
  /** Trích yếu — the summary under the type. */
  summary: string;
  /** Kính gửi — addressees of a report sent upward. */
  recipientsTo: string[];
}

export interface SignatureBlock {
  /** "TM. ỦY BAN NHÂN DÂN" (authority prefix and body). */
  authority: string | null;
  /** "CHỦ TỊCH". */
  position: string;
  /** Full name, or null to leave the line for the signer. */
  name: string | null;
  /** Nơi nhận — entries without the leading "-" and trailing ";" (added when rendered). */
  recipients: string[];
  /** "Lưu: VT, VP." — the last recipient line. */
  archive: string;
  /**
   * A second signer on the left instead of "Nơi nhận" (minutes: the secretary signs on the left,
   * the chair on the right).
   */
  coSigner?: { position: string; name: string | null };
}

export interface ReportMeta {
  /** The data date: "số liệu tại ngày". */
  date: string;
  unitName: string | null;
  setId: string | null;
  setName: string | null;
  generatedAt: string;
  /** Demo data: every rendering says so (never to be presented as official). */
  demo: boolean;
  /** Indicators shown that are not verified against the official text. */
  unverifiedIndicators: number;
}

export interface Report {
  /** Machine name: `matrix`, `commune-detail`, `unit-summary`, `history`, `self-assessment`, `examination`. */
  kind: string;
  title: BilingualMessage;
  meta: ReportMeta;
  /** Present for Word reports in the administrative format. */
  header?: OfficialHeader;
  signature?: SignatureBlock;
  blocks: Block[];
  /** Suggested file name without extension (ASCII, no spaces). */
  fileName: string;
}

/** Ký hiệu trạng thái — the symbol and colours of a verdict in tables. */
export const STATUS_STYLE: Readonly<Record<StatusValue, { symbol: string; label: BilingualMessage; fill: string; font: string }>> = {
  met: { symbol: '✓', label: { vi: 'Đạt', en: 'Met' }, fill: 'FFC6EFCE', font: 'FF006100' },
  not_met: { symbol: '✗', label: { vi: 'Chưa đạt', en: 'Not met' }, fill: 'FFFFC7CE', font: 'FF9C0006' },
  not_evaluable: { symbol: '?', label: { vi: 'Chưa đánh giá được', en: 'Not evaluable' }, fill: 'FFFFEB9C', font: 'FF7F6000' },
  not_applicable: { symbol: '–', label: { vi: 'Không áp dụng', en: 'Not applicable' }, fill: 'FFEDEDED', font: 'FF404040' },
  none: { symbol: '', label: { vi: 'Chưa rà soát', en: 'Not reviewed' }, fill: 'FFFFFFFF', font: 'FF595959' },
};

export const STATUS_LETTERS: Readonly<Record<string, VerdictStatus>> = { M: 'met', N: 'not_met', E: 'not_evaluable', A: 'not_applicable' };

/** The footnote every report carries when it shows unverified catalogue items. */
export const UNVERIFIED_NOTE: BilingualMessage = {
  vi: '(*) Chỉ tiêu chưa được kiểm chứng với văn bản gốc.',
  en: '(*) Indicator not yet verified against the official text.',
};

export const DEMO_NOTE: BilingualMessage = {
  vi: 'DỮ LIỆU MINH HỌA — không phải số liệu chính thức.',
  en: 'DEMO DATA — not official figures.',
};

/** The table as one format shows it: columns marked `only` for another format left out, with their cells. */
export function tableFor(t: Table, format: 'xlsx' | 'docx'): Table {
  if (!t.columns.some((c) => c.only && c.only !== format)) return t;
  const keep = t.columns.map((c) => !c.only || c.only === format);
  return {
    ...t,
    columns: t.columns.filter((_, i) => keep[i]),
    rows: t.rows.map((r) => (r.kind === 'group' ? r : { ...r, cells: r.cells.filter((_, i) => keep[i]) })),
  };
}

export function typed(t: CellType, v: string | number | null, decimals?: number): TypedCell {
  return decimals === undefined ? { t, v } : { t, v, decimals };
}

export function isTypedCell(c: Cell): c is TypedCell {
  return typeof c === 'object' && c !== null;
}

/** A name Excel accepts as a sheet name (≤ 31 chars, none of []:*?/\), unique within `taken`. */
export function safeSheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** An ASCII file name stem from Vietnamese text: "Xã Tràng An" → "xa-trang-an". */
export function fileStem(...parts: string[]): string {
  return parts
    .join('-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}
