/**
 * Hỗ trợ ra quyết định — decision support (issue 15): where each commune stands against the next
 * level (gap analysis), what to do first (priorities with estimated costs and times), the
 * province's default costs per indicator, and a budget allocation built from the action plans.
 * The arithmetic is pure (src/domain/planning); this file reads what it needs and authorises.
 */
import type { Db } from '../db/database.ts';
import * as planRepo from '../db/action-plan.repository.ts';
import * as repo from '../db/planning.repository.ts';
import { latestSubmittedReviews } from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
import { DomainError, notFound, versionConflict, type BilingualMessage } from '../domain/errors.ts';
import { assertNoProblems, problem, type FieldProblem } from '../domain/field-error.ts';
import { formatDateVi, isIsoDate } from '../domain/dates.ts';
import { addCalendarDays } from '../domain/working-days.ts';
import { communeGap, nearlyThere, nearlyThereLine, rankByCloseness, type CommuneGap } from '../domain/planning/gaps.ts';
import { estimateCosts, millionText, prioritise, type CostDefault, type PlanActionEstimate, type PriorityGoal, type PriorityPlan } from '../domain/planning/priorities.ts';
import type { AllocationInput, AllocationResult } from '../domain/planning/allocation.ts';
import type { CandidateAction, LeftOut, UnitAllocation } from '../domain/planning/unit-allocation.ts';

export type { CandidateAction, LeftOut, UnitAllocation };
import { allocate } from './allocation.service.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { verdictsOf } from './evaluation.service.ts';
import { getUnit, listCommunesUnder, type UnitDetail } from './unit.service.ts';
import { RURAL_COMMUNE_TYPE } from './summary.service.ts';
import { readableMeeting } from './meeting.service.ts';

// ── Gap analysis ──────────────────────────────────────────────────────────────────────────────

export interface GapAnalysis {
  unit: { id: string; name: string; fullName: string; level: string };
  date: string;
  /** Ranked by closeness to the next level (closest first; those already there last). */
  communes: CommuneGap[];
  /** Communes of the unit on the date (the denominator): rural communes (xã). */
  denominator: number;
  notReviewed: Array<{ id: string; name: string }>;
  /** Ids of the "gần đạt chuẩn" communes (≤ 2 criteria to go, nothing pending). */
  nearlyThere: string[];
  nearlyThereLine: BilingualMessage;
}

function checkDateField(field: string, d: string, label: { vi: string; en: string }): FieldProblem[] {
  return isIsoDate(d) ? [] : [problem(field, `${label.vi} "${d}" không hợp lệ (dạng yyyy-mm-dd).`, `${label.en} "${d}" is not a valid date (yyyy-mm-dd).`)];
}

async function communesOf(db: Db, unit: UnitDetail, date: string): Promise<Array<{ id: string; name: string; parentName: string | null }>> {
  if (unit.level === 'commune') return [{ id: unit.id, name: unit.name, parentName: unit.parents[0]?.fullName ?? null }];
  return (await listCommunesUnder(db.kysely, unit.id, date)).filter((c) => c.type === RURAL_COMMUNE_TYPE).map((c) => ({ id: c.id, name: c.name, parentName: c.parentName }));
}

