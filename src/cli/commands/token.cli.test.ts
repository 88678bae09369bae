/** `datchuan token` on both databases: shown once, listed without the secret, revoked. */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { insertCommune } from '../../test-support/factories.ts';
import { cliTestBed, runInProcess } from '../../test-support/cli.ts';
import { registerTokenCommands } from './token.ts';

describeEachDialect('datchuan token', (ctx) => {
  const bed = cliTestBed(ctx);
  const runHere = (args: string[]) => runInProcess([registerTokenCommands], args, bed.env);
  beforeAll(async () => {
    // The token's unit (35@2025-03, Hà Nam) must exist.
    await insertCommune(bed.db.kysely, { code: '13510', name: 'Tràng An' });
  });

  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    const c = await runHere(['token', 'create', 'csdl-quoc-gia', '--actions', 'feed.read,summary.read', '--units', '35@2025-03', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const { token } = JSON.parse(c.stdout) as { token: string };
    const l = await runHere(['token', 'list']);
    expect(l.stdout).toContain('csdl-quoc-gia');
    expect(l.stdout).not.toContain(token);
    expect((await runHere(['token', 'create', 'x-bad', '--actions', 'user.manage'])).code).toBe(2);
    const rv = await runHere(['token', 'revoke', 'csdl-quoc-gia']);
    expect(rv.code).toBe(0);
    expect((await bed.db.kysely.selectFrom('api_token').select('revoked_by').where('name', '=', 'csdl-quoc-gia').executeTakeFirstOrThrow()).revoked_by).toMatch(/^cli/);
  });
});
