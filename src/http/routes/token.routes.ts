/** Khóa API (token.manage): create (the token is in this one response only), list, revoke. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, writeErrorResponses } from '../schemas/common.schema.ts';
import { CreatedTokenSchema, CreateTokenBody, TokenListSchema, TokenParams, TokenSummarySchema } from '../schemas/token.schema.ts';
import { createToken, listTokens, revokeToken } from '../../services/token.service.ts';

const manage = { action: 'token.manage' as const };
const tags = ['admin'];

export function tokenRoutes(ctx: RouteContext): FastifyPluginAsync {
  const auth = ctx.auth;
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/tokens',
      { config: manage, schema: { operationId: 'listTokens', tags, summary: 'Danh sách khóa API / API tokens', response: { 200: TokenListSchema, ...errorResponses } } },
      async (req) => ({ items: await listTokens(auth, actorOf(req)) }),
    );
    app.post(
      '/tokens',
      {
        config: manage,
        schema: {
          operationId: 'createToken',
          tags,
          summary: 'Tạo khóa API (chỉ hiện một lần) / create an API token (shown once)',
          body: CreateTokenBody,
          response: { 201: CreatedTokenSchema, ...writeErrorResponses },
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
      {
        config: manage,
        schema: { operationId: 'revokeToken', tags, summary: 'Thu hồi khóa API / revoke', params: TokenParams, response: { 200: TokenSummarySchema, ...writeErrorResponses } },
      },
      async (req) => revokeToken(auth, actorOf(req), req.params.tokenId),
    );
  };
}
