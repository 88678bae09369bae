/**
 * Khóa API — tokens for machine clients (the national database feed, scripts). Scoped to a list
 * of actions and (optionally) units; shown once at creation, stored only as SHA-256; revocable;
 * the last use (time and IP) is recorded. A token acts as `token:<name>` with source `api`.
 */
import type { ApiTokenRow } from '../db/schema.ts';
import * as tokens from '../db/token.repository.ts';
import { findUnit } from '../db/unit.repository.ts';
import { recordSecurityAudit } from '../db/audit.repository.ts';
import { TOKEN_ACTIONS, isAction, type Action, type Principal } from '../domain/policy.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { formatDateVi, isIsoDate, todayInVietnam } from '../domain/dates.ts';
import { nfc } from '../domain/text.ts';
import { randomToken, sha256 } from '../platform/password-hash.ts';
import { invalidateAuthCaches } from '../platform/auth-cache.ts';
import { allowed, authorize } from './access.service.ts';
import type { AuthContext } from './auth.service.ts';
import type { Actor } from './actor.ts';

export const TOKEN_PREFIX = 'dct_';
const TOUCH_EVERY_MS = 60_000;

export interface TokenSummary {
  id: number;
  name: string;
  prefix: string;
  actions: Action[];
  unitIds: string[] | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  active: boolean;
}

function summarise(t: ApiTokenRow, now: Date): TokenSummary {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    actions: (JSON.parse(t.actions_json) as string[]).filter(isAction),
    unitIds: t.units_json ? (JSON.parse(t.units_json) as string[]) : null,
    note: t.note,
    createdBy: t.created_by,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    revokedAt: t.revoked_at,
    revokedBy: t.revoked_by,
    lastUsedAt: t.last_used_at,
    lastUsedIp: t.last_used_ip,
    active: !t.revoked_at && !(t.expires_at && t.expires_at <= now.toISOString()),
  };
}

export interface CreateTokenInput {
  name: string;
  actions: string[];
  /** Null or omitted: every unit. */
  unitIds?: string[] | null;
  /** YYYY-MM-DD (end of that day, Vietnam time) or null. */
  expiresOn?: string | null;
  note?: string | null;
}

/**
 * Separation of duties (SEC-AC-01): a token carries at most its creator's own permissions — every
 * action on every unit it names (on every unit, when it names none). An administrator, who has
 * no data entry and no audit log, cannot mint a token that has them; the server operator (CLI,
 * no access limits) can.
 */
async function assertWithinCreatorsPermissions(ctx: AuthContext, actor: Actor, actions: readonly Action[], unitIds: readonly string[] | null): Promise<void> {
  if (!actor.access) return;
  const missing: string[] = [];
  for (const a of actions) {
    for (const u of unitIds ?? ['everywhere']) if (!(await allowed(ctx.db, actor, a, u))) missing.push(unitIds ? `${a} @ ${u}` : a);
  }
  if (missing.length === 0) return;
  const list = missing.join(', ').slice(0, 300);
  throw new DomainError(
    'forbidden',
    {
      vi: `Khóa API chỉ được mang những quyền mà chính người tạo có${unitIds ? ' trên các đơn vị đã chọn' : ' trên mọi đơn vị'}; bạn không có: ${list}.`,
      en: `A token carries at most its creator's own permissions${unitIds ? ' on the units named' : ' on every unit'}; you do not have: ${list}.`,
    },
    { reason: 'exceeds_creator', fields: [{ field: 'actions' }], missing },
  );
}