/** Every commune under `unitId` (or the commune itself) against the level of its set on `date`. */
export async function getGapAnalysis(db: Db, actor: Actor, unitId: string, date: string): Promise<GapAnalysis> {
  assertNoProblems(checkDateField('date', date, { vi: 'Ngày', en: 'Date' }));
  await authorize(db, actor, 'summary.read', unitId);
  const unit = await getUnit(db.kysely, unitId);
  const communes = await communesOf(db, unit, date);
  const latest = await latestSubmittedReviews(
    db.kysely,
    communes.map((c) => c.id),
    date,
  );
  const verdicts = await verdictsOf(
    db.kysely,
    latest.map((r) => ({ id: r.review_id, version: r.version, set_id: r.set_id, reviewed_on: r.reviewed_on })),
  );
  const byUnit = new Map(latest.map((r) => [r.unit_id, r]));
  const catalog = getCatalog();
  const gaps: CommuneGap[] = [];
  const notReviewed: GapAnalysis['notReviewed'] = [];
  for (const c of communes) {
    const r = byUnit.get(c.id);
    const v = r ? verdicts.get(r.review_id) : undefined;
    if (!r || !v) {
      notReviewed.push({ id: c.id, name: c.name });
      continue;
    }
    gaps.push(communeGap(v, { id: c.id, name: c.name, parentName: c.parentName, reviewId: r.review_id, setName: catalog.get(r.set_id).name }));
  }
  const ranked = rankByCloseness(gaps);
  const near = nearlyThere(ranked);
  return {
    unit: { id: unit.id, name: unit.name, fullName: unit.fullName, level: unit.level },
    date,
    communes: ranked,
    denominator: communes.length,
    notReviewed,
    nearlyThere: near.map((g) => g.id),
    nearlyThereLine: nearlyThereLine(near.length, communes.length),
  };
}

// ── Default costs per province ────────────────────────────────────────────────────────────────

const DEFAULT_ENTITY = { vi: 'Chi phí mặc định', en: 'default cost' };

export interface CostDefaultView {
  code: string;
  name: string;
  criterion: string;
  criterionName: string;
  unit: string | null;
  /** Whole đồng; null when not set. */
  cost: number | null;
  days: number | null;
  note: string | null;
  /** Null when no default is set for the indicator. */
  setBy: string | null;
  setAt: string | null;
  version: number | null;
}

export interface CostDefaults {
  province: { id: string; name: string };
  set: { id: string; name: string };
  items: CostDefaultView[];
  /** Indicators with a default / all indicators of the set. */
  filled: number;
  total: number;
}

function provinceIdOf(unit: UnitDetail): string {
  if (unit.level === 'province') return unit.id;
  if (unit.provinceId) return unit.provinceId;
  throw new DomainError('validation_failed', { vi: `${unit.fullName} không thuộc tỉnh nào.`, en: `${unit.fullName} belongs to no province.` }, { fields: [{ field: 'provinceId' }] });
}

/**
 * The province whose defaults apply to a unit: its province, or — for a unit of the list before
 * 1/7/2025 — the province that province was merged into, since that office keeps the defaults now
 * (Hà Nam's communes of 2023 take Ninh Bình's). History stays readable under the new units.
 */
async function provinceOf(db: Db, unit: UnitDetail): Promise<UnitDetail> {
  let province = await getUnit(db.kysely, provinceIdOf(unit));
  for (let hop = 0; hop < 3 && province.validTo !== null; hop++) {
    const next = province.successors.find((s) => s.level === 'province');
    if (!next) break;
    province = await getUnit(db.kysely, next.id);
  }
  return province;
}

function setOrError(setId: string): CriteriaSet {
  const catalog = getCatalog();
  if (!catalog.has(setId)) throw notFound('bộ tiêu chí', 'Criteria set', setId);
  return catalog.get(setId);
}

function defaultsMap(rows: Awaited<ReturnType<typeof repo.listCostDefaults>>): Map<string, CostDefault> {
  return new Map(rows.map((r) => [r.indicator_code, { code: r.indicator_code, cost: r.cost === null ? null : Number(r.cost), days: r.days, setBy: r.updated_by, setAt: r.updated_at }]));
}

/** The province's default cost and time of every indicator of a set (unset ones included, as null). */
export async function listCostDefaults(db: Db, actor: Actor, provinceId: string, setId: string): Promise<CostDefaults> {
  await authorize(db, actor, 'plan.read', provinceId);
  const province = await provinceOf(db, await getUnit(db.kysely, provinceId));
  const pid = province.id;
  const set = setOrError(setId);
  const rows = new Map((await repo.listCostDefaults(db.kysely, pid, set.id)).map((r) => [r.indicator_code, r]));
  const items: CostDefaultView[] = set.criteria.flatMap((c) =>
    c.indicators.map((i) => {
      const r = rows.get(i.code);
      return {
        code: i.code,
        name: i.name,
        criterion: c.code,
        criterionName: c.name,
        unit: i.unit ?? null,
        cost: r?.cost === null || r === undefined ? null : Number(r.cost),
        days: r?.days ?? null,
        note: r?.note ?? null,
        setBy: r?.updated_by ?? null,
        setAt: r?.updated_at ?? null,
        version: r?.version ?? null,
      };
    }),
  );
  return { province: { id: province.id, name: province.fullName }, set: { id: set.id, name: set.name }, items, filled: items.filter((i) => i.version !== null).length, total: items.length };
}

