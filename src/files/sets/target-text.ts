/**
 * Ngưỡng dạng chữ — a target table written in one spreadsheet cell, readable by people and read
 * back exactly (the criteria-set workbook, criteria-set-workbook.ts):
 *
 *   80                                           one value for every commune
 *   chưa xác định                                not known yet (null: the province sets it)
 *   Đạt / Không đạt                              yes/no targets (and compound indicators)
 *   hoàn thành tốt                               a grade label (quoted "…" when it holds ; : ( ) ")
 *   Theo vùng (TDMNPB: 70; DBSH: 100)            byRegion — region codes; a missing region is unknown
 *   Theo nhóm xã (Nhóm 1: 95; Nhóm 2: 90)        byGroup (2026–2030)
 *   Theo năm (2022: 59; 2023: 64)                byYear
 *   Theo số liệu so_truong (≤ 3: 50; ≥ 4: 70)    byAttribute: bands in order, "a–b" both ends, "mọi giá trị" none
 *   Theo vùng (DBSH: Theo năm (2022: 54); TN: 70)   tables nest
 *   Theo vùng (chưa có giá trị nào)              an empty table ({ "byRegion": {} }: varies, values unknown)
 *
 * Numbers are written the Vietnamese way ("70,4") and read by src/domain/numbers.ts. Parsing is
 * by kind: a leaf that does not fit the indicator's kind is a problem naming what was expected.
 * Pure; no I/O.
 */
import { REGION_CODES } from '../../domain/criteria.ts';
import type { IndicatorKind, RegionCode, TargetValueSpec } from '../../domain/criteria.ts';
import type { BilingualMessage } from '../../domain/errors.ts';
import { parseNumberText } from '../../domain/numbers.ts';
import { foldVietnamese } from '../../domain/text.ts';

export const NULL_TARGET = 'chưa xác định';
const EMPTY_TABLE = 'chưa có giá trị nào';
const HEAD = { byRegion: 'Theo vùng', byGroup: 'Theo nhóm xã', byYear: 'Theo năm', byAttribute: 'Theo số liệu' } as const;
const ANY_VALUE = 'mọi giá trị';

/** A number as people write it here: decimal comma, no thousands separator, never an exponent. */
export function numberText(n: number): string {
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/\.?0+$/, '');
  return s.replace('.', ',');
}

