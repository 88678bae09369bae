/**
 * Kế hoạch hành động, đề xuất kinh phí — a commune's action plan for its unmet indicators
 * (actions with the expected effect on an indicator, from value → to value, estimated cost,
 * target date, owner, funding by source: planned / mobilised / disbursed) and its budget requests
 * to a higher level with the response. Commune officers edit their commune's (`plan.write`);
 * the higher level answers requests addressed to it (`committee.write` on that unit).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ActionPlanItemRow, ActionPlanRow, BudgetRequestRow, Database, FundingLineRow } from '../db/schema.ts';
import * as repo from '../db/action-plan.repository.ts';
import { findTask } from '../db/task.repository.ts';
import { latestSubmittedReviews, findReview } from '../db/review.repository.ts';
import { recordAudit } from '../db/audit.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import type { CriteriaSet } from '../domain/criteria.ts';
import {
  ACTION_STATUS_LABELS,
  BUDGET_REQUEST_STATUS_LABELS,
  FUNDING_SOURCES,
  FUNDING_SOURCE_LABELS,
  actionFieldProblems,
  approvedAmountOf,
  budgetResponseProblems,
  fundingLineProblems,
  fundingTotals,
  type ActionStatus,
  type BudgetDecision,
  type BudgetRequestStatus,
  type FundingSource,
  type FundingTotals,
} from '../domain/funding.ts';
import type { UnmetCriterion } from '../domain/evaluation.ts';
import { DomainError, notFound, type BilingualMessage, versionConflict } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import { assertNoProblems, fieldError, problem, type FieldProblem } from '../domain/field-error.ts';
import { authorize } from './access.service.ts';
import type { Actor } from './actor.ts';
import { asOf, clean } from '../domain/input.ts';
import { listPredecessorsOfUnits, unitNames } from '../db/unit.repository.ts';
import { evaluationOf } from './evaluation.service.ts';
import { getUnit } from './unit.service.ts';

const PLAN = { vi: 'Kế hoạch hành động', en: 'action plan' };
const ACTION = { vi: 'Giải pháp', en: 'action' };
const REQUEST = { vi: 'Đề xuất kinh phí', en: 'budget request' };

export interface FundingLineView {
  id: number;
  source: FundingSource;
  sourceLabel: BilingualMessage;
  planned: number;
  mobilised: number;
  disbursed: number;
  note: string | null;
}

export interface ActionView {
  id: number;
  planId: number;
  criterionCode: string;
  criterionName: string | null;
  indicatorCode: string | null;
  indicatorName: string | null;
  action: string;
  fromValue: string | null;
  toValue: string | null;
  /** Whole đồng. */
  estimatedCost: number | null;
  targetOn: string | null;
  owner: string | null;
  status: ActionStatus;
  statusLabel: BilingualMessage;
  taskId: number | null;
  funding: FundingLineView[];
  fundingTotals: FundingTotals;
  version: number;
}

export interface PlanView {
  id: number;
  unitId: string;
  unitName: string;
  setId: string;
  setName: string;
  title: string;
  periodTo: string | null;
  note: string | null;
  isDemo: boolean;
  version: number;
  actions: ActionView[];
  totals: { estimatedCost: number; funding: FundingTotals };
}

export interface BudgetRequestView {
  id: number;
  unitId: string;
  unitName: string;
  toUnitId: string;
  toUnitName: string;
  planId: number | null;
  title: string;
  purpose: string | null;
  source: FundingSource;
  sourceLabel: BilingualMessage;
  amount: number;
  requestedOn: string;
  status: BudgetRequestStatus;
  statusLabel: BilingualMessage;
  approvedAmount: number | null;
  responseText: string | null;
  respondedOn: string | null;
  respondedBy: string | null;
  isDemo: boolean;
  version: number;
}

export interface CommunePlanning {
  unitId: string;
  unitName: string;
  date: string;
  /** The commune's unmet criteria in its latest submitted review (what the plan should address). */
  unmet: UnmetCriterion[];
  reviewId: number | null;
  reviewedOn: string | null;
  setId: string | null;
  plans: PlanView[];
  /** Plans of the communes merged into this one (1/7/2025): their work continues here; each names its commune. */
  predecessorPlans: PlanView[];
  budgetRequests: BudgetRequestView[];
  /** Requests addressed to this unit (a district's inbox of requests). */
  incomingRequests: BudgetRequestView[];
}

