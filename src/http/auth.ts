/**
 * Authentication and the route-level permission gate, as Fastify hooks.
 *
 * Every route declares the action it needs in its config — `{ config: { action: 'review.write' } }`
 * (actions: src/domain/policy.ts). On each request, before the body is read:
 *   1. who is asking: a bearer API token, else the session cookie, else anonymous;
 *   2. a route without a declared action is refused (fails closed; `routes without an action` is
 *      also a test over the whole route list);
 *   3. a session waiting for its second factor may only use routes marked `allowMfaPending`; an
 *      account that must change its password or enrol MFA may only use `session.self` routes;
 *   4. writes with the session cookie need the CSRF header (`X-CSRF-Token`, the value of the
 *      `datchuan_csrf` cookie and of `csrfToken` in /auth/me);
 *   5. administration only from the configured IP ranges (when set);
 *   6. the policy: could this principal perform the action at all? Then, for scoped actions, on the
 *      unit named in the path (`:id`/`:unitId` shaped like `13510@2025-03`) or `?unitId=`.
 * Then, once the body is parsed and validated (preHandler), every id the body or query string of a
 * write carries — declared in its schema with `x-ref` (src/domain/references.ts) — is resolved to
 * the unit its record belongs to and the same action authorised there
 * (src/services/reference.service.ts). A write whose schema has an id-like field without a
 * declaration is refused when the route is registered.
 * Services check the unit of the data they touch again (src/services/access.service.ts).
 */
import { BlockList, isIP } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { ACTIONS, ADMIN_ACTIONS, decide, isAction, type Action, type Principal } from '../domain/policy.ts';
import { DomainError } from '../domain/errors.ts';
import type { UserSessionRow } from '../db/schema.ts';
import {
  accessFor,
  isDemoMode,
  resolveSession,
  sessionGate,
  sessionProblemError,
  userPrincipal,
  type AuthContext,
  type LoadedUser,
} from '../services/auth.service.ts';
import { resolveToken } from '../services/token.service.ts';
import { authorize, deniedError } from '../services/access.service.ts';
import { authorizeReferences } from '../services/reference.service.ts';
import { collectReferences, referencesOf, type RefSite } from '../domain/references.ts';
import type { Actor } from '../services/actor.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs (src/domain/policy.ts). Required on every route. */
    action?: Action;
    /** Usable by a session that has passed the password but not yet the second factor. */
    allowMfaPending?: boolean;
    /** Set when the route is registered: the references its body and query string declare (`x-ref`). */
    references?: { body: RefSite[]; query: RefSite[] };
  }
  interface FastifyRequest {
    /** Set by the auth hook on every routed request. */
    actor: Actor;
    /** The signed-in session (cookie), if any. */
    authSession: { token: string; row: UserSessionRow; user: LoadedUser } | null;
  }
}

export const SESSION_COOKIE = 'datchuan_session';
export const CSRF_COOKIE = 'datchuan_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A unit id as used in paths and queries: `<code>@<list>`. */
const UNIT_ID = /^\d{2,5}@\d{4}-\d{2}$/;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function anonymousActor(req: FastifyRequest, access: Actor['access']): Actor {
  const viaApi = typeof req.headers['x-datchuan-client'] === 'string' || !String(req.headers['user-agent'] ?? '').includes('Mozilla');
  return { id: 'anonymous', source: viaApi ? 'api' : 'web', ip: req.ip, access };
}

function actorFor(ctx: AuthContext, req: FastifyRequest, principal: Principal): Actor {
  const access = accessFor(ctx, principal);
  switch (principal.kind) {
    case 'user':
      return { id: principal.username, source: 'web', ip: req.ip, access };
    case 'token':
      return { id: `token:${principal.name}`, source: 'api', ip: req.ip, access };
    case 'anonymous':
      return anonymousActor(req, access);
  }
}

function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m ? m[1]! : null;
}

export function cookieSecure(ctx: AuthContext, req: FastifyRequest): boolean {
  return ctx.config.cookieSecure === 'always' || (ctx.config.cookieSecure === 'auto' && req.protocol === 'https');
}

