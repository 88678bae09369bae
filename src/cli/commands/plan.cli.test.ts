/** `datchuan plan allocate --input` (the stable contract) and the one-line bilingual refusals. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.ts';
import { cliTestBed, runBinary, runInProcess } from '../../test-support/cli.ts';
import { registerPlanCommands, parseDong } from './plan.ts';

const INPUT = {
  budget: 600,
  communes: [
    { id: 'a', unmet: ['1.1', '2.1'] },
    { id: 'b', unmet: ['3.1'] },
    { id: 'c', unmet: ['1.1', '4.2'] },
  ],
  actions: [
    { id: 'a1', commune: 'a', cost: 200, closes: ['1.1'] },
    { id: 'a2', commune: 'a', cost: 250, closes: ['2.1'] },
    { id: 'b1', commune: 'b', cost: 450, closes: ['3.1'] },
    { id: 'c1', commune: 'c', cost: 100, closes: ['1.1', '4.2'] },
  ],
};

describeEachDialect('datchuan plan', (ctx) => {
  const bed = cliTestBed(ctx);
  const run = (args: string[]) => runInProcess([registerPlanCommands], args, bed.env);

  it('allocates a given instance: the optimum (two communes), compared with greedy, in the contract shape', async () => {
    const file = join(bed.dir, 'input.json');
    writeFileSync(file, JSON.stringify(INPUT));
    const r = await run(['plan', 'allocate', '--input', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { chosen: string[]; reaching: string[]; greedy: Record<string, unknown> };
    expect(out).toMatchObject({ status: 'optimal', communesReaching: 2, indicatorsClosed: 4, cost: 550 });
    // c needs c1 (100); a needs a1 + a2 (450), b needs b1 (450): two communes fit; a closes more indicators than b.
    expect([...out.chosen].sort()).toEqual(['a1', 'a2', 'c1']);
    expect([...out.reaching].sort()).toEqual(['a', 'c']);
    for (const k of ['gap', 'indicatorsClosed', 'greedy']) expect(out).toHaveProperty(k);
    expect(out.greedy).toHaveProperty('communesReaching');
    const text = await run(['plan', 'allocate', '--input', file]);
    expect(text.stdout).toMatch(/2 xã đạt chuẩn/);
  });

  it('refuses bad input with one bilingual line naming the field, exit 2', async () => {
    const file = join(bed.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...INPUT, actions: [{ id: 'x', commune: 'a', cost: -1, closes: ['1.1'] }] }));
    const r = await run(['plan', 'allocate', '--input', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hạng mục "x".* \/ .*"x"/);
    expect(r.stderr).toMatch(/ \/ /);
    const met = join(bed.dir, 'met.json');
    writeFileSync(met, JSON.stringify({ ...INPUT, actions: [{ id: 'x', commune: 'b', cost: 10, closes: ['1.1'] }] }));
    const m = await run(['plan', 'allocate', '--input', met]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/1\.1/);
    const zero = join(bed.dir, 'zero.json');
    writeFileSync(zero, JSON.stringify({ ...INPUT, budget: 0 }));
    expect((await run(['plan', 'allocate', '--input', zero])).stderr).toMatch(/budget/);
    expect((await run(['plan', 'allocate', '--unit', '352@2025-03', '--budget', 'nhiều tiền'])).stderr).toMatch(/--budget/);
    expect((await run(['plan', 'gaps', '--unit', '352@2025-03', '--date', 'hôm qua'])).code).toBe(2);
  });

  it('the real binary solves and exits (the solver thread does not keep it alive)', async () => {
    const file = join(bed.dir, 'bin-input.json');
    writeFileSync(file, JSON.stringify(INPUT));
    const r = await runBinary(['plan', 'allocate', '--input', file, '--json'], bed.env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ communesReaching: 2, cost: 550 });
  }, 60_000);

  it('exits 2 from the real binary on a file that is not JSON', async () => {
    const file = join(bed.dir, 'not.json');
    writeFileSync(file, '{ budget: ');
    const r = await runBinary(['plan', 'allocate', '--input', file], bed.env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/không phải JSON hợp lệ.* \/ .*is not valid JSON/);
  });
});

it('reads amounts as people type them', () => {
  expect(parseDong('2500000000', 'x')).toBe(2_500_000_000);
  expect(parseDong('2.500.000.000', 'x')).toBe(2_500_000_000);
  expect(parseDong('2500tr', 'x')).toBe(2_500_000_000);
  expect(parseDong('2,5ty', 'x')).toBe(2_500_000_000);
  expect(parseDong('2,5 tỷ', 'x')).toBe(2_500_000_000);
  expect(() => parseDong('0', 'x')).toThrow();
  expect(() => parseDong('-5', 'x')).toThrow();
});
