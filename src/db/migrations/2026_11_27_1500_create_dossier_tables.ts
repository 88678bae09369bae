/**
 * Recognition dossiers (hồ sơ đề nghị công nhận) and what travels with them: the append-only
 * transition log, document versions, public comments with their consent records, revocation
 * alerts, and the link from a recognition to the dossier that produced it.
 */
import type { Kysely } from 'kysely';
import { editTracked, withId } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('dossier'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // recognition | revocation
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_since', 'text', (c) => c.notNull()) // ISO date the current step began
    .addColumn('base_review_id', 'integer', (c) => c.references('review.id'))
    .addColumn('recognition_id', 'integer', (c) => c.references('recognition.id')) // revocation: the one at stake
    .addColumn('alert_id', 'integer')
    .addColumn('satisfaction_rate', 'real')
    .addColumn('satisfaction_required', 'real', (c) => c.notNull())
    .addColumn('no_construction_debt', 'integer')
    .addColumn('security_ok', 'integer')
    .addColumn('deadline', 'text') // a committee's deadline (ISO date)
    .addColumn('deadline_task_id', 'integer')
    .addColumn('deadline_note', 'text')
    .addColumn('opened_on', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .execute();
  await db.schema.createIndex('dossier_unit_id_idx').on('dossier').column('unit_id').execute();
  await db.schema.createIndex('dossier_state_idx').on('dossier').column('state').execute();

  await withId(db, db.schema.createTable('dossier_transition'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossier.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull()) // the working date the move counts from
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text')
    .addColumn('comment', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossier_transition_dossier_seq_idx').on('dossier_transition').columns(['dossier_id', 'seq']).unique().execute();

  await withId(db, db.schema.createTable('dossier_document'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossier.id'))
    .addColumn('doc_type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossier_document_dossier_type_idx').on('dossier_document').columns(['dossier_id', 'doc_type', 'version']).unique().execute();

  await withId(db, db.schema.createTable('public_comment'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossier.id'))
    .addColumn('stage', 'text', (c) => c.notNull()) // the step whose consultation received it
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text')
    .addColumn('contact', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // pending | published | rejected
    .addColumn('moderated_by', 'text')
    .addColumn('moderated_at', 'text')
    .addColumn('moderation_note', 'text')
    .addColumn('client_hash', 'text', (c) => c.notNull()) // salted hash of the address: rate limiting only
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delete_after', 'text', (c) => c.notNull()) // ISO date: personal data erased after it
    .addColumn('personal_data_erased_at', 'text')
    .execute();
  await db.schema.createIndex('public_comment_dossier_idx').on('public_comment').columns(['dossier_id', 'status']).execute();
  await db.schema.createIndex('public_comment_client_idx').on('public_comment').columns(['client_hash', 'created_at']).execute();

  await withId(db, db.schema.createTable('consent_record'))
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('public_comment.id'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // publish_name | contact_reply
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('notice_version', 'text', (c) => c.notNull())
    .addColumn('notice_text', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema.createIndex('consent_record_comment_idx').on('consent_record').column('comment_id').execute();

  await withId(db, db.schema.createTable('revocation_alert'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('review.id'))
    .addColumn('recognition_id', 'integer', (c) => c.notNull().references('recognition.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('failing_json', 'text', (c) => c.notNull())
    .addColumn('reason_vi', 'text', (c) => c.notNull())
    .addColumn('reason_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | dossier_opened | dismissed
    .addColumn('dossier_id', 'integer')
    .addColumn('handled_by', 'text')
    .addColumn('handled_at', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('revocation_alert_unit_idx').on('revocation_alert').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('revocation_alert_review_idx').on('revocation_alert').columns(['review_id', 'recognition_id']).unique().execute();

  await db.schema.alterTable('recognition').addColumn('dossier_id', 'integer').execute();
  await db.schema.alterTable('recognition').addColumn('revoked_on', 'text').execute();
  await db.schema.alterTable('recognition').addColumn('revoked_by_dossier_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('recognition').dropColumn('revoked_by_dossier_id').execute();
  await db.schema.alterTable('recognition').dropColumn('revoked_on').execute();
  await db.schema.alterTable('recognition').dropColumn('dossier_id').execute();
  for (const t of ['revocation_alert', 'consent_record', 'public_comment', 'dossier_document', 'dossier_transition', 'dossier']) {
    await db.schema.dropTable(t).execute();
  }
}
