/** Dialect helpers for migrations only (migrations never import application code). */
import { PostgresAdapter, sql, type Kysely, type CreateTableBuilder } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-increment integer primary key named `id`, on either dialect. */
export function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * The columns of a record people edit: the version a write must quote (optimistic locking), who
 * created it and when, and when it last changed.
 */
export function editTracked<T extends string, C extends string>(t: CreateTableBuilder<T, C>): CreateTableBuilder<T, C | 'version' | 'created_by' | 'created_at' | 'updated_at'> {
  return t
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
}

export { sql };
