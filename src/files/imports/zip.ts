/**
 * Tệp nén ZIP — the ZIP container of an .xlsx read from its central directory, never trusting it:
 * 1. `openZip` reads the directory at the end of the file and refuses, before inflating anything,
 *    a file whose entries declare more than `maxInflatedBytes` in all, a ratio above `maxRatio`
 *    (for entries above 1 MB), more than `maxEntries` entries, ZIP64, encryption or an unknown
 *    compression method;
 * 2. `inflateEntry` inflates one entry in small slices and counts what comes out: an entry that
 *    inflates to more than it declared is refused at once (a lying header does not help), and so is
 *    a file whose entries together inflate beyond `maxInflatedBytes`;
 * 3. `verifyZip` does that for every entry, keeping nothing, before the file is parsed: a lie is
 *    found in the time it takes to inflate what the file declared (≈ 0.2 s for a national
 *    workbook), before any row reaches the importer.
 * Damage (truncated directory, offsets outside the file) throws a plain Error; limits throw the
 * bilingual 413 of limits.ts.
 */
import { Inflate } from 'fflate';
import { limitExceeded, type XlsxLimits } from './limits.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header. */
  offset: number;
}

export interface Zip {
  bytes: Uint8Array;
  /** In directory order. */
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
  /** Bytes inflated so far (all entries). */
  inflated: number;
  limits: Pick<XlsxLimits, 'maxInflatedBytes' | 'maxRatio' | 'maxEntries'>;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Entries this small are not held to the ratio (tiny XML parts compress oddly). */
const RATIO_FLOOR = 1024 * 1024;
/** Compressed bytes pushed at a time: at most ≈ 1,000 times this comes out per push. */
const SLICE = 4096;

const damaged = (why: string) => new Error(`damaged ZIP: ${why}`);

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Read and check the central directory; nothing is inflated. */
export function openZip(bytes: Uint8Array, limits: Zip['limits']): Zip {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (u32(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged('no end of central directory');
  const count = u16(end + 10);
  const dirSize = u32(end + 12);
  const dirOffset = u32(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) throw limitExceeded('maxInflatedBytes', limits.maxInflatedBytes, null, 'ZIP64');
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count) throw damaged('multi-disk archive');
  if (count > limits.maxEntries) throw limitExceeded('maxEntries', limits.maxEntries, count);
  if (dirOffset + dirSize > end) throw damaged('central directory outside the file');
  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  const decoder = new TextDecoder('utf-8');
  let declared = 0;
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || u32(at) !== CENTRAL) throw damaged('bad central directory entry');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (next > end) throw damaged('central directory entry outside the directory');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)).replace(/^\//, '');
    const offset = u32(at + 42);
    at = next;
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) throw limitExceeded('maxInflatedBytes', limits.maxInflatedBytes, null, `${name}: ZIP64`);
    if (flags & 1) throw damaged(`${name} is encrypted`);
    if (method !== 0 && method !== 8) throw damaged(`${name} uses compression method ${method}`);
    if (offset + 30 + compressedSize > bytes.length) throw damaged(`${name} lies outside the file`);
    declared += size;
    if (declared > limits.maxInflatedBytes) throw limitExceeded('maxInflatedBytes', limits.maxInflatedBytes, declared, `${name}`);
    if (size > RATIO_FLOOR && size > limits.maxRatio * Math.max(compressedSize, 1)) throw limitExceeded('maxRatio', limits.maxRatio, size / Math.max(compressedSize, 1), name);
    const entry = { name, method, compressedSize, size, offset };
    entries.push(entry);
    if (!byName.has(name)) byName.set(name, entry);
  }
  return { bytes, entries, byName, inflated: 0, limits };
}

/**
 * Inflate one entry, handing each piece to `onData` as it comes (never the whole entry at once).
 * Refused as soon as the entry gives more than it declared or the file more than the limit.
 */
export function* inflateEntry(zip: Zip, entry: ZipEntry): Generator<Uint8Array> {
  const { bytes } = zip;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) throw damaged(`no local header for ${entry.name}`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  if (start + entry.compressedSize > bytes.length) throw damaged(`${entry.name} lies outside the file`);
  const data = bytes.subarray(start, start + entry.compressedSize);
  let out = 0;
  const count = (n: number) => {
    out += n;
    zip.inflated += n;
    // The entry said how large it is: anything more is a lie, refused before it costs anything.
    if (out > entry.size) {
      throw limitExceeded('maxInflatedBytes', zip.limits.maxInflatedBytes, null, {
        vi: `${entry.name} khai báo ${entry.size.toLocaleString('vi-VN')} byte nhưng giải nén ra nhiều hơn`,
        en: `${entry.name} declares ${entry.size} bytes but inflates to more`,
      });
    }
    if (zip.inflated > zip.limits.maxInflatedBytes) throw limitExceeded('maxInflatedBytes', zip.limits.maxInflatedBytes, zip.inflated, entry.name);
  };
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged(`${entry.name}: stored sizes differ`);
    for (let i = 0; i < data.length; i += SLICE * 16) {
      const piece = data.subarray(i, i + SLICE * 16);
      count(piece.length);
      yield piece;
    }
    return;
  }
  const pending: Uint8Array[] = [];
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    if (chunk.length) {
      count(chunk.length);
      pending.push(chunk);
    }
    if (final) ended = true;
  });
  for (let i = 0; i < data.length; i += SLICE) {
    inflate.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
    while (pending.length) yield pending.shift()!;
  }
  if (data.length === 0) inflate.push(new Uint8Array(0), true);
  while (pending.length) yield pending.shift()!;
  if (!ended || out !== entry.size) throw damaged(`${entry.name} inflates to ${out} bytes, not the ${entry.size} declared`);
}

/** Inflate every entry once, keeping nothing: refuses a lying entry before anything is parsed. */
export function verifyZip(zip: Zip): void {
  for (const entry of zip.entries) for (const _ of inflateEntry(zip, entry)) void _;
  zip.inflated = 0;
}
