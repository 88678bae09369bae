import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { setMeta } from '../db/meta.repository.ts';
import { testSecurity } from '../test-support/http.ts';
import { createAuthContext, login } from './auth.service.ts';
import { createUser } from './user.service.ts';
import { runJobs } from './jobs.service.ts';
import { verifyAuditChain } from './audit.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';

const DAY = 86400_000;

describeEachDialect('scheduled jobs', (ctx) => {
  let now = Date.parse('2026-01-01T01:00:00Z');
  const clock = () => new Date(now);
  const config = testSecurity({ inactiveDays: 45 });
  beforeAll(async () => {
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
  });

  it('disables accounts unused for 45 days, one audited event each, and leaves active ones alone', async () => {
    const auth = createAuthContext(ctx.db, config, clock);
    const mk = (username: string, isDemo = false) =>
      createUser(auth, SYSTEM_ACTOR, { username, displayName: username, password: 'mot-cum-tu-du-dai-de-nho', mustChangePassword: false, isDemo, grants: [{ role: 'viewer', unitId: '35@2025-03' }] });
    const idle = await mk('lau-khong-dung');
    const active = await mk('van-dang-dung');
    const demo = await mk('minh-hoa.xem', true);
    const never = await mk('chua-dang-nhap');
    await setMeta(ctx.db.kysely, 'demo_seeded_at', new Date(now).toISOString());
    await login(auth, { username: 'lau-khong-dung', password: 'mot-cum-tu-du-dai-de-nho', ip: '10.0.0.1', userAgent: null });
    await login(auth, { username: 'minh-hoa.xem', password: 'mot-cum-tu-du-dai-de-nho', ip: '10.0.0.1', userAgent: null });
    now += 30 * DAY;
    await login(auth, { username: 'van-dang-dung', password: 'mot-cum-tu-du-dai-de-nho', ip: '10.0.0.1', userAgent: null });
    now += 16 * DAY; // idle: 46 days since its sign-in; active: 16 days; never: 46 days since creation.
    const r = await runJobs({ db: ctx.db, config, clock });
    expect(r.inactiveDisabled.sort()).toEqual(['chua-dang-nhap', 'lau-khong-dung']);
    const rows = await ctx.db.kysely.selectFrom('app_user').select(['username', 'status', 'disabled_reason']).orderBy('username').execute();
    expect(rows.find((x) => x.username === 'lau-khong-dung')).toMatchObject({ status: 'disabled', disabled_reason: 'inactive' });
    expect(rows.find((x) => x.username === 'van-dang-dung')!.status).toBe('active');
    // Demo accounts of a demo database are the documented exception.
    expect(rows.find((x) => x.username === 'minh-hoa.xem')!.status).toBe('active');
    const audit = await ctx.db.kysely.selectFrom('audit_event').selectAll().where('action', '=', 'user.disable').execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([String(idle.user.id), String(never.user.id)].sort());
    expect(audit.every((a) => a.actor === 'system' && a.source === 'system')).toBe(true);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ reason: 'inactive', inactiveDays: 45 });
    // The disabled account cannot sign in; running again changes nothing.
    await expect(login(auth, { username: 'lau-khong-dung', password: 'mot-cum-tu-du-dai-de-nho', ip: null, userAgent: null })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await runJobs({ db: ctx.db, config, clock })).inactiveDisabled).toEqual([]);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
    void active;
    void demo;
    await ctx.db.kysely.deleteFrom('app_meta').where('key', '=', 'demo_seeded_at').execute();
  });

  it('deletes expired sessions', async () => {
    const auth = createAuthContext(ctx.db, config, clock);
    await createUser(auth, SYSTEM_ACTOR, { username: 'phien-cu', displayName: 'x', password: 'mot-cum-tu-du-dai-de-nho', mustChangePassword: false, grants: [{ role: 'viewer', unitId: '35@2025-03' }] });
    await login(auth, { username: 'phien-cu', password: 'mot-cum-tu-du-dai-de-nho', ip: null, userAgent: null });
    const before = (await ctx.db.kysely.selectFrom('user_session').select('id').execute()).length;
    expect(before).toBeGreaterThan(0);
    now += 20 * 60_000;
    const r = await runJobs({ db: ctx.db, config, clock });
    expect(r.sessionsDeleted).toBeGreaterThanOrEqual(1);
    expect(await ctx.db.kysely.selectFrom('user_session').select('id').execute()).toHaveLength(0);
  });
});
