/**
 * Quản trị tài khoản (user.manage): accounts, role grants, password reset, unlock, disable, MFA
 * reset, end sessions. One-time passwords appear once in the response and nowhere else.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf, expectedVersion } from '../actor.ts';
import { errorResponses, IsoDate, MAX_INT } from '../schemas/common.schema.ts';
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
import { DomainError } from '../../domain/errors.ts';

const Loose = Type.Object({}, { additionalProperties: true });
const UserParams = Type.Object({ userId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const GrantBody = Type.Object(
  {
    role: Type.String({ maxLength: 40 }),
    unitId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    validFrom: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    validTo: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  },
  { additionalProperties: false },
);
const response = { 200: Loose, ...errorResponses };
const manage = { action: 'user.manage' as const };

export function userRoutes(ctx: RouteContext): FastifyPluginAsync {
  const auth = ctx.auth;
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/users', { config: manage, schema: { tags: ['admin'], summary: 'Danh sách tài khoản / accounts', response: { 200: Type.Object({ items: Type.Array(Loose) }), ...errorResponses } } }, async (req) => ({
      items: await listUsers(auth, actorOf(req)),
    }));
    app.post(
      '/users',
      {
        config: manage,
        schema: {
          tags: ['admin'],
          summary: 'Tạo tài khoản (mật khẩu ban đầu hiện một lần, phải đổi khi đăng nhập) / create an account (one-time initial password)',
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 60 }),
              displayName: Type.String({ minLength: 1, maxLength: 200 }),
              email: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
              grants: Type.Optional(Type.Array(GrantBody, { maxItems: 20 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Loose, ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return reply.status(201).send(await createUser(auth, actorOf(req), req.body));
      },
    );
    app.get('/users/:userId', { config: manage, schema: { tags: ['admin'], summary: 'Một tài khoản / one account', params: UserParams, response } }, async (req) =>
      getUser(auth, actorOf(req), req.params.userId),
    );
    app.patch(
      '/users/:userId',
      {
        config: manage,
        schema: {
          tags: ['admin'],
          summary: 'Sửa họ tên, thư điện tử (cần phiên bản đã đọc) / edit name, e-mail (needs the version read)',
          params: UserParams,
          body: Type.Object(
            {
              version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT })),
              displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              email: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response,
        },
      },
      async (req) => {
        const version = expectedVersion(req, req.body.version);
        if (version === undefined) {
          throw new DomainError('validation_failed', { vi: 'Thiếu phiên bản đã đọc (version hoặc If-Match).', en: 'Missing the version you read (version or If-Match).' }, { fields: [{ field: 'version' }] });
        }
        return updateUserProfile(auth, actorOf(req), req.params.userId, { version, displayName: req.body.displayName, email: req.body.email });
      },
    );
    app.post('/users/:userId/reset-password', { config: manage, schema: { tags: ['admin'], summary: 'Đặt lại mật khẩu (hiện một lần) / reset the password (shown once)', params: UserParams, response } }, async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return resetPassword(auth, actorOf(req), req.params.userId);
    });
    app.post('/users/:userId/unlock', { config: manage, schema: { tags: ['admin'], summary: 'Mở khóa tài khoản / unlock', params: UserParams, response } }, async (req) =>
      unlockUser(auth, actorOf(req), req.params.userId),
    );
    app.post(
      '/users/:userId/disable',
      {
        config: manage,
        schema: { tags: ['admin'], summary: 'Vô hiệu hóa / disable', params: UserParams, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false })), response },
      },
      async (req) => setUserStatus(auth, actorOf(req), req.params.userId, 'disabled', req.body?.reason ?? null),
    );
    app.post('/users/:userId/enable', { config: manage, schema: { tags: ['admin'], summary: 'Kích hoạt lại / enable', params: UserParams, response } }, async (req) =>
      setUserStatus(auth, actorOf(req), req.params.userId, 'active'),
    );
    app.post('/users/:userId/grants', { config: manage, schema: { tags: ['admin'], summary: 'Cấp vai trò trên một đơn vị / grant a role on a unit', params: UserParams, body: GrantBody, response } }, async (req) =>
      grantRole(auth, actorOf(req), req.params.userId, req.body),
    );
    app.delete(
      '/users/:userId/grants/:grantId',
      {
        config: manage,
        schema: {
          tags: ['admin'],
          summary: 'Thu hồi vai trò / revoke a grant',
          params: Type.Object({ userId: Type.Integer({ minimum: 1, maximum: 2147483647 }), grantId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
          response,
        },
      },
      async (req) => revokeRole(auth, actorOf(req), req.params.userId, req.params.grantId),
    );
    app.post('/users/:userId/mfa/reset', { config: manage, schema: { tags: ['admin'], summary: 'Tắt xác thực hai lớp (mất điện thoại) / reset two-factor', params: UserParams, response } }, async (req) =>
      resetMfa(auth, actorOf(req), req.params.userId),
    );
    app.post('/users/:userId/sessions/revoke', { config: manage, schema: { tags: ['admin'], summary: 'Đăng xuất mọi phiên của tài khoản / end all sessions', params: UserParams, response } }, async (req) =>
      endUserSessions(auth, actorOf(req), req.params.userId),
    );
  };
}
