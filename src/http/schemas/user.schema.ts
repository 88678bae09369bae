/** Account administration: accounts, role grants, one-time passwords, lock, MFA reset, sessions. */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, MAX_INT, NotRef, Nullable, Ref, StringEnum } from './common.schema.ts';
import { GrantSchema, RoleSchema } from './auth.schema.ts';

export const UserParams = Type.Object({ userId: Type.Integer({ minimum: 1, maximum: MAX_INT }) });
export const GrantParams = Type.Object({ userId: Type.Integer({ minimum: 1, maximum: MAX_INT }), grantId: Type.Integer({ minimum: 1, maximum: MAX_INT }) });

export const GrantBody = Closed({
  role: Type.String({ maxLength: 40 }),
  unitId: Type.Optional(Ref('unit', Nullable(Type.String({ maxLength: 40 })))),
  validFrom: Type.Optional(Nullable(IsoDate)),
  validTo: Type.Optional(Nullable(IsoDate)),
});

export const CreateUserBody = Closed({
  username: NotRef(Type.String({ minLength: 1, maxLength: 60 }), 'the new account\'s name'),
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  grants: Type.Optional(Type.Array(GrantBody, { maxItems: 20 })),
});

export const UpdateUserBody = Closed({
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});

export const DisableBody = Type.Optional(Closed({ reason: Type.Optional(Type.String({ maxLength: 300 })) }));

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const UserSummarySchema = Closed({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  email: Nullable(Type.String()),
  status: StringEnum(['active', 'disabled']),
  disabledReason: Nullable(Type.String()),
  locked: Type.Boolean(),
  lockedUntil: Nullable(IsoTime),
  failedLogins: Type.Integer(),
  mustChangePassword: Type.Boolean(),
  mfaEnabled: Type.Boolean(),
  lastLoginAt: Nullable(IsoTime),
  lastLoginIp: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  version: Type.Integer(),
  createdAt: IsoTime,
  createdBy: Type.String(),
  grants: Type.Array(Closed({ ...GrantSchema.properties, role: RoleSchema, grantedBy: Type.String(), grantedAt: IsoTime })),
});

export const UserListSchema = Closed({ items: Type.Array(UserSummarySchema) });
export const CreatedUserSchema = Closed({ user: UserSummarySchema, initialPassword: Nullable(Type.String({ description: 'shown once' })) });
export const PasswordResetSchema = Closed({ user: UserSummarySchema, temporaryPassword: Type.String({ description: 'shown once' }) });
export const EndedSessionsSchema = Closed({ sessions: Type.Integer() });
