/**
 * Phân bổ ngân sách — choosing, within a budget, the candidate actions (hạng mục đầu tư) that bring
 * the most communes to their target level (xã đạt chuẩn). Pure rules, no I/O: validation, a greedy
 * heuristic, the mixed-integer model handed to the solver (as CPLEX LP text), reading its solution
 * back, the plan's summary in both languages, and an exhaustive search for tests.
 *
 * ## The problem
 * Each commune has a list of unmet indicator codes (`unmet`); it reaches its target when every one
 * of them is closed by a chosen action. Each action belongs to one commune, costs a whole number of
 * đồng and closes one or more of that commune's unmet codes. The budget is one pool, or pools by
 * funding source (each action is then paid from the pool of its `source`). We look for the chosen
 * set that, lexicographically,
 *   1. maximises the number of communes reaching their target,
 *   2. then the number of (commune, indicator) pairs closed,
 *   3. then minimises the cost.
 * A commune with an empty `unmet` list already reaches its target: it is counted in
 * `communesReaching` and `reaching` whatever is chosen (it needs nothing).
 *
 * ## MIP formulation
 * Binary x_a per action a; binary z_{c,i} per (commune c, unmet code i) that some action closes;
 * binary y_c per commune c with a non-empty `unmet` list all of whose codes some action closes
 * (a pair no action closes stays open, and a commune with such a pair cannot reach: they get no
 * variable at all).
 *   z_{c,i} ≤ Σ x_a over the actions of c that close i       (a code counts only if closed)
 *   y_c     ≤ z_{c,i} for every unmet code i of c            (a commune reaches only if all closed)
 *   Σ_{a in pool p} cost_a · x_a ≤ budget_p                   (one row per pool; one pool when the
 *                                                              budget is a single number)
 * Objective (maximise):  W_y · Σ y + W_z · Σ z − Σ (cost_a / (C + 1)) · x_a
 * with K = number of z variables, C = total cost of all actions, W_z = 2 and W_y = 2K + 2.
 * The cost term lies in (−1, 0], so
 *   - one more commune reaching is worth ≥ W_y − W_z·K − 1 = 1 more than any change in Σz and cost;
 *   - with Σy equal, one more indicator closed is worth ≥ W_z − 1 = 1 more than any cost change;
 *   - with both equal, the lower cost wins.
 * (The textbook weights (K + 1, 1) are exact in real arithmetic too, but then closing one more
 * indicator at almost C more cost beats the alternative by only 1/(C + 1), which is below a solver's
 * tolerances; doubling keeps every lexicographic step worth at least 1 objective unit.) The
 * objective's first two levels are thus proven once the solver's absolute gap is below 1. The whole
 * cost term is worth less than 1 unit, though, so a relative gap on this objective says little about
 * the cost: a second stage (`allocationCostModel`) keeps the proven levels (Σy ≥ Y*, Σz ≥ Z*) and
 * minimises the cost itself, to a relative gap on the cost. `planFromSolution` also drops any chosen
 * action that closes nothing another chosen action does not already close (cheaper, same counts).
 *
 * Three valid cuts from the total budget B (the sum of the pools) tighten the relaxation; without
 * them, with pools by source, the solver's bound stayed about one commune above the optimum for
 * seconds (the relaxation spends fractions of a commune's completion in each pool):
 *   Σ_c L_c · y_c ≤ B, where L_c ≤ the cheapest cost of completing c (exact cover search per
 *                      commune, or a fractional bound when the search is too big);
 *   Σ_c y_c ≤ the number of the smallest L_c that fit in B together;
 *   Σ z ≤ the number of the smallest code shares (cheapest cost / codes closed) that fit in B.
 * The last two also give `countBound`, an objective bound known before solving, used for the gap
 * when the solver stopped before it had one.
 *
 * Scaling: costs are often 10^9–10^11 đồng. The budget rows are written in units of `costUnit`
 * đồng (a power of ten chosen so the largest pool is below about 10^6 units), which keeps the matrix
 * coefficients within a few orders of magnitude of the 1s of the other rows. Feasibility is then
 * re-checked exactly, in whole đồng (`planFits`), on the plan read back; the service falls back to
 * the greedy plan (always feasible) if rounding ever broke it.
 *
 * ## Greedy heuristic (the baseline the MIP is compared with)
 *  1. For every commune not yet at its target whose unmet codes can all be closed, a completion set:
 *     repeatedly the action of that commune with the lowest cost per still-open code it closes
 *     (weighted set cover), then without actions made redundant by later ones.
 *  2. Communes in increasing completion cost (fewer codes first on a tie): complete each whose
 *     completion set fits in what is left of its pools; with pools by source, when it does not,
 *     try a cover made only of actions that still fit their pools.
 *  3. With what is left: repeatedly the action closing the most still-open codes per đồng that fits
 *     its pool (re-rated lazily as codes get closed).
 * With pools by source, the same three steps are also run with each pool's đồng priced 0.6–1.6
 * times the others' (covers and rates then lean on the pool with more room), and the best plan of
 * these runs is kept.
 * With one pool and exact completion costs, cheapest-first maximises the number of communes (an
 * action belongs to one commune, so completion costs are independent). Where it falls short: the
 * covers are heuristic (they may overpay), step 3 is a ratio greedy for a knapsack (a good ratio
 * that uses the money a better combination needed), and with several pools it is a
 * multi-dimensional knapsack that no ordering solves.
 */
import type { BilingualMessage } from '../errors.ts';
import { problem, type FieldProblem } from '../field-error.ts';
import { FUNDING_SOURCES, FUNDING_SOURCE_LABELS, formatMillion } from '../funding.ts';

/** Xã trong bài toán phân bổ — a commune with the indicator codes it has not yet met. */
export interface AllocationCommune {
  id: string;
  name?: string;
  /** Mã chỉ tiêu chưa đạt — unmet indicator codes; empty means the commune already reaches its target. */
  unmet: string[];
}

/** Hạng mục đầu tư — a candidate action: one commune, a cost in whole đồng, the unmet codes it closes. */
export interface AllocationAction {
  id: string;
  commune: string;
  cost: number;
  closes: string[];
  /** Nguồn vốn (one of FUNDING_SOURCES); required when the budget is by source. */
  source?: string;
  name?: string;
}

export interface AllocationInput {
  /** Whole đồng; either one pool, or pools by funding source (each action then needs `source`). */
  budget: number | Record<string, number>;
  communes: AllocationCommune[];
  actions: AllocationAction[];
  /** Solver time limit in seconds: default 10, 0.1 … 120. */
  timeLimitSeconds?: number;
}

/** Phương án phân bổ — a chosen set of actions and what it achieves. */
export interface AllocationPlan {
  communesReaching: number;
  indicatorsClosed: number;
  /** Whole đồng. */
  cost: number;
  /** Action ids, in input order. */
  chosen: string[];
  /** Commune ids reaching their target, in input order (including those already there). */
  reaching: string[];
}

export interface AllocationResult extends AllocationPlan {
  status: 'optimal' | 'feasible';
  /**
   * Relative MIP gap, 0 when proven optimal: of the weighted objective when the time limit stopped
   * the first stage (communes, indicators), of the cost when only the cost stage was stopped (the
   * note says which); `Infinity` (null in JSON) when no bound is known.
   */
  gap: number;
  /** Total of the pools, whole đồng. */
  budget: number;
  /** budget − cost. */
  remaining: number;
  greedy: AllocationPlan;
  solveMs: number;
  greedyMs: number;
  summary: BilingualMessage;
  comparison: BilingualMessage;
  /** When the plan is not proven optimal: says why (time limit, solver failure, greedy kept) with the gap. */
  note: BilingualMessage | null;
}

