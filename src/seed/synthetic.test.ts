import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { getMeta, isDemoDatabase } from '../db/meta.repository.ts';
import { findUserByUsername } from '../db/user.repository.ts';
import { listReviewsOfUnits } from '../db/review.repository.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { getReview } from '../services/review.service.ts';
import { DomainError } from '../domain/errors.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { seedSynthetic, SYNTHETIC_DATES_BEFORE, SYNTHETIC_SET_ID, type SyntheticResult } from './synthetic.ts';

describeEachDialect('synthetic data', (ctx) => {
  let first: SyntheticResult;
  let progress = 0;
  beforeAll(async () => {
    first = await seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 7, limitCommunes: 2, batchSize: 5, onProgress: () => progress++ });
  }, 180_000);

  async function valuesHash(): Promise<{ hash: string; reviews: Awaited<ReturnType<typeof listReviewsOfUnits>> }> {
    const ids = (await ctx.db.kysely.selectFrom('review').select('unit_id').distinct().execute()).map((r) => r.unit_id);
    const reviews = await listReviewsOfUnits(ctx.db.kysely, ids);
    const h = createHash('sha256');
    const rows = await ctx.db.kysely.selectFrom('indicator_value').innerJoin('review', 'review.id', 'indicator_value.review_id').select(['review.unit_id', 'review.reviewed_on', 'indicator_value.indicator_code', 'indicator_value.value_json']).orderBy('review.unit_id').orderBy('review.reviewed_on').orderBy('indicator_value.indicator_code').execute();
    for (const r of rows) h.update(`${r.unit_id}|${r.reviewed_on}|${r.indicator_code}|${r.value_json}\n`);
    return { hash: h.digest('hex'), reviews };
  }

  it('writes quarterly reviews of the communes of both lists against the national set, with the cache', async () => {
    expect(first.communesBefore).toBe(2);
    expect(first.communesAfter).toBe(2);
    // 14 quarters before the merger; 2 after in 2025 (2026 skipped: the 2026–2030 set has no indicator).
    expect(SYNTHETIC_DATES_BEFORE).toHaveLength(14);
    expect(first.skippedDates).toEqual(['2026-03-31', '2026-06-30', '2026-09-30']);
    expect(first.reviews).toBe(2 * 14 + 2 * 2);
    expect(first.values).toBeGreaterThan(first.reviews * 30);
    expect(progress).toBeGreaterThan(3);
    const { reviews } = await valuesHash();
    expect(reviews).toHaveLength(first.reviews);
    expect(new Set(reviews.map((r) => r.set_id))).toEqual(new Set([SYNTHETIC_SET_ID]));
    const before = reviews.filter((r) => r.unit_id.endsWith('@2025-03')).map((r) => r.reviewed_on);
    expect([...new Set(before)].sort()).toEqual(SYNTHETIC_DATES_BEFORE);
    const after = reviews.filter((r) => r.unit_id.endsWith('@2025-07')).map((r) => r.reviewed_on);
    expect([...new Set(after)].sort()).toEqual(['2025-09-30', '2025-12-31']);
    const cached = await ctx.db.kysely.selectFrom('review_evaluation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(cached.n)).toBe(first.reviews);
    const one = await getReview(ctx.db, reviews[reviews.length - 1]!.id);
    expect(one.isDemo).toBe(true);
    expect(one.evaluation.totals.indicatorsTotal).toBeGreaterThan(40);
  });

  it('marks the data synthetic and carries the demo accounts', async () => {
    expect(await getMeta(ctx.db.kysely, 'synthetic_seeded_at')).not.toBeNull();
    expect(await isDemoDatabase(ctx.db.kysely)).toBe(true);
    expect(first.accounts).toBe(DEMO_ACCOUNTS.length);
    const u = await findUserByUsername(ctx.db.kysely, 'tinh.ninhbinh');
    expect(u?.display_name).toMatch(/\(dữ liệu tổng hợp\)$/);
    expect(u?.is_demo).toBeTruthy();
  });

  it('refuses a non-empty database without force; the same seed gives the same values, another seed others', async () => {
    await expect(seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 7, limitCommunes: 2 })).rejects.toBeInstanceOf(DomainError);
    const a = (await valuesHash()).hash;
    const wipe = async () => {
      await ctx.db.kysely.deleteFrom('revocation_alert').execute();
      await ctx.db.kysely.deleteFrom('review_evaluation').execute();
      await ctx.db.kysely.deleteFrom('indicator_value').execute();
      await ctx.db.kysely.deleteFrom('review').execute();
    };
    await wipe();
    await seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 7, limitCommunes: 2, force: true });
    expect((await valuesHash()).hash).toBe(a);
    await wipe();
    await seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 8, limitCommunes: 2, force: true });
    expect((await valuesHash()).hash).not.toBe(a);
  }, 180_000);
});
