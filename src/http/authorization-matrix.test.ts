/**
 * The authorisation matrix, generated from the policy table and the app's own route list: every
 * route × every role × a unit inside and a unit outside the role's grant, over HTTP, expecting
 * exactly what `src/domain/policy.ts` says (allowed: not 401/403 — and 2xx for the writes built
 * here; denied: 401/403 with the error envelope). Also: anonymous callers, API tokens, and the
 * fail-closed rule for a route that declares no action.
 *
 * A route added later without a request recipe below is still checked at the role level (a role
 * without the action is refused before the body is read).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { ACTIONS, ROLES, roleHas, type Action, type Role } from '../domain/policy.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { createReview } from '../services/review.service.ts';
import { grantRole } from '../services/user.service.ts';
import { createToken } from '../services/token.service.ts';
import { uploadAttachment } from '../services/attachment.service.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { setMeta } from '../db/meta.repository.ts';
import { buildApp, type App } from './app.ts';
import type { RouteRecord } from './auth.ts';
import { bearer, createTestUser, login, TEST_PASSWORD, testSecurity, type SignedIn } from '../test-support/http.ts';

const IN = '13510@2025-03';
const OUT = '00004@2025-03';
const PROVINCE = '35@2025-03';
const DISTRICT = '352@2025-03';

/** Where each role is granted: a null unit is everywhere (nothing is out of its scope). */
const GRANT_UNIT: Record<Role, string | null> = {
  admin: null,
  national_office: null,
  province_office: PROVINCE,
  district_office: DISTRICT,
  commune_officer: IN,
  committee_member: PROVINCE,
  viewer: PROVINCE,
  auditor: null,
};

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');

type Scope = 'in' | 'out';

interface Built {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Needs a fresh session (the case ends or changes it). */
  freshSession?: boolean;
}

interface Recipe {
  build(scope: Scope): Promise<Built | null>;
  /** Expected outcome when it differs from the plain policy rule. */
  expect?(role: Role, scope: Scope): boolean;
  /** An allowed call of this recipe must succeed (2xx). */
  succeeds?: boolean;
}

function policyExpects(role: Role, action: Action, scope: Scope): boolean {
  const rule = ACTIONS[action];
  if (rule.roles === 'everyone' || rule.roles === 'authenticated') return true;
  if (!roleHas(role, action)) return false;
  return !(rule.scoped && scope === 'out' && GRANT_UNIT[role] !== null);
}

