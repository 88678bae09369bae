/** Khóa API (token.manage): create (the token is in this one response only), list, revoke. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { createToken, listTokens, revokeToken } from '../../services/token.service.ts';

const Loose = Type.Object({}, { additionalProperties: true });
const manage = { action: 'token.manage' as const };

export function tokenRoutes(ctx: RouteContext): FastifyPluginAsync {
  const auth = ctx.auth;
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/tokens', { config: manage, schema: { tags: ['admin'], summary: 'Danh sách khóa API / API tokens', response: { 200: Type.Object({ items: Type.Array(Loose) }), ...errorResponses } } }, async (req) => ({
      items: await listTokens(auth, actorOf(req)),
    }));
    app.post(
      '/tokens',
      {
        config: manage,
        schema: {
          tags: ['admin'],
          summary: 'Tạo khóa API (chỉ hiện một lần) / create an API token (shown once)',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 60 }),
              actions: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 30 }),
              unitIds: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200 }), Type.Null()])),
              expiresOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
              note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 201: Loose, ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        const r = await createToken(auth, actorOf(req), req.body);
        return reply.status(201).send({ token: r.token, ...r.summary });
      },
    );
    app.delete(
      '/tokens/:tokenId',
      { config: manage, schema: { tags: ['admin'], summary: 'Thu hồi khóa API / revoke', params: Type.Object({ tokenId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), response: { 200: Loose, ...errorResponses } } },
      async (req) => revokeToken(auth, actorOf(req), req.params.tokenId),
    );
  };
}
