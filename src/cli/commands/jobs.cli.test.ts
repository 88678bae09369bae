/** `datchuan jobs run` on both databases. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { cliTestBed, runInProcess } from '../../test-support/cli.ts';
import { registerJobsCommands } from './jobs.ts';

describeEachDialect('datchuan jobs', (ctx) => {
  const bed = cliTestBed(ctx);

  it('runs the jobs once', async () => {
    expect((await runInProcess([registerJobsCommands], ['jobs', 'run', '--json'], bed.env)).code).toBe(0);
  });
});