function setOf(id: string): CriteriaSet | null {
  return getCatalog().has(id) ? getCatalog().get(id) : null;
}

function toFunding(r: FundingLineRow): FundingLineView {
  const source = r.source as FundingSource;
  return { id: r.id, source, sourceLabel: FUNDING_SOURCE_LABELS[source], planned: Number(r.planned), mobilised: Number(r.mobilised), disbursed: Number(r.disbursed), note: r.note };
}

function toAction(r: ActionPlanItemRow, set: CriteriaSet | null, funding: FundingLineRow[]): ActionView {
  const c = set?.criteria.find((x) => x.code === r.criterion_code);
  const i = c?.indicators.find((x) => x.code === r.indicator_code);
  const lines = funding.filter((f) => f.item_id === r.id).map(toFunding);
  const status = r.status as ActionStatus;
  return {
    id: r.id,
    planId: r.plan_id,
    criterionCode: r.criterion_code,
    criterionName: c?.name ?? null,
    indicatorCode: r.indicator_code,
    indicatorName: i?.name ?? null,
    action: r.action,
    fromValue: r.from_value,
    toValue: r.to_value,
    estimatedCost: r.estimated_cost === null ? null : Number(r.estimated_cost),
    targetOn: r.target_on,
    owner: r.owner,
    status,
    statusLabel: ACTION_STATUS_LABELS[status],
    taskId: r.task_id,
    funding: lines,
    fundingTotals: fundingTotals(lines),
    version: r.version,
  };
}

function toRequest(r: BudgetRequestRow, names: Map<string, string>): BudgetRequestView {
  const source = r.source as FundingSource;
  const status = r.status as BudgetRequestStatus;
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: names.get(r.unit_id) ?? r.unit_id,
    toUnitId: r.to_unit_id,
    toUnitName: names.get(r.to_unit_id) ?? r.to_unit_id,
    planId: r.plan_id,
    title: r.title,
    purpose: r.purpose,
    source,
    sourceLabel: FUNDING_SOURCE_LABELS[source],
    amount: Number(r.amount),
    requestedOn: r.requested_on,
    status,
    statusLabel: BUDGET_REQUEST_STATUS_LABELS[status],
    approvedAmount: r.approved_amount === null ? null : Number(r.approved_amount),
    responseText: r.response_text,
    respondedOn: r.responded_on,
    respondedBy: r.responded_by,
    isDemo: r.is_demo === 1,
    version: r.version,
  };
}

async function planViews(db: Kysely<Database>, plans: ActionPlanRow[]): Promise<PlanView[]> {
  const items = await repo.listItems(
    db,
    plans.map((p) => p.id),
  );
  const funding = await repo.listFunding(
    db,
    items.map((i) => i.id),
  );
  const names = await unitNames(
    db,
    plans.map((p) => p.unit_id),
  );
  return plans.map((p) => {
    const set = setOf(p.set_id);
    const actions = items.filter((i) => i.plan_id === p.id).map((i) => toAction(i, set, funding));
    return {
      id: p.id,
      unitId: p.unit_id,
      unitName: names.get(p.unit_id) ?? p.unit_id,
      setId: p.set_id,
      setName: set?.name ?? p.set_id,
      title: p.title,
      periodTo: p.period_to,
      note: p.note,
      isDemo: p.is_demo === 1,
      version: p.version,
      actions,
      totals: {
        estimatedCost: actions.reduce((a, x) => a + (x.estimatedCost ?? 0), 0),
        funding: fundingTotals(actions.flatMap((a) => a.funding)),
      },
    };
  });
}

async function requestViews(db: Kysely<Database>, rows: BudgetRequestRow[]): Promise<BudgetRequestView[]> {
  const names = await unitNames(
    db,
    rows.flatMap((r) => [r.unit_id, r.to_unit_id]),
  );
  return rows.map((r) => toRequest(r, names));
}

