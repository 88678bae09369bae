/** The solver runs in its own thread: a long solve never stops the server's event loop. */
import { afterAll, expect, it } from 'vitest';
import { solveMip, stopMipWorker } from './mip-solver.ts';

/** A multi-dimensional knapsack HiGHS cannot prove in a second: 250 binaries, 8 budget rows. */
function hardKnapsack(n = 250, rows = 8): string {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const v = Array.from({ length: n }, (_, i) => `x${i}`);
  const obj = v.map((x) => `${Math.round(500 + rnd() * 500)} ${x}`).join(' + ');
  const cons = Array.from({ length: rows }, (_, r) => {
    const w = v.map((x) => `${Math.round(100 + rnd() * 900)} ${x}`);
    return ` c${r}: ${w.join(' + ')} <= ${Math.round(n * 550 * 0.5)}`;
  }).join('\n');
  return `Maximize\n obj: ${obj}\nSubject To\n${cons}\nBinary\n ${v.join(' ')}\nEnd`;
}

afterAll(() => stopMipWorker());

it('keeps the event loop free while HiGHS works to its time limit', async () => {
  // Warm the worker first (loading HiGHS is not what this test is about).
  expect((await solveMip('Maximize\n obj: x\nSubject To\n c: x <= 1\nBinary\n x\nEnd', { timeLimitSeconds: 5 })).status).toBe('optimal');
  let last = performance.now();
  let worst = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  const r = await solveMip(hardKnapsack(), { timeLimitSeconds: 1.5 });
  const took = performance.now() - started;
  clearInterval(timer);
  expect(['time_limit', 'optimal']).toContain(r.status);
  expect(r.values.size).toBeGreaterThan(0);
  // Run on this thread, the loop would stand still for the whole solve; here it keeps ticking.
  expect(took).toBeGreaterThan(1000);
  expect(worst).toBeLessThan(took / 2);
  expect(ticks).toBeGreaterThan(20);
});

it('answers two solves asked at once, one after the other, each with its own result', async () => {
  const a = solveMip('Maximize\n obj: 3 x + 2 y\nSubject To\n c: x + y <= 1\nBinary\n x y\nEnd', { timeLimitSeconds: 5 });
  const b = solveMip('Maximize\n obj: 1 x + 5 y\nSubject To\n c: x + y <= 1\nBinary\n x y\nEnd', { timeLimitSeconds: 5 });
  const [ra, rb] = await Promise.all([a, b]);
  expect(ra.values.get('x')).toBe(1);
  expect(rb.values.get('y')).toBe(1);
});
