/**
 * Đọc .xlsx theo luồng — a small streaming reader of .xlsx workbooks: sheet names and visibility,
 * then every row of every sheet as plain values, in file order, without building a workbook in
 * memory. The ZIP is opened by its central directory (zip.ts: declared sizes and ratios checked
 * before anything is inflated); the small parts (workbook, relationships, number formats, shared
 * strings) are read first, then the sheets, each inflated piece by piece and decoded with a
 * streaming UTF-8 decoder so that Vietnamese characters split between pieces stay whole. Every
 * limit of limits.ts is enforced while reading (rows, columns, cells, shared strings, cell length):
 * the first one crossed stops the read with a bilingual 413 naming it. Run it in the parse worker
 * (src/platform/xlsx-parse.ts) so that a hostile file costs the server neither memory nor time.
 *
 * Cells come out as `Raw`: numbers, text (NFC, trimmed; empty → null), booleans, dates (from a
 * date number format), percentages scaled to 0–100 (from a % format), `{ error }`; a formula gives
 * its cached result.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Raw } from './cells.ts';
import { DEFAULT_XLSX_LIMITS, limitExceeded, type XlsxLimits } from './limits.ts';
import { inflateEntry, openZip, verifyZip, type Zip, type ZipEntry } from './zip.ts';

/**
 * `merges`: the sheet's merged ranges ("B5:C5"), after its rows (the sheet XML's `<mergeCells>`
 * follows its data): a merged range keeps only its top-left value, so readers say where one lies
 * in their data rather than lose or spread a value. Sent only when the sheet has any.
 */
export type XlsxEvent = { kind: 'sheet'; name: string; hidden: boolean } | { kind: 'row'; number: number; cells: Raw[] } | { kind: 'merges'; ranges: string[] };

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

/** A SAX parser fed chunk by chunk with a streaming UTF-8 decoder; refuses an endless run of text. */
function xmlSink(maxRun: number, where: string, onOpen: (tag: SaxesTagPlain) => void, onText: (t: string) => void, onClose: (name: string) => void): (chunk: Uint8Array, final: boolean) => void {
  const parser = new SaxesParser({ position: false });
  const decoder = new TextDecoder('utf-8');
  parser.on('opentag', (t) => onOpen(t as SaxesTagPlain));
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (t) => onClose(local(t.name)));
  let error: Error | null = null;
  parser.on('error', (e) => {
    error = e;
  });
  // The parser holds text until the next tag: a run without '<' longer than any cell could be is refused before it is held.
  let run = 0;
  return (chunk, final) => {
    if (error) return;
    const s = decoder.decode(chunk, { stream: !final });
    const lt = s.lastIndexOf('<');
    run = lt < 0 ? run + s.length : s.length - lt - 1;
    if (run > maxRun) throw limitExceeded('maxCellChars', maxRun / RUN_FACTOR, null, where);
    parser.write(s);
    if (final) parser.close();
    if (error) throw error;
  };
}

/** Text in XML may be written as entities (`&#x1EA1;` for one letter): a raw run may be this many times a cell's length. */
const RUN_FACTOR = 10;

/** Inflate an entry into a sink, yielding after each piece so the caller can hand on what the sink produced. */
function* feed(zip: Zip, entry: ZipEntry, sink: (chunk: Uint8Array, final: boolean) => void): Generator<void> {
  for (const piece of inflateEntry(zip, entry)) {
    // Decoded text above ≈ 1 MB becomes an external string, outside the worker's heap limit: keep pieces small.
    for (let i = 0; i < piece.length; i += DECODE_PIECE) {
      sink(piece.subarray(i, i + DECODE_PIECE), false);
      yield;
    }
  }
  sink(new Uint8Array(0), true);
}

const DECODE_PIECE = 256 * 1024;

