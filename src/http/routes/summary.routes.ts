/** Tổng hợp: a unit's status on a date (cached until the next write) and its trend across review dates. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { DateQuery, errorResponses, UnitIdParams } from '../schemas/common.schema.ts';
import { UnitSummarySchema, UnitTrendSchema } from '../schemas/summary.schema.ts';
import { getUnitSummary, getUnitTrend } from '../../services/summary.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { assertIsoDate } from '../validate.ts';
import { RevisionCache } from '../../platform/read-cache.ts';
import { authorize } from '../../services/access.service.ts';
import { actorOf } from '../actor.ts';
import { sendJsonText } from '../json-text.ts';

const tags = ['summaries'];

export function summaryRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // One cache per app instance; entries die with the next write anywhere.
    const cache = new RevisionCache();
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
        return sendJsonText(reply, json);
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
