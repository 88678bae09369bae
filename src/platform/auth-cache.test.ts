/** The sign-in throttles' counters: progressive delays (30 s doubling, capped), a sliding window, forgetting an account. */
import { describe, expect, it } from 'vitest';
import { FailureCounter, LoginThrottle, progressiveDelayMs } from './auth-cache.ts';

describe('progressive delays', () => {
  it('waits nothing below the threshold, then 30 s doubling up to the cap', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 40].map((n) => progressiveDelayMs(n, 5, 15 * 60_000) / 1000)).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
  });

  it('counts failures per key in a sliding window, the wait measured from the latest one', () => {
    const c = new FailureCounter(3, 60 * 60_000, 10 * 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) c.fail('a', t0 + i * 1000);
    expect(c.delayMs('a', t0 + 2000)).toBe(30_000);
    expect(c.delayMs('a', t0 + 32_000)).toBe(0);
    expect(c.delayMs('b', t0)).toBe(0);
    c.fail('a', t0 + 40_000);
    expect(c.delayMs('a', t0 + 40_000)).toBe(60_000);
    // An hour later the window has forgotten them.
    expect(c.delayMs('a', t0 + 61 * 60_000)).toBe(0);
  });

  it('keeps at most 64 failures per key, enough for the cap', () => {
    const c = new FailureCounter(1, 3600_000, 900_000);
    for (let i = 0; i < 1000; i++) c.fail('x', i);
    expect(c.delayMs('x', 999)).toBe(900_000);
  });

  it('forgets an account at every address on unlock, and nothing else', () => {
    const t = new LoginThrottle({ accountThreshold: 1, accountCapMs: 60_000, addressThreshold: 1, addressWindowMs: 60_000 });
    t.accountAtAddress.fail(LoginThrottle.pairKey(7, '10.0.0.1'), 0);
    t.accountAtAddress.fail(LoginThrottle.pairKey(7, '10.0.0.2'), 0);
    t.accountAtAddress.fail(LoginThrottle.pairKey(70, '10.0.0.1'), 0);
    t.secondFactor.fail('7', 0);
    t.address.fail('10.0.0.1', 0);
    t.forgetAccount(7);
    expect(t.accountAtAddress.delayMs(LoginThrottle.pairKey(7, '10.0.0.1'), 1)).toBe(0);
    expect(t.accountAtAddress.delayMs(LoginThrottle.pairKey(7, '10.0.0.2'), 1)).toBe(0);
    expect(t.secondFactor.delayMs('7', 1)).toBe(0);
    expect(t.accountAtAddress.delayMs(LoginThrottle.pairKey(70, '10.0.0.1'), 1)).toBeGreaterThan(0);
    expect(t.address.delayMs('10.0.0.1', 1)).toBeGreaterThan(0);
  });
});
