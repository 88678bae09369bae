/**
 * Property-based fuzzing of every write route (POST, PUT, PATCH, DELETE) found in the app's route
 * list, with fast-check: random JSON, the route's own field names filled with hostile values
 * (wrong types, huge strings, SQL and script injection, unicode edge cases), malformed JSON, odd
 * path parameters and If-Match headers. For every request: never a 5xx, an error always comes in
 * the envelope without a stack trace or SQL, and a refused request writes nothing (row counts of
 * every data table unchanged — a failed sign-in is the one documented exception: it is audited).
 *
 * Then every operation of the OpenAPI document, reads and writes, as anonymous, a province office,
 * a commune officer, an administrator and an API token: hostile path parameters (NUL bytes, path
 * traversal, huge numbers, unicode), query values of the wrong type and hostile JSON bodies — never
 * a 5xx, always the envelope. `DATCHUAN_FUZZ_REQUESTS` sets the count (default 500 per
 * database); `npm run fuzz` runs 10,000 on PostgreSQL (`DATCHUAN_FUZZ_DIALECT=postgres`);
 * `DATCHUAN_FUZZ_SEED` draws another set.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect } from '../test-support/dialects.ts';
import { insertCommune } from '../test-support/factories.ts';
import { getCatalog } from '../catalog/catalog.ts';
import { DEMO_SET_ID } from '../seed/demo.ts';
import { createReview } from '../services/review.service.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { setUserStatus } from '../services/user.service.ts';
import { buildApp, type App } from './app.ts';
import { bearer, createTestUser, login, TEST_PASSWORD, testSecurity, type SignedIn } from '../test-support/http.ts';
import { TOKEN_ACTIONS } from '../domain/policy.ts';

const RUNS_PER_ROUTE = Number(process.env.DATCHUAN_FUZZ_RUNS ?? 50);
const ALL_ROUTES_REQUESTS = Number(process.env.DATCHUAN_FUZZ_REQUESTS ?? 500);
/** Run the fuzzing on this database only (`npm run fuzz`: postgres); both when unset. */
const ONLY_DIALECT = process.env.DATCHUAN_FUZZ_DIALECT ?? null;
const COUNTED = ['review', 'indicator_value', 'review_evaluation', 'audit_event', 'app_user', 'role_grant', 'api_token', 'unit_attribute', 'recovery_code', 'password_history'] as const;