describeEachDialect('authorisation matrix over HTTP', (ctx) => {
  let app: App;
  let dir = '';
  const people = {} as Record<Role, { username: string; id: number }>;
  const sessions = {} as Record<Role, SignedIn>;
  const code = () => getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
  const reviews = { in: 0, out: 0 };
  const attachments = { in: 0, out: 0 };
  const unitOf = (s: Scope) => (s === 'in' ? IN : OUT);
  async function freshReview(s: Scope): Promise<number> {
    return (await createReview(ctx.db, SYSTEM_ACTOR, { unitId: unitOf(s), setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [code()]: { value: true } } })).id;
  }
  let seq = 0;
  const fresh = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 6)}`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'datchuan-matrix-'));
    process.env.DATCHUAN_DATA_DIR = dir;
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    await insertCommune(ctx.db.kysely, { code: '00004', name: 'Phúc Xá', provinceCode: '01', provinceName: 'Hà Nội', districtCode: '001', districtName: 'Ba Đình' });
    for (const role of ROLES) {
      const u = await createTestUser(app, { username: `matrix.${role.replace('_', '-')}`, role, unitId: GRANT_UNIT[role] });
      people[role] = u;
      sessions[role] = await login(app, u.username, u.password);
    }
    reviews.in = await freshReview('in');
    reviews.out = await freshReview('out');
    attachments.in = (await uploadAttachment(ctx.db, SYSTEM_ACTOR, { reviewId: reviews.in, data: PNG, filename: 'a.png' }, path.join(dir, 'attachments'))).id;
    attachments.out = (await uploadAttachment(ctx.db, SYSTEM_ACTOR, { reviewId: reviews.out, data: PNG, filename: 'b.png' }, path.join(dir, 'attachments'))).id;
  });
  afterAll(async () => {
    await app?.close();
    delete process.env.DATCHUAN_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  const targetUser = async () => (await createTestUser(app, { username: fresh('target'), role: 'viewer', unitId: PROVINCE })).id;

  /** Request recipes, by `METHOD /path` as registered. */
  const recipes: Record<string, Recipe> = {
    'GET /api/v1/units/search': { build: async (s) => (s === 'in' ? { url: '/api/v1/units/search?q=trang' } : null), succeeds: true },
    'GET /api/v1/units/tree': { build: async (s) => (s === 'in' ? { url: '/api/v1/units/tree?date=2024-01-01' } : null), succeeds: true },
    'GET /api/v1/units/:id': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}` }), succeeds: true },
    'GET /api/v1/units/:id/children': { build: async (s) => ({ url: `/api/v1/units/${s === 'in' ? PROVINCE : '01@2025-03'}/children` }), succeeds: true },
    'GET /api/v1/units/:id/reviews': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}/reviews` }), succeeds: true },
    'POST /api/v1/units/:id/attributes': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}/attributes`, payload: { name: 'group', value: 2, validFrom: '2024-01-01' } }), succeeds: true },
    'GET /api/v1/units/:id/summary': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}/summary?date=2024-01-01` }) },
    'GET /api/v1/units/:id/trend': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}/trend?date=2024-01-01` }) },
    'GET /api/v1/units/:id/commune-page': { build: async (s) => ({ url: `/api/v1/units/${unitOf(s)}/commune-page?date=2024-01-01` }), succeeds: true },
    'GET /api/v1/criteria-sets': { build: async (s) => (s === 'in' ? { url: '/api/v1/criteria-sets' } : null), succeeds: true },
    'GET /api/v1/criteria-sets/:id': { build: async (s) => (s === 'in' ? { url: `/api/v1/criteria-sets/${DEMO_SET_ID}` } : null), succeeds: true },
    'GET /api/v1/criteria-sets/:id/definition': { build: async (s) => (s === 'in' ? { url: `/api/v1/criteria-sets/${DEMO_SET_ID}/definition` } : null) },
    'GET /api/v1/map/provinces': { build: async (s) => (s === 'in' ? { url: '/api/v1/map/provinces?date=2024-01-01' } : null) },
    'POST /api/v1/reviews': { build: async (s) => ({ url: '/api/v1/reviews', payload: { unitId: unitOf(s), setId: DEMO_SET_ID, reviewedOn: '2023-06-01' } }), succeeds: true },
    'GET /api/v1/reviews/:id': { build: async (s) => ({ url: `/api/v1/reviews/${reviews[s]}` }), succeeds: true },
    'GET /api/v1/reviews/:id/history': { build: async (s) => ({ url: `/api/v1/reviews/${reviews[s]}/history` }), succeeds: true },
    'PATCH /api/v1/reviews/:id/values': {
      build: async (s) => ({ url: `/api/v1/reviews/${await freshReview(s)}/values`, payload: { version: 1, values: { [code()]: { value: false } } } }),
      succeeds: true,
    },
    'POST /api/v1/reviews/:id/submit': { build: async (s) => ({ url: `/api/v1/reviews/${await freshReview(s)}/submit`, payload: { version: 1 } }), succeeds: true },
    'DELETE /api/v1/reviews/:id': { build: async (s) => ({ url: `/api/v1/reviews/${await freshReview(s)}`, headers: { 'if-match': '"1"' } }), succeeds: true },
    'POST /api/v1/reviews/:id/values/:code/restore': {
      build: async (s) => ({ url: `/api/v1/reviews/${await freshReview(s)}/values/${code()}/restore`, payload: { seq: 1, version: 1 } }),
      succeeds: true,
    },
    'POST /api/v1/reviews/:id/attachments': {
      build: async (s) => ({ url: `/api/v1/reviews/${reviews[s]}/attachments?filename=x.png`, payload: PNG, headers: { 'content-type': 'image/png' } }),
      succeeds: true,
    },
    'GET /api/v1/reviews/:id/attachments': { build: async (s) => ({ url: `/api/v1/reviews/${reviews[s]}/attachments` }), succeeds: true },
    'GET /api/v1/attachments/:id': { build: async (s) => ({ url: `/api/v1/attachments/${attachments[s]}` }), succeeds: true },
    // Own session: a fresh one per case (logout, revoke-others end sessions).
    'GET /api/v1/auth/sessions': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/sessions' } : null), succeeds: true },
    'POST /api/v1/auth/logout': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/logout', freshSession: true } : null), succeeds: true },
    'POST /api/v1/auth/sessions/revoke-others': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/sessions/revoke-others', freshSession: true } : null), succeeds: true },
    'POST /api/v1/auth/password': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/password', payload: { currentPassword: 'not-the-password', newPassword: 'x' }, freshSession: true } : null) },
    'POST /api/v1/auth/mfa/setup': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/mfa/setup', freshSession: true } : null), succeeds: true },
    'POST /api/v1/auth/mfa/enable': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/mfa/enable', payload: { code: '000000' }, freshSession: true } : null) },
    'POST /api/v1/auth/mfa/recovery-codes': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/mfa/recovery-codes', payload: { code: '000000' }, freshSession: true } : null) },
    'POST /api/v1/auth/reauth': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/reauth', payload: { password: TEST_PASSWORD } } : null), succeeds: true },
    'POST /api/v1/auth/mfa/verify': { build: async (s) => (s === 'in' ? { url: '/api/v1/auth/mfa/verify', payload: { code: '000000' }, freshSession: true } : null) },
    // Administration.
    'GET /api/v1/users': { build: async (s) => (s === 'in' ? { url: '/api/v1/users' } : null), succeeds: true },
    'POST /api/v1/users': { build: async (s) => (s === 'in' ? { url: '/api/v1/users', payload: { username: fresh('new.'), displayName: 'Người mới' } } : null), succeeds: true },
    'GET /api/v1/users/:userId': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}` } : null), succeeds: true },
    'PATCH /api/v1/users/:userId': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}`, payload: { version: 1, displayName: 'Tên mới' } } : null), succeeds: true },
    'POST /api/v1/users/:userId/reset-password': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/reset-password` } : null), succeeds: true },
    'POST /api/v1/users/:userId/unlock': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/unlock` } : null), succeeds: true },
    'POST /api/v1/users/:userId/disable': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/disable`, payload: { reason: 'thử' } } : null), succeeds: true },
    'POST /api/v1/users/:userId/enable': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/enable` } : null), succeeds: true },
    'POST /api/v1/users/:userId/grants': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/grants`, payload: { role: 'viewer', unitId: PROVINCE } } : null), succeeds: true },
    'DELETE /api/v1/users/:userId/grants/:grantId': {
      build: async (s) => {
        if (s === 'out') return null;
        const id = await targetUser();
        const u = await grantRole(app.datchuan.auth, SYSTEM_ACTOR, id, { role: 'committee_member', unitId: PROVINCE });
        return { url: `/api/v1/users/${id}/grants/${u.grants.at(-1)!.id}` };
      },
      succeeds: true,
    },
    'POST /api/v1/users/:userId/mfa/reset': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/mfa/reset` } : null), succeeds: true },
    'POST /api/v1/users/:userId/sessions/revoke': { build: async (s) => (s === 'in' ? { url: `/api/v1/users/${await targetUser()}/sessions/revoke` } : null), succeeds: true },
    'GET /api/v1/tokens': { build: async (s) => (s === 'in' ? { url: '/api/v1/tokens' } : null), succeeds: true },
    'POST /api/v1/tokens': { build: async (s) => (s === 'in' ? { url: '/api/v1/tokens', payload: { name: fresh('tok.'), actions: ['summary.read'] } } : null), succeeds: true },
    'DELETE /api/v1/tokens/:tokenId': {
      build: async (s) => (s === 'in' ? { url: `/api/v1/tokens/${(await createToken(app.datchuan.auth, SYSTEM_ACTOR, { name: fresh('del.'), actions: ['summary.read'] })).summary.id}` } : null),
      succeeds: true,
    },
    'GET /api/v1/audit': { build: async (s) => ({ url: `/api/v1/audit?unitId=${unitOf(s)}` }), succeeds: true },
    // The whole chain: only a nationwide audit.read grant.
    'GET /api/v1/audit/verify': { build: async (s) => (s === 'in' ? { url: '/api/v1/audit/verify' } : null), expect: (role) => roleHas(role, 'audit.read') && GRANT_UNIT[role] === null, succeeds: true },
  };

  function routeKey(r: RouteRecord): string {
    return `${r.method} ${r.url}`;
  }

  function isOpen(r: RouteRecord): boolean {
    return r.action !== undefined && ACTIONS[r.action].roles === 'everyone';
  }

  it('every registered route declares an action (fail closed otherwise)', () => {
    const routes = app.datchuan.routes;
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.action).map(routeKey)).toEqual([]);
  });

  it('refuses a route that forgot to declare its action, even to an administrator', async () => {
    const other = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    other.get('/api/v1/forgotten', async () => ({ secret: true }));
    const admin = await login(other, people.admin.username, TEST_PASSWORD);
    const r = await other.inject({ method: 'GET', url: '/api/v1/forgotten', headers: admin });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: { code: 'forbidden', details: { reason: 'undeclared_action' } } });
    expect(r.body).not.toContain('secret');
    await other.close();
  });

  it('matches the policy table for every route × role × in/out of scope', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const route of app.datchuan.routes) {
      if (isOpen(route) || !route.action) continue;
      const action = route.action;
      const recipe = recipes[routeKey(route)];
      for (const role of ROLES) {
        for (const scope of ['in', 'out'] as const) {
          let built: Built | null;
          if (recipe) built = await recipe.build(scope);
          else if (scope === 'in') built = { url: route.url.replace(/:(\w+)/g, '1') };
          else built = null;
          if (!built) continue;
          const headers = built.freshSession ? await login(app, people[role].username, TEST_PASSWORD) : sessions[role];
          const res = await app.inject({
            method: route.method as 'GET',
            url: built.url,
            headers: { ...headers, ...(built.headers ?? {}) },
            ...(built.payload !== undefined ? { payload: built.payload as string } : route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
          });
          cases++;
          const expected = recipe?.expect ? recipe.expect(role, scope) : policyExpects(role, action, scope);
          const denied = res.statusCode === 401 || res.statusCode === 403;
          const label = `${routeKey(route)} as ${role} (${scope} scope): ${res.statusCode} ${res.body.slice(0, 160)}`;
          if (!expected && !denied) failures.push(`should be denied — ${label}`);
          if (!expected && denied) {
            const body = res.json() as { error?: { code: string; message_vi: string } };
            if (!body.error || !['forbidden', 'unauthenticated'].includes(body.error.code) || !body.error.message_vi) failures.push(`denied without the envelope — ${label}`);
          }
          if (expected && denied) failures.push(`should be allowed — ${label}`);
          if (expected && recipe?.succeeds && (res.statusCode < 200 || res.statusCode >= 300)) failures.push(`allowed but failed — ${label}`);
          if (!recipe && expected) continue;
        }
      }
      if (route.action === 'session.self') {
        // Cases above may have ended other sessions: sign everyone in again.
        for (const role of ROLES) sessions[role] = await login(app, people[role].username, TEST_PASSWORD);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(300);
  }, 120_000);

  it('refuses anonymous callers everywhere but the public routes on a non-demo database', async () => {
    for (const route of app.datchuan.routes) {
      const url = route.url.replace(/:(\w+)/g, '1');
      const res = await app.inject({ method: route.method as 'GET', url, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      if (isOpen(route)) expect(res.statusCode, `${routeKey(route)} public`).not.toBe(401);
      else {
        expect(res.statusCode, `${routeKey(route)} anonymous`).toBe(401);
        expect((res.json() as { error: { code: string } }).error.code).toBe('unauthenticated');
      }
    }
  });

  it('lets anonymous callers read, and only read, on a demo database', async () => {
    await setMeta(ctx.db.kysely, 'demo_seeded_at', new Date().toISOString());
    const demo = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    try {
      for (const url of [`/api/v1/units/${IN}/commune-page?date=2024-01-01`, `/api/v1/reviews/${reviews.in}`, '/api/v1/units/search?q=trang', '/api/v1/criteria-sets']) {
        expect((await demo.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
      const w = await demo.inject({ method: 'POST', url: '/api/v1/reviews', payload: { unitId: IN, setId: DEMO_SET_ID, reviewedOn: '2023-06-01' } });
      expect(w.statusCode).toBe(401);
      expect((await demo.inject({ method: 'GET', url: `/api/v1/audit?unitId=${IN}` })).statusCode).toBe(401);
      expect((await demo.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    } finally {
      await demo.close();
      await ctx.db.kysely.deleteFrom('app_meta').where('key', '=', 'demo_seeded_at').execute();
    }
  });

  it('limits an API token to its actions and units', async () => {
    const t = await bearer(app, { actions: ['review.read', 'summary.read'], unitIds: [PROVINCE] });
    expect((await app.inject({ method: 'GET', url: `/api/v1/reviews/${reviews.in}`, headers: t })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/reviews/${reviews.out}`, headers: t })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/units/${OUT}/commune-page?date=2024-01-01`, headers: t })).statusCode).toBe(403);
    const write = await app.inject({ method: 'PATCH', url: `/api/v1/reviews/${reviews.in}/values`, headers: t, payload: { version: 1, values: {} } });
    expect(write.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: t })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: t })).statusCode).toBe(403);
    // Writes with a token need no CSRF header (no cookie is involved).
    const writer = await bearer(app, { actions: ['review.write'], unitIds: [IN] });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: writer, payload: { unitId: IN, setId: DEMO_SET_ID, reviewedOn: '2023-07-01' } });
    expect(ok.statusCode).toBe(201);
    expect((ok.json() as { createdBy: string }).createdBy).toMatch(/^token:/);
  });
});
