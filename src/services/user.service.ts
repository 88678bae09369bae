/**
 * Quản lý tài khoản — what administrators do with accounts: create (with a one-time initial
 * password and a forced change at first sign-in), list, edit (versioned), reset a password, unlock,
 * disable and enable, grant and revoke roles on units, reset a second factor, end all sessions.
 * Every action needs `user.manage` and is in the audit trail (without any secret).
 *
 * The `auditor` role is not granted through the application: only the server operator's CLI can
 * (`datchuan user grant … --role auditor`), so application administrators cannot give themselves
 * the audit log. Nobody grants a role to themselves (separation of duties, SEC-AC-01).
 */
import { randomInt } from 'node:crypto';
import type { AppUserRow, RoleGrantRow } from '../db/schema.ts';
import * as users from '../db/user.repository.ts';
import * as sessions from '../db/session.repository.ts';
import { findUnit } from '../db/unit.repository.ts';
import { recordSecurityAudit } from '../db/audit.repository.ts';
import { isRole, ROLE_LABELS, type Grant, type Role } from '../domain/policy.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { isIsoDate } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { hashPassword } from '../platform/password-hash.ts';
import { invalidateAuthCaches } from '../platform/auth-cache.ts';
import { authorize } from './access.service.ts';
import { assertAcceptablePassword, loadUser, normaliseUsername, setPassword, toGrant, type AuthContext } from './auth.service.ts';
import type { Actor } from './actor.ts';

export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  locked: boolean;
  lockedUntil: string | null;
  failedLogins: number;
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  lastLoginAt: string | null;
  lastLoginIp: string | null;
  isDemo: boolean;
  version: number;
  createdAt: string;
  createdBy: string;
  grants: Array<Grant & { grantedBy: string; grantedAt: string }>;
}

function summarise(ctx: AuthContext, u: AppUserRow, grants: RoleGrantRow[]): UserSummary {
  const now = ctx.clock().getTime();
  const locked = u.locked_until !== null && Date.parse(u.locked_until) > now;
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    status: u.status,
    disabledReason: u.disabled_reason,
    locked,
    lockedUntil: u.locked_until,
    failedLogins: u.failed_logins,
    mustChangePassword: u.must_change_password === 1,
    mfaEnabled: u.mfa_enabled === 1,
    lastLoginAt: u.last_login_at,
    lastLoginIp: u.last_login_ip,
    isDemo: u.is_demo === 1,
    version: u.version,
    createdAt: u.created_at,
    createdBy: u.created_by,
    grants: grants
      .filter((g) => g.user_id === u.id)
      .map((g) => ({ ...toGrant(g)!, grantedBy: g.granted_by, grantedAt: g.granted_at }))
      .filter((g) => g.role !== undefined),
  };
}

/** What the audit trail keeps about an account: never a hash or a secret. */
function auditView(u: AppUserRow): Record<string, unknown> {
  return { username: u.username, displayName: u.display_name, email: u.email, status: u.status, mfaEnabled: u.mfa_enabled === 1, mustChangePassword: u.must_change_password === 1 };
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,49}$/;

function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new DomainError(
      'validation_failed',
      {
        vi: `Tên đăng nhập "${username.slice(0, 60)}" không hợp lệ: 3–50 ký tự a–z, 0–9, dấu chấm, gạch ngang, gạch dưới (không dấu).`,
        en: `Username "${username.slice(0, 60)}" is invalid: 3–50 characters a–z, 0–9, dot, dash, underscore.`,
      },
      { fields: [{ field: 'username' }] },
    );
  }
}

/** A strong one-time password: four groups of five characters, no look-alikes (≈ 98 bits). */
export function generateInitialPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let s = '';
    for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
    groups.push(s);
  }
  return groups.join('-');
}

async function loadRow(ctx: AuthContext, id: number): Promise<AppUserRow> {
  const u = await users.findUserById(ctx.db.kysely, id);
  if (!u) throw notFound('tài khoản', 'Account', id);
  return u;
}

async function summaryOf(ctx: AuthContext, id: number): Promise<UserSummary> {
  const u = await loadRow(ctx, id);
  return summarise(ctx, u, await users.listGrants(ctx.db.kysely, [id]));
}

export interface GrantInput {
  role: string;
  unitId?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
}