const hostileString = fc.oneof(
  fc.constantFrom(
    "' OR '1'='1",
    "'; DROP TABLE review; --",
    '1; DELETE FROM audit_event',
    '" OR ""="',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '${7*7}{{7*7}}',
    '../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '....//....//etc/passwd',
    '%00',
    '\u0000',
    'a\u0000b',
    '13510\u0000@2025-03',
    '99999999999999999999999',
    '-9223372036854775809',
    '1e309',
    '0x7fffffff',
    '\uD800',
    '\u202Eevil',
    'Tra\u0300ng An',
    '🌾🏞️‍🔥',
    'ﷺ'.repeat(50),
    '13510@2025-03',
    '00004@2025-03',
    '',
    ' ',
    'null',
    'NaN',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((x) => `${x}\u0000${x}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'Đ'.repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -1, -0, 1e308, 2 ** 53 + 1, true, false, null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
  fc.constant({ __proto__: { admin: true } }),
);

function bodyFor(keys: string[]): fc.Arbitrary<unknown> {
  const fields = keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] }) : fc.constant({});
  return fc.oneof(
    { weight: 4, arbitrary: fields },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString, hostileValue, { maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ __raw: `{"${s}` })) },
  );
}

describeEachDialect('fuzzing every write route', (ctx) => {
  let app: App;
  let office: SignedIn;
  let admin: SignedIn;
  let selfUser = { username: '', password: TEST_PASSWORD };
  let reviewId = 0;
  let userId = 0;
  let bodyKeys = new Map<string, string[]>();
  let total = 0;

  async function counts(): Promise<Record<string, number>> {
    const q = COUNTED.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL ');
    const rows = (await sql.raw(q).execute(ctx.db.kysely)).rows as Array<{ t: string; n: number | string }>;
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  }

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity({ ipFailureLimit: 100_000, lockoutThreshold: 100 }) });
    const unit = await insertCommune(ctx.db.kysely, { code: '13510', name: 'Tràng An' });
    const code = getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
    reviewId = (await createReview(ctx.db, SYSTEM_ACTOR, { unitId: unit.id, setId: DEMO_SET_ID, reviewedOn: '2023-03-20', values: { [code]: { value: true } } })).id;
    office = await login(app, (await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' })).username, TEST_PASSWORD);
    admin = await login(app, (await createTestUser(app, { role: 'admin', unitId: null })).username, TEST_PASSWORD);
    const s = await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' });
    selfUser = { username: s.username, password: s.password };
    userId = s.id;
    const doc = app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
    bodyKeys = new Map();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const props = op.requestBody?.content?.['application/json']?.schema?.properties;
        bodyKeys.set(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`, props ? Object.keys(props) : []);
      }
    }
  });
  afterAll(async () => {
    console.log(`fuzz cases run [${ctx.dialect}]: ${total}`);
    await app.close();
  });

  it.skipIf(ONLY_DIALECT !== null && ONLY_DIALECT !== ctx.dialect)('never answers 5xx, always with the envelope, and writes nothing when it refuses', async () => {
    const writes = app.datchuan.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(writes.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const route of writes) {
      const keys = bodyKeys.get(`${route.method} ${route.url}`) ?? [];
      const param = fc.oneof({ weight: 5, arbitrary: fc.constant('valid') }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', '99999999999999999999', '1.5', '%2e%2e') });
      await fc.assert(
        fc.asyncProperty(bodyFor(keys), param, fc.option(fc.oneof(hostileString, fc.constantFrom('"1"', 'W/"2"', '*')), { nil: undefined }), async (body, p, ifMatch) => {
          total++;
          const url = route.url.replace(/:(\w+)/g, (_m, name: string) => {
            if (p !== 'valid') {
              try {
                return encodeURIComponent(p);
              } catch {
                return '%ED%A0%80'; // a lone surrogate: invalid UTF-8 in the path
              }
            }
            if (name === 'userId') return String(userId);
            if (name === 'code') return getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
            if (name === 'id' && route.url.startsWith('/api/v1/units/')) return '13510@2025-03';
            return String(reviewId);
          });
          let headers: Record<string, string>;
          if (route.action === 'user.manage' || route.action === 'token.manage') headers = admin;
          else if (route.action === 'session.self') headers = await login(app, selfUser.username, selfUser.password);
          else if (route.action === 'public') headers = {};
          else headers = office;
          if (ifMatch !== undefined) headers = { ...headers, 'if-match': ifMatch.replace(/[^\x20-\x7e]/g, '?') };
          const raw = typeof body === 'object' && body !== null && '__raw' in body ? String((body as { __raw: string }).__raw) : null;
          const before = await counts();
          const res = await app.inject({
            method: route.method as 'POST',
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: raw ?? JSON.stringify(body ?? null),
          });
          const label = `${route.method} ${url.slice(0, 80)} body=${(JSON.stringify(body) ?? '').slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (res.statusCode >= 500) problems.push(`5xx: ${label}`);
          if (res.statusCode >= 400) {
            let env: { error?: { code?: string; message?: string; message_vi?: string } } = {};
            try {
              env = res.json();
            } catch {
              /* not JSON */
            }
            if (!env.error?.code || !env.error.message || !env.error.message_vi) problems.push(`no envelope: ${label}`);
            if (/\bat .+:\d+:\d+|node_modules|SELECT |INSERT INTO|syntax error|SQLITE_|violates/.test(res.body)) problems.push(`leaks internals: ${label}`);
            const after = await counts();
            for (const t of COUNTED) {
              if (after[t] === before[t]) continue;
              if (route.url === '/api/v1/auth/login' && t === 'audit_event') continue; // failed sign-ins are audited by design
              problems.push(`wrote ${t} (${before[t]} → ${after[t]}) on refusal: ${label}`);
            }
          }
          if (problems.length) throw new Error(problems[0]!.slice(0, 600));
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261127, endOnFailure: true },
      );
      if (problems.length) break;
    }
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(writes.length * RUNS_PER_ROUTE);
  }, 300_000);

  it.skipIf(ONLY_DIALECT !== null && ONLY_DIALECT !== ctx.dialect)('never answers 5xx on any operation of the OpenAPI document, read or write, signed in or anonymous', async () => {
    type Param = { in: string; name: string; schema?: { type?: string } };
    type Op = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } };
    const doc = app.swagger() as { paths: Record<string, Record<string, Op>> };
    const ops = Object.entries(doc.paths).flatMap(([p, byMethod]) =>
      Object.entries(byMethod).map(([m, op]) => ({
        method: m.toUpperCase(),
        path: p,
        pathParams: (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name),
        query: (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
        bodyKeys: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        json: !!op.requestBody?.content?.['application/json'],
      })),
    );
    expect(ops.length).toBeGreaterThan(90);
    // The signed-in callers, signed in again (re-enabled first) when a fuzzed request ended their
    // session or disabled their account: a hostile id may well be theirs.
    const accounts = {
      office: await createTestUser(app, { role: 'province_office', unitId: '35@2025-03' }),
      commune: await createTestUser(app, { role: 'commune_officer', unitId: '13510@2025-03' }),
      admin: await createTestUser(app, { role: 'admin', unitId: null }),
      self: await createTestUser(app, { role: 'viewer', unitId: '35@2025-03' }),
    };
    type Caller = keyof typeof accounts;
    const sessions = new Map<Caller, Record<string, string>>();
    const headersOf = async (c: Caller): Promise<Record<string, string>> => {
      let h = sessions.get(c);
      if (!h) {
        const a = accounts[c];
        h = await login(app, a.username, a.password).catch(async () => {
          await setUserStatus(app.datchuan.auth, SYSTEM_ACTOR, a.id, 'active');
          return login(app, a.username, a.password).catch(() => ({}));
        });
        sessions.set(c, h);
      }
      return h;
    };
    const token = await bearer(app, { actions: [...TOKEN_ACTIONS] });
    const validParam = (name: string, path: string): string => {
      if (name === 'userId') return String(accounts.self.id);
      if (name === 'code') return getCatalog().get(DEMO_SET_ID).criteria[0]!.indicators[0]!.code;
      if (name === 'unitId' || (name === 'id' && path.startsWith('/api/v1/units/'))) return '13510@2025-03';
      if (name === 'id' && path.startsWith('/api/v1/criteria-sets/')) return DEMO_SET_ID;
      if (name === 'tokenId') return '987654';
      return String(reviewId);
    };
    const paramValue = fc.oneof(
      { weight: 4, arbitrary: fc.constant<string | null>(null) },
      { weight: 3, arbitrary: hostileString },
      { weight: 1, arbitrary: fc.constantFrom('0', '-1', '99999999999999999999', '1.5', '%2e%2e', '..', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'true', '[]', '{}') },
    );
    const queryValue = fc.oneof(hostileString, fc.constantFrom('0', '-1', '1e400', '2023-02-30', '9999-99-99', 'true', 'csv', 'xlsx', '13510@2025-03'), fc.integer().map(String));
    const request = fc.record({
      op: fc.nat({ max: ops.length - 1 }),
      caller: fc.constantFrom('anonymous', 'office', 'commune', 'admin', 'token', 'self'),
      params: fc.array(paramValue, { minLength: 3, maxLength: 3 }),
      query: fc.dictionary(fc.oneof(fc.constantFrom('q', 'date', 'unitId', 'format', 'limit', 'cursor', 'filename'), hostileString), queryValue, { maxKeys: 3 }),
      declaredQuery: fc.array(queryValue, { minLength: 4, maxLength: 4 }),
      body: fc.oneof(bodyFor([]), fc.constant(undefined)),
      keyedBody: fc.boolean(),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/octet-stream'),
    });
    const samples = fc.sample(request, { numRuns: ALL_ROUTES_REQUESTS, seed: Number(process.env.DATCHUAN_FUZZ_SEED ?? 20261203) });
    const keyedBodies = new Map<number, unknown[]>();
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    for (const [n, r] of samples.entries()) {
      const op = ops[r.op]!;
      let i = 0;
      const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const v = r.params[i++ % 3];
        if (v === null || v === undefined) return encodeURIComponent(validParam(name, op.path));
        try {
          return encodeURIComponent(v);
        } catch {
          return '%ED%A0%80'; // a lone surrogate: invalid UTF-8
        }
      });
      const query = new URLSearchParams();
      op.query.forEach((q, k) => {
        if (k < r.declaredQuery.length && (n + k) % 3 !== 0) query.set(q, r.declaredQuery[k]!.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
      });
      for (const [k, v] of Object.entries(r.query)) query.set(k.replace(/[\uD800-\uDFFF]/g, '\uFFFD'), v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
      let body: unknown = r.body;
      if (r.keyedBody && op.bodyKeys.length) {
        let pool = keyedBodies.get(r.op);
        if (!pool) keyedBodies.set(r.op, (pool = fc.sample(bodyFor(op.bodyKeys), { numRuns: 20, seed: r.op })));
        body = pool[n % pool.length];
      }
      const headers = r.caller === 'anonymous' ? {} : r.caller === 'token' ? token : await headersOf(r.caller);
      const raw = typeof body === 'object' && body !== null && '__raw' in body ? String((body as { __raw: string }).__raw) : null;
      const hasBody = op.method !== 'GET' && op.method !== 'DELETE' && body !== undefined;
      const res = await app.inject({
        method: op.method as 'GET',
        url: `${url}${query.size ? `?${query.toString()}` : ''}`,
        headers: { ...headers, ...(hasBody ? { 'content-type': r.contentType } : {}) },
        ...(hasBody ? { payload: raw ?? JSON.stringify(body ?? null) } : {}),
      });
      total++;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      // Sign in again after an answer that may have ended the session (own session routes, a 401).
      if (r.caller !== 'anonymous' && r.caller !== 'token' && (res.statusCode === 401 || op.path.startsWith('/api/v1/auth/') || op.path.startsWith('/api/v1/users/'))) sessions.delete(r.caller);
      const label = `${r.caller} ${op.method} ${url.slice(0, 100)}?${query.toString().slice(0, 100)} body=${(JSON.stringify(body) ?? '').slice(0, 100)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (res.statusCode >= 500) problems.push(`5xx: ${label}`);
      if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) {
        const env = res.json() as { error?: { code?: string; message?: string; message_vi?: string } };
        if (!env.error?.code || !env.error.message || !env.error.message_vi) problems.push(`no envelope: ${label}`);
        if (/\bat .+:\d+:\d+|node_modules|SELECT |INSERT INTO|syntax error|SQLITE_|violates/.test(res.body)) problems.push(`leaks internals: ${label}`);
      }
    }
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    console.log(`all-routes fuzz [${ctx.dialect}]: ${samples.length} requests over ${ops.length} operations, ${fivexx} × 5xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(samples.length).toBe(ALL_ROUTES_REQUESTS);
  }, 1_800_000);
});
