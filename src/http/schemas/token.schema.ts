/** API tokens for machine clients: a list of actions and units; the secret is shown once. */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, MAX_INT, Nullable, Ref, StringEnum } from './common.schema.ts';
import { ACTION_NAMES } from '../../domain/policy.ts';

export const TokenParams = Type.Object({ tokenId: Type.Integer({ minimum: 1, maximum: MAX_INT }) });

export const CreateTokenBody = Closed({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  actions: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 30 }),
  unitIds: Type.Optional(Nullable(Type.Array(Ref('unit', Type.String({ maxLength: 40 })), { maxItems: 200 }))),
  expiresOn: Type.Optional(Nullable(IsoDate)),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
});

const tokenFields = {
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters, to recognise it' }),
  actions: Type.Array(StringEnum(ACTION_NAMES)),
  unitIds: Nullable(Type.Array(Type.String(), { description: 'null: every unit' })),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: IsoTime,
  expiresAt: Nullable(IsoTime),
  revokedAt: Nullable(IsoTime),
  revokedBy: Nullable(Type.String()),
  lastUsedAt: Nullable(IsoTime),
  lastUsedIp: Nullable(Type.String()),
  active: Type.Boolean(),
};

export const TokenSummarySchema = Closed(tokenFields);
export const TokenListSchema = Closed({ items: Type.Array(TokenSummarySchema) });
/** A new token with its secret: in this response only. */
export const CreatedTokenSchema = Closed({ token: Type.String({ description: 'shown once: send it as Authorization: Bearer <token>' }), ...tokenFields });
