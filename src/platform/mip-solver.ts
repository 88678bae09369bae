/**
 * Mixed-integer solver: a thin adapter around HiGHS compiled to WebAssembly (npm `highs`). The
 * runtime is loaded once, lazily, and reused; every solve gets its own native model (created from
 * the CPLEX LP text, disposed in `finally`). After a throw the runtime is dropped and loaded again
 * on the next call: a Wasm instance can be left in a bad state by a native error.
 *
 * The solve is synchronous inside HiGHS: it blocks the event loop until it finishes or reaches the
 * time limit, which callers must therefore keep short (the allocation service caps it at 120 s).
 *
 * Gap: read from HiGHS's own solve information (`mip_gap`, with `mip_dual_bound` and
 * `objective_function_value`) through the persistent-model API's `info.get`; HiGHS defines it as
 * |primal bound − dual bound| / |primal bound| (0 when proven optimal, Infinity when there is no
 * incumbent).
 */
import highsImport from 'highs';
import type { Highs, InitOptions } from 'highs';

type HighsRuntime = Highs;
/**
 * The package's declarations are CommonJS (`export default` in a `type: commonjs` package), so
 * TypeScript sees the default import as the module object, while Node's ESM entry (`highs.mjs`)
 * gives the loader itself: take whichever is callable.
 */
const highsLoader: (options?: InitOptions) => Promise<Highs> =
  typeof highsImport === 'function' ? (highsImport as (options?: InitOptions) => Promise<Highs>) : (highsImport as unknown as { default: (options?: InitOptions) => Promise<Highs> }).default;

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

let runtime: Promise<HighsRuntime> | null = null;

function loadRuntime(): Promise<HighsRuntime> {
  if (!runtime) {
    const loading = highsLoader();
    loading.catch(() => {
      if (runtime === loading) runtime = null;
    });
    runtime = loading;
  }
  return runtime;
}

const asNumber = (v: number | bigint): number => (typeof v === 'bigint' ? Number(v) : v);

/** Solve a CPLEX LP-format model with HiGHS. Never throws for a solver outcome; see `MipSolution`. */
export async function solveMip(lp: string, opts: MipSolveOptions): Promise<MipSolution> {
  let highs: HighsRuntime;
  try {
    highs = await loadRuntime();
  } catch (e) {
    return { status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: `HiGHS could not be loaded: ${(e as Error).message}` };
  }
  const ms = highs.constants.modelStatus;
  let model: ReturnType<HighsRuntime['createModel']> | null = null;
  try {
    model = highs.createModel({ format: 'lp', data: lp });
    model.options.set({
      output_flag: false,
      time_limit: opts.timeLimitSeconds,
      mip_rel_gap: opts.relativeGap ?? 1e-6,
      mip_abs_gap: opts.absoluteGap ?? 1e-6,
    });
    const { numCols } = model.getDimensions();
    const names: string[] = [];
    for (let i = 0; i < numCols; i++) names.push(model.getColName(i));
    if (opts.start && numCols > 0) {
      model.setSolution({ colValue: Float64Array.from(names, (n) => opts.start!.get(n) ?? 0) });
    }
    model.run();
    const status = model.getModelStatus();
    const info = (name: string): number | null => {
      try {
        return asNumber(model!.info.get(name));
      } catch {
        return null;
      }
    };
    const hasSolution = info('primal_solution_status') === highs.constants.solutionStatus.feasible;
    const values = new Map<string, number>();
    if (hasSolution) {
      const x = model.getSolution().colValue;
      names.forEach((n, i) => values.set(n, x[i]!));
    }
    const objective = hasSolution ? (info('objective_function_value') ?? model.getObjectiveValue()) : null;
    const bound = info('mip_dual_bound');
    const reportedGap = info('mip_gap');
    const gap = reportedGap !== null && Number.isFinite(reportedGap) ? Math.max(0, reportedGap) : Infinity;
    const boundOrNull = bound !== null && Number.isFinite(bound) ? bound : null;
    if (status === ms.optimal) return { status: 'optimal', objective, values, gap: 0, bound: boundOrNull ?? objective };
    if (status === ms.infeasible) return { status: 'infeasible', objective: null, values: new Map(), gap: Infinity, bound: null };
    if (status === ms.timeLimit || status === ms.interrupted || status === ms.iterationLimit || status === ms.solutionLimit || status === ms.objectiveTarget) {
      return { status: 'time_limit', objective, values, gap, bound: boundOrNull };
    }
    return { status: 'error', objective, values, gap, bound: boundOrNull, message: `HiGHS model status ${status}` };
  } catch (e) {
    runtime = null; // a native error may leave the Wasm instance unusable: load a fresh one next time
    return { status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: (e as Error).message };
  } finally {
    try {
      model?.dispose();
    } catch {
      runtime = null;
    }
  }
}
