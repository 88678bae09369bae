/**
 * Meetings (buổi làm việc, hội nghị): the units reviewed with their frozen snapshot, participants
 * and numbered conclusions. Deleting a meeting only marks it (`deleted_at`): its tasks stay.
 */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type {
  ConclusionRow,
  ConclusionTable,
  Database,
  MeetingParticipantRow,
  MeetingParticipantTable,
  MeetingRow,
  MeetingTable,
  MeetingUnitRow,
  MeetingUnitTable,
} from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function insertMeeting(db: Q, row: Insertable<MeetingTable>): Promise<MeetingRow> {
  return db.insertInto('meeting').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A meeting, deleted ones included (callers decide what a deleted meeting means). */
export async function findMeeting(db: Q, id: number): Promise<MeetingRow | undefined> {
  return db.selectFrom('meeting').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMeetings(db: Q, ids: readonly number[]): Promise<MeetingRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('meeting').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

export interface MeetingQuery {
  committeeIds?: readonly number[];
  /** Meetings that reviewed this unit. */
  unitId?: string;
  from?: string;
  to?: string;
  includeDeleted?: boolean;
  limit?: number;
}

export async function listMeetings(db: Q, q: MeetingQuery): Promise<MeetingRow[]> {
  let query = db.selectFrom('meeting').selectAll('meeting').orderBy('held_on', 'desc').orderBy('id', 'desc').limit(q.limit ?? 200);
  if (q.committeeIds) {
    if (q.committeeIds.length === 0) return [];
    query = query.where('committee_id', 'in', [...q.committeeIds]);
  }
  if (q.unitId) {
    const unitId = q.unitId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('meeting_unit as mu').select('mu.meeting_id').whereRef('mu.meeting_id', '=', 'meeting.id').where('mu.unit_id', '=', unitId)),
    );
  }
  if (q.from) query = query.where('held_on', '>=', q.from);
  if (q.to) query = query.where('held_on', '<=', q.to);
  if (!q.includeDeleted) query = query.where('deleted_at', 'is', null);
  return query.execute();
}

export async function updateMeeting(db: Q, id: number, expected: number, changes: Updateable<MeetingTable>): Promise<boolean> {
  const r = await db
    .updateTable('meeting')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ── Units reviewed (frozen snapshots) ─────────────────────────────────────────────────────

export async function insertMeetingUnit(db: Q, row: MeetingUnitTable): Promise<void> {
  await db.insertInto('meeting_unit').values(row).execute();
}

export async function listMeetingUnits(db: Q, meetingIds: readonly number[]): Promise<MeetingUnitRow[]> {
  if (meetingIds.length === 0) return [];
  return db.selectFrom('meeting_unit').selectAll().where('meeting_id', 'in', [...meetingIds]).orderBy('meeting_id').orderBy('position').execute();
}

export async function deleteMeetingUnit(db: Q, meetingId: number, unitId: string): Promise<number> {
  const r = await db.deleteFrom('meeting_unit').where('meeting_id', '=', meetingId).where('unit_id', '=', unitId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ── Participants ──────────────────────────────────────────────────────────────────────────

export async function replaceParticipants(db: Q, meetingId: number, rows: ReadonlyArray<Omit<Insertable<MeetingParticipantTable>, 'meeting_id'>>): Promise<void> {
  await db.deleteFrom('meeting_participant').where('meeting_id', '=', meetingId).execute();
  if (rows.length) await db.insertInto('meeting_participant').values(rows.map((r) => ({ ...r, meeting_id: meetingId }))).execute();
}

export async function listParticipants(db: Q, meetingId: number): Promise<MeetingParticipantRow[]> {
  return db.selectFrom('meeting_participant').selectAll().where('meeting_id', '=', meetingId).orderBy('sort_order').orderBy('id').execute();
}

// ── Conclusions ───────────────────────────────────────────────────────────────────────────

export async function insertConclusion(db: Q, row: Insertable<ConclusionTable>): Promise<ConclusionRow> {
  return db.insertInto('conclusion').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findConclusion(db: Q, id: number): Promise<ConclusionRow | undefined> {
  return db.selectFrom('conclusion').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findConclusions(db: Q, ids: readonly number[]): Promise<ConclusionRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('conclusion').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

export async function listConclusions(db: Q, meetingId: number): Promise<ConclusionRow[]> {
  return db.selectFrom('conclusion').selectAll().where('meeting_id', '=', meetingId).orderBy('seq').orderBy('id').execute();
}

export async function nextConclusionSeq(db: Q, meetingId: number): Promise<number> {
  const r = await db
    .selectFrom('conclusion')
    .select((eb) => eb.fn.max<number | null>('seq').as('m'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

export async function updateConclusion(db: Q, id: number, expected: number, changes: Updateable<ConclusionTable>): Promise<boolean> {
  const r = await db
    .updateTable('conclusion')
    .set({ ...changes, version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteConclusion(db: Q, id: number): Promise<void> {
  await db.deleteFrom('conclusion').where('id', '=', id).execute();
}
