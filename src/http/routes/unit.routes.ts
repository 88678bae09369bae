import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses, IsoDate } from '../schemas/common.schema.ts';
import { UnitDetailSchema, UnitRef, UnitSearchQuery } from '../schemas/unit.schema.ts';
import { getUnit, listChildren, searchUnits, getTree, setUnitAttribute } from '../../services/unit.service.ts';
import { actorOf } from '../actor.ts';
import { listReviewsForUnit } from '../../services/review.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export function unitRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const k = ctx.db.kysely;
    app.get(
      '/units/search',
      {
        config: { action: 'unit.read' },
        schema: {
          tags: ['units'],
          summary: 'Tìm đơn vị hành chính theo tên (không dấu) / search units by name, accent-insensitive',
          querystring: UnitSearchQuery,
          response: { 200: Type.Object({ items: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses },
        },
      },
      async (req) => ({ items: await searchUnits(k, req.query) }),
    );
    app.get(
      '/units/tree',
      {
        config: { action: 'unit.read' },
        schema: {
          tags: ['units'],
          summary: 'Cây đơn vị hành chính tại một ngày / unit tree valid on a date',
          querystring: Type.Object({ date: Type.Optional(IsoDate) }),
          response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
        },
      },
      async (req) => getTree(k, { date: req.query.date }),
    );
    app.get(
      '/units/:id',
      {
        config: { action: 'unit.read' },
        schema: { tags: ['units'], summary: 'Một đơn vị, các cấp trên, trước/sau sáp nhập / one unit with parents and lineage', params: IdParams, response: { 200: UnitDetailSchema, ...errorResponses } },
      },
      async (req) => getUnit(k, req.params.id),
    );
    app.get(
      '/units/:id/children',
      {
        config: { action: 'unit.read' },
        schema: { tags: ['units'], summary: 'Đơn vị trực thuộc / child units', params: IdParams, response: { 200: Type.Object({ items: Type.Array(UnitRef) }), ...errorResponses } },
      },
      async (req) => ({ items: await listChildren(k, req.params.id) }),
    );
    app.get(
      '/units/:id/reviews',
      {
        config: { action: 'review.read' },
        schema: {
          tags: ['reviews'],
          summary: 'Các bản rà soát của xã và của các xã trước sáp nhập / reviews of a commune and its predecessors',
          params: IdParams,
          response: { 200: Type.Object({ groups: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses },
        },
      },
      async (req) => ({ groups: await listReviewsForUnit(ctx.db, req.params.id, actorOf(req)) }),
    );
    app.post(
      '/units/:id/attributes',
      {
        config: { action: 'unit.write' },
        schema: {
          tags: ['units'],
          summary: 'Đặt vùng, nhóm xã hoặc trạng thái đặc biệt cho một khoảng thời gian / set region, commune group or special status for a period',
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Union([Type.Literal('region'), Type.Literal('group'), Type.Literal('special')]),
              value: Type.Union([Type.String({ maxLength: 40 }), Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
              validFrom: IsoDate,
              validTo: Type.Optional(Type.Union([IsoDate, Type.Null()])),
              source: Type.Optional(Type.String({ maxLength: 300 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
        },
      },
      async (req) => setUnitAttribute(ctx.db, actorOf(req), { unitId: req.params.id, ...req.body, value: req.body.value === null ? null : String(req.body.value) }),
    );
  };
}
