import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unit_list')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text', (c) => c.notNull().references('unit_list.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('name_folded', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('unit.id'))
    .addColumn('province_id', 'text', (c) => c.references('unit.id'))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addUniqueConstraint('unit_list_id_code_key', ['list_id', 'code'])
    .execute();
  await db.schema.createIndex('unit_parent_id_idx').on('unit').column('parent_id').execute();
  await db.schema.createIndex('unit_province_id_idx').on('unit').columns(['province_id', 'level']).execute();
  await db.schema.createIndex('unit_name_folded_idx').on('unit').column('name_folded').execute();
  await db.schema.createIndex('unit_code_idx').on('unit').column('code').execute();

  await db.schema
    .createTable('unit_lineage')
    .addColumn('predecessor_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('successor_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_lineage_pkey', ['predecessor_id', 'successor_id'])
    .execute();
  await db.schema.createIndex('unit_lineage_successor_id_idx').on('unit_lineage').column('successor_id').execute();

  await withId(db, db.schema.createTable('unit_attribute'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_attribute_unit_id_idx').on('unit_attribute').columns(['unit_id', 'name']).execute();

  await withId(db, db.schema.createTable('review'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'text')
    .execute();
  await db.schema.createIndex('review_unit_id_reviewed_on_idx').on('review').columns(['unit_id', 'reviewed_on']).execute();

  await withId(db, db.schema.createTable('indicator_value'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('review.id'))
    .addColumn('indicator_code', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('evidence_json', 'text')
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('restored_from_seq', 'integer')
    .addUniqueConstraint('indicator_value_review_id_indicator_code_seq_key', ['review_id', 'indicator_code', 'seq'])
    .execute();

  await db.schema
    .createTable('review_evaluation')
    .addColumn('review_id', 'integer', (c) => c.primaryKey().references('review.id'))
    .addColumn('review_version', 'integer', (c) => c.notNull())
    .addColumn('catalog_hash', 'text', (c) => c.notNull())
    .addColumn('criteria_met', 'integer', (c) => c.notNull())
    .addColumn('criteria_total', 'integer', (c) => c.notNull())
    .addColumn('indicators_met', 'integer', (c) => c.notNull())
    .addColumn('indicators_total', 'integer', (c) => c.notNull())
    .addColumn('not_evaluable', 'integer', (c) => c.notNull())
    .addColumn('not_applicable', 'integer', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('meets_standard', 'integer', (c) => c.notNull())
    .addColumn('criteria_status', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('recognition'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('set_id', 'text')
    .addColumn('decision_no', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'text', (c) => c.notNull())
    .addColumn('signer', 'text')
    .addColumn('note', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recognition_unit_id_idx').on('recognition').column('unit_id').execute();

  await withId(db, db.schema.createTable('audit_event'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute();
  await db.schema.createIndex('audit_event_entity_idx').on('audit_event').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_event_unit_id_idx').on('audit_event').column('unit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_event',
    'recognition',
    'review_evaluation',
    'indicator_value',
    'review',
    'unit_attribute',
    'unit_lineage',
    'unit',
    'unit_list',
    'app_meta',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