function needsQuotes(s: string): boolean {
  const f = foldVietnamese(s);
  return /[;:()"\n]/.test(s) || s !== s.trim() || s === '' || f === foldVietnamese(NULL_TARGET) || f.startsWith('theo ');
}

function leafText(v: string | number | boolean | null): string {
  if (v === null) return NULL_TARGET;
  if (typeof v === 'boolean') return v ? 'Đạt' : 'Không đạt';
  if (typeof v === 'number') return numberText(v);
  return needsQuotes(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function bandKey(b: { min?: number; max?: number }): string {
  if (b.min !== undefined && b.max !== undefined) return `${numberText(b.min)}–${numberText(b.max)}`;
  if (b.min !== undefined) return `≥ ${numberText(b.min)}`;
  if (b.max !== undefined) return `≤ ${numberText(b.max)}`;
  return ANY_VALUE;
}

/** A target value (any table) as one line of text. */
export function formatTargetText(v: TargetValueSpec): string {
  if (v === null || typeof v !== 'object') return leafText(v);
  const entries = (head: string, list: Array<[string, TargetValueSpec]>) => `${head} (${list.length === 0 ? EMPTY_TABLE : list.map(([k, x]) => `${k}: ${formatTargetText(x)}`).join('; ')})`;
  if ('byRegion' in v) return entries(HEAD.byRegion, Object.entries(v.byRegion) as Array<[string, TargetValueSpec]>);
  if ('byGroup' in v) return entries(HEAD.byGroup, Object.entries(v.byGroup).map(([k, x]) => [`Nhóm ${k}`, x as TargetValueSpec]));
  if ('byYear' in v) return entries(HEAD.byYear, Object.entries(v.byYear));
  return entries(`${HEAD.byAttribute} ${v.byAttribute.attribute}`, v.byAttribute.bands.map((b) => [bandKey(b), b.value]));
}

export type ParsedTarget = { ok: true; value: TargetValueSpec } | { ok: false; message: BilingualMessage };

class TargetSyntaxError extends Error {
  constructor(readonly bilingual: BilingualMessage) {
    super(bilingual.en);
  }
}

const fail = (vi: string, en: string): never => {
  throw new TargetSyntaxError({ vi, en });
};

const KIND_EXPECTS: Record<IndicatorKind, BilingualMessage> = {
  boolean: { vi: '"Đạt" hoặc "Không đạt"', en: '"Đạt" (met) or "Không đạt" (not met)' },
  compound: { vi: '"Đạt" (mọi điều kiện đều đạt)', en: '"Đạt" (every condition met)' },
  percent: { vi: 'một số từ 0 đến 100', en: 'a number from 0 to 100' },
  ratio: { vi: 'một số từ 0 đến 100 (phần trăm)', en: 'a number from 0 to 100 (percent)' },
  number: { vi: 'một số không âm', en: 'a non-negative number' },
  none_count: { vi: 'số 0', en: 'the number 0' },
  grade: { vi: 'một mức của thang xếp loại', en: 'a grade of the scale' },
};

/** What a leaf of a target of this kind must be, for messages. */
export function expectedLeaf(kind: IndicatorKind): BilingualMessage {
  return KIND_EXPECTS[kind];
}

/**
 * Read a target written by `formatTargetText` (or typed by a person the same way) for an indicator
 * of `kind` (`scale` for grades). `where` names the cell's variant in messages.
 */
export function parseTargetText(text: string, kind: IndicatorKind, scale: readonly string[] | null): ParsedTarget {
  const p = new Parser(text, kind, scale);
  try {
    const value = p.value('');
    p.skipSpace();
    if (p.pos < text.length) fail(`thừa "${text.slice(p.pos)}" sau ngưỡng (các mục cách nhau bằng ";", bảng đóng bằng ")")`, `unexpected "${text.slice(p.pos)}" after the target (entries are separated by ";", a table ends with ")")`);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof TargetSyntaxError) return { ok: false, message: e.bilingual };
    throw e;
  }
}

/** A leaf typed in its own cell (a number cell, a yes/no cell). */
export function checkLeaf(v: string | number | boolean, kind: IndicatorKind, scale: readonly string[] | null, where = ''): ParsedTarget {
  try {
    return { ok: true, value: leafOf(v, kind, scale, where) };
  } catch (e) {
    if (e instanceof TargetSyntaxError) return { ok: false, message: e.bilingual };
    throw e;
  }
}

function whereText(where: string): { vi: string; en: string } {
  return where ? { vi: ` (${where})`, en: ` (${where})` } : { vi: '', en: '' };
}

function leafOf(raw: string | number | boolean, kind: IndicatorKind, scale: readonly string[] | null, where: string): string | number | boolean {
  const w = whereText(where);
  const shown = String(raw);
  const expected = KIND_EXPECTS[kind];
  const wrong = () => fail(`ngưỡng "${shown}"${w.vi} không hợp lệ: loại chỉ tiêu này cần ${expected.vi}`, `target "${shown}"${w.en} is not valid: this kind of indicator needs ${expected.en}`);
  switch (kind) {
    case 'boolean':
    case 'compound': {
      const f = typeof raw === 'string' ? foldVietnamese(raw) : raw;
      const yes = f === true || f === 'dat' || f === 'co' || f === 'true';
      const no = f === false || f === 'khong dat' || f === 'khong' || f === 'false';
      if (!yes && !no) return wrong();
      if (kind === 'compound' && !yes) return wrong();
      return yes;
    }
    case 'percent':
    case 'ratio':
    case 'number':
    case 'none_count': {
      // "80 90" is two numbers, not 8090: a space inside a number is refused.
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && !/\d\s+[\d.,]/.test(raw) ? parseNumberText(raw) : null;
      if (n === null || !Number.isFinite(n)) return wrong();
      if (n < 0) fail(`ngưỡng ${shown}${w.vi} âm: ghi một số từ 0 trở lên`, `target ${shown}${w.en} is negative: write a number of 0 or more`);
      if ((kind === 'percent' || kind === 'ratio') && n > 100) {
        fail(`ngưỡng ${shown}${w.vi} vượt quá 100%: tỷ lệ phần trăm ghi từ 0 đến 100 (ví dụ 80, không phải 0,8 hay 800)`, `target ${shown}${w.en} is over 100%: a percentage is written from 0 to 100 (e.g. 80, not 0.8 or 800)`);
      }
      if (kind === 'none_count' && n !== 0) fail(`ngưỡng ${shown}${w.vi} không hợp lệ: chỉ tiêu "không có" luôn có ngưỡng 0`, `target ${shown}${w.en} is not valid: a "none" indicator always has target 0`);
      return n;
    }
    case 'grade': {
      const label = String(raw);
      const options = (scale ?? []).map((s) => `"${s}"`).join(', ');
      if (scale && !scale.includes(label)) {
        const near = scale.find((s) => foldVietnamese(s) === foldVietnamese(label));
        if (near !== undefined) return near;
        fail(`ngưỡng "${label}"${w.vi} không thuộc thang xếp loại (${options}): chọn một mức của thang`, `target "${label}"${w.en} is not on the scale (${options}): choose one of its grades`);
      }
      return label;
    }
  }
}

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly kind: IndicatorKind,
    readonly scale: readonly string[] | null,
  ) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** One value: a table or a leaf, ending before ";" or ")" (or at the end). */
  value(where: string): TargetValueSpec {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const open = rest.indexOf('(');
    if (/^theo\s/i.test(rest) && open > 0) return this.table(rest.slice(0, open).trim(), where);
    return this.leaf(where);
  }

  leaf(where: string): TargetValueSpec {
    this.skipSpace();
    let raw: string;
    let quoted = false;
    if (this.text[this.pos] === '"') {
      quoted = true;
      let s = '';
      this.pos++;
      for (;;) {
        if (this.pos >= this.text.length) fail('thiếu dấu " đóng', 'a closing " is missing');
        const ch = this.text[this.pos]!;
        if (ch === '"') {
          if (this.text[this.pos + 1] === '"') {
            s += '"';
            this.pos += 2;
            continue;
          }
          this.pos++;
          break;
        }
        s += ch;
        this.pos++;
      }
      raw = s;
    } else {
      const start = this.pos;
      while (this.pos < this.text.length && !';)('.includes(this.text[this.pos]!)) this.pos++;
      if (this.text[this.pos] === '(') fail(`"${this.text.slice(start, this.pos + 1)}" không phải đầu bảng ngưỡng: dùng "Theo vùng (", "Theo nhóm xã (", "Theo năm (" hoặc "Theo số liệu <mã> ("`, `"${this.text.slice(start, this.pos + 1)}" does not start a target table: use "Theo vùng (", "Theo nhóm xã (", "Theo năm (" or "Theo số liệu <code> ("`);
      raw = this.text.slice(start, this.pos).trim();
    }
    if (!quoted) {
      if (raw === '') fail(`thiếu giá trị${whereText(where).vi}: ghi một ngưỡng hoặc "${NULL_TARGET}"`, `a value is missing${whereText(where).en}: write a target or "${NULL_TARGET}"`);
      if (foldVietnamese(raw) === foldVietnamese(NULL_TARGET)) return null;
    }
    return leafOf(raw, this.kind, this.scale, where);
  }

  table(head: string, where: string): TargetValueSpec {
    const f = foldVietnamese(head);
    this.pos = this.text.indexOf('(', this.pos) + 1;
    let dim: 'byRegion' | 'byGroup' | 'byYear' | 'byAttribute';
    let attribute = '';
    if (f === 'theo vung') dim = 'byRegion';
    else if (f === 'theo nhom xa' || f === 'theo nhom') dim = 'byGroup';
    else if (f === 'theo nam') dim = 'byYear';
    else if (f.startsWith('theo so lieu ')) {
      dim = 'byAttribute';
      attribute = head.slice(head.toLowerCase().lastIndexOf(' ') + 1).trim();
      if (!/^[a-z][a-z0-9_]*$/.test(attribute)) fail(`"${attribute}" không phải mã số liệu (chữ thường, số, gạch dưới, như trang "Thông tin xã")`, `"${attribute}" is not an attribute code (lower case, digits, underscores, as on sheet "Thông tin xã")`);
    } else {
      return fail(`"${head}" không phải bảng ngưỡng: dùng "Theo vùng", "Theo nhóm xã", "Theo năm" hoặc "Theo số liệu <mã>"`, `"${head}" is not a target table: use "Theo vùng" (region), "Theo nhóm xã" (group), "Theo năm" (year) or "Theo số liệu <code>"`);
    }
    const entries: Array<{ key: string; value: TargetValueSpec }> = [];
    this.skipSpace();
    const close = this.text.indexOf(')', this.pos);
    if (close >= 0 && foldVietnamese(this.text.slice(this.pos, close)) === foldVietnamese(EMPTY_TABLE)) this.pos = close;
    while (this.text[this.pos] !== ')') {
      this.skipSpace();
      if (this.pos >= this.text.length) fail(`bảng "${head}" thiếu dấu ")" đóng`, `table "${head}" is missing its closing ")"`);
      if (this.text[this.pos] === ')') break;
      const colon = this.text.indexOf(':', this.pos);
      const stop = [';', ')'].map((c) => this.text.indexOf(c, this.pos)).filter((i) => i >= 0);
      if (colon < 0 || stop.some((i) => i < colon)) {
        fail(`mục "${this.text.slice(this.pos, Math.min(...stop, this.text.length)).trim()}" của bảng "${head}" thiếu dấu ":" (ví dụ "DBSH: 100")`, `entry "${this.text.slice(this.pos, Math.min(...stop, this.text.length)).trim()}" of table "${head}" lacks ":" (e.g. "DBSH: 100")`);
      }
      const key = this.text.slice(this.pos, colon).trim();
      this.pos = colon + 1;
      const value = this.value(`${where ? `${where}, ` : ''}${key}`);
      entries.push({ key, value });
      this.skipSpace();
      if (this.text[this.pos] === ';') this.pos++;
      else if (this.text[this.pos] !== ')') fail(`bảng "${head}" thiếu dấu ")" đóng hoặc dấu ";" giữa các mục`, `table "${head}" is missing a closing ")" or a ";" between entries`);
    }
    this.pos++;
    return this.build(dim, attribute, entries, head);
  }

  build(dim: 'byRegion' | 'byGroup' | 'byYear' | 'byAttribute', attribute: string, entries: Array<{ key: string; value: TargetValueSpec }>, head: string): TargetValueSpec {
    const seen = new Set<string>();
    const once = (k: string, shown: string) => {
      if (seen.has(k)) fail(`bảng "${head}" ghi "${shown}" hai lần: giữ một`, `table "${head}" lists "${shown}" twice: keep one`);
      seen.add(k);
    };
    switch (dim) {
      case 'byRegion': {
        const out: Partial<Record<RegionCode, TargetValueSpec>> = {};
        for (const e of entries) {
          const code = REGION_CODES.find((r) => r === foldVietnamese(e.key).toUpperCase());
          if (!code) fail(`"${e.key}" không phải mã vùng (${REGION_CODES.join(', ')})`, `"${e.key}" is not a region code (${REGION_CODES.join(', ')})`);
          once(code!, e.key);
          out[code!] = e.value;
        }
        return { byRegion: out };
      }
      case 'byGroup': {
        const out: Partial<Record<'1' | '2' | '3', TargetValueSpec>> = {};
        for (const e of entries) {
          const m = /^(?:nhom\s*)?([123])$/.exec(foldVietnamese(e.key));
          if (!m) fail(`"${e.key}" không phải nhóm xã (Nhóm 1, Nhóm 2, Nhóm 3)`, `"${e.key}" is not a commune group (Nhóm 1, 2 or 3)`);
          once(m![1]!, e.key);
          out[m![1] as '1' | '2' | '3'] = e.value;
        }
        return { byGroup: out };
      }
      case 'byYear': {
        const out: Record<string, TargetValueSpec> = {};
        for (const e of entries) {
          if (!/^[0-9]{4}$/.test(e.key)) fail(`"${e.key}" không phải năm (4 chữ số, ví dụ 2023)`, `"${e.key}" is not a year (4 digits, e.g. 2023)`);
          once(e.key, e.key);
          out[e.key] = e.value;
        }
        return { byYear: out };
      }
      case 'byAttribute': {
        if (entries.length === 0) fail(`bảng "${head}" cần ít nhất một khoảng (ví dụ "≤ 3: 50")`, `table "${head}" needs at least one band (e.g. "≤ 3: 50")`);
        const bands = entries.map((e) => ({ ...bandOf(e.key), value: e.value }));
        return { byAttribute: { attribute, bands } };
      }
    }
  }
}

