import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { getUnitSummary, getUnitTrend } from '../../services/summary.service.ts';
import { getCommunePage } from '../../services/commune-page.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { assertIsoDate } from '../validate.ts';
import { RevisionCache } from '../../platform/read-cache.ts';
import { authorize } from '../../services/access.service.ts';
import { actorOf } from '../actor.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const DateQuery = Type.Object({ date: Type.Optional(IsoDate) });
const Loose = Type.Object({}, { additionalProperties: true });

/** Send already-serialised JSON (a cached response): Fastify passes strings through untouched. */
function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json as unknown as object);
}

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
          tags: ['summaries'],
          summary: 'Tổng hợp tình hình đạt chuẩn của đơn vị tại một ngày / status of every commune under a unit on a date',
          params: IdParams,
          querystring: DateQuery,
          response: { 200: Loose, ...errorResponses },
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
        schema: { tags: ['summaries'], summary: 'Diễn biến qua các kỳ rà soát / trend across review dates', params: IdParams, querystring: DateQuery, response: { 200: Type.Object({ points: Type.Array(Loose) }), ...errorResponses } },
      },
      async (req) => ({ points: await getUnitTrend(ctx.db, req.params.id, assertIsoDate(req.query.date ?? todayInVietnam(), 'date'), actorOf(req)) }),
    );
    app.get(
      '/units/:id/commune-page',
      {
        config: { action: 'summary.read' },
        schema: { tags: ['summaries'], summary: 'Dữ liệu trang xã tại một ngày / commune page data on a date', params: IdParams, querystring: DateQuery, response: { 200: Loose, ...errorResponses } },
      },
      async (req, reply) => {
        const date = assertIsoDate(req.query.date ?? todayInVietnam(), 'date');
        const actor = actorOf(req);
        await authorize(ctx.db, actor, 'summary.read', req.params.id);
        const json = await cache.json(ctx.db, `commune|${req.params.id}|${date}`, () => getCommunePage(ctx.db, req.params.id, date, actor));
        return sendJsonText(reply, json);
      },
    );
  };
}
