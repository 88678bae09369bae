/**
 * Phân bổ thử — the what-if recomputed in the browser on every change (budget, indicators marked
 * as fixed): the allocation input rebuilt from the server's candidates, the fixed indicators taken
 * out (as the server's `withFixed` does), and the greedy plan from the pure domain
 * (`greedyAllocation`, the same code the server compares its optimum with). The exact optimum
 * (MIP) is the server's; this is what the screen shows at once while it is computed.
 */
import { greedyAllocation, type AllocationInput, type AllocationPlan } from '../../../src/domain/planning/allocation.ts';
import type { UnitAllocation } from './api.ts';

/** Indicators marked as fixed, by commune id. */
export type Fixed = Readonly<Record<string, readonly string[]>>;

/**
 * The allocation input before any indicator is marked fixed: the communes the allocation considers
 * (those with nothing pending) with what they still need, and every candidate action. It depends on
 * the unit, the date and the deadline, not on the budget or the fixed indicators.
 */
export function baseInput(a: Pick<UnitAllocation, 'communes' | 'candidates'>, budget: number): AllocationInput {
  return {
    budget,
    communes: a.communes.filter((c) => c.inAllocation).map((c) => ({ id: c.id, name: c.name, unmet: [...c.unmet] })),
    actions: a.candidates.map((c) => ({ id: c.id, commune: c.commune, cost: c.cost, closes: [...c.closes], name: c.name })),
  };
}

/** The fixed indicators leave the communes' lists and the actions that only closed them. */
export function withFixed(input: AllocationInput, fixed: Fixed): AllocationInput {
  const done = (commune: string, code: string) => fixed[commune]?.includes(code) ?? false;
  const communes = input.communes.map((c) => ({ ...c, unmet: c.unmet.filter((code) => !done(c.id, code)) }));
  const actions = input.actions.map((a) => ({ ...a, closes: a.closes.filter((code) => !done(a.commune, code)) })).filter((a) => a.closes.length > 0);
  return { ...input, communes, actions };
}

/** Only the communes with fixed indicators, each list sorted: what the server is sent. */
export function compactFixed(fixed: Fixed): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of Object.keys(fixed).sort()) {
    const codes = [...new Set(fixed[id] ?? [])].sort();
    if (codes.length > 0) out[id] = codes;
  }
  return out;
}

export function toggleFixed(fixed: Fixed, commune: string, code: string, on: boolean): Fixed {
  const list = new Set(fixed[commune] ?? []);
  if (on) list.add(code);
  else list.delete(code);
  return { ...fixed, [commune]: [...list] };
}

/** Whole đồng from a number of triệu đồng (1 triệu = 1.000.000 đồng); null when not a positive amount. */
export function dongOfMillions(millions: number | null | undefined): number | null {
  if (millions === null || millions === undefined || !Number.isFinite(millions) || millions <= 0) return null;
  const dong = Math.round(millions * 1_000_000);
  return Number.isSafeInteger(dong) && dong > 0 ? dong : null;
}

export interface WhatIf {
  plan: AllocationPlan;
  /** Communes reaching their level without any spending (nothing left once fixed indicators are out). */
  freeReaching: string[];
  /** Communes considered (nothing pending). */
  considered: number;
  /** Indicators still to close over the considered communes, after the fixed ones. */
  open: number;
  ms: number;
}

/** The greedy what-if for a budget (whole đồng) and the fixed indicators. */
export function recompute(a: Pick<UnitAllocation, 'communes' | 'candidates'>, budget: number, fixed: Fixed, now: () => number = () => performance.now()): WhatIf {
  const t0 = now();
  const input = withFixed(baseInput(a, budget), fixed);
  const plan = greedyAllocation(input);
  return {
    plan,
    freeReaching: input.communes.filter((c) => c.unmet.length === 0).map((c) => c.id),
    considered: input.communes.length,
    open: input.communes.reduce((n, c) => n + c.unmet.length, 0),
    ms: now() - t0,
  };
}
