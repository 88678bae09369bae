/**
 * Đăng nhập — sign-in, sessions, second factor, own password. Server-side sessions in the
 * database, looked up by the SHA-256 of the cookie value; idle and absolute expiry; a new session
 * id at every sign-in and at the second factor (no fixation); lockout after N failures per account
 * and throttling per IP; TOTP with one-time recovery codes; forced password change; password
 * history for administrators. Every sign-in, failure and change is in the audit trail.
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
import { ADMIN_ROLES, grantActiveOn, isRole, type Grant, type Principal, type Role } from '../domain/policy.ts';
import { DomainError } from '../domain/errors.ts';
import { todayInVietnam } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { dummyHash, hashPassword, needsRehash, randomToken, sha256, verifyPassword } from '../platform/password-hash.ts';
import { IpThrottle, TtlCache, invalidateAuthCaches } from '../platform/auth-cache.ts';
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
  ipThrottle: IpThrottle;
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
    ipThrottle: new IpThrottle(config.ipFailureLimit, config.ipWindowMinutes * 60_000),
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

const WRONG_CREDENTIALS = () => unauthenticated('Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.', { reason: 'wrong_credentials' });

function fmtTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  return `${d.toISOString().slice(11, 16)} ngày ${d.toISOString().slice(8, 10)}/${d.toISOString().slice(5, 7)}/${d.toISOString().slice(0, 4)}`;
}

function lockedError(ctx: AuthContext, lockedUntil: string | null): DomainError {
  const n = ctx.config.lockoutThreshold;
  if (lockedUntil) {
    const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - ctx.clock().getTime()) / 60_000));
    return new DomainError(
      'account_locked',
      {
        vi: `Tài khoản tạm khóa do đăng nhập sai ${n} lần liên tiếp. Thử lại sau ${minutes} phút (lúc ${fmtTime(lockedUntil)}) hoặc đề nghị quản trị viên mở khóa.`,
        en: `The account is locked after ${n} failed sign-ins in a row. Try again in ${minutes} minutes (at ${lockedUntil}) or ask an administrator to unlock it.`,
      },
      { reason: 'locked', lockedUntil, retryAfterSeconds: minutes * 60 },
    );
  }
  return new DomainError(
    'account_locked',
    {
      vi: `Tài khoản bị khóa do đăng nhập sai ${n} lần liên tiếp. Hãy đề nghị quản trị viên mở khóa.`,
      en: `The account is locked after ${n} failed sign-ins in a row. Ask an administrator to unlock it.`,
    },
    { reason: 'locked' },
  );
}

function isLocked(ctx: AuthContext, u: AppUserRow): boolean {
  if (u.locked_until && Date.parse(u.locked_until) > ctx.clock().getTime()) return true;
  return ctx.config.lockoutMinutes === 0 && u.failed_logins >= ctx.config.lockoutThreshold;
}

function throttled(retryMs: number): DomainError {
  const minutes = Math.max(1, Math.ceil(retryMs / 60_000));
  return new DomainError(
    'rate_limited',
    {
      vi: `Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Vui lòng thử lại sau ${minutes} phút.`,
      en: `Too many failed sign-ins from this network address. Please try again in ${minutes} minutes.`,
    },
    { retryAfterSeconds: Math.ceil(retryMs / 1000) },
  );
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
  };
  await sessions.insertSession(ctx.db.kysely, row);
  ctx.lastSeen.set(row.id, now.getTime());
  return { token, row };
}

async function dropSession(ctx: AuthContext, id: string): Promise<void> {
  await sessions.deleteSession(ctx.db.kysely, id);
  ctx.sessionCache.delete(id);
  ctx.lastSeen.delete(id);
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

export async function login(ctx: AuthContext, input: LoginInput): Promise<LoginResult> {
  const now = ctx.clock();
  const ip = input.ip ?? 'unknown';
  const retry = ctx.ipThrottle.retryAfter(ip, now.getTime());
  if (retry > 0) throw throttled(retry);
  if (input.previousToken) await dropSession(ctx, sha256(input.previousToken));

  const username = normaliseUsername(input.username);
  const row = username ? await users.findUserByUsername(ctx.db.kysely, username) : undefined;
  const fail = async (reason: string, userRow?: AppUserRow): Promise<never> => {
    ctx.ipThrottle.fail(ip, now.getTime());
    let failures: number | undefined;
    if (userRow) {
      failures = await users.recordFailedLogin(ctx.db.kysely, userRow.id, (n) =>
        n >= ctx.config.lockoutThreshold && ctx.config.lockoutMinutes > 0 ? new Date(now.getTime() + ctx.config.lockoutMinutes * 60_000).toISOString() : null,
      );
      invalidateAuthCaches();
    }
    await recordSecurityAudit(
      ctx.db.kysely,
      actorFor(userRow ? userRow.username : 'anonymous', input.ip),
      { action: 'login.failure', entity: 'user', entityId: userRow ? userRow.id : username.slice(0, 100), after: { reason, username: username.slice(0, 100), ...(failures ? { failures } : {}) } },
      now.toISOString(),
    );
    if (userRow && failures !== undefined && failures >= ctx.config.lockoutThreshold) {
      const fresh = await users.findUserById(ctx.db.kysely, userRow.id);
      throw lockedError(ctx, fresh?.locked_until ?? null);
    }
    throw WRONG_CREDENTIALS();
  };

  if (!row) {
    await verifyPassword(input.password, await dummyHash(ctx.config.scrypt));
    return fail('unknown_user');
  }
  if (isLocked(ctx, row)) {
    ctx.ipThrottle.fail(ip, now.getTime());
    await recordSecurityAudit(ctx.db.kysely, actorFor(row.username, input.ip), { action: 'login.failure', entity: 'user', entityId: row.id, after: { reason: 'locked' } }, now.toISOString());
    throw lockedError(ctx, row.locked_until);
  }
  const ok = await verifyPassword(input.password, row.password_hash);
  if (!ok) return fail('wrong_password', row);
  const demo = await isDemoMode(ctx);
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
  invalidateAuthCaches();
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
  await users.recordSuccessfulLogin(ctx.db.kysely, row.id, now.toISOString(), input.ip, patch);
  invalidateAuthCaches();
  const fresh = (await loadUser(ctx, row.id))!;
  const stage = fresh.row.mfa_enabled === 1 && !demoExempt(fresh.row, demo) ? 'mfa' : 'active';
  const s = await createSession(ctx, fresh, stage, input.ip, input.userAgent);
  await recordSecurityAudit(
    ctx.db.kysely,
    actorFor(row.username, input.ip),
    { action: stage === 'mfa' ? 'login.password_ok' : 'login.success', entity: 'user', entityId: row.id, after: { stage, mustChangePassword: fresh.row.must_change_password === 1 } },
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
  if (isLocked(ctx, row)) throw lockedError(ctx, row.locked_until);
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
  invalidateAuthCaches();
  if (!ok) {
    const failures = await users.recordFailedLogin(ctx.db.kysely, row.id, (n) =>
      n >= ctx.config.lockoutThreshold && ctx.config.lockoutMinutes > 0 ? new Date(now.getTime() + ctx.config.lockoutMinutes * 60_000).toISOString() : null,
    );
    invalidateAuthCaches();
    await recordSecurityAudit(ctx.db.kysely, actorFor(row.username, ip), { action: 'login.failure', entity: 'user', entityId: row.id, after: { reason: `wrong_${method}`, failures } }, now.toISOString());
    if (failures >= ctx.config.lockoutThreshold) {
      await dropSession(ctx, session.id);
      throw lockedError(ctx, (await users.findUserById(ctx.db.kysely, row.id))?.locked_until ?? null);
    }
    throw new DomainError(
      'unauthenticated',
      method === 'totp'
        ? { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The verification code is wrong or has expired.' }
        : { vi: 'Mã khôi phục không đúng hoặc đã được dùng.', en: 'The recovery code is wrong or has already been used.' },
      { reason: `wrong_${method}` },
    );
  }
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

/** End every session of a user (all browsers); returns how many. */
export async function revokeAllSessions(ctx: AuthContext, actor: Actor, userId: number, keepSessionId?: string): Promise<number> {
  const list = await sessions.listSessionsOfUser(ctx.db.kysely, userId);
  let n = 0;
  for (const s of list) {
    if (s.id === keepSessionId) continue;
    await dropSession(ctx, s.id);
    n++;
  }
  invalidateAuthCaches();
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
  userId: number,
  input: { currentPassword: string; newPassword: string },
  ip: string | null,
  keepSessionId: string | null,
): Promise<void> {
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
  invalidateAuthCaches();
}

