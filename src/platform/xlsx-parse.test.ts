/**
 * The parse worker: the same events as reading in place; refusals come back as the same bilingual
 * 413; past its heap or its parse time the worker is stopped and the import refused, naming the
 * limit; at most `workers` parses at once; a reader that stops early ends its worker.
 */
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../domain/errors.ts';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from '../files/imports/limits.ts';
import { readXlsx, type XlsxEvent } from '../files/imports/xlsx-reader.ts';
import { bomb, nationalSheet, sheetOf, type BombName } from '../test-support/xlsx-bombs.ts';
import { parseLoad, parseXlsxInWorker } from './xlsx-parse.ts';

async function collect(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}): Promise<XlsxEvent[]> {
  const out: XlsxEvent[] = [];
  for await (const e of parseXlsxInWorker(bytes, { ...DEFAULT_XLSX_LIMITS, ...limits })) out.push(e);
  return out;
}

async function refusal(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}): Promise<DomainError> {
  try {
    await collect(bytes, limits);
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('parsing in a worker thread', () => {
  it('gives the events of reading in place, dates and Vietnamese text included', async () => {
    const file = nationalSheet(20, 3000);
    const inWorker = await collect(file);
    expect(inWorker).toEqual([...readXlsx(file)]);
    expect(inWorker.filter((e) => e.kind === 'row')).toHaveLength(3001);
    expect(parseLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it.each<BombName>(['huge-string', 'many-strings', 'many-rows'])('refuses the lying %s bomb with the reader’s 413, and ends the worker', async (name) => {
    const e = await refusal(bomb(name, true));
    expect(e.code).toBe('payload_too_large');
    expect(e.details).toMatchObject({ code: 'import_limit', limit: 'maxInflatedBytes', variable: 'DATCHUAN_IMPORT_MAX_INFLATED_MB' });
    expect(e.messageVi).toMatch(/Tệp vượt giới hạn/);
    expect(parseLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it('stops a worker that outgrows its heap, naming the memory limit', async () => {
    // Every other limit opened wide: only the heap limit stands between this string and the server.
    const e = await refusal(bomb('huge-string', false, 0.05), { maxRatio: 1_100, maxCellChars: 2 ** 31, workerMemoryMb: 32 });
    expect(e.details).toMatchObject({ limit: 'workerMemoryMb', max: 32, variable: 'DATCHUAN_IMPORT_WORKER_MB' });
    expect(e.message).toMatch(/parse memory: at most 32 MB/);
  }, 60_000);

  it('stops a parse past its time limit, naming it', async () => {
    const e = await refusal(nationalSheet(), { parseMs: 1 });
    expect(e.details).toMatchObject({ limit: 'parseMs', variable: 'DATCHUAN_IMPORT_PARSE_SECONDS' });
    expect(parseLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it('runs at most `workers` parses at once, and a reader that stops early frees its place', async () => {
    const file = sheetOf(Array.from({ length: 50 }, (_, i) => [`Xã ${i}`, i]));
    const first = parseXlsxInWorker(file, { ...DEFAULT_XLSX_LIMITS, workers: 1 });
    expect((await first.next()).value).toMatchObject({ kind: 'sheet', name: 'Số liệu' });
    expect(parseLoad()).toEqual({ running: 1, waiting: 0 });
    const second = collect(file, { workers: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(parseLoad()).toEqual({ running: 1, waiting: 1 });
    await first.return(undefined);
    expect((await second).filter((e) => e.kind === 'row')).toHaveLength(50);
    expect(parseLoad()).toEqual({ running: 0, waiting: 0 });
  });
});
