/**
 * Steering committees and what their meetings produce: members over time, meetings with the
 * units they reviewed (a frozen snapshot of each commune's status on the meeting date),
 * participants, conclusions, tasks with their updates, action plans with funding lines, budget
 * requests, and the log of reminders sent. Amounts are whole đồng (bigint).
 */
import type { Kysely } from 'kysely';
import { editTracked, withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('committee'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('decision_no', 'text')
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text')
    .addColumn('note', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('committee_unit_id_idx').on('committee').column('unit_id').execute();

  await withId(db, db.schema.createTable('committee_member'))
    .addColumn('committee_id', 'integer', (c) => c.notNull().references('committee.id'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('agency', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('criteria_json', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('email', 'text')
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addColumn('left_on', 'text')
    .addColumn('left_reason', 'text')
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('committee_member_committee_id_idx').on('committee_member').column('committee_id').execute();

  await withId(db, db.schema.createTable('meeting'))
    .addColumn('committee_id', 'integer', (c) => c.notNull().references('committee.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('agenda_json', 'text', (c) => c.notNull())
    .addColumn('minutes', 'text')
    .addColumn('attachments_json', 'text', (c) => c.notNull())
    .addColumn('notice_no', 'text')
    .addColumn('notice_on', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .addColumn('delete_reason', 'text')
    .execute();
  await db.schema.createIndex('meeting_committee_id_held_on_idx').on('meeting').columns(['committee_id', 'held_on']).execute();

  await db.schema
    .createTable('meeting_unit')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('snapshot_on', 'text', (c) => c.notNull())
    .addColumn('review_id', 'integer', (c) => c.references('review.id'))
    .addColumn('review_version', 'integer')
    .addColumn('set_id', 'text')
    .addColumn('criteria_met', 'integer')
    .addColumn('criteria_total', 'integer')
    .addColumn('indicators_met', 'integer')
    .addColumn('indicators_total', 'integer')
    .addColumn('summary_vi', 'text')
    .addColumn('summary_en', 'text')
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addColumn('frozen_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_unit_pkey', ['meeting_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('meeting_unit_unit_id_idx').on('meeting_unit').column('unit_id').execute();

  await withId(db, db.schema.createTable('meeting_participant'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('member_id', 'integer', (c) => c.references('committee_member.id'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('agency', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_participant_meeting_id_idx').on('meeting_participant').column('meeting_id').execute();

  await withId(db, db.schema.createTable('conclusion'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('conclusion_meeting_id_idx').on('conclusion').column('meeting_id').execute();

  await withId(db, db.schema.createTable('task'))
    .addColumn('meeting_id', 'integer', (c) => c.references('meeting.id'))
    .addColumn('conclusion_id', 'integer', (c) => c.references('conclusion.id'))
    .addColumn('committee_id', 'integer', (c) => c.references('committee.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('assignee_kind', 'text', (c) => c.notNull())
    .addColumn('assignee_name', 'text', (c) => c.notNull())
    .addColumn('assignee_unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('assignee_username', 'text')
    .addColumn('assignee_member_id', 'integer', (c) => c.references('committee_member.id'))
    .addColumn('set_id', 'text')
    .addColumn('targets_json', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_on', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('returned_by', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('overdue_since', 'text')
    .addColumn('orphaned_at', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('task_unit_id_status_idx').on('task').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('task_assignee_unit_id_idx').on('task').column('assignee_unit_id').execute();
  await db.schema.createIndex('task_assignee_username_idx').on('task').column('assignee_username').execute();
  await db.schema.createIndex('task_meeting_id_idx').on('task').column('meeting_id').execute();
  await db.schema.createIndex('task_committee_id_status_idx').on('task').columns(['committee_id', 'status']).execute();

  await withId(db, db.schema.createTable('task_update'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('task.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer')
    .addColumn('status_from', 'text')
    .addColumn('status_to', 'text')
    .addColumn('text', 'text')
    .addColumn('evidence_json', 'text')
    .execute();
  await db.schema.createIndex('task_update_task_id_idx').on('task_update').column('task_id').execute();

  await withId(db, db.schema.createTable('action_plan'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text')
    .addColumn('note', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('action_plan_unit_id_idx').on('action_plan').column('unit_id').execute();

  await withId(db, db.schema.createTable('action_plan_item'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('action_plan.id'))
    .addColumn('criterion_code', 'text', (c) => c.notNull())
    .addColumn('indicator_code', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('estimated_cost', 'bigint')
    .addColumn('target_on', 'text')
    .addColumn('owner', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('task_id', 'integer', (c) => c.references('task.id'))
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_plan_item_plan_id_idx').on('action_plan_item').column('plan_id').execute();

  await withId(db, db.schema.createTable('funding_line'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('action_plan_item.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('planned', 'bigint', (c) => c.notNull())
    .addColumn('mobilised', 'bigint', (c) => c.notNull())
    .addColumn('disbursed', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('funding_line_item_id_idx').on('funding_line').column('item_id').execute();

  await withId(db, db.schema.createTable('budget_request'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('to_unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('plan_id', 'integer', (c) => c.references('action_plan.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('requested_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('approved_amount', 'bigint')
    .addColumn('response_text', 'text')
    .addColumn('responded_on', 'text')
    .addColumn('responded_by', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('budget_request_unit_id_idx').on('budget_request').column('unit_id').execute();
  await db.schema.createIndex('budget_request_to_unit_id_idx').on('budget_request').column('to_unit_id').execute();

  await withId(db, db.schema.createTable('reminder_log'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('task_id', 'integer', (c) => c.references('task.id'))
    .addColumn('committee_id', 'integer', (c) => c.references('committee.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminder_log_dedupe_key_key', ['dedupe_key'])
    .execute();
  await db.schema.createIndex('reminder_log_run_on_idx').on('reminder_log').column('run_on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'reminder_log',
    'budget_request',
    'funding_line',
    'action_plan_item',
    'action_plan',
    'task_update',
    'task',
    'conclusion',
    'meeting_participant',
    'meeting_unit',
    'meeting',
    'committee_member',
    'committee',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
