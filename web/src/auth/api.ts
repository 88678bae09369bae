/**
 * Accounts, sessions, administration and the audit trail: the API calls and their query hooks.
 * The session lives in an HttpOnly cookie; writes carry the CSRF header (client.ts). A 401 from any
 * other call sends the browser to /login?next=… (see UserMenu's listener).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiUrl, request } from '../api/client.ts';
// The server's own types (type-only: nothing of the server reaches the bundle).
import type { UserSummary } from '../../../src/services/user.service.ts';
import type { TokenSummary } from '../../../src/services/token.service.ts';
import type { AuditFilter, AuditRecord } from '../../../src/services/audit.service.ts';

export type { AuditFilter, AuditRecord, TokenSummary, UserSummary };

export interface Grant {
  id?: number;
  role: string;
  unitId: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  unitId: string | null;
  description: { vi: string; en: string };
}

export interface SessionInfo {
  authenticated: boolean;
  demo: boolean;
  demoAccounts?: DemoAccount[];
  user?: { id: number; username: string; displayName: string; grants: Grant[]; mfaEnabled: boolean; isDemo: boolean };
  stage?: 'mfa' | 'active';
  mustChangePassword?: boolean;
  mfaSetupRequired?: boolean;
  csrfToken?: string;
  idleTimeoutSeconds?: number;
  expiresAt?: string;
}

export const authKeys = {
  me: ['auth', 'me'] as const,
  users: ['admin', 'users'] as const,
  tokens: ['admin', 'tokens'] as const,
  policy: ['auth', 'policy'] as const,
  audit: (f: AuditFilter) => ['audit', f] as const,
};

export function useMe() {
  return useQuery({ queryKey: authKeys.me, queryFn: ({ signal }) => apiGet<SessionInfo>('/auth/me', undefined, signal), staleTime: 30_000 });
}

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

export const login = (b: { username: string; password: string }) => postJson<SessionInfo>('/auth/login', b);
export const verifyMfa = (b: { code?: string; recoveryCode?: string }) => postJson<SessionInfo>('/auth/mfa/verify', b);
export const logout = () => postJson<null>('/auth/logout');
export const changePassword = (b: { currentPassword: string; newPassword: string }) => postJson<SessionInfo>('/auth/password', b);
export const mfaSetup = () => postJson<{ secret: string; otpauthUri: string; qrDataUrl: string }>('/auth/mfa/setup');
export const mfaEnable = (code: string) => postJson<{ recoveryCodes: string[] }>('/auth/mfa/enable', { code });

// ── Administration ─────────────────────────────────────────────────────────────────────────

export interface PolicyTable {
  roles: Array<{ role: string; label: { vi: string; en: string } }>;
  actions: Array<{ action: string; kind: string; scoped: boolean; label: { vi: string; en: string }; roles: string[] | string; tokens: boolean }>;
}

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
  createUser: (b: { username: string; displayName: string; email?: string | null; grants?: Grant[] }) =>
    postJson<{ user: UserSummary; initialPassword: string | null }>('/users', b),
  resetPassword: (id: number) => postJson<{ user: UserSummary; temporaryPassword: string }>(`/users/${id}/reset-password`),
  unlock: (id: number) => postJson<UserSummary>(`/users/${id}/unlock`),
  disable: (id: number) => postJson<UserSummary>(`/users/${id}/disable`, {}),
  enable: (id: number) => postJson<UserSummary>(`/users/${id}/enable`),
  resetMfa: (id: number) => postJson<UserSummary>(`/users/${id}/mfa/reset`),
  grant: (id: number, g: { role: string; unitId: string | null; validFrom?: string | null; validTo?: string | null }) => postJson<UserSummary>(`/users/${id}/grants`, g),
  revoke: async (id: number, grantId: number) => (await request<UserSummary>('DELETE', apiUrl(`/users/${id}/grants/${grantId}`))).data,
  createToken: (b: { name: string; actions: string[]; unitIds?: string[] | null; expiresOn?: string | null }) => postJson<TokenSummary & { token: string }>('/tokens', b),
  revokeToken: async (id: number) => (await request<TokenSummary>('DELETE', apiUrl(`/tokens/${id}`))).data,
};

// ── Audit trail ────────────────────────────────────────────────────────────────────────────

export async function fetchAudit(f: AuditFilter, beforeSeq?: number, signal?: AbortSignal): Promise<{ items: AuditRecord[]; nextBeforeSeq: number | null }> {
  return apiGet('/audit', { ...f, beforeSeq, limit: 100 }, signal);
}