export const DEFAULT_TIME_LIMIT_SECONDS = 10;
export const MIN_TIME_LIMIT_SECONDS = 0.1;
export const MAX_TIME_LIMIT_SECONDS = 120;
/** Size limits, so a request can never make the greedy pass or the model text unreasonably large. */
export const MAX_COMMUNES = 12_000;
export const MAX_ACTIONS = 20_000;
export const MAX_CODES_PER_COMMUNE = 200;
export const MAX_CODES_PER_ACTION = 20;
export const MAX_ACTIONS_PER_COMMUNE = 1_000;
/** Above this many actions the greedy makes one run only (not the extra runs with pools priced). */
const GREEDY_MULTI_RUN_MAX_ACTIONS = 5_000;
/** Actions for which `bruteForceAllocation` is allowed (2^16 subsets). */
export const BRUTE_FORCE_MAX_ACTIONS = 16;

const SINGLE_POOL = '';

// ── Validation ─────────────────────────────────────────────────────────────────────────

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isPositiveWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
/** A value shown inside a message: short, never the whole payload. */
function shown(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
const sourceLabel = (s: string): BilingualMessage => (FUNDING_SOURCE_LABELS as Record<string, BilingualMessage>)[s] ?? { vi: s, en: s };
const isFundingSource = (s: string): boolean => (FUNDING_SOURCES as readonly string[]).includes(s);
const vnNumber = (n: number, digits = 1) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
const enNumber = (n: number, digits = 1) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(n);

/**
 * Every problem of an allocation request, each naming its field path (`budget.credit`,
 * `communes[2].unmet[0]`, `actions[3].cost`, `actions[2].closes[1]`, `timeLimitSeconds`). An empty
 * list means the input is a valid `AllocationInput`.
 */
export function allocationInputProblems(input: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!isRecord(input)) {
    return [problem('input', 'Dữ liệu phân bổ phải là một đối tượng (budget, communes, actions).', 'The allocation input must be an object (budget, communes, actions).')];
  }

  // Budget: one pool or pools by source.
  const budget = input.budget;
  let pools: Set<string> | null = null; // null: one pool
  if (isRecord(budget)) {
    pools = new Set();
    const keys = Object.keys(budget);
    if (keys.length === 0) {
      out.push(problem('budget', 'Ngân sách theo nguồn vốn cần ít nhất một nguồn.', 'A budget by funding source needs at least one source.'));
    }
    for (const k of keys) {
      const v = budget[k];
      if (!isFundingSource(k)) {
        out.push(problem(`budget.${k}`, `Nguồn vốn "${k}" không hợp lệ (${FUNDING_SOURCES.join(', ')}).`, `Funding source "${k}" is invalid (${FUNDING_SOURCES.join(', ')}).`));
      } else if (!isPositiveWhole(v)) {
        out.push(
          problem(
            `budget.${k}`,
            `Ngân sách nguồn "${sourceLabel(k).vi}" phải là số đồng nguyên dương (nhận ${shown(v)}).`,
            `The budget of source "${sourceLabel(k).en}" must be a positive whole number of đồng (got ${shown(v)}).`,
          ),
        );
      } else {
        pools.add(k);
      }
    }
  } else if (!isPositiveWhole(budget)) {
    out.push(
      problem(
        'budget',
        `Ngân sách phải là số đồng nguyên dương, hoặc ngân sách theo từng nguồn vốn (nhận ${shown(budget)}).`,
        `The budget must be a positive whole number of đồng, or pools by funding source (got ${shown(budget)}).`,
      ),
    );
  }

  // Communes.
  const unmetOf = new Map<string, Set<string>>();
  const listedIds = new Set<string>();
  const communes = input.communes;
  if (!Array.isArray(communes)) {
    out.push(problem('communes', 'Danh sách xã (communes) phải là một mảng.', 'The commune list (communes) must be an array.'));
  } else if (communes.length > MAX_COMMUNES) {
    out.push(problem('communes', `Tối đa ${vnNumber(MAX_COMMUNES)} xã trong một lần phân bổ (nhận ${vnNumber(communes.length)}).`, `At most ${enNumber(MAX_COMMUNES)} communes per allocation (got ${enNumber(communes.length)}).`));
  } else {
    const firstIndex = new Map<string, number>();
    communes.forEach((c: unknown, i) => {
      const f = `communes[${i}]`;
      if (!isRecord(c)) {
        out.push(problem(f, `Xã thứ ${i + 1} phải là một đối tượng (id, unmet).`, `Commune ${i + 1} must be an object (id, unmet).`));
        return;
      }
      let id: string | null = null;
      if (typeof c.id === 'string') listedIds.add(c.id);
      if (!isNonEmptyString(c.id)) {
        out.push(problem(`${f}.id`, `Mã xã thứ ${i + 1} phải là chuỗi khác rỗng (nhận ${shown(c.id)}).`, `The id of commune ${i + 1} must be a non-empty string (got ${shown(c.id)}).`));
      } else if (firstIndex.has(c.id)) {
        out.push(problem(`${f}.id`, `Mã xã "${c.id}" bị trùng (đã có ở communes[${firstIndex.get(c.id)}]).`, `Duplicate commune id "${c.id}" (already at communes[${firstIndex.get(c.id)}]).`));
      } else {
        id = c.id;
        firstIndex.set(id, i);
      }
      if (c.name !== undefined && typeof c.name !== 'string') {
        out.push(problem(`${f}.name`, `Tên xã phải là chuỗi (nhận ${shown(c.name)}).`, `A commune name must be a string (got ${shown(c.name)}).`));
      }
      const label = id ?? String(i + 1);
      if (!Array.isArray(c.unmet)) {
        out.push(problem(`${f}.unmet`, `Danh sách chỉ tiêu chưa đạt (unmet) của xã "${label}" phải là một mảng mã chỉ tiêu (mảng rỗng nếu xã đã đạt chuẩn).`, `The unmet indicator list (unmet) of commune "${label}" must be an array of codes (empty when it already reaches its target).`));
        return;
      }
      if (c.unmet.length > MAX_CODES_PER_COMMUNE) {
        out.push(problem(`${f}.unmet`, `Xã "${label}" có quá nhiều chỉ tiêu chưa đạt (tối đa ${MAX_CODES_PER_COMMUNE}).`, `Commune "${label}" has too many unmet indicators (at most ${MAX_CODES_PER_COMMUNE}).`));
        return;
      }
      const codes = new Set<string>();
      c.unmet.forEach((code: unknown, j) => {
        if (!isNonEmptyString(code)) {
          out.push(problem(`${f}.unmet[${j}]`, `Mã chỉ tiêu phải là chuỗi khác rỗng (nhận ${shown(code)}).`, `An indicator code must be a non-empty string (got ${shown(code)}).`));
        } else if (codes.has(code)) {
          out.push(problem(`${f}.unmet[${j}]`, `Chỉ tiêu "${code}" bị lặp trong danh sách chưa đạt của xã "${label}".`, `Indicator "${code}" is listed twice among the unmet indicators of commune "${label}".`));
        } else {
          codes.add(code);
        }
      });
      if (id !== null) unmetOf.set(id, codes);
    });
  }

  // Actions. A bad commune list or an empty budget has been reported once: not again per action.
  const communesListed = Array.isArray(communes) && communes.length <= MAX_COMMUNES;
  const actions = input.actions;
  if (!Array.isArray(actions)) {
    out.push(problem('actions', 'Danh sách hạng mục (actions) phải là một mảng.', 'The action list (actions) must be an array.'));
  } else if (actions.length > MAX_ACTIONS) {
    out.push(problem('actions', `Tối đa ${vnNumber(MAX_ACTIONS)} hạng mục trong một lần phân bổ (nhận ${vnNumber(actions.length)}).`, `At most ${enNumber(MAX_ACTIONS)} actions per allocation (got ${enNumber(actions.length)}).`));
  } else {
    const firstIndex = new Map<string, number>();
    const perCommune = new Map<string, number>();
    actions.forEach((a: unknown, i) => {
      const f = `actions[${i}]`;
      if (!isRecord(a)) {
        out.push(problem(f, `Hạng mục thứ ${i + 1} phải là một đối tượng (id, commune, cost, closes).`, `Action ${i + 1} must be an object (id, commune, cost, closes).`));
        return;
      }
      let label = String(i + 1);
      if (!isNonEmptyString(a.id)) {
        out.push(problem(`${f}.id`, `Mã hạng mục thứ ${i + 1} phải là chuỗi khác rỗng (nhận ${shown(a.id)}).`, `The id of action ${i + 1} must be a non-empty string (got ${shown(a.id)}).`));
      } else if (firstIndex.has(a.id)) {
        label = a.id;
        out.push(problem(`${f}.id`, `Mã hạng mục "${a.id}" bị trùng (đã có ở actions[${firstIndex.get(a.id)}]).`, `Duplicate action id "${a.id}" (already at actions[${firstIndex.get(a.id)}]).`));
      } else {
        label = a.id;
        firstIndex.set(a.id, i);
      }
      if (a.name !== undefined && typeof a.name !== 'string') {
        out.push(problem(`${f}.name`, `Tên hạng mục phải là chuỗi (nhận ${shown(a.name)}).`, `An action name must be a string (got ${shown(a.name)}).`));
      }
      let unmet: Set<string> | undefined;
      if (!isNonEmptyString(a.commune)) {
        out.push(problem(`${f}.commune`, `Hạng mục "${label}" phải ghi mã xã (commune).`, `Action "${label}" must name its commune (commune).`));
      } else {
        const n = (perCommune.get(a.commune) ?? 0) + 1;
        perCommune.set(a.commune, n);
        if (n === MAX_ACTIONS_PER_COMMUNE + 1) {
          out.push(
            problem(
              `${f}.commune`,
              `Xã "${a.commune}" có quá nhiều hạng mục (tối đa ${vnNumber(MAX_ACTIONS_PER_COMMUNE)} hạng mục một xã).`,
              `Commune "${a.commune}" has too many actions (at most ${enNumber(MAX_ACTIONS_PER_COMMUNE)} per commune).`,
            ),
          );
        }
        unmet = unmetOf.get(a.commune);
        // A commune that is listed but invalid has already been reported: no second problem here.
        if (!unmet && !listedIds.has(a.commune) && communesListed) {
          out.push(problem(`${f}.commune`, `Hạng mục "${label}" thuộc xã "${a.commune}" không có trong danh sách xã.`, `Action "${label}" belongs to commune "${a.commune}", which is not in the commune list.`));
        }
      }
      if (!isPositiveWhole(a.cost)) {
        out.push(problem(`${f}.cost`, `Kinh phí của hạng mục "${label}" phải là số đồng nguyên dương (nhận ${shown(a.cost)}).`, `The cost of action "${label}" must be a positive whole number of đồng (got ${shown(a.cost)}).`));
      }
      if (!Array.isArray(a.closes) || a.closes.length === 0) {
        out.push(problem(`${f}.closes`, `Hạng mục "${label}" phải khép ít nhất một chỉ tiêu chưa đạt (closes).`, `Action "${label}" must close at least one unmet indicator (closes).`));
      } else if (a.closes.length > MAX_CODES_PER_ACTION) {
        out.push(problem(`${f}.closes`, `Hạng mục "${label}" khép quá nhiều chỉ tiêu (tối đa ${MAX_CODES_PER_ACTION}).`, `Action "${label}" closes too many indicators (at most ${MAX_CODES_PER_ACTION}).`));
      } else {
        const seen = new Set<string>();
        a.closes.forEach((code: unknown, j) => {
          const g = `${f}.closes[${j}]`;
          if (!isNonEmptyString(code)) {
            out.push(problem(g, `Mã chỉ tiêu phải là chuỗi khác rỗng (nhận ${shown(code)}).`, `An indicator code must be a non-empty string (got ${shown(code)}).`));
          } else if (seen.has(code)) {
            out.push(problem(g, `Chỉ tiêu "${code}" bị lặp trong hạng mục "${label}".`, `Indicator "${code}" is listed twice in action "${label}".`));
          } else {
            seen.add(code);
            if (unmet && !unmet.has(code)) {
              out.push(
                problem(
                  g,
                  `Chỉ tiêu "${code}" của hạng mục "${label}" không nằm trong danh sách chưa đạt của xã "${String(a.commune)}": chỉ tiêu đã đạt (hoặc không có), không cần đầu tư.`,
                  `Indicator "${code}" of action "${label}" is not among the unmet indicators of commune "${String(a.commune)}": it is already met (or unknown), nothing to invest in.`,
                ),
              );
            }
          }
        });
      }
      // Source: required and with a pool when the budget is by source; a known source otherwise.
      if (a.source !== undefined && typeof a.source !== 'string') {
        out.push(problem(`${f}.source`, `Nguồn vốn của hạng mục "${label}" phải là chuỗi (nhận ${shown(a.source)}).`, `The funding source of action "${label}" must be a string (got ${shown(a.source)}).`));
      } else if (pools !== null && isRecord(budget) && Object.keys(budget).length > 0) {
        if (a.source === undefined || a.source === '') {
          out.push(problem(`${f}.source`, `Ngân sách được chia theo nguồn vốn nên hạng mục "${label}" cần ghi nguồn vốn (source).`, `The budget is by funding source, so action "${label}" needs a source (source).`));
        } else if (!Object.hasOwn(budget, a.source)) {
          const list = Object.keys(budget).join(', ');
          out.push(
            problem(
              `${f}.source`,
              `Nguồn vốn "${a.source}" của hạng mục "${label}" không có trong ngân sách (các nguồn: ${list}).`,
              `Funding source "${a.source}" of action "${label}" has no pool in the budget (pools: ${list}).`,
            ),
          );
        }
      } else if (pools === null && a.source !== undefined && !isFundingSource(a.source)) {
        out.push(problem(`${f}.source`, `Nguồn vốn "${a.source}" không hợp lệ (${FUNDING_SOURCES.join(', ')}).`, `Funding source "${a.source}" is invalid (${FUNDING_SOURCES.join(', ')}).`));
      }
    });
  }

  const t = input.timeLimitSeconds;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < MIN_TIME_LIMIT_SECONDS || t > MAX_TIME_LIMIT_SECONDS)) {
    out.push(
      problem(
        'timeLimitSeconds',
        `Thời gian giới hạn phải từ ${vnNumber(MIN_TIME_LIMIT_SECONDS)} đến ${MAX_TIME_LIMIT_SECONDS} giây (nhận ${shown(t)}).`,
        `The time limit must be between ${MIN_TIME_LIMIT_SECONDS} and ${MAX_TIME_LIMIT_SECONDS} seconds (got ${shown(t)}).`,
      ),
    );
  }
  return out;
}

