/**
 * Đăng nhập — sign-in, sessions, second factor, own password. Server-side sessions in the
 * database, looked up by the SHA-256 of the cookie value; idle and absolute expiry; a new session
 * id at every sign-in and at the second factor (no fixation); progressive delays per account, per
 * account at an address and per address, with one answer for every refusal (see `login`); TOTP with
 * one-time recovery codes; re-authentication before sensitive changes; forced password change;
 * password history for administrators. Every sign-in, failure and change is in the audit trail.
 *
 * Time comes from `ctx.clock` so that tests can move it.
 */
import type { Db } from '../db/database.ts';
import type { ApiTokenRow, AppUserRow, UserSessionRow } from '../db/schema.ts';
import * as users from '../db/user.repository.ts';
import * as sessions from '../db/session.repository.ts';
import { recordSecurityAudit } from '../db/audit.repository.ts';
import { isDemoDatabase } from '../db/meta.repository.ts';
import type { SecurityConfig } from '../config.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { ACTION_NAMES, ADMIN_ROLES, decide, grantActiveOn, isRole, landingFor, type Action, type Grant, type Landing, type Principal, type Role } from '../domain/policy.ts';
import { DomainError } from '../domain/errors.ts';
import { todayInVietnam } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { dummyHash, hashPassword, needsRehash, randomToken, sha256, verifyPassword } from '../platform/password-hash.ts';
import { announceChange } from '../db/change-channel.ts';
import { databaseFailureStore } from '../db/sign-in-failure.repository.ts';
import { LoginThrottle, TtlCache, invalidateAuthCaches, progressiveDelayMs } from '../platform/auth-cache.ts';
import { ScopeResolver } from './access.service.ts';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpQrDataUrl, totpUri, verifyTotp } from '../platform/totp.ts';
import { openSecret, sealSecret } from '../platform/secret-box.ts';
import type { Access, Actor } from './actor.ts';

export interface LoadedUser {
  row: AppUserRow;
  grants: Grant[];
}

/** Everything the authentication services share inside one application instance. */
export interface AuthContext {
  db: Db;
  config: SecurityConfig;
  clock: () => Date;
  scopes: ScopeResolver;
  throttle: LoginThrottle;
  sessionCache: TtlCache<UserSessionRow>;
  userCache: TtlCache<LoadedUser>;
  demoCache: TtlCache<boolean>;
  tokenCache: TtlCache<ApiTokenRow | null>;
  /** Last request time per session (ms), kept in memory; the database row is touched every 30 s. */
  lastSeen: Map<string, number>;
}

export function createAuthContext(db: Db, config: SecurityConfig, clock: () => Date = () => new Date()): AuthContext {
  return {
    db,
    config,
    clock,
    scopes: new ScopeResolver(),
    throttle: new LoginThrottle({
      accountThreshold: config.lockoutThreshold,
      accountCapMs: config.lockoutMinutes * 60_000,
      addressThreshold: config.ipFailureLimit,
      addressWindowMs: config.ipWindowMinutes * 60_000,
    }, databaseFailureStore(db.kysely)),
    sessionCache: new TtlCache(2_000),
    userCache: new TtlCache(2_000),
    demoCache: new TtlCache(5_000),
    tokenCache: new TtlCache(2_000),
    lastSeen: new Map(),
  };
}

const TOUCH_EVERY_MS = 30_000;

// ── Helpers ───────────────────────────────────────────────────────────────────────────────

export function normaliseUsername(u: string): string {
  return nfc(u).trim().toLowerCase();
}

export async function isDemoMode(ctx: AuthContext): Promise<boolean> {
  const hit = ctx.demoCache.get('demo');
  if (hit !== undefined) return hit;
  const v = await isDemoDatabase(ctx.db.kysely);
  ctx.demoCache.set('demo', v);
  return v;
}

export function toGrant(r: { id: number; role: string; unit_id: string | null; valid_from: string | null; valid_to: string | null }): Grant | null {
  return isRole(r.role) ? { id: r.id, role: r.role, unitId: r.unit_id, validFrom: r.valid_from, validTo: r.valid_to } : null;
}

export async function loadUser(ctx: AuthContext, userId: number): Promise<LoadedUser | null> {
  const key = String(userId);
  const hit = ctx.userCache.get(key);
  if (hit) return hit;
  const row = await users.findUserById(ctx.db.kysely, userId);
  if (!row) return null;
  const grants = (await users.listGrants(ctx.db.kysely, [userId])).map(toGrant).filter((g): g is Grant => g !== null);
  const loaded = { row, grants };
  ctx.userCache.set(key, loaded);
  return loaded;
}

function activeRoles(grants: readonly Grant[], today: string): Set<Role> {
  return new Set(grants.filter((g) => grantActiveOn(g, today)).map((g) => g.role));
}

export function isAdministrator(grants: readonly Grant[], today: string): boolean {
  const roles = activeRoles(grants, today);
  return ADMIN_ROLES.some((r) => roles.has(r));
}

