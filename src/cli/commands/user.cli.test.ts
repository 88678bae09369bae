/**
 * `datchuan user` on both databases: the first administrator (one-time password, forced change,
 * the operator named in the trail) on the real binary, the rest in-process.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { cliTestBed, runBinary, runInProcess } from '../../test-support/cli.ts';
import { registerUserCommands } from './user.ts';

describeEachDialect('datchuan user', (ctx) => {
  const bed = cliTestBed(ctx);
  const runHere = (args: string[]) => runInProcess([registerUserCommands], args, bed.env);
  beforeAll(async () => {
    await insertCommune(bed.db.kysely, { code: '13510', name: 'Tràng An' });
  });

  it('creates the first administrator with a one-time password that must be changed', { timeout: 120_000 }, async () => {
    const { db, env } = bed;
    const r = await runBinary(['user', 'add', 'quantri', '--role', 'admin', '--name', 'Quản trị viên', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { user: { username: string; mustChangePassword: boolean; grants: Array<{ role: string; unitId: string | null }> }; initialPassword: string };
    expect(out.user).toMatchObject({ username: 'quantri', mustChangePassword: true, grants: [{ role: 'admin', unitId: null }] });
    expect(out.initialPassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const row = await db.kysely.selectFrom('app_user').select('password_hash').where('username', '=', 'quantri').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(row.password_hash).not.toContain(out.initialPassword);
    // The real binary names the operator's account.
    expect((await db.kysely.selectFrom('app_user').select('created_by').where('username', '=', 'quantri').executeTakeFirstOrThrow()).created_by).toBe('cli:van-hanh');
    const weak = await runBinary(['user', 'add', 'can-bo.xa', '--role', 'commune_officer', '--unit', '13510@2025-03', '--password-stdin'], env, 'matkhau123\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('ít nhất 12 ký tự');
    expect(weak.stderr).toContain('at least 12 characters');
    const bad = await runHere(['user', 'add', 'ai-do', '--role', 'thu-truong']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('thu-truong');
    const list = await runHere(['user', 'list']);
    expect(list.stdout).toContain('quantri');
  });
});
