/**
 * `GET /criteria-sets/:id/definition` — the resolved set exactly as the evaluation engine takes it
 * (`getCatalog().get(id)`): the web app's review form runs `evaluateCommune` on it as the officer
 * types, so what the form shows is what the server will compute on save.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { getCatalog } from '../../catalog/catalog.ts';

const Loose = Type.Object({}, { additionalProperties: true });

export function criteriaDefinitionRoutes(_ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/criteria-sets/:id/definition',
      {
        config: { action: 'catalog.read' },
        schema: {
          tags: ['criteria'],
          summary: 'Bộ tiêu chí đầy đủ như bộ máy đánh giá dùng / the resolved set as the evaluation engine takes it',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          response: { 200: Loose, ...errorResponses },
        },
      },
      async (req) => getCatalog().get(req.params.id),
    );
  };
}