/** Demo accounts in a demo database skip the forced password change and MFA (documented exception). */
function demoExempt(user: AppUserRow, demo: boolean): boolean {
  return demo && user.is_demo === 1;
}

export function mfaRequired(ctx: AuthContext, u: LoadedUser, demo: boolean): boolean {
  if (demoExempt(u.row, demo)) return false;
  if (ctx.config.mfaRoles === 'all') return true;
  const roles = activeRoles(u.grants, todayInVietnam(ctx.clock()));
  return ctx.config.mfaRoles.some((r) => roles.has(r));
}

export function idleSecondsFor(ctx: AuthContext, grants: readonly Grant[]): number {
  return (isAdministrator(grants, todayInVietnam(ctx.clock())) ? ctx.config.adminSessionIdleMinutes : ctx.config.sessionIdleMinutes) * 60;
}

export function accessFor(ctx: AuthContext, principal: Principal): Access {
  return { principal, scopes: ctx.scopes, today: () => todayInVietnam(ctx.clock()) };
}

export function userPrincipal(u: LoadedUser): Principal {
  return { kind: 'user', userId: u.row.id, username: u.row.username, grants: u.grants };
}

function actorFor(username: string, ip: string | null): Actor {
  return { id: username, source: 'web', ip };
}

function unauthenticated(vi: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('unauthenticated', { vi, en }, details);
}

/**
 * The one answer to a refused sign-in, whether the username is unknown, the password wrong or the
 * account waiting out a delay: nothing tells which usernames exist or which accounts are under attack.
 */
const WRONG_CREDENTIALS = () =>
  unauthenticated(
    'Tên đăng nhập hoặc mật khẩu không đúng. Nếu đã nhập sai nhiều lần, hãy đợi vài phút rồi thử lại.',
    'Wrong username or password. After several failed attempts, wait a few minutes and try again.',
    { reason: 'wrong_credentials' },
  );

/** Whether the account is waiting out a delay after failed sign-ins (from any address). */
function accountDelayed(ctx: AuthContext, u: AppUserRow): boolean {
  return u.locked_until !== null && Date.parse(u.locked_until) > ctx.clock().getTime();
}

/** 429 with the wait in seconds (minutes when long), after too many failures of one kind. */
function tooManyFailures(retryMs: number, what: { vi: string; en: string }): DomainError {
  const seconds = Math.max(1, Math.ceil(retryMs / 1000));
  const wait = seconds < 90 ? { vi: `${seconds} giây`, en: `${seconds} seconds` } : { vi: `${Math.ceil(seconds / 60)} phút`, en: `${Math.ceil(seconds / 60)} minutes` };
  return new DomainError('rate_limited', { vi: `${what.vi} Vui lòng thử lại sau ${wait.vi}.`, en: `${what.en} Please try again in ${wait.en}.` }, { retryAfterSeconds: seconds });
}

const throttled = (retryMs: number) =>
  tooManyFailures(retryMs, { vi: 'Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này.', en: 'Too many failed sign-ins from this network address.' });
const codesThrottled = (retryMs: number) =>
  tooManyFailures(retryMs, { vi: 'Đã nhập sai mã xác thực hoặc mật khẩu quá nhiều lần.', en: 'Too many wrong verification codes or passwords.' });

/** Count one failed attempt on an account (all addresses): a progressive delay from the threshold on. */
async function countAccountFailure(ctx: AuthContext, row: AppUserRow, ip: string | null, now: Date): Promise<number> {
  const failures = await users.recordFailedLogin(ctx.db.kysely, row.id, (n) => {
    const ms = progressiveDelayMs(n, ctx.config.lockoutThreshold, ctx.config.lockoutMinutes * 60_000);
    return ms > 0 ? new Date(now.getTime() + ms).toISOString() : null;
  });
  await invalidateAuthCaches(ctx.db);
  if (failures === ctx.config.lockoutThreshold) {
    // The alert: administrators see it in the audit trail and the account list (delayed, failures).
    await recordSecurityAudit(
      ctx.db.kysely,
      actorFor('system', ip),
      { action: 'user.lock', entity: 'user', entityId: row.id, after: { username: row.username, failures, delayedSeconds: progressiveDelayMs(failures, ctx.config.lockoutThreshold, ctx.config.lockoutMinutes * 60_000) / 1000 } },
      now.toISOString(),
    );
  }
  return failures;
}

// ── Sessions ──────────────────────────────────────────────────────────────────────────────

export interface NewSession {
  /** The cookie value (shown once, never stored). */
  token: string;
  row: UserSessionRow;
}

