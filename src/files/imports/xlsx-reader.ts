/**
 * Đọc .xlsx theo luồng — a small streaming reader of .xlsx workbooks: sheet names and visibility,
 * then every row of every sheet as plain values, in file order, without building a workbook in
 * memory. Two passes over the ZIP (fflate's streaming inflate): the first reads the small parts
 * (workbook, relationships, shared strings, number formats), the second the sheets, decoded
 * with a streaming UTF-8 decoder so that Vietnamese characters split between chunks stay whole.
 *
 * Cells come out as `Raw`: numbers, text (NFC, trimmed; empty → null), booleans, dates (from a
 * date number format), percentages scaled to 0–100 (from a % format), `{ error }`; a formula gives
 * its cached result.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import type { Raw } from './cells.ts';

export type ChunkSource = () => AsyncIterable<Uint8Array>;

export type XlsxEvent = { kind: 'sheet'; name: string; hidden: boolean } | { kind: 'row'; number: number; cells: Raw[] };

interface WorkbookInfo {
  sheets: Array<{ name: string; state: string; rId: string }>;
  rels: Map<string, string>;
  sharedStrings: string[];
  /** Per cellXfs index: 'date', 'percent' or null. */
  styles: Array<'date' | 'percent' | null>;
  date1904: boolean;
}

const local = (name: string) => {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
};

/** Built-in number formats that are dates (ECMA-376 §18.8.30) and percentages. */
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const BUILTIN_PERCENT = new Set([9, 10]);

export function formatKind(code: string): 'date' | 'percent' | null {
  const stripped = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  if (stripped.includes('%')) return 'percent';
  if (/[dy]/i.test(stripped) || /m{3,}/i.test(stripped)) return 'date';
  return null;
}

/** Feed an XML entry, chunk by chunk, to a SAX parser with a streaming UTF-8 decoder. */
function xmlSink(onOpen: (tag: SaxesTagPlain) => void, onText: (t: string) => void, onClose: (name: string) => void): (chunk: Uint8Array, final: boolean) => void {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  parser.on('opentag', (t) => onOpen(t as SaxesTagPlain));
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (t) => onClose(local(t.name)));
  let error: Error | null = null;
  parser.on('error', (e) => {
    error = e;
  });
  return (chunk, final) => {
    if (error) return;
    parser.write(decoder.decode(chunk, { stream: !final }));
    if (final) parser.close();
    if (error) throw error;
  };
}

/** Stream the entries of a ZIP; `want(name)` returns a sink for the entries to read. */
async function* unzipEntries(source: ChunkSource, want: (name: string) => ((chunk: Uint8Array, final: boolean) => void) | null, after?: () => XlsxEvent[]): AsyncGenerator<XlsxEvent[]> {
  const uz = new Unzip();
  uz.register(UnzipInflate);
  let failure: Error | null = null;
  uz.onfile = (file: UnzipFile) => {
    const sink = want(file.name.replace(/^\//, ''));
    if (!sink) return;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = err;
        return;
      }
      try {
        sink(chunk, final);
      } catch (e) {
        failure = e as Error;
      }
    };
    file.start();
  };
  for await (const chunk of source()) {
    uz.push(chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer));
    if (failure) throw failure;
    if (after) yield after();
  }
  uz.push(new Uint8Array(0), true);
  if (failure) throw failure;
  if (after) yield after();
}

async function readWorkbookInfo(source: ChunkSource): Promise<WorkbookInfo> {
  const info: WorkbookInfo = { sheets: [], rels: new Map(), sharedStrings: [], styles: [], date1904: false };
  const numFmts = new Map<number, string>();
  const xfFormats: number[] = [];
  let seenWorkbook = false;
  const want = (name: string) => {
    if (name === 'xl/workbook.xml') {
      seenWorkbook = true;
      return xmlSink(
        (t) => {
          const n = local(t.name);
          if (n === 'sheet') info.sheets.push({ name: String(t.attributes.name ?? ''), state: String(t.attributes.state ?? 'visible'), rId: String(t.attributes['r:id'] ?? t.attributes.id ?? '') });
          else if (n === 'workbookPr') info.date1904 = t.attributes.date1904 === '1' || t.attributes.date1904 === 'true';
        },
        () => {},
        () => {},
      );
    }
    if (name === 'xl/_rels/workbook.xml.rels') {
      return xmlSink(
        (t) => {
          if (local(t.name) === 'Relationship') info.rels.set(String(t.attributes.Id), String(t.attributes.Target));
        },
        () => {},
        () => {},
      );
    }
    if (name === 'xl/sharedStrings.xml') {
      let parts: string[] = [];
      let inT = false;
      let inPhonetic = false;
      return xmlSink(
        (t) => {
          const n = local(t.name);
          if (n === 'si') parts = [];
          else if (n === 't') inT = true;
          else if (n === 'rPh') inPhonetic = true;
        },
        (text) => {
          if (inT && !inPhonetic) parts.push(text);
        },
        (n) => {
          if (n === 't') inT = false;
          else if (n === 'rPh') inPhonetic = false;
          else if (n === 'si') info.sharedStrings.push(parts.join(''));
        },
      );
    }
    if (name === 'xl/styles.xml') {
      let inCellXfs = false;
      return xmlSink(
        (t) => {
          const n = local(t.name);
          if (n === 'numFmt') numFmts.set(Number(t.attributes.numFmtId), String(t.attributes.formatCode ?? ''));
          else if (n === 'cellXfs') inCellXfs = true;
          else if (n === 'xf' && inCellXfs) xfFormats.push(Number(t.attributes.numFmtId ?? 0));
        },
        () => {},
        (n) => {
          if (n === 'cellXfs') inCellXfs = false;
        },
      );
    }
    return null;
  };
  for await (const _ of unzipEntries(source, want)) void _;
  if (!seenWorkbook) throw new Error('xl/workbook.xml not found');
  info.styles = xfFormats.map((id) => {
    const custom = numFmts.get(id);
    if (custom !== undefined) return formatKind(custom);
    return BUILTIN_DATES.has(id) ? 'date' : BUILTIN_PERCENT.has(id) ? 'percent' : null;
  });
  return info;
}

function colIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n;
}

function excelDateOf(serial: number, date1904: boolean): Date {
  const days = serial + (date1904 ? 1462 : 0);
  return new Date(Math.round((days - 25569) * 86400000));
}

function text(s: string): Raw {
  const t = s.normalize('NFC').trim();
  return t === '' ? null : t;
}

/** Every sheet (in file order) and its rows. */
export async function* readXlsx(source: ChunkSource): AsyncGenerator<XlsxEvent> {
  const info = await readWorkbookInfo(source);
  const byPath = new Map<string, { name: string; hidden: boolean }>();
  for (const s of info.sheets) {
    const target = info.rels.get(s.rId);
    if (!target) continue;
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    byPath.set(path, { name: s.name, hidden: s.state === 'hidden' || s.state === 'veryHidden' });
  }
  let queue: XlsxEvent[] = [];
  const want = (name: string) => {
    const sheet = byPath.get(name);
    if (!sheet) return null;
    queue.push({ kind: 'sheet', name: sheet.name, hidden: sheet.hidden });
    let rowNo = 0;
    let cells: Raw[] = [];
    let inRow = false;
    let col = 0;
    let type = 'n';
    let style = 0;
    let value: string[] = [];
    let inValue = false;
    let inInline = false;
    let inPhonetic = false;
    return xmlSink(
      (t) => {
        const n = local(t.name);
        if (n === 'row') {
          inRow = true;
          rowNo = t.attributes.r ? Number(t.attributes.r) : rowNo + 1;
          cells = [];
          col = 0;
        } else if (n === 'c' && inRow) {
          const ref = t.attributes.r ? String(t.attributes.r) : '';
          col = ref ? colIndex(ref) : col + 1;
          type = String(t.attributes.t ?? 'n');
          style = Number(t.attributes.s ?? 0);
          value = [];
        } else if (n === 'v') inValue = true;
        else if (n === 'is') inInline = true;
        else if (n === 't' && inInline) inValue = true;
        else if (n === 'rPh') inPhonetic = true;
      },
      (s) => {
        if (inValue && !inPhonetic) value.push(s);
      },
      (n) => {
        if (n === 'v' || (n === 't' && inInline)) inValue = false;
        else if (n === 'is') inInline = false;
        else if (n === 'rPh') inPhonetic = false;
        else if (n === 'c' && inRow) {
          const v = value.join('');
          let raw: Raw = null;
          if (v !== '' || type === 'inlineStr') {
            switch (type) {
              case 's':
                raw = text(info.sharedStrings[Number(v)] ?? '');
                break;
              case 'inlineStr':
              case 'str':
                raw = text(v);
                break;
              case 'b':
                raw = v === '1' || v === 'true';
                break;
              case 'e':
                raw = { error: v };
                break;
              default: {
                const num = Number(v);
                if (!Number.isFinite(num)) raw = text(v);
                else {
                  const kind = info.styles[style] ?? null;
                  raw = kind === 'date' ? excelDateOf(num, info.date1904) : kind === 'percent' ? Math.round(num * 1e8) / 1e6 : num;
                }
              }
            }
          }
          if (raw !== null) {
            while (cells.length < col - 1) cells.push(null);
            cells[col - 1] = raw;
          }
        } else if (n === 'row') {
          inRow = false;
          if (cells.length) queue.push({ kind: 'row', number: rowNo, cells });
        }
      },
    );
  };
  for await (const events of unzipEntries(source, want, () => {
    const out = queue;
    queue = [];
    return out;
  })) {
    for (const e of events) yield e;
  }
}
