import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { getUnitSummary, getUnitTrend } from '../../services/summary.service.ts';
import { getCommunePage } from '../../services/commune-page.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { assertIsoDate } from '../validate.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const DateQuery = Type.Object({ date: Type.Optional(IsoDate) });
const Loose = Type.Object({}, { additionalProperties: true });

export function summaryRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/units/:id/summary',
      {
        schema: {
          tags: ['summaries'],
          summary: 'Tổng hợp tình hình đạt chuẩn của đơn vị tại một ngày / status of every commune under a unit on a date',
          params: IdParams,
          querystring: DateQuery,
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => getUnitSummary(ctx.db, req.params.id, assertIsoDate(req.query.date ?? todayInVietnam(), 'date')),
    );
    app.get(
      '/units/:id/trend',
      {
        schema: { tags: ['summaries'], summary: 'Diễn biến qua các kỳ rà soát / trend across review dates', params: IdParams, querystring: DateQuery, response: { 200: Type.Object({ points: Type.Array(Loose) }), ...errorResponses } },
      },
      async (req) => ({ points: await getUnitTrend(ctx.db, req.params.id, assertIsoDate(req.query.date ?? todayInVietnam(), 'date')) }),
    );
    app.get(
      '/units/:id/commune-page',
      {
        schema: { tags: ['summaries'], summary: 'Dữ liệu trang xã tại một ngày / commune page data on a date', params: IdParams, querystring: DateQuery, response: { 200: Loose, ...errorResponses } },
      },
      async (req) => getCommunePage(ctx.db, req.params.id, assertIsoDate(req.query.date ?? todayInVietnam(), 'date')),
    );
  };
}