// ── Shared structure ───────────────────────────────────────────────────────────────────

/** The input indexed once: communes, their codes, actions by commune, pools. */
interface Indexed {
  input: AllocationInput;
  communeIndex: Map<string, number>;
  /** Per commune, its unmet codes (input order) and code → position. */
  codes: string[][];
  codePos: Array<Map<string, number>>;
  /** Per action: commune index, code positions it closes, pool key. */
  actCommune: number[];
  actCodes: number[][];
  actPool: string[];
  /** Per commune, the indices of its actions. */
  actionsOf: number[][];
  /** Pool key → budget in đồng ('' for a single pool). */
  pools: Map<string, number>;
}

function indexInput(input: AllocationInput): Indexed {
  const communeIndex = new Map<string, number>();
  const codes: string[][] = [];
  const codePos: Array<Map<string, number>> = [];
  input.communes.forEach((c, i) => {
    communeIndex.set(c.id, i);
    codes.push([...c.unmet]);
    codePos.push(new Map(c.unmet.map((code, j) => [code, j])));
  });
  const actionsOf: number[][] = input.communes.map(() => []);
  const actCommune: number[] = [];
  const actCodes: number[][] = [];
  const actPool: string[] = [];
  const byPool = typeof input.budget !== 'number';
  input.actions.forEach((a, k) => {
    const c = communeIndex.get(a.commune);
    if (c === undefined) throw new Error(`allocation: action ${a.id} on unknown commune ${a.commune} (validate first)`);
    actCommune.push(c);
    actCodes.push(a.closes.map((code) => codePos[c]!.get(code)!));
    actPool.push(byPool ? (a.source ?? '') : SINGLE_POOL);
    actionsOf[c]!.push(k);
  });
  const pools = new Map<string, number>(typeof input.budget === 'number' ? [[SINGLE_POOL, input.budget]] : Object.entries(input.budget));
  return { input, communeIndex, codes, codePos, actCommune, actCodes, actPool, actionsOf, pools };
}

