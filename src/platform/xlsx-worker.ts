/**
 * Luồng đọc tệp — the body of the parse worker (started by xlsx-parse.ts, bundled to plain
 * JavaScript): reads the .xlsx it was given with xlsx-reader.ts and its limits, and hands the
 * events back a batch at a time, each when the importer asks for it (so the worker never runs
 * ahead of the import). A refusal is sent back as it is (code, both messages, details).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { isDomainError } from '../domain/errors.ts';
import type { XlsxLimits } from '../files/imports/limits.ts';
import { readXlsx, type XlsxEvent } from '../files/imports/xlsx-reader.ts';

/** Cells per batch: enough to keep messages few, small enough to keep them light. */
const BATCH_CELLS = 20_000;

export type WorkerReply = { events: XlsxEvent[]; done: boolean } | { error: { code?: string; vi?: string; en: string; details?: Record<string, unknown> } };

const { bytes, limits } = workerData as { bytes: Uint8Array; limits: XlsxLimits };
// On Linux the nice value is per thread: the parse yields the CPU to the server's own thread.
try {
  setPriority(10);
} catch {
  /* not allowed here: run at normal priority */
}
let events: Generator<XlsxEvent> | null = null;
const port = parentPort!;

port.on('message', () => {
  let reply: WorkerReply;
  try {
    events ??= readXlsx(bytes, limits);
    const batch: XlsxEvent[] = [];
    let cells = 0;
    let done = false;
    while (cells < BATCH_CELLS) {
      const next = events.next();
      if (next.done) {
        done = true;
        break;
      }
      batch.push(next.value);
      cells += next.value.kind === 'row' ? next.value.cells.length + 1 : next.value.kind === 'merges' ? next.value.ranges.length + 1 : 1;
    }
    reply = { events: batch, done };
  } catch (e) {
    reply = isDomainError(e) ? { error: { code: e.code, vi: e.messageVi, en: e.message, details: e.details ?? {} } } : { error: { en: (e as Error).message } };
  }
  port.postMessage(reply);
});
