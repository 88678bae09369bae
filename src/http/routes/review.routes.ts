import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf, expectedVersion } from '../actor.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { CreateReviewBody, RestoreBody, ReviewDetailSchema, UpdateValuesBody, VersionBody } from '../schemas/review.schema.ts';
import {
  createReview,
  getReview,
  getValueHistory,
  restoreValue,
  submitReview,
  updateReviewValues,
  type ReviewDetail,
} from '../../services/review.service.ts';
import { DomainError } from '../../domain/errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

function withEtag(reply: FastifyReply, r: ReviewDetail): ReviewDetail {
  reply.header('ETag', `"${r.version}"`);
  return r;
}

function requireVersion(v: number | undefined): number {
  if (v === undefined) {
    throw new DomainError(
      'validation_failed',
      { vi: 'Thiếu phiên bản đã đọc: gửi trường "version" hoặc tiêu đề If-Match.', en: 'Missing the version you read: send "version" or an If-Match header.' },
      { fields: [{ field: 'version' }] },
    );
  }
  return v;
}

export function reviewRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const response = { 200: ReviewDetailSchema, ...errorResponses };
    app.post(
      '/reviews',
      { config: { action: 'review.write' }, schema: { tags: ['reviews'], summary: 'Tạo bản rà soát / create a review', body: CreateReviewBody, response: { 201: ReviewDetailSchema, ...errorResponses } } },
      async (req, reply) => reply.status(201).send(withEtag(reply, await createReview(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/reviews/:id',
      { config: { action: 'review.read' }, schema: { tags: ['reviews'], summary: 'Bản rà soát với giá trị và kết quả đánh giá / a review with values and evaluation', params: IdParams, response } },
      async (req, reply) => withEtag(reply, await getReview(ctx.db, req.params.id, actorOf(req))),
    );
    app.patch(
      '/reviews/:id/values',
      { config: { action: 'review.write' }, schema: { tags: ['reviews'], summary: 'Cập nhật giá trị chỉ tiêu (lưu lịch sử) / update values (history kept)', params: IdParams, body: UpdateValuesBody, response } },
      async (req, reply) =>
        withEtag(
          reply,
          await updateReviewValues(ctx.db, actorOf(req), req.params.id, { version: requireVersion(expectedVersion(req, req.body.version)), values: req.body.values }),
        ),
    );
    app.post(
      '/reviews/:id/submit',
      { config: { action: 'review.submit' }, schema: { tags: ['reviews'], summary: 'Nộp bản rà soát / submit a review', params: IdParams, body: VersionBody, response } },
      async (req, reply) => withEtag(reply, await submitReview(ctx.db, actorOf(req), req.params.id, { version: requireVersion(expectedVersion(req, req.body.version)) })),
    );
    app.get(
      '/reviews/:id/history',
      {
        config: { action: 'review.read' },
        schema: {
          tags: ['reviews'],
          summary: 'Lịch sử giá trị / value history',
          params: IdParams,
          querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) }),
          response: { 200: Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses },
        },
      },
      async (req) => ({ items: await getValueHistory(ctx.db, req.params.id, req.query.code, actorOf(req)) }),
    );
    app.post(
      '/reviews/:id/values/:code/restore',
      {
        config: { action: 'review.write' },
        schema: {
          tags: ['reviews'],
          summary: 'Khôi phục một giá trị cũ / restore an earlier value',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), code: Type.String({ maxLength: 20 }) }),
          body: RestoreBody,
          response,
        },
      },
      async (req, reply) =>
        withEtag(
          reply,
          await restoreValue(ctx.db, actorOf(req), req.params.id, {
            code: req.params.code,
            seq: req.body.seq,
            version: requireVersion(expectedVersion(req, req.body.version)),
          }),
        ),
    );
  };
}
