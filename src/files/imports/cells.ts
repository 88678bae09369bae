/**
 * Đọc bảng tính — the pure half of a spreadsheet import: what a cell holds (number, text, date,
 * yes/no), how a header row maps onto a criteria set (indicator codes or names, matched without
 * diacritics; commune code, name, parent and date columns), and how a cell becomes an indicator
 * value. Every failure is a problem with a bilingual message, never an exception.
 */
import type { CriteriaSet, Indicator, IndicatorValue } from '../../domain/criteria.ts';
import { conditionKey } from '../../domain/criteria.ts';
import type { BilingualMessage } from '../../domain/errors.ts';
import { isIsoDate, parseDateVi } from '../../domain/dates.ts';
import { foldVietnamese, nfc } from '../../domain/text.ts';
import { parseNumberText } from '../../domain/numbers.ts';
import { gradeRank, validateIndicatorValue } from '../../domain/value-validation.ts';

/** A cell as read: plain values only (formulas give their result, rich text its text). */
export type Raw = string | number | boolean | Date | null | { error: string };

/** Turn an ExcelJS cell value into a `Raw`; a number formatted as a percentage is scaled to 0–100. */
export function normaliseRaw(v: unknown, numFmt?: string | null): Raw {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return numFmt && numFmt.includes('%') ? Math.round(v * 1e8) / 1e6 : v;
  if (typeof v === 'string') {
    const s = v.normalize('NFC').trim();
    return s === '' ? null : s;
  }
  if (typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('error' in o && typeof o.error === 'string') return { error: o.error };
    if ('result' in o) return normaliseRaw(o.result, numFmt);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (Array.isArray(o.richText)) return normaliseRaw((o.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join(''));
    if ('text' in o) return normaliseRaw(o.text);
  }
  return String(v);
}

/** The cell as text for messages ("12,5", "Đạt", "#DIV/0!"). */
export function rawText(r: Raw): string {
  if (r === null) return '';
  if (r instanceof Date) return r.toISOString().slice(0, 10);
  if (typeof r === 'object') return r.error;
  return String(r);
}

const TRUE_WORDS = new Set(['dat', 'co', 'x', 'yes', 'y', 'true', 'dung', 'da dat', 'v', '✓', 'ok']);
const FALSE_WORDS = new Set(['khong dat', 'chua dat', 'khong', 'no', 'n', 'false', 'sai', '✗', 'chua']);

const QUICK_YES_NO = new Map<string, boolean>([
  ['Đạt', true],
  ['Không đạt', false],
  ['Có', true],
  ['Không', false],
  ['Chưa đạt', false],
]);

export function parseYesNo(r: Raw): boolean | null {
  if (typeof r === 'boolean') return r;
  if (typeof r === 'string') {
    const quick = QUICK_YES_NO.get(r);
    if (quick !== undefined) return quick;
  }
  if (typeof r === 'number') return r === 1 ? true : r === 0 ? false : null;
  if (typeof r === 'string') {
    const f = foldVietnamese(r);
    if (TRUE_WORDS.has(f)) return true;
    if (FALSE_WORDS.has(f)) return false;
  }
  return null;
}

/** Excel serial day (1900 system) → ISO date. */
export function excelSerialToIso(n: number): string | null {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return null;
  const ms = Math.round((n - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/** A date cell: a real date, an Excel serial number, or text dd/mm/yyyy or yyyy-mm-dd. */
export function parseDateRaw(r: Raw): string | null {
  if (r === null) return null;
  if (r instanceof Date) {
    // Dates are stored at UTC midnight (what ExcelJS gives for a date cell).
    const iso = new Date(r.getTime() + 12 * 3600_000).toISOString().slice(0, 10);
    return isIsoDate(iso) ? iso : null;
  }
  if (typeof r === 'number') return excelSerialToIso(r);
  if (typeof r === 'string') {
    const t = r.replace(/\s/g, '');
    return parseDateVi(t) ?? parseDateVi(t.replace(/[.-]/g, '/'));
  }
  return null;
}

export type ValueProblemKind = 'wrong_kind' | 'out_of_range';

export type ConvertResult = { ok: true; value: IndicatorValue } | { ok: false; kind: ValueProblemKind; message: BilingualMessage };

function wrongKind(indicator: Pick<Indicator, 'code'>, expected: BilingualMessage, r: Raw): ConvertResult {
  return {
    ok: false,
    kind: 'wrong_kind',
    message: {
      vi: `Chỉ tiêu ${indicator.code}: cần ${expected.vi}, nhận được "${rawText(r)}".`,
      en: `Indicator ${indicator.code}: expected ${expected.en}, got "${rawText(r)}".`,
    },
  };
}

function numberOf(r: Raw): number | null {
  if (typeof r === 'number') return r;
  if (typeof r === 'string') return parseNumberText(r);
  return null;
}

/** One part of a value from one cell: the value itself, or a ratio's numerator or denominator. */
export function convertPart(indicator: Indicator, part: 'value' | 'numerator' | 'denominator', r: Raw): ConvertResult {
  if (r !== null && typeof r === 'object' && !(r instanceof Date)) {
    return { ok: false, kind: 'wrong_kind', message: { vi: `Chỉ tiêu ${indicator.code}: ô có lỗi công thức ${r.error}.`, en: `Indicator ${indicator.code}: the cell holds the formula error ${r.error}.` } };
  }
  if (part !== 'value' || indicator.kind === 'ratio') {
    if (part === 'value' && typeof r === 'string' && r.includes('/')) {
      // "45/50" in a single ratio column.
      const [a, b] = r.split('/');
      const n = parseNumberText(a ?? '');
      const d = parseNumberText(b ?? '');
      if (n === null || d === null) return wrongKind(indicator, { vi: 'tử số/mẫu số (ví dụ 45/50)', en: 'numerator/denominator (e.g. 45/50)' }, r);
      return { ok: true, value: { numerator: n, denominator: d } };
    }
    const n = numberOf(r);
    if (n === null) return wrongKind(indicator, { vi: 'một số', en: 'a number' }, r);
    return { ok: true, value: n };
  }
  switch (indicator.kind) {
    case 'boolean': {
      const b = parseYesNo(r);
      return b === null ? wrongKind(indicator, { vi: '"Đạt" hoặc "Không đạt"', en: '"Đạt" (met) or "Không đạt" (not met)' }, r) : { ok: true, value: b };
    }
    case 'grade': {
      const scale = indicator.scale ?? [];
      const label = typeof r === 'string' ? r : typeof r === 'number' ? String(r) : '';
      const exact = scale.indexOf(label);
      const k = exact >= 0 ? exact : gradeRank(scale, label);
      const options = scale.map((s) => `"${s}"`).join(', ');
      return k < 0 ? wrongKind(indicator, { vi: `một trong ${options}`, en: `one of ${options}` }, r) : { ok: true, value: scale[k]! };
    }
    case 'percent':
    case 'number':
    case 'none_count': {
      const n = numberOf(r);
      return n === null ? wrongKind(indicator, { vi: 'một số', en: 'a number' }, r) : { ok: true, value: n };
    }
    case 'compound': {
      // A compound's conditions are columns of their own ("5.toi_thieu"); its own cell stays empty.
      const keys = (indicator.conditions ?? []).map((c) => conditionKey(indicator.code, c.code)).join(', ');
      return wrongKind(indicator, { vi: `để trống; nhập từng điều kiện (${keys})`, en: `empty; enter each condition (${keys})` }, r);
    }
  }
}

/** The common valid cases, decided without building messages (imports check hundreds of thousands of cells). */
export function plainlyValid(indicator: Indicator, value: IndicatorValue): boolean {
  switch (indicator.kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'percent':
      return typeof value === 'number' && value >= 0 && value <= 100;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case 'none_count':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'grade':
      return typeof value === 'string' && (indicator.scale ?? []).includes(value);
    case 'compound':
      return value === null;
    case 'ratio':
      return typeof value === 'object' && value !== null && Number.isFinite(value.numerator) && Number.isFinite(value.denominator) && value.numerator >= 0 && value.numerator <= value.denominator;
  }
}

/** Check a complete value against its indicator (range, whole numbers, numerator ≤ denominator). */
export function checkRange(indicator: Indicator, value: IndicatorValue): ConvertResult {
  if (plainlyValid(indicator, value)) return { ok: true, value };
  const m = validateIndicatorValue(indicator, value);
  return m ? { ok: false, kind: 'out_of_range', message: m } : { ok: true, value };
}

// ── Header mapping ────────────────────────────────────────────────────────────────────────────

/** What a column of a data sheet holds. */
export type ColumnRole =
  | { role: 'indicator'; code: string; part: 'value' | 'numerator' | 'denominator' }
  | { role: 'flag'; code: string }
  | { role: 'unitCode' }
  | { role: 'unitName' }
  | { role: 'parent'; level: 'district' | 'province' | 'any' }
  | { role: 'date' }
  | { role: 'ignore' };

export interface HeaderMap {
  /** Column number (1-based) → role. */
  columns: Map<number, ColumnRole>;
  indicatorColumns: number;
  /** Non-empty headers that are not understood: `code` when they look like an indicator code. */
  unknown: Array<{ col: number; text: string; looksLikeCode: boolean }>;
  /** Two columns for the same indicator part. */
  duplicates: Array<{ col: number; other: number; text: string }>;
}

const IGNORED = ['stt', 'tt', 'so tt', 'ghi chu', 'nguoi nhap', 'nguon', 'don vi tinh', 'loai', 'nguong', 'nguong ap dung', 'chi tieu', 'noi dung'];
const UNIT_CODE = ['ma xa', 'ma', 'ma dvhc', 'ma don vi', 'ma dv', 'ma so', 'ma don vi hanh chinh', 'ma xa/phuong', 'ma xa (5 so)'];
const UNIT_NAME = ['ten xa', 'xa', 'ten don vi', 'don vi', 'xa/phuong/thi tran', 'xa/phuong', 'ten', 'ten xa/phuong', 'ten xa/phuong/thi tran', 'don vi hanh chinh'];
const DISTRICT = ['huyen', 'ten huyen', 'quan/huyen', 'huyen/quan', 'huyen/thi xa/thanh pho', 'huyen, thi xa, thanh pho', 'cap huyen'];
const PROVINCE = ['tinh', 'ten tinh', 'tinh/thanh pho', 'tinh/tp', 'tinh, thanh pho', 'cap tinh'];
const PARENT = ['truc thuoc', 'don vi cap tren', 'thuoc'];
const DATE = ['ngay ra soat', 'ngay danh gia', 'ngay', 'thoi diem', 'ngay so lieu', 'thoi diem danh gia', 'ngay tu danh gia'];

const CODE_AT_START = /^(?:chi tieu|ct|tieu chi|tc)?\s*(\d{1,2}(?:\.\d{1,2}){0,2})(?![\d.])\s*(.*)$/;

/** Header text for matching: folded, no trailing colon or "(*)", single spaces. */
export function headerKey(r: Raw): string {
  if (r === null) return '';
  const text = typeof r === 'number' ? String(r) : rawText(r);
  return foldVietnamese(text).replace(/\(\*\)/g, '').replace(/[:：]\s*$/, '').replace(/\s+/g, ' ').trim();
}

function partOf(rest: string): 'value' | 'numerator' | 'denominator' {
  if (/\btu so\b/.test(rest)) return 'numerator';
  if (/\bmau so\b/.test(rest)) return 'denominator';
  return 'value';
}

/** Indicator and flag names folded, for matching headers written as names. */
export interface SetIndex {
  set: CriteriaSet;
  byCode: Map<string, Indicator>;
  flagCodes: Set<string>;
  byName: Map<string, string[]>;
  flagByName: Map<string, string>;
}

export function indexSet(set: CriteriaSet): SetIndex {
  const byCode = new Map<string, Indicator>();
  const byName = new Map<string, string[]>();
  for (const c of set.criteria) {
    for (const i of c.indicators) {
      byCode.set(i.code, i);
      for (const key of new Set([foldVietnamese(i.name), foldVietnamese(i.name.replace(/\(nếu có\)/gi, ''))])) byName.set(key, [...(byName.get(key) ?? []), i.code]);
    }
  }
  return {
    set,
    byCode,
    flagCodes: new Set(set.flags.map((f) => f.code)),
    byName,
    flagByName: new Map(set.flags.map((f) => [foldVietnamese(f.name), f.code])),
  };
}

/** What one header cell means. */
export function classifyHeader(idx: SetIndex, r: Raw): ColumnRole | { role: 'unknown'; looksLikeCode: boolean } | null {
  const key = headerKey(r);
  if (!key) return null;
  if (UNIT_CODE.includes(key)) return { role: 'unitCode' };
  if (UNIT_NAME.includes(key)) return { role: 'unitName' };
  if (DISTRICT.includes(key)) return { role: 'parent', level: 'district' };
  if (PROVINCE.includes(key)) return { role: 'parent', level: 'province' };
  if (PARENT.includes(key)) return { role: 'parent', level: 'any' };
  if (DATE.includes(key)) return { role: 'date' };
  if (IGNORED.includes(key)) return { role: 'ignore' };
  if (idx.flagCodes.has(key)) return { role: 'flag', code: key };
  const flagByName = idx.flagByName.get(key);
  if (flagByName) return { role: 'flag', code: flagByName };
  const m = CODE_AT_START.exec(key);
  if (m) {
    const code = m[1]!;
    const rest = m[2] ?? '';
    if (idx.byCode.has(code)) return { role: 'indicator', code, part: partOf(rest) };
    if (code.includes('.') || /^(chi tieu|ct)\b/.test(key)) return { role: 'unknown', looksLikeCode: true };
  }
  // By name (with an optional "(tử số)"/"(mẫu số)" suffix).
  const part = partOf(key);
  const bare = key.replace(/\(?\b(tu so|mau so)\b\)?/g, '').replace(/\s+/g, ' ').trim();
  const named = idx.byName.get(bare);
  if (named && named.length === 1) return { role: 'indicator', code: named[0]!, part };
  if (bare.length >= 12) {
    const near = [...idx.byName.entries()].filter(([n]) => n.startsWith(bare) || bare.startsWith(n)).flatMap(([, codes]) => codes);
    const unique = [...new Set(near)];
    if (unique.length === 1) return { role: 'indicator', code: unique[0]!, part };
  }
  return { role: 'unknown', looksLikeCode: false };
}

/** Map a header row. */
export function mapHeader(idx: SetIndex, cells: readonly Raw[]): HeaderMap {
  const columns = new Map<number, ColumnRole>();
  const unknown: HeaderMap['unknown'] = [];
  const duplicates: HeaderMap['duplicates'] = [];
  const seen = new Map<string, number>();
  let indicatorColumns = 0;
  cells.forEach((r, i) => {
    const col = i + 1;
    const c = classifyHeader(idx, r);
    if (c === null) return;
    if (c.role === 'unknown') {
      unknown.push({ col, text: rawText(r), looksLikeCode: c.looksLikeCode });
      return;
    }
    const key = c.role === 'indicator' ? `i:${c.code}:${c.part}` : c.role === 'flag' ? `f:${c.code}` : c.role === 'parent' ? `p:${c.level}` : c.role === 'ignore' ? '' : c.role;
    if (key) {
      const other = seen.get(key);
      if (other !== undefined) {
        duplicates.push({ col, other, text: rawText(r) });
        return;
      }
      seen.set(key, col);
    }
    if (c.role === 'indicator' || c.role === 'flag') indicatorColumns++;
    columns.set(col, c);
  });
  return { columns, indicatorColumns, unknown, duplicates };
}

/** How well a row looks like the header of a matrix sheet (indicator columns + commune columns). */
export function headerScore(idx: SetIndex, cells: readonly Raw[]): number {
  const h = mapHeader(idx, cells);
  const roles = [...h.columns.values()].map((c) => c.role);
  const hasUnit = roles.includes('unitCode') || roles.includes('unitName');
  return h.indicatorColumns > 0 && hasUnit ? h.indicatorColumns + 1 : 0;
}

// ── Preamble (one commune per sheet) ───────────────────────────────────────────────────────────

const PRE_CODE = ['ma xa', 'ma don vi', 'ma dvhc', 'ma'];
const PRE_NAME = ['xa', 'ten xa', 'don vi'];
const PRE_PARENT = ['truc thuoc', 'huyen', 'tinh'];
const PRE_DATE = ['ngay ra soat', 'ngay danh gia', 'ngay'];

export interface Preamble {
  code: { value: Raw; cell: string } | null;
  name: { value: Raw; cell: string } | null;
  parent: { value: Raw; cell: string } | null;
  date: { value: Raw; cell: string } | null;
}

/** Label cells ("Mã xã:", "Ngày rà soát:") followed by their value in the next non-empty cell of the row. */
export function readPreamble(rows: ReadonlyArray<{ number: number; cells: readonly Raw[] }>, colLetter: (n: number) => string): Preamble {
  const out: Preamble = { code: null, name: null, parent: null, date: null };
  for (const row of rows) {
    row.cells.forEach((r, i) => {
      if (typeof r !== 'string') return;
      const key = headerKey(r);
      let slot: keyof Preamble | null = null;
      if (PRE_CODE.includes(key)) slot = 'code';
      else if (PRE_NAME.includes(key)) slot = 'name';
      else if (PRE_PARENT.includes(key)) slot = 'parent';
      else if (PRE_DATE.includes(key)) slot = 'date';
      if (!slot || out[slot]) return;
      for (let j = i + 1; j < row.cells.length; j++) {
        const v = row.cells[j] ?? null;
        if (v !== null) {
          out[slot] = { value: v, cell: `${colLetter(j + 1)}${row.number}` };
          return;
        }
      }
    });
  }
  return out;
}

/** A commune code from a cell: 5 digits (a number loses its leading zeros: 1 → "00001"). */
export function unitCodeOf(r: Raw): string | null {
  if (typeof r === 'number' && Number.isInteger(r) && r > 0 && r < 100000) return String(r).padStart(5, '0');
  if (typeof r === 'string') {
    const t = r.trim();
    if (/^\d{1,5}$/.test(t)) return t.padStart(5, '0');
    const m = /^(\d{5})@\d{4}-\d{2}$/.exec(t);
    if (m) return m[1]!;
  }
  return null;
}

const TYPE_WORDS = /^(xa|phuong|thi tran|dac khu|huyen|quan|thi xa|thanh pho|tp\.?|tinh)\s+/;

/** A unit name folded and without its type word: "Xã Tân Hòa" → "tan hoa". */
export function bareName(s: string): string {
  let f = foldVietnamese(nfc(s)).replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 2 && TYPE_WORDS.test(f); i++) f = f.replace(TYPE_WORDS, '');
  return f;
}
