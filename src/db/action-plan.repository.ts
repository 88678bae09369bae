/** Action plans (kế hoạch hành động) of communes, their actions and funding lines; budget requests. */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type {
  ActionPlanItemRow,
  ActionPlanItemTable,
  ActionPlanRow,
  ActionPlanTable,
  BudgetRequestRow,
  BudgetRequestTable,
  Database,
  FundingLineRow,
  FundingLineTable,
} from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertPlan(db: Q, row: Insertable<ActionPlanTable>): Promise<ActionPlanRow> {
  return db.insertInto('action_plan').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findPlan(db: Q, id: number): Promise<ActionPlanRow | undefined> {
  return db.selectFrom('action_plan').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPlans(db: Q, unitIds: readonly string[]): Promise<ActionPlanRow[]> {
  if (unitIds.length === 0) return [];
  return db.selectFrom('action_plan').selectAll().where('unit_id', 'in', [...unitIds]).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function updatePlan(db: Q, id: number, expected: number, changes: Updateable<ActionPlanTable>): Promise<boolean> {
  const r = await db
    .updateTable('action_plan')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertItem(db: Q, row: Insertable<ActionPlanItemTable>): Promise<ActionPlanItemRow> {
  return db.insertInto('action_plan_item').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findItem(db: Q, id: number): Promise<ActionPlanItemRow | undefined> {
  return db.selectFrom('action_plan_item').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listItems(db: Q, planIds: readonly number[]): Promise<ActionPlanItemRow[]> {
  if (planIds.length === 0) return [];
  return db.selectFrom('action_plan_item').selectAll().where('plan_id', 'in', [...planIds]).orderBy('sort_order').orderBy('id').execute();
}

export async function nextItemOrder(db: Q, planId: number): Promise<number> {
  const r = await db
    .selectFrom('action_plan_item')
    .select((eb) => eb.fn.max<number | null>('sort_order').as('m'))
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

export async function updateItem(db: Q, id: number, expected: number, changes: Updateable<ActionPlanItemTable>): Promise<boolean> {
  const r = await db
    .updateTable('action_plan_item')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteItem(db: Q, id: number): Promise<void> {
  await db.deleteFrom('funding_line').where('item_id', '=', id).execute();
  await db.deleteFrom('action_plan_item').where('id', '=', id).execute();
}

/** Replace an action's funding lines (the whole list is edited at once). */
export async function replaceFunding(db: Q, itemId: number, rows: ReadonlyArray<Omit<Insertable<FundingLineTable>, 'item_id'>>): Promise<void> {
  await db.deleteFrom('funding_line').where('item_id', '=', itemId).execute();
  if (rows.length) await db.insertInto('funding_line').values(rows.map((r) => ({ ...r, item_id: itemId }))).execute();
}

export async function listFunding(db: Q, itemIds: readonly number[]): Promise<FundingLineRow[]> {
  if (itemIds.length === 0) return [];
  return db.selectFrom('funding_line').selectAll().where('item_id', 'in', [...itemIds]).orderBy('item_id').orderBy('id').execute();
}

// ── Budget requests ───────────────────────────────────────────────────────────────────────

export async function insertBudgetRequest(db: Q, row: Insertable<BudgetRequestTable>): Promise<BudgetRequestRow> {
  return db.insertInto('budget_request').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findBudgetRequest(db: Q, id: number): Promise<BudgetRequestRow | undefined> {
  return db.selectFrom('budget_request').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Requests from these units, or addressed to these units (`to`). */
export async function listBudgetRequests(db: Q, q: { unitIds?: readonly string[]; toUnitIds?: readonly string[] }): Promise<BudgetRequestRow[]> {
  let query = db.selectFrom('budget_request').selectAll().orderBy('requested_on', 'desc').orderBy('id', 'desc');
  if (q.unitIds) {
    if (q.unitIds.length === 0) return [];
    query = query.where('unit_id', 'in', [...q.unitIds]);
  }
  if (q.toUnitIds) {
    if (q.toUnitIds.length === 0) return [];
    query = query.where('to_unit_id', 'in', [...q.toUnitIds]);
  }
  return query.execute();
}

export async function updateBudgetRequest(db: Q, id: number, expected: number, changes: Updateable<BudgetRequestTable>): Promise<boolean> {
  const r = await db
    .updateTable('budget_request')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
