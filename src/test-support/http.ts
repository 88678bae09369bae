/**
 * Test helpers for authenticated HTTP tests (`app.inject()`):
 *
 *     const app = await buildApp({ db: ctx.db, strictResponses: true, webDist: '/nonexistent', security: testSecurity() });
 *     const h = await signIn(app, { role: 'province_office', unitId: '35@2025-03' });
 *     await app.inject({ method: 'POST', url: '/api/v1/reviews', headers: h, payload: {...} });
 *
 * `signIn` creates the account (cheap scrypt cost, no forced change, MFA not required unless the
 * security config says so) and returns the session cookie plus the CSRF header. `bearer` creates
 * an API token and returns its Authorization header.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { defaultSecurityConfig, type SecurityConfig } from '../config.ts';
import type { Action, Role } from '../domain/policy.ts';
import { createUser } from '../services/user.service.ts';
import { createToken } from '../services/token.service.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import { totpCode } from '../platform/totp.ts';

export const TEST_PASSWORD = 'mot-cum-tu-du-dai-de-nho';

/** Fast hashing, no MFA requirement: the defaults of a test app (override what a test exercises). */
export function testSecurity(overrides: Partial<SecurityConfig> = {}): SecurityConfig {
  return defaultSecurityConfig({ scrypt: { N: 1 << 10, r: 8, p: 1 }, mfaRoles: [], ...overrides });
}

/** Headers of a signed-in browser: the session cookie and the CSRF header. */
export type SignedIn = Record<string, string> & { cookie: string; 'x-csrf-token': string };

export interface TestUserInput {
  username?: string;
  role?: Role;
  unitId?: string | null;
  password?: string;
  mustChangePassword?: boolean;
  grants?: Array<{ role: Role; unitId: string | null; validFrom?: string | null; validTo?: string | null }>;
}

export async function createTestUser(app: FastifyInstance, input: TestUserInput = {}): Promise<{ id: number; username: string; password: string }> {
  const username = input.username ?? `u${randomBytes(4).toString('hex')}`;
  const password = input.password ?? TEST_PASSWORD;
  const grants = input.grants ?? (input.role ? [{ role: input.role, unitId: input.unitId ?? null }] : []);
  const r = await createUser(app.datchuan.auth, SYSTEM_ACTOR, {
    username,
    displayName: `Người thử ${username}`,
    password,
    isDemo: false,
    mustChangePassword: input.mustChangePassword ?? false,
    grants,
  });
  return { id: r.user.id, username, password };
}

/** Cookies of a response as one `Cookie` header value (name=value; …). */
export function cookieHeader(res: { cookies: Array<{ name: string; value: string }> }): string {
  return res.cookies
    .filter((c) => c.value !== '')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

export async function login(app: FastifyInstance, username: string, password: string, headers: Record<string, string> = {}): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { csrfToken: string };
  return { cookie: cookieHeader(res), 'x-csrf-token': body.csrfToken };
}

/** Create an account with one role and sign it in. */
export async function signIn(app: FastifyInstance, input: TestUserInput = {}): Promise<SignedIn> {
  const u = await createTestUser(app, input);
  return login(app, u.username, u.password);
}

export async function bearer(app: FastifyInstance, input: { actions: Action[]; unitIds?: string[] | null; name?: string }): Promise<{ authorization: string }> {
  const r = await createToken(app.datchuan.auth, SYSTEM_ACTOR, { name: input.name ?? `t-${randomBytes(4).toString('hex')}`, actions: input.actions, unitIds: input.unitIds ?? null });
  return { authorization: `Bearer ${r.token}` };
}

/** Turn on TOTP for a signed-in account through the API; returns the secret (compute codes with `totpCode`). */
export async function enrolTotp(app: FastifyInstance, h: SignedIn, at: Date): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/setup', headers: h });
  if (setup.statusCode !== 200) throw new Error(`mfa setup failed: ${setup.statusCode} ${setup.body}`);
  const { secret } = setup.json() as { secret: string };
  const enable = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enable', headers: h, payload: { code: totpCode(secret, at) } });
  if (enable.statusCode !== 200) throw new Error(`mfa enable failed: ${enable.statusCode} ${enable.body}`);
  return { secret, recoveryCodes: (enable.json() as { recoveryCodes: string[] }).recoveryCodes };
}