async function createSession(ctx: AuthContext, u: LoadedUser, stage: UserSessionRow['stage'], ip: string | null, userAgent: string | null): Promise<NewSession> {
  const now = ctx.clock();
  const token = randomToken(32);
  const row: UserSessionRow = {
    id: sha256(token),
    user_id: u.row.id,
    stage,
    csrf_token: randomToken(24),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3600_000).toISOString(),
    idle_seconds: idleSecondsFor(ctx, u.grants),
    ip,
    user_agent: userAgent ? userAgent.slice(0, 300) : null,
    // A complete sign-in is itself a fresh authentication; a half one (second factor due) is not.
    reauthenticated_at: stage === 'active' ? now.toISOString() : null,
  };
  await sessions.insertSession(ctx.db.kysely, row);
  ctx.lastSeen.set(row.id, now.getTime());
  return { token, row };
}

async function dropSession(ctx: AuthContext, id: string): Promise<void> {
  await sessions.deleteSession(ctx.db.kysely, id);
  ctx.sessionCache.delete(id);
  ctx.lastSeen.delete(id);
  // The other servers' session caches (this one's entry is gone already).
  await announceChange(ctx.db, 'auth');
}

export type SessionProblem = 'missing' | 'idle' | 'expired' | 'disabled';

export interface ResolvedSession {
  session: UserSessionRow;
  user: LoadedUser;
}

/** The session behind a cookie value, or why there is none (an expired one is deleted). */
export async function resolveSession(ctx: AuthContext, token: string): Promise<ResolvedSession | { problem: SessionProblem }> {
  const id = sha256(token);
  let row = ctx.sessionCache.get(id);
  if (!row) {
    row = await sessions.findSession(ctx.db.kysely, id);
    if (!row) return { problem: 'missing' };
    ctx.sessionCache.set(id, row);
  }
  const now = ctx.clock().getTime();
  const lastSeen = Math.max(Date.parse(row.last_seen_at), ctx.lastSeen.get(id) ?? 0);
  if (now - lastSeen >= row.idle_seconds * 1000) {
    await dropSession(ctx, id);
    return { problem: 'idle' };
  }
  if (now >= Date.parse(row.expires_at)) {
    await dropSession(ctx, id);
    return { problem: 'expired' };
  }
  const user = await loadUser(ctx, row.user_id);
  if (!user || user.row.status !== 'active' || (user.row.is_demo === 1 && !(await isDemoMode(ctx)))) {
    await dropSession(ctx, id);
    return { problem: 'disabled' };
  }
  ctx.lastSeen.set(id, now);
  if (now - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    const at = new Date(now).toISOString();
    await sessions.touchSession(ctx.db.kysely, id, at);
    row = { ...row, last_seen_at: at };
    ctx.sessionCache.set(id, row);
  }
  return { session: row, user };
}

export function sessionProblemError(problem: SessionProblem): DomainError {
  switch (problem) {
    case 'idle':
      return unauthenticated('Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.', 'Your session timed out after inactivity. Please sign in again.', { reason: 'idle_timeout' });
    case 'expired':
      return unauthenticated('Phiên làm việc đã hết thời hạn. Vui lòng đăng nhập lại.', 'Your session has expired. Please sign in again.', { reason: 'session_expired' });
    case 'disabled':
      return unauthenticated('Tài khoản đã bị vô hiệu hóa.', 'The account has been disabled.', { reason: 'account_disabled' });
    case 'missing':
      return unauthenticated('Phiên làm việc không còn hiệu lực. Vui lòng đăng nhập lại.', 'Your session is no longer valid. Please sign in again.', { reason: 'no_session' });
  }
}

// ── Sign-in ───────────────────────────────────────────────────────────────────────────────

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the browser already had: it is ended (a new id is always issued). */
  previousToken?: string | null;
}

export interface LoginResult extends NewSession {
  user: LoadedUser;
}

/**
 * Sign-in with username and password. Refusals are one answer (WRONG_CREDENTIALS) for an unknown
 * user, a wrong password and an account in a delay; every attempt costs one scrypt verification
 * (a dummy hash for unknown users), so neither the answer nor its time tells them apart.
 *
 * Throttles, all progressive delays rather than locks a stranger could set off:
 * - per address (every account tried from it): over DATCHUAN_LOGIN_IP_LIMIT failures → 429;
 * - per account at an address: the attacker's own address waits, whoever else signs in;
 * - per account from anywhere (app_user.locked_until): after DATCHUAN_LOCKOUT_THRESHOLD failures
 *   in a row, 30 s doubling up to DATCHUAN_LOCKOUT_MINUTES; audited once as `user.lock`.
 * While the address or the account (but not the account at this address) waits, a correct password
 * of an account with a second factor still goes on to the second step: the code is what protects
 * it then, so the real user is not shut out by a stranger's guesses.
 */
