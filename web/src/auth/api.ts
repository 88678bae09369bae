/**
 * Accounts, sessions, administration and the audit trail: the API calls and their query hooks.
 * The session lives in an HttpOnly cookie; writes carry the CSRF header (client.ts). A 401 from any
 * other call sends the browser to /login?next=… (see UserMenu's listener).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { apiGet, apiUrl, request } from '../api/client.ts';
import { ME_KEY, useMe } from './session.ts';
// The HTTP contract's types (type-only: nothing of the server reaches the bundle).
import type { CreatedUserSchema, CreateUserBody, GrantBody, PasswordResetSchema, UserSummarySchema } from '../../../src/http/schemas/user.schema.ts';
import type { CreatedTokenSchema, CreateTokenBody, TokenSummarySchema } from '../../../src/http/schemas/token.schema.ts';
import type { AuditPageSchema, AuditQuery, AuditRecordSchema } from '../../../src/http/schemas/audit.schema.ts';
import type { AnonymousSessionSchema, DemoAccountSchema, GrantSchema, MfaSetupSchema, PolicyTableSchema, ReauthenticatedSchema, RecoveryCodesSchema, SignedInSessionSchema } from '../../../src/http/schemas/auth.schema.ts';

export type UserSummary = Static<typeof UserSummarySchema>;
export type TokenSummary = Static<typeof TokenSummarySchema>;
export type AuditRecord = Static<typeof AuditRecordSchema>;
/** The audit trail's filters (the page cursor and size are set by fetchAudit). */
export type AuditFilter = Omit<Static<typeof AuditQuery>, 'beforeSeq' | 'limit'>;
export type Grant = Static<typeof GrantSchema>;
export type DemoAccount = Static<typeof DemoAccountSchema>;
/** What signing in (either step) and changing the password answer. */
export type SignedInSession = Static<typeof SignedInSessionSchema>;
type AnonymousSession = Static<typeof AnonymousSessionSchema>;
/**
 * `GET /auth/me`: nobody (with the demo accounts on a demo database), or the signed-in session —
 * with every field readable on either (absent where it does not apply).
 */
export type SessionInfo = (AnonymousSession & Partial<Omit<SignedInSession, keyof AnonymousSession>>) | (SignedInSession & Partial<Omit<AnonymousSession, keyof SignedInSession>>);
export type PolicyTable = Static<typeof PolicyTableSchema>;

export const authKeys = {
  me: ME_KEY,
  users: ['admin', 'users'] as const,
  tokens: ['admin', 'tokens'] as const,
  policy: ['auth', 'policy'] as const,
  audit: (f: AuditFilter) => ['audit', f] as const,
};

// The session query is its own small module: the first view needs it, not the rest of this file.
export { useMe };

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  return (await request<T>('POST', apiUrl(path), body === undefined ? {} : { body })).data;
}

/** Run a call that changes the session, then refresh everything that depends on who is signed in. */
export function useSessionMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      if (data && typeof data === 'object' && 'authenticated' in (data as object)) qc.setQueryData(authKeys.me, data);
      void qc.invalidateQueries();
    },
  });
}

export const login = (b: { username: string; password: string }) => postJson<SignedInSession>('/auth/login', b);
export const verifyMfa = (b: { code?: string; recoveryCode?: string }) => postJson<SignedInSession>('/auth/mfa/verify', b);
export const logout = () => postJson<null>('/auth/logout');
export const changePassword = (b: { currentPassword: string; newPassword: string }) => postJson<SignedInSession>('/auth/password', b);
export const mfaSetup = () => postJson<Static<typeof MfaSetupSchema>>('/auth/mfa/setup');
export const mfaEnable = (code: string) => postJson<Static<typeof RecoveryCodesSchema>>('/auth/mfa/enable', { code });
/** Prove the password (and code) again before a sensitive change (ReauthDialog.tsx). */
export const reauthenticate = (b: { password: string; code?: string; recoveryCode?: string }) => postJson<Static<typeof ReauthenticatedSchema>>('/auth/reauth', b);

// ── Administration ─────────────────────────────────────────────────────────────────────────

export function usePolicy() {
  return useQuery({ queryKey: authKeys.policy, queryFn: ({ signal }) => apiGet<PolicyTable>('/policy', undefined, signal), staleTime: 60 * 60_000 });
}

export function useUsers(enabled = true) {
  return useQuery({ queryKey: authKeys.users, queryFn: ({ signal }) => apiGet<{ items: UserSummary[] }>('/users', undefined, signal), enabled, select: (d) => d.items });
}

export function useTokens(enabled = true) {
  return useQuery({ queryKey: authKeys.tokens, queryFn: ({ signal }) => apiGet<{ items: TokenSummary[] }>('/tokens', undefined, signal), enabled, select: (d) => d.items });
}

export function useAdminMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
    },
  });
}

export const adminApi = {
  createUser: (b: Static<typeof CreateUserBody>) => postJson<Static<typeof CreatedUserSchema>>('/users', b),
  resetPassword: (id: number) => postJson<Static<typeof PasswordResetSchema>>(`/users/${id}/reset-password`),
  unlock: (id: number) => postJson<UserSummary>(`/users/${id}/unlock`),
  disable: (id: number) => postJson<UserSummary>(`/users/${id}/disable`, {}),
  enable: (id: number) => postJson<UserSummary>(`/users/${id}/enable`),
  resetMfa: (id: number) => postJson<UserSummary>(`/users/${id}/mfa/reset`),
  grant: (id: number, g: Static<typeof GrantBody>) => postJson<UserSummary>(`/users/${id}/grants`, g),
  revoke: async (id: number, grantId: number) => (await request<UserSummary>('DELETE', apiUrl(`/users/${id}/grants/${grantId}`))).data,
  createToken: (b: Static<typeof CreateTokenBody>) => postJson<Static<typeof CreatedTokenSchema>>('/tokens', b),
  revokeToken: async (id: number) => (await request<TokenSummary>('DELETE', apiUrl(`/tokens/${id}`))).data,
};

// ── Audit trail ────────────────────────────────────────────────────────────────────────────

export async function fetchAudit(f: AuditFilter, beforeSeq?: number, signal?: AbortSignal): Promise<Static<typeof AuditPageSchema>> {
  return apiGet('/audit', { ...f, beforeSeq, limit: 100 }, signal);
}
