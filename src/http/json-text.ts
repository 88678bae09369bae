import type { FastifyReply } from 'fastify';

/**
 * Send JSON that is already serialised (a read-cache hit, src/platform/read-cache.ts): Fastify
 * passes strings through untouched. Its route still declares the schema; strict responses parse
 * and check such bodies too.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json as unknown as object);
}