async function checkGrant(ctx: AuthContext, actor: Actor, g: GrantInput): Promise<{ role: Role; unitId: string | null; validFrom: string | null; validTo: string | null }> {
  if (!isRole(g.role)) {
    throw new DomainError(
      'validation_failed',
      { vi: `Vai trò "${String(g.role).slice(0, 40)}" không có.`, en: `Unknown role "${String(g.role).slice(0, 40)}".` },
      { fields: [{ field: 'role' }], roles: Object.keys(ROLE_LABELS) },
    );
  }
  if (g.role === 'auditor' && actor.access) {
    throw new DomainError(
      'forbidden',
      {
        vi: 'Vai trò kiểm soát viên nhật ký chỉ được cấp bằng dòng lệnh trên máy chủ (datchuan user grant), không qua ứng dụng.',
        en: 'The audit-log reviewer role is granted only with the server command line (datchuan user grant), not through the application.',
      },
      { reason: 'auditor_cli_only' },
    );
  }
  for (const f of ['validFrom', 'validTo'] as const) {
    const v = g[f];
    if (v != null && !isIsoDate(v)) {
      throw new DomainError('validation_failed', { vi: `Ngày "${String(v).slice(0, 20)}" không hợp lệ (YYYY-MM-DD).`, en: `Date "${String(v).slice(0, 20)}" is not a valid YYYY-MM-DD date.` }, { fields: [{ field: f }] });
    }
  }
  if (g.validFrom && g.validTo && g.validTo < g.validFrom) {
    throw new DomainError('validation_failed', { vi: 'Ngày kết thúc trước ngày bắt đầu.', en: 'The end date is before the start date.' }, { fields: [{ field: 'validTo' }] });
  }
  const unitId = g.unitId ?? null;
  if (unitId !== null && !(await findUnit(ctx.db.kysely, unitId))) throw notFound('đơn vị', 'Unit', unitId);
  // The central office is the whole country's: granted everywhere, never on one unit.
  if (unitId !== null && g.role === 'national_office') {
    throw new DomainError(
      'validation_failed',
      { vi: `Vai trò "${ROLE_LABELS[g.role].vi}" áp dụng cho cả nước, không gắn với một đơn vị.`, en: `Role "${g.role}" covers the whole country and is not granted on one unit.` },
      { fields: [{ field: 'unitId' }] },
    );
  }
  if (unitId === null && g.role !== 'admin' && g.role !== 'auditor' && g.role !== 'viewer' && g.role !== 'national_office') {
    throw new DomainError(
      'validation_failed',
      { vi: `Vai trò "${ROLE_LABELS[g.role].vi}" phải gắn với một đơn vị (tỉnh, huyện hoặc xã).`, en: `Role "${g.role}" must be granted on a unit (province, district or commune).` },
      { fields: [{ field: 'unitId' }] },
    );
  }
  return { role: g.role, unitId, validFrom: g.validFrom ?? null, validTo: g.validTo ?? null };
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  email?: string | null;
  /** Omit to generate a one-time password (returned once). */
  password?: string | null;
  grants?: GrantInput[];
  /** Demo seed only. */
  isDemo?: boolean;
  mustChangePassword?: boolean;
}

export async function createUser(ctx: AuthContext, actor: Actor, input: CreateUserInput): Promise<{ user: UserSummary; initialPassword: string | null }> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const username = normaliseUsername(input.username);
  checkUsername(username);
  const displayName = nfc(input.displayName).trim();
  if (!displayName) throw new DomainError('validation_failed', { vi: 'Thiếu họ tên.', en: 'A display name is required.' }, { fields: [{ field: 'displayName' }] });
  if (await users.findUserByUsername(ctx.db.kysely, username)) {
    throw new DomainError('conflict', { vi: `Tên đăng nhập "${username}" đã có.`, en: `Username "${username}" already exists.` }, { fields: [{ field: 'username' }] });
  }
  const grants: Array<Awaited<ReturnType<typeof checkGrant>>> = [];
  for (const g of input.grants ?? []) grants.push(await checkGrant(ctx, actor, g));
  const generated = input.password ? null : generateInitialPassword();
  const password = input.password ?? generated!;
  if (input.password && !input.isDemo) {
    const probe = { username, display_name: displayName } as AppUserRow;
    // Rules only (a new account has no history).
    await assertAcceptablePassword(ctx, { ...probe, id: -1, password_hash: 'none' } as AppUserRow, [], password);
  }
  const at = ctx.clock().toISOString();
  const hash = await hashPassword(password, ctx.config.scrypt);
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await users.insertUser(trx, {
      username,
      displayName,
      email: input.email ? nfc(input.email).trim() : null,
      passwordHash: hash,
      mustChangePassword: input.mustChangePassword ?? true,
      isDemo: input.isDemo ?? false,
      createdBy: actor.id,
      at,
    });
    const inserted = [];
    for (const g of grants) inserted.push(await users.insertGrant(trx, { userId: row.id, ...g, grantedBy: actor.id, at }));
    await recordSecurityAudit(trx, actor, { action: 'user.create', entity: 'user', entityId: row.id, after: { ...auditView(row), grants: inserted.map(toGrant) } }, at);
    return row.id;
  });
  await invalidateAuthCaches(ctx.db);
  return { user: await summaryOf(ctx, id), initialPassword: generated };
}

