/**
 * Đăng nhập và phiên làm việc:
 *   GET  /auth/me                      who am I (anonymous too); demo accounts listed only on a demo database
 *   POST /auth/login                   username + password → session cookie (new id every time)
 *   POST /auth/mfa/verify              second step: TOTP code or recovery code → new session id
 *   POST /auth/logout
 *   POST /auth/password                change own password (also the forced change)
 *   POST /auth/mfa/setup | /enable     enrol TOTP (QR code), then confirm → recovery codes (shown once)
 *   POST /auth/mfa/recovery-codes      new recovery codes
 *   GET  /auth/sessions                own sessions; POST /auth/sessions/revoke-others
 *   POST /auth/reauth                  password (+ code) again: allows the four changes above for a few minutes
 *   GET  /policy                       the role × action table (public documentation)
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, publicErrorResponses, signInErrorResponses, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  ChangePasswordBody,
  CodeBody,
  LoginBody,
  MfaSetupSchema,
  OwnSessionListSchema,
  PolicyTableSchema,
  ReauthBody,
  ReauthenticatedSchema,
  RecoveryCodesSchema,
  RevokedSessionsSchema,
  SecondFactorBody,
  SessionSchema,
  SignedInSessionSchema,
} from '../schemas/auth.schema.ts';
import { clearSessionCookies, setSessionCookies } from '../auth.ts';
import {
  beginMfaSetup,
  changeOwnPassword,
  completeSecondFactor,
  enableMfa,
  isDemoMode,
  listOwnSessions,
  login,
  logout,
  reauthenticate,
  regenerateRecoveryCodes,
  revokeOtherSessions,
  sessionInfo,
  loadUser,
  actionsAnywhere,
} from '../../services/auth.service.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../seed/demo-accounts.ts';
import { ACTIONS, ROLE_LABELS, ROLES, roleHas, ACTION_NAMES } from '../../domain/policy.ts';
import { DomainError } from '../../domain/errors.ts';

const tags = ['auth'];

function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
}

function requireSession(req: FastifyRequest) {
  const s = req.authSession;
  if (!s) throw new DomainError('unauthenticated', { vi: 'Bạn cần đăng nhập.', en: 'You need to sign in.' });
  return s;
}

export function authRoutes(ctx: RouteContext): FastifyPluginAsync {
  const auth = ctx.auth;
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/auth/me',
      { config: { action: 'public' }, schema: { operationId: 'getCurrentSession', tags, summary: 'Phiên đăng nhập hiện tại / the current session', response: { 200: SessionSchema, ...publicErrorResponses } } },
      async (req, reply) => {
        noStore(reply);
        const demo = await isDemoMode(auth);
        const s = req.authSession;
        if (!s) {
          return {
            authenticated: false as const,
            demo,
            may: actionsAnywhere({ kind: 'anonymous', demoViewer: demo }),
            // Only ever on a demo database (never on real data): the accounts printed in the README.
            ...(demo ? { demoAccounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: DEMO_PASSWORD, role: a.role, unitId: a.unitId, description: a.description })) } : {}),
          };
        }
        return { authenticated: true as const, demo, ...(await sessionInfo(auth, s.row, s.user)) };
      },
    );

    app.post(
      '/auth/login',
      {
        config: { action: 'public' },
        schema: { operationId: 'login', tags, summary: 'Đăng nhập / sign in', body: LoginBody, response: { 200: SignedInSessionSchema, ...signInErrorResponses } },
      },
      async (req, reply) => {
        noStore(reply);
        const r = await login(auth, { username: req.body.username, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, previousToken: req.cookies.datchuan_session ?? null });
        setSessionCookies(auth, req, reply, r.token, r.row.csrf_token);
        return { authenticated: true as const, demo: await isDemoMode(auth), ...(await sessionInfo(auth, r.row, r.user)) };
      },
    );

    app.post(
      '/auth/mfa/verify',
      {
        config: { action: 'session.self', allowMfaPending: true },
        schema: {
          operationId: 'verifySecondFactor',
          tags,
          summary: 'Nhập mã xác thực hai lớp hoặc mã khôi phục / enter the two-factor or a recovery code',
          body: SecondFactorBody,
          response: { 200: SignedInSessionSchema, ...signInErrorResponses },
        },
      },
      async (req, reply) => {
        noStore(reply);
        const s = requireSession(req);
        const r = await completeSecondFactor(auth, s.token, { code: req.body.code, recoveryCode: req.body.recoveryCode }, req.ip, req.headers['user-agent'] ?? null);
        setSessionCookies(auth, req, reply, r.token, r.row.csrf_token);
        return { authenticated: true as const, demo: await isDemoMode(auth), ...(await sessionInfo(auth, r.row, r.user)) };
      },
    );

    app.post(
      '/auth/logout',
      { config: { action: 'session.self', allowMfaPending: true }, schema: { operationId: 'logout', tags, summary: 'Đăng xuất / sign out', response: { 204: Type.Null(), ...writeErrorResponses } } },
      async (req, reply) => {
        const s = requireSession(req);
        await logout(auth, s.token, req.ip);
        clearSessionCookies(auth, req, reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/password',
      {
        config: { action: 'session.self' },
        schema: { operationId: 'changeOwnPassword', tags, summary: 'Đổi mật khẩu của mình / change own password', body: ChangePasswordBody, response: { 200: SignedInSessionSchema, ...signInErrorResponses } },
      },
      async (req, reply) => {
        noStore(reply);
        const s = requireSession(req);
        await changeOwnPassword(auth, s.row, req.body, req.ip);
        const u = (await loadUser(auth, s.user.row.id))!;
        return { authenticated: true as const, demo: await isDemoMode(auth), ...(await sessionInfo(auth, s.row, u)) };
      },
    );

    app.post(
      '/auth/mfa/setup',
      {
        config: { action: 'session.self' },
        schema: { operationId: 'beginMfaSetup', tags, summary: 'Bắt đầu cài xác thực hai lớp (mã QR) / start TOTP enrolment (QR code)', response: { 200: MfaSetupSchema, ...writeErrorResponses } },
      },
      async (req, reply) => {
        noStore(reply);
        return beginMfaSetup(auth, requireSession(req).row);
      },
    );

    app.post(
      '/auth/mfa/enable',
      {
        config: { action: 'session.self' },
        schema: {
          operationId: 'enableMfa',
          tags,
          summary: 'Xác nhận mã để bật xác thực hai lớp; trả về mã khôi phục (một lần) / confirm a code to enable TOTP; returns recovery codes once',
          body: CodeBody,
          response: { 200: RecoveryCodesSchema, ...signInErrorResponses },
        },
      },
      async (req, reply) => {
        noStore(reply);
        return { recoveryCodes: await enableMfa(auth, requireSession(req).row, req.body.code, req.ip) };
      },
    );

    app.post(
      '/auth/mfa/recovery-codes',
      {
        config: { action: 'session.self' },
        schema: { operationId: 'regenerateRecoveryCodes', tags, summary: 'Tạo lại mã khôi phục / new recovery codes', body: CodeBody, response: { 200: RecoveryCodesSchema, ...signInErrorResponses } },
      },
      async (req, reply) => {
        noStore(reply);
        return { recoveryCodes: await regenerateRecoveryCodes(auth, requireSession(req).row, req.body.code, req.ip) };
      },
    );

    app.get(
      '/auth/sessions',
      { config: { action: 'session.self' }, schema: { operationId: 'listOwnSessions', tags, summary: 'Các phiên đăng nhập của mình / own sessions', response: { 200: OwnSessionListSchema, ...errorResponses } } },
      async (req) => {
        const s = requireSession(req);
        return { items: await listOwnSessions(auth, s.user.row.id, s.row.id) };
      },
    );

    app.post(
      '/auth/sessions/revoke-others',
      {
        config: { action: 'session.self' },
        schema: { operationId: 'revokeOtherSessions', tags, summary: 'Đăng xuất mọi nơi khác / sign out everywhere else', response: { 200: RevokedSessionsSchema, ...writeErrorResponses } },
      },
      async (req) => {
        return { revoked: await revokeOtherSessions(auth, actorOf(req), requireSession(req).row) };
      },
    );

    app.post(
      '/auth/reauth',
      {
        config: { action: 'session.self' },
        schema: {
          operationId: 'reauthenticate',
          tags,
          summary: 'Xác nhận lại mật khẩu (và mã hai lớp) trước thao tác nhạy cảm / confirm password (and two-factor code) before a sensitive change',
          body: ReauthBody,
          response: { 200: ReauthenticatedSchema, ...signInErrorResponses },
        },
      },
      async (req, reply) => {
        noStore(reply);
        return reauthenticate(auth, requireSession(req).row, req.body, req.ip);
      },
    );

    app.get(
      '/policy',
      {
        config: { action: 'public' },
        schema: { operationId: 'getPolicy', tags, summary: 'Bảng phân quyền vai trò × chức năng / the role × action policy table', response: { 200: PolicyTableSchema, ...publicErrorResponses } },
      },
      async () => ({
        roles: ROLES.map((r) => ({ role: r, label: ROLE_LABELS[r] })),
        actions: ACTION_NAMES.map((a) => ({
          action: a,
          kind: ACTIONS[a].kind,
          scoped: ACTIONS[a].scoped,
          label: ACTIONS[a].label,
          roles: ACTIONS[a].roles === 'everyone' || ACTIONS[a].roles === 'authenticated' ? ACTIONS[a].roles : ROLES.filter((r) => roleHas(r, a)),
          tokens: ACTIONS[a].tokens,
        })),
      }),
    );
  };
}