export async function createToken(ctx: AuthContext, actor: Actor, input: CreateTokenInput): Promise<{ token: string; summary: TokenSummary }> {
  await authorize(ctx.db, actor, 'token.manage', 'anywhere');
  const name = nfc(input.name).trim();
  if (!/^[a-z0-9][a-z0-9._-]{2,49}$/.test(name)) {
    throw new DomainError(
      'validation_failed',
      { vi: 'Tên khóa API: 3–50 ký tự a–z, 0–9, dấu chấm, gạch ngang, gạch dưới.', en: 'Token name: 3–50 characters a–z, 0–9, dot, dash, underscore.' },
      { fields: [{ field: 'name' }] },
    );
  }
  const bad = input.actions.filter((a) => !isAction(a) || !(TOKEN_ACTIONS as string[]).includes(a));
  if (input.actions.length === 0 || bad.length) {
    throw new DomainError(
      'validation_failed',
      {
        vi: `Quyền của khóa API không hợp lệ: ${bad.join(', ').slice(0, 200) || '(trống)'}. Được dùng: ${TOKEN_ACTIONS.join(', ')}.`,
        en: `Invalid token actions: ${bad.join(', ').slice(0, 200) || '(none)'}. Allowed: ${TOKEN_ACTIONS.join(', ')}.`,
      },
      { fields: [{ field: 'actions' }], allowed: TOKEN_ACTIONS },
    );
  }
  const unitIds = input.unitIds && input.unitIds.length ? [...new Set(input.unitIds)] : null;
  for (const u of unitIds ?? []) if (!(await findUnit(ctx.db.kysely, u))) throw notFound('đơn vị', 'Unit', u);
  if (input.expiresOn && !isIsoDate(input.expiresOn)) {
    throw new DomainError('validation_failed', { vi: 'Ngày hết hạn không hợp lệ (YYYY-MM-DD).', en: 'Invalid expiry date (YYYY-MM-DD).' }, { fields: [{ field: 'expiresOn' }] });
  }
  const today = todayInVietnam(ctx.clock());
  if (input.expiresOn && input.expiresOn < today) {
    throw new DomainError(
      'validation_failed',
      { vi: `Ngày hết hạn ${formatDateVi(input.expiresOn)} đã qua (hôm nay ${formatDateVi(today)}): khóa API sẽ không dùng được.`, en: `The expiry date ${input.expiresOn} is in the past (today is ${today}): the token could never be used.` },
      { fields: [{ field: 'expiresOn' }] },
    );
  }
  await assertWithinCreatorsPermissions(ctx, actor, [...new Set(input.actions)] as Action[], unitIds);
  if (await tokens.findTokenByName(ctx.db.kysely, name)) {
    throw new DomainError('conflict', { vi: `Đã có khóa API tên "${name}".`, en: `A token named "${name}" already exists.` }, { fields: [{ field: 'name' }] });
  }
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const at = ctx.clock().toISOString();
  // End of the given day in Vietnam (UTC+7).
  const expiresAt = input.expiresOn ? new Date(Date.parse(`${input.expiresOn}T23:59:59.999+07:00`)).toISOString() : null;
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await tokens.insertToken(trx, {
      name,
      tokenHash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      actions: [...new Set(input.actions)],
      unitIds,
      note: input.note ? nfc(input.note).slice(0, 500) : null,
      createdBy: actor.id,
      at,
      expiresAt,
    });
    await recordSecurityAudit(trx, actor, { action: 'token.create', entity: 'api_token', entityId: r.id, after: { name, actions: input.actions, unitIds, expiresAt } }, at);
    return r;
  });
  await invalidateAuthCaches(ctx.db);
  return { token, summary: summarise(row, ctx.clock()) };
}

export async function listTokens(ctx: AuthContext, actor: Actor): Promise<TokenSummary[]> {
  await authorize(ctx.db, actor, 'token.manage', 'anywhere');
  const now = ctx.clock();
  return (await tokens.listTokens(ctx.db.kysely)).map((t) => summarise(t, now));
}

export async function revokeToken(ctx: AuthContext, actor: Actor, idOrName: number | string): Promise<TokenSummary> {
  await authorize(ctx.db, actor, 'token.manage', 'anywhere');
  const row = typeof idOrName === 'number' ? await tokens.findTokenById(ctx.db.kysely, idOrName) : await tokens.findTokenByName(ctx.db.kysely, idOrName);
  if (!row) throw notFound('khóa API', 'API token', idOrName);
  const at = ctx.clock().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await tokens.revokeToken(trx, row.id, actor.id, at);
    await recordSecurityAudit(trx, actor, { action: 'token.revoke', entity: 'api_token', entityId: row.id, before: { name: row.name } }, at);
  });
  await invalidateAuthCaches(ctx.db);
  return summarise((await tokens.findTokenById(ctx.db.kysely, row.id))!, ctx.clock());
}

/** The principal behind a bearer token, or null (unknown, revoked, expired). Records its use. */
export async function resolveToken(ctx: AuthContext, raw: string, ip: string | null): Promise<Extract<Principal, { kind: 'token' }> | null> {
  if (!raw.startsWith(TOKEN_PREFIX) || raw.length > 200) return null;
  const hash = sha256(raw);
  let row = ctx.tokenCache.get(hash);
  if (row === undefined) {
    row = (await tokens.findTokenByHash(ctx.db.kysely, hash)) ?? null;
    ctx.tokenCache.set(hash, row);
  }
  if (!row) return null;
  const now = ctx.clock();
  if (row.revoked_at || (row.expires_at && row.expires_at <= now.toISOString())) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_EVERY_MS) {
    await tokens.touchToken(ctx.db.kysely, row.id, now.toISOString(), ip);
    row = { ...row, last_used_at: now.toISOString(), last_used_ip: ip };
    ctx.tokenCache.set(hash, row);
  }
  const s = summarise(row, now);
  return { kind: 'token', tokenId: row.id, name: row.name, actions: s.actions, unitIds: s.unitIds };
}
