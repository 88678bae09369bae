/**
 * Công khai — the public portal's lists (no sign-in, action `public`):
 *   GET  /public/consultations                 dossiers open for comments now
 *   GET  /public/recognitions?provinceId=&q=   recognised communes and their current level
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { publicErrorResponses } from '../schemas/common.schema.ts';
import { OpenConsultationListSchema, PublicRecognitionListSchema, RecognitionQuery } from '../schemas/transparency.schema.ts';
import { todayInVietnam } from '../../domain/dates.ts';
import { listOpenConsultations, publicRecognitions } from '../../services/transparency.service.ts';

const tags = ['public'];

export function transparencyRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/public/consultations',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'listOpenConsultations',
          tags,
          summary: 'Hồ sơ đang lấy ý kiến nhân dân / dossiers open for public comments',
          security: [],
          response: { 200: OpenConsultationListSchema, ...publicErrorResponses },
        },
      },
      async () => ({ items: await listOpenConsultations(ctx.db, todayInVietnam(ctx.auth.clock())) }),
    );
    app.get(
      '/public/recognitions',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'listPublicRecognitions',
          tags,
          summary: 'Danh sách xã được công nhận / recognised communes',
          security: [],
          querystring: RecognitionQuery,
          response: { 200: PublicRecognitionListSchema, ...publicErrorResponses },
        },
      },
      async (req) => ({ items: await publicRecognitions(ctx.db, { provinceId: req.query.provinceId ?? null, q: req.query.q ?? null }) }),
    );
  };
}