/** Total of the pools, whole đồng. */
export function totalBudget(input: AllocationInput): number {
  return typeof input.budget === 'number' ? input.budget : Object.values(input.budget).reduce((a, b) => a + b, 0);
}

/** What a set of chosen actions (ids) achieves. Unknown ids are ignored; duplicates count once. */
export function evaluateAllocation(input: AllocationInput, chosenIds: Iterable<string>): AllocationPlan {
  const ix = indexInput(input);
  const wanted = new Set(chosenIds);
  const closed = ix.codes.map((cs) => new Array<boolean>(cs.length).fill(false));
  const chosen: string[] = [];
  let cost = 0;
  input.actions.forEach((a, k) => {
    if (!wanted.has(a.id)) return;
    chosen.push(a.id);
    cost += a.cost;
    for (const p of ix.actCodes[k]!) closed[ix.actCommune[k]!]![p] = true;
  });
  let indicatorsClosed = 0;
  const reaching: string[] = [];
  input.communes.forEach((c, i) => {
    const n = closed[i]!.filter(Boolean).length;
    indicatorsClosed += n;
    if (n === c.unmet.length) reaching.push(c.id);
  });
  return { communesReaching: reaching.length, indicatorsClosed, cost, chosen, reaching };
}

/** Whether the chosen actions fit every pool, checked exactly in whole đồng (BigInt sums). */
export function planFits(input: AllocationInput, chosenIds: Iterable<string>): boolean {
  const wanted = new Set(chosenIds);
  const byPool = typeof input.budget !== 'number';
  const spent = new Map<string, bigint>();
  for (const a of input.actions) {
    if (!wanted.has(a.id)) continue;
    const pool = byPool ? (a.source ?? '') : SINGLE_POOL;
    spent.set(pool, (spent.get(pool) ?? 0n) + BigInt(a.cost));
  }
  for (const [pool, s] of spent) {
    const cap = typeof input.budget === 'number' ? input.budget : input.budget[pool];
    if (cap === undefined || s > BigInt(cap)) return false;
  }
  return true;
}

/** Lexicographic order of plans: more communes reaching, then more indicators closed, then lower cost. Positive when `a` is better. */
export function comparePlans(a: Pick<AllocationPlan, 'communesReaching' | 'indicatorsClosed' | 'cost'>, b: Pick<AllocationPlan, 'communesReaching' | 'indicatorsClosed' | 'cost'>): number {
  if (a.communesReaching !== b.communesReaching) return a.communesReaching - b.communesReaching;
  if (a.indicatorsClosed !== b.indicatorsClosed) return a.indicatorsClosed - b.indicatorsClosed;
  return b.cost - a.cost;
}

/**
 * Drops chosen actions that close nothing the others do not close (most expensive first): the
 * same communes and indicators for less money.
 */
export function withoutRedundantActions(input: AllocationInput, chosenIds: Iterable<string>): string[] {
  const ix = indexInput(input);
  const wanted = new Set(chosenIds);
  const ks = input.actions.map((_, k) => k).filter((k) => wanted.has(input.actions[k]!.id));
  const cover = ix.codes.map((cs) => new Array<number>(cs.length).fill(0));
  for (const k of ks) for (const p of ix.actCodes[k]!) cover[ix.actCommune[k]!]![p]!++;
  const keep = new Set(ks);
  const byCostDesc = [...ks].sort((a, b) => input.actions[b]!.cost - input.actions[a]!.cost || b - a);
  for (const k of byCostDesc) {
    const c = ix.actCommune[k]!;
    if (ix.actCodes[k]!.every((p) => cover[c]![p]! >= 2)) {
      keep.delete(k);
      for (const p of ix.actCodes[k]!) cover[c]![p]!--;
    }
  }
  return input.actions.filter((_, k) => keep.has(k)).map((a) => a.id);
}

// ── Greedy ─────────────────────────────────────────────────────────────────────────────

/** A max-heap of (key, item). */
class MaxHeap {
  private keys: number[] = [];
  private items: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, item: number): void {
    this.keys.push(key);
    this.items.push(item);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  peekKey(): number {
    return this.keys[0]!;
  }
  pop(): { key: number; item: number } {
    const top = { key: this.keys[0]!, item: this.items[0]! };
    const lastKey = this.keys.pop()!;
    const lastItem = this.items.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lastKey;
      this.items[0] = lastItem;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.before(l, m)) m = l;
        if (r < this.keys.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
  /** Higher key first; on a tie the lower item (input order). */
  private before(i: number, j: number): boolean {
    return this.keys[i]! > this.keys[j]! || (this.keys[i] === this.keys[j] && this.items[i]! < this.items[j]!);
  }
  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
    [this.items[i], this.items[j]] = [this.items[j]!, this.items[i]!];
  }
}

/**
 * A cheap cover of every unmet code of commune `c` (weighted set cover: repeatedly the action with
 * the lowest cost per still-open code, then without picks made redundant by later ones). With
 * `room`, only actions that still fit what is left of their pool (counting the cover's own spending)
 * are used. Null when some code cannot be closed that way.
 */