export async function login(ctx: AuthContext, input: LoginInput): Promise<LoginResult> {
  const now = ctx.clock();
  const t = now.getTime();
  const ip = input.ip ?? 'unknown';
  if (input.previousToken) await dropSession(ctx, sha256(input.previousToken));

  const username = normaliseUsername(input.username);
  const row = username ? await users.findUserByUsername(ctx.db.kysely, username) : undefined;
  // Always exactly one verification, whoever the user and whatever the delays.
  const ok = await verifyPassword(input.password, row ? row.password_hash : await dummyHash(ctx.config.scrypt));
  const addressWait = await ctx.throttle.address.delayMs(LoginThrottle.addressKey(ip), t);
  const pairWait = row ? await ctx.throttle.accountAtAddress.delayMs(LoginThrottle.pairKey(row.id, ip), t) : 0;

  const refuse = async (reason: string, userRow: AppUserRow | undefined, counts: boolean): Promise<never> => {
    let failures: number | undefined;
    if (counts) {
      await ctx.throttle.address.fail(LoginThrottle.addressKey(ip), t);
      if (userRow) {
        await ctx.throttle.accountAtAddress.fail(LoginThrottle.pairKey(userRow.id, ip), t);
        failures = await countAccountFailure(ctx, userRow, input.ip, now);
      }
    }
    await recordSecurityAudit(
      ctx.db.kysely,
      actorFor(userRow ? userRow.username : 'anonymous', input.ip),
      { action: 'login.failure', entity: 'user', entityId: userRow ? userRow.id : username.slice(0, 100), after: { reason, username: username.slice(0, 100), ...(failures ? { failures } : {}) } },
      now.toISOString(),
    );
    // The address's own wait is told (it says nothing about any account); everything else is one answer.
    if (addressWait > 0) throw throttled(Math.max(addressWait, await ctx.throttle.address.delayMs(LoginThrottle.addressKey(ip), t)));
    throw WRONG_CREDENTIALS();
  };

  if (!row) return refuse('unknown_user', undefined, true);
  if (!ok) return refuse('wrong_password', row, true);
  const demo = await isDemoMode(ctx);
  const secondFactor = row.mfa_enabled === 1 && !demoExempt(row, demo);
  const waiting = addressWait > 0 || pairWait > 0 || accountDelayed(ctx, row);
  if (waiting && (pairWait > 0 || !secondFactor)) return refuse('delayed', row, false);
  if (row.status !== 'active' || (row.is_demo === 1 && !demo)) {
    await recordSecurityAudit(ctx.db.kysely, actorFor(row.username, input.ip), { action: 'login.failure', entity: 'user', entityId: row.id, after: { reason: 'disabled' } }, now.toISOString());
    throw new DomainError(
      'forbidden',
      { vi: 'Tài khoản đã bị vô hiệu hóa. Hãy liên hệ quản trị viên.', en: 'The account has been disabled. Contact an administrator.' },
      { reason: 'account_disabled' },
    );
  }

  const patch: users.UserPatch = {};
  if (needsRehash(row.password_hash, ctx.config.scrypt)) patch.password_hash = await hashPassword(input.password, ctx.config.scrypt);
  await invalidateAuthCaches(ctx.db);
  const u = (await loadUser(ctx, row.id))!;
  const today = todayInVietnam(now);
  if (
    !demoExempt(row, demo) &&
    isAdministrator(u.grants, today) &&
    ctx.config.adminPasswordMaxAgeDays > 0 &&
    now.getTime() - Date.parse(row.password_changed_at) > ctx.config.adminPasswordMaxAgeDays * 86400_000
  ) {
    patch.must_change_password = 1;
  }
  // With a second factor still to come, the failure count stays until the sign-in is complete.
  await users.recordSuccessfulLogin(ctx.db.kysely, row.id, now.toISOString(), input.ip, patch, { resetFailures: !secondFactor });
  // Failures from this address on this account are forgiven; another address's (an attacker's) are not.
  if (!secondFactor) await ctx.throttle.accountAtAddress.clear(LoginThrottle.pairKey(row.id, ip));
  await invalidateAuthCaches(ctx.db);
  const fresh = (await loadUser(ctx, row.id))!;
  const stage = secondFactor ? 'mfa' : 'active';
  const s = await createSession(ctx, fresh, stage, input.ip, input.userAgent);
  await recordSecurityAudit(
    ctx.db.kysely,
    actorFor(row.username, input.ip),
    { action: stage === 'mfa' ? 'login.password_ok' : 'login.success', entity: 'user', entityId: row.id, after: { stage, mustChangePassword: fresh.row.must_change_password === 1, ...(waiting ? { duringDelay: true } : {}) } },
    now.toISOString(),
  );
  return { ...s, user: fresh };
}