/** A commune's plans, budget requests (sent and received) and what is still unmet on `date`. */
export async function getCommunePlanning(db: Db, actor: Actor, unitId: string, date?: string): Promise<CommunePlanning> {
  const on = asOf(date);
  const unit = await getUnit(db.kysely, unitId);
  await authorize(db, actor, 'plan.read', unit.id);
  const latest = (await latestSubmittedReviews(db.kysely, [unit.id], on))[0];
  let unmet: UnmetCriterion[] = [];
  if (latest) {
    const row = await findReview(db.kysely, latest.review_id);
    if (row) unmet = (await evaluationOf(db.kysely, row)).unmet;
  }
  const plans = await repo.listPlans(db.kysely, [unit.id]);
  return {
    unitId: unit.id,
    unitName: unit.fullName,
    date: on,
    unmet,
    reviewId: latest?.review_id ?? null,
    reviewedOn: latest?.reviewed_on ?? null,
    setId: latest?.set_id ?? null,
    plans: await planViews(db.kysely, plans),
    predecessorPlans: await planViews(db.kysely, await repo.listPlans(db.kysely, (await listPredecessorsOfUnits(db.kysely, [unit.id])).map((p) => p.id))),
    budgetRequests: await requestViews(db.kysely, await repo.listBudgetRequests(db.kysely, { unitIds: [unit.id] })),
    incomingRequests: await requestViews(db.kysely, await repo.listBudgetRequests(db.kysely, { toUnitIds: [unit.id] })),
  };
}

async function loadPlan(db: Kysely<Database>, id: number): Promise<ActionPlanRow> {
  const p = await repo.findPlan(db, id);
  if (!p) throw notFound('kế hoạch hành động', 'Action plan', id);
  return p;
}

export async function getPlan(db: Db, actor: Actor, id: number): Promise<PlanView> {
  const p = await loadPlan(db.kysely, id);
  await authorize(db, actor, 'plan.read', p.unit_id);
  return (await planViews(db.kysely, [p]))[0]!;
}

export interface PlanInput {
  unitId: string;
  /** Default: the set of the commune's latest submitted review. */
  setId?: string;
  title: string;
  periodTo?: string | null;
  note?: string | null;
  isDemo?: boolean;
}

export async function createPlan(db: Db, actor: Actor, input: PlanInput): Promise<PlanView> {
  const unit = await getUnit(db.kysely, input.unitId);
  await authorize(db, actor, 'plan.write', unit.id);
  const setId = input.setId ?? (await latestSubmittedReviews(db.kysely, [unit.id], '9999-12-31'))[0]?.set_id;
  const problems: FieldProblem[] = [];
  if (!clean(input.title)) problems.push(problem('title', 'Kế hoạch cần có tên (trường "title").', 'A plan needs a title (field "title").'));
  if (!setId) problems.push(problem('setId', `${unit.fullName} chưa có bản rà soát đã nộp: hãy chọn bộ tiêu chí (trường "setId").`, `${unit.fullName} has no submitted review: choose the criteria set (field "setId").`));
  if (input.periodTo != null && !isIsoDate(input.periodTo)) problems.push(problem('periodTo', `Ngày "${input.periodTo}" không hợp lệ.`, `Date "${input.periodTo}" is invalid.`));
  assertNoProblems(problems);
  getCatalog().get(setId!);
  const at = new Date().toISOString();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const p = await repo.insertPlan(trx, {
      unit_id: unit.id,
      set_id: setId!,
      title: clean(input.title)!,
      period_to: input.periodTo ?? null,
      note: clean(input.note),
      is_demo: input.isDemo ? 1 : 0,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'plan.create', entity: 'action_plan', entityId: p.id, unitId: unit.id, after: p });
    return p.id;
  });
  return getPlan(db, actor, id);
}

export async function updatePlan(db: Db, actor: Actor, id: number, input: { version: number; title?: string; periodTo?: string | null; note?: string | null }): Promise<PlanView> {
  const before = await loadPlan(db.kysely, id);
  await authorize(db, actor, 'plan.write', before.unit_id);
  const title = input.title === undefined ? before.title : clean(input.title);
  assertNoProblems([
    ...(title ? [] : [problem('title', 'Kế hoạch cần có tên (trường "title").', 'A plan needs a title (field "title").')]),
    ...(input.periodTo != null && !isIsoDate(input.periodTo) ? [problem('periodTo', `Ngày "${input.periodTo}" không hợp lệ.`, `Date "${input.periodTo}" is invalid.`)] : []),
  ]);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = { title: title!, period_to: input.periodTo === undefined ? before.period_to : input.periodTo, note: input.note === undefined ? before.note : clean(input.note), updated_at: at };
    if (!(await repo.updatePlan(trx, id, input.version, changes))) throw versionConflict(PLAN, (await loadPlan(trx, id)).version, input.version);
    await recordAudit(trx, actor, { action: 'plan.update', entity: 'action_plan', entityId: id, unitId: before.unit_id, before, after: changes });
  });
  return getPlan(db, actor, id);
}

