/** Decision support: default costs per province and indicator; allocation proposals on meetings. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AllocationProposalRow, AllocationProposalTable, Database, IndicatorCostDefaultRow, IndicatorCostDefaultTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function listCostDefaults(db: Q, provinceId: string, setId: string): Promise<IndicatorCostDefaultRow[]> {
  return db.selectFrom('indicator_cost_default').selectAll().where('province_id', '=', provinceId).where('set_id', '=', setId).orderBy('indicator_code').execute();
}

export async function findCostDefault(db: Q, provinceId: string, setId: string, code: string): Promise<IndicatorCostDefaultRow | undefined> {
  return db.selectFrom('indicator_cost_default').selectAll().where('province_id', '=', provinceId).where('set_id', '=', setId).where('indicator_code', '=', code).executeTakeFirst();
}

export async function insertCostDefault(db: Q, row: Insertable<IndicatorCostDefaultTable>): Promise<IndicatorCostDefaultRow> {
  return db.insertInto('indicator_cost_default').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic: only when the stored version is `expected`. */
export async function updateCostDefault(
  db: Q,
  key: { provinceId: string; setId: string; code: string },
  expected: number,
  changes: Pick<IndicatorCostDefaultTable, 'cost' | 'days' | 'note' | 'updated_at' | 'updated_by'>,
): Promise<boolean> {
  const r = await db
    .updateTable('indicator_cost_default')
    .set({ ...changes, version: expected + 1 })
    .where('province_id', '=', key.provinceId)
    .where('set_id', '=', key.setId)
    .where('indicator_code', '=', key.code)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteCostDefault(db: Q, key: { provinceId: string; setId: string; code: string }, expected: number): Promise<boolean> {
  const r = await db
    .deleteFrom('indicator_cost_default')
    .where('province_id', '=', key.provinceId)
    .where('set_id', '=', key.setId)
    .where('indicator_code', '=', key.code)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function insertProposal(db: Q, row: Insertable<AllocationProposalTable>): Promise<AllocationProposalRow> {
  return db.insertInto('allocation_proposal').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listProposalsOfMeeting(db: Q, meetingId: number): Promise<AllocationProposalRow[]> {
  return db.selectFrom('allocation_proposal').selectAll().where('meeting_id', '=', meetingId).orderBy('id').execute();
}

export async function findProposal(db: Q, id: number): Promise<AllocationProposalRow | undefined> {
  return db.selectFrom('allocation_proposal').selectAll().where('id', '=', id).executeTakeFirst();
}
