import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.ts';
import { assertNoProblems } from '../field-error.ts';
import {
  allocationCostModel,
  allocationInputProblems,
  allocationModel,
  allocationSummary,
  bruteForceAllocation,
  comparePlans,
  evaluateAllocation,
  greedyAllocation,
  planFits,
  planFromSolution,
  solutionOfPlan,
  withoutRedundantActions,
  type AllocationInput,
} from './allocation.ts';

const M = 1_000_000;

/** A small valid input: three communes, one of them already at its target. */
function base(): AllocationInput {
  return {
    budget: 100 * M,
    communes: [
      { id: 'A', name: 'Xã A', unmet: ['2.1', '5.2'] },
      { id: 'B', unmet: ['17.1'] },
      { id: 'C', unmet: [] },
    ],
    actions: [
      { id: 'a1', commune: 'A', cost: 30 * M, closes: ['2.1'] },
      { id: 'a2', commune: 'A', cost: 40 * M, closes: ['5.2'] },
      { id: 'a3', commune: 'A', cost: 60 * M, closes: ['2.1', '5.2'] },
      { id: 'b1', commune: 'B', cost: 50 * M, closes: ['17.1'] },
    ],
  };
}

/** The one problem of an input changed by `edit`: its field, and both messages. */
function onlyProblem(edit: (i: Record<string, any>) => void) {
  const input = structuredClone(base()) as unknown as Record<string, any>;
  edit(input);
  const problems = allocationInputProblems(input);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  return { field: problems[0]!.field, vi: problems[0]!.message.vi, en: problems[0]!.message.en };
}

