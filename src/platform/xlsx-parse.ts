/**
 * Đọc .xlsx trong luồng riêng — an uploaded workbook is parsed in a worker thread, never on the
 * server's event loop: the worker has a heap limit (`workerMemoryMb`: beyond it the worker dies,
 * not the server) and a time limit (`parseMs` of parsing, not counting the time the importer spends
 * on the database between batches: past it the worker is terminated), and at most `workers`
 * parses run at once (the others wait). Other requests keep being answered meanwhile. Inside,
 * xlsx-reader.ts enforces the structural limits; each refusal is the bilingual 413 of limits.ts.
 *
 * The worker's code is bundled once per process from xlsx-worker.ts by esbuild (already there for
 * tsx): a plain-JavaScript worker starts in ≈ 0.1 s and costs ≈ 20 MB, where one loading TypeScript
 * through tsx's hooks costs ≈ 0.5 s and 45 MB; and it runs the same under `npm start` and Vitest.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { DomainError, type ErrorCode } from '../domain/errors.ts';
import { limitExceeded, type XlsxLimits } from '../files/imports/limits.ts';
import type { XlsxEvent } from '../files/imports/xlsx-reader.ts';
import type { WorkerReply } from './xlsx-worker.ts';

let code: Promise<string> | null = null;

function workerCode(): Promise<string> {
  code ??= build({
    entryPoints: [fileURLToPath(new URL('./xlsx-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  code.catch(() => {
    code = null;
  });
  return code;
}

let running = 0;
const waiting: Array<() => void> = [];

async function acquire(max: number): Promise<void> {
  if (running < max) {
    running++;
    return;
  }
  // The releaser hands its place over (running stays counted).
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Parses running now and waiting (for the health page and tests). */
export function parseLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/** The events of `readXlsx(bytes, limits)`, parsed in a worker thread with a memory and a time limit. */
export async function* parseXlsxInWorker(bytes: Uint8Array, limits: XlsxLimits): AsyncGenerator<XlsxEvent> {
  const source = await workerCode();
  await acquire(limits.workers);
  let worker: Worker | null = null;
  let busyMs = 0;
  let timer: NodeJS.Timeout | null = null;
  let waiter: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void; since: number } | null = null;
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    if (timer) clearTimeout(timer);
    const w = waiter;
    waiter = null;
    w?.reject(failure);
  };
  try {
    worker = new Worker(source, {
      eval: true,
      workerData: { bytes, limits },
      resourceLimits: { maxOldGenerationSizeMb: limits.workerMemoryMb, maxYoungGenerationSizeMb: Math.min(8, Math.max(2, limits.workerMemoryMb >> 4)) },
    });
    worker.on('message', (reply: WorkerReply) => {
      if (timer) clearTimeout(timer);
      const w = waiter;
      waiter = null;
      if (!w) return;
      busyMs += performance.now() - w.since;
      w.resolve(reply);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? limitExceeded('workerMemoryMb', limits.workerMemoryMb, null) : new Error(`parse worker failed: ${e.message}`));
    });
    worker.on('exit', () => fail(new Error('parse worker stopped')));
    const w = worker;
    const ask = (): Promise<WorkerReply> =>
      new Promise<WorkerReply>((resolve, reject) => {
        if (failure) return reject(failure);
        waiter = { resolve, reject, since: performance.now() };
        timer = setTimeout(
          () => {
            fail(limitExceeded('parseMs', limits.parseMs, null));
            void w.terminate();
          },
          Math.max(0, limits.parseMs - busyMs),
        );
        w.postMessage('next');
      });
    // A batch asked for ahead may fail after the importer has stopped reading: that is not news.
    const ahead = () => {
      const p = ask();
      p.catch(() => {});
      return p;
    };
    let next = ahead();
    for (;;) {
      const reply = await next;
      if ('error' in reply) {
        const e = reply.error;
        throw e.code ? new DomainError(e.code as ErrorCode, { vi: e.vi ?? e.en, en: e.en }, e.details) : new Error(e.en);
      }
      // Parse the next batch while this one is consumed.
      if (!reply.done) next = ahead();
      for (const ev of reply.events) yield ev;
      if (reply.done) return;
    }
  } finally {
    if (timer) clearTimeout(timer);
    failure ??= new Error('parse finished');
    await worker?.terminate();
    release();
  }
}
