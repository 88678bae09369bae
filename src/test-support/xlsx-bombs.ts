/**
 * Hostile and national-size .xlsx files, made in memory in well under a second: a minimal ZIP
 * writer and a DEFLATE stream built by repeating one fully-flushed compressed block (each copy
 * decodes on its own), so a file of 1–3 MB inflates to a gigabyte without the gigabyte ever
 * existing here. The bombs of issue 17: one shared string of 1.26 GB, 60 million shared
 * strings, 40 million rows — each with its true sizes in the central directory, and a "lying"
 * variant whose headers declare a few kilobytes.
 */
import { constants, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The bytes as stored (deflated unless `method` is 0). */
  data: Uint8Array;
  /** The size declared in the headers. */
  size: number;
  method?: 0 | 8;
}

/** A ZIP of the parts, with the sizes they declare (CRC left at 0: the reader does not need it). */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(p.method ?? 8, 8);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(p.method ?? 8, 10);
    dir.writeUInt32LE(p.data.length, 20);
    dir.writeUInt32LE(p.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, name, Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength));
    central.push(dir, name);
    offset += 30 + name.length + p.data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, dirBytes, end]);
}

/** An ordinary part: its text deflated. */
export function part(name: string, text: string): ZipPart {
  const raw = Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(raw), size: raw.length };
}

/** `prefix + unit × times + suffix`, deflated without ever being written out whole. */
export function repeatedPart(name: string, prefix: string, unit: string, times: number, suffix: string): ZipPart {
  const size = Buffer.byteLength(prefix) + Buffer.byteLength(unit) * times + Buffer.byteLength(suffix);
  const perBlock = Math.max(1, Math.floor((1 << 20) / Buffer.byteLength(unit)));
  if (times < perBlock) return { ...part(name, prefix + unit.repeat(times) + suffix), size };
  // Each piece ends on a full flush: byte-aligned, no reference to what came before, so copies chain.
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const head = deflateRawSync(Buffer.from(prefix, 'utf8'), flush);
  const block = deflateRawSync(Buffer.from(unit.repeat(perBlock), 'utf8'), flush);
  const blocks = Math.floor(times / perBlock);
  const tail = deflateRawSync(Buffer.from(unit.repeat(times - blocks * perBlock) + suffix, 'utf8'));
  return { name, data: Buffer.concat([head, ...Array.from({ length: blocks }, () => block), tail]), size };
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** The parts every workbook here shares: content types, workbook with one sheet, relationships. */
function skeleton(sheetName = 'Số liệu'): ZipPart[] {
  return [
    part(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    part('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} ${REL_NS}><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    part(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
  ];
}

const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';
const SST_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>`;

/** Declare the part no larger than its compressed bytes (as if barely compressed), whatever it really inflates to. */
function lying(p: ZipPart): ZipPart {
  return { ...p, size: Math.min(p.size, p.data.length) };
}

export type BombName = 'huge-string' | 'many-strings' | 'many-rows';

/** One bomb of issue 17, with honest sizes, or lying ones (`lie`); `scale` < 1 makes a smaller one (for the structural limits). */
export function bomb(name: BombName, lie = false, scale = 1): Buffer {
  const n = (times: number) => Math.round(times * scale);
  const oneRow = part('xl/worksheets/sheet1.xml', `${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_TAIL}`);
  let parts: ZipPart[];
  if (name === 'huge-string') {
    // One shared string of 1.26 GB.
    const sst = repeatedPart('xl/sharedStrings.xml', `${SST_HEAD}<si><t>`, 'A'.repeat(1024), n(1_230_000), '</t></si></sst>');
    parts = [...skeleton(), oneRow, lie ? lying(sst) : sst];
  } else if (name === 'many-strings') {
    // 60 million shared strings.
    const sst = repeatedPart('xl/sharedStrings.xml', SST_HEAD, '<si><t>x</t></si>', n(60_000_000), '</sst>');
    parts = [...skeleton(), oneRow, lie ? lying(sst) : sst];
  } else {
    // 40 million rows.
    const sheet = repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, '<row><c><v>1</v></c></row>', n(40_000_000), SHEET_TAIL);
    parts = [...skeleton(), lie ? lying(sheet) : sheet];
  }
  return zipOf(parts);
}

/** A hand-made sheet of the given rows (strings inline, numbers as numbers). */
export function sheetOf(rows: ReadonlyArray<ReadonlyArray<string | number>>, sheetName = 'Số liệu'): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v) => (typeof v === 'number' ? `<c><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`)
    .join('');
  return zipOf([...skeleton(sheetName), part('xl/worksheets/sheet1.xml', `${SHEET_HEAD}${body}${SHEET_TAIL}`)]);
}

/** A national workbook's shape: 10,000 communes × `indicators` columns of values (with a header row and 6 unit columns). */
export function nationalSheet(indicators = 100, communes = 10_000): Buffer {
  const header = ['STT', 'Mã xã', 'Tên xã', 'Huyện', 'Tỉnh', 'Ngày', ...Array.from({ length: indicators }, (_, i) => `${Math.floor(i / 5) + 1}.${(i % 5) + 1}`)];
  const rows: Array<Array<string | number>> = [header];
  for (let r = 0; r < communes; r++) {
    const row: Array<string | number> = [r + 1, String(10_000 + r), `Xã Thịnh Vượng ${r}`, `Huyện ${r % 700}`, `Tỉnh ${r % 34}`, 45_371];
    for (let i = 0; i < indicators; i++) row.push(i % 3 === 0 ? (r + i) % 4 ? 'Đạt' : 'Không đạt' : ((r * 7919 + i * 104729) % 10_000) / 100);
    rows.push(row);
  }
  return sheetOf(rows);
}
