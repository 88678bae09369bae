/** API tokens for machine clients: stored as SHA-256 of the token, with their scope. */
import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenRow, Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewToken {
  name: string;
  tokenHash: string;
  prefix: string;
  actions: readonly string[];
  unitIds: readonly string[] | null;
  note: string | null;
  createdBy: string;
  at: string;
  expiresAt: string | null;
}

export async function insertToken(db: Q, t: NewToken): Promise<ApiTokenRow> {
  return db
    .insertInto('api_token')
    .values({
      name: t.name,
      token_hash: t.tokenHash,
      prefix: t.prefix,
      actions_json: JSON.stringify(t.actions),
      units_json: t.unitIds ? JSON.stringify(t.unitIds) : null,
      note: t.note,
      created_by: t.createdBy,
      created_at: t.at,
      expires_at: t.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findTokenByHash(db: Q, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function findTokenById(db: Q, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTokenByName(db: Q, name: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listTokens(db: Q): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_token').selectAll().orderBy('id').execute();
}

export async function revokeToken(db: Q, id: number, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_token').set({ revoked_by: by, revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchToken(db: Q, id: number, at: string, ip: string | null): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at, last_used_ip: ip }).where('id', '=', id).execute();
}
