/** Steering committees (Ban Chỉ đạo) and their memberships. */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { CommitteeMemberRow, CommitteeMemberTable, CommitteeRow, CommitteeTable, Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertCommittee(db: Q, row: Insertable<CommitteeTable>): Promise<CommitteeRow> {
  return db.insertInto('committee').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCommittee(db: Q, id: number): Promise<CommitteeRow | undefined> {
  return db.selectFrom('committee').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCommittees(db: Q, ids: readonly number[]): Promise<CommitteeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('committee').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

/** Committees of these units (all when `unitIds` is null), newest period first. */
export async function listCommittees(db: Q, unitIds: readonly string[] | null): Promise<CommitteeRow[]> {
  let q = db.selectFrom('committee').selectAll().orderBy('period_from', 'desc').orderBy('id', 'desc');
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unit_id', 'in', [...unitIds]);
  }
  return q.execute();
}

/** Optimistic lock: bump the version only if it still is `expected`. */
export async function updateCommittee(db: Q, id: number, expected: number, changes: Updateable<CommitteeTable>): Promise<boolean> {
  const r = await db
    .updateTable('committee')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertMember(db: Q, row: Insertable<CommitteeMemberTable>): Promise<CommitteeMemberRow> {
  return db.insertInto('committee_member').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findMember(db: Q, id: number): Promise<CommitteeMemberRow | undefined> {
  return db.selectFrom('committee_member').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMembers(db: Q, committeeIds: readonly number[]): Promise<CommitteeMemberRow[]> {
  if (committeeIds.length === 0) return [];
  return db
    .selectFrom('committee_member')
    .selectAll()
    .where('committee_id', 'in', [...committeeIds])
    .orderBy('joined_on')
    .orderBy('id')
    .execute();
}

export async function updateMember(db: Q, id: number, expected: number, changes: Updateable<CommitteeMemberTable>): Promise<boolean> {
  const r = await db
    .updateTable('committee_member')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Memberships linked to an account (to find a user's committees). */
export async function listMembershipsOfUser(db: Q, username: string): Promise<CommitteeMemberRow[]> {
  return db.selectFrom('committee_member').selectAll().where('username', '=', username).execute();
}
