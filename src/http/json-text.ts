import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedJson } from '../platform/read-cache.ts';

/**
 * Send JSON that is already serialised (a read-cache hit, src/platform/read-cache.ts): Fastify
 * passes strings through untouched. Its route still declares the schema; strict responses parse
 * and check such bodies too.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json as unknown as object);
}

/** Below this a gzip answer saves too little to be worth a header. */
const GZIP_MIN_BYTES = 1024;

/** Whether `Accept-Encoding` lists gzip (or `*`) with a quality above zero. */
export function acceptsGzip(req: FastifyRequest): boolean {
  const h = req.headers['accept-encoding'];
  if (typeof h !== 'string') return false;
  return h.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Send a cached answer, gzipped when the client accepts it (every browser does): the dashboards'
 * answers are tens of kilobytes of repetitive JSON, compressed once per data revision and reused.
 */
export function sendCachedJson(req: FastifyRequest, reply: FastifyReply, cached: CachedJson): FastifyReply {
  reply.header('Vary', 'Accept-Encoding');
  if (cached.json.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
    return reply.type('application/json; charset=utf-8').header('Content-Encoding', 'gzip').send(cached.gzip());
  }
  return sendJsonText(reply, cached.json);
}
