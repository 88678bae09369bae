/** Sign-in and one's own session: who am I, sign in (two steps), password, TOTP enrolment, sessions; the policy table. */
import { Type } from 'typebox';
import { Bilingual, Closed, IsoDate, IsoTime, Nullable, StringEnum } from './common.schema.ts';
import { ACTION_NAMES, ROLES } from '../../domain/policy.ts';

const Secret = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Code = Type.String({ minLength: 6, maxLength: 12, pattern: '^[0-9 ]+$' });

export const LoginBody = Closed({ username: Secret(100), password: Secret(256) });
export const SecondFactorBody = Closed({ code: Type.Optional(Code), recoveryCode: Type.Optional(Type.String({ minLength: 6, maxLength: 40 })) });
export const ChangePasswordBody = Closed({ currentPassword: Secret(256), newPassword: Secret(256) });
export const CodeBody = Closed({ code: Code });
/** Re-authentication: the password, and a current code (or a recovery code) when the account has a second factor. */
export const ReauthBody = Closed({ password: Secret(256), code: Type.Optional(Code), recoveryCode: Type.Optional(Type.String({ minLength: 6, maxLength: 40 })) });

// ── Responses ────────────────────────────────────────────────────────────────────────────────

export const RoleSchema = StringEnum(ROLES);
/** `mfa`: the password checked, the second factor pending; `active`: signed in. */
const SessionStageSchema = StringEnum(['mfa', 'active']);

/** A role on a unit (null: everywhere) for a period. */
export const GrantSchema = Closed({
  id: Type.Optional(Type.Integer()),
  role: RoleSchema,
  unitId: Nullable(Type.String()),
  validFrom: Nullable(IsoDate),
  validTo: Nullable(IsoDate),
});

export const DemoAccountSchema = Closed({ username: Type.String(), password: Type.String(), role: RoleSchema, unitId: Nullable(Type.String()), description: Bilingual });

/** Where a signed-in user starts (src/domain/policy.ts landingFor). */
const LandingSchema = Type.Union([
  Closed({ kind: Type.Literal('unit'), unitId: Type.String(), role: RoleSchema }),
  Closed({ kind: Type.Literal('committees'), unitId: Nullable(Type.String()), role: RoleSchema }),
  Closed({ kind: StringEnum(['admin', 'audit', 'national']), role: RoleSchema }),
  Closed({ kind: Type.Literal('none') }),
]);

/** Nobody signed in; on a demo database, the demo accounts. */
export const AnonymousSessionSchema = Closed({
  authenticated: Type.Literal(false),
  demo: Type.Boolean(),
  may: Type.Array(StringEnum(ACTION_NAMES), { description: 'what an anonymous caller may do: on a demo database, read like a viewer' }),
  demoAccounts: Type.Optional(Type.Array(DemoAccountSchema, { description: 'only on a demo database' })),
});

/** A signed-in session (or one waiting for its second factor: stage `mfa`). */
export const SignedInSessionSchema = Closed({
  authenticated: Type.Literal(true),
  demo: Type.Boolean(),
  user: Closed({
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    grants: Type.Array(GrantSchema),
    mfaEnabled: Type.Boolean(),
    isDemo: Type.Boolean(),
    landing: LandingSchema,
  }),
  may: Type.Array(StringEnum(ACTION_NAMES), { description: 'actions the user may take on some unit today (screens offer only these; each unit is still checked)' }),
  stage: SessionStageSchema,
  mustChangePassword: Type.Boolean(),
  mfaSetupRequired: Type.Boolean(),
  csrfToken: Type.String({ description: 'send it back in the X-CSRF-Token header of every write' }),
  idleTimeoutSeconds: Type.Integer(),
  expiresAt: IsoTime,
});

export const SessionSchema = Type.Union([AnonymousSessionSchema, SignedInSessionSchema]);

export const MfaSetupSchema = Closed({ secret: Type.String(), otpauthUri: Type.String(), qrDataUrl: Type.String() });
export const RecoveryCodesSchema = Closed({ recoveryCodes: Type.Array(Type.String(), { description: 'shown once' }) });

export const OwnSessionSchema = Closed({
  current: Type.Boolean(),
  createdAt: IsoTime,
  lastSeenAt: IsoTime,
  expiresAt: IsoTime,
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  stage: SessionStageSchema,
});
export const OwnSessionListSchema = Closed({ items: Type.Array(OwnSessionSchema) });
export const RevokedSessionsSchema = Closed({ revoked: Type.Integer() });

/** Until when this session may change its second factor, recovery codes, password and other sessions. */
export const ReauthenticatedSchema = Closed({ reauthenticatedUntil: IsoTime });

export const PolicyTableSchema = Closed({
  roles: Type.Array(Closed({ role: RoleSchema, label: Bilingual })),
  actions: Type.Array(
    Closed({
      action: StringEnum(ACTION_NAMES),
      kind: StringEnum(['read', 'write']),
      scoped: Type.Boolean(),
      label: Bilingual,
      roles: Type.Union([Type.Array(RoleSchema), StringEnum(['everyone', 'authenticated'])]),
      tokens: Type.Boolean(),
    }),
  ),
});
