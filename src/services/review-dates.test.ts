/**
 * When a review may be dated and on what (issue 14): never in the future, never on a set with no
 * indicators (created or submitted), and a back-dated review of a commune abolished in the 2025
 * merger — or one on a set that has ended — says so above its result. On SQLite and PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { submittedReview, TEST_SET_ID } from '../test-support/committee.ts';
import { insertReviews } from '../db/review-bulk.repository.ts';
import { isDomainError } from '../domain/errors.ts';
import { todayInVietnam } from '../domain/dates.ts';
import { createReview, getReview, submitReview } from './review.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';

const EMPTY_SET = 'xa-ntm-2026-2030';

async function refusal(p: Promise<unknown>): Promise<{ code: string; vi: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { code: e.code, vi: e.messageVi, details: e.details };
  }
  throw new Error('expected a refusal');
}

describeEachDialect('review dates and sets', (ctx) => {
  let trangAn = '';
  let binhLuc = '';
  beforeAll(async () => {
    trangAn = (await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' })).id;
    binhLuc = (await insertCommune(ctx.db.kysely, { code: '13504', name: 'Bình Lục', listId: '2025-07', provinceCode: '37', provinceName: 'Ninh Bình' })).id;
  });

  it('refuses a review dated in the future, naming today', async () => {
    const tomorrow = new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
    const r = await refusal(createReview(ctx.db, SYSTEM_ACTOR, { unitId: binhLuc, setId: EMPTY_SET, reviewedOn: tomorrow }));
    expect(r.code).toBe('validation_failed');
    expect(r.vi).toContain('ở tương lai');
    expect(r.details).toMatchObject({ fields: [{ field: 'reviewedOn' }], today: todayInVietnam() });
  });

  it('refuses to create or submit a review on a set with no indicators', async () => {
    const created = await refusal(createReview(ctx.db, SYSTEM_ACTOR, { unitId: binhLuc, setId: EMPTY_SET, reviewedOn: '2026-03-01' }));
    expect(created.code).toBe('validation_failed');
    expect(created.vi).toContain('chưa có chỉ tiêu nào');
    // A draft written before this rule (or by an import) cannot be submitted either.
    const [draft] = await insertReviews(ctx.db.kysely, [
      { unitId: binhLuc, setId: EMPTY_SET, reviewedOn: '2026-03-01', status: 'draft', title: null, note: null, isDemo: false, createdBy: 'test', at: new Date().toISOString() },
    ]);
    const submitted = await refusal(submitReview(ctx.db, SYSTEM_ACTOR, draft!.id, { version: 1 }));
    expect(submitted.code).toBe('validation_failed');
    expect(submitted.details).toMatchObject({ setId: EMPTY_SET });
  });

  it('warns above a back-dated review of an abolished commune and a result from an ended set', async () => {
    const r = await submittedReview(ctx.db, trangAn, '2023-03-20', ['5.1'], TEST_SET_ID);
    const vi = r.warnings.map((w) => w.vi);
    expect(vi).toContain('Bộ tiêu chí đã hết hiệu lực 31/12/2025: kết quả này tính theo bộ tiêu chí cũ.');
    expect(vi.some((w) => w.startsWith('Xã Tràng An không còn tồn tại từ 01/07/2025'))).toBe(true);
    expect((await getReview(ctx.db, r.id)).warnings).toEqual(r.warnings);
    const current = await submittedReview(ctx.db, binhLuc, '2025-12-15', [], TEST_SET_ID);
    expect(current.warnings.map((w) => w.vi)).toEqual(['Bộ tiêu chí đã hết hiệu lực 31/12/2025: kết quả này tính theo bộ tiêu chí cũ.']);
  });
});
