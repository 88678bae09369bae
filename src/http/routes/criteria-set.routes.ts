import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { getCatalog } from '../../catalog/catalog.ts';
import { showSet } from '../../catalog/show.ts';
import { REGION_CODES, SPECIAL_STATUSES, type CommuneGroup, type RegionCode, type SpecialStatus } from '../../domain/criteria.ts';

const Loose = Type.Object({}, { additionalProperties: true });

export function criteriaSetRoutes(_ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/criteria-sets',
      {
        config: { action: 'catalog.read' },
        schema: {
          tags: ['criteria'],
          summary: 'Danh sách bộ tiêu chí, số tiêu chí/chỉ tiêu, đã kiểm chứng hay chưa / criteria sets with counts and verification',
          response: { 200: Type.Object({ items: Type.Array(Loose) }) },
        },
      },
      async () => ({ items: getCatalog().list() }),
    );
    app.get(
      '/criteria-sets/:id',
      {
        config: { action: 'catalog.read' },
        schema: {
          tags: ['criteria'],
          summary: 'Một bộ tiêu chí với ngưỡng áp dụng cho vùng / nhóm xã / năm / a set with targets resolved for region, group, year',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          querystring: Type.Object({
            region: Type.Optional(Type.Union(REGION_CODES.map((r) => Type.Literal(r)))),
            group: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
            year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
            special: Type.Optional(Type.Union(SPECIAL_STATUSES.map((s) => Type.Literal(s)))),
          }),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) =>
        showSet(getCatalog().get(req.params.id), {
          region: (req.query.region as RegionCode | undefined) ?? null,
          group: (req.query.group as CommuneGroup | undefined) ?? null,
          year: req.query.year ?? null,
          special: (req.query.special as SpecialStatus | undefined) ?? null,
        }),
    );
  };
}
