/**
 * Giới hạn khi đọc tệp tải lên — what an uploaded .xlsx may cost the server before it is refused.
 * A national workbook is 10,000 communes × about 100 indicators (≈ 35 MB of XML, 6.6 MB zipped,
 * ratio ≈ 5:1); the defaults leave a wide margin above that and far below what a "ZIP bomb"
 * needs (ratios near 1,000:1, gigabytes of XML, millions of rows or strings). Each limit is
 * configurable (`DATCHUAN_IMPORT_*`, src/config.ts; docs/security.md) and each refusal names it.
 */
import { DomainError, type BilingualMessage } from '../../domain/errors.ts';

export interface XlsxLimits {
  /** Sum of the uncompressed sizes the ZIP declares, and of what its entries really inflate to (bytes). */
  maxInflatedBytes: number;
  /** Uncompressed : compressed size of an entry above 1 MB. */
  maxRatio: number;
  /** Entries in the ZIP. */
  maxEntries: number;
  /** Rows (`<row>` elements, empty ones included) in one sheet. */
  maxRows: number;
  /** Column of a non-empty cell, and cells in one row. */
  maxColumns: number;
  /** Non-empty cells in the whole workbook. */
  maxCells: number;
  /** Entries of the shared-string table. */
  maxSharedStrings: number;
  /** Characters of one cell or shared string (Excel's own limit is 32,767). */
  maxCellChars: number;
  /** CPU time the parse may take in its worker (ms). */
  parseMs: number;
  /** Heap of the parse worker (MB). */
  workerMemoryMb: number;
  /** Parse workers running at once; more imports wait their turn. */
  workers: number;
}

export const DEFAULT_XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxInflatedBytes: 256 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 20_000,
  maxRows: 100_000,
  maxColumns: 1_000,
  maxCells: 5_000_000,
  maxSharedStrings: 1_000_000,
  maxCellChars: 32_767,
  parseMs: 60_000,
  workerMemoryMb: 256,
  workers: 2,
});

/** Each limit: its environment variable, and what it is called in both languages. */
export const LIMIT_NAMES: Record<keyof XlsxLimits, { env: string; vi: string; en: string }> = {
  maxInflatedBytes: { env: 'DATCHUAN_IMPORT_MAX_INFLATED_MB', vi: 'dung lượng sau giải nén', en: 'uncompressed size' },
  maxRatio: { env: 'DATCHUAN_IMPORT_MAX_RATIO', vi: 'tỉ lệ nén', en: 'compression ratio' },
  maxEntries: { env: 'DATCHUAN_IMPORT_MAX_ENTRIES', vi: 'số thành phần trong tệp nén', en: 'number of ZIP entries' },
  maxRows: { env: 'DATCHUAN_IMPORT_MAX_ROWS', vi: 'số dòng của một trang', en: 'rows in one sheet' },
  maxColumns: { env: 'DATCHUAN_IMPORT_MAX_COLUMNS', vi: 'số cột', en: 'columns' },
  maxCells: { env: 'DATCHUAN_IMPORT_MAX_CELLS', vi: 'số ô có dữ liệu', en: 'non-empty cells' },
  maxSharedStrings: { env: 'DATCHUAN_IMPORT_MAX_SHARED_STRINGS', vi: 'số chuỗi dùng chung', en: 'shared strings' },
  maxCellChars: { env: 'DATCHUAN_IMPORT_MAX_CELL_CHARS', vi: 'độ dài một ô', en: 'characters in one cell' },
  parseMs: { env: 'DATCHUAN_IMPORT_PARSE_SECONDS', vi: 'thời gian đọc tệp', en: 'parse time' },
  workerMemoryMb: { env: 'DATCHUAN_IMPORT_WORKER_MB', vi: 'bộ nhớ khi đọc tệp', en: 'parse memory' },
  workers: { env: 'DATCHUAN_IMPORT_WORKERS', vi: 'số tệp đọc cùng lúc', en: 'parses at once' },
};

function shown(limit: keyof XlsxLimits, n: number): { vi: string; en: string } {
  if (limit === 'maxInflatedBytes') return { vi: `${(n / 1048576).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB`, en: `${(n / 1048576).toLocaleString('en', { maximumFractionDigits: 1 })} MB` };
  if (limit === 'parseMs') return { vi: `${Math.round(n / 1000)} giây`, en: `${Math.round(n / 1000)} s` };
  if (limit === 'workerMemoryMb') return { vi: `${n} MB`, en: `${n} MB` };
  if (limit === 'maxRatio') return { vi: `${Math.round(n).toLocaleString('vi-VN')}:1`, en: `${Math.round(n).toLocaleString('en')}:1` };
  return { vi: n.toLocaleString('vi-VN'), en: n.toLocaleString('en') };
}

/**
 * The refusal of a file beyond a limit: 413, both languages, naming the limit, its value and its
 * variable; `actual` when it is known (a declared size, a count reached), `where` (entry, sheet or cell).
 */
export function limitExceeded(limit: keyof XlsxLimits, max: number, actual: number | null, where: string | BilingualMessage | null = null): DomainError {
  const name = LIMIT_NAMES[limit];
  const m = shown(limit, max);
  const a = actual === null ? null : shown(limit, actual);
  const w = where === null ? null : typeof where === 'string' ? { vi: where, en: where } : where;
  return new DomainError(
    'payload_too_large',
    {
      vi: `Tệp vượt giới hạn ${name.vi}${w ? ` (${w.vi})` : ''}: ${a ? `${a.vi}, ` : ''}tối đa ${m.vi} (${name.env}). Không đọc tiếp, không ghi gì.`,
      en: `The file exceeds the limit on ${name.en}${w ? ` (${w.en})` : ''}: ${a ? `${a.en}, ` : ''}at most ${m.en} (${name.env}). Reading stopped; nothing was written.`,
    },
    { code: 'import_limit', limit, max, actual, where: w?.en ?? null, variable: name.env },
  );
}
