/** `GET /map/provinces?date=` — figures per province for the nationwide map (see map.service.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { ProvinceMapQuery, ProvinceMapSchema } from '../schemas/map.schema.ts';
import { assertIsoDate } from '../validate.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { RevisionCache } from '../../platform/read-cache.ts';
import { getProvinceMap } from '../../services/map.service.ts';
import { actorOf } from '../actor.ts';
import { sendCachedJson } from '../json-text.ts';

export function mapRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const cache = new RevisionCache(50);
    app.get(
      '/map/provinces',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getProvinceMap',
          tags: ['summaries'],
          summary: 'Số liệu theo tỉnh cho bản đồ toàn quốc / figures per province for the nationwide map',
          querystring: ProvinceMapQuery,
          response: { 200: ProvinceMapSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const date = assertIsoDate(req.query.date ?? todayInVietnam(), 'date');
        const actor = actorOf(req);
        // What a reader may see depends on their grants: cached per reader.
        const json = await cache.json(ctx.db, `provinces|${date}|${actor.id}`, () => getProvinceMap(ctx.db, date, actor));
        return sendCachedJson(req, reply, json);
      },
    );
  };
}