describe('allocation input: every refusal names the field, in both languages', () => {
  it('accepts a valid input, a budget by source, and a commune with nothing unmet', () => {
    expect(allocationInputProblems(base())).toEqual([]);
    const bySource = { ...base(), budget: { province_budget: 60 * M, community: 40 * M }, actions: base().actions.map((a, i) => ({ ...a, source: i % 2 ? 'community' : 'province_budget' })) };
    expect(allocationInputProblems(bySource)).toEqual([]);
    expect(allocationInputProblems({ ...base(), timeLimitSeconds: 0.1 })).toEqual([]);
    expect(allocationInputProblems({ ...base(), timeLimitSeconds: 120 })).toEqual([]);
  });

  it('refuses a non-object input', () => {
    for (const bad of [null, 3, 'x', []]) expect(allocationInputProblems(bad)[0]!.field).toBe('input');
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 1.5],
    ['infinite', Infinity],
    ['NaN', NaN],
    ['text', '100'],
    ['missing', undefined],
    ['beyond safe integers', 2 ** 60],
  ])('refuses a budget that is %s', (_, v) => {
    const p = onlyProblem((i) => (i.budget = v));
    expect(p.field).toBe('budget');
    expect(p.vi).toContain('Ngân sách phải là số đồng nguyên dương');
    expect(p.en).toContain('positive whole number of đồng');
  });

  it('refuses pools by source that are unknown, not positive or empty', () => {
    const withSources = (i: Record<string, any>) => i.actions.forEach((a: any) => (a.source = 'province_budget'));
    let p = onlyProblem((i) => {
      withSources(i);
      i.budget = { province_budget: 100 * M, lottery: 5 };
    });
    expect(p).toMatchObject({ field: 'budget.lottery' });
    expect(p.vi).toContain('Nguồn vốn "lottery" không hợp lệ');
    expect(p.en).toContain('Funding source "lottery" is invalid');
    p = onlyProblem((i) => {
      withSources(i);
      i.budget = { province_budget: 100 * M, credit: 0 };
    });
    expect(p.field).toBe('budget.credit');
    expect(p.vi).toContain('Ngân sách nguồn "Vốn tín dụng"');
    expect(p.en).toContain('budget of source "Credit"');
    expect(
      onlyProblem((i) => {
        withSources(i);
        i.budget = {};
      }).field,
    ).toBe('budget');
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 2.5],
    ['infinite', -Infinity],
    ['text', '5'],
  ])('refuses a cost that is %s', (_, v) => {
    const p = onlyProblem((i) => (i.actions[3].cost = v));
    expect(p.field).toBe('actions[3].cost');
    expect(p.vi).toContain('Kinh phí của hạng mục "b1" phải là số đồng nguyên dương');
    expect(p.en).toContain('The cost of action "b1" must be a positive whole number');
  });

  it('refuses an action closing nothing, or an indicator its commune has already met', () => {
    let p = onlyProblem((i) => (i.actions[1].closes = []));
    expect(p.field).toBe('actions[1].closes');
    expect(p.vi).toContain('phải khép ít nhất một chỉ tiêu');
    expect(p.en).toContain('must close at least one unmet indicator');
    p = onlyProblem((i) => (i.actions[2].closes = ['2.1', '3.1']));
    expect(p.field).toBe('actions[2].closes[1]');
    expect(p.vi).toContain('Chỉ tiêu "3.1" của hạng mục "a3" không nằm trong danh sách chưa đạt của xã "A": chỉ tiêu đã đạt');
    expect(p.en).toContain('Indicator "3.1" of action "a3" is not among the unmet indicators of commune "A": it is already met');
    p = onlyProblem((i) => (i.actions[2].closes = ['2.1', '2.1']));
    expect(p.field).toBe('actions[2].closes[1]');
    expect(p.en).toContain('listed twice');
    expect(onlyProblem((i) => (i.actions[0].closes = 'x')).field).toBe('actions[0].closes');
  });

  it('refuses an action on an unknown commune, and duplicate ids', () => {
    let p = onlyProblem((i) => (i.actions[3].commune = 'Z'));
    expect(p.field).toBe('actions[3].commune');
    expect(p.vi).toContain('thuộc xã "Z" không có trong danh sách xã');
    expect(p.en).toContain('commune "Z", which is not in the commune list');
    p = onlyProblem((i) => (i.actions[2].id = 'a1'));
    expect(p.field).toBe('actions[2].id');
    expect(p.vi).toContain('Mã hạng mục "a1" bị trùng (đã có ở actions[0])');
    expect(p.en).toContain('Duplicate action id "a1" (already at actions[0])');
    p = onlyProblem((i) => i.communes.push({ id: 'B', unmet: [] }));
    expect(p.field).toBe('communes[3].id');
    expect(p.vi).toContain('Mã xã "B" bị trùng');
    expect(p.en).toContain('Duplicate commune id "B"');
  });

  it('refuses malformed communes: no unmet list, a repeated or empty code', () => {
    // The commune's actions are not reported again: one problem, on the commune.
    expect(onlyProblem((i) => delete i.communes[1].unmet).field).toBe('communes[1].unmet');
    expect(onlyProblem((i) => i.communes[0].unmet.push('2.1')).field).toBe('communes[0].unmet[2]');
    expect(onlyProblem((i) => i.communes[2].unmet.push('')).field).toBe('communes[2].unmet[0]');
    // An empty id is refused; the actions on that commune then name an unlisted commune too.
    const input = structuredClone(base());
    input.communes[1]!.id = '';
    expect(allocationInputProblems(input).map((p) => p.field)).toEqual(['communes[1].id', 'actions[3].commune']);
    expect(onlyProblem((i) => (i.communes = 'A,B')).field).toBe('communes');
    expect(onlyProblem((i) => (i.actions = null)).field).toBe('actions');
  });

  it('needs a source with a pool on every action when the budget is by source', () => {
    const bySource = (i: Record<string, any>) => {
      i.budget = { province_budget: 50 * M, district_budget: 50 * M };
      i.actions.forEach((a: any) => (a.source = 'district_budget'));
    };
    let p = onlyProblem((i) => {
      bySource(i);
      delete i.actions[2].source;
    });
    expect(p.field).toBe('actions[2].source');
    expect(p.vi).toContain('Ngân sách được chia theo nguồn vốn nên hạng mục "a3" cần ghi nguồn vốn');
    expect(p.en).toContain('needs a source');
    p = onlyProblem((i) => {
      bySource(i);
      i.actions[1].source = 'credit';
    });
    expect(p.field).toBe('actions[1].source');
    expect(p.vi).toContain('Nguồn vốn "credit" của hạng mục "a2" không có trong ngân sách (các nguồn: province_budget, district_budget)');
    expect(p.en).toContain('has no pool in the budget');
    // With one pool, a source is optional but must be a known one.
    expect(onlyProblem((i) => (i.actions[0].source = 'lottery')).field).toBe('actions[0].source');
  });

  it.each([0, 0.05, 121, NaN, Infinity, '10'])('refuses timeLimitSeconds %s', (v) => {
    const p = onlyProblem((i) => (i.timeLimitSeconds = v));
    expect(p.field).toBe('timeLimitSeconds');
    expect(p.vi).toContain('Thời gian giới hạn phải từ 0,1 đến 120 giây');
    expect(p.en).toContain('between 0.1 and 120 seconds');
  });

  it('reports every problem at once, and assertNoProblems turns them into one validation_failed error', () => {
    const input = structuredClone(base()) as unknown as Record<string, any>;
    input.budget = -1;
    input.actions[0].cost = 0;
    input.actions[1].commune = 'nowhere';
    const fields = allocationInputProblems(input).map((p) => p.field);
    expect(fields).toEqual(['budget', 'actions[1].commune', 'actions[0].cost'].sort((a, b) => fields.indexOf(a) - fields.indexOf(b)));
    try {
      assertNoProblems(allocationInputProblems(input));
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('validation_failed');
      expect(isDomainError(e) && e.messageVi).toContain('(và 2 lỗi khác)');
    }
  });

  it('bounds the size of a request: communes, codes, actions per commune', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `${i}`);
    expect(onlyProblem((i) => (i.communes[1].unmet = many(201))).field).toBe('communes[1].unmet');
    const p = onlyProblem((i) => {
      i.actions = Array.from({ length: 1001 }, (_, k) => ({ id: `b${k}`, commune: 'B', cost: 1, closes: ['17.1'] }));
    });
    expect(p.field).toBe('actions[1000].commune');
    expect(p.vi).toContain('tối đa 1.000 hạng mục một xã');
  });

  it('never hangs: the largest commune allowed (200 codes, 1,000 actions of 20 codes): validation, greedy and model text in a few seconds at most', () => {
    const codes = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const input: AllocationInput = {
      budget: { province_budget: 5_000, community: 5_000 },
      communes: [{ id: 'X', unmet: codes }],
      actions: Array.from({ length: 1000 }, (_, k) => ({
        id: `a${k}`,
        commune: 'X',
        cost: 1 + ((k * 7919) % 97),
        closes: Array.from({ length: 20 }, (_, j) => codes[(k * 13 + j * 17) % 200]!).filter((c, j, all) => all.indexOf(c) === j),
        source: k % 2 ? 'province_budget' : 'community',
      })),
    };
    const started = performance.now();
    expect(allocationInputProblems(input)).toEqual([]);
    greedyAllocation(input);
    allocationModel(input);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('property: never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (budget, communes, actions) => {
        expect(Array.isArray(allocationInputProblems({ budget, communes, actions }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('plans: evaluation, feasibility, redundancy', () => {
  it('counts communes reaching (including those already there), indicators closed and cost', () => {
    const plan = evaluateAllocation(base(), ['b1', 'a1']);
    expect(plan).toEqual({ communesReaching: 2, indicatorsClosed: 2, cost: 80 * M, chosen: ['a1', 'b1'], reaching: ['B', 'C'] });
    expect(evaluateAllocation(base(), [])).toMatchObject({ communesReaching: 1, reaching: ['C'] });
  });
  it('checks pools exactly, in whole đồng', () => {
    expect(planFits(base(), ['a1', 'b1'])).toBe(true);
    expect(planFits(base(), ['a1', 'a2', 'b1'])).toBe(false);
    const big = { ...base(), budget: 9_007_199_254_740_000, actions: base().actions.map((a) => ({ ...a, cost: 4_503_599_627_370_000 })) };
    expect(planFits(big, ['a1', 'a2'])).toBe(true);
    expect(planFits({ ...big, budget: 9_007_199_254_739_999 }, ['a1', 'a2'])).toBe(false);
  });
  it('drops actions that close nothing new, most expensive first', () => {
    expect(withoutRedundantActions(base(), ['a1', 'a2', 'a3'])).toEqual(['a1', 'a2']);
    expect(withoutRedundantActions(base(), ['a1', 'a3'])).toEqual(['a3']);
  });
  it('orders plans lexicographically: communes, then indicators, then lower cost', () => {
    const p = (communesReaching: number, indicatorsClosed: number, cost: number) => ({ communesReaching, indicatorsClosed, cost });
    expect(comparePlans(p(2, 0, 100), p(1, 9, 1))).toBeGreaterThan(0);
    expect(comparePlans(p(1, 3, 100), p(1, 2, 1))).toBeGreaterThan(0);
    expect(comparePlans(p(1, 3, 5), p(1, 3, 6))).toBeGreaterThan(0);
    expect(comparePlans(p(1, 3, 5), p(1, 3, 5))).toBe(0);
  });
});

describe('greedy allocation', () => {
  it('completes the communes cheapest to complete first, then spends what is left on indicators per đồng', () => {
    // A costs 60 to complete (a3 alone beats a1 + a2 = 70), B costs 50: with 100, only B completes
    // (cheapest first), then a1 (1 code for 30) fits.
    const g = greedyAllocation(base());
    expect(g).toMatchObject({ chosen: ['a1', 'b1'], communesReaching: 2, indicatorsClosed: 2, cost: 80 * M });
    // With 110 both complete: B (50) then A by a3 (60).
    expect(greedyAllocation({ ...base(), budget: 110 * M })).toMatchObject({ chosen: ['a3', 'b1'], communesReaching: 3, indicatorsClosed: 3 });
  });

  it('can be beaten on indicators: step 3 is a ratio greedy, and a good ratio can use the money a better pair needed', () => {
    // No commune can reach (code 9 has no action); 10 đồng: q closes 1 code for 4 (0.25 per đồng),
    // p closes 2 for 10 (0.2 per đồng). Greedy takes q, then p no longer fits: 1 code against 2.
    const input: AllocationInput = {
      budget: 10,
      communes: [{ id: 'P', unmet: ['1', '2', '9'] }, { id: 'Q', unmet: ['1', '9'] }],
      actions: [
        { id: 'p', commune: 'P', cost: 10, closes: ['1', '2'] },
        { id: 'q', commune: 'Q', cost: 4, closes: ['1'] },
      ],
    };
    expect(greedyAllocation(input)).toMatchObject({ chosen: ['q'], indicatorsClosed: 1, communesReaching: 0 });
    expect(bruteForceAllocation(input)).toMatchObject({ chosen: ['p'], indicatorsClosed: 2, communesReaching: 0 });
  });

  it('with pools by source, leans on the pool with room', () => {
    const pools: AllocationInput = {
      budget: { province_budget: 50, district_budget: 50 },
      communes: [{ id: 'cheap', unmet: ['1'] }, { id: 'p', unmet: ['1'] }, { id: 'q', unmet: ['1'] }],
      actions: [
        { id: 'c', commune: 'cheap', cost: 45, closes: ['1'], source: 'province_budget' },
        { id: 'p', commune: 'p', cost: 50, closes: ['1'], source: 'province_budget' },
        { id: 'p2', commune: 'p', cost: 48, closes: ['1'], source: 'district_budget' },
        { id: 'q', commune: 'q', cost: 50, closes: ['1'], source: 'district_budget' },
      ],
    };
    // c takes the province pool; p's cheapest cover (p2, district) then fits; q no longer does.
    expect(greedyAllocation(pools)).toMatchObject({ chosen: ['c', 'p2'], communesReaching: 2, cost: 93 });
    expect(bruteForceAllocation(pools)).toMatchObject({ communesReaching: 2, cost: 93 });
  });

  it('property: always within every pool, never worse than choosing nothing, never better than the exhaustive optimum', () => {
    fc.assert(
      fc.property(smallInput(), (input) => {
        const g = greedyAllocation(input);
        expect(planFits(input, g.chosen)).toBe(true);
        expect(comparePlans(g, evaluateAllocation(input, []))).toBeGreaterThanOrEqual(0);
        expect(comparePlans(bruteForceAllocation(input), g)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });
});

describe('MIP model text', () => {
  it('has one binary per action, per closable (commune, code) and per commune that can reach; a budget row; exact weights', () => {
    const m = allocationModel(base());
    expect(m.columns.action).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(m.columns.indicator.map((z) => z.column)).toEqual(['z0_0', 'z0_1', 'z1_0']);
    expect(m.columns.commune.map((y) => y.column)).toEqual(['y0', 'y1']);
    expect(m.weights).toEqual({ reach: 2 * 3 + 2, indicator: 2, costDivisor: 180 * M + 1 });
    expect(m.alreadyReaching).toBe(1);
    expect(m.lp).toMatch(/^Maximize$/m);
    expect(m.lp).toMatch(/^Subject To$/m);
    expect(m.lp).toMatch(/^Binary$/m);
    expect(m.lp.trimEnd().endsWith('End')).toBe(true);
    expect(m.lp).toContain(' cz0_0:\n  + z0_0 - x0 - x2 <= 0');
    expect(m.lp).toContain(' cy0_1: y0 - z0_1 <= 0');
    // Costs in units of costUnit: 100 million đồng is below 10^6 units.
    expect(m.costUnit).toBe(1000);
    expect(m.lp).toContain(` budget0:\n  + 30000 x0 + 40000 x1 + 60000 x2 + 50000 x3 <= 100000`);
    expect(m.lp).toContain(' reach_count:\n  + y0 + y1 <= 1'); // A costs ≥ 60, B 50: only one fits in 100
  });

  it('one budget row per pool; codes no action closes get no variable, nor does their commune', () => {
    const input: AllocationInput = {
      budget: { province_budget: 100, community: 30 },
      communes: [{ id: 'A', unmet: ['1', '2'] }, { id: 'B', unmet: ['1'] }],
      actions: [
        { id: 'a', commune: 'A', cost: 10, closes: ['1'], source: 'province_budget' },
        { id: 'b', commune: 'B', cost: 20, closes: ['1'], source: 'community' },
      ],
    };
    const m = allocationModel(input);
    expect(m.columns.indicator.map((z) => z.column)).toEqual(['z0_0', 'z1_0']);
    expect(m.columns.commune.map((y) => y.column)).toEqual(['y1']);
    expect(m.lp).toContain(' budget0:\n  + 10 x0 <= 100');
    expect(m.lp).toContain(' budget1:\n  + 20 x1 <= 30');
  });

  it('the weights order plans exactly: objective order = lexicographic order, on every pair of subsets', () => {
    fc.assert(
      fc.property(smallInput(8), (input) => {
        const m = allocationModel(input);
        const obj = (ids: string[]) => {
          const p = evaluateAllocation(input, ids);
          return { p, v: m.weights.reach * (p.communesReaching - m.alreadyReaching) + m.weights.indicator * p.indicatorsClosed - p.cost / m.weights.costDivisor };
        };
        const ids = input.actions.map((a) => a.id);
        const subsets = Array.from({ length: 1 << ids.length }, (_, mask) => ids.filter((_, k) => mask & (1 << k))).slice(0, 64);
        const vals = subsets.map(obj);
        for (const a of vals) for (const b of vals) expect(Math.sign(a.v - b.v)).toBe(Math.sign(comparePlans(a.p, b.p)));
      }),
      { numRuns: 40 },
    );
  });

  it('the cost stage keeps the proven levels and minimises the cost in costUnits', () => {
    const input = base();
    const m = allocationModel(input);
    const lp = allocationCostModel(input, m, { communesReaching: 2, indicatorsClosed: 2 });
    expect(lp).toMatch(/^Minimize\n cost:\n  \+ 30000 x0 \+ 40000 x1 \+ 60000 x2 \+ 50000 x3$/m);
    expect(lp).toContain(' keep_reaching:\n  + y0 + y1 >= 1'); // 2 reaching, of which C already
    expect(lp).toContain(' keep_closed:\n  + z0_0 + z0_1 + z1_0 >= 2');
    expect(lp).toContain(m.constraints);
    expect(lp.trimEnd().endsWith('End')).toBe(true);
  });

  it('reads a solution back from x alone, and a plan turns into consistent column values', () => {
    const input = base();
    const m = allocationModel(input);
    const values = solutionOfPlan(input, m, ['a1', 'a2', 'b1']);
    expect(values.get('z0_0')).toBe(1);
    expect(values.get('y0')).toBe(1);
    // y and z are recomputed from x: a solver's z and y are never trusted; x > 0.5 is chosen and
    // redundant actions are dropped (the most expensive first: a3 here).
    const back = planFromSolution(input, m, new Map([...values, ['x2', 0.9999999], ['y1', 0], ['z0_0', 0]]));
    expect(back).toMatchObject({ chosen: ['a1', 'a2', 'b1'], communesReaching: 3, indicatorsClosed: 3, cost: 120 * M });
    expect(planFromSolution(input, m, new Map([['x2', 1], ['x3', 0.4]]))).toMatchObject({ chosen: ['a3'], communesReaching: 2, reaching: ['A', 'C'] });
  });
});

describe('summary and comparison', () => {
  const plan = { communesReaching: 5, indicatorsClosed: 40, cost: 1_130_000_000, chosen: Array.from({ length: 14 }, (_, i) => `a${i}`), reaching: [] };
  const greedy = { ...plan, communesReaching: 3, indicatorsClosed: 37, cost: 1_200_000_000 };
  it('says what is chosen and what is left, in triệu đồng with Vietnamese separators', () => {
    const w = allocationSummary(plan, greedy, { budget: 1_250_000_000, proven: true, gap: 0, timeLimitSeconds: 10 });
    expect(w.summary.vi).toBe('Chọn 14 hạng mục, 5 xã đạt chuẩn, khép 40 chỉ tiêu; kinh phí 1.130 triệu đồng, còn dư 120 triệu đồng.');
    expect(w.summary.en).toBe('14 actions chosen, 5 communes reach their target, 40 indicators closed; cost 1,130 million VND, 120 million VND left.');
    expect(w.comparison.vi).toBe('Phương án tối ưu hơn phương án tham lam 2 xã đạt chuẩn (5 so với 3).');
    expect(w.comparison.en).toContain('2 more communes');
    expect(w.note).toBeNull();
  });
  it('compares on indicators, then cost, when the communes are the same', () => {
    expect(allocationSummary(plan, { ...plan, indicatorsClosed: 37 }, { budget: 2e9, proven: true, gap: 0, timeLimitSeconds: 10 }).comparison.vi).toBe(
      'Cùng số xã đạt chuẩn như phương án tham lam (5); phương án tối ưu khép thêm 3 chỉ tiêu (40 so với 37).',
    );
    expect(allocationSummary(plan, { ...plan, cost: 1_202_500_000 }, { budget: 2e9, proven: true, gap: 0, timeLimitSeconds: 10 }).comparison.vi).toBe(
      'Cùng kết quả như phương án tham lam (5 xã, 40 chỉ tiêu) nhưng tiết kiệm hơn 72,5 triệu đồng.',
    );
    expect(allocationSummary(plan, plan, { budget: 2e9, proven: true, gap: 0, timeLimitSeconds: 10 }).comparison.en).toContain('The greedy plan achieves the same');
  });
  it('a time-limited plan says it is the best found, not proven, with the gap', () => {
    const w = allocationSummary(plan, greedy, { budget: 2e9, proven: false, gap: 0.0123, timeLimitSeconds: 0.5, reason: 'time_limit' });
    expect(w.note!.vi).toBe('Bộ giải dừng khi hết thời gian giới hạn (0,5 giây): đây là phương án tốt nhất tìm được, chưa được chứng minh là tối ưu (khoảng cách tương đối tới cận trên 1,2%).');
    expect(w.note!.en).toContain('not proven optimal (relative gap to the bound 1.2%)');
    expect(w.comparison.vi.startsWith('Phương án chọn hơn')).toBe(true);
    expect(allocationSummary(plan, plan, { budget: 2e9, proven: false, gap: Infinity, timeLimitSeconds: 1, reason: 'solver_failed' }).note!.en).toContain('no bound is known');
  });
});

/** Small random inputs (≤ `maxActions` actions, 2–4 communes, sometimes two pools). */
function smallInput(maxActions = 10): fc.Arbitrary<AllocationInput> {
  return fc
    .record({
      unmet: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 4 }),
      acts: fc.array(fc.record({ c: fc.nat(), codes: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), cost: fc.integer({ min: 1, max: 40 }), pool: fc.boolean() }), { maxLength: maxActions }),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      byPool: fc.boolean(),
    })
    .map(({ unmet, acts, share, byPool }) => {
      const communes = unmet.map((n, i) => ({ id: `C${i}`, unmet: Array.from({ length: n }, (_, j) => `${j + 1}.1`) }));
      const open = communes.filter((c) => c.unmet.length > 0);
      const actions = open.length === 0 ? [] : acts.map((a, k) => {
        const c = open[a.c % open.length]!;
        const closes = [...new Set(a.codes.map((x) => c.unmet[x % c.unmet.length]!))];
        return { id: `a${k}`, commune: c.id, cost: a.cost, closes, source: a.pool ? 'province_budget' : 'community' };
      });
      const total = Math.max(1, actions.reduce((s, a) => s + a.cost, 0));
      const budget = Math.max(1, Math.round(total * share));
      return {
        budget: byPool ? { province_budget: Math.max(1, Math.round(budget * 0.6)), community: Math.max(1, budget - Math.round(budget * 0.6)) } : budget,
        communes,
        actions,
      };
    });
}
