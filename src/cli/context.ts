/**
 * The command line's composition root: the one place that reads the configuration, opens and
 * closes the database and names the operator. A command that needs the database runs inside
 * `withDatabase`; nothing else in src/cli imports src/db/database.ts, and commands reach the data
 * only through services (never a repository).
 */
import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../config.ts';
import { migrateAllDown, migrateDown, migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { cliActor, type Actor } from '../services/actor.ts';
import { loadOrCreateAuditKey } from '../platform/audit-key-file.ts';
import { createAuthContext, type AuthContext } from '../services/auth.service.ts';
import { loadStoredSets } from '../services/criteria-authoring.service.ts';

/** What a command works with: the configuration (read once per command), the operator, the database. */
export interface CliContext {
  config: Readonly<Config>;
  /** `cli:<os user>`: who the audit trail says acted. The CLI is trusted: no role policy applies. */
  actor: Actor;
  db: Db;
}

/** The configuration, for a command that needs it before opening the database or without one. */
export function loadCliConfig(): Readonly<Config> {
  return loadConfig();
}

/**
 * The audit chain's key: DATCHUAN_AUDIT_KEY, else `<data dir>/audit.key` (made on first use, with a
 * warning). Never none: a chain written without a key could be rewritten and rehashed by anyone.
 */
export function auditKeyOf(config: Readonly<Config>): Buffer {
  if (config.auditKey) return config.auditKey;
  const k = loadOrCreateAuditKey(config.dataDir);
  if (k.created) {
    process.stderr.write(
      `Cảnh báo / warning: DATCHUAN_AUDIT_KEY chưa đặt, đã tạo khóa nhật ký ${k.file} / DATCHUAN_AUDIT_KEY is not set: created the audit key ${k.file}.\n` +
        '  Trên máy chủ thật hãy đặt DATCHUAN_AUDIT_KEY(_FILE) từ kho bí mật, tách khỏi cơ sở dữ liệu / in production set DATCHUAN_AUDIT_KEY(_FILE) from a secret store, apart from the database.\n',
    );
  }
  return k.key;
}

/** Open the database named by the configuration; the caller closes `db` (`serve` keeps it open). */
export function openCliContext(config: Readonly<Config> = loadConfig()): CliContext {
  return { config, actor: cliActor(config.osUser), db: openDatabase(config.databaseUrl, { auditKey: auditKeyOf(config) }) };
}

export interface DatabaseOptions {
  /** Bring the schema to the latest migration first. */
  migrate?: boolean;
  /** The configuration the command has already read (else it is read here). */
  config?: Readonly<Config>;
}

/** Run `fn` with the database open, and close it however `fn` ends. */
export async function withDatabase<T>(fn: (ctx: CliContext) => Promise<T>, opts: DatabaseOptions = {}): Promise<T> {
  const ctx = openCliContext(opts.config);
  try {
    if (opts.migrate) await migrateToLatest(ctx.db);
    if (opts.migrate) await loadStoredSets(ctx.db);
    return await fn(ctx);
  } finally {
    await ctx.db.close();
  }
}

/** `withDatabase` (migrated) plus the security services' context: accounts, tokens, the audit trail, jobs. */
export function withAuth<T>(fn: (auth: AuthContext, ctx: CliContext) => Promise<T>): Promise<T> {
  return withDatabase((ctx) => fn(createAuthContext(ctx.db, ctx.config.security), ctx), { migrate: true });
}

/**
 * Run `fn` with the database's criteria sets installed in the catalogue (published versions, and
 * `drafts` when asked), when there is a database; a SQLite file that does not exist yet is not
 * created — the catalogue is then the shipped files alone.
 */
export async function withStoredSets<T>(fn: (ctx: CliContext | null) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.databaseUrl.startsWith('sqlite:') && !existsSync(config.databaseUrl.replace(/^sqlite:/, ''))) return fn(null);
  return withDatabase(fn, { migrate: true, config });
}

export type MigrationStep = 'latest' | 'down' | 'reset';

/** Move the schema: to the latest migration, one step down, or all the way down (deletes data). */
export async function migrateDatabase(db: Db, step: MigrationStep) {
  return step === 'reset' ? migrateAllDown(db) : step === 'down' ? migrateDown(db) : migrateToLatest(db);
}