export interface FundingInput {
  source: FundingSource;
  planned: number;
  mobilised: number;
  disbursed: number;
  note?: string | null;
}

export interface ActionInput {
  criterionCode: string;
  indicatorCode?: string | null;
  action: string;
  fromValue?: string | null;
  toValue?: string | null;
  estimatedCost?: number | null;
  targetOn?: string | null;
  owner?: string | null;
  status?: ActionStatus;
  taskId?: number | null;
  funding?: FundingInput[];
}

function fundingProblemsOf(lines: readonly FundingInput[] | undefined): FieldProblem[] {
  const out: FieldProblem[] = [];
  (lines ?? []).forEach((l, i) => out.push(...fundingLineProblems(l, `funding.${i}`)));
  const seen = new Set<string>();
  (lines ?? []).forEach((l, i) => {
    if (seen.has(l.source)) out.push(problem(`funding.${i}.source`, `Nguồn vốn "${FUNDING_SOURCE_LABELS[l.source]?.vi ?? l.source}" ghi hai lần: gộp thành một dòng.`, `Funding source "${l.source}" appears twice: merge the lines.`));
    seen.add(l.source);
  });
  return out;
}

function codeProblems(set: CriteriaSet, criterionCode: string | undefined, indicatorCode: string | null | undefined): FieldProblem[] {
  if (criterionCode === undefined) return [];
  const c = set.criteria.find((x) => x.code === criterionCode);
  if (!c) return [problem('criterionCode', `Tiêu chí "${criterionCode}" không có trong bộ tiêu chí "${set.name}".`, `Criterion "${criterionCode}" is not in set "${set.id}".`)];
  if (indicatorCode && !c.indicators.some((i) => i.code === indicatorCode)) {
    return [problem('indicatorCode', `Chỉ tiêu "${indicatorCode}" không thuộc tiêu chí ${criterionCode} (${c.name}).`, `Indicator "${indicatorCode}" is not in criterion ${criterionCode}.`)];
  }
  return [];
}

function fundingRows(lines: readonly FundingInput[]) {
  return lines.map((l) => ({ source: l.source, planned: l.planned, mobilised: l.mobilised, disbursed: l.disbursed, note: clean(l.note) }));
}

async function assertTaskOfUnit(db: Kysely<Database>, taskId: number | null | undefined, unitId: string): Promise<void> {
  if (taskId == null) return;
  const t = await findTask(db, taskId);
  if (!t || (t.unit_id !== unitId && t.assignee_unit_id !== unitId)) throw fieldError([problem('taskId', `Nhiệm vụ ${taskId} không thuộc xã này.`, `Task ${taskId} does not belong to this commune.`)]);
}

export async function addAction(db: Db, actor: Actor, planId: number, input: ActionInput): Promise<PlanView> {
  const plan = await loadPlan(db.kysely, planId);
  await authorize(db, actor, 'plan.write', plan.unit_id);
  const set = getCatalog().get(plan.set_id);
  assertNoProblems([...actionFieldProblems(input, true), ...codeProblems(set, input.criterionCode, input.indicatorCode), ...fundingProblemsOf(input.funding)]);
  await assertTaskOfUnit(db.kysely, input.taskId, plan.unit_id);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const item = await repo.insertItem(trx, {
      plan_id: plan.id,
      criterion_code: input.criterionCode,
      indicator_code: input.indicatorCode ?? null,
      action: clean(input.action)!,
      from_value: clean(input.fromValue),
      to_value: clean(input.toValue),
      estimated_cost: input.estimatedCost ?? null,
      target_on: input.targetOn ?? null,
      owner: clean(input.owner),
      status: input.status ?? 'planned',
      task_id: input.taskId ?? null,
      sort_order: await repo.nextItemOrder(trx, plan.id),
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await repo.replaceFunding(trx, item.id, fundingRows(input.funding ?? []));
    await recordAudit(trx, actor, { action: 'plan.action.add', entity: 'action_plan_item', entityId: item.id, unitId: plan.unit_id, after: { ...item, funding: input.funding ?? [] } });
  });
  return getPlan(db, actor, planId);
}

