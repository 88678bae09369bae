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
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../actor.ts';
import { binaryContent, errorResponses, fileResponse, publicErrorResponses } from '../schemas/common.schema.ts';
import { EntityParams, FEED_FORMATS, FeedIndexSchema, FeedPageSchema, FeedQuery } from '../schemas/feed.schema.ts';
import { FEED_ENTITIES, FEED_FORMAT, MAX_FEED_LIMIT, csvHeader, getFeedPage, toCsvLines, toJsonLines } from '../../services/feed.service.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../../docs/feed.schema.json', import.meta.url));
const tags = ['feed'];
const SCHEMA_TYPE = 'application/schema+json';
const JSONL_TYPE = 'application/x-ndjson';
const CSV_TYPE = 'text/csv';

export function feedRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    let schemaText: string | null = null;
    app.get(
      '/feed',
      { config: { action: 'feed.read' }, schema: { operationId: 'getFeedIndex', tags, summary: 'Danh mục dữ liệu chia sẻ / feed entities', response: { 200: FeedIndexSchema, ...errorResponses } } },
      async () => ({ format: FEED_FORMAT as typeof FEED_FORMAT, entities: [...FEED_ENTITIES], schema: '/api/v1/feed/schema.json', formats: [...FEED_FORMATS], maxLimit: MAX_FEED_LIMIT }),
    );
    app.get(
      '/feed/schema.json',
      {
        config: { action: 'public' },
        schema: {
          operationId: 'getFeedSchema',
          tags,
          summary: 'Lược đồ JSON của dữ liệu chia sẻ / JSON Schema of the feed',
          security: [],
          response: { 200: fileResponse('JSON Schema (draft 2020-12) của các bản ghi / of the records', [SCHEMA_TYPE]), ...publicErrorResponses },
        },
      },
      async (_req, reply) => {
        schemaText ??= readFileSync(SCHEMA_FILE, 'utf8');
        return reply.type(`${SCHEMA_TYPE}; charset=utf-8`).send(schemaText);
      },
    );
    app.get(
      '/feed/:entity',
      {
        config: { action: 'feed.read' },
        schema: {
          operationId: 'getFeedPage',
          tags,
          summary: 'Một trang dữ liệu chia sẻ (JSON, JSON Lines, CSV) / one page of the feed',
          params: EntityParams,
          querystring: FeedQuery,
          response: {
            200: {
              description: 'format=json: the page; jsonl, csv: the records (next page in the Link and X-Next-Cursor headers)',
              content: { 'application/json': { schema: FeedPageSchema }, ...binaryContent([JSONL_TYPE, CSV_TYPE]) },
            },
            ...errorResponses,
          },
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
        if (format === 'jsonl') return reply.type(`${JSONL_TYPE}; charset=utf-8`).send(toJsonLines(page.items));
        if (format === 'csv') return reply.type(`${CSV_TYPE}; charset=utf-8`).send(`${csvHeader(page.entity)}${toCsvLines(page.entity, page.items)}`);
        return page;
      },
    );
  };
}
