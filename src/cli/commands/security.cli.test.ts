/**
 * The operator's commands on both databases: first administrator (`user add --role admin`,
 * one-time password, forced change), token create/list/revoke, `audit verify` (exit 3 when the
 * chain is broken), `jobs run`, encrypted `backup`. The exit-code contract is checked on the real
 * binary; the rest runs the same commands in-process (starting the binary costs seconds).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { isDomainError } from '../../domain/errors.ts';
import { registerSecurityCommands } from './security.ts';
import { registerBackupCommands } from './backup.ts';
import { sql } from 'kysely';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { openDatabase, type Db } from '../../db/database.ts';
import { insertCommune } from '../../test-support/factories.ts';

const BIN = join(import.meta.dirname, '../../../bin/datchuan.mjs');

function run(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

/** Run commands in this process with `env` set: stdout captured, exit code as the binary would give. */
async function runHere(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === '') delete process.env[k];
  let stdout = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  process.exitCode = undefined;
  const program = new Command().exitOverride();
  registerSecurityCommands(program);
  registerBackupCommands(program);
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

describeEachDialect('datchuan user | token | audit | jobs | backup --encrypt', (ctx) => {
  let dir = '';
  let env: Record<string, string> = {};
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'datchuan-cli-sec-'));
    // SQLite in memory cannot be shared with a child process: use a file there.
    const url = ctx.dialect === 'sqlite' ? `sqlite:${join(dir, 'db.sqlite')}` : ctx.db.url;
    db = ctx.dialect === 'sqlite' ? openDatabase(url) : ctx.db;
    env = { DATABASE_URL: url, DATCHUAN_SCRYPT_LOG_N: '10', DATCHUAN_SCRYPT_P: '1', DATCHUAN_BACKUP_KEY: randomBytes(32).toString('hex'), USER: 'van-hanh' };
    const { migrateToLatest } = await import('../../db/database.ts');
    await migrateToLatest(db);
    await insertCommune(db.kysely, { code: '13510', name: 'Tràng An' });
  }, 60_000);
  afterAll(async () => {
    if (ctx.dialect === 'sqlite') await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the first administrator with a one-time password that must be changed', { timeout: 120_000 }, async () => {
    const r = await run(['user', 'add', 'quantri', '--role', 'admin', '--name', 'Quản trị viên', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { user: { username: string; mustChangePassword: boolean; grants: Array<{ role: string; unitId: string | null }> }; initialPassword: string };
    expect(out.user).toMatchObject({ username: 'quantri', mustChangePassword: true, grants: [{ role: 'admin', unitId: null }] });
    expect(out.initialPassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const row = await db.kysely.selectFrom('app_user').select('password_hash').where('username', '=', 'quantri').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(row.password_hash).not.toContain(out.initialPassword);
    const weak = await run(['user', 'add', 'can-bo.xa', '--role', 'commune_officer', '--unit', '13510@2025-03', '--password-stdin'], env, 'matkhau123\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('ít nhất 12 ký tự');
    expect(weak.stderr).toContain('at least 12 characters');
    const bad = await runHere(['user', 'add', 'ai-do', '--role', 'thu-truong'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('thu-truong');
    const list = await runHere(['user', 'list'], env);
    expect(list.stdout).toContain('quantri');
  });

  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    const c = await runHere(['token', 'create', 'csdl-quoc-gia', '--actions', 'feed.read,summary.read', '--units', '35@2025-03', '--json'], env);
    expect(c.code, c.stderr).toBe(0);
    const { token } = JSON.parse(c.stdout) as { token: string };
    const l = await runHere(['token', 'list'], env);
    expect(l.stdout).toContain('csdl-quoc-gia');
    expect(l.stdout).not.toContain(token);
    expect((await runHere(['token', 'create', 'x-bad', '--actions', 'user.manage'], env)).code).toBe(2);
    const rv = await runHere(['token', 'revoke', 'csdl-quoc-gia'], env);
    expect(rv.code).toBe(0);
    expect((await db.kysely.selectFrom('api_token').select('revoked_by').where('name', '=', 'csdl-quoc-gia').executeTakeFirstOrThrow()).revoked_by).toMatch(/^cli/);
    // The real binary names the operator's account.
    expect((await db.kysely.selectFrom('app_user').select('created_by').where('username', '=', 'quantri').executeTakeFirstOrThrow()).created_by).toBe('cli:van-hanh');
  });

  it('runs the jobs, backs up encrypted, and verifies the audit trail (exit 3 once tampered)', { timeout: 120_000 }, async () => {
    expect((await runHere(['jobs', 'run', '--json'], env)).code).toBe(0);
    const b = await runHere(['backup', '--encrypt', '-o', join(dir, `b-${ctx.dialect}.enc`), '--json'], env);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ encrypted: true });
    const noKey = await runHere(['backup', '--encrypt', '-o', join(dir, 'x.enc')], { ...env, DATCHUAN_BACKUP_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('DATCHUAN_BACKUP_KEY');
    const ok = await runHere(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('nguyên vẹn');
    const list = await runHere(['audit', 'list', '--entity', 'user'], env);
    expect(list.stdout).toContain('user.create');
    if (ctx.dialect === 'postgres') await sql`ALTER TABLE audit_event DISABLE TRIGGER USER`.execute(db.kysely);
    else await sql`DROP TRIGGER audit_event_no_update`.execute(db.kysely);
    const victim = await db.kysely.selectFrom('audit_event').select('id').where('action', '=', 'user.create').executeTakeFirstOrThrow();
    await db.kysely.updateTable('audit_event').set({ actor: 'nguoi-khac' }).where('id', '=', victim.id).execute();
    const broken = await run(['audit', 'verify'], env);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain(`row id ${victim.id}`);
  });
});
