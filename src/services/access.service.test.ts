import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune, linkUnits } from '../test-support/factories.ts';
import type { Principal, Role } from '../domain/policy.ts';
import { isDomainError } from '../domain/errors.ts';
import { allowed, authorize, computeScopeKeys, ScopeResolver } from './access.service.ts';
import type { Actor } from './actor.ts';

function actorWith(role: Role, unitId: string | null): Actor {
  const principal: Principal = { kind: 'user', userId: 1, username: 'u', grants: [{ role, unitId, validFrom: null, validTo: null }] };
  return { id: 'u', source: 'web', access: { principal, scopes: new ScopeResolver(), today: () => '2026-11-27' } };
}

describeEachDialect('access: unit scope through the subtree and the 2025 merge lineage', (ctx) => {
  // Hà Nam (35) → Ninh Bình (37); Tràng An 13510 and Bình Nghĩa 13504 (old, district 352) → Bình Lục 13504@2025-07.
  // Nam Định (36) → Ninh Bình too: Xã Nam Thanh (old) → Xã Nam Thanh mới, a sibling of Bình Lục in the new province.
  const TRANG_AN = '13510@2025-03';
  const BINH_NGHIA = '13504@2025-03';
  const BINH_LUC_NEW = '13504@2025-07';
  const NAM_OLD = '13800@2025-03';
  const NAM_NEW = '13800@2025-07';
  beforeAll(async () => {
    const k = ctx.db.kysely;
    await insertCommune(k, { code: '13510', name: 'Tràng An' });
    await insertCommune(k, { code: '13504', name: 'Bình Nghĩa' });
    await insertCommune(k, { code: '13504', name: 'Bình Lục', listId: '2025-07' });
    await insertCommune(k, { code: '13800', name: 'Nam Thanh', provinceCode: '36', provinceName: 'Nam Định', districtCode: '360', districtName: 'Nam Trực' });
    await insertCommune(k, { code: '13800', name: 'Nam Thanh mới', listId: '2025-07' });
    await linkUnits(k, TRANG_AN, BINH_LUC_NEW);
    await linkUnits(k, BINH_NGHIA, BINH_LUC_NEW);
    await linkUnits(k, NAM_OLD, NAM_NEW);
    await linkUnits(k, '35@2025-03', '37@2025-07');
    await linkUnits(k, '36@2025-03', '37@2025-07');
  });

  it('computes write keys from the parent chain and read keys through the lineage', async () => {
    const k = await computeScopeKeys(ctx.db, TRANG_AN);
    expect([...k.write].sort()).toEqual(['13510@2025-03', '352@2025-03', '35@2025-03']);
    expect(k.read.has(BINH_LUC_NEW)).toBe(true);
    expect(k.read.has('37@2025-07')).toBe(true);
    // Never a merged sibling, nor the sibling's old province.
    expect(k.read.has(BINH_NGHIA)).toBe(false);
    expect(k.read.has('36@2025-03')).toBe(false);
  });

  it('lets an officer of a merged commune read its history under the new commune, not write there', async () => {
    const old = actorWith('commune_officer', TRANG_AN);
    await authorize(ctx.db, old, 'review.read', BINH_LUC_NEW);
    await authorize(ctx.db, old, 'review.write', TRANG_AN);
    expect(await allowed(ctx.db, old, 'review.write', BINH_LUC_NEW)).toBe(false);
    expect(await allowed(ctx.db, old, 'review.read', BINH_NGHIA)).toBe(false);
    expect(await allowed(ctx.db, old, 'summary.read', '35@2025-03')).toBe(false);
  });

  it("lets an officer of the new commune read its predecessors' history but not rewrite it", async () => {
    const officer = actorWith('commune_officer', BINH_LUC_NEW);
    await authorize(ctx.db, officer, 'review.read', TRANG_AN);
    await authorize(ctx.db, officer, 'review.read', BINH_NGHIA);
    expect(await allowed(ctx.db, officer, 'review.write', TRANG_AN)).toBe(false);
    expect(await allowed(ctx.db, officer, 'review.read', NAM_OLD)).toBe(false);
    expect(await allowed(ctx.db, officer, 'review.read', NAM_NEW)).toBe(false);
  });

  it("lets the new province office read the old province, its districts and communes, and write only in the new province", async () => {
    const office = actorWith('province_office', '37@2025-07');
    for (const u of [TRANG_AN, '352@2025-03', '35@2025-03', NAM_OLD, BINH_LUC_NEW]) await authorize(ctx.db, office, 'summary.read', u);
    await authorize(ctx.db, office, 'review.write', BINH_LUC_NEW);
    expect(await allowed(ctx.db, office, 'review.write', TRANG_AN)).toBe(false);
    expect(await allowed(ctx.db, office, 'summary.read', '01@2025-03')).toBe(false);
  });

  it('refuses with 403 in Vietnamese and English naming the unit, and 401 for anonymous callers', async () => {
    const e = await authorize(ctx.db, actorWith('commune_officer', TRANG_AN), 'review.write', NAM_OLD).catch((x: unknown) => x);
    expect(isDomainError(e) && e.code).toBe('forbidden');
    if (!isDomainError(e)) throw e;
    // The unit by its name, not its id (issue 14.5).
    expect(e.messageVi).toContain('Xã Nam Thanh');
    expect(e.messageVi).not.toContain(NAM_OLD);
    expect(e.messageVi).toContain('nhập, sửa bản rà soát');
    expect(e.message).toContain('outside the units you were granted');
    const anon: Actor = { id: 'anonymous', source: 'web', access: { principal: { kind: 'anonymous', demoViewer: false }, scopes: new ScopeResolver(), today: () => '2026-11-27' } };
    const a = await authorize(ctx.db, anon, 'review.read', TRANG_AN).catch((x: unknown) => x);
    expect(isDomainError(a) && a.code).toBe('unauthenticated');
    // Trusted in-process callers (CLI, jobs) carry no access and are not limited.
    await authorize(ctx.db, { id: 'cli', source: 'cli' }, 'review.write', NAM_OLD);
  });
});