export interface CostDefaultInput {
  provinceId: string;
  setId: string;
  code: string;
  /** Whole đồng, > 0; null to leave unknown. */
  cost: number | null;
  /** Calendar days, 1…3650; null to leave unknown. */
  days: number | null;
  note?: string | null;
  /** The version being changed; absent when creating. */
  version?: number;
}

export function costDefaultProblems(input: Pick<CostDefaultInput, 'cost' | 'days' | 'note'>): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (input.cost !== null && (!Number.isSafeInteger(input.cost) || input.cost <= 0)) {
    out.push(problem('cost', `Chi phí phải là số đồng nguyên dương (nhận ${input.cost}).`, `The cost must be a positive whole number of đồng (got ${input.cost}).`));
  }
  if (input.days !== null && (!Number.isInteger(input.days) || input.days < 1 || input.days > 3650)) {
    out.push(problem('days', `Thời gian phải là số ngày nguyên từ 1 đến 3.650 (nhận ${input.days}).`, `The time must be a whole number of days from 1 to 3,650 (got ${input.days}).`));
  }
  if (input.cost === null && input.days === null) {
    out.push(problem('cost', 'Cần ít nhất chi phí hoặc thời gian; để xóa mức mặc định hãy dùng lệnh xóa.', 'Give a cost or a time at least; to remove a default, delete it.'));
  }
  if (input.note && input.note.length > 500) out.push(problem('note', 'Ghi chú dài quá 500 ký tự.', 'The note is longer than 500 characters.'));
  return out;
}

/** Set (create or change) a province's default for one indicator of a set. Audited; optimistic. */
export async function setCostDefault(db: Db, actor: Actor, input: CostDefaultInput): Promise<CostDefaultView> {
  const pid = (await provinceOf(db, await getUnit(db.kysely, input.provinceId))).id;
  await authorize(db, actor, 'plan.defaults.write', pid);
  const set = setOrError(input.setId);
  const criterion = set.criteria.find((c) => c.indicators.some((i) => i.code === input.code));
  const problems = costDefaultProblems(input);
  if (!criterion) problems.unshift(problem('code', `Bộ "${set.name}" không có chỉ tiêu ${input.code}.`, `Set "${set.id}" has no indicator ${input.code}.`));
  assertNoProblems(problems);
  const at = new Date().toISOString();
  const key = { provinceId: pid, setId: set.id, code: input.code };
  await db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findCostDefault(trx, pid, set.id, input.code);
    if (before) {
      if (input.version === undefined || input.version !== before.version) throw versionConflict(DEFAULT_ENTITY, before.version, input.version ?? 0);
      if (!(await repo.updateCostDefault(trx, key, before.version, { cost: input.cost, days: input.days, note: input.note ?? null, updated_at: at, updated_by: actor.id }))) {
        throw versionConflict(DEFAULT_ENTITY, before.version + 1, before.version);
      }
    } else {
      if (input.version !== undefined && input.version !== 0) throw versionConflict(DEFAULT_ENTITY, 0, input.version);
      await repo.insertCostDefault(trx, {
        province_id: pid,
        set_id: set.id,
        indicator_code: input.code,
        cost: input.cost,
        days: input.days,
        note: input.note ?? null,
        is_demo: 0,
        version: 1,
        created_by: actor.id,
        created_at: at,
        updated_at: at,
        updated_by: actor.id,
      });
    }
    const after = await repo.findCostDefault(trx, pid, set.id, input.code);
    await recordAudit(trx, actor, { action: before ? 'cost_default.update' : 'cost_default.create', entity: 'indicator_cost_default', entityId: `${pid}|${set.id}|${input.code}`, unitId: pid, before: before ?? null, after: after ?? null }, at);
  });
  const list = await listCostDefaults(db, actor, pid, set.id);
  return list.items.find((i) => i.code === input.code)!;
}