function completionCover(ix: Indexed, c: number, room: ReadonlyMap<string, number> | null, price: ReadonlyMap<string, number>): number[] | null {
  const { actions } = ix.input;
  const cs = ix.codes[c]!;
  const open = new Set(cs.map((_, p) => p));
  const picked: number[] = [];
  const spent = new Map<string, number>();
  const cand = ix.actionsOf[c]!;
  while (open.size > 0) {
    let best = -1;
    let bestRate = Infinity;
    let bestGain = 0;
    for (const k of cand) {
      if (room && actions[k]!.cost > (room.get(ix.actPool[k]!) ?? 0) - (spent.get(ix.actPool[k]!) ?? 0)) continue;
      let gain = 0;
      for (const p of ix.actCodes[k]!) if (open.has(p)) gain++;
      if (gain === 0) continue;
      const rate = (actions[k]!.cost * (price.get(ix.actPool[k]!) ?? 1)) / gain;
      if (rate < bestRate || (rate === bestRate && gain > bestGain)) {
        best = k;
        bestRate = rate;
        bestGain = gain;
      }
    }
    if (best < 0) return null;
    picked.push(best);
    spent.set(ix.actPool[best]!, (spent.get(ix.actPool[best]!) ?? 0) + actions[best]!.cost);
    for (const p of ix.actCodes[best]!) open.delete(p);
  }
  const cover = new Array<number>(cs.length).fill(0);
  for (const k of picked) for (const p of ix.actCodes[k]!) cover[p]!++;
  const keep = new Set(picked);
  for (const k of [...picked].sort((a, b) => actions[b]!.cost - actions[a]!.cost)) {
    if (ix.actCodes[k]!.every((p) => cover[p]! >= 2)) {
      keep.delete(k);
      for (const p of ix.actCodes[k]!) cover[p]!--;
    }
  }
  return picked.filter((k) => keep.has(k));
}

/** The greedy plan described in the module comment. Expects a valid input. */
export function greedyAllocation(input: AllocationInput): AllocationPlan {
  const ix = indexInput(input);
  const pools = [...ix.pools.keys()];
  const even = new Map(pools.map((p) => [p, 1]));
  let best = greedyWithPrices(ix, even);
  if (pools.length > 1 && input.actions.length <= GREEDY_MULTI_RUN_MAX_ACTIONS) {
    // Pools by source: also with each pool's money made dearer or cheaper, so that the covers lean
    // on the pool with more room; the best of these runs.
    for (const p of pools.slice(0, 4)) {
      for (const f of [0.6, 0.8, 1.25, 1.6]) {
        const plan = greedyWithPrices(ix, new Map([...even, [p, f]]));
        if (comparePlans(plan, best) > 0) best = plan;
      }
    }
  }
  return best;
}

/** One greedy run, each pool's đồng weighted by `price` when rating actions and completions. */
function greedyWithPrices(ix: Indexed, price: ReadonlyMap<string, number>): AllocationPlan {
  const input = ix.input;
  const priced = (k: number) => input.actions[k]!.cost * (price.get(ix.actPool[k]!) ?? 1);
  const { actions } = input;
  const remaining = new Map(ix.pools);
  const chosen = new Set<number>();
  const closed = ix.codes.map((cs) => new Array<boolean>(cs.length).fill(false));

  // 1. A completion set per commune (weighted set cover over its own actions, pools ignored).
  const completions: Array<{ commune: number; actions: number[]; cost: number }> = [];
  ix.codes.forEach((cs, c) => {
    if (cs.length === 0) return;
    const set = completionCover(ix, c, null, price);
    if (set) completions.push({ commune: c, actions: set, cost: set.reduce((s, k) => s + priced(k), 0) });
  });

  // 2. Cheapest completions first, each if it fits what is left of its pools — or, when it does
  // not, if a cover made only of actions that still fit their pools does.
  completions.sort((a, b) => a.cost - b.cost || ix.codes[a.commune]!.length - ix.codes[b.commune]!.length || a.commune - b.commune);
  const spendByPool = (set: number[]) => {
    const byPool = new Map<string, number>();
    for (const k of set) byPool.set(ix.actPool[k]!, (byPool.get(ix.actPool[k]!) ?? 0) + actions[k]!.cost);
    return byPool;
  };
  const fitsPools = (byPool: Map<string, number>) => [...byPool].every(([pool, amount]) => (remaining.get(pool) ?? 0) >= amount);
  for (const comp of completions) {
    let set: number[] | null = comp.actions;
    let byPool = spendByPool(set);
    if (!fitsPools(byPool)) {
      set = ix.pools.size > 1 ? completionCover(ix, comp.commune, remaining, price) : null;
      if (!set) continue;
      byPool = spendByPool(set);
    }
    for (const [pool, amount] of byPool) remaining.set(pool, remaining.get(pool)! - amount);
    for (const k of set) {
      chosen.add(k);
      for (const p of ix.actCodes[k]!) closed[comp.commune]![p] = true;
    }
  }

  // 3. What is left: most still-open codes per đồng, re-rated lazily (a rate only ever falls).
  const gainOf = (k: number) => ix.actCodes[k]!.filter((p) => !closed[ix.actCommune[k]!]![p]).length;
  const heap = new MaxHeap();
  actions.forEach((a, k) => {
    if (chosen.has(k)) return;
    const g = gainOf(k);
    if (g > 0 && a.cost <= (remaining.get(ix.actPool[k]!) ?? 0)) heap.push(g / priced(k), k);
  });
  while (heap.size > 0) {
    const { key, item: k } = heap.pop();
    const a = actions[k]!;
    if (a.cost > remaining.get(ix.actPool[k]!)!) continue; // pools only shrink: it never fits again
    const g = gainOf(k);
    if (g === 0) continue;
    const rate = g / priced(k);
    if (rate < key && heap.size > 0 && rate < heap.peekKey()) {
      heap.push(rate, k);
      continue;
    }
    chosen.add(k);
    remaining.set(ix.actPool[k]!, remaining.get(ix.actPool[k]!)! - a.cost);
    for (const p of ix.actCodes[k]!) closed[ix.actCommune[k]!]![p] = true;
  }

  const ids = actions.filter((_, k) => chosen.has(k)).map((a) => a.id);
  return evaluateAllocation(input, withoutRedundantActions(input, ids));
}

// ── MIP model ──────────────────────────────────────────────────────────────────────────

export interface AllocationModel {
  /** CPLEX LP text for HiGHS. */
  lp: string;
  /** The constraint rows and the binary list of `lp`, for the cost model (`allocationCostModel`). */
  constraints: string;
  binaries: string;
  columns: {
    /** Column of each action's x, by action index. */
    action: string[];
    /** Column of each (commune, code) z that exists: `z{c}_{p}`. */
    indicator: Array<{ column: string; commune: number; code: number }>;
    /** Column of each commune y that exists. */
    commune: Array<{ column: string; commune: number }>;
  };
  /** Objective weights: W_y, W_z and the cost divisor C + 1. */
  weights: { reach: number; indicator: number; costDivisor: number };
  /** Đồng per unit in the budget rows. */
  costUnit: number;
  /** Communes with an empty unmet list (reaching whatever is chosen). */
  alreadyReaching: number;
  /**
   * An upper bound on the objective known without solving, from the two counting cuts: W_y · (most
   * communes whose completion lower bounds fit in the total budget) + W_z · (most codes whose
   * cheapest shares fit). Used for the gap when the solver stopped before it had a bound.
   */
  countBound: number;
}

/** A number in LP text: shortest round-trip form (HiGHS reads exponents). */
const lpNum = (n: number): string => String(n);

