/**
 * Ưu tiên đầu tư — what to do first. Each indicator still to go gets an estimated cost and time to
 * close: from the commune's action plan where it has open actions on that indicator, otherwise from
 * the province's default for that indicator (editable, with who set it and when), otherwise
 * unknown — never invented. Then a ranking for one of two goals, each item explained in one sentence:
 * - `cheapest`: whole criteria in order of what it costs to complete them (a criterion counts only
 *   once all its indicators are met), so every đồng spent adds a met criterion as early as possible;
 * - `soonest`: the longest lead times first — they decide when the level can be reached, so they
 *   must start first; the level is reachable at the latest of them (work in parallel).
 * Indicators that cannot be evaluated (no value, no threshold) come last: money does not fix them.
 */
import type { BilingualMessage } from '../errors.ts';
import { daysUntil, formatDateVi } from '../dates.ts';
import { formatMillion } from '../funding.ts';
import { addCalendarDays } from '../working-days.ts';
import type { CommuneGap, IndicatorGap } from './gaps.ts';

export type PriorityGoal = 'cheapest' | 'soonest';
export const PRIORITY_GOALS: readonly PriorityGoal[] = ['cheapest', 'soonest'];

/** Where an estimate comes from. */
export type EstimateSource = 'plan' | 'default' | 'unknown';

/** Chi phí, thời gian ước tính to close one indicator. */
export interface CostEstimate {
  code: string;
  /** Whole đồng; null when unknown. */
  cost: number | null;
  /** Calendar days from the analysis date; null when unknown. */
  days: number | null;
  source: EstimateSource;
  /** Action plan items behind a `plan` estimate. */
  actionIds: number[];
  /** Who set a `default` estimate and when. */
  setBy: string | null;
  setAt: string | null;
}

/** Default cost and time for an indicator, kept per province (and set). */
export interface CostDefault {
  code: string;
  cost: number | null;
  days: number | null;
  setBy: string;
  setAt: string;
}

/** An open action of the commune's plan on one indicator. */
export interface PlanActionEstimate {
  id: number;
  code: string;
  cost: number | null;
  targetOn: string | null;
}

/** 120_000_000 → "120 triệu đồng" / "120 million đồng". */
export function millionText(dong: number, lang: 'vi' | 'en'): string {
  return `${formatMillion(dong, lang)} ${lang === 'vi' ? 'triệu đồng' : 'million đồng'}`;
}

/**
 * The estimate of each indicator: all open plan actions on it when every one has a cost (their
 * sum; time to the latest target date), else the province default, else unknown.
 */
export function estimateCosts(codes: readonly string[], actions: readonly PlanActionEstimate[], defaults: ReadonlyMap<string, CostDefault>, date: string): Map<string, CostEstimate> {
  const out = new Map<string, CostEstimate>();
  for (const code of codes) {
    const mine = actions.filter((a) => a.code === code);
    if (mine.length > 0 && mine.every((a) => a.cost !== null && a.cost > 0)) {
      const dates = mine.map((a) => a.targetOn).filter((d): d is string => d !== null);
      const last = dates.length === mine.length ? dates.sort().at(-1)! : null;
      out.set(code, { code, cost: mine.reduce((n, a) => n + a.cost!, 0), days: last ? Math.max(0, daysUntil(last, date)) : null, source: 'plan', actionIds: mine.map((a) => a.id), setBy: null, setAt: null });
      continue;
    }
    const d = defaults.get(code);
    if (d && (d.cost !== null || d.days !== null)) {
      out.set(code, { code, cost: d.cost, days: d.days, source: 'default', actionIds: [], setBy: d.setBy, setAt: d.setAt });
      continue;
    }
    out.set(code, { code, cost: null, days: null, source: 'unknown', actionIds: [], setBy: null, setAt: null });
  }
  return out;
}

/** Một việc ưu tiên — one indicator in the order to do it, with why. */
export interface PriorityItem {
  rank: number;
  criterion: string;
  criterionName: string;
  code: string;
  name: string;
  status: IndicatorGap['status'];
  gap: number | null;
  gapShare: number | null;
  estimate: CostEstimate;
  why: BilingualMessage;
}