/** Remove a province's default for one indicator (it becomes unknown again). */
export async function deleteCostDefault(db: Db, actor: Actor, input: { provinceId: string; setId: string; code: string; version: number }): Promise<void> {
  const pid = (await provinceOf(db, await getUnit(db.kysely, input.provinceId))).id;
  await authorize(db, actor, 'plan.defaults.write', pid);
  const key = { provinceId: pid, setId: input.setId, code: input.code };
  await db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findCostDefault(trx, pid, input.setId, input.code);
    if (!before) throw notFound('chi phí mặc định', 'Default cost', `${input.setId} ${input.code}`);
    if (before.version !== input.version || !(await repo.deleteCostDefault(trx, key, input.version))) throw versionConflict(DEFAULT_ENTITY, before.version, input.version);
    await recordAudit(trx, actor, { action: 'cost_default.delete', entity: 'indicator_cost_default', entityId: `${pid}|${input.setId}|${input.code}`, unitId: pid, before, after: null });
  });
}

// ── Priorities ────────────────────────────────────────────────────────────────────────────────

const OPEN_ACTION = new Set(['planned', 'in_progress']);

interface OpenAction extends PlanActionEstimate {
  unitId: string;
  text: string;
  /** Money already mobilised for it (any source), whole đồng. */
  mobilised: number;
}

/** Open actions of the communes' plans for a set, with an indicator and what is mobilised. */
async function openActions(db: Db, unitIds: readonly string[], setIds: ReadonlySet<string>): Promise<OpenAction[]> {
  const plans = (await planRepo.listPlans(db.kysely, unitIds)).filter((p) => setIds.has(p.set_id));
  const items = (
    await planRepo.listItems(
      db.kysely,
      plans.map((p) => p.id),
    )
  ).filter((i) => OPEN_ACTION.has(i.status) && i.indicator_code !== null);
  const funding = await planRepo.listFunding(
    db.kysely,
    items.map((i) => i.id),
  );
  const unitOfPlan = new Map(plans.map((p) => [p.id, p.unit_id]));
  return items.map((i) => ({
    id: i.id,
    unitId: unitOfPlan.get(i.plan_id)!,
    code: i.indicator_code!,
    cost: i.estimated_cost === null ? null : Number(i.estimated_cost),
    targetOn: i.target_on,
    text: i.action,
    mobilised: funding.filter((f) => f.item_id === i.id).reduce((n, f) => n + Number(f.mobilised), 0),
  }));
}

/** What a commune should do first to reach its next level, for a goal (cheapest or soonest). */
export async function getPriorities(db: Db, actor: Actor, communeId: string, date: string, goal: PriorityGoal): Promise<PriorityPlan & { gap: CommuneGap | null }> {
  const analysis = await getGapAnalysis(db, actor, communeId, date);
  const gap = analysis.communes[0] ?? null;
  if (!gap) {
    throw new DomainError(
      'not_found',
      { vi: `${analysis.unit.fullName} chưa có kỳ rà soát đã gửi nào đến ngày ${formatDateVi(date)}.`, en: `${analysis.unit.fullName} has no submitted review on or before ${date}.` },
      { fields: [{ field: 'date' }] },
    );
  }
  const unit = await getUnit(db.kysely, communeId);
  const actions = await openActions(db, [communeId], new Set([gap.set]));
  const defaults = defaultsMap(await repo.listCostDefaults(db.kysely, (await provinceOf(db, unit)).id, gap.set));
  const estimates = estimateCosts(
    gap.unmet.map((u) => u.code),
    actions,
    defaults,
    date,
  );
  return { ...prioritise(gap, estimates, goal, date), gap };
}

// ── Budget allocation from the action plans ───────────────────────────────────────────────────

