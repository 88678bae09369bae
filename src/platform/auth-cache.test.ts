/**
 * The sign-in throttles' counters: progressive delays (30 s doubling, capped), a sliding window,
 * forgetting an account — in memory and in the database (where every server counts the same
 * failures), on both dialects.
 */
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { databaseFailureStore, type FailureStore } from '../db/sign-in-failure.repository.ts';
import { FailureCounter, LoginThrottle, memoryFailureStore, progressiveDelayMs } from './auth-cache.ts';

describe('progressive delays', () => {
  it('waits nothing below the threshold, then 30 s doubling up to the cap', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 40].map((n) => progressiveDelayMs(n, 5, 15 * 60_000) / 1000)).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
  });
});

function counterTests(store: () => FailureStore): void {
  it('counts failures per key in a sliding window, the wait measured from the latest one', async () => {
    const c = new FailureCounter(3, 60 * 60_000, 10 * 60_000, store());
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) await c.fail('a', t0 + i * 1000);
    expect(await c.delayMs('a', t0 + 2000)).toBe(30_000);
    expect(await c.delayMs('a', t0 + 32_000)).toBe(0);
    expect(await c.delayMs('b', t0)).toBe(0);
    await c.fail('a', t0 + 40_000);
    expect(await c.delayMs('a', t0 + 40_000)).toBe(60_000);
    // An hour later the window has forgotten them.
    expect(await c.delayMs('a', t0 + 61 * 60_000)).toBe(0);
  });

  it('reads at most 64 failures per key, enough for the cap', async () => {
    const c = new FailureCounter(1, 3600_000, 900_000, store());
    for (let i = 0; i < 100; i++) await c.fail('x', i);
    expect(await c.delayMs('x', 99)).toBe(900_000);
  });

  it('forgets an account at every address on unlock, and nothing else', async () => {
    const t = new LoginThrottle({ accountThreshold: 1, accountCapMs: 60_000, addressThreshold: 1, addressWindowMs: 60_000 }, store());
    await t.accountAtAddress.fail(LoginThrottle.pairKey(7, '10.0.0.1'), 0);
    await t.accountAtAddress.fail(LoginThrottle.pairKey(7, '10.0.0.2'), 0);
    await t.accountAtAddress.fail(LoginThrottle.pairKey(70, '10.0.0.1'), 0);
    await t.secondFactor.fail(LoginThrottle.secondFactorKey(7), 0);
    await t.address.fail(LoginThrottle.addressKey('10.0.0.1'), 0);
    await t.forgetAccount(7);
    expect(await t.accountAtAddress.delayMs(LoginThrottle.pairKey(7, '10.0.0.1'), 1)).toBe(0);
    expect(await t.accountAtAddress.delayMs(LoginThrottle.pairKey(7, '10.0.0.2'), 1)).toBe(0);
    expect(await t.secondFactor.delayMs(LoginThrottle.secondFactorKey(7), 1)).toBe(0);
    expect(await t.accountAtAddress.delayMs(LoginThrottle.pairKey(70, '10.0.0.1'), 1)).toBeGreaterThan(0);
    expect(await t.address.delayMs(LoginThrottle.addressKey('10.0.0.1'), 1)).toBeGreaterThan(0);
  });
}

describe('failure counters in memory', () => counterTests(memoryFailureStore));

describeEachDialect('failure counters in the database', (ctx) => {
  // Each test uses keys of its own: the database starts empty for each.
  counterTests(() => databaseFailureStore(ctx.db.kysely));
  it('counts the failures of every server on the database together', async () => {
    await ctx.db.kysely.deleteFrom('sign_in_failure').execute();
    const limits = { accountThreshold: 5, accountCapMs: 60_000, addressThreshold: 3, addressWindowMs: 60_000 };
    const a = new LoginThrottle(limits, databaseFailureStore(ctx.db.kysely));
    const b = new LoginThrottle(limits, databaseFailureStore(ctx.db.kysely));
    const key = LoginThrottle.addressKey('198.51.100.4');
    await a.address.fail(key, 1000);
    await b.address.fail(key, 2000);
    expect(await a.address.delayMs(key, 2000)).toBe(0);
    await a.address.fail(key, 3000);
    expect(await b.address.delayMs(key, 3000)).toBe(30_000);
  });
});
