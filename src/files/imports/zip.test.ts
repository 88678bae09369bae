/**
 * ZIP bombs and oversized workbooks, made in memory (src/test-support/xlsx-bombs.ts: 1–3 MB files
 * that inflate to a gigabyte): the central directory is checked before anything is inflated, a
 * lying header is caught by counting what really comes out, and each structural limit stops the
 * read with a bilingual 413 naming the limit and its variable. A national-size workbook still reads.
 */
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { bomb, nationalSheet, part, repeatedPart, sheetOf, zipOf, type BombName } from '../../test-support/xlsx-bombs.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './limits.ts';
import { assertXlsx } from './review-sheet.ts';
import { readXlsx } from './xlsx-reader.ts';
import { inflateEntry, openZip } from './zip.ts';

const BOMBS: BombName[] = ['huge-string', 'many-strings', 'many-rows'];

/** The refusal a read ends with (or null when it reads through). */
function refusal(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}): DomainError | null {
  try {
    for (const _ of readXlsx(bytes, { ...DEFAULT_XLSX_LIMITS, ...limits })) void _;
    return null;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
}

/** Limits loose enough to let a small bomb (1/50th: ≈ 20 MB inflated) through to the structural check under test. */
const LOOSE: Partial<XlsxLimits> = { maxRatio: 1_100 };
const SMALL = 0.02;

describe('the ZIP directory is checked before anything is inflated', () => {
  it.each(BOMBS)('refuses the %s bomb by its declared size, naming the limit', (name) => {
    const file = bomb(name);
    expect(file.length).toBeLessThan(3 * 1024 * 1024);
    let e: unknown = null;
    try {
      assertXlsx(file);
    } catch (x) {
      e = x;
    }
    expect(isDomainError(e)).toBe(true);
    const err = e as DomainError;
    expect(err.code).toBe('payload_too_large');
    expect(err.details).toMatchObject({ code: 'import_limit', limit: 'maxInflatedBytes', variable: 'DATCHUAN_IMPORT_MAX_INFLATED_MB' });
    expect((err.details!.actual as number) > 900 * 1024 * 1024).toBe(true);
    expect(err.message).toMatch(/uncompressed size .* at most 256 MB \(DATCHUAN_IMPORT_MAX_INFLATED_MB\)/);
    expect(err.messageVi).toMatch(/vượt giới hạn dung lượng sau giải nén .* tối đa 256 MB/);
  });

  it('refuses a ratio beyond the limit even when the size is allowed', () => {
    const file = zipOf([part('xl/workbook.xml', '<workbook/>'), repeatedPart('xl/worksheets/sheet1.xml', '<worksheet>', 'A'.repeat(1000), 20_000, '</worksheet>')]);
    expect(() => openZip(file, DEFAULT_XLSX_LIMITS)).toThrow(/compression ratio .* at most 100:1 \(DATCHUAN_IMPORT_MAX_RATIO\)/);
    expect(() => openZip(file, { ...DEFAULT_XLSX_LIMITS, maxRatio: 1_100 })).not.toThrow();
  });

  it('refuses too many entries, and calls a truncated or non-ZIP file not a workbook', () => {
    const many = zipOf(Array.from({ length: 30 }, (_, i) => part(`x/${i}.xml`, '<a/>')));
    expect(() => openZip(many, { ...DEFAULT_XLSX_LIMITS, maxEntries: 20 })).toThrow(/number of ZIP entries: 30, at most 20/);
    const good = sheetOf([['a', 1]]);
    expect(() => assertXlsx(good.subarray(0, good.length - 30))).toThrow(/not an \.xlsx workbook: the ZIP package is damaged/);
  });
});

describe('a lying header does not help', () => {
  it.each(BOMBS)('stops the %s bomb as soon as an entry inflates beyond what it declared', (name) => {
    const file = bomb(name, true);
    const zip = openZip(file, DEFAULT_XLSX_LIMITS);
    const entry = zip.entries.at(-1)!;
    let out = 0;
    expect(() => {
      for (const piece of inflateEntry(zip, entry)) out += piece.length;
    }).toThrow(/declares \d+ bytes but inflates to more/);
    // What came out before the refusal: the declared size, give or take one piece.
    expect(out).toBeLessThanOrEqual(entry.size);
    expect(zip.inflated).toBeLessThan(entry.size + 8 * 1024 * 1024);
    const e = refusal(file);
    expect(e?.details).toMatchObject({ limit: 'maxInflatedBytes' });
  });
});

describe('the structure is capped while reading', () => {
  it('caps shared strings, rows, cell length, columns and cells, naming the place', () => {
    expect(refusal(bomb('many-strings', false, SMALL), { ...LOOSE, maxSharedStrings: 1000 })?.message).toMatch(/limit on shared strings: at most 1,000 \(DATCHUAN_IMPORT_MAX_SHARED_STRINGS\)/);
    expect(refusal(bomb('many-rows', false, SMALL), { ...LOOSE, maxRows: 500 })?.message).toMatch(/limit on rows in one sheet \(Số liệu\): at most 500 \(DATCHUAN_IMPORT_MAX_ROWS\)/);
    expect(refusal(bomb('huge-string', false, SMALL), LOOSE)?.details).toMatchObject({ limit: 'maxCellChars', variable: 'DATCHUAN_IMPORT_MAX_CELL_CHARS' });
    const long = sheetOf([['x'.repeat(40_000)]]);
    expect(refusal(long)?.message).toMatch(/characters in one cell \(Số liệu!A1\): 40,000, at most 32,767/);
    expect(refusal(long, { maxCellChars: 50_000 })).toBeNull();
    const wide = sheetOf([Array.from({ length: 1_001 }, (_, i) => i)]);
    expect(refusal(wide)?.message).toMatch(/limit on columns \(Số liệu!ALM1\): 1,001, at most 1,000 \(DATCHUAN_IMPORT_MAX_COLUMNS\)/);
    expect(refusal(nationalSheet(10, 100), { maxCells: 500 })?.details).toMatchObject({ limit: 'maxCells', max: 500 });
  });

  it('reads a national-size workbook (10,000 communes × 100 indicators) within the default limits', () => {
    const file = nationalSheet();
    let rows = 0;
    let cells = 0;
    for (const e of readXlsx(file)) {
      if (e.kind !== 'row') continue;
      rows++;
      cells += e.cells.length;
    }
    expect(rows).toBe(10_001);
    expect(cells).toBe(10_001 * 106);
  }, 60_000);
});
