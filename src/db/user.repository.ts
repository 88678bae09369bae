/** Accounts, their role grants, password history and MFA recovery codes. */
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { AppUserRow, AppUserTable, Database, RoleGrantRow } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  isDemo: boolean;
  createdBy: string;
  at: string;
}

export async function insertUser(db: Q, u: NewUser): Promise<AppUserRow> {
  return db
    .insertInto('app_user')
    .values({
      username: u.username,
      display_name: u.displayName,
      email: u.email,
      password_hash: u.passwordHash,
      password_changed_at: u.at,
      must_change_password: u.mustChangePassword ? 1 : 0,
      status: 'active',
      failed_logins: 0,
      mfa_enabled: 0,
      is_demo: u.isDemo ? 1 : 0,
      version: 1,
      created_at: u.at,
      created_by: u.createdBy,
      updated_at: u.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserById(db: Q, id: number): Promise<AppUserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Q, username: string): Promise<AppUserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listUsers(db: Q): Promise<AppUserRow[]> {
  return db.selectFrom('app_user').selectAll().orderBy('username').execute();
}

export type UserPatch = Updateable<Omit<AppUserTable, 'id' | 'username' | 'created_at' | 'created_by' | 'version'>>;

/** Update a user and bump its version. With `expectedVersion`, only if it is still that version. */
export async function updateUser(db: Q, id: number, patch: UserPatch, expectedVersion?: number): Promise<boolean> {
  let q = db
    .updateTable('app_user')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Forget failed sign-ins and lift a lock. Not a versioned edit (no version bump). */
export async function clearLockout(db: Q, id: number): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

/** Count one failed sign-in; returns the new count. Not a versioned edit (no version bump). */
export async function recordFailedLogin(db: Q, id: number, lockedUntil: (failures: number) => string | null): Promise<number> {
  const row = await db
    .updateTable('app_user')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  const until = lockedUntil(row.failed_logins);
  if (until) await db.updateTable('app_user').set({ locked_until: until }).where('id', '=', id).execute();
  return row.failed_logins;
}

/** A correct password (and second factor): failures are forgotten unless a second step is still due. */
export async function recordSuccessfulLogin(db: Q, id: number, at: string, ip: string | null, patch: UserPatch = {}, opts: { resetFailures?: boolean } = {}): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ ...(opts.resetFailures === false ? {} : { failed_logins: 0, locked_until: null }), last_login_at: at, last_login_ip: ip, ...patch })
    .where('id', '=', id)
    .execute();
}

/**
 * Active accounts with no sign-in since `before`, and not created or changed by an administrator
 * since then either (a re-enabled account counts again from its re-enabling).
 */
export async function listInactiveUsers(db: Q, before: string): Promise<AppUserRow[]> {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('status', '=', 'active')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('last_login_at', '<', before), eb.and([eb('last_login_at', 'is', null), eb('created_at', '<', before)])]))
    .execute();
}

// ── Grants ────────────────────────────────────────────────────────────────────────────────

export interface NewGrant {
  userId: number;
  role: string;
  unitId: string | null;
  validFrom: string | null;
  validTo: string | null;
  grantedBy: string;
  at: string;
}

export async function insertGrant(db: Q, g: NewGrant): Promise<RoleGrantRow> {
  return db
    .insertInto('role_grant')
    .values({ user_id: g.userId, role: g.role, unit_id: g.unitId, valid_from: g.validFrom, valid_to: g.validTo, granted_by: g.grantedBy, granted_at: g.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Grants not revoked (whatever their period). */
export async function listGrants(db: Q, userIds: readonly number[]): Promise<RoleGrantRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('role_grant').selectAll().where('user_id', 'in', userIds).where('revoked_at', 'is', null).orderBy('id').execute();
}

export async function findGrant(db: Q, id: number): Promise<RoleGrantRow | undefined> {
  return db.selectFrom('role_grant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeGrant(db: Q, id: number, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('role_grant').set({ revoked_by: by, revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ── Password history ──────────────────────────────────────────────────────────────────────

export async function addPasswordHistory(db: Q, userId: number, hash: string, at: string): Promise<void> {
  await db.insertInto('password_history').values({ user_id: userId, password_hash: hash, created_at: at }).execute();
}

export async function recentPasswordHashes(db: Q, userId: number, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const rows = await db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.password_hash);
}

// ── Recovery codes ────────────────────────────────────────────────────────────────────────

export async function replaceRecoveryCodes(db: Q, userId: number, hashes: readonly string[], at: string): Promise<void> {
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  if (hashes.length) await db.insertInto('recovery_code').values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: at, used_at: null }))).execute();
}

/** Use a recovery code once: true when it existed unused and is now spent. */
export async function useRecoveryCode(db: Q, userId: number, hash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Q, userId: number): Promise<number> {
  const r = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
