/**
 * Quản trị tài khoản (user.manage): accounts, role grants, password reset, unlock, disable, MFA
 * reset, end sessions. One-time passwords appear once in the response and nowhere else.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  CreatedUserSchema,
  CreateUserBody,
  DisableBody,
  EndedSessionsSchema,
  GrantBody,
  GrantParams,
  PasswordResetSchema,
  UpdateUserBody,
  UserListSchema,
  UserParams,
  UserSummarySchema,
} from '../schemas/user.schema.ts';
import { versionOf } from '../versioning.ts';
import {
  createUser,
  endUserSessions,
  getUser,
  grantRole,
  listUsers,
  resetMfa,
  resetPassword,
  revokeRole,
  setUserStatus,
  unlockUser,
  updateUserProfile,
} from '../../services/user.service.ts';

const manage = { action: 'user.manage' as const };
const tags = ['admin'];
const one = { 200: UserSummarySchema, ...writeErrorResponses };

export function userRoutes(ctx: RouteContext): FastifyPluginAsync {
  const auth = ctx.auth;
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/users', { config: manage, schema: { operationId: 'listUsers', tags, summary: 'Danh sách tài khoản / accounts', response: { 200: UserListSchema, ...errorResponses } } }, async (req) => ({
      items: await listUsers(auth, actorOf(req)),
    }));
    app.post(
      '/users',
      {
        config: manage,
        schema: {
          operationId: 'createUser',
          tags,
          summary: 'Tạo tài khoản (mật khẩu ban đầu hiện một lần, phải đổi khi đăng nhập) / create an account (one-time initial password)',
          body: CreateUserBody,
          response: { 201: CreatedUserSchema, ...writeErrorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return reply.status(201).send(await createUser(auth, actorOf(req), req.body));
      },
    );
    app.get(
      '/users/:userId',
      { config: manage, schema: { operationId: 'getUser', tags, summary: 'Một tài khoản / one account', params: UserParams, response: { 200: UserSummarySchema, ...errorResponses } } },
      async (req) => getUser(auth, actorOf(req), req.params.userId),
    );
    app.patch(
      '/users/:userId',
      {
        config: manage,
        schema: {
          operationId: 'updateUser',
          tags,
          summary: 'Sửa họ tên, thư điện tử (cần phiên bản đã đọc) / edit name, e-mail (needs the version read)',
          params: UserParams,
          body: UpdateUserBody,
          response: one,
        },
      },
      async (req) => updateUserProfile(auth, actorOf(req), req.params.userId, { version: versionOf(req, req.body.version), displayName: req.body.displayName, email: req.body.email }),
    );
    app.post(
      '/users/:userId/reset-password',
      {
        config: manage,
        schema: { operationId: 'resetPassword', tags, summary: 'Đặt lại mật khẩu (hiện một lần) / reset the password (shown once)', params: UserParams, response: { 200: PasswordResetSchema, ...writeErrorResponses } },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return resetPassword(auth, actorOf(req), req.params.userId);
      },
    );
    app.post('/users/:userId/unlock', { config: manage, schema: { operationId: 'unlockUser', tags, summary: 'Mở khóa tài khoản / unlock', params: UserParams, response: one } }, async (req) =>
      unlockUser(auth, actorOf(req), req.params.userId),
    );
    app.post(
      '/users/:userId/disable',
      { config: manage, schema: { operationId: 'disableUser', tags, summary: 'Vô hiệu hóa / disable', params: UserParams, body: DisableBody, response: one } },
      async (req) => setUserStatus(auth, actorOf(req), req.params.userId, 'disabled', req.body?.reason ?? null),
    );
    app.post('/users/:userId/enable', { config: manage, schema: { operationId: 'enableUser', tags, summary: 'Kích hoạt lại / enable', params: UserParams, response: one } }, async (req) =>
      setUserStatus(auth, actorOf(req), req.params.userId, 'active'),
    );
    app.post(
      '/users/:userId/grants',
      { config: manage, schema: { operationId: 'grantRole', tags, summary: 'Cấp vai trò trên một đơn vị / grant a role on a unit', params: UserParams, body: GrantBody, response: one } },
      async (req) => grantRole(auth, actorOf(req), req.params.userId, req.body),
    );
    app.delete(
      '/users/:userId/grants/:grantId',
      { config: manage, schema: { operationId: 'revokeRole', tags, summary: 'Thu hồi vai trò / revoke a grant', params: GrantParams, response: one } },
      async (req) => revokeRole(auth, actorOf(req), req.params.userId, req.params.grantId),
    );
    app.post('/users/:userId/mfa/reset', { config: manage, schema: { operationId: 'resetMfa', tags, summary: 'Tắt xác thực hai lớp (mất điện thoại) / reset two-factor', params: UserParams, response: one } }, async (req) =>
      resetMfa(auth, actorOf(req), req.params.userId),
    );
    app.post(
      '/users/:userId/sessions/revoke',
      { config: manage, schema: { operationId: 'endUserSessions', tags, summary: 'Đăng xuất mọi phiên của tài khoản / end all sessions', params: UserParams, response: { 200: EndedSessionsSchema, ...writeErrorResponses } } },
      async (req) => endUserSessions(auth, actorOf(req), req.params.userId),
    );
  };
}
