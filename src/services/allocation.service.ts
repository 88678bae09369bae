/**
 * Phân bổ ngân sách — the plan of actions that brings the most communes to their target within the
 * budget (see `src/domain/planning/allocation.ts` for the model). Validates, runs the greedy
 * heuristic, then the MIP (HiGHS) started from the greedy plan, and returns the MIP plan — never
 * one worse than greedy: when the time-limited solver ends with less, or without a valid plan, the
 * greedy plan is returned with status `feasible` and a note saying so. No database.
 */
import { assertNoProblems } from '../domain/field-error.ts';
import {
  DEFAULT_TIME_LIMIT_SECONDS,
  allocationInputProblems,
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
import { solveMip, type MipSolution } from '../platform/mip-solver.ts';

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
    let sol: MipSolution;
    try {
      const start = solutionOfPlan(input, model, greedy.chosen);
      // The limit is for the whole call: the solver gets what validation, greedy and the model text
      // left of it (at least 50 ms), less 20 ms for reading the solution back.
      const left = timeLimitSeconds - (performance.now() - started) / 1000 - 0.02;
      sol = await solve(model.lp, { timeLimitSeconds: Math.max(0.05, left), relativeGap: deps.relativeGap ?? 1e-6, start });
    } catch (e) {
      sol = { status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, message: (e as Error).message };
    }
    const mip = sol.values.size > 0 && (sol.status === 'optimal' || sol.status === 'time_limit') ? planFromSolution(input, model, sol.values) : null;
    const valid = mip !== null && planFits(input, mip.chosen);
    if (valid && comparePlans(mip, greedy) >= 0) {
      plan = mip;
      proven = sol.status === 'optimal';
      gap = proven ? 0 : gapOf(model, plan, sol.bound);
      if (!proven) reason = 'time_limit';
    } else {
      plan = greedy;
      gap = gapOf(model, greedy, sol.status === 'error' || sol.status === 'infeasible' ? null : sol.bound);
      if (sol.status === 'error' || sol.status === 'infeasible') reason = 'solver_failed';
      else if (!valid) reason = 'no_solver_solution';
      // Proven levels, but greedy reaches them for less: the cost tie-break is only as fine as the
      // solver's tolerances.
      else if (sol.status === 'optimal' && mip.communesReaching === greedy.communesReaching && mip.indicatorsClosed === greedy.indicatorsClosed) reason = 'greedy_cheaper';
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
