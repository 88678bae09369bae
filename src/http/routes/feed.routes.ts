/**
 * Dữ liệu chia sẻ (for API-token clients):
 *   GET /feed                       the entities, the format version and the schema's address
 *   GET /feed/schema.json           the JSON Schema (draft 2020-12) of every record
 *   GET /feed/:entity?updatedSince=…&cursor=…&limit=…&format=json|jsonl|csv&unitId=…
 *       json: { format, entity, asOf, items, nextCursor }; jsonl and csv: the records, with the
 *       next page in `Link: <…>; rel="next"` and `X-Next-Cursor`, and `X-Feed-As-Of`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { FEED_ENTITIES, FEED_FORMAT, MAX_FEED_LIMIT, csvHeader, getFeedPage, toCsvLines, toJsonLines } from '../../services/feed.service.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../../docs/feed.schema.json', import.meta.url));

const EntityParams = Type.Object({ entity: Type.Union(FEED_ENTITIES.map((e) => Type.Literal(e))) });
const FeedQuery = Type.Object({
  updatedSince: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, ví dụ 2025-07-01T00:00:00Z' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_LIMIT, default: 1000 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('jsonl'), Type.Literal('csv')])),
  unitId: Type.Optional(Type.String({ maxLength: 40 })),
});
const Loose = Type.Object({}, { additionalProperties: true });
const Text = Type.Unsafe<string>({ type: 'string' });

export function feedRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    let schemaText: string | null = null;
    app.get(
      '/feed',
      { config: { action: 'feed.read' }, schema: { tags: ['feed'], summary: 'Danh mục dữ liệu chia sẻ / feed entities', response: { 200: Loose, ...errorResponses } } },
      async () => ({ format: FEED_FORMAT, entities: FEED_ENTITIES, schema: '/api/v1/feed/schema.json', formats: ['json', 'jsonl', 'csv'], maxLimit: MAX_FEED_LIMIT }),
    );
    app.get(
      '/feed/schema.json',
      { config: { action: 'public' }, schema: { tags: ['feed'], summary: 'Lược đồ JSON của dữ liệu chia sẻ / JSON Schema of the feed', response: { 200: Text } } },
      async (_req, reply) => {
        schemaText ??= readFileSync(SCHEMA_FILE, 'utf8');
        return reply.type('application/schema+json; charset=utf-8').send(schemaText);
      },
    );
    app.get(
      '/feed/:entity',
      {
        config: { action: 'feed.read' },
        schema: {
          tags: ['feed'],
          summary: 'Một trang dữ liệu chia sẻ (JSON, JSON Lines, CSV) / one page of the feed',
          params: EntityParams,
          querystring: FeedQuery,
          response: { 200: Type.Union([Loose, Text]), ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const page = await getFeedPage(ctx.db, req.params.entity, { updatedSince: q.updatedSince ?? null, cursor: q.cursor ?? null, limit: q.limit ?? 1000, unitId: q.unitId ?? null }, actorOf(req));
        const format = q.format ?? 'json';
        reply.header('X-Feed-As-Of', page.asOf);
        if (page.nextCursor) {
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries({ ...q, cursor: page.nextCursor })) if (v !== undefined && v !== null) next.set(k, String(v));
          reply.header('X-Next-Cursor', page.nextCursor);
          reply.header('Link', `</api/v1/feed/${page.entity}?${next.toString()}>; rel="next"`);
        }
        if (format === 'jsonl') return reply.type('application/x-ndjson; charset=utf-8').send(toJsonLines(page.items));
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(`${csvHeader(page.entity)}${toCsvLines(page.entity, page.items)}`);
        return page;
      },
    );
  };
}