/** Terms `+ a x1 - b x2 ...` wrapped so no LP line gets very long. */
function lpTerms(terms: Array<[number, string]>): string {
  const parts: string[] = [];
  for (const [coef, col] of terms) {
    if (coef === 0) continue;
    const sign = coef < 0 ? '-' : '+';
    const abs = Math.abs(coef);
    parts.push(`${sign} ${abs === 1 ? '' : `${lpNum(abs)} `}${col}`);
  }
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 20) lines.push(`  ${parts.slice(i, i + 20).join(' ')}`);
  return lines.join('\n');
}

/** Node budget of the exact cover search in `completionLowerBound` (per commune). */
const COVER_SEARCH_NODES = 20_000;

/**
 * A lower bound on what completing commune `c` costs (every unmet code closed): the exact cheapest
 * cover, found by a depth-first search (branch on the actions closing the first open code, prune on
 * the best so far); when that search needs more than COVER_SEARCH_NODES nodes, the fractional bound
 * Σ over codes of min over the actions closing it of cost / (codes it closes). Infinity when some code
 * cannot be closed.
 */
function completionLowerBound(ix: Indexed, c: number): number {
  const codes = ix.codes[c]!;
  if (codes.length === 0) return 0;
  const acts = ix.actionsOf[c]!;
  const cost = ix.input.actions.map((a) => a.cost);
  const by: number[][] = codes.map(() => []);
  for (const k of acts) for (const p of ix.actCodes[k]!) by[p]!.push(k);
  if (by.some((l) => l.length === 0)) return Infinity;
  let share = 0;
  for (const l of by) share += Math.min(...l.map((k) => cost[k]! / ix.actCodes[k]!.length));
  for (const l of by) l.sort((a, b) => cost[a]! - cost[b]!);
  // Cheapest per-code share of the still-open codes: an admissible bound for pruning.
  const minShare = by.map((l) => Math.min(...l.map((k) => cost[k]! / ix.actCodes[k]!.length)));
  const covered = new Array<number>(codes.length).fill(0);
  let best = Infinity;
  let nodes = 0;
  let aborted = false;
  const dfs = (spent: number): void => {
    if (aborted) return;
    if (++nodes > COVER_SEARCH_NODES) {
      aborted = true;
      return;
    }
    let first = -1;
    let rest = 0;
    for (let p = 0; p < codes.length; p++) {
      if (covered[p] === 0) {
        if (first < 0) first = p;
        rest += minShare[p]!;
      }
    }
    if (first < 0) {
      best = Math.min(best, spent);
      return;
    }
    if (spent + rest >= best) return;
    for (const k of by[first]!) {
      for (const p of ix.actCodes[k]!) covered[p]!++;
      dfs(spent + cost[k]!);
      for (const p of ix.actCodes[k]!) covered[p]!--;
    }
  };
  dfs(0);
  return aborted ? share : best;
}

/** The MIP of the module comment, as CPLEX LP text, with the column names to read the solution back. */
export function allocationModel(input: AllocationInput): AllocationModel {
  const ix = indexInput(input);
  const { actions } = input;
  const action = actions.map((_, k) => `x${k}`);
  const indicator: AllocationModel['columns']['indicator'] = [];
  const commune: AllocationModel['columns']['commune'] = [];
  const coverers: Array<Map<number, number[]>> = ix.codes.map(() => new Map());
  actions.forEach((_, k) => {
    const c = ix.actCommune[k]!;
    for (const p of ix.actCodes[k]!) {
      const list = coverers[c]!.get(p) ?? [];
      list.push(k);
      coverers[c]!.set(p, list);
    }
  });
  ix.codes.forEach((cs, c) => {
    cs.forEach((_, p) => {
      if (coverers[c]!.has(p)) indicator.push({ column: `z${c}_${p}`, commune: c, code: p });
    });
    if (cs.length > 0 && cs.every((_, p) => coverers[c]!.has(p))) commune.push({ column: `y${c}`, commune: c });
  });
  const K = indicator.length;
  const C = actions.reduce((s, a) => s + a.cost, 0);
  const weights = { reach: 2 * K + 2, indicator: 2, costDivisor: C + 1 };
  const maxPool = Math.max(...ix.pools.values());
  const costUnit = 10 ** Math.max(0, Math.floor(Math.log10(maxPool)) - 5);

  const objective: Array<[number, string]> = [
    ...commune.map((y): [number, string] => [weights.reach, y.column]),
    ...indicator.map((z): [number, string] => [weights.indicator, z.column]),
    ...actions.map((a, k): [number, string] => [-a.cost / weights.costDivisor, action[k]!]),
  ];
  const rows: string[] = [];
  for (const z of indicator) {
    const terms: Array<[number, string]> = [[1, z.column], ...coverers[z.commune]!.get(z.code)!.map((k): [number, string] => [-1, action[k]!])];
    rows.push(` cz${z.commune}_${z.code}:\n${lpTerms(terms)} <= 0`);
  }
  for (const y of commune) {
    ix.codes[y.commune]!.forEach((_, p) => rows.push(` cy${y.commune}_${p}: y${y.commune} - z${y.commune}_${p} <= 0`));
  }
  let poolNo = 0;
  for (const [pool, cap] of ix.pools) {
    const terms: Array<[number, string]> = [];
    actions.forEach((a, k) => {
      if (ix.actPool[k] === pool) terms.push([a.cost / costUnit, action[k]!]);
    });
    if (terms.length > 0) rows.push(` budget${poolNo}:\n${lpTerms(terms)} <= ${lpNum(cap / costUnit)}`);
    poolNo++;
  }
  // Two valid cuts from the total budget B (all pools): completing commune c costs at least L_c, so
  // Σ y ≤ the number of smallest L_c that fit in B together (and Σ_c L_c·y_c ≤ B); closing code i costs
  // at least its cheapest share s_i (cost / codes closed), so Σ z ≤ the number of smallest s_i that fit.
  const total = [...ix.pools.values()].reduce((a, b) => a + b, 0);
  const fitting = (xs: number[]) => {
    let n = 0;
    let sum = 0;
    for (const x of [...xs].sort((a, b) => a - b)) {
      if (sum + x > total * (1 + 1e-12)) break;
      sum += x;
      n++;
    }
    return n;
  };
  let mostReaching = 0;
  let mostClosed = 0;
  if (commune.length > 0) {
    const lower = commune.map((y) => completionLowerBound(ix, y.commune));
    rows.push(` reach_cost:\n${lpTerms(commune.map((y, i): [number, string] => [lower[i]! / costUnit, y.column]))} <= ${lpNum(total / costUnit)}`);
    mostReaching = fitting(lower);
    if (mostReaching < commune.length) rows.push(` reach_count:\n${lpTerms(commune.map((y): [number, string] => [1, y.column]))} <= ${mostReaching}`);
  }
  if (indicator.length > 0) {
    const shares = indicator.map((z) => Math.min(...coverers[z.commune]!.get(z.code)!.map((k) => actions[k]!.cost / ix.actCodes[k]!.length)));
    mostClosed = fitting(shares);
    if (mostClosed < indicator.length) rows.push(` close_count:\n${lpTerms(indicator.map((z): [number, string] => [1, z.column]))} <= ${mostClosed}`);
  }
  const binaries = [...action, ...indicator.map((z) => z.column), ...commune.map((y) => y.column)];
  const binLines: string[] = [];
  for (let i = 0; i < binaries.length; i += 20) binLines.push(` ${binaries.slice(i, i + 20).join(' ')}`);
  const lp = [
    '\\ Phân bổ ngân sách / budget allocation (see src/domain/planning/allocation.ts)',
    'Maximize',
    ` obj:\n${objective.length > 0 ? lpTerms(objective) : '  0 x0'}`,
    'Subject To',
    ...rows,
    'Binary',
    ...binLines,
    'End',
    '',
  ].join('\n');
  return {
    lp,
    constraints: rows.join('\n'),
    binaries: binLines.join('\n'),
    columns: { action, indicator, commune },
    weights,
    costUnit,
    alreadyReaching: input.communes.filter((c) => c.unmet.length === 0).length,
    countBound: weights.reach * mostReaching + weights.indicator * mostClosed,
  };
}