export async function updateAction(db: Db, actor: Actor, itemId: number, input: Partial<ActionInput> & { version: number }): Promise<PlanView> {
  const before = await repo.findItem(db.kysely, itemId);
  if (!before) throw notFound('giải pháp', 'Action', itemId);
  const plan = await loadPlan(db.kysely, before.plan_id);
  await authorize(db, actor, 'plan.write', plan.unit_id);
  const set = getCatalog().get(plan.set_id);
  const criterion = input.criterionCode ?? before.criterion_code;
  const indicator = input.indicatorCode === undefined ? before.indicator_code : input.indicatorCode;
  assertNoProblems([
    ...actionFieldProblems(input, false),
    ...(input.criterionCode !== undefined || input.indicatorCode !== undefined ? codeProblems(set, criterion, indicator) : []),
    ...fundingProblemsOf(input.funding),
  ]);
  await assertTaskOfUnit(db.kysely, input.taskId, plan.unit_id);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      criterion_code: criterion,
      indicator_code: indicator,
      action: input.action === undefined ? before.action : clean(input.action)!,
      from_value: input.fromValue === undefined ? before.from_value : clean(input.fromValue),
      to_value: input.toValue === undefined ? before.to_value : clean(input.toValue),
      estimated_cost: input.estimatedCost === undefined ? before.estimated_cost : input.estimatedCost,
      target_on: input.targetOn === undefined ? before.target_on : input.targetOn,
      owner: input.owner === undefined ? before.owner : clean(input.owner),
      status: input.status ?? before.status,
      task_id: input.taskId === undefined ? before.task_id : input.taskId,
      updated_at: at,
    };
    if (!(await repo.updateItem(trx, itemId, input.version, changes))) throw versionConflict(ACTION, (await repo.findItem(trx, itemId))!.version, input.version);
    const fundingBefore = await repo.listFunding(trx, [itemId]);
    if (input.funding) await repo.replaceFunding(trx, itemId, fundingRows(input.funding));
    await recordAudit(trx, actor, {
      action: 'plan.action.update',
      entity: 'action_plan_item',
      entityId: itemId,
      unitId: plan.unit_id,
      before: { ...before, funding: fundingBefore },
      after: { ...changes, ...(input.funding ? { funding: input.funding } : {}) },
    });
  });
  return getPlan(db, actor, plan.id);
}

export async function deleteAction(db: Db, actor: Actor, itemId: number, input: { version: number }): Promise<PlanView> {
  const before = await repo.findItem(db.kysely, itemId);
  if (!before) throw notFound('giải pháp', 'Action', itemId);
  const plan = await loadPlan(db.kysely, before.plan_id);
  await authorize(db, actor, 'plan.write', plan.unit_id);
  if (before.version !== input.version) throw versionConflict(ACTION, before.version, input.version);
  await db.kysely.transaction().execute(async (trx) => {
    const funding = await repo.listFunding(trx, [itemId]);
    await repo.deleteItem(trx, itemId);
    await recordAudit(trx, actor, { action: 'plan.action.delete', entity: 'action_plan_item', entityId: itemId, unitId: plan.unit_id, before: { ...before, funding } });
  });
  return getPlan(db, actor, plan.id);
}

// ── Budget requests ───────────────────────────────────────────────────────────────────────

export interface BudgetRequestInput {
  unitId: string;
  /** The higher level asked (the district, the province). */
  toUnitId: string;
  planId?: number | null;
  title: string;
  purpose?: string | null;
  source: FundingSource;
  amount: number;
  requestedOn: string;
  /** Send it now (default: keep as draft). */
  submit?: boolean;
  isDemo?: boolean;
}

