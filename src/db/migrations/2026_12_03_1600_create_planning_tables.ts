/**
 * Decision support (issue 15). `indicator_cost_default`: a province's default cost (whole đồng)
 * and time (days) to close an indicator of a set where a commune has no action plan for it — who
 * set it and when, versioned like every edited record. `allocation_proposal`: a budget allocation
 * (its input and the solver's result) saved as a proposal on a committee meeting.
 */
import type { Kysely } from 'kysely';
import { editTracked, withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('indicator_cost_default')
    .addColumn('province_id', 'text', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('indicator_code', 'text', (c) => c.notNull())
    .addColumn('cost', 'bigint')
    .addColumn('days', 'integer')
    .addColumn('note', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_cost_default_pk', ['province_id', 'set_id', 'indicator_code'])
    .execute();
  await withId(db, db.schema.createTable('allocation_proposal'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text')
    .addColumn('budget', 'bigint', (c) => c.notNull())
    .addColumn('input_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('allocation_proposal_meeting_idx').on('allocation_proposal').column('meeting_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('allocation_proposal').execute();
  await db.schema.dropTable('indicator_cost_default').execute();
}
