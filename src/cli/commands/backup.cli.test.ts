/** `datchuan backup --encrypt` on both databases: needs DATCHUAN_BACKUP_KEY, refused without it. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { cliTestBed, runInProcess } from '../../test-support/cli.ts';
import { registerBackupCommands } from './backup.ts';

describeEachDialect('datchuan backup --encrypt', (ctx) => {
  const bed = cliTestBed(ctx);
  const runHere = (args: string[], env = bed.env) => runInProcess([registerBackupCommands], args, env);

  it('backs up encrypted, and refuses to without a key', { timeout: 120_000 }, async () => {
    const b = await runHere(['backup', '--encrypt', '-o', join(bed.dir, `b-${ctx.dialect}.enc`), '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ encrypted: true });
    const noKey = await runHere(['backup', '--encrypt', '-o', join(bed.dir, 'x.enc')], { ...bed.env, DATCHUAN_BACKUP_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('DATCHUAN_BACKUP_KEY');
  });
});
