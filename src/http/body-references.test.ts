/**
 * Ids inside request bodies are authorised like ids in paths — generated from the OpenAPI
 * document. Two provinces are seeded with the same data (a commune, its review, a committee with a
 * member, a meeting, a conclusion with a task, an action plan, a dossier, a commune officer's
 * account). For every write route and every reference its body or query string declares
 * (`x-ref`, found by the same walk that refuses undeclared id-like fields at registration), signed
 * in as every role that has the route's action on province A:
 *   attack  — a valid request whose one field names the same kind of record in province B:
 *             403/404 and not one row changed (a digest of every table but the audit trail, the
 *             sessions and app_meta, taken before and after);
 *   control — the same request with province A's id: 2xx (so the attack was a valid request, and
 *             a missing check would show as a wrongly allowed write).
 * Prints "attempts N, wrongly allowed M" and requires M = 0, on SQLite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Type } from 'typebox';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { spreadIndicators, submittedReview, TEST_SET_ID } from '../test-support/committee.ts';
import { setCostDefault } from '../services/planning.service.ts';
import { insertDossierFixture } from '../test-support/consultation.ts';
import { bearer, createTestUser, login, testSecurity, type SignedIn } from '../test-support/http.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { ACTIONS, roleHas, type Action, type Role } from '../domain/policy.ts';
import { referencesOf, showPath, type RefSite } from '../domain/references.ts';
import { FUNDING_SOURCES } from '../domain/funding.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { addMember, createCommittee } from '../services/committee.service.ts';
import { addConclusion, createMeeting } from '../services/meeting.service.ts';
import { addAction, createPlan } from '../services/action-plan.service.ts';
import { buildApp, type App } from './app.ts';
import { XLSX_TYPE } from './schemas/common.schema.ts';

type Json = Record<string, any>;

/** One province's records, each the target of a reference kind. */
interface Province {
  tag: string;
  province: string;
  district: string;
  commune: string;
  officer: string;
  review: number;
  committee: number;
  member: number;
  meeting: number;
  conclusion: number;
  task: number;
  plan: number;
  action: number;
  dossier: number;
}

interface Built {
  url: string;
  payload: Json | Buffer;
  headers?: Record<string, string>;
}

interface Recipe {
  /** A valid request on province A's records for this reference site. */
  build(site: string): Promise<Built>;
  /** Roles that may make it (default: every role with the route's action). */
  roles?: Role[];
  /** The body is not JSON (a workbook): no control request. */
  noControl?: boolean;
}

const METHODS = new Set(['post', 'put', 'patch', 'delete']);
/** The attackers: every role except those granted everywhere, on province A or under it. */
const SCOPED_ROLES: Role[] = ['province_office', 'district_office', 'commune_officer', 'committee_member', 'viewer'];
/** Rows a refused request may still write: the audit trail (sign-ins), sessions, the chain head. */
const NOT_DIGESTED = new Set(['audit_event', 'user_session', 'app_meta', 'kysely_migration', 'kysely_migration_lock']);

/** Put `value` at `path` (`[]`: the first item of a list, created when missing). */
function setAt(o: any, path: readonly string[], value: unknown): void {
  const [head, ...tail] = path;
  if (head === '[]') {
    if (tail.length === 0) o[0] = value;
    else setAt((o[0] ??= {}), tail, value);
    return;
  }
  if (tail.length === 0) o[head!] = value;
  else setAt((o[head!] ??= tail[0] === '[]' ? [] : {}), tail, value);
}