// ── Second factor enrolment ───────────────────────────────────────────────────────────────

export interface MfaSetup {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

export async function beginMfaSetup(ctx: AuthContext, userId: number): Promise<MfaSetup> {
  const u = await loadUser(ctx, userId);
  if (!u) throw WRONG_CREDENTIALS();
  const secret = newTotpSecret();
  await users.updateUser(ctx.db.kysely, userId, { mfa_pending_secret: sealSecret(secret, ctx.config.secretKey), updated_at: ctx.clock().toISOString() });
  invalidateAuthCaches();
  const uri = totpUri(secret, u.row.username);
  return { secret, otpauthUri: uri, qrDataUrl: await totpQrDataUrl(uri) };
}

/** Confirm enrolment with a code from the app; returns ten recovery codes (shown once). */
export async function enableMfa(ctx: AuthContext, userId: number, code: string, ip: string | null): Promise<string[]> {
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
  invalidateAuthCaches();
  return codes;
}

/** New recovery codes (the old ones stop working), confirmed with a current TOTP code. */
export async function regenerateRecoveryCodes(ctx: AuthContext, userId: number, code: string, ip: string | null): Promise<string[]> {
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
  invalidateAuthCaches();
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
  };
  stage: UserSessionRow['stage'];
  mustChangePassword: boolean;
  mfaSetupRequired: boolean;
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
}

export async function sessionInfo(ctx: AuthContext, session: UserSessionRow, u: LoadedUser): Promise<SessionInfo> {
  const gate = await sessionGate(ctx, u);
  return {
    user: { id: u.row.id, username: u.row.username, displayName: u.row.display_name, grants: u.grants, mfaEnabled: u.row.mfa_enabled === 1, isDemo: u.row.is_demo === 1 },
    stage: session.stage,
    mustChangePassword: gate.mustChangePassword,
    mfaSetupRequired: gate.mfaSetupRequired,
    csrfToken: session.csrf_token,
    idleTimeoutSeconds: session.idle_seconds,
    expiresAt: session.expires_at,
  };
}
