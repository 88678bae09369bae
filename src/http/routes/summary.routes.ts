/** Tổng hợp: a unit's status on a date (cached until the next write) and its trend across review dates. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { DateQuery, errorResponses, UnitIdParams } from '../schemas/common.schema.ts';
import { NationalSummarySchema, NationalTrendSchema, UnitSummarySchema, UnitTrendSchema } from '../schemas/summary.schema.ts';
import { getNationalSummary, getNationalTrend } from '../../services/national-summary.service.ts';
import { getUnitSummary, getUnitTrend } from '../../services/summary.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { assertIsoDate } from '../validate.ts';
import { RevisionCache } from '../../platform/read-cache.ts';
import { authorize } from '../../services/access.service.ts';
import { actorOf } from '../actor.ts';
import { sendCachedJson } from '../json-text.ts';

const tags = ['summaries'];

export function summaryRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // One cache per app instance; entries die with the next write anywhere.
    const cache = new RevisionCache();
    /**
     * The country's answers (summary, trend): the nationwide grant checked before the cache, so a
     * cached answer never reaches anyone without it; computed once per data revision.
     */
    const national = async (req: FastifyRequest, reply: FastifyReply, asked: string | undefined, kind: string, compute: (date: string) => Promise<unknown>) => {
      const date = assertIsoDate(asked ?? todayInVietnam(), 'date');
      await authorize(ctx.db, actorOf(req), 'national.read', 'everywhere');
      return sendCachedJson(req, reply, await cache.json(ctx.db, `${kind}|VN|${date}`, () => compute(date)));
    };
    // The country as unit `VN` (a static path: it wins over `/units/:id/summary`).
    app.get(
      '/units/VN/summary',
      {
        config: { action: 'national.read' },
        schema: {
          operationId: 'getNationalSummary',
          tags,
          summary: 'Tổng hợp toàn quốc tại một ngày (34 tỉnh từ 1/7/2025, 63 tỉnh trước đó) / the national summary on a date (34 provinces from 1 July 2025, 63 before)',
          querystring: DateQuery,
          response: { 200: NationalSummarySchema, ...errorResponses },
        },
      },
      async (req, reply) => national(req, reply, req.query.date, 'summary', (date) => getNationalSummary(ctx.db, undefined, date)),
    );
    app.get(
      '/units/VN/trend',
      {
        config: { action: 'national.read' },
        schema: {
          operationId: 'getNationalTrend',
          tags,
          summary: 'Diễn biến toàn quốc theo quý / the national trend by quarter',
          querystring: DateQuery,
          response: { 200: NationalTrendSchema, ...errorResponses },
        },
      },
      async (req, reply) => national(req, reply, req.query.date, 'trend', (date) => getNationalTrend(ctx.db, undefined, date)),
    );
    app.get(
      '/units/:id/summary',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getUnitSummary',
          tags,
          summary: 'Tổng hợp tình hình đạt chuẩn của đơn vị tại một ngày / status of every commune under a unit on a date',
          params: UnitIdParams,
          querystring: DateQuery,
          response: { 200: UnitSummarySchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const date = assertIsoDate(req.query.date ?? todayInVietnam(), 'date');
        const actor = actorOf(req);
        // Checked before the cache: a cached answer is never handed to someone outside the unit's scope.
        await authorize(ctx.db, actor, 'summary.read', req.params.id);
        const json = await cache.json(ctx.db, `summary|${req.params.id}|${date}`, () => getUnitSummary(ctx.db, req.params.id, date, actor));
        return sendCachedJson(req, reply, json);
      },
    );
    app.get(
      '/units/:id/trend',
      {
        config: { action: 'summary.read' },
        schema: { operationId: 'getUnitTrend', tags, summary: 'Diễn biến qua các kỳ rà soát / trend across review dates', params: UnitIdParams, querystring: DateQuery, response: { 200: UnitTrendSchema, ...errorResponses } },
      },
      async (req) => ({ points: await getUnitTrend(ctx.db, req.params.id, assertIsoDate(req.query.date ?? todayInVietnam(), 'date'), actorOf(req)) }),
    );
  };
}
