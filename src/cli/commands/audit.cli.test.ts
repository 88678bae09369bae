/** `datchuan audit` on both databases: verify, list, and exit 3 from the real binary once tampered. */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { cliTestBed, runBinary, runInProcess } from '../../test-support/cli.ts';
import { registerAuditCommands } from './audit.ts';
import { registerUserCommands } from './user.ts';

describeEachDialect('datchuan audit', (ctx) => {
  const bed = cliTestBed(ctx);
  const runHere = (args: string[]) => runInProcess([registerAuditCommands, registerUserCommands], args, bed.env);
  beforeAll(async () => {
    // Something in the trail: the first administrator.
    const r = await runHere(['user', 'add', 'quantri', '--role', 'admin', '--name', 'Quản trị viên']);
    if (r.code !== 0) throw new Error(r.stderr);
  });

  it('verifies the audit trail (exit 3 once tampered)', { timeout: 120_000 }, async () => {
    const { db, env } = bed;
    const noAnchor = await runHere(['audit', 'verify']);
    expect(noAnchor.code).toBe(0);
    expect(noAnchor.stdout).toContain('no published anchor');
    // Publish an anchor (printed for syslog/mail, appended to the anchor file); verify checks it.
    const anchor = await runHere(['audit', 'anchor']);
    expect(anchor.code, anchor.stderr).toBe(0);
    expect(JSON.parse(anchor.stdout)).toMatchObject({ v: 1, keyedFrom: 1, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const ok = await runHere(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('nguyên vẹn');
    expect(ok.stdout).toContain('keyed from seq 1');
    expect(ok.stdout).toContain('matches the published anchor');
    const list = await runHere(['audit', 'list', '--entity', 'user']);
    expect(list.stdout).toContain('user.create');
    if (ctx.dialect === 'postgres') await sql`ALTER TABLE audit_event DISABLE TRIGGER USER`.execute(db.kysely);
    else await sql`DROP TRIGGER audit_event_no_update`.execute(db.kysely);
    const victim = await db.kysely.selectFrom('audit_event').select('id').where('action', '=', 'user.create').executeTakeFirstOrThrow();
    await db.kysely.updateTable('audit_event').set({ actor: 'nguoi-khac' }).where('id', '=', victim.id).execute();
    const broken = await runBinary(['audit', 'verify'], env);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain(`row id ${victim.id}`);
  });
});