export async function listUsers(ctx: AuthContext, actor: Actor): Promise<UserSummary[]> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const rows = await users.listUsers(ctx.db.kysely);
  const grants = await users.listGrants(ctx.db.kysely, rows.map((r) => r.id));
  return rows.map((r) => summarise(ctx, r, grants));
}

export async function getUser(ctx: AuthContext, actor: Actor, id: number): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  return summaryOf(ctx, id);
}

/** Find by username (the CLI names accounts by username). */
export async function userIdByName(ctx: AuthContext, username: string): Promise<number> {
  const u = await users.findUserByUsername(ctx.db.kysely, normaliseUsername(username));
  if (!u) throw notFound('tài khoản', 'Account', username);
  return u.id;
}

function versionConflict(current: AppUserRow, expected: number): DomainError {
  return new DomainError(
    'version_conflict',
    {
      vi: `Tài khoản đã được người khác sửa (phiên bản hiện tại ${current.version}, bạn đang sửa phiên bản ${expected}). Hãy tải lại.`,
      en: `The account was changed by someone else (current version ${current.version}, you edited version ${expected}). Reload it.`,
    },
    { currentVersion: current.version, expectedVersion: expected, current: auditView(current) },
  );
}

export async function updateUserProfile(ctx: AuthContext, actor: Actor, id: number, input: { version: number; displayName?: string; email?: string | null }): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const before = await loadRow(ctx, id);
  const at = ctx.clock().toISOString();
  const patch: users.UserPatch = { updated_at: at };
  if (input.displayName !== undefined) {
    const d = nfc(input.displayName).trim();
    if (!d) throw new DomainError('validation_failed', { vi: 'Thiếu họ tên.', en: 'A display name is required.' }, { fields: [{ field: 'displayName' }] });
    patch.display_name = d;
  }
  if (input.email !== undefined) patch.email = input.email ? nfc(input.email).trim() : null;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await users.updateUser(trx, id, patch, input.version))) throw versionConflict((await users.findUserById(trx, id))!, input.version);
    const after = (await users.findUserById(trx, id))!;
    await recordSecurityAudit(trx, actor, { action: 'user.update', entity: 'user', entityId: id, before: auditView(before), after: auditView(after) }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, id);
}

/** A new one-time password (returned once); the user must change it at the next sign-in. */
export async function resetPassword(ctx: AuthContext, actor: Actor, id: number): Promise<{ user: UserSummary; temporaryPassword: string }> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const u = await loadUser(ctx, id);
  if (!u) throw notFound('tài khoản', 'Account', id);
  const temporaryPassword = generateInitialPassword();
  await setPassword(ctx, u, temporaryPassword, { mustChange: true, by: actor.id, ip: actor.ip ?? null, action: 'user.password.reset', skipRules: true, source: actor.source });
  await sessions.deleteSessionsOfUser(ctx.db.kysely, id);
  await users.clearLockout(ctx.db.kysely, id);
  await invalidateAuthCaches(ctx.db);
  return { user: await summaryOf(ctx, id), temporaryPassword };
}

export async function unlockUser(ctx: AuthContext, actor: Actor, id: number): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const before = await loadRow(ctx, id);
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.updateUser(trx, id, { failed_logins: 0, locked_until: null, updated_at: at });
    await recordSecurityAudit(trx, actor, { action: 'user.unlock', entity: 'user', entityId: id, before: { failedLogins: before.failed_logins, lockedUntil: before.locked_until }, after: { failedLogins: 0 } }, at);
  });
  await ctx.throttle.forgetAccount(id);
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, id);
}

