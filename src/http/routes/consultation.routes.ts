/**
 * Lấy ý kiến nhân dân — a dossier in public consultation (no sign-in, action `public`) and the
 * moderation of residents' comments (docs/dossier-api.md):
 *   GET  /public/dossiers/:id                  a dossier in (or after) consultation, with the form token
 *   POST /public/dossiers/:id/comments         send a comment (202, pending until moderated)
 *   POST /public/comments/withdraw             withdraw consent with the code given on sending
 *   GET  /dossiers/:id/comments                every comment, for readers of the dossier
 *   POST /public-comments/:id/moderation       publish or reject a pending comment
 * Everything a resident typed leaves only inside JSON strings, never as HTML.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IdParams, visitorErrorResponses, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  CommentBody,
  CommentReceiptSchema,
  ModeratedCommentListSchema,
  ModeratedCommentSchema,
  ModerationBody,
  PublicDossierSchema,
  WithdrawBody,
  WithdrawResultSchema,
} from '../schemas/consultation.schema.ts';
import { listComments, moderateComment, publicDossier, submitComment, withdrawConsent } from '../../services/consultation.service.ts';

export function consultationRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const now = () => ctx.auth.clock();

    app.get(
      '/public/dossiers/:id',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'getPublicDossier',
          tags: ['public'],
          summary: 'Hồ sơ công khai lấy ý kiến / a dossier in public consultation',
          security: [],
          params: IdParams,
          response: { 200: PublicDossierSchema, ...visitorErrorResponses },
        },
      },
      async (req, reply) => {
        // The answer carries a fresh form token: never cached.
        reply.header('Cache-Control', 'no-store');
        return publicDossier(ctx.db, req.params.id, now());
      },
    );

    app.post(
      '/public/dossiers/:id/comments',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'submitPublicComment',
          tags: ['public'],
          summary: 'Gửi ý kiến về hồ sơ / send a comment on a dossier',
          security: [],
          params: IdParams,
          body: CommentBody,
          response: { 202: CommentReceiptSchema, ...visitorErrorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        const receipt = await submitComment(ctx.db, { dossierId: req.params.id, ...req.body }, req.ip, now());
        return reply.status(202).send(receipt);
      },
    );

    app.post(
      '/public/comments/withdraw',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'withdrawCommentConsent',
          tags: ['public'],
          summary: 'Rút lại sự đồng ý, xóa họ tên và liên hệ (bằng mã đã nhận khi gửi) / withdraw consent with the code given on sending',
          security: [],
          body: WithdrawBody,
          response: { 200: WithdrawResultSchema, ...visitorErrorResponses },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return withdrawConsent(ctx.db, req.body.code, now());
      },
    );

    app.get(
      '/dossiers/:id/comments',
      {
        config: { action: 'dossier.read' },
        schema: {
          operationId: 'listDossierComments',
          tags: ['dossiers'],
          summary: 'Ý kiến của người dân về hồ sơ (người kiểm duyệt: cả ý kiến chờ duyệt) / comments on a dossier (moderators: pending ones too)',
          params: IdParams,
          response: { 200: ModeratedCommentListSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await listComments(ctx.db, actorOf(req), req.params.id) }),
    );

    app.post(
      '/public-comments/:id/moderation',
      {
        config: { action: 'dossier.moderate' },
        schema: {
          operationId: 'moderateComment',
          tags: ['dossiers'],
          summary: 'Kiểm duyệt ý kiến: công khai hoặc từ chối / publish or reject a comment',
          params: IdParams,
          body: ModerationBody,
          response: { 200: ModeratedCommentSchema, ...writeErrorResponses },
        },
      },
      async (req) => moderateComment(ctx.db, actorOf(req), req.params.id, req.body, now()),
    );
  };
}