export interface PriorityPlan {
  commune: { id: string; name: string };
  goal: PriorityGoal;
  date: string;
  items: PriorityItem[];
  /** Sum of the known costs. */
  knownCost: number;
  /** Indicators without a cost estimate (the total is then a lower bound). */
  unknownCost: number;
  /** Latest of the known times: when the level is reachable if all start now (null: none known). */
  reachableOn: string | null;
  sentence: BilingualMessage;
}

const SOURCE_VI: Record<EstimateSource, string> = { plan: 'theo kế hoạch hành động của xã', default: 'theo mức mặc định của tỉnh', unknown: 'chưa có ước tính' };
const SOURCE_EN: Record<EstimateSource, string> = { plan: "from the commune's action plan", default: "from the province's default", unknown: 'no estimate yet' };

function costText(e: CostEstimate, lang: 'vi' | 'en'): string {
  if (e.cost === null) return lang === 'vi' ? 'chưa có chi phí ước tính' : 'no cost estimate';
  return lang === 'vi' ? `chi phí ước ${millionText(e.cost, 'vi')} (${SOURCE_VI[e.source]})` : `estimated cost ${millionText(e.cost, 'en')} (${SOURCE_EN[e.source]})`;
}

function daysText(e: CostEstimate, lang: 'vi' | 'en'): string {
  if (e.days === null) return lang === 'vi' ? 'chưa rõ thời gian' : 'time unknown';
  return lang === 'vi' ? `khoảng ${e.days} ngày (${SOURCE_VI[e.source]})` : `about ${e.days} days (${SOURCE_EN[e.source]})`;
}

