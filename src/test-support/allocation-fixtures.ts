/**
 * A hand-made allocation of huyện Bình Lục (demo communes, costs of the order the plans carry) for
 * the tests of the allocation files: the result is computed by the pure domain functions (the
 * exhaustive search stands in for the MIP solver, the greedy plan is the real one), so the
 * sentences are the ones the service would write.
 */
import { BRUTE_FORCE_MAX_ACTIONS, allocationSummary, bruteForceAllocation, greedyAllocation, totalBudget, type AllocationInput, type AllocationResult } from '../domain/planning/allocation.ts';
import type { CandidateAction, LeftOut, UnitAllocation } from '../services/planning.service.ts';

const M = 1_000_000;

interface CommuneSpec {
  id: string;
  name: string;
  unmet: string[];
  funded?: string[];
  actions: Array<{ code: string; cost: number; name?: string; targetOn?: string; source?: 'plan' | 'default' }>;
}

const COMMUNES: CommuneSpec[] = [
  {
    id: '13510@2025-03',
    name: 'Tràng An',
    unmet: ['5.1', '8.1'],
    actions: [
      { code: '5.1', cost: 1_200 * M, name: 'Xây dựng 04 phòng học Trường Tiểu học Tràng An', targetOn: '2023-10-31' },
      { code: '8.1', cost: 350 * M, name: 'Nâng cấp điểm phục vụ bưu chính xã', targetOn: '2023-08-31' },
    ],
  },
  {
    id: '13513@2025-03',
    name: 'Bình Nghĩa',
    unmet: ['2.1', '13.2', '17.4'],
    funded: ['6.2'],
    actions: [
      { code: '2.1', cost: 2_150 * M, name: 'Cứng hóa 2,4 km đường trục thôn Đồng Quan, thôn Thượng', targetOn: '2023-11-30' },
      { code: '13.2', cost: 180 * M, name: 'Thành lập và hỗ trợ hợp tác xã dịch vụ nông nghiệp', targetOn: '2023-09-30' },
      { code: '17.4', cost: 620 * M, source: 'default', targetOn: '2023-12-15' },
    ],
  },
  {
    id: '13516@2025-03',
    name: 'Đồng Du',
    unmet: ['3.2', '9.1'],
    actions: [
      { code: '3.2', cost: 1_480 * M, name: 'Kiên cố hóa 1,8 km kênh mương nội đồng', targetOn: '2023-12-20' },
      { code: '9.1', cost: 95 * M, name: 'Hỗ trợ xóa 03 nhà tạm, nhà dột nát', targetOn: '2023-07-31' },
    ],
  },
  {
    id: '13519@2025-03',
    name: 'Tiêu Động',
    unmet: ['6.1', '14.3'],
    actions: [
      { code: '6.1', cost: 2_900 * M, name: 'Xây dựng nhà văn hóa xã và khu thể thao xã', targetOn: '2023-12-31' },
      { code: '14.3', cost: 140 * M, source: 'default', targetOn: '2023-10-15' },
    ],
  },
  {
    id: '13522@2025-03',
    name: 'An Lão',
    unmet: ['7.1'],
    actions: [{ code: '7.1', cost: 760 * M, name: 'Cải tạo chợ nông thôn An Lão đạt chuẩn', targetOn: '2023-11-15' }],
  },
];

/** The candidate actions of the communes (plan items and province defaults). */
function candidatesOf(specs: readonly CommuneSpec[]): CandidateAction[] {
  let item = 400;
  return specs.flatMap((c) =>
    c.actions.map((a) => {
      const source = a.source ?? 'plan';
      const planItemId = source === 'plan' ? ++item : null;
      return {
        id: source === 'plan' ? `plan:${planItemId}` : `default:${c.id}:${a.code}`,
        commune: c.id,
        communeName: c.name,
        closes: [a.code],
        cost: a.cost,
        source,
        name: a.name ?? 'Theo chi phí mặc định của tỉnh',
        planItemId,
        targetOn: a.targetOn ?? null,
      };
    }),
  );
}

