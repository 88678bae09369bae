/**
 * Dự báo — forecasts of a unit's communes at a deadline (with the open task and dossier deadlines
 * at risk), the back-test of the method on the stored history, and the risk watch.
 *
 *   GET /forecasts?unitId=&deadline=&date=         forecast at the deadline
 *   GET /forecasts/backtest?unitId=&date=          hold out each series' last review, report the error
 *   GET /forecasts/risks?unitId=&date=             recognised communes near revocation, slipped indicators
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { ForecastQuery, RiskWatchSchema, UnitBacktestSchema, UnitDateQuery, UnitForecastSchema } from '../schemas/forecast.schema.ts';
import { backtestUnit, forecastUnit, riskWatch } from '../../services/forecast.service.ts';

const tags = ['forecasts'];

export function forecastRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/forecasts',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getForecast',
          tags,
          summary: 'Dự báo chỉ tiêu của các xã đến một hạn, các xã và nhiệm vụ, hồ sơ có nguy cơ trễ hạn / forecast at a deadline, communes and deadlines at risk',
          querystring: ForecastQuery,
          response: { 200: UnitForecastSchema, ...errorResponses },
        },
      },
      async (req) => forecastUnit(ctx.db, actorOf(req), req.query.unitId, req.query.deadline, req.query.date),
    );
    app.get(
      '/forecasts/backtest',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getForecastBacktest',
          tags,
          summary: 'Kiểm định phương pháp dự báo: giữ lại lần rà soát cuối, báo cáo sai số / back-test: hold out the last review, report the error',
          querystring: UnitDateQuery,
          response: { 200: UnitBacktestSchema, ...errorResponses },
        },
      },
      async (req) => backtestUnit(ctx.db, req.query.unitId, req.query.date, actorOf(req)),
    );
    app.get(
      '/forecasts/risks',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getRiskWatch',
          tags,
          summary: 'Theo dõi rủi ro: xã đã công nhận có nguy cơ bị thu hồi, chỉ tiêu đã đạt nay tụt / risk watch: revocation risks, slipped indicators',
          querystring: UnitDateQuery,
          response: { 200: RiskWatchSchema, ...errorResponses },
        },
      },
      async (req) => riskWatch(ctx.db, actorOf(req), req.query.unitId, req.query.date),
    );
  };
}