export interface UnitAllocationRequest {
  unitId: string;
  date: string;
  /** Whole đồng. */
  budget: number;
  /** Actions must be done by this date; defaults to none (no time filter). */
  deadline?: string | null;
  timeLimitSeconds?: number;
}

function allocationRequestProblems(r: UnitAllocationRequest): FieldProblem[] {
  const out = checkDateField('date', r.date, { vi: 'Ngày', en: 'Date' });
  if (!Number.isSafeInteger(r.budget) || r.budget <= 0) {
    out.push(problem('budget', `Kinh phí phải là số đồng nguyên dương (nhận ${r.budget}).`, `The budget must be a positive whole number of đồng (got ${r.budget}).`));
  }
  if (r.deadline) {
    out.push(...checkDateField('deadline', r.deadline, { vi: 'Thời hạn', en: 'Deadline' }));
    if (isIsoDate(r.deadline) && isIsoDate(r.date) && r.deadline <= r.date) {
      out.push(problem('deadline', `Thời hạn ${formatDateVi(r.deadline)} không sau ngày phân tích ${formatDateVi(r.date)}.`, `The deadline ${r.deadline} is not after the analysis date ${r.date}.`));
    }
  }
  return out;
}

/**
 * The allocation input for a unit on a date: each commune still short of its level with the
 * indicators it must close; candidate actions from the action plans (open, with a cost, due by the
 * deadline; the cost less what is already mobilised — fully funded ones count as closing for free)
 * and, for an indicator without a planned action, the province's default cost (and time, which
 * must fit before the deadline). Communes with indicators pending a value or threshold cannot
 * reach their level by spending and are left out, as is anything without a cost — each named.
 */