/** Rank what to do first for `goal`; each item says why in one sentence. */
export function prioritise(gap: CommuneGap, estimates: ReadonlyMap<string, CostEstimate>, goal: PriorityGoal, date: string): PriorityPlan {
  const est = (u: IndicatorGap): CostEstimate => estimates.get(u.code) ?? { code: u.code, cost: null, days: null, source: 'unknown', actionIds: [], setBy: null, setAt: null };
  const fixable = gap.unmet.filter((u) => u.status === 'not_met');
  const pending = gap.unmet.filter((u) => u.status === 'not_evaluable');
  const ordered: Array<{ u: IndicatorGap; why: BilingualMessage }> = [];

  if (goal === 'cheapest') {
    const byCriterion = new Map<string, IndicatorGap[]>();
    for (const u of fixable) byCriterion.set(u.criterion, [...(byCriterion.get(u.criterion) ?? []), u]);
    const criterionCost = (list: IndicatorGap[]) => (list.some((u) => est(u).cost === null) ? Infinity : list.reduce((n, u) => n + est(u).cost!, 0));
    const groups = [...byCriterion.values()].sort((a, b) => criterionCost(a) - criterionCost(b) || a.length - b.length || Number(b[0]!.critical) - Number(a[0]!.critical));
    groups.forEach((list, k) => {
      const total = criterionCost(list);
      const c = list[0]!;
      const sorted = [...list].sort((a, b) => (est(a).cost ?? Infinity) - (est(b).cost ?? Infinity));
      for (const u of sorted) {
        const e = est(u);
        const whole =
          total === Infinity
            ? { vi: 'chưa tính được chi phí cả tiêu chí', en: "the criterion's cost cannot be totalled yet" }
            : { vi: `cả tiêu chí cần ${millionText(total, 'vi')}`, en: `the whole criterion needs ${millionText(total, 'en')}` };
        const place =
          k === 0 && total !== Infinity
            ? { vi: 'rẻ nhất để thêm một tiêu chí đạt', en: 'the cheapest way to add a met criterion' }
            : { vi: `tiêu chí rẻ thứ ${k + 1} để hoàn thành`, en: `criterion number ${k + 1} by cost to complete` };
        ordered.push({
          u,
          why: {
            vi: `Tiêu chí ${c.criterion} (${c.criterionName}) còn ${list.length} chỉ tiêu, ${whole.vi}: ${place.vi}; chỉ tiêu này ${costText(e, 'vi')}.`,
            en: `Criterion ${c.criterion} (${c.criterionName}) has ${list.length} indicator${list.length === 1 ? '' : 's'} to go, ${whole.en}: ${place.en}; this indicator: ${costText(e, 'en')}.`,
          },
        });
      }
    });
  } else {
    const sorted = [...fixable].sort((a, b) => (est(b).days ?? -1) - (est(a).days ?? -1) || (est(a).cost ?? Infinity) - (est(b).cost ?? Infinity));
    sorted.forEach((u, k) => {
      const e = est(u);
      const lead =
        e.days === null
          ? { vi: 'chưa rõ thời gian nên xếp sau các việc đã ước tính', en: 'no time estimate, so after the estimated ones' }
          : k === 0
            ? { vi: 'lâu nhất trong các việc còn lại: bắt đầu trước để đạt sớm nhất', en: 'the longest of what is left: start it first to get there soonest' }
            : { vi: `lâu thứ ${k + 1}: bắt đầu song song`, en: `number ${k + 1} by lead time: start in parallel` };
      ordered.push({ u, why: { vi: `Chỉ tiêu ${u.code} cần ${daysText(e, 'vi')}: ${lead.vi}.`, en: `Indicator ${u.code} needs ${daysText(e, 'en')}: ${lead.en}.` } });
    });
  }
  for (const u of pending) {
    ordered.push({
      u,
      why: {
        vi: `Chỉ tiêu ${u.code} chưa đánh giá được (${u.reason.vi.replace(/\.$/, '')}): cần bổ sung số liệu hoặc ngưỡng trước khi đầu tư.`,
        en: `Indicator ${u.code} cannot be evaluated (${u.reason.en.replace(/\.$/, '')}): supply the value or threshold before investing.`,
      },
    });
  }

  const items: PriorityItem[] = ordered.map(({ u, why }, k) => ({
    rank: k + 1,
    criterion: u.criterion,
    criterionName: u.criterionName,
    code: u.code,
    name: u.name,
    status: u.status,
    gap: u.gap,
    gapShare: u.gapShare,
    estimate: est(u),
    why,
  }));
  const knownCost = fixable.reduce((n, u) => n + (est(u).cost ?? 0), 0);
  const unknownCost = fixable.filter((u) => est(u).cost === null).length;
  const days = fixable.map((u) => est(u).days).filter((d): d is number => d !== null);
  const reachableOn = days.length && fixable.every((u) => est(u).days !== null) && pending.length === 0 ? addCalendarDays(date, Math.max(...days)) : null;
  return { commune: { id: gap.id, name: gap.name }, goal, date, items, knownCost, unknownCost, reachableOn, sentence: planSentence(gap, fixable.length, knownCost, unknownCost, reachableOn, pending.length) };
}

function planSentence(gap: CommuneGap, fixable: number, knownCost: number, unknownCost: number, reachableOn: string | null, pending: number): BilingualMessage {
  if (gap.nextLevel === null) return gap.sentence;
  const costVi = unknownCost > 0 ? `ít nhất ${millionText(knownCost, 'vi')} (${unknownCost} chỉ tiêu chưa có chi phí ước tính)` : millionText(knownCost, 'vi');
  const costEn = unknownCost > 0 ? `at least ${millionText(knownCost, 'en')} (${unknownCost} indicator${unknownCost === 1 ? '' : 's'} without an estimate)` : millionText(knownCost, 'en');
  const whenVi = reachableOn ? `; có thể đạt vào khoảng ${formatDateVi(reachableOn)} nếu triển khai song song ngay` : '';
  const whenEn = reachableOn ? `; reachable around ${reachableOn} if all start now in parallel` : '';
  const pendVi = pending > 0 ? `; ${pending} chỉ tiêu chờ số liệu hoặc ngưỡng` : '';
  const pendEn = pending > 0 ? `; ${pending} waiting for a value or threshold` : '';
  return {
    vi: `${gap.name}: ${fixable} chỉ tiêu cần đầu tư, ${costVi}${whenVi}${pendVi}.`,
    en: `${gap.name}: ${fixable} indicator${fixable === 1 ? '' : 's'} to invest in, ${costEn}${whenEn}${pendEn}.`,
  };
}
