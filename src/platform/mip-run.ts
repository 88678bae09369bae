/**
 * The HiGHS solve itself, as it runs inside the solver's worker thread (mip-worker.ts): load the
 * runtime once, build the model from the LP text, solve within the time limit, read back values,
 * gap and bound. Kept apart from the thread handling (mip-solver.ts) so that it can be bundled.
 */
import type { Highs, InitOptions } from 'highs';
import type { MipSolution, MipSolveOptions } from './mip-solver.ts';

type HighsRuntime = Highs;
type Loader = (options?: InitOptions) => Promise<Highs>;

let runtime: Promise<HighsRuntime> | null = null;

function loadRuntime(highsLoader: Loader): Promise<HighsRuntime> {
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
export async function solveWithHighs(highsLoader: Loader, lp: string, opts: MipSolveOptions): Promise<MipSolution> {
  let highs: HighsRuntime;
  try {
    highs = await loadRuntime(highsLoader);
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
