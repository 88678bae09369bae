/**
 * Phân bổ ngân sách — the plan of actions that brings the most communes to their target within the
 * budget (see `src/domain/planning/allocation.ts` for the model). Validates, runs the greedy
 * heuristic, then the MIP (HiGHS) in two stages within the one time limit: stage 1 (started from
 * the greedy plan) proves the most communes and then indicators; stage 2 keeps those levels and
 * minimises the cost, so `optimal` means the whole lexicographic order is proven (the cost to a
 * relative gap of 1e-6). Never returns a plan worse than greedy: when the time-limited solver ends
 * with less, or without a valid plan, the greedy plan is returned with status `feasible` and a note
 * saying so. No database.
 */
import { assertNoProblems } from '../domain/field-error.ts';
import {
  DEFAULT_TIME_LIMIT_SECONDS,
  allocationInputProblems,
  allocationCostModel,
  allocationModel,
  allocationSummary,
  comparePlans,
  greedyAllocation,
  planFits,
  planFromSolution,
  planObjective,
  solutionOfPlan,
  totalBudget,
  type AllocationInput,
  type AllocationModel,
  type AllocationPlan,
  type AllocationResult,
  type AllocationWordsOptions,
} from '../domain/planning/allocation.ts';
import { solveMip, type MipSolution, type MipSolveOptions } from '../platform/mip-solver.ts';

export interface AllocateDeps {
  /** The MIP solver (tests replace it to exercise the fallbacks). */
  solve?: typeof solveMip;
  /** Relative gap at which the solver may stop as optimal; default 1e-6. */
  relativeGap?: number;
}

/**
 * HiGHS's relative gap, |primal − bound| / |primal|, for a plan of ours, against the solver's bound
 * or, when it is better or the only one, the model's counting bound.
 */
function gapOf(model: AllocationModel, plan: AllocationPlan, solverBound: number | null): number {
  const bound = Math.min(solverBound ?? Infinity, model.countBound);
  if (!Number.isFinite(bound)) return Infinity;
  const obj = planObjective(model, plan);
  const diff = Math.max(0, bound - obj);
  if (diff <= 1e-9) return 0;
  return Math.abs(obj) > 1e-9 ? diff / Math.abs(obj) : Infinity;
}

/** Throws `validation_failed` (every problem, each naming its field) for a bad input. */
export async function allocate(input: AllocationInput, deps: AllocateDeps = {}): Promise<AllocationResult> {
  const started = performance.now();
  assertNoProblems(allocationInputProblems(input));
  const timeLimitSeconds = input.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  const budget = totalBudget(input);

  const g0 = performance.now();
  const greedy = greedyAllocation(input);
  const greedyMs = performance.now() - g0;

  const s0 = performance.now();
  const model = allocationModel(input);
  let plan: AllocationPlan = greedy;
  let proven = false;
  let gap = Infinity;
  let reason: AllocationWordsOptions['reason'] = null;
  if (model.columns.action.length === 0) {
    proven = true; // nothing to choose: the empty plan is the only one
    gap = 0;
  } else {
    const solve = deps.solve ?? solveMip;
    // The limit is for the whole call: each stage gets what is left of it (at least 50 ms), less
    // 20 ms for reading the solution back.
    const left = () => Math.max(0.05, timeLimitSeconds - (performance.now() - started) / 1000 - 0.02);
    const run = async (lp: string, opts: Omit<MipSolveOptions, 'timeLimitSeconds'>): Promise<MipSolution> => {
      try {
        return await solve(lp, { ...opts, timeLimitSeconds: left() });
      } catch (e) {
        return { status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: (e as Error).message };
      }
    };
    const readBack = (sol: MipSolution) => {
      if (sol.values.size === 0 || (sol.status !== 'optimal' && sol.status !== 'time_limit')) return null;
      const p = planFromSolution(input, model, sol.values);
      return planFits(input, p.chosen) ? p : null;
    };

    // Stage 1: the most communes, then indicators. Those two levels are integers worth ≥ 1 objective
    // unit each, so an absolute gap below 1 proves them.
    const sol = await run(model.lp, { relativeGap: 0, absoluteGap: 0.999, start: solutionOfPlan(input, model, greedy.chosen) });
    const mip = readBack(sol);
    if (mip && sol.status === 'optimal') {
      // Stage 2: the least cost at those levels, started from the cheaper of the two plans.
      const incumbent = comparePlans(greedy, mip) > 0 ? greedy : mip;
      const sol2 = await run(allocationCostModel(input, model, incumbent), { relativeGap: deps.relativeGap ?? 1e-6, start: solutionOfPlan(input, model, incumbent.chosen) });
      const cheaper = readBack(sol2);
      plan = cheaper && comparePlans(cheaper, incumbent) >= 0 ? cheaper : incumbent;
      proven = sol2.status === 'optimal' && plan === cheaper;
      if (!proven) {
        reason = 'cost_not_proven';
        gap = sol2.status === 'time_limit' && plan === cheaper ? sol2.gap : Infinity;
      }
    } else if (mip && comparePlans(mip, greedy) >= 0) {
      plan = mip;
      reason = 'time_limit';
      gap = gapOf(model, plan, sol.bound);
    } else {
      plan = greedy;
      gap = gapOf(model, greedy, sol.status === 'error' || sol.status === 'infeasible' ? null : sol.bound);
      if (sol.status === 'error' || sol.status === 'infeasible') reason = 'solver_failed';
      else if (!mip) reason = 'no_solver_solution';
      else reason = 'greedy_kept';
    }
  }
  const solveMs = performance.now() - s0;
  const words = allocationSummary(plan, greedy, { budget, proven, gap, timeLimitSeconds, reason });
  return {
    ...plan,
    status: proven ? 'optimal' : 'feasible',
    gap: proven ? 0 : gap,
    budget,
    remaining: budget - plan.cost,
    greedy,
    solveMs,
    greedyMs,
    ...words,
  };
}