export async function buildUnitAllocation(db: Db, actor: Actor, req: UnitAllocationRequest): Promise<Omit<UnitAllocation, 'result'>> {
  assertNoProblems(allocationRequestProblems(req));
  await authorize(db, actor, 'plan.read', req.unitId);
  const analysis = await getGapAnalysis(db, actor, req.unitId, req.date);
  const deadline = req.deadline ?? null;
  const unit = await getUnit(db.kysely, req.unitId);
  const short = analysis.communes.filter((g) => g.nextLevel !== null);
  const actions = await openActions(
    db,
    short.map((g) => g.id),
    new Set(short.map((g) => g.set)),
  );
  const pid = unit.level === 'province' || unit.provinceId ? (await provinceOf(db, unit)).id : null;
  const defaultsBySet = new Map<string, Map<string, CostDefault>>();
  for (const setId of new Set(short.map((g) => g.set))) defaultsBySet.set(setId, pid ? defaultsMap(await repo.listCostDefaults(db.kysely, pid, setId)) : new Map());

  const communes: UnitAllocation['communes'] = [];
  const candidates: CandidateAction[] = [];
  const leftOut: LeftOut[] = [];
  const input: AllocationInput = { budget: req.budget, communes: [], actions: [], ...(req.timeLimitSeconds ? { timeLimitSeconds: req.timeLimitSeconds } : {}) };
  for (const g of short) {
    const fixable = g.unmet.filter((u) => u.status === 'not_met').map((u) => u.code);
    const notByMoney = notReachableByMoney(g);
    if (notByMoney) {
      leftOut.push({ commune: g.id, communeName: g.name, code: null, reason: notByMoney });
      communes.push({ id: g.id, name: g.name, nextLevel: g.nextLevel, unmet: fixable, pending: g.pending + g.criteriaPending, fundedCodes: [], inAllocation: false });
      continue;
    }
    const funded: string[] = [];
    const need: string[] = [];
    const defaults = defaultsBySet.get(g.set)!;
    for (const code of fixable) {
      const mine = actions.filter((a) => a.unitId === g.id && a.code === code);
      const inTime = mine.filter((a) => !deadline || a.targetOn === null || a.targetOn <= deadline);
      for (const a of mine.filter((x) => !inTime.includes(x))) {
        leftOut.push({ commune: g.id, communeName: g.name, code, reason: { vi: `Giải pháp "${a.text}" dự kiến xong ${formatDateVi(a.targetOn!)}, sau thời hạn.`, en: `Action "${a.text}" is due ${a.targetOn}, after the deadline.` } });
      }
      if (inTime.length > 0) {
        if (inTime.some((a) => a.cost === null)) {
          leftOut.push({ commune: g.id, communeName: g.name, code, reason: { vi: `Giải pháp cho chỉ tiêu ${code} chưa có chi phí ước tính.`, en: `The action for indicator ${code} has no cost estimate.` } });
          need.push(code);
          continue;
        }
        const remaining = inTime.reduce((n, a) => n + Math.max(0, a.cost! - a.mobilised), 0);
        if (remaining === 0) {
          funded.push(code);
          continue;
        }
        need.push(code);
        const first = inTime[0]!;
        candidates.push({
          id: `plan:${inTime.map((a) => a.id).join('+')}`,
          commune: g.id,
          communeName: g.name,
          closes: [code],
          cost: remaining,
          source: 'plan',
          name: inTime.map((a) => a.text).join('; '),
          planItemId: first.id,
          targetOn: inTime.map((a) => a.targetOn).filter((d): d is string => d !== null).sort().at(-1) ?? null,
        });
        continue;
      }
      need.push(code);
      if (mine.length > 0) continue; // planned, but only after the deadline
      const d = defaults.get(code);
      if (!d || d.cost === null) {
        leftOut.push({ commune: g.id, communeName: g.name, code, reason: { vi: `Chỉ tiêu ${code}: chưa có giải pháp trong kế hoạch và chưa có chi phí mặc định của tỉnh.`, en: `Indicator ${code}: no planned action and no province default cost.` } });
        continue;
      }
      const due = d.days !== null ? addCalendarDays(req.date, d.days) : null;
      if (deadline && due && due > deadline) {
        leftOut.push({ commune: g.id, communeName: g.name, code, reason: { vi: `Chỉ tiêu ${code}: theo mức mặc định cần ${d.days} ngày, xong ${formatDateVi(due)}, sau thời hạn.`, en: `Indicator ${code}: the default needs ${d.days} days, done ${due}, after the deadline.` } });
        continue;
      }
      candidates.push({ id: `default:${g.id}:${code}`, commune: g.id, communeName: g.name, closes: [code], cost: d.cost, source: 'default', name: 'Theo chi phí mặc định của tỉnh', planItemId: null, targetOn: due });
    }
    communes.push({ id: g.id, name: g.name, nextLevel: g.nextLevel, unmet: need, pending: 0, fundedCodes: funded, inAllocation: true });
    input.communes.push({ id: g.id, name: g.name, unmet: need });
  }
  input.actions = candidates.map((c) => ({ id: c.id, commune: c.commune, cost: c.cost, closes: c.closes, name: c.name }));
  return { unit: { id: unit.id, name: unit.fullName }, date: req.date, deadline, budget: req.budget, input, candidates, communes, leftOut };
}

/** Why spending cannot bring a commune to its level (null when it can). */
function notReachableByMoney(g: CommuneGap): BilingualMessage | null {
  if (g.pending > 0 || g.criteriaPending > 0) {
    const n = g.pending + g.criteriaPending;
    return { vi: `${n} chỉ tiêu/tiêu chí chưa đánh giá được (thiếu số liệu hoặc ngưỡng): không thể đạt chuẩn chỉ bằng kinh phí.`, en: `${n} indicator(s)/criteria cannot be evaluated (no value or threshold): money alone cannot get it there.` };
  }
  if (g.indicatorsToGo === 0 && g.missingPrerequisites.length > 0) {
    return { vi: 'Đạt đủ tiêu chí nhưng chưa có quyết định công nhận mức tiên quyết: cần hồ sơ công nhận, không cần kinh phí.', en: 'Meets every criterion but lacks the prerequisite recognition: needs a recognition dossier, not money.' };
  }
  return null;
}

/** Build the input from the action plans and solve it (MIP and greedy). */
export async function allocateForUnit(db: Db, actor: Actor, req: UnitAllocationRequest): Promise<UnitAllocation> {
  const built = await buildUnitAllocation(db, actor, req);
  return { ...built, result: await allocate(built.input) };
}

