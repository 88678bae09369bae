/** Đơn vị hành chính: search, the tree on a date, one unit with its parents and lineage, children, attributes. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses, UnitIdParams, writeErrorResponses } from '../schemas/common.schema.ts';
import { SetAttributeBody, SetAttributeResultSchema, TreeQuery, UnitChildrenSchema, UnitDetailSchema, UnitSearchQuery, UnitSearchResultSchema, UnitTreeSchema } from '../schemas/unit.schema.ts';
import { getUnit, listChildren, searchUnits, getTree, setUnitAttribute } from '../../services/unit.service.ts';
import { actorOf } from '../actor.ts';

const tags = ['units'];

export function unitRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const k = ctx.db.kysely;
    app.get(
      '/units/search',
      {
        config: { action: 'unit.read' },
        schema: {
          operationId: 'searchUnits',
          tags,
          summary: 'Tìm đơn vị hành chính theo tên (không dấu) / search units by name, accent-insensitive',
          querystring: UnitSearchQuery,
          response: { 200: UnitSearchResultSchema, ...errorResponses },
        },
      },
      async (req) => ({ items: await searchUnits(k, req.query) }),
    );
    app.get(
      '/units/tree',
      {
        config: { action: 'unit.read' },
        schema: { operationId: 'getUnitTree', tags, summary: 'Cây đơn vị hành chính tại một ngày / unit tree valid on a date', querystring: TreeQuery, response: { 200: UnitTreeSchema, ...errorResponses } },
      },
      async (req) => getTree(k, { date: req.query.date }),
    );
    app.get(
      '/units/:id',
      {
        config: { action: 'unit.read' },
        schema: {
          operationId: 'getUnit',
          tags,
          summary: 'Một đơn vị, các cấp trên, trước/sau sáp nhập / one unit with parents and lineage',
          params: UnitIdParams,
          response: { 200: UnitDetailSchema, ...errorResponses },
        },
      },
      async (req) => getUnit(k, req.params.id),
    );
    app.get(
      '/units/:id/children',
      {
        config: { action: 'unit.read' },
        schema: { operationId: 'listUnitChildren', tags, summary: 'Đơn vị trực thuộc / child units', params: UnitIdParams, response: { 200: UnitChildrenSchema, ...errorResponses } },
      },
      async (req) => ({ items: await listChildren(k, req.params.id) }),
    );
    app.post(
      '/units/:id/attributes',
      {
        config: { action: 'unit.write' },
        schema: {
          operationId: 'setUnitAttribute',
          tags,
          summary: 'Đặt vùng, nhóm xã hoặc trạng thái đặc biệt cho một khoảng thời gian / set region, commune group or special status for a period',
          params: UnitIdParams,
          body: SetAttributeBody,
          response: { 200: SetAttributeResultSchema, ...writeErrorResponses },
        },
      },
      async (req) => setUnitAttribute(ctx.db, actorOf(req), { unitId: req.params.id, ...req.body, value: req.body.value === null ? null : String(req.body.value) }),
    );
  };
}
