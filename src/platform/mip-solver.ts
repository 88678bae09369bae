/**
 * Mixed-integer solver: HiGHS compiled to WebAssembly (npm `highs`), run in a worker thread. The
 * solve is synchronous inside HiGHS — on the server's own thread it would stop every other request
 * for as long as it runs (up to the time limit) — so it runs in one long-lived worker: HiGHS is
 * loaded there once (≈ 2 s the first time) and reused; solves queue one at a time. The worker's
 * code is bundled from mip-worker.ts by esbuild (as the spreadsheet worker is) with `highs` left
 * outside and loaded from its package path. A worker that does not answer within the time limit
 * plus a grace period is terminated (the next solve starts a fresh one) and the call returns
 * `error`, so the caller falls back to its heuristic: never a hang.
 *
 * Gap: read from HiGHS's own solve information (`mip_gap`, with `mip_dual_bound` and
 * `objective_function_value`) through the persistent-model API's `info.get`; HiGHS defines it as
 * |primal bound − dual bound| / |primal bound| (0 when proven optimal, Infinity when there is no
 * incumbent). The solve itself is in mip-run.ts.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

export interface MipSolveOptions {
  /** Wall-clock limit for the solve, seconds. */
  timeLimitSeconds: number;
  /** Relative gap at which HiGHS may stop as optimal; default 1e-6. */
  relativeGap?: number;
  /** Absolute gap (objective units) at which HiGHS may stop as optimal; default 1e-6. */
  absoluteGap?: number;
  /** A feasible solution to start from (column name → value); unknown names are ignored. */
  start?: ReadonlyMap<string, number>;
}

export interface MipSolution {
  /**
   * `optimal`: proven within `relativeGap`; `time_limit`: stopped by the limit (`values` holds the
   * best solution found, empty if none); `infeasible`: proven infeasible; `error`: the model could not
   * be read or the solver failed (`message` says why).
   */
  status: 'optimal' | 'time_limit' | 'infeasible' | 'error';
  /** Objective of the returned solution, null without one. */
  objective: number | null;
  /** Column name → value; empty without a solution. */
  values: Map<string, number>;
  /** Relative gap as HiGHS reports it: 0 when optimal, Infinity when unknown. */
  gap: number;
  /** Best bound on the objective (upper bound when maximising), null when unknown. */
  bound: number | null;
  /** What went wrong, for `error`. */
  message?: string;
}


/** What the worker answers for one solve (Maps travel by structured clone). */
export interface MipWorkerReply {
  id: number;
  solution: MipSolution;
}

/** Extra seconds the worker gets beyond the time limit (loading HiGHS, reading the model back). */
const GRACE_SECONDS = 15;

let code: Promise<string> | null = null;

function workerCode(): Promise<string> {
  code ??= build({
    entryPoints: [fileURLToPath(new URL('./mip-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['highs'],
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  code.catch(() => {
    code = null;
  });
  return code;
}

interface Pending {
  resolve: (s: MipSolution) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();

function failAll(message: string): void {
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    p.resolve({ status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message });
    pending.delete(id);
  }
}

async function theWorker(): Promise<Worker> {
  if (worker) return worker;
  const highsPath = createRequire(import.meta.url).resolve('highs');
  const w = new Worker(await workerCode(), { eval: true, workerData: { highsPath } });
  w.unref();
  w.on('message', (reply: MipWorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    clearTimeout(p.timer);
    pending.delete(reply.id);
    p.resolve(reply.solution);
  });
  w.on('error', (e) => {
    if (worker === w) worker = null;
    failAll(`HiGHS worker failed: ${e.message}`);
  });
  w.on('exit', () => {
    if (worker === w) worker = null;
    failAll('HiGHS worker stopped');
  });
  worker = w;
  return w;
}

async function solveInWorker(lp: string, opts: MipSolveOptions): Promise<MipSolution> {
  let w: Worker;
  try {
    w = await theWorker();
  } catch (e) {
    return { status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: `HiGHS worker could not start: ${(e as Error).message}` };
  }
  const id = nextId++;
  return new Promise<MipSolution>((resolve) => {
    const timer = setTimeout(
      () => {
        pending.delete(id);
        if (worker === w) worker = null;
        void w.terminate();
        resolve({ status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: `HiGHS did not answer within ${opts.timeLimitSeconds + GRACE_SECONDS} s: stopped` });
      },
      (opts.timeLimitSeconds + GRACE_SECONDS) * 1000,
    );
    pending.set(id, { resolve, timer });
    w.postMessage({ id, lp, opts });
  });
}

/** Solve a CPLEX LP-format model with HiGHS (in the solver thread). Never throws; see `MipSolution`. */
export function solveMip(lp: string, opts: MipSolveOptions): Promise<MipSolution> {
  // One solve at a time: a second one waits for the first (each is bounded by its time limit).
  const run = queue.then(() => solveInWorker(lp, opts));
  queue = run.catch(() => undefined);
  return run;
}

/** Stop the solver thread (tests; the process exits without it as well: the worker is unref'd). */
export async function stopMipWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