export async function setUserStatus(ctx: AuthContext, actor: Actor, id: number, status: 'active' | 'disabled', reason?: string | null): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const before = await loadRow(ctx, id);
  if (status === 'disabled' && actor.access?.principal.kind === 'user' && actor.access.principal.userId === id) {
    throw new DomainError('validation_failed', { vi: 'Không tự vô hiệu hóa tài khoản của chính mình.', en: 'You cannot disable your own account.' });
  }
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.updateUser(trx, id, {
      status,
      disabled_reason: status === 'disabled' ? (reason ? nfc(reason).slice(0, 300) : 'manual') : null,
      disabled_at: status === 'disabled' ? at : null,
      // Re-enabling sets updated_at, from which the inactivity job counts again.
      ...(status === 'active' ? { failed_logins: 0, locked_until: null } : {}),
      updated_at: at,
    });
    if (status === 'disabled') await sessions.deleteSessionsOfUser(trx, id);
    await recordSecurityAudit(trx, actor, { action: status === 'disabled' ? 'user.disable' : 'user.enable', entity: 'user', entityId: id, before: auditView(before), after: { status, reason: reason ?? null } }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, id);
}

export async function grantRole(ctx: AuthContext, actor: Actor, userId: number, input: GrantInput): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  await loadRow(ctx, userId);
  // Separation of duties: nobody widens their own rights (another administrator or the CLI can).
  if (actor.access?.principal.kind === 'user' && actor.access.principal.userId === userId) {
    throw new DomainError(
      'forbidden',
      { vi: 'Không tự cấp vai trò cho chính mình; hãy nhờ một quản trị viên khác.', en: 'You cannot grant a role to yourself; ask another administrator.' },
      { reason: 'self_grant', fields: [{ field: 'userId' }] },
    );
  }
  const g = await checkGrant(ctx, actor, input);
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await users.insertGrant(trx, { userId, ...g, grantedBy: actor.id, at });
    await recordSecurityAudit(trx, actor, { action: 'grant.add', entity: 'user', entityId: userId, unitId: g.unitId, after: toGrant(row) }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, userId);
}

export async function revokeRole(ctx: AuthContext, actor: Actor, userId: number, grantId: number): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  const g = await users.findGrant(ctx.db.kysely, grantId);
  if (!g || g.user_id !== userId || g.revoked_at) throw notFound('phân quyền', 'Grant', grantId);
  if (g.role === 'auditor' && actor.access) {
    throw new DomainError('forbidden', { vi: 'Vai trò kiểm soát viên nhật ký chỉ được thu hồi bằng dòng lệnh trên máy chủ.', en: 'The audit-log reviewer role is revoked only with the server command line.' }, { reason: 'auditor_cli_only' });
  }
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.revokeGrant(trx, grantId, actor.id, at);
    await recordSecurityAudit(trx, actor, { action: 'grant.revoke', entity: 'user', entityId: userId, unitId: g.unit_id, before: toGrant(g) }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, userId);
}

/** Turn the second factor off (lost phone); the user enrols again at the next sign-in when required. */
export async function resetMfa(ctx: AuthContext, actor: Actor, id: number): Promise<UserSummary> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  await loadRow(ctx, id);
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await users.updateUser(trx, id, { mfa_enabled: 0, mfa_secret: null, mfa_pending_secret: null, totp_last_step: null, updated_at: at });
    await users.replaceRecoveryCodes(trx, id, [], at);
    await sessions.deleteSessionsOfUser(trx, id);
    await recordSecurityAudit(trx, actor, { action: 'user.mfa.reset', entity: 'user', entityId: id }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summaryOf(ctx, id);
}

export async function endUserSessions(ctx: AuthContext, actor: Actor, id: number): Promise<{ sessions: number }> {
  await authorize(ctx.db, actor, 'user.manage', 'anywhere');
  await loadRow(ctx, id);
  const at = ctx.clock().toISOString();
  const n = await sessions.deleteSessionsOfUser(ctx.db.kysely, id);
  await recordSecurityAudit(ctx.db.kysely, actor, { action: 'session.revoke_all', entity: 'user', entityId: id, after: { sessions: n } }, at);
  await invalidateAuthCaches(ctx.db);
  return { sessions: n };
}
