import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../domain/errors.ts';
import { bruteForceAllocation, comparePlans, greedyAllocation, planFits, type AllocationInput } from '../domain/planning/allocation.ts';
import { hashSeed, prng } from '../seed/demo-values.ts';
import { solveMip, type MipSolution } from '../platform/mip-solver.ts';
import { allocate } from './allocation.service.ts';

const SOURCES = ['province_budget', 'community'] as const;

/**
 * A random instance: `communes` communes with 0–`maxCodes` unmet codes, up to `maxActions` actions
 * (1–2 codes each, cost 1–`maxCost`), a budget between 5 % and 100 % of the total cost, by source
 * (two pools) one time in three.
 */
function randomInstance(rnd: () => number, o: { communes: number; maxCodes: number; maxActions: number; maxCost: number; minActions?: number }): AllocationInput {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const communes = Array.from({ length: o.communes }, (_, i) => ({ id: `C${i}`, unmet: Array.from({ length: int(0, o.maxCodes) }, (_, j) => `${j + 1}.${int(1, 3)}`) })).map((c) => ({
    ...c,
    unmet: [...new Set(c.unmet)],
  }));
  const open = communes.filter((c) => c.unmet.length > 0);
  const n = open.length === 0 ? 0 : int(o.minActions ?? Math.min(1, o.maxActions), o.maxActions);
  const byPool = rnd() < 1 / 3;
  const actions = Array.from({ length: n }, (_, k) => {
    const c = open[int(0, open.length - 1)]!;
    const closes = [...new Set([c.unmet[int(0, c.unmet.length - 1)]!, ...(rnd() < 0.3 ? [c.unmet[int(0, c.unmet.length - 1)]!] : [])])];
    return { id: `a${k}`, commune: c.id, cost: int(1, o.maxCost), closes, source: SOURCES[int(0, 1)]! };
  });
  const total = Math.max(2, actions.reduce((s, a) => s + a.cost, 0));
  const budget = Math.max(2, Math.round(total * (0.05 + 0.95 * rnd())));
  const first = Math.max(1, Math.round(budget * (0.3 + 0.4 * rnd())));
  return { budget: byPool ? { province_budget: first, community: Math.max(1, budget - first) } : budget, communes, actions };
}

const small = (seed: number) => randomInstance(prng(seed), { communes: 2 + (seed % 4), maxCodes: 4, maxActions: 12, maxCost: 60 });

describe('allocate: the MIP against exhaustive search', () => {
  it('on 240 random small instances: the same communes, indicators and cost as brute force; never worse than greedy; within budget', async () => {
    let optimal = 0;
    let beatsGreedy = 0;
    for (let i = 0; i < 240; i++) {
      const input = small(hashSeed(`allocation-${i}`));
      const r = await allocate(input);
      const best = bruteForceAllocation(input);
      const label = `instance ${i}: ${JSON.stringify(input)}`;
      expect({ communesReaching: r.communesReaching, indicatorsClosed: r.indicatorsClosed, cost: r.cost }, label).toEqual({
        communesReaching: best.communesReaching,
        indicatorsClosed: best.indicatorsClosed,
        cost: best.cost,
      });
      expect(comparePlans(r, r.greedy), label).toBeGreaterThanOrEqual(0);
      expect(planFits(input, r.chosen), label).toBe(true);
      expect(r.remaining).toBe(r.budget - r.cost);
      expect(r.status === 'optimal' ? r.gap : 0).toBe(0);
      if (r.status === 'optimal') optimal++;
      if (comparePlans(r, r.greedy) > 0) beatsGreedy++;
    }
    expect(optimal).toBe(240);
    expect(beatsGreedy).toBeGreaterThanOrEqual(3); // some instances do tell the two apart (5 of 240 with these seeds)
  }, 60_000);

  it('a commune with nothing unmet reaches whatever is chosen; no actions at all is trivially optimal', async () => {
    const r = await allocate({ budget: 10, communes: [{ id: 'done', unmet: [] }, { id: 'stuck', unmet: ['1.1'] }], actions: [] });
    expect(r).toMatchObject({ status: 'optimal', gap: 0, communesReaching: 1, reaching: ['done'], chosen: [], cost: 0, remaining: 10, note: null });
    expect(r.summary.vi).toBe('Chọn 0 hạng mục, 1 xã đạt chuẩn, khép 0 chỉ tiêu; kinh phí 0 triệu đồng, còn dư 10 đồng.');
  });
});

