/** Trang xã: everything the commune page shows on a date, cached until the next write. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { DateQuery, errorResponses, UnitIdParams } from '../schemas/common.schema.ts';
import { CommunePageSchema } from '../schemas/commune-page.schema.ts';
import { getCommunePage } from '../../services/commune-page.service.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { assertIsoDate } from '../validate.ts';
import { RevisionCache } from '../../platform/read-cache.ts';
import { authorize } from '../../services/access.service.ts';
import { actorOf } from '../actor.ts';
import { sendCachedJson } from '../json-text.ts';

export function communePageRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // One cache per app instance; entries die with the next write anywhere.
    const cache = new RevisionCache();
    app.get(
      '/units/:id/commune-page',
      {
        config: { action: 'summary.read' },
        schema: {
          operationId: 'getCommunePage',
          tags: ['summaries'],
          summary: 'Dữ liệu trang xã tại một ngày / commune page data on a date',
          params: UnitIdParams,
          querystring: DateQuery,
          response: { 200: CommunePageSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const date = assertIsoDate(req.query.date ?? todayInVietnam(), 'date');
        const actor = actorOf(req);
        // Checked before the cache: a cached answer is never handed to someone outside the unit's scope.
        await authorize(ctx.db, actor, 'summary.read', req.params.id);
        const json = await cache.json(ctx.db, `commune|${req.params.id}|${date}`, () => getCommunePage(ctx.db, req.params.id, date, actor));
        return sendCachedJson(req, reply, json);
      },
    );
  };
}