/** "≤ 3", "≥ 4", "4–10", "mọi giá trị" → the band's bounds. */
function bandOf(key: string): { min?: number; max?: number } {
  const k = key.replace(/\s+/g, ' ').trim();
  const num = (s: string) => {
    const n = parseNumberText(s.trim());
    if (n === null || n < 0) fail(`"${s.trim()}" trong khoảng "${key}" không phải số không âm`, `"${s.trim()}" in band "${key}" is not a non-negative number`);
    return n!;
  };
  if (foldVietnamese(k) === foldVietnamese(ANY_VALUE)) return {};
  let m = /^(?:≤|<=)\s*(.+)$/.exec(k);
  if (m) return { max: num(m[1]!) };
  m = /^(?:≥|>=)\s*(.+)$/.exec(k);
  if (m) return { min: num(m[1]!) };
  m = /^([0-9.,]+)\s*[–—-]\s*([0-9.,]+)$/.exec(k);
  if (m) {
    const min = num(m[1]!);
    const max = num(m[2]!);
    if (min > max) fail(`khoảng "${key}": số đầu lớn hơn số cuối`, `band "${key}": the lower bound is above the upper one`);
    return { min, max };
  }
  return fail(`"${key}" không phải khoảng giá trị: ghi "≤ 3", "≥ 4", "4–10" hoặc "${ANY_VALUE}"`, `"${key}" is not a band: write "≤ 3", "≥ 4", "4–10" or "${ANY_VALUE}"`);
}