/** The same, with indicators marked as fixed (what-if): the web app's scenario screen. */
export async function allocateWhatIf(db: Db, actor: Actor, req: UnitAllocationRequest & { fixed?: Record<string, string[]> }): Promise<UnitAllocation> {
  const built = await buildUnitAllocation(db, actor, req);
  const input = withFixed(built.input, req.fixed ?? {});
  return { ...built, input, result: await allocate(input) };
}

// ── Proposals on a meeting ────────────────────────────────────────────────────────────────────

export interface ProposalView {
  id: number;
  meetingId: number;
  unitId: string;
  title: string;
  asOf: string;
  deadline: string | null;
  budget: number;
  result: AllocationResult;
  chosen: CandidateAction[];
  createdBy: string;
  createdAt: string;
}

function toProposal(r: Awaited<ReturnType<typeof repo.insertProposal>>): ProposalView {
  const result = JSON.parse(r.result_json) as AllocationResult & { candidates?: CandidateAction[] };
  const candidates = (JSON.parse(r.input_json) as { candidates?: CandidateAction[] }).candidates ?? [];
  const chosen = new Set(result.chosen);
  return {
    id: r.id,
    meetingId: r.meeting_id,
    unitId: r.unit_id,
    title: r.title,
    asOf: r.as_of,
    deadline: r.deadline,
    budget: Number(r.budget),
    result,
    chosen: candidates.filter((c) => chosen.has(c.id)),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * Save an allocation as a proposal on a committee meeting: solved again here from the same request
 * (the server's own figures, not a client's), stored with its input, audited.
 */
export async function saveProposal(db: Db, actor: Actor, meetingId: number, req: UnitAllocationRequest & { title?: string | null; fixed?: Record<string, string[]> }): Promise<ProposalView> {
  const meeting = await readableMeeting(db, actor, meetingId);
  await authorize(db, actor, 'committee.write', meeting.committeeUnitId);
  const built = await buildUnitAllocation(db, actor, req);
  const input = withFixed(built.input, req.fixed ?? {});
  const result = await allocate(input);
  const title = req.title?.trim() || `Phương án phân bổ ${millionText(req.budget, 'vi')} — ${built.unit.name}`;
  const at = new Date().toISOString();
  const row = await db.kysely.transaction().execute(async (trx) => {
    const r = await repo.insertProposal(trx, {
      meeting_id: meetingId,
      unit_id: req.unitId,
      title,
      as_of: req.date,
      deadline: req.deadline ?? null,
      budget: req.budget,
      input_json: JSON.stringify({ input, candidates: built.candidates, leftOut: built.leftOut, fixed: req.fixed ?? {} }),
      result_json: JSON.stringify(result),
      is_demo: 0,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'allocation_proposal.create', entity: 'allocation_proposal', entityId: r.id, unitId: req.unitId, after: { ...r, input_json: undefined } }, at);
    return r;
  });
  return toProposal(row);
}

export async function listProposals(db: Db, actor: Actor, meetingId: number): Promise<ProposalView[]> {
  await readableMeeting(db, actor, meetingId);
  return (await repo.listProposalsOfMeeting(db.kysely, meetingId)).map(toProposal);
}

/**
 * What-if: indicators marked as fixed (by commune) leave the communes' lists and the actions that
 * only closed them; a commune with nothing left reaches its level without spending.
 */
export function withFixed(input: AllocationInput, fixed: Readonly<Record<string, readonly string[]>>): AllocationInput {
  const done = (commune: string, code: string) => fixed[commune]?.includes(code) ?? false;
  const communes = input.communes.map((c) => ({ ...c, unmet: c.unmet.filter((code) => !done(c.id, code)) }));
  const actions = input.actions.map((a) => ({ ...a, closes: a.closes.filter((code) => !done(a.commune, code)) })).filter((a) => a.closes.length > 0);
  return { ...input, communes, actions };
}

export type { PriorityGoal };
