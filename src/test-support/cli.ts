/**
 * Running `datchuan` commands in tests. `runBinary` starts the real binary (exit codes, the
 * operator named from USER); `runInProcess` runs the same commands in this process (starting the
 * binary costs seconds) with `env` set, stdout captured and the exit code the binary would give.
 * `cliTestBed(ctx)` gives a test file a database its commands share with the test: a file on
 * SQLite (an in-memory one cannot be shared with a child process), the file's own on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, vi } from 'vitest';
import { isDomainError } from '../domain/errors.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { TEST_AUDIT_KEY, type DialectContext } from './dialects.ts';

const BIN = join(import.meta.dirname, '../../bin/datchuan.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBinary(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Run commands registered by `register` in this process with `env` set (an empty value unsets). */
export async function runInProcess(register: ReadonlyArray<(program: Command) => void>, args: string[], env: Record<string, string>): Promise<CliRun & { code: number }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === '') delete process.env[k];
  let stdout = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  process.exitCode = undefined;
  const program = new Command().exitOverride();
  for (const r of register) r(program);
  try {
    await program.parseAsync(['node', 'datchuan', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr: '' };
  } catch (e) {
    if (isDomainError(e)) return { code: 2, stdout, stderr: e.oneLine };
    throw e;
  } finally {
    process.exitCode = undefined;
    w.mockRestore();
    l.mockRestore();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

export interface CliTestBed {
  /** A folder for the file's outputs (removed afterwards). */
  readonly dir: string;
  /** DATABASE_URL of the shared database, its own data folder, the test audit key, cheap scrypt, a backup key, USER=van-hanh. */
  readonly env: Record<string, string>;
  /** The same database, migrated, for the test's own checks. */
  readonly db: Db;
}

/** Set up (beforeAll) and tear down (afterAll) the database a file's commands and checks share. */
export function cliTestBed(ctx: DialectContext): CliTestBed {
  let dir = '';
  let env: Record<string, string> = {};
  let db: Db | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'datchuan-cli-'));
    const url = ctx.dialect === 'sqlite' ? `sqlite:${join(dir, 'db.sqlite')}` : ctx.db.url;
    db = ctx.dialect === 'sqlite' ? openDatabase(url, { auditKey: TEST_AUDIT_KEY }) : ctx.db;
    env = {
      DATABASE_URL: url,
      DATCHUAN_DATA_DIR: join(dir, 'data'),
      DATCHUAN_AUDIT_KEY: TEST_AUDIT_KEY.toString('hex'),
      DATCHUAN_SCRYPT_LOG_N: '10', DATCHUAN_SCRYPT_P: '1', DATCHUAN_BACKUP_KEY: randomBytes(32).toString('hex'),
      USER: 'van-hanh',
    };
    await migrateToLatest(db);
  }, 60_000);
  afterAll(async () => {
    if (ctx.dialect === 'sqlite') await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get env() {
      return env;
    },
    get db(): Db {
      if (!db) throw new Error('database not ready: use bed.db inside tests or hooks');
      return db;
    },
  };
}
