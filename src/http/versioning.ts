/** Optimistic locking over HTTP: the version read comes as If-Match (or `version`), the current one leaves as ETag. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { expectedVersion } from './actor.ts';

/** The version the client read, or a 400 naming the field. */
export function versionOf(req: FastifyRequest, bodyVersion?: number): number {
  const v = expectedVersion(req, bodyVersion);
  if (v === undefined) {
    throw new DomainError(
      'validation_failed',
      { vi: 'Thiếu phiên bản đã đọc: gửi trường "version" hoặc tiêu đề If-Match.', en: 'Missing the version you read: send "version" or an If-Match header.' },
      { fields: [{ field: 'version' }] },
    );
  }
  return v;
}

export function etag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  reply.header('ETag', `"${body.version}"`);
  return body;
}