/**
 * The second, cost stage: the same constraints, at least `levels` communes reaching and indicators
 * closed (the proven maxima of the first stage), minimising the cost (in `costUnit`s). Its optimum
 * is the lexicographic optimum with the cost tie-break proven to the solver's relative gap on the
 * cost itself, not on the weighted objective (where the whole cost term is worth less than 1).
 */
export function allocationCostModel(input: AllocationInput, model: AllocationModel, levels: Pick<AllocationPlan, 'communesReaching' | 'indicatorsClosed'>): string {
  const rows: string[] = [];
  const ys = model.columns.commune.map((y): [number, string] => [1, y.column]);
  const zs = model.columns.indicator.map((z): [number, string] => [1, z.column]);
  if (ys.length > 0) rows.push(` keep_reaching:\n${lpTerms(ys)} >= ${levels.communesReaching - model.alreadyReaching}`);
  if (zs.length > 0) rows.push(` keep_closed:\n${lpTerms(zs)} >= ${levels.indicatorsClosed}`);
  return [
    '\\ Phân bổ ngân sách, bước 2: kinh phí thấp nhất / budget allocation, stage 2: least cost',
    'Minimize',
    ` cost:\n${lpTerms(input.actions.map((a, k): [number, string] => [a.cost / model.costUnit, model.columns.action[k]!]))}`,
    'Subject To',
    ...rows,
    model.constraints,
    'Binary',
    model.binaries,
    'End',
    '',
  ].join('\n');
}

/** Column values for a plan (a MIP start): x from the chosen ids, z and y as they follow. */
export function solutionOfPlan(input: AllocationInput, model: AllocationModel, chosenIds: Iterable<string>): Map<string, number> {
  const ix = indexInput(input);
  const wanted = new Set(chosenIds);
  const values = new Map<string, number>();
  const closed = ix.codes.map((cs) => new Array<boolean>(cs.length).fill(false));
  input.actions.forEach((a, k) => {
    const on = wanted.has(a.id);
    values.set(model.columns.action[k]!, on ? 1 : 0);
    if (on) for (const p of ix.actCodes[k]!) closed[ix.actCommune[k]!]![p] = true;
  });
  for (const z of model.columns.indicator) values.set(z.column, closed[z.commune]![z.code] ? 1 : 0);
  for (const y of model.columns.commune) values.set(y.column, closed[y.commune]!.every(Boolean) ? 1 : 0);
  return values;
}

/** The objective value of a plan in the model's weights (to compare with the solver's bound). */
export function planObjective(model: AllocationModel, plan: Pick<AllocationPlan, 'communesReaching' | 'indicatorsClosed' | 'cost'>): number {
  return model.weights.reach * (plan.communesReaching - model.alreadyReaching) + model.weights.indicator * plan.indicatorsClosed - plan.cost / model.weights.costDivisor;
}

/**
 * The plan of a solver solution: the actions whose x is 1 (> 0.5), without redundant ones, and what
 * they achieve, recomputed from the actions themselves (never trusted from z and y).
 */
export function planFromSolution(input: AllocationInput, model: AllocationModel, values: ReadonlyMap<string, number>): AllocationPlan {
  const ids = input.actions.filter((_, k) => (values.get(model.columns.action[k]!) ?? 0) > 0.5).map((a) => a.id);
  return evaluateAllocation(input, withoutRedundantActions(input, ids));
}

// ── Exhaustive search (tests) ──────────────────────────────────────────────────────────

/** Every subset of the actions (at most 16): the lexicographically best plan. For tests. */
export function bruteForceAllocation(input: AllocationInput): AllocationPlan {
  const n = input.actions.length;
  if (n > BRUTE_FORCE_MAX_ACTIONS) throw new Error(`bruteForceAllocation: ${n} actions, at most ${BRUTE_FORCE_MAX_ACTIONS}`);
  const ix = indexInput(input);
  const poolKeys = [...ix.pools.keys()];
  const poolOf = input.actions.map((_, k) => poolKeys.indexOf(ix.actPool[k]!));
  const caps = poolKeys.map((p) => ix.pools.get(p)!);
  // Per commune, per code: the mask of actions closing it.
  const coverMasks = ix.codes.map((cs) => cs.map(() => 0));
  input.actions.forEach((_, k) => {
    for (const p of ix.actCodes[k]!) coverMasks[ix.actCommune[k]!]![p]! |= 1 << k;
  });
  let best = { y: -1, z: -1, cost: Infinity, mask: 0 };
  const spent = caps.map(() => 0);
  for (let mask = 0; mask < 1 << n; mask++) {
    spent.fill(0);
    let cost = 0;
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      if (mask & (1 << k)) {
        const a = input.actions[k]!;
        spent[poolOf[k]!]! += a.cost;
        cost += a.cost;
        if (spent[poolOf[k]!]! > caps[poolOf[k]!]!) ok = false;
      }
    }
    if (!ok) continue;
    let y = 0;
    let z = 0;
    for (const cm of coverMasks) {
      let all = true;
      for (const m of cm) {
        if (m & mask) z++;
        else all = false;
      }
      if (all) y++;
    }
    if (y > best.y || (y === best.y && (z > best.z || (z === best.z && cost < best.cost)))) best = { y, z, cost, mask };
  }
  const ids = input.actions.filter((_, k) => best.mask & (1 << k)).map((a) => a.id);
  return evaluateAllocation(input, ids);
}

// ── Words ──────────────────────────────────────────────────────────────────────────────

const pct = (gap: number, lang: 'vi' | 'en') =>
  `${new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: gap * 100 < 1 ? 2 : 1 }).format(gap * 100)}%`;
/** Triệu đồng from 1 triệu up (and for 0), whole đồng below (small test amounts stay readable). */
const money = (dong: number, lang: 'vi' | 'en') =>
  dong === 0 || Math.abs(dong) >= 1_000_000
    ? lang === 'vi'
      ? `${formatMillion(dong, 'vi')} triệu đồng`
      : `${formatMillion(dong, 'en')} million VND`
    : lang === 'vi'
      ? `${vnNumber(dong, 0)} đồng`
      : `${enNumber(dong, 0)} VND`;

export interface AllocationWordsOptions {
  /** Total of the pools, whole đồng. */
  budget: number;
  /** Whether the MIP proved the plan optimal. */
  proven: boolean;
  /** Relative gap when not proven (Infinity when unknown). */
  gap: number;
  timeLimitSeconds: number;
  /** Why it is not proven: the time limit stopped stage 1 or stage 2 (cost), the solver failed, or greedy was kept. */
  reason?: 'time_limit' | 'cost_not_proven' | 'solver_failed' | 'greedy_kept' | 'no_solver_solution' | null;
}

