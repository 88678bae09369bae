import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { getMeta, isDemoDatabase } from '../db/meta.repository.ts';
import { findUserByUsername } from '../db/user.repository.ts';
import { listReviewsOfUnits } from '../db/review.repository.ts';
import { listRecognitionsOfUnits } from '../db/recognition.repository.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { getAuthoredVersion } from '../services/criteria-authoring.service.ts';
import { getReview } from '../services/review.service.ts';
import { getCommuneProfile } from '../services/unit.service.ts';
import { DomainError } from '../domain/errors.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import {
  seedSynthetic,
  synthetic2026SetId,
  SYNTHETIC_ADVANCED_SET_ID,
  SYNTHETIC_DATES_2021,
  SYNTHETIC_DATES_BEFORE,
  SYNTHETIC_SET_2021_ID,
  SYNTHETIC_SET_ID,
  type SyntheticResult,
} from './synthetic.ts';

const SET_2026 = synthetic2026SetId('37');

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
    const rows = await ctx.db.kysely
      .selectFrom('indicator_value')
      .innerJoin('review', 'review.id', 'indicator_value.review_id')
      .select(['review.unit_id', 'review.set_id', 'review.reviewed_on', 'indicator_value.indicator_code', 'indicator_value.value_json'])
      .orderBy('review.unit_id')
      .orderBy('review.reviewed_on')
      .orderBy('review.set_id')
      .orderBy('indicator_value.indicator_code')
      .execute();
    for (const r of rows) h.update(`${r.unit_id}|${r.set_id}|${r.reviewed_on}|${r.indicator_code}|${r.value_json}\n`);
    return { hash: h.digest('hex'), reviews };
  }

  it('writes quarterly reviews 2021–2026 of the communes of both lists against the set valid on each date, with the cache', async () => {
    expect(first.communesBefore).toBe(2);
    expect(first.communesAfter).toBe(2);
    expect(SYNTHETIC_DATES_2021).toEqual(['2021-03-31', '2021-06-30', '2021-09-30', '2021-12-31']);
    expect(SYNTHETIC_DATES_BEFORE).toHaveLength(14);
    expect(first.skippedDates).toEqual([]);
    expect(progress).toBeGreaterThan(3);
    const { reviews } = await valuesHash();
    expect(reviews).toHaveLength(first.reviews);
    const count = (setId: string) => reviews.filter((r) => r.set_id === setId).length;
    // Before the merger: 4 quarters of 2021 on the synthetic 2021 set, 14 on the national set;
    // after: 2 quarters of 2025 on the national set, 3 of 2026 on the province's synthetic set.
    expect(count(SYNTHETIC_SET_2021_ID)).toBe(2 * 4);
    expect(count(SYNTHETIC_SET_ID)).toBe(2 * 14 + 2 * 2);
    expect(count(SET_2026)).toBe(2 * 3);
    expect(count(SYNTHETIC_SET_2021_ID) + count(SYNTHETIC_SET_ID) + count(SET_2026) + count(SYNTHETIC_ADVANCED_SET_ID)).toBe(first.reviews);
    const after = reviews.filter((r) => r.unit_id.endsWith('@2025-07')).map((r) => r.reviewed_on);
    expect([...new Set(after)].sort()).toEqual(['2025-09-30', '2025-12-31', '2026-03-31', '2026-06-30', '2026-09-30']);
    expect(reviews.filter((r) => r.set_id === SET_2026).every((r) => r.reviewed_on >= '2026-02-15')).toBe(true);
    expect(first.values).toBeGreaterThan(first.reviews * 40);
    const cached = await ctx.db.kysely.selectFrom('review_evaluation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(cached.n)).toBe(first.reviews);
  });

  it('stores the 2026–2030 set of the province and the 2021 set through the authoring path, marked synthetic, and reviews on them evaluate', async () => {
    expect(first.sets).toBe(2);
    const v = await getAuthoredVersion(ctx.db, SYSTEM_ACTOR, SET_2026, 1);
    expect(v.status).toBe('published');
    expect(v.demo).toBe(true);
    expect(v.createdBy).not.toBe(v.publishedBy);
    expect(v.name).toMatch(/minh họa — dữ liệu tổng hợp/);
    expect(v.document.provenance).toMatch(/^synthetic — not an official threshold/);
    const set = getCatalog().at(SET_2026, '2026-06-30');
    expect(set.basedOn).toBe('xa-ntm-2026-2030');
    expect(set.province?.code).toBe('37');
    expect(set.criteria).toHaveLength(10);
    const indicators = set.criteria.flatMap((c) => c.indicators);
    expect(indicators).toHaveLength(47);
    for (const i of indicators) {
      expect(i.name).toMatch(/\(tổng hợp\)$/);
      expect(i.note).toMatch(/SYNTHETIC/);
      expect(i.provenance.level).toBe('reconstructed');
    }
    const old = getCatalog().at(SYNTHETIC_SET_2021_ID, '2021-06-30');
    expect([old.validFrom, old.validTo, old.demo]).toEqual(['2021-01-01', '2022-03-07', true]);
    expect(old.name).toMatch(/2016–2020.*dữ liệu tổng hợp/);
    expect(old.criteria).toHaveLength(19);
    expect(old.criteria.flatMap((c) => c.indicators).every((i) => i.provenance.level === 'reconstructed' && /SYNTHETIC/.test(i.note ?? ''))).toBe(true);

    // The post-merger communes got a commune group, on which the 2026–2030 targets depend.
    expect(first.groups).toBe(2);
    const { reviews } = await valuesHash();
    const r2026 = reviews.filter((r) => r.set_id === SET_2026);
    expect((await getCommuneProfile(ctx.db, r2026[0]!.unit_id, '2026-03-31')).group).not.toBeNull();
    for (const r of [r2026[0]!, r2026[r2026.length - 1]!]) {
      const e = (await getReview(ctx.db, r.id)).evaluation.totals;
      expect([e.indicatorsTotal, e.notEvaluable]).toEqual([47, 0]);
    }
    const r2021 = (await getReview(ctx.db, reviews.find((r) => r.set_id === SYNTHETIC_SET_2021_ID)!.id)).evaluation.totals;
    expect([r2021.indicatorsTotal, r2021.notEvaluable]).toEqual([56, 0]);
    // Where the national set has no threshold, the value is still measured (and not evaluable).
    const r2022 = await getReview(ctx.db, reviews.find((r) => r.set_id === SYNTHETIC_SET_ID)!.id);
    expect(r2022.evaluation.totals.notEvaluable).toBeGreaterThan(10);
    expect(Object.keys(r2022.values ?? {}).length).toBeGreaterThan(50);
  });

  it('recognises a share of the communes with synthetic decisions; recognised communes also review against the advanced set', async () => {
    const { reviews } = await valuesHash();
    const before = [...new Set(reviews.filter((r) => r.unit_id.endsWith('@2025-03')).map((r) => r.unit_id))];
    const recs = await listRecognitionsOfUnits(ctx.db.kysely, before);
    expect(first.recognitions).toBeGreaterThan(0);
    expect(recs).toHaveLength(first.recognitions);
    for (const rec of recs) {
      expect(rec.decision_no).toMatch(/\(tổng hợp\)$/);
      expect(rec.is_demo).toBeTruthy();
    }
    const advanced = reviews.filter((r) => r.set_id === SYNTHETIC_ADVANCED_SET_ID);
    expect(advanced.length).toBeGreaterThan(0);
    for (const r of advanced) expect(recs.some((rec) => rec.unit_id === r.unit_id && rec.decided_on <= r.reviewed_on)).toBe(true);
  });

  it('marks the data synthetic and carries the demo accounts', async () => {
    expect(await getMeta(ctx.db.kysely, 'synthetic_seeded_at')).not.toBeNull();
    expect(await isDemoDatabase(ctx.db.kysely)).toBe(true);
    expect(first.accounts).toBe(DEMO_ACCOUNTS.length);
    const u = await findUserByUsername(ctx.db.kysely, 'tinh.ninhbinh');
    expect(u?.display_name).toMatch(/\(dữ liệu tổng hợp\)$/);
    expect(u?.is_demo).toBeTruthy();
    const one = await getReview(ctx.db, (await valuesHash()).reviews[0]!.id);
    expect(one.isDemo).toBe(true);
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
    const again = await seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 7, limitCommunes: 2, force: true });
    // The sets, groups and recognitions stored by the first seeding are kept, not duplicated.
    expect([again.sets, again.groups, again.recognitions, again.reviews]).toEqual([0, 0, 0, first.reviews]);
    expect((await valuesHash()).hash).toBe(a);
    await wipe();
    await seedSynthetic(ctx.db, SYSTEM_ACTOR, { variant: 'province', seed: 8, limitCommunes: 2, force: true });
    expect((await valuesHash()).hash).not.toBe(a);
  }, 180_000);
});