function requestProblems(i: Partial<BudgetRequestInput>, requireAll: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if ((requireAll || i.title !== undefined) && !clean(i.title)) out.push(problem('title', 'Đề xuất cần có nội dung (trường "title").', 'A request needs a title (field "title").'));
  if ((requireAll || i.source !== undefined) && !(FUNDING_SOURCES as readonly string[]).includes(i.source ?? '')) {
    out.push(problem('source', `Nguồn vốn "${i.source ?? ''}" không hợp lệ (${FUNDING_SOURCES.join(', ')}).`, `Funding source "${i.source ?? ''}" is invalid (${FUNDING_SOURCES.join(', ')}).`));
  }
  if ((requireAll || i.amount !== undefined) && (i.amount === undefined || !Number.isSafeInteger(i.amount) || i.amount <= 0)) {
    out.push(problem('amount', 'Số tiền đề xuất phải là số đồng nguyên, lớn hơn 0.', 'The amount requested must be a whole number of đồng above 0.'));
  }
  if ((requireAll || i.requestedOn !== undefined) && !isIsoDate(i.requestedOn ?? '')) out.push(problem('requestedOn', `Ngày đề xuất "${i.requestedOn ?? ''}" không hợp lệ.`, `Request date "${i.requestedOn ?? ''}" is invalid.`));
  return out;
}

async function loadRequest(db: Kysely<Database>, id: number): Promise<BudgetRequestRow> {
  const r = await repo.findBudgetRequest(db, id);
  if (!r) throw notFound('đề xuất kinh phí', 'Budget request', id);
  return r;
}

export async function getBudgetRequest(db: Db, actor: Actor, id: number): Promise<BudgetRequestView> {
  const r = await loadRequest(db.kysely, id);
  try {
    await authorize(db, actor, 'plan.read', r.unit_id);
  } catch (e) {
    await authorize(db, actor, 'plan.read', r.to_unit_id).catch(() => {
      throw e;
    });
  }
  return (await requestViews(db.kysely, [r]))[0]!;
}

export async function createBudgetRequest(db: Db, actor: Actor, input: BudgetRequestInput): Promise<BudgetRequestView> {
  const unit = await getUnit(db.kysely, input.unitId);
  await authorize(db, actor, 'plan.write', unit.id);
  const problems = requestProblems(input, true);
  const to = await getUnit(db.kysely, input.toUnitId);
  if (!unit.parents.some((p) => p.id === to.id)) {
    problems.push(problem('toUnitId', `${to.fullName} không phải cấp trên của ${unit.fullName}: đề xuất gửi lên huyện hoặc tỉnh của xã.`, `${to.fullName} is not above ${unit.fullName}: requests go to the commune's district or province.`));
  }
  if (input.planId != null) {
    const plan = await repo.findPlan(db.kysely, input.planId);
    if (!plan || plan.unit_id !== unit.id) problems.push(problem('planId', `Kế hoạch ${input.planId} không phải của ${unit.fullName}.`, `Plan ${input.planId} is not ${unit.fullName}'s.`));
  }
  assertNoProblems(problems);
  const at = new Date().toISOString();
  const id = await db.kysely.transaction().execute(async (trx) => {
    const r = await repo.insertBudgetRequest(trx, {
      unit_id: unit.id,
      to_unit_id: to.id,
      plan_id: input.planId ?? null,
      title: clean(input.title)!,
      purpose: clean(input.purpose),
      source: input.source,
      amount: input.amount,
      requested_on: input.requestedOn,
      status: input.submit ? 'submitted' : 'draft',
      approved_amount: null,
      response_text: null,
      responded_on: null,
      responded_by: null,
      is_demo: input.isDemo ? 1 : 0,
      version: 1,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, { action: 'budget_request.create', entity: 'budget_request', entityId: r.id, unitId: unit.id, after: r });
    return r.id;
  });
  return getBudgetRequest(db, actor, id);
}

export async function updateBudgetRequest(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; title?: string; purpose?: string | null; source?: FundingSource; amount?: number; requestedOn?: string },
): Promise<BudgetRequestView> {
  const before = await loadRequest(db.kysely, id);
  await authorize(db, actor, 'plan.write', before.unit_id);
  if (before.status !== 'draft') {
    throw new DomainError('conflict', {
      vi: `Đề xuất đã ở trạng thái "${BUDGET_REQUEST_STATUS_LABELS[before.status as BudgetRequestStatus].vi}": chỉ sửa được bản dự thảo.`,
      en: `The request is "${BUDGET_REQUEST_STATUS_LABELS[before.status as BudgetRequestStatus].en}": only drafts can be edited.`,
    });
  }
  assertNoProblems(requestProblems(input, false));
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      title: input.title === undefined ? before.title : clean(input.title)!,
      purpose: input.purpose === undefined ? before.purpose : clean(input.purpose),
      source: input.source ?? before.source,
      amount: input.amount ?? before.amount,
      requested_on: input.requestedOn ?? before.requested_on,
      updated_at: at,
    };
    if (!(await repo.updateBudgetRequest(trx, id, input.version, changes))) throw versionConflict(REQUEST, (await loadRequest(trx, id)).version, input.version);
    await recordAudit(trx, actor, { action: 'budget_request.update', entity: 'budget_request', entityId: id, unitId: before.unit_id, before, after: changes });
  });
  return getBudgetRequest(db, actor, id);
}

