import { expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { claimLease } from './meta.repository.ts';

describeEachDialect('leases (one server of several runs a periodic job)', (ctx) => {
  it('goes to one holder until it expires, then to another; its holder renews it', async () => {
    const t0 = new Date('2026-12-03T02:00:00Z');
    const later = (ms: number) => new Date(t0.getTime() + ms);
    const k = ctx.db.kysely;
    const both = await Promise.all([claimLease(k, 'test', 'a', t0, 60_000), claimLease(k, 'test', 'b', t0, 60_000)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = both[0] ? ['a', 'b'] : ['b', 'a'];
    expect(await claimLease(k, 'test', loser, later(30_000), 60_000)).toBe(false);
    expect(await claimLease(k, 'test', winner, later(30_000), 60_000)).toBe(true);
    // The winner stopped renewing: once the lease ran out, the other takes it.
    expect(await claimLease(k, 'test', loser, later(89_000), 60_000)).toBe(false);
    expect(await claimLease(k, 'test', loser, later(91_000), 60_000)).toBe(true);
    expect(await claimLease(k, 'test', winner, later(92_000), 60_000)).toBe(false);
  });
});