describeEachDialect('ids in request bodies (generated from the OpenAPI document)', (ctx) => {
  let app: App;
  const A = {} as Province;
  const B = {} as Province;
  const attackers = {} as Record<Role, SignedIn>;
  let seq = 0;
  const fresh = (p: string) => `${p} ${++seq}`;
  const version = async (table: 'task' | 'conclusion' | 'meeting' | 'committee_member' | 'action_plan_item' | 'dossier', id: number) =>
    (await ctx.db.kysely.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  async function digest(): Promise<string> {
    const h = createHash('sha256');
    const tables = (await ctx.db.kysely.introspection.getTables()).map((t) => t.name).filter((t) => !NOT_DIGESTED.has(t)).sort();
    for (const t of tables) {
      const rows = (await ctx.db.kysely.selectFrom(t as 'unit').selectAll().execute()).map((r) => JSON.stringify(r)).sort();
      h.update(`${t}:${rows.length}\n${rows.join('\n')}\n`);
    }
    return h.digest('hex');
  }

  async function seed(p: Province, unit: { code: string; name: string; provinceCode?: string; provinceName?: string; districtCode?: string; districtName?: string }): Promise<void> {
    const c = await insertCommune(ctx.db.kysely, unit);
    Object.assign(p, { province: c.province_id!, district: c.parent_id!, commune: c.id });
    p.officer = (await createTestUser(app, { username: `${p.tag}.officer`, role: 'commune_officer', unitId: c.id })).username;
    p.review = (await submittedReview(ctx.db, c.id, '2023-03-20', spreadIndicators(['5', '8'], 3))).id;
    p.committee = (await createCommittee(ctx.db, SYSTEM_ACTOR, { unitId: p.district, name: `Ban Chỉ đạo ${p.tag}`, periodFrom: '2020-10-01' })).id;
    const withMember = await addMember(ctx.db, SYSTEM_ACTOR, p.committee, { personName: `Thành viên ${p.tag}`, role: 'member', joinedOn: '2020-10-01', username: p.officer });
    p.member = withMember.members[0]!.id;
    p.meeting = (await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: p.committee, title: `Làm việc ${p.tag}`, heldOn: '2023-03-20', unitIds: [c.id] })).id;
    const conclusion = await addConclusion(ctx.db, SYSTEM_ACTOR, p.meeting, {
      text: `Kết luận ${p.tag}`,
      unitId: c.id,
      tasks: [{ title: `Nhiệm vụ ${p.tag}`, assignee: { kind: 'unit', unitId: c.id }, dueOn: '2023-12-31' }],
    });
    p.conclusion = conclusion.id;
    p.task = conclusion.tasks[0]!.id;
    p.plan = (await createPlan(ctx.db, SYSTEM_ACTOR, { unitId: c.id, title: `Kế hoạch ${p.tag}` })).id;
    const planned = await addAction(ctx.db, SYSTEM_ACTOR, p.plan, { criterionCode: criterion(), action: 'Nâng cấp đường trục xã' });
    p.action = planned.actions[0]!.id;
    p.dossier = (await insertDossierFixture(ctx.db, { unitId: c.id, review: 'none' })).dossier.id;
  }

  const criterion = () => getCatalog().get(TEST_SET_ID).criteria[0]!.code;

  /** The same kind of record, in province B. */
  function otherProvince(site: RefSite): string | number {
    switch (site.kind) {
      case 'unit':
        return site.reach === 'above' ? B.province : B.commune;
      case 'user':
        return B.officer;
      case 'document':
        throw new Error('no dossier document is referenced by any body yet: seed one');
      default:
        return B[site.kind];
    }
  }

  function assignee(site: string): Json {
    if (site.endsWith('assignee.username')) return { kind: 'person', name: 'Cán bộ xã', username: A.officer };
    if (site.endsWith('assignee.memberId')) return { kind: 'person', memberId: A.member };
    return { kind: 'unit', unitId: A.commune };
  }

  let day = 0;
  const recipes: Record<string, Recipe> = {
    'POST /api/v1/reviews': { build: async () => ({ url: '/api/v1/reviews', payload: { unitId: A.commune, setId: TEST_SET_ID, reviewedOn: new Date(Date.UTC(2023, 5, 1 + ++day)).toISOString().slice(0, 10) } }) },
    'POST /api/v1/committees': { build: async () => ({ url: '/api/v1/committees', payload: { unitId: A.district, name: fresh('Ban Chỉ đạo'), periodFrom: '2020-10-01' } }) },
    'POST /api/v1/committees/{id}/members': {
      build: async () => ({ url: `/api/v1/committees/${A.committee}/members`, payload: { personName: fresh('Người'), role: 'member', joinedOn: '2020-10-01', username: A.officer } }),
    },
    'PATCH /api/v1/committee-members/{id}': {
      build: async () => ({ url: `/api/v1/committee-members/${A.member}`, payload: { version: await version('committee_member', A.member), username: A.officer } }),
    },
    'POST /api/v1/meetings': {
      build: async () => ({
        url: '/api/v1/meetings',
        payload: { committeeId: A.committee, title: fresh('Họp'), heldOn: '2023-03-20', participants: [{ memberId: A.member, personName: 'Thành viên', role: 'member' }], unitIds: [A.commune] },
      }),
    },
    'PATCH /api/v1/meetings/{id}': {
      build: async () => ({ url: `/api/v1/meetings/${A.meeting}`, payload: { version: await version('meeting', A.meeting), participants: [{ memberId: A.member, personName: 'Thành viên', role: 'member' }] } }),
    },
    'POST /api/v1/meetings/{id}/units': {
      build: async () => {
        const m = await createMeeting(ctx.db, SYSTEM_ACTOR, { committeeId: A.committee, title: fresh('Họp'), heldOn: '2023-03-20' });
        return { url: `/api/v1/meetings/${m.id}/units`, payload: { unitId: A.commune } };
      },
    },
    'POST /api/v1/meetings/{id}/conclusions': {
      build: async (site) => ({
        url: `/api/v1/meetings/${A.meeting}/conclusions`,
        payload: { text: fresh('Kết luận'), unitId: A.commune, tasks: [{ unitId: A.commune, title: fresh('Nhiệm vụ'), assignee: assignee(site), dueOn: '2023-12-31' }] },
      }),
    },
    'PATCH /api/v1/conclusions/{id}': { build: async () => ({ url: `/api/v1/conclusions/${A.conclusion}`, payload: { version: await version('conclusion', A.conclusion), unitId: A.commune } }) },
    'POST /api/v1/tasks': {
      build: async (site) => ({ url: '/api/v1/tasks', payload: { conclusionId: A.conclusion, unitId: A.commune, title: fresh('Nhiệm vụ'), assignee: assignee(site), dueOn: '2023-12-31' } }),
    },
    'PATCH /api/v1/tasks/{id}': { build: async (site) => ({ url: `/api/v1/tasks/${A.task}`, payload: { version: await version('task', A.task), assignee: assignee(site) } }) },
    // Decision support (issue 15): default costs are the province office's; the allocation reads.
    'PUT /api/v1/plans/cost-defaults': {
      build: async () => {
        const code = getCatalog().get(TEST_SET_ID).criteria[0]!.indicators[0]!.code;
        const row = await ctx.db.kysely.selectFrom('indicator_cost_default').select('version').where('province_id', '=', A.province).where('indicator_code', '=', code).executeTakeFirst();
        return { url: '/api/v1/plans/cost-defaults', payload: { unitId: A.province, setId: TEST_SET_ID, code, cost: 100_000_000 + ++day, days: 90, ...(row ? { version: row.version } : {}) } };
      },
    },
    'DELETE /api/v1/plans/cost-defaults': {
      build: async () => {
        const code = getCatalog().get(TEST_SET_ID).criteria[0]!.indicators[1]!.code;
        await ctx.db.kysely.deleteFrom('indicator_cost_default').where('province_id', '=', A.province).where('indicator_code', '=', code).execute();
        await setCostDefault(ctx.db, SYSTEM_ACTOR, { provinceId: A.province, setId: TEST_SET_ID, code, cost: 50_000_000, days: 30 });
        return { url: `/api/v1/plans/cost-defaults?unitId=${encodeURIComponent(A.province)}&setId=${TEST_SET_ID}&code=${encodeURIComponent(code)}&version=1`, payload: undefined as unknown as Json };
      },
    },
    'POST /api/v1/plans/allocation': { build: async () => ({ url: '/api/v1/plans/allocation', payload: { unitId: A.commune, date: '2023-03-20', budget: 1_000_000_000 } }) },
    'POST /api/v1/plans/allocation.xlsx': { build: async () => ({ url: '/api/v1/plans/allocation.xlsx', payload: { unitId: A.commune, date: '2023-03-20', budget: 1_000_000_000 } }) },
    'POST /api/v1/plans/allocation.docx': { build: async () => ({ url: '/api/v1/plans/allocation.docx', payload: { unitId: A.commune, date: '2023-03-20', budget: 1_000_000_000 } }) },
    'POST /api/v1/meetings/{id}/allocation-proposals': {
      // The meeting is the district committee's: the roles that write there.
      roles: ['district_office', 'province_office'],
      build: async () => ({ url: `/api/v1/meetings/${A.meeting}/allocation-proposals`, payload: { unitId: A.commune, date: '2023-03-20', budget: 1_000_000_000 } }),
    },
    'POST /api/v1/action-plans': { build: async () => ({ url: '/api/v1/action-plans', payload: { unitId: A.commune, title: fresh('Kế hoạch') } }) },
    'POST /api/v1/action-plans/{id}/actions': { build: async () => ({ url: `/api/v1/action-plans/${A.plan}/actions`, payload: { criterionCode: criterion(), action: fresh('Giải pháp'), taskId: A.task } }) },
    'PATCH /api/v1/action-plan-actions/{id}': { build: async () => ({ url: `/api/v1/action-plan-actions/${A.action}`, payload: { version: await version('action_plan_item', A.action), taskId: A.task } }) },
    'POST /api/v1/budget-requests': {
      build: async () => ({
        url: '/api/v1/budget-requests',
        payload: { unitId: A.commune, toUnitId: A.district, planId: A.plan, title: fresh('Đề xuất'), source: FUNDING_SOURCES[0], amount: 1_000_000, requestedOn: '2023-04-01' },
      }),
    },
    'POST /api/v1/dossiers': {
      // Opening is the commune officer's step; one open dossier per level, so the last one is closed first.
      roles: ['commune_officer'],
      build: async () => {
        await ctx.db.kysely.updateTable('dossier').set({ closed_on: '2026-01-01' }).where('unit_id', '=', A.commune).where('closed_on', 'is', null).execute();
        return { url: '/api/v1/dossiers', payload: { unitId: A.commune, level: getCatalog().get(TEST_SET_ID).level, baseReviewId: A.review } };
      },
    },
    'PUT /api/v1/dossiers/{id}/deadline': {
      build: async () => {
        const d = (await insertDossierFixture(ctx.db, { unitId: A.commune, review: 'none' })).dossier;
        return { url: `/api/v1/dossiers/${d.id}/deadline`, payload: { version: d.version, deadline: null, taskId: A.task } };
      },
    },
    'POST /api/v1/criteria-sets': { build: async () => ({ url: '/api/v1/criteria-sets', payload: { basedOn: 'xa-ntm-2026-2030', setId: `bo-tinh-a-${++day}`, provinceId: A.province } }) },
    'POST /api/v1/criteria-sets/import': {
      // The body is a workbook: the province is in the query string, refused before the file is read.
      noControl: true,
      build: async () => ({ url: `/api/v1/criteria-sets/import?dryRun=true&provinceId=${encodeURIComponent(A.province)}`, payload: Buffer.from('PK\u0003\u0004'), headers: { 'content-type': XLSX_TYPE } }),
    },
    'POST /api/v1/imports/xlsx': {
      // The body is a workbook: the reference is in the query string, refused before the file is read.
      noControl: true,
      build: async () => ({ url: `/api/v1/imports/xlsx?dryRun=true&scopeUnitId=${encodeURIComponent(A.commune)}`, payload: Buffer.from('PK\u0003\u0004'), headers: { 'content-type': XLSX_TYPE } }),
    },
  };

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
    Object.assign(A, { tag: 'a' });
    Object.assign(B, { tag: 'b' });
    await seed(A, { code: '13510', name: 'Tràng An' });
    await seed(B, { code: '00004', name: 'Phúc Xá', provinceCode: '01', provinceName: 'Hà Nội', districtCode: '001', districtName: 'Ba Đình' });
    const grantUnit: Record<Role, string | null> = { admin: null, auditor: null, national_office: null, province_office: A.province, district_office: A.district, commune_officer: A.commune, committee_member: A.province, viewer: A.province };
    for (const role of SCOPED_ROLES) {
      const u = await createTestUser(app, { username: `attacker.${role}`, role, unitId: grantUnit[role] });
      attackers[role] = await login(app, u.username, u.password);
    }
  }, 180_000);
  afterAll(async () => app?.close());

  it('refuses, for every write route × declared reference × role, an id from another province, and changes nothing', async () => {
    const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> }; parameters?: Array<{ in: string; name: string; schema: unknown }> }>> };
    const actionOf = new Map(app.datchuan.routes.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.action]));
    const failures: string[] = [];
    const unscoped: string[] = [];
    let attempts = 0;
    let wronglyAllowed = 0;
    let routesCovered = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const key = `${method.toUpperCase()} ${path}`;
        const action = actionOf.get(key) as Action | undefined;
        if (!action || ACTIONS[action].roles === 'everyone') continue;
        const body = referencesOf(op.requestBody?.content?.['application/json']?.schema);
        const query = referencesOf({ type: 'object', properties: Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema])) });
        expect([...body.undeclared, ...query.undeclared], key).toEqual([]);
        const sites = [...body.refs.map((s) => ({ s, inQuery: false })), ...query.refs.map((s) => ({ s, inQuery: true }))];
        if (sites.length === 0) continue;
        if (!ACTIONS[action].scoped) {
          // Account and token management: a nationwide role, nothing out of its scope.
          unscoped.push(key);
          continue;
        }
        const recipe = recipes[key];
        if (!recipe) {
          failures.push(`${key}: declares ${sites.map(({ s }) => showPath(s.path)).join(', ')} but has no request recipe in this test`);
          continue;
        }
        routesCovered++;
        const roles = (recipe.roles ?? SCOPED_ROLES).filter((r) => roleHas(r, action));
        for (const { s: site, inQuery } of sites) {
          for (const role of roles) {
            const field = `${inQuery ? '?' : ''}${showPath(site.path)}`;
            const base = await recipe.build(field);
            let url = base.url;
            let payload: Json | Buffer = base.payload;
            if (inQuery) {
              const u = new URL(url, 'http://x');
              u.searchParams.set(site.path[0]!, String(otherProvince(site)));
              url = `${u.pathname}${u.search}`;
            } else {
              payload = structuredClone(base.payload) as Json;
              setAt(payload, site.path, otherProvince(site));
            }
            const before = await digest();
            const res = await app.inject({ method: method.toUpperCase() as 'POST', url, headers: { ...attackers[role], ...(base.headers ?? {}) }, payload: payload as Json });
            const after = await digest();
            attempts++;
            const refused = res.statusCode === 403 || res.statusCode === 404;
            if (!refused || before !== after) {
              wronglyAllowed++;
              failures.push(`wrongly allowed — ${key} ${field} as ${role}: ${res.statusCode}${before !== after ? ' (database changed)' : ''} ${res.body.slice(0, 200)}`);
            } else if (!(res.json() as Json).error?.message_vi) {
              failures.push(`refused without the bilingual envelope — ${key} ${field} as ${role}`);
            }
            if (recipe.noControl) continue;
            const control = await app.inject({ method: method.toUpperCase() as 'POST', url: base.url, headers: { ...attackers[role], ...(base.headers ?? {}) }, payload: base.payload as Json });
            if (control.statusCode < 200 || control.statusCode >= 300) failures.push(`control failed (the recipe is not a valid request) — ${key} ${field} as ${role}: ${control.statusCode} ${control.body.slice(0, 200)}`);
          }
        }
      }
    }
    console.log(`[${ctx.dialect}] body references: ${routesCovered} routes, attempts ${attempts}, wrongly allowed ${wronglyAllowed}; unscoped (nationwide roles): ${unscoped.join(', ')}`);
    expect(failures).toEqual([]);
    expect(wronglyAllowed).toBe(0);
    expect(routesCovered).toBeGreaterThanOrEqual(18);
    expect(attempts).toBeGreaterThan(60);
  }, 600_000);

  it('refuses POST /tasks about another province before writing, and answers 201 to a writer that cannot read tasks (no refusal after the commit)', async () => {
    const tasks = async () => Number((await ctx.db.kysely.selectFrom('task').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await digest();
    const n = await tasks();
    const payload = { conclusionId: A.conclusion, unitId: B.commune, title: 'Về xã tỉnh khác', assignee: { kind: 'agency', name: 'Phòng Kinh tế' }, dueOn: '2023-12-31' };
    const res = await app.inject({ method: 'POST', url: '/api/v1/tasks', headers: attackers.committee_member, payload });
    expect(res.statusCode).toBe(403);
    expect((res.json() as Json).error.details).toMatchObject({ field: 'unitId', reason: 'out_of_scope' });
    expect(await tasks()).toBe(n);
    expect(await digest()).toBe(before);
    // A token allowed to manage committees but not to read tasks: its task is written and shown, not refused after the commit.
    const token = await bearer(app, { actions: ['committee.write'], unitIds: [A.province] });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/tasks', headers: token, payload: { ...payload, unitId: A.commune } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await tasks()).toBe(n + 1);
  });

  it('refuses to register a write whose body has an id-like field without a reference declaration', async () => {
    const other = await buildApp({ db: ctx.db, webDist: '/nonexistent', security: testSecurity() });
    let error: unknown = null;
    try {
      other.post('/api/v1/forgotten', { config: { action: 'committee.write' }, schema: { body: Type.Object({ meetingId: Type.Integer() }) } }, async () => ({}));
      await other.ready();
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/forgotten.*meetingId/);
    await other.close().catch(() => undefined);
  });
});