/** Summary, comparison with greedy and note, in both languages. */
export function allocationSummary(plan: AllocationPlan, greedy: AllocationPlan, opts: AllocationWordsOptions): Pick<AllocationResult, 'summary' | 'comparison' | 'note'> {
  const remaining = opts.budget - plan.cost;
  const summary = {
    vi: `Chọn ${vnNumber(plan.chosen.length)} hạng mục, ${vnNumber(plan.communesReaching)} xã đạt chuẩn, khép ${vnNumber(plan.indicatorsClosed)} chỉ tiêu; kinh phí ${money(plan.cost, 'vi')}, còn dư ${money(remaining, 'vi')}.`,
    en: `${enNumber(plan.chosen.length)} action${plan.chosen.length === 1 ? '' : 's'} chosen, ${enNumber(plan.communesReaching)} commune${plan.communesReaching === 1 ? '' : 's'} reach their target, ${enNumber(plan.indicatorsClosed)} indicator${plan.indicatorsClosed === 1 ? '' : 's'} closed; cost ${money(plan.cost, 'en')}, ${money(remaining, 'en')} left.`,
  };
  const name = opts.proven ? { vi: 'Phương án tối ưu', en: 'The optimal plan' } : { vi: 'Phương án chọn', en: 'The chosen plan' };
  let comparison: BilingualMessage;
  const dy = plan.communesReaching - greedy.communesReaching;
  const dz = plan.indicatorsClosed - greedy.indicatorsClosed;
  const dc = greedy.cost - plan.cost;
  if (dy > 0) {
    comparison = {
      vi: `${name.vi} hơn phương án tham lam ${vnNumber(dy)} xã đạt chuẩn (${vnNumber(plan.communesReaching)} so với ${vnNumber(greedy.communesReaching)}).`,
      en: `${name.en} brings ${enNumber(dy)} more commune${dy === 1 ? '' : 's'} to the target than the greedy plan (${enNumber(plan.communesReaching)} against ${enNumber(greedy.communesReaching)}).`,
    };
  } else if (dy === 0 && dz > 0) {
    comparison = {
      vi: `Cùng số xã đạt chuẩn như phương án tham lam (${vnNumber(plan.communesReaching)}); ${name.vi.toLowerCase()} khép thêm ${vnNumber(dz)} chỉ tiêu (${vnNumber(plan.indicatorsClosed)} so với ${vnNumber(greedy.indicatorsClosed)}).`,
      en: `As many communes reach the target as with the greedy plan (${enNumber(plan.communesReaching)}); ${name.en.toLowerCase()} closes ${enNumber(dz)} more indicator${dz === 1 ? '' : 's'} (${enNumber(plan.indicatorsClosed)} against ${enNumber(greedy.indicatorsClosed)}).`,
    };
  } else if (dy === 0 && dz === 0 && dc > 0) {
    comparison = {
      vi: `Cùng kết quả như phương án tham lam (${vnNumber(plan.communesReaching)} xã, ${vnNumber(plan.indicatorsClosed)} chỉ tiêu) nhưng tiết kiệm hơn ${money(dc, 'vi')}.`,
      en: `The same result as the greedy plan (${enNumber(plan.communesReaching)} communes, ${enNumber(plan.indicatorsClosed)} indicators) for ${money(dc, 'en')} less.`,
    };
  } else if (dy === 0 && dz === 0 && dc === 0) {
    comparison = {
      vi: `Phương án tham lam cũng đạt kết quả này (${vnNumber(plan.communesReaching)} xã đạt chuẩn, ${vnNumber(plan.indicatorsClosed)} chỉ tiêu, ${money(plan.cost, 'vi')}).`,
      en: `The greedy plan achieves the same (${enNumber(plan.communesReaching)} communes reaching the target, ${enNumber(plan.indicatorsClosed)} indicators, ${money(plan.cost, 'en')}).`,
    };
  } else {
    // Only possible when a caller passes a plan worse than greedy; the service never does.
    comparison = {
      vi: `Phương án tham lam tốt hơn: ${vnNumber(greedy.communesReaching)} xã đạt chuẩn, ${vnNumber(greedy.indicatorsClosed)} chỉ tiêu (so với ${vnNumber(plan.communesReaching)} xã, ${vnNumber(plan.indicatorsClosed)} chỉ tiêu).`,
      en: `The greedy plan is better: ${enNumber(greedy.communesReaching)} communes reaching the target, ${enNumber(greedy.indicatorsClosed)} indicators (against ${enNumber(plan.communesReaching)} communes, ${enNumber(plan.indicatorsClosed)} indicators).`,
    };
  }
  let note: BilingualMessage | null = null;
  if (!opts.proven) {
    const gapVi = Number.isFinite(opts.gap) ? `khoảng cách tương đối tới cận trên ${pct(opts.gap, 'vi')}` : 'chưa có cận trên để ước lượng khoảng cách';
    const gapEn = Number.isFinite(opts.gap) ? `relative gap to the bound ${pct(opts.gap, 'en')}` : 'no bound is known to estimate the gap';
    const secVi = vnNumber(opts.timeLimitSeconds);
    const secEn = enNumber(opts.timeLimitSeconds);
    switch (opts.reason ?? 'time_limit') {
      case 'time_limit':
        note = {
          vi: `Bộ giải dừng khi hết thời gian giới hạn (${secVi} giây): đây là phương án tốt nhất tìm được, chưa được chứng minh là tối ưu (${gapVi}).`,
          en: `The solver stopped at the time limit (${secEn} s): this is the best plan found, not proven optimal (${gapEn}).`,
        };
        break;
      case 'greedy_kept':
        note = {
          vi: `Trong thời gian giới hạn (${secVi} giây) bộ giải chưa tìm được phương án tốt hơn phương án tham lam, nên giữ phương án tham lam; chưa được chứng minh là tối ưu (${gapVi}).`,
          en: `Within the time limit (${secEn} s) the solver found nothing better than the greedy plan, so the greedy plan is kept; not proven optimal (${gapEn}).`,
        };
        break;
      case 'cost_not_proven':
        note = {
          vi: `Số xã đạt chuẩn và số chỉ tiêu đã được chứng minh là tối đa; bộ giải dừng khi hết thời gian giới hạn (${secVi} giây) trước khi chứng minh kinh phí là thấp nhất (${Number.isFinite(opts.gap) ? `kinh phí có thể thấp hơn tối đa ${pct(opts.gap, 'vi')}` : 'chưa có cận dưới của kinh phí'}).`,
          en: `The numbers of communes and indicators are proven the most possible; the solver stopped at the time limit (${secEn} s) before proving the cost the lowest (${Number.isFinite(opts.gap) ? `the cost could be at most ${pct(opts.gap, 'en')} lower` : 'no lower bound on the cost yet'}).`,
        };
        break;
      case 'no_solver_solution':
        note = {
          vi: `Bộ giải không trả về phương án hợp lệ trong thời gian giới hạn (${secVi} giây), nên dùng phương án tham lam; chưa được chứng minh là tối ưu (${gapVi}).`,
          en: `The solver returned no valid plan within the time limit (${secEn} s), so the greedy plan is used; not proven optimal (${gapEn}).`,
        };
        break;
      case 'solver_failed':
        note = {
          vi: `Bộ giải gặp lỗi, nên dùng phương án tham lam; chưa được chứng minh là tối ưu (${gapVi}).`,
          en: `The solver failed, so the greedy plan is used; not proven optimal (${gapEn}).`,
        };
        break;
    }
  }
  return { summary, comparison, note };
}
