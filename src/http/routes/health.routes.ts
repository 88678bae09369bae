import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { publicErrorResponses } from '../schemas/common.schema.ts';
import { HealthSchema } from '../schemas/health.schema.ts';
import { checkHealth } from '../../services/health.service.ts';

export function healthRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/health',
      {
        config: { action: 'health.read' },
        schema: { operationId: 'getHealth', tags: ['system'], summary: 'Tình trạng hệ thống / health', response: { 200: HealthSchema, ...publicErrorResponses } },
      },
      async () => checkHealth(ctx.db),
    );
  };
}
