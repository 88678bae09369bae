/** Bộ tiêu chí: the catalogue, a set with targets resolved for a context, and the resolved set the engine takes. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { CriteriaSetDefinitionSchema, CriteriaSetListSchema, SetIdParams, SetVersionQuery, ShownSetSchema, ShowSetQuery } from '../schemas/criteria-set.schema.ts';
import { exportSetWorkbook, getCriteriaSetDefinition, listCriteriaSets, showCriteriaSet } from '../../services/criteria-set.service.ts';
import { contentDisposition } from '../content-disposition.ts';
import { fileResponse, XLSX_TYPE } from '../schemas/common.schema.ts';

const tags = ['criteria'];

export function criteriaSetRoutes(_ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/criteria-sets',
      {
        config: { action: 'catalog.read' },
        schema: {
          operationId: 'listCriteriaSets',
          tags,
          summary: 'Danh sách bộ tiêu chí, số tiêu chí/chỉ tiêu, đã kiểm chứng hay chưa / criteria sets with counts and verification',
          response: { 200: CriteriaSetListSchema, ...errorResponses },
        },
      },
      async () => ({ items: listCriteriaSets() }),
    );
    app.get(
      '/criteria-sets/:id',
      {
        config: { action: 'catalog.read' },
        schema: {
          operationId: 'showCriteriaSet',
          tags,
          summary: 'Một bộ tiêu chí với ngưỡng áp dụng cho vùng / nhóm xã / năm / a set with targets resolved for region, group, year',
          params: SetIdParams,
          querystring: ShowSetQuery,
          response: { 200: ShownSetSchema, ...errorResponses },
        },
      },
      async (req) => showCriteriaSet(req.params.id, req.query),
    );
    app.get(
      '/criteria-sets/:id/definition',
      {
        config: { action: 'catalog.read' },
        schema: {
          operationId: 'getCriteriaSetDefinition',
          tags,
          summary: 'Bộ tiêu chí đầy đủ như bộ máy đánh giá dùng / the resolved set as the evaluation engine takes it',
          params: SetIdParams,
          querystring: SetVersionQuery,
          response: { 200: CriteriaSetDefinitionSchema, ...errorResponses },
        },
      },
      async (req) => getCriteriaSetDefinition(req.params.id, req.query.date),
    );
    app.get(
      '/criteria-sets/:id/workbook.xlsx',
      {
        config: { action: 'catalog.read' },
        schema: {
          operationId: 'exportCriteriaSetWorkbook',
          tags,
          summary: 'Bộ tiêu chí ra Excel: mọi phương án ngưỡng, hoặc ngưỡng cho một vùng / nhóm xã / năm / a set as a workbook (every variant, or one context)',
          params: SetIdParams,
          querystring: ShowSetQuery,
          response: { 200: fileResponse('Bảng tính bộ tiêu chí / the set workbook', [XLSX_TYPE]), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { bytes, filename } = await exportSetWorkbook(req.params.id, req.query);
        return reply.type(XLSX_TYPE).header('Content-Disposition', contentDisposition(filename)).send(bytes);
      },
    );
  };
}