/** Set the session and CSRF cookies for a new session. */
export function setSessionCookies(ctx: AuthContext, req: FastifyRequest, reply: FastifyReply, token: string, csrf: string): void {
  const secure = cookieSecure(ctx, req);
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, secure, sameSite: 'lax', path: '/' });
  reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, secure, sameSite: 'lax', path: '/' });
}

export function clearSessionCookies(ctx: AuthContext, req: FastifyRequest, reply: FastifyReply): void {
  const secure = cookieSecure(ctx, req);
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'lax' });
  reply.clearCookie(CSRF_COOKIE, { path: '/', secure, sameSite: 'lax' });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function forbidden(reason: string, vi: string, en: string): DomainError {
  return new DomainError('forbidden', { vi, en }, { reason });
}

function adminAllowlist(cidrs: readonly string[]): BlockList | null {
  if (cidrs.length === 0) return null;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/');
    const type = isIP(addr!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, Number(bits), type);
  }
  return list;
}

function ipAllowed(list: BlockList, ip: string): boolean {
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  const type = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  return isIP(plain) !== 0 && list.check(plain, type);
}

/** Every route registered, with its declared action (for the fail-closed test and the matrix). */
export interface RouteRecord {
  method: string;
  url: string;
  action: Action | undefined;
}

/**
 * The references a write route's body and query string declare. An id-like field without a
 * declaration stops the app from starting: a new route cannot forget to say what its ids are.
 */
function declaredReferences(method: string, url: string, action: Action | undefined, schema: { body?: unknown; querystring?: unknown } | undefined): { body: RefSite[]; query: RefSite[] } {
  // Routes open to anyone (signing in, residents' comments) have no caller scope to check ids against.
  if (!UNSAFE.has(method) || !schema || !action || ACTIONS[action].roles === 'everyone') return { body: [], query: [] };
  const body = referencesOf(schema.body);
  const query = referencesOf(schema.querystring);
  const undeclared = [...body.undeclared, ...query.undeclared.map((f) => `?${f}`)];
  if (undeclared.length) throw new Error(`${method} ${url}: id-like request fields without a reference declaration (x-ref): ${undeclared.join(', ')}`);
  return { body: body.refs, query: query.refs };
}

