/** Tasks (nhiệm vụ) from conclusions, and their append-only updates (progress, comments, status). */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, TaskRow, TaskTable, TaskUpdateRow, TaskUpdateTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const OPEN_STATUSES = ['new', 'in_progress'] as const;

export async function insertTask(db: Q, row: Insertable<TaskTable>): Promise<TaskRow> {
  return db.insertInto('task').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTask(db: Q, id: number): Promise<TaskRow | undefined> {
  return db.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTask(db: Q, id: number, expected: number, changes: Updateable<TaskTable>): Promise<boolean> {
  const r = await db
    .updateTable('task')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface TaskQuery {
  /** Tasks about these units or assigned to them (a unit's board). */
  unitIds?: readonly string[];
  committeeIds?: readonly number[];
  meetingId?: number;
  conclusionIds?: readonly number[];
  assigneeUsername?: string;
  assigneeMemberId?: number;
  /** Exact assignee name (agencies and people without an account). */
  assigneeName?: string;
  assigneeUnitIds?: readonly string[];
  statuses?: readonly string[];
  /** Open tasks (new, in progress) due on or before this date. */
  openDueBy?: string;
  limit?: number;
}

export async function listTasks(db: Q, q: TaskQuery): Promise<TaskRow[]> {
  let query = db.selectFrom('task').selectAll().orderBy('due_on').orderBy('id').limit(q.limit ?? 1000);
  if (q.unitIds) {
    if (q.unitIds.length === 0) return [];
    const ids = [...q.unitIds];
    query = query.where((eb) => eb.or([eb('unit_id', 'in', ids), eb('assignee_unit_id', 'in', ids)]));
  }
  if (q.committeeIds) {
    if (q.committeeIds.length === 0) return [];
    query = query.where('committee_id', 'in', [...q.committeeIds]);
  }
  if (q.meetingId !== undefined) query = query.where('meeting_id', '=', q.meetingId);
  if (q.conclusionIds) {
    if (q.conclusionIds.length === 0) return [];
    query = query.where('conclusion_id', 'in', [...q.conclusionIds]);
  }
  // Assignee filters are alternatives: "my tasks" = by account, or by my commune.
  const who: Array<(eb: any) => any> = [];
  if (q.assigneeUsername !== undefined) who.push((eb) => eb('assignee_username', '=', q.assigneeUsername));
  if (q.assigneeMemberId !== undefined) who.push((eb) => eb('assignee_member_id', '=', q.assigneeMemberId));
  if (q.assigneeName !== undefined) who.push((eb) => eb('assignee_name', '=', q.assigneeName));
  if (q.assigneeUnitIds && q.assigneeUnitIds.length) who.push((eb) => eb('assignee_unit_id', 'in', [...q.assigneeUnitIds!]));
  if (who.length) query = query.where((eb) => eb.or(who.map((f) => f(eb))));
  else if (q.assigneeUnitIds && q.assigneeUnitIds.length === 0 && q.assigneeUsername === undefined) return [];
  if (q.statuses) {
    if (q.statuses.length === 0) return [];
    query = query.where('status', 'in', [...q.statuses]);
  }
  if (q.openDueBy) query = query.where('status', 'in', [...OPEN_STATUSES]).where('due_on', '<=', q.openDueBy);
  return query.execute();
}

export async function countOpenTasksOfMeeting(db: Q, meetingId: number): Promise<{ open: number; all: number }> {
  const rows = await db
    .selectFrom('task')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('meeting_id', '=', meetingId)
    .groupBy('status')
    .execute();
  let open = 0;
  let all = 0;
  for (const r of rows) {
    all += Number(r.n);
    if ((OPEN_STATUSES as readonly string[]).includes(r.status)) open += Number(r.n);
  }
  return { open, all };
}

export async function countTasksOfConclusion(db: Q, conclusionId: number): Promise<number> {
  const r = await db.selectFrom('task').select((eb) => eb.fn.countAll<number>().as('n')).where('conclusion_id', '=', conclusionId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Mark every task of a deleted meeting as orphaned (they stay, with their history). */
export async function orphanTasksOfMeeting(db: Q, meetingId: number, at: string): Promise<number[]> {
  const rows = await db.selectFrom('task').select('id').where('meeting_id', '=', meetingId).execute();
  if (rows.length) {
    await db
      .updateTable('task')
      .set((eb) => ({ orphaned_at: at, updated_at: at, version: eb(eb.ref('version'), '+', 1) }))
      .where('meeting_id', '=', meetingId)
      .execute();
  }
  return rows.map((r) => r.id);
}

/** Record the first day an open task was found overdue (the daily job). */
export async function markOverdueSince(db: Q, ids: readonly number[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('task').set({ overdue_since: day }).where('id', 'in', [...ids]).where('overdue_since', 'is', null).execute();
}

export async function insertTaskUpdate(db: Q, row: Insertable<TaskUpdateTable>): Promise<TaskUpdateRow> {
  return db.insertInto('task_update').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listTaskUpdates(db: Q, taskIds: readonly number[]): Promise<TaskUpdateRow[]> {
  if (taskIds.length === 0) return [];
  return db.selectFrom('task_update').selectAll().where('task_id', 'in', [...taskIds]).orderBy('at').orderBy('id').execute();
}
