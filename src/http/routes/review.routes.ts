/** Bản rà soát: create, read, edit values (history kept), submit, restore, discard a draft; the reviews of a unit across the 2025 merge. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses, IdParams, UnitIdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import {
  CreateReviewBody,
  DiscardedReviewSchema,
  HistoryQuery,
  RestoreBody,
  ReviewDetailSchema,
  UnitReviewsSchema,
  UpdateValuesBody,
  ValueHistorySchema,
  ValueParams,
  VersionBody,
} from '../schemas/review.schema.ts';
import { etag, versionOf } from '../versioning.ts';
import { createReview, discardReview, getReview, getValueHistory, listReviewsForUnit, restoreValue, submitReview, updateReviewValues } from '../../services/review.service.ts';

const tags = ['reviews'];

export function reviewRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const written = { 200: ReviewDetailSchema, ...writeErrorResponses };
    app.post(
      '/reviews',
      {
        config: { action: 'review.write' },
        schema: { operationId: 'createReview', tags, summary: 'Tạo bản rà soát / create a review', body: CreateReviewBody, response: { 201: ReviewDetailSchema, ...writeErrorResponses } },
      },
      async (req, reply) => reply.status(201).send(etag(reply, await createReview(ctx.db, actorOf(req), req.body))),
    );
    app.get(
      '/reviews/:id',
      {
        config: { action: 'review.read' },
        schema: {
          operationId: 'getReview',
          tags,
          summary: 'Bản rà soát với giá trị và kết quả đánh giá / a review with values and evaluation',
          params: IdParams,
          response: { 200: ReviewDetailSchema, ...errorResponses },
        },
      },
      async (req, reply) => etag(reply, await getReview(ctx.db, req.params.id, actorOf(req))),
    );
    app.patch(
      '/reviews/:id/values',
      {
        config: { action: 'review.write' },
        schema: { operationId: 'updateReviewValues', tags, summary: 'Cập nhật giá trị chỉ tiêu (lưu lịch sử) / update values (history kept)', params: IdParams, body: UpdateValuesBody, response: written },
      },
      async (req, reply) => etag(reply, await updateReviewValues(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version), values: req.body.values })),
    );
    app.post(
      '/reviews/:id/submit',
      { config: { action: 'review.submit' }, schema: { operationId: 'submitReview', tags, summary: 'Nộp bản rà soát / submit a review', params: IdParams, body: VersionBody, response: written } },
      async (req, reply) => etag(reply, await submitReview(ctx.db, actorOf(req), req.params.id, { version: versionOf(req, req.body.version) })),
    );
    app.delete(
      '/reviews/:id',
      {
        config: { action: 'review.write' },
        schema: {
          operationId: 'discardReview',
          tags,
          summary: 'Hủy bản nháp (If-Match: phiên bản đã đọc): xóa giá trị, kết quả đánh giá, minh chứng; bản đã nộp: 409 / discard a draft review',
          params: IdParams,
          response: { 200: DiscardedReviewSchema, ...writeErrorResponses },
        },
      },
      async (req) => discardReview(ctx.db, actorOf(req), req.params.id, { version: versionOf(req) }),
    );
    app.get(
      '/reviews/:id/history',
      {
        config: { action: 'review.read' },
        schema: { operationId: 'getValueHistory', tags, summary: 'Lịch sử giá trị / value history', params: IdParams, querystring: HistoryQuery, response: { 200: ValueHistorySchema, ...errorResponses } },
      },
      async (req) => ({ items: await getValueHistory(ctx.db, req.params.id, req.query.code, actorOf(req)) }),
    );
    app.post(
      '/reviews/:id/values/:code/restore',
      {
        config: { action: 'review.write' },
        schema: { operationId: 'restoreValue', tags, summary: 'Khôi phục một giá trị cũ / restore an earlier value', params: ValueParams, body: RestoreBody, response: written },
      },
      async (req, reply) => etag(reply, await restoreValue(ctx.db, actorOf(req), req.params.id, { code: req.params.code, seq: req.body.seq, version: versionOf(req, req.body.version) })),
    );
    app.get(
      '/units/:id/reviews',
      {
        config: { action: 'review.read' },
        schema: {
          operationId: 'listUnitReviews',
          tags,
          summary: 'Các bản rà soát của xã và của các xã trước sáp nhập / reviews of a commune and its predecessors',
          params: UnitIdParams,
          response: { 200: UnitReviewsSchema, ...errorResponses },
        },
      },
      async (req) => ({ groups: await listReviewsForUnit(ctx.db, req.params.id, actorOf(req)) }),
    );
  };
}
