import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { checkHealth } from '../../services/health.service.ts';

export function healthRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/health',
      {
        config: { action: 'health.read' },
        schema: {
          tags: ['system'],
          summary: 'Tình trạng hệ thống / health',
          response: {
            200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), dialect: Type.String(), demo: Type.Boolean(), version: Type.String() }),
          },
        },
      },
      async () => checkHealth(ctx.db),
    );
  };
}