function readWorkbookInfo(zip: Zip, limits: XlsxLimits): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], rels: new Map(), sharedStrings: [], styles: [], date1904: false };
  const numFmts = new Map<number, string>();
  const xfFormats: number[] = [];
  const maxRun = limits.maxCellChars * RUN_FACTOR;
  const read = (name: string, sink: (chunk: Uint8Array, final: boolean) => void) => {
    const entry = zip.byName.get(name);
    if (entry) for (const _ of feed(zip, entry, sink)) void _;
    return entry !== undefined;
  };
  const workbook = read(
    'xl/workbook.xml',
    xmlSink(
      maxRun,
      'xl/workbook.xml',
      (t) => {
        const n = local(t.name);
        if (n === 'sheet') info.sheets.push({ name: String(t.attributes.name ?? ''), state: String(t.attributes.state ?? 'visible'), rId: String(t.attributes['r:id'] ?? t.attributes.id ?? '') });
        else if (n === 'workbookPr') info.date1904 = t.attributes.date1904 === '1' || t.attributes.date1904 === 'true';
      },
      () => {},
      () => {},
    ),
  );
  if (!workbook) throw new Error('xl/workbook.xml not found');
  read(
    'xl/_rels/workbook.xml.rels',
    xmlSink(
      maxRun,
      'xl/_rels/workbook.xml.rels',
      (t) => {
        if (local(t.name) === 'Relationship') info.rels.set(String(t.attributes.Id), String(t.attributes.Target));
      },
      () => {},
      () => {},
    ),
  );
  let inCellXfs = false;
  read(
    'xl/styles.xml',
    xmlSink(
      maxRun,
      'xl/styles.xml',
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
    ),
  );
  let parts: string[] = [];
  let length = 0;
  let inT = false;
  let inPhonetic = false;
  read(
    'xl/sharedStrings.xml',
    xmlSink(
      maxRun,
      'xl/sharedStrings.xml',
      (t) => {
        const n = local(t.name);
        if (n === 'si') (parts = []), (length = 0);
        else if (n === 't') inT = true;
        else if (n === 'rPh') inPhonetic = true;
      },
      (text) => {
        if (inT && !inPhonetic) {
          length += text.length;
          if (length > limits.maxCellChars) throw limitExceeded('maxCellChars', limits.maxCellChars, length, `xl/sharedStrings.xml #${info.sharedStrings.length + 1}`);
          parts.push(text);
        }
      },
      (n) => {
        if (n === 't') inT = false;
        else if (n === 'rPh') inPhonetic = false;
        else if (n === 'si') {
          if (info.sharedStrings.length >= limits.maxSharedStrings) throw limitExceeded('maxSharedStrings', limits.maxSharedStrings, null);
          info.sharedStrings.push(parts.join(''));
        }
      },
    ),
  );
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

/**
 * Every sheet (in file order) and its rows, from the bytes of an .xlsx, within `limits` (rows per
 * sheet, columns, non-empty cells, shared strings, cell length, and the ZIP's own limits).
 */
export function* readXlsx(bytes: Uint8Array, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Generator<XlsxEvent> {
  const zip = openZip(bytes, limits);
  verifyZip(zip);
  const info = readWorkbookInfo(zip, limits);
  const byPath = new Map<string, { name: string; hidden: boolean }>();
  for (const s of info.sheets) {
    const target = info.rels.get(s.rId);
    if (!target) continue;
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    byPath.set(path, { name: s.name, hidden: s.state === 'hidden' || s.state === 'veryHidden' });
  }
  let totalCells = 0;
  for (const entry of zip.entries) {
    const sheet = byPath.get(entry.name);
    if (!sheet || zip.byName.get(entry.name) !== entry) continue;
    const queue: XlsxEvent[] = [{ kind: 'sheet', name: sheet.name, hidden: sheet.hidden }];
    let rows = 0;
    let rowNo = 0;
    let cells: Raw[] = [];
    let inRow = false;
    let col = 0;
    let type = 'n';
    let style = 0;
    let value: string[] = [];
    let length = 0;
    let inValue = false;
    let inInline = false;
    let inPhonetic = false;
    const merges: string[] = [];
    const at = () => `${sheet.name}!${colLetterOf(col)}${rowNo}`;
    const sink = xmlSink(
      limits.maxCellChars * RUN_FACTOR,
      sheet.name,
      (t) => {
        const n = local(t.name);
        if (n === 'row') {
          if (++rows > limits.maxRows) throw limitExceeded('maxRows', limits.maxRows, null, sheet.name);
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
          length = 0;
        } else if (n === 'v') inValue = true;
        else if (n === 'is') inInline = true;
        else if (n === 't' && inInline) inValue = true;
        else if (n === 'rPh') inPhonetic = true;
        else if (n === 'mergeCell' && !inRow) {
          // A range costs memory like a cell: it counts against the same limit.
          if (++totalCells > limits.maxCells) throw limitExceeded('maxCells', limits.maxCells, null, sheet.name);
          const ref = String(t.attributes.ref ?? '');
          if (/^[A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7}$/i.test(ref)) merges.push(ref.toUpperCase());
        }
      },
      (s) => {
        if (inValue && !inPhonetic) {
          length += s.length;
          if (length > limits.maxCellChars) throw limitExceeded('maxCellChars', limits.maxCellChars, length, at());
          value.push(s);
        }
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
            // Only cells with a value cost memory: the limits apply to them (a styled empty cell far right is harmless).
            if (col > limits.maxColumns) throw limitExceeded('maxColumns', limits.maxColumns, col, at());
            if (++totalCells > limits.maxCells) throw limitExceeded('maxCells', limits.maxCells, null, at());
            while (cells.length < col - 1) cells.push(null);
            cells[col - 1] = raw;
          }
        } else if (n === 'row') {
          inRow = false;
          if (cells.length) queue.push({ kind: 'row', number: rowNo, cells });
        } else if (n === 'mergeCells' && merges.length) queue.push({ kind: 'merges', ranges: merges.splice(0) });
      },
    );
    // One inflated piece may hold thousands of rows: hand them on in order, then start a new queue.
    const drain = function* (): Generator<XlsxEvent> {
      const out = queue.splice(0);
      yield* out;
    };
    for (const _ of feed(zip, entry, sink)) {
      void _;
      yield* drain();
    }
    yield* drain();
  }
}

/** Column letters of a 1-based index (A, Z, AA…), for messages. */
function colLetterOf(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s || 'A';
}
