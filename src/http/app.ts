/**
 * The Fastify application: TypeBox schemas on every route (OpenAPI 3 generated from them at
 * `/api/v1/openapi.json`, readable docs at `/api/docs`), one error envelope, and the built web
 * app served with a single-page fallback. Route handlers are one line that calls a service.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { envelope, installErrorHandling } from './errors.ts';
import { installValidation } from './validation.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { unitRoutes } from './routes/unit.routes.ts';
import { criteriaSetRoutes } from './routes/criteria-set.routes.ts';
import { reviewRoutes } from './routes/review.routes.ts';
import { summaryRoutes } from './routes/summary.routes.ts';
import { criteriaDefinitionRoutes } from './routes/criteria-definition.routes.ts';
import { mapRoutes } from './routes/map.routes.ts';
import { attachmentRoutes } from './routes/attachment.routes.ts';

export interface AppOptions {
  db: Db;
  logger?: boolean | { level: string };
  /** Folder of the built web app; served at `/` when it exists. */
  webDist?: string;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    genReqId: () => Math.random().toString(36).slice(2, 10),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installValidation(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Đạt Chuẩn API',
        description: 'API theo dõi, đánh giá xây dựng nông thôn mới / New Rural Development monitoring API',
        version: '1',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const ctx = { db: opts.db };
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(healthRoutes(ctx));
      await api.register(unitRoutes(ctx));
      await api.register(criteriaSetRoutes(ctx));
      await api.register(reviewRoutes(ctx));
      await api.register(summaryRoutes(ctx));
      await api.register(criteriaDefinitionRoutes(ctx));
      await api.register(mapRoutes(ctx));
      await api.register(attachmentRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );

  const webDist = opts.webDist ?? path.resolve('web/dist');
  if (existsSync(path.join(webDist, 'index.html'))) {
    // Hashed build output never changes under its name: cached for a year. Everything else
    // (index.html, geo files) is revalidated. The build writes .br/.gz beside each file.
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      setHeaders: (reply, file) => {
        const immutable = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)(\.gz|\.br)?$/.test(file);
        reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !existsSync(path.join(webDist, 'index.html'))) {
      return reply
        .status(404)
        .send(envelope(new DomainError('not_found', { vi: `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}.`, en: `No route ${req.method} ${req.url.split('?')[0]}.` })));
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