export async function installAuth(app: FastifyInstance, ctx: AuthContext, routes: RouteRecord[]): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('authSession', null);
  const allowlist = adminAllowlist(ctx.config.adminIpAllowlist);

  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const action = r.config?.action;
    // The permission each route needs, in the OpenAPI document too.
    if (isAction(action) && r.schema && !(r.schema as { hide?: boolean }).hide) {
      const rule = ACTIONS[action];
      const who = rule.roles === 'everyone' ? 'public' : `${action} (${rule.label.vi} / ${rule.label.en})`;
      r.schema = { ...r.schema, description: `${(r.schema as { description?: string }).description ? `${(r.schema as { description?: string }).description}\n\n` : ''}Quyền / permission: ${who}` } as typeof r.schema;
    }
    const refs = methods.map((m) => declaredReferences(m, r.url, isAction(action) ? action : undefined, r.schema as { body?: unknown; querystring?: unknown } | undefined));
    const merged = { body: refs.flatMap((x) => x.body), query: refs.flatMap((x) => x.query) };
    if (merged.body.length || merged.query.length) r.config = { ...(r.config ?? {}), references: merged };
    for (const m of methods) if (m !== 'HEAD') routes.push({ method: m, url: r.url, action: isAction(action) ? action : undefined });
  });

  // 7. Ids in the body and query string, once they are parsed and validated: before the handler.
  app.addHook('preHandler', async (req) => {
    const refs = req.routeOptions.config?.references;
    const action = req.routeOptions.config?.action;
    if (!refs || !isAction(action) || !req.actor?.access) return;
    const found = [...collectReferences(refs.body, req.body), ...collectReferences(refs.query, req.query, '?')];
    await authorizeReferences(ctx.db, req.actor, action, found);
  });

  app.addHook('onRequest', async (req, reply) => {
    req.actor = anonymousActor(req, accessFor(ctx, { kind: 'anonymous', demoViewer: false }));
    if (req.is404) return;
    const declared = req.routeOptions.config?.action;
    const action: Action | null = isAction(declared) ? declared : null;
    const open = action !== null && ACTIONS[action].roles === 'everyone';

    // 1. Who is asking.
    let principal: Principal | null = null;
    const bearer = bearerOf(req);
    if (bearer) {
      const t = await resolveToken(ctx, bearer, req.ip);
      if (!t && !open) {
        throw new DomainError('unauthenticated', { vi: 'Khóa API không hợp lệ, đã bị thu hồi hoặc đã hết hạn.', en: 'The API token is invalid, revoked or expired.' }, { reason: 'bad_token' });
      }
      principal = t;
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        const s = await resolveSession(ctx, token);
        if ('problem' in s) {
          clearSessionCookies(ctx, req, reply);
          if (!open) throw sessionProblemError(s.problem);
        } else {
          req.authSession = { token, row: s.session, user: s.user };
          principal = userPrincipal(s.user);
        }
      }
    }
    principal ??= { kind: 'anonymous', demoViewer: await isDemoMode(ctx) };
    req.actor = actorFor(ctx, req, principal);

    // 2. Fail closed on a route that did not say what it needs.
    if (action === null) {
      req.log.error({ url: req.routeOptions.url, method: req.method }, 'route without a declared action refused');
      throw forbidden('undeclared_action', 'Chức năng này chưa được khai báo quyền truy cập nên bị từ chối.', 'This route declares no permission and is refused.');
    }
    if (open) return;

    // 3. Unfinished sign-in.
    const session = req.authSession;
    if (session) {
      if (session.row.stage === 'mfa' && !req.routeOptions.config.allowMfaPending) {
        throw new DomainError('unauthenticated', { vi: 'Hãy nhập mã xác thực hai lớp để hoàn tất đăng nhập.', en: 'Enter your two-factor code to finish signing in.' }, { reason: 'mfa_required' });
      }
      if (action !== 'session.self') {
        const gate = await sessionGate(ctx, session.user);
        if (gate.mustChangePassword) throw forbidden('password_change_required', 'Bạn cần đổi mật khẩu trước khi tiếp tục.', 'You must change your password before continuing.');
        if (gate.mfaSetupRequired) throw forbidden('mfa_setup_required', 'Tài khoản của bạn phải bật xác thực hai lớp trước khi tiếp tục.', 'Your account must set up two-factor authentication before continuing.');
      }
      // 4. CSRF: cookie-authenticated writes carry the session's token in a header.
      if (UNSAFE.has(req.method)) {
        const sent = req.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameSecret(sent, session.row.csrf_token)) {
          throw forbidden('csrf', 'Yêu cầu bị từ chối vì thiếu mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại.', 'Request refused: missing or wrong anti-forgery (CSRF) token. Reload the page and try again.');
        }
      }
    }

    // 5. Administration only from the allowed networks.
    if (allowlist && ADMIN_ACTIONS.includes(action) && !ipAllowed(allowlist, req.ip)) {
      throw forbidden('ip_not_allowed', `Chức năng quản trị không được dùng từ địa chỉ ${req.ip}.`, `Administration is not allowed from ${req.ip}.`);
    }

    // 6. The policy: the action at all, then on the unit the path names.
    const access = req.actor.access!;
    const d = decide(principal, action, 'anywhere', access.today());
    if (!d.allowed) throw deniedError(d.reason, action);
    if (ACTIONS[action].scoped) {
      const params = (req.params ?? {}) as Record<string, unknown>;
      const query = (req.query ?? {}) as Record<string, unknown>;
      for (const v of [params.id, params.unitId, query.unitId]) {
        if (typeof v === 'string' && UNIT_ID.test(v)) await authorize(ctx.db, req.actor, action, v);
      }
    }
  });
}
