/**
 * Opens the database named by a URL: `sqlite:<path>` (embedded, the default) or `postgres://…`.
 * The only place that knows which driver is underneath.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type MigrationResultSet } from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';
import { AuditKeyPlugin } from './audit-key.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  url: string;
  /** The better-sqlite3 handle (for online backup); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// PostgreSQL returns bigint (count(*)) and numeric as strings by default: we want numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** The query builder of a database handle or of a transaction already open. */
export function kyselyOf(db: Db | Kysely<Database>): Kysely<Database> {
  return db instanceof Kysely ? db : db.kysely;
}

/** Whether a use case was handed the database (rather than a bare Kysely, e.g. a transaction). */
export function isDb(db: Db | Kysely<Database>): db is Db {
  return !(db instanceof Kysely);
}

/**
 * After a bulk load (millions of rows): the planners' statistics, and on PostgreSQL the visibility
 * map that keeps index-only scans index-only, brought up to date before anyone reads.
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  await sql.raw(db.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE').execute(db.kysely);
}

/**
 * Kysely prepares every SQLite statement again on each query (parsing and planning cost about as
 * much as running a small write); keep the prepared statements of the last few hundred distinct
 * SQL texts. A statement still being iterated (a streamed select) is never handed out twice.
 */
export function cachedStatements(sqlite: SQLite.Database, max = 500): { close(): void; prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(sql);
      if (!hit) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

export interface OpenOptions {
  /**
   * The key of the audit chain (HMAC-SHA-256, kept outside the database: DATCHUAN_AUDIT_KEY). Without
   * it the chain stays unkeyed SHA-256 until a keyed writer has appended, after which unkeyed
   * writes are refused (audit.repository.ts).
   */
  auditKey?: Buffer | null;
}

export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  const plugins = opts.auditKey ? [new AuditKeyPlugin(opts.auditKey)] : [];
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection closed by the server (restart, admin command) must not crash the process:
    // the pool drops it and opens a new one on the next query.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection error: ${err.message}`));
    // Nor may a connection lost while checked out (a query on the wire, a transaction open): the pool
    // listens only to idle ones, and an 'error' event nobody listens to ends the process. The query
    // itself fails (the request is answered 503 database_unavailable) and the client is discarded.
    pool.on('connect', (client) => client.on('error', (err) => process.emitWarning(`PostgreSQL connection lost: ${err.message}`)));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    return { kysely, dialect: 'postgres', url, sqlite: null, close: () => kysely.destroy() };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }), plugins });
  return { kysely, dialect: 'sqlite', url, sqlite, close: () => kysely.destroy() };
}

function migrator(db: Db): Migrator {
  return new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) throw result.error;
  return result;
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateDown());
}

export async function migrateAllDown(db: Db): Promise<MigrationResultSet> {
  const { NO_MIGRATIONS } = await import('kysely');
  return check(await migrator(db).migrateTo(NO_MIGRATIONS));
}
