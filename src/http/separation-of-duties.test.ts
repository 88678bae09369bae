/**
 * Separation of duties holds for administrators too (issue 18.6), on both databases: a token
 * carries at most its creator's own permissions (an administrator has no data entry and no audit
 * log, so cannot mint a token with them), nobody grants a role to themselves, the auditor role is
 * granted only with the command line, and a token cannot be created already expired (18.7).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { createTestUser, login, TEST_PASSWORD, testSecurity, type SignedIn } from '../test-support/http.ts';
import { buildApp, type App } from './app.ts';

type Json = Record<string, any>;

describeEachDialect('separation of duties', (ctx) => {
  let app: App;
  let admin: SignedIn;
  let adminId = 0;
  let otherAdmin: SignedIn;
  const now = new Date('2026-12-03T03:00:00Z'); // 03/12/2026 in Vietnam

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity(), clock: () => now });
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    await insertCommune(ctx.db.kysely, { code: '00004', name: 'Ba Đình', provinceCode: '01', provinceName: 'Hà Nội', districtCode: '001' });
    const a = await createTestUser(app, { role: 'admin', unitId: null });
    adminId = a.id;
    admin = await login(app, a.username, TEST_PASSWORD);
    otherAdmin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, TEST_PASSWORD);
  });
  afterAll(async () => app.close());

  const tokenCount = async () => Number((await ctx.db.kysely.selectFrom('api_token').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const grantCount = async () => Number((await ctx.db.kysely.selectFrom('role_grant').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const createToken = (headers: SignedIn, payload: Json) => app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });

  it('refuses an administrator a token with permissions it does not have (audit log, data entry)', async () => {
    const before = await tokenCount();
    for (const actions of [['audit.read'], ['review.write'], ['summary.read', 'review.write', 'data.import']]) {
      const res = await createToken(admin, { name: `t-${actions.length}-${actions[0]!.replace('.', '-')}`, actions });
      expect([actions, res.statusCode]).toEqual([actions, 403]);
      expect(res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining("creator's own permissions"), message_vi: expect.stringContaining('người tạo'), details: { reason: 'exceeds_creator' } } });
      expect(res.json().error.details.missing).not.toContain('summary.read');
    }
    expect(await tokenCount()).toBe(before);
    // What the administrator does have, it may hand to a machine client.
    expect((await createToken(admin, { name: 'csdl-quoc-gia', actions: ['feed.read', 'summary.read'] })).statusCode).toBe(201);
  });

  it('limits a token to the units where its creator holds each action', async () => {
    // An administrator who is also the province office of Hà Nam (old list).
    const u = await createTestUser(app, { grants: [{ role: 'admin', unitId: null }, { role: 'province_office', unitId: '35@2025-03' }] });
    const h = await login(app, u.username, TEST_PASSWORD);
    expect((await createToken(h, { name: 'ha-nam-entry', actions: ['review.write'], unitIds: ['35@2025-03'] })).statusCode).toBe(201);
    expect((await createToken(h, { name: 'ha-nam-commune', actions: ['review.write'], unitIds: ['13510@2025-03'] })).statusCode).toBe(201);
    const everywhere = await createToken(h, { name: 'all-entry', actions: ['review.write'] });
    expect(everywhere.statusCode).toBe(403);
    expect(everywhere.json().error.details.missing).toEqual(['review.write']);
    const elsewhere = await createToken(h, { name: 'ha-noi-entry', actions: ['review.write'], unitIds: ['35@2025-03', '01@2025-03'] });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.details.missing).toEqual(['review.write @ 01@2025-03']);
  });

  it('refuses a token that would be expired already; today is still accepted', async () => {
    const past = await createToken(admin, { name: 'het-han', actions: ['summary.read'], expiresOn: '2026-12-02' });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ error: { code: 'validation_failed', message_vi: expect.stringContaining('02/12/2026'), details: { fields: [{ field: 'expiresOn' }] } } });
    expect((await createToken(admin, { name: 'het-han-hom-nay', actions: ['summary.read'], expiresOn: '2026-12-03' })).statusCode).toBe(201);
  });

  it('refuses a grant to oneself; another administrator may grant it; the auditor role only from the command line', async () => {
    const before = await grantCount();
    const self = await app.inject({ method: 'POST', url: `/api/v1/users/${adminId}/grants`, headers: admin, payload: { role: 'province_office', unitId: '35@2025-03' } });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ error: { code: 'forbidden', details: { reason: 'self_grant' } } });
    expect(await grantCount()).toBe(before);
    const auditor = await app.inject({ method: 'POST', url: `/api/v1/users/${adminId}/grants`, headers: otherAdmin, payload: { role: 'auditor', unitId: null } });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json()).toMatchObject({ error: { details: { reason: 'auditor_cli_only' } } });
    expect(await grantCount()).toBe(before);
    const byOther = await app.inject({ method: 'POST', url: `/api/v1/users/${adminId}/grants`, headers: otherAdmin, payload: { role: 'province_office', unitId: '35@2025-03' } });
    expect(byOther.statusCode).toBe(200);
    expect(await grantCount()).toBe(before + 1);
  });
});