describe('allocate: properties', () => {
  const instance = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => randomInstance(prng(seed), { communes: 3, maxCodes: 3, maxActions: 9, maxCost: 30 }));
  const budgetOf = (i: AllocationInput) => (typeof i.budget === 'number' ? i.budget : 0);

  it('more budget never brings fewer communes to their target', async () => {
    await fc.assert(
      fc.asyncProperty(instance, fc.integer({ min: 1, max: 50 }), async (input, extra) => {
        const more: AllocationInput =
          typeof input.budget === 'number'
            ? { ...input, budget: input.budget + extra }
            : { ...input, budget: Object.fromEntries(Object.entries(input.budget).map(([k, v], i) => [k, i === 0 ? v + extra : v])) };
        const [a, b] = [await allocate(input), await allocate(more)];
        expect(b.communesReaching).toBeGreaterThanOrEqual(a.communesReaching);
        expect(comparePlans(b, a)).toBeGreaterThanOrEqual(0);
        expect(budgetOf(more)).toBeGreaterThanOrEqual(budgetOf(input));
      }),
      { numRuns: 25 },
    );
  });

  it('removing an action never improves the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(instance, fc.nat(), async (input, pick) => {
        fc.pre(input.actions.length > 0);
        const without = { ...input, actions: input.actions.filter((_, k) => k !== pick % input.actions.length) };
        const [all, fewer] = [await allocate(input), await allocate(without)];
        expect(comparePlans(fewer, all)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 25 },
    );
  });

  it('the MIP is never worse than greedy and always within every pool', async () => {
    await fc.assert(
      fc.asyncProperty(instance, async (input) => {
        const r = await allocate(input);
        expect(comparePlans(r, greedyAllocation(input))).toBeGreaterThanOrEqual(0);
        expect(planFits(input, r.chosen)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('allocate: limits and fallbacks', () => {
  /** About 130 communes and 1,300 actions with large costs in đồng. */
  const big = (): AllocationInput => {
    const input = randomInstance(prng(hashSeed('big')), { communes: 130, maxCodes: 16, minActions: 1300, maxActions: 1300, maxCost: 3000 });
    return { ...input, actions: input.actions.map((a) => ({ ...a, cost: a.cost * 1_000_000 })), budget: typeof input.budget === 'number' ? input.budget * 1_000_000 : { province_budget: 100_000_000_000, community: 60_000_000_000 } };
  };

  it('a big instance with a 0.1 s limit returns quickly, never worse than greedy, and says when it is not proven', async () => {
    const input = { ...big(), timeLimitSeconds: 0.1 };
    const started = performance.now();
    const r = await allocate(input);
    expect(performance.now() - started).toBeLessThan(8_000); // model text, parse, 0.1 s of search, on a loaded machine
    expect(['optimal', 'feasible']).toContain(r.status);
    expect(comparePlans(r, r.greedy)).toBeGreaterThanOrEqual(0);
    expect(planFits(input, r.chosen)).toBe(true);
    if (r.status === 'feasible') {
      expect(r.note).not.toBeNull();
      expect(r.note!.vi).toMatch(/chưa được chứng minh là tối ưu/);
      expect(r.note!.en).toMatch(/not proven optimal/);
      expect(r.gap).toBeGreaterThan(0);
      expect(r.gap).toBeLessThan(1); // the counting bound at least, when the solver had none yet
    } else {
      expect(r.note).toBeNull();
    }
  }, 30_000);

  const tiny: AllocationInput = {
    budget: 100,
    communes: [{ id: 'A', unmet: ['1', '2'] }, { id: 'B', unmet: ['1'] }],
    actions: [
      { id: 'a1', commune: 'A', cost: 30, closes: ['1'] },
      { id: 'a2', commune: 'A', cost: 40, closes: ['2'] },
      { id: 'b1', commune: 'B', cost: 50, closes: ['1'] },
    ],
  };
  const failing = (sol: Partial<MipSolution>) => async (): Promise<MipSolution> => ({ status: 'error', objective: null, values: new Map(), gap: Infinity, bound: null, ...sol });

  it('falls back to greedy, says so, when the solver fails, throws, or returns a plan over budget', async () => {
    let r = await allocate(tiny, { solve: failing({ message: 'boom' }) });
    expect(r).toMatchObject({ status: 'feasible', chosen: r.greedy.chosen });
    // No bound from the solver: the gap comes from the model's counting bound (1 commune, 2 codes can fit).
    expect(r.gap).toBeCloseTo((12 - (8 + 4 - 80 / 121)) / (8 + 4 - 80 / 121), 9);
    expect(r.note!.vi).toContain('Bộ giải gặp lỗi, nên dùng phương án tham lam');
    r = await allocate(tiny, {
      solve: async () => {
        throw new Error('wasm trap');
      },
    });
    expect(r).toMatchObject({ status: 'feasible', chosen: r.greedy.chosen });
    const overBudget = new Map([['x0', 1], ['x1', 1], ['x2', 1]]);
    r = await allocate(tiny, { solve: failing({ status: 'optimal', values: overBudget, objective: 99, gap: 0, bound: 99 }) });
    expect(r).toMatchObject({ status: 'feasible', chosen: r.greedy.chosen });
    expect(r.note!.en).toContain('returned no valid plan');
  });

  it('keeps greedy when a time-limited solver ends with less, with the gap from its bound', async () => {
    const r = await allocate(tiny, { solve: failing({ status: 'time_limit', values: new Map([['x2', 1]]), objective: 1, bound: 20, gap: 19 }) });
    expect(r.status).toBe('feasible');
    expect(r.chosen).toEqual(r.greedy.chosen);
    expect(r.note!.vi).toContain('chưa tìm được phương án tốt hơn phương án tham lam');
    expect(Number.isFinite(r.gap) && r.gap > 0).toBe(true);
  });

  it('two stages: when only the cost stage is stopped, the levels are said proven and the gap is on the cost', async () => {
    const calls: string[] = [];
    const r = await allocate(tiny, {
      solve: async (lp) => {
        calls.push(lp.includes('Minimize') ? 'cost' : 'levels');
        // Stage 1 proves b1 + a1 (1 commune, 2 codes); stage 2 is stopped with the same plan.
        return lp.includes('Minimize')
          ? { status: 'time_limit', objective: 80, values: new Map([['x0', 1], ['x2', 1]]), gap: 0.05, bound: 76 }
          : { status: 'optimal', objective: 11, values: new Map([['x0', 1], ['x2', 1]]), gap: 0, bound: 11 };
      },
    });
    expect(calls).toEqual(['levels', 'cost']);
    expect(r).toMatchObject({ status: 'feasible', gap: 0.05, chosen: ['a1', 'b1'], communesReaching: 1, indicatorsClosed: 2 });
    expect(r.note!.vi).toBe(
      'Số xã đạt chuẩn và số chỉ tiêu đã được chứng minh là tối đa; bộ giải dừng khi hết thời gian giới hạn (10 giây) trước khi chứng minh kinh phí là thấp nhất (kinh phí có thể thấp hơn tối đa 5%).',
    );
    expect(r.note!.en).toContain('the cost could be at most 5% lower');
  });

  it('refuses bad input with validation_failed naming every field', async () => {
    try {
      await allocate({ ...tiny, budget: 0, actions: [{ ...tiny.actions[0]!, cost: -3 }] });
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('validation_failed');
      expect(isDomainError(e) && (e.details!.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['budget', 'actions[0].cost']);
    }
  });
});

describe('solveMip (HiGHS adapter)', () => {
  const lp = ['Maximize', ' obj: 3 a + 2 b + 4 c', 'Subject To', ' cap: 2 a + 2 b + 3 c <= 4', 'Binary', ' a b c', 'End', ''].join('\n');
  it('solves a small knapsack to optimality with its values, objective and bound', async () => {
    const r = await solveMip(lp, { timeLimitSeconds: 5 });
    expect(r).toMatchObject({ status: 'optimal', objective: 5, gap: 0 });
    expect([...r.values].filter(([, v]) => v > 0.5).map(([k]) => k).sort()).toEqual(['a', 'b']);
    expect(r.bound).toBeCloseTo(5, 6);
  });
  it('reports infeasibility, and a model it cannot read as an error; the next solve still works', async () => {
    expect((await solveMip(lp.replace('<= 4', '<= 4\n low: a + b + c >= 4'), { timeLimitSeconds: 5 })).status).toBe('infeasible');
    const bad = await solveMip('Maximize\n obj: 3 a +\nSubject To\n c: a <= \nEnd', { timeLimitSeconds: 5 });
    expect(bad.status).toBe('error');
    expect(bad.values.size).toBe(0);
    expect((await solveMip(lp, { timeLimitSeconds: 5 })).objective).toBe(5);
  });
  it('starts from a given solution', async () => {
    const r = await solveMip(lp, { timeLimitSeconds: 5, start: new Map([['c', 1]]) });
    expect(r.objective).toBe(5);
  });
});