/** Send (draft → submitted) or withdraw (draft | submitted → withdrawn) a request. */
export async function changeBudgetRequestStatus(db: Db, actor: Actor, id: number, input: { version: number; action: 'submit' | 'withdraw' }): Promise<BudgetRequestView> {
  const before = await loadRequest(db.kysely, id);
  await authorize(db, actor, 'plan.write', before.unit_id);
  const from = before.status as BudgetRequestStatus;
  const ok = input.action === 'submit' ? from === 'draft' : from === 'draft' || from === 'submitted';
  if (!ok) {
    throw new DomainError('conflict', {
      vi: `Không thể ${input.action === 'submit' ? 'gửi' : 'rút'} đề xuất đang ở trạng thái "${BUDGET_REQUEST_STATUS_LABELS[from].vi}".`,
      en: `Cannot ${input.action} a request whose status is "${BUDGET_REQUEST_STATUS_LABELS[from].en}".`,
    });
  }
  const to: BudgetRequestStatus = input.action === 'submit' ? 'submitted' : 'withdrawn';
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateBudgetRequest(trx, id, input.version, { status: to, updated_at: at }))) throw versionConflict(REQUEST, (await loadRequest(trx, id)).version, input.version);
    await recordAudit(trx, actor, { action: `budget_request.${input.action}`, entity: 'budget_request', entityId: id, unitId: before.unit_id, before: { status: from }, after: { status: to } });
  });
  return getBudgetRequest(db, actor, id);
}

/** The higher level's answer: approved, partially approved (with the amount) or rejected (with the reason). */
export async function respondBudgetRequest(
  db: Db,
  actor: Actor,
  id: number,
  input: { version: number; decision: BudgetDecision; approvedAmount?: number | null; responseText?: string | null; respondedOn?: string },
): Promise<BudgetRequestView> {
  const before = await loadRequest(db.kysely, id);
  await authorize(db, actor, 'committee.write', before.to_unit_id);
  if (before.status !== 'submitted') {
    throw new DomainError('conflict', {
      vi: `Chỉ trả lời được đề xuất đã gửi (đề xuất này đang "${BUDGET_REQUEST_STATUS_LABELS[before.status as BudgetRequestStatus].vi}").`,
      en: `Only submitted requests can be answered (this one is "${BUDGET_REQUEST_STATUS_LABELS[before.status as BudgetRequestStatus].en}").`,
    });
  }
  const respondedOn = input.respondedOn ?? asOf(undefined);
  assertNoProblems([
    ...budgetResponseProblems(input, Number(before.amount)),
    ...(isIsoDate(respondedOn) ? [] : [problem('respondedOn', `Ngày trả lời "${respondedOn}" không hợp lệ.`, `Response date "${respondedOn}" is invalid.`)]),
  ]);
  const at = new Date().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const changes = {
      status: input.decision,
      approved_amount: approvedAmountOf(input.decision, Number(before.amount), input.approvedAmount),
      response_text: clean(input.responseText),
      responded_on: respondedOn,
      responded_by: actor.id,
      updated_at: at,
    };
    if (!(await repo.updateBudgetRequest(trx, id, input.version, changes))) throw versionConflict(REQUEST, (await loadRequest(trx, id)).version, input.version);
    await recordAudit(trx, actor, { action: 'budget_request.respond', entity: 'budget_request', entityId: id, unitId: before.unit_id, before: { status: before.status }, after: changes });
  });
  return getBudgetRequest(db, actor, id);
}