const LEFT_OUT: LeftOut[] = [
  {
    commune: '13525@2025-03',
    communeName: 'Bối Cầu',
    code: null,
    reason: { vi: '2 chỉ tiêu chưa đánh giá được (thiếu số liệu hoặc ngưỡng): không thể đạt chuẩn chỉ bằng kinh phí.', en: '2 indicator(s) cannot be evaluated (no value or threshold): money alone cannot get it there.' },
  },
  { commune: '13519@2025-03', communeName: 'Tiêu Động', code: '19.2', reason: { vi: 'Chỉ tiêu 19.2: chưa có giải pháp trong kế hoạch và chưa có chi phí mặc định của tỉnh.', en: 'Indicator 19.2: no planned action and no province default cost.' } },
  { commune: '13522@2025-03', communeName: 'An Lão', code: '15.1', reason: { vi: 'Giải pháp "Nâng cấp trạm y tế xã" dự kiến xong 30/06/2024, sau thời hạn.', en: 'Action "Nâng cấp trạm y tế xã" is due 2024-06-30, after the deadline.' } },
];

/** The result as the service builds it, from the exhaustive search (in place of the MIP) and greedy. */
export function resultOf(input: AllocationInput, proven = true): AllocationResult {
  const greedy = greedyAllocation(input);
  // Too many actions for the exhaustive search: greedy stands in (the words say "the same").
  const plan = input.actions.length <= BRUTE_FORCE_MAX_ACTIONS ? bruteForceAllocation(input) : greedy;
  const budget = totalBudget(input);
  return {
    status: proven ? 'optimal' : 'feasible',
    gap: proven ? 0 : 0.0042,
    ...plan,
    budget,
    remaining: budget - plan.cost,
    greedy,
    solveMs: 12,
    greedyMs: 1,
    ...allocationSummary(plan, greedy, { budget, proven, gap: proven ? 0 : 0.0042, timeLimitSeconds: 10, reason: proven ? null : 'time_limit' }),
  };
}

/**
 * Huyện Bình Lục on 20/03/2023 with `budget` đồng (default 5 tỷ), deadline 31/12/2023; `extra`
 * communes (each with one action) make the table longer than a page holds; `unproven`: the solver
 * stopped at its time limit (the result carries its note).
 */
export function binhLucAllocation(opts: { budget?: number; extra?: number; fixed?: Record<string, string[]>; unproven?: boolean } = {}): UnitAllocation {
  const specs = [...COMMUNES];
  for (let k = 0; k < (opts.extra ?? 0); k++) {
    specs.push({ id: `136${String(k).padStart(2, '0')}@2025-03`, name: `Thượng Nông Hòa ${k + 1}`, unmet: ['4.1'], actions: [{ code: '4.1', cost: (100 + 10 * k) * M, name: `Cải tạo trạm biến áp thôn ${k + 1} và 0,5 km đường dây hạ thế`, targetOn: '2023-09-30' }] });
  }
  const candidates = candidatesOf(specs);
  const fixed = opts.fixed ?? {};
  const done = (commune: string, code: string) => fixed[commune]?.includes(code) ?? false;
  const input: AllocationInput = {
    budget: opts.budget ?? 5_000 * M,
    communes: specs.map((c) => ({ id: c.id, name: c.name, unmet: c.unmet.filter((u) => !done(c.id, u)) })),
    actions: candidates
      .map((c) => ({ id: c.id, commune: c.commune, cost: c.cost, closes: c.closes.filter((u) => !done(c.commune, u)), name: c.name }))
      .filter((a) => a.closes.length > 0),
  };
  return {
    unit: { id: '352@2025-03', name: 'Huyện Bình Lục' },
    date: '2023-03-20',
    deadline: '2023-12-31',
    budget: typeof input.budget === 'number' ? input.budget : 0,
    input,
    result: resultOf(input, !opts.unproven),
    candidates,
    communes: [
      ...specs.map((c) => ({ id: c.id, name: c.name, nextLevel: 'nang-cao', unmet: c.unmet, pending: 0, fundedCodes: c.funded ?? [], inAllocation: true })),
      { id: '13525@2025-03', name: 'Bối Cầu', nextLevel: 'nang-cao', unmet: ['11.2'], pending: 2, fundedCodes: [], inAllocation: false },
    ],
    leftOut: LEFT_OUT,
  };
}
