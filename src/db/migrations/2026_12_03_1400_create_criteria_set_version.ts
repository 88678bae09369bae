/**
 * Bộ tiêu chí soạn trong ứng dụng — criteria-set versions kept in the database: a province office's
 * set (or a new version of one) as a draft, then published and frozen. The document is the set in
 * the file format of src/catalog/set-file.ts; `indicator_meta` keeps who entered each indicator,
 * the attached copy of its source and who verified it (four-eyes); `reevaluation_json` the progress
 * and result of the re-evaluation started by publishing. `superseded_on` is set when a later
 * version takes over from that date (the only thing that changes on a published version).
 */
import type { Kysely } from 'kysely';
import { editTracked } from './helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('criteria_set_version')
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('set_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('province_id', 'text') // the province unit that owns it; null = national
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('indicator_meta', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('superseded_on', 'text')
    .addColumn('reevaluation_json', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .$call(editTracked)
    .addPrimaryKeyConstraint('criteria_set_version_pk', ['set_id', 'set_version'])
    .execute();
  await db.schema.createIndex('criteria_set_version_status_idx').on('criteria_set_version').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('criteria_set_version').execute();
}