/** Second step of a sign-in with MFA: a TOTP code or a recovery code. Issues a new session id. */
export async function completeSecondFactor(
  ctx: AuthContext,
  token: string,
  input: { code?: string; recoveryCode?: string },
  ip: string | null,
  userAgent: string | null,
): Promise<LoginResult> {
  const now = ctx.clock();
  const resolved = await resolveSession(ctx, token);
  if ('problem' in resolved) throw sessionProblemError(resolved.problem);
  const { session, user } = resolved;
  if (session.stage !== 'mfa') {
    throw new DomainError('validation_failed', { vi: 'Phiên này không chờ mã xác thực.', en: 'This session is not waiting for a verification code.' });
  }
  const row = user.row;
  // Wrong codes delay further codes for this account (progressive, capped): the password is known here.
  const wait = await ctx.throttle.secondFactor.delayMs(LoginThrottle.secondFactorKey(row.id), now.getTime());
  if (wait > 0) throw codesThrottled(wait);
  let ok = false;
  let method = 'totp';
  if (input.code && row.mfa_secret) {
    const step = verifyTotp(openSecret(row.mfa_secret, ctx.config.secretKey), input.code, now, row.totp_last_step);
    if (step !== null) {
      ok = true;
      await users.recordSuccessfulLogin(ctx.db.kysely, row.id, now.toISOString(), ip, { totp_last_step: step });
    }
  } else if (input.recoveryCode) {
    method = 'recovery_code';
    ok = await users.useRecoveryCode(ctx.db.kysely, row.id, sha256(normaliseRecoveryCode(input.recoveryCode)), now.toISOString());
    if (ok) await users.recordSuccessfulLogin(ctx.db.kysely, row.id, now.toISOString(), ip);
  }
  await invalidateAuthCaches(ctx.db);
  if (!ok) {
    await ctx.throttle.secondFactor.fail(LoginThrottle.secondFactorKey(row.id), now.getTime());
    const failures = await countAccountFailure(ctx, row, ip, now);
    await recordSecurityAudit(ctx.db.kysely, actorFor(row.username, ip), { action: 'login.failure', entity: 'user', entityId: row.id, after: { reason: `wrong_${method}`, failures } }, now.toISOString());
    throw new DomainError(
      'unauthenticated',
      method === 'totp'
        ? { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The verification code is wrong or has expired.' }
        : { vi: 'Mã khôi phục không đúng hoặc đã được dùng.', en: 'The recovery code is wrong or has already been used.' },
      { reason: `wrong_${method}` },
    );
  }
  await ctx.throttle.secondFactor.clear(LoginThrottle.secondFactorKey(row.id));
  await ctx.throttle.accountAtAddress.clear(LoginThrottle.pairKey(row.id, ip ?? 'unknown'));
  await dropSession(ctx, session.id);
  const fresh = (await loadUser(ctx, row.id))!;
  const s = await createSession(ctx, fresh, 'active', ip, userAgent);
  const remaining = method === 'recovery_code' ? await users.countUnusedRecoveryCodes(ctx.db.kysely, row.id) : undefined;
  await recordSecurityAudit(
    ctx.db.kysely,
    actorFor(row.username, ip),
    { action: 'login.success', entity: 'user', entityId: row.id, after: { stage: 'active', secondFactor: method, ...(remaining !== undefined ? { recoveryCodesLeft: remaining } : {}) } },
    now.toISOString(),
  );
  return { ...s, user: fresh };
}

export async function logout(ctx: AuthContext, token: string, ip: string | null): Promise<void> {
  const id = sha256(token);
  const row = await sessions.findSession(ctx.db.kysely, id);
  await dropSession(ctx, id);
  if (row) {
    const u = await users.findUserById(ctx.db.kysely, row.user_id);
    await recordSecurityAudit(ctx.db.kysely, actorFor(u?.username ?? String(row.user_id), ip), { action: 'logout', entity: 'user', entityId: row.user_id }, ctx.clock().toISOString());
  }
}

/** Sign out every other browser of the signed-in user (needs a recent re-authentication). */
export async function revokeOtherSessions(ctx: AuthContext, actor: Actor, session: UserSessionRow): Promise<number> {
  requireRecentAuthentication(ctx, session);
  return revokeAllSessions(ctx, actor, session.user_id, session.id);
}

/** End every session of a user (all browsers); returns how many. */
export async function revokeAllSessions(ctx: AuthContext, actor: Actor, userId: number, keepSessionId?: string): Promise<number> {
  const list = await sessions.listSessionsOfUser(ctx.db.kysely, userId);
  let n = 0;
  for (const s of list) {
    if (s.id === keepSessionId) continue;
    await dropSession(ctx, s.id);
    n++;
  }
  await invalidateAuthCaches(ctx.db);
  await recordSecurityAudit(ctx.db.kysely, actor, { action: 'session.revoke_all', entity: 'user', entityId: userId, after: { sessions: n } }, ctx.clock().toISOString());
  return n;
}

export interface OwnSession {
  /** The session making the request. */
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  stage: UserSessionRow['stage'];
}

/** A user's own sessions, newest first, the one asking marked `current` (never the secrets). */
export async function listOwnSessions(ctx: AuthContext, userId: number, currentSessionId: string): Promise<OwnSession[]> {
  const rows = await sessions.listSessionsOfUser(ctx.db.kysely, userId);
  return rows.map((r) => ({ current: r.id === currentSessionId, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, ip: r.ip, userAgent: r.user_agent, stage: r.stage }));
}

// ── Re-authentication ("sudo mode") ──────────────────────────────────────────────────────

/** Until when this session may make sensitive changes to its own account, or null. */
export function reauthenticatedUntil(ctx: AuthContext, session: UserSessionRow): string | null {
  if (!session.reauthenticated_at) return null;
  const until = Date.parse(session.reauthenticated_at) + ctx.config.reauthMinutes * 60_000;
  return until > ctx.clock().getTime() ? new Date(until).toISOString() : null;
}

/**
 * A second factor, recovery codes, the password and other sessions are changed only by a session
 * that proved the password (and the code) within DATCHUAN_REAUTH_MINUTES: a stolen cookie is not enough.
 */
export function requireRecentAuthentication(ctx: AuthContext, session: UserSessionRow): void {
  if (reauthenticatedUntil(ctx, session)) return;
  const m = ctx.config.reauthMinutes;
  throw new DomainError(
    'reauthentication_required',
    {
      vi: `Thao tác này cần xác nhận lại danh tính: nhập lại mật khẩu (và mã xác thực hai lớp) — có hiệu lực ${m} phút.`,
      en: `This change needs you to confirm it is you: enter your password (and two-factor code) again — valid for ${m} minutes.`,
    },
    { reason: session.reauthenticated_at ? 'reauthentication_expired' : 'reauthentication_missing', validMinutes: m },
  );
}

function reauthRefused(field: 'password' | 'code' | 'recoveryCode', vi: string, en: string): DomainError {
  return new DomainError('validation_failed', { vi, en }, { fields: [{ field, message: en, message_vi: vi }], reason: 'reauthentication_failed' });
}

/**
 * Prove the password again — and, when the account has a second factor, a current TOTP code (or an
 * unused recovery code) — to stamp the session. Wrong answers are throttled like sign-ins (per
 * account at this address, per account for codes) and audited; they never answer 401, which
 * would sign the browser out.
 */
export async function reauthenticate(
  ctx: AuthContext,
  session: UserSessionRow,
  input: { password: string; code?: string; recoveryCode?: string },
  ip: string | null,
): Promise<{ reauthenticatedUntil: string }> {
  const now = ctx.clock();
  const t = now.getTime();
  const u = await loadUser(ctx, session.user_id);
  if (!u) throw WRONG_CREDENTIALS();
  const row = u.row;
  const pairKey = LoginThrottle.pairKey(row.id, ip ?? 'unknown');
  const wait = Math.max(await ctx.throttle.accountAtAddress.delayMs(pairKey, t), await ctx.throttle.secondFactor.delayMs(LoginThrottle.secondFactorKey(row.id), t));
  if (wait > 0) throw codesThrottled(wait);
  const audit = (action: string, after: Record<string, unknown>) =>
    recordSecurityAudit(ctx.db.kysely, actorFor(row.username, ip), { action, entity: 'user', entityId: row.id, after }, now.toISOString());

  if (!(await verifyPassword(input.password, row.password_hash))) {
    await ctx.throttle.accountAtAddress.fail(pairKey, t);
    await audit('session.reauth_failure', { reason: 'wrong_password' });
    throw reauthRefused('password', 'Mật khẩu không đúng.', 'The password is wrong.');
  }
  const secondFactor = row.mfa_enabled === 1 && !demoExempt(row, await isDemoMode(ctx));
  let method: string | null = null;
  if (secondFactor) {
    if (input.code && row.mfa_secret) {
      method = 'totp';
      const step = verifyTotp(openSecret(row.mfa_secret, ctx.config.secretKey), input.code, now, row.totp_last_step);
      if (step === null) method = null;
      else await users.updateUser(ctx.db.kysely, row.id, { totp_last_step: step });
    } else if (input.recoveryCode) {
      method = (await users.useRecoveryCode(ctx.db.kysely, row.id, sha256(normaliseRecoveryCode(input.recoveryCode)), now.toISOString())) ? 'recovery_code' : null;
    }
    await invalidateAuthCaches(ctx.db);
    if (method === null) {
      await ctx.throttle.secondFactor.fail(LoginThrottle.secondFactorKey(row.id), t);
      await audit('session.reauth_failure', { reason: input.code || input.recoveryCode ? 'wrong_code' : 'code_missing' });
      throw input.recoveryCode && !input.code
        ? reauthRefused('recoveryCode', 'Mã khôi phục không đúng hoặc đã được dùng.', 'The recovery code is wrong or has already been used.')
        : reauthRefused('code', 'Cần mã xác thực hai lớp hiện tại (hoặc một mã khôi phục); mã đã nhập không đúng hoặc đã hết hạn.', 'A current two-factor code (or a recovery code) is needed; the one given is missing, wrong or expired.');
    }
  }
  await sessions.markReauthenticated(ctx.db.kysely, session.id, now.toISOString());
  ctx.sessionCache.delete(session.id);
  await ctx.throttle.accountAtAddress.clear(pairKey);
  await audit('session.reauth', { ...(method ? { secondFactor: method } : {}) });
  return { reauthenticatedUntil: new Date(t + ctx.config.reauthMinutes * 60_000).toISOString() };
}

// ── Own password ──────────────────────────────────────────────────────────────────────────

/** Check a new password against the rules and (for administrators) the recent ones. */
export async function assertAcceptablePassword(ctx: AuthContext, user: AppUserRow, grants: readonly Grant[], password: string): Promise<void> {
  const problems = checkPassword(password, ctx.config.password, { username: user.username, displayName: user.display_name });
  if (problems.length) {
    throw new DomainError(
      'validation_failed',
      { vi: problems.map((p) => p.vi).join(' '), en: problems.map((p) => p.en).join(' ') },
      { fields: problems.map((p) => ({ field: 'newPassword', message: p.en, message_vi: p.vi })) },
    );
  }
  if (isAdministrator(grants, todayInVietnam(ctx.clock())) && ctx.config.adminPasswordHistory > 0) {
    const recent = [user.password_hash, ...(await users.recentPasswordHashes(ctx.db.kysely, user.id, ctx.config.adminPasswordHistory - 1))];
    for (const h of recent) {
      if (await verifyPassword(password, h)) {
        throw new DomainError(
          'validation_failed',
          {
            vi: `Không được dùng lại một trong ${ctx.config.adminPasswordHistory} mật khẩu gần nhất của tài khoản quản trị.`,
            en: `An administrator may not reuse any of their last ${ctx.config.adminPasswordHistory} passwords.`,
          },
          { fields: [{ field: 'newPassword', reason: 'reused' }] },
        );
      }
    }
  }
}

export async function changeOwnPassword(
  ctx: AuthContext,
  session: UserSessionRow,
  input: { currentPassword: string; newPassword: string },
  ip: string | null,
): Promise<void> {
  requireRecentAuthentication(ctx, session);
  const userId = session.user_id;
  const keepSessionId = session.id;
  const u = await loadUser(ctx, userId);
  if (!u) throw WRONG_CREDENTIALS();
  if (!(await verifyPassword(input.currentPassword, u.row.password_hash))) {
    throw new DomainError('validation_failed', { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' }, { fields: [{ field: 'currentPassword' }] });
  }
  await setPassword(ctx, u, input.newPassword, { mustChange: false, by: u.row.username, ip, action: 'user.password.change' });
  await revokeAllSessionsQuietly(ctx, userId, keepSessionId);
}

async function revokeAllSessionsQuietly(ctx: AuthContext, userId: number, keep: string | null): Promise<void> {
  for (const s of await sessions.listSessionsOfUser(ctx.db.kysely, userId)) if (s.id !== keep) await dropSession(ctx, s.id);
}

/** Store a new password (rules and history checked), keeping the old hash in the history. */
export async function setPassword(
  ctx: AuthContext,
  u: LoadedUser,
  password: string,
  opts: { mustChange: boolean; by: string; ip: string | null; action: string; skipRules?: boolean; source?: Actor['source'] },
): Promise<void> {
  if (!opts.skipRules) await assertAcceptablePassword(ctx, u.row, u.grants, password);
  const now = ctx.clock().toISOString();
  const hash = await hashPassword(password, ctx.config.scrypt);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.addPasswordHistory(trx, u.row.id, u.row.password_hash, now);
    await users.updateUser(trx, u.row.id, { password_hash: hash, password_changed_at: now, must_change_password: opts.mustChange ? 1 : 0, updated_at: now });
    await recordSecurityAudit(trx, { id: opts.by, source: opts.source ?? 'web', ip: opts.ip }, { action: opts.action, entity: 'user', entityId: u.row.id, after: { username: u.row.username, mustChangePassword: opts.mustChange } }, now);
  });
  await invalidateAuthCaches(ctx.db);
}

// ── Second factor enrolment ───────────────────────────────────────────────────────────────

export interface MfaSetup {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

export async function beginMfaSetup(ctx: AuthContext, session: UserSessionRow): Promise<MfaSetup> {
  requireRecentAuthentication(ctx, session);
  const userId = session.user_id;
  const u = await loadUser(ctx, userId);
  if (!u) throw WRONG_CREDENTIALS();
  const secret = newTotpSecret();
  await users.updateUser(ctx.db.kysely, userId, { mfa_pending_secret: sealSecret(secret, ctx.config.secretKey), updated_at: ctx.clock().toISOString() });
  await invalidateAuthCaches(ctx.db);
  const uri = totpUri(secret, u.row.username);
  return { secret, otpauthUri: uri, qrDataUrl: await totpQrDataUrl(uri) };
}

/** Confirm enrolment with a code from the app; returns ten recovery codes (shown once). */
export async function enableMfa(ctx: AuthContext, session: UserSessionRow, code: string, ip: string | null): Promise<string[]> {
  requireRecentAuthentication(ctx, session);
  const userId = session.user_id;
  const u = await loadUser(ctx, userId);
  if (!u?.row.mfa_pending_secret) {
    throw new DomainError('validation_failed', { vi: 'Chưa bắt đầu cài đặt xác thực hai lớp.', en: 'Two-factor setup has not been started.' });
  }
  const now = ctx.clock();
  const secret = openSecret(u.row.mfa_pending_secret, ctx.config.secretKey);
  const step = verifyTotp(secret, code, now, null);
  if (step === null) {
    throw new DomainError('validation_failed', { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The verification code is wrong or has expired.' }, { fields: [{ field: 'code' }] });
  }
  const codes = newRecoveryCodes();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.updateUser(trx, userId, { mfa_enabled: 1, mfa_secret: sealSecret(secret, ctx.config.secretKey), mfa_pending_secret: null, totp_last_step: step, updated_at: now.toISOString() });
    await users.replaceRecoveryCodes(trx, userId, codes.map((c) => sha256(normaliseRecoveryCode(c))), now.toISOString());
    await recordSecurityAudit(trx, actorFor(u.row.username, ip), { action: 'user.mfa.enable', entity: 'user', entityId: userId }, now.toISOString());
  });
  await invalidateAuthCaches(ctx.db);
  return codes;
}

/** New recovery codes (the old ones stop working), confirmed with a current TOTP code. */
export async function regenerateRecoveryCodes(ctx: AuthContext, session: UserSessionRow, code: string, ip: string | null): Promise<string[]> {
  requireRecentAuthentication(ctx, session);
  const userId = session.user_id;
  const u = await loadUser(ctx, userId);
  const now = ctx.clock();
  const step = u?.row.mfa_secret ? verifyTotp(openSecret(u.row.mfa_secret, ctx.config.secretKey), code, now, u.row.totp_last_step) : null;
  if (!u || step === null) {
    throw new DomainError('validation_failed', { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The verification code is wrong or has expired.' }, { fields: [{ field: 'code' }] });
  }
  const codes = newRecoveryCodes();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.updateUser(trx, userId, { totp_last_step: step, updated_at: now.toISOString() });
    await users.replaceRecoveryCodes(trx, userId, codes.map((c) => sha256(normaliseRecoveryCode(c))), now.toISOString());
    await recordSecurityAudit(trx, actorFor(u.row.username, ip), { action: 'user.mfa.recovery_codes', entity: 'user', entityId: userId }, now.toISOString());
  });
  await invalidateAuthCaches(ctx.db);
  return codes;
}

// ── What must happen before anything else ────────────────────────────────────────────────

export interface SessionGate {
  mustChangePassword: boolean;
  mfaSetupRequired: boolean;
}

/** Per loaded account (itself cached for two seconds): the gate is checked on every request. */
const gates = new WeakMap<LoadedUser, SessionGate>();

/** Whether the account must change its password or enrol MFA before doing anything else. */
export async function sessionGate(ctx: AuthContext, u: LoadedUser): Promise<SessionGate> {
  const hit = gates.get(u);
  if (hit) return hit;
  const demo = await isDemoMode(ctx);
  const gate = {
    mustChangePassword: u.row.must_change_password === 1 && !demoExempt(u.row, demo),
    mfaSetupRequired: mfaRequired(ctx, u, demo) && u.row.mfa_enabled !== 1,
  };
  gates.set(u, gate);
  return gate;
}

// ── What the client is told about the signed-in user ─────────────────────────────────────

export interface SessionInfo {
  user: {
    id: number;
    username: string;
    displayName: string;
    grants: Grant[];
    mfaEnabled: boolean;
    isDemo: boolean;
    /** Where the user starts (the web app's `/`). */
    landing: Landing;
  };
  /** The actions the user may take on some unit today: what screens offer (the server still checks each unit). */
  may: Action[];
  stage: UserSessionRow['stage'];
  mustChangePassword: boolean;
  mfaSetupRequired: boolean;
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
}

/** The actions a principal may take on some unit today (the policy's route-level gate, for screens). */
export function actionsAnywhere(principal: Principal): Action[] {
  const today = todayInVietnam();
  return ACTION_NAMES.filter((a) => decide(principal, a, 'anywhere', today).allowed);
}

export async function sessionInfo(ctx: AuthContext, session: UserSessionRow, u: LoadedUser): Promise<SessionInfo> {
  const gate = await sessionGate(ctx, u);
  return {
    user: {
      id: u.row.id,
      username: u.row.username,
      displayName: u.row.display_name,
      grants: u.grants,
      mfaEnabled: u.row.mfa_enabled === 1,
      isDemo: u.row.is_demo === 1,
      landing: landingFor(u.grants, todayInVietnam()),
    },
    may: actionsAnywhere({ kind: 'user', userId: u.row.id, username: u.row.username, grants: u.grants }),
    stage: session.stage,
    mustChangePassword: gate.mustChangePassword,
    mfaSetupRequired: gate.mfaSetupRequired,
    csrfToken: session.csrf_token,
    idleTimeoutSeconds: session.idle_seconds,
    expiresAt: session.expires_at,
  };
}
