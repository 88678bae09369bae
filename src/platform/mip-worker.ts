/**
 * Luồng giải MIP — the body of the solver worker (started by mip-solver.ts, bundled to plain
 * JavaScript with `highs` left outside): loads HiGHS from the path it is given, then answers each
 * `{ id, lp, opts }` with `{ id, solution }`. Runs at a lower priority than the server's thread.
 */
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Highs, InitOptions } from 'highs';
import { solveWithHighs } from './mip-run.ts';
import type { MipSolveOptions, MipWorkerReply } from './mip-solver.ts';

const { highsPath } = workerData as { highsPath: string };
// eval'd workers have `require`; createRequire keeps the bundle honest about it.
const required = createRequire(highsPath)(highsPath) as ((o?: InitOptions) => Promise<Highs>) | { default: (o?: InitOptions) => Promise<Highs> };
const loader = typeof required === 'function' ? required : required.default;

try {
  setPriority(10);
} catch {
  /* not allowed here: run at normal priority */
}

parentPort!.on('message', (m: { id: number; lp: string; opts: MipSolveOptions }) => {
  void solveWithHighs(loader, m.lp, m.opts).then((solution) => parentPort!.postMessage({ id: m.id, solution } satisfies MipWorkerReply));
});
