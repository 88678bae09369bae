/**
 * Two request-wide rules (docs/security.md#hardening):
 *  - a NUL character (U+0000) in any path parameter, query value, JSON key or string is refused as
 *    bad input (400 naming the field): PostgreSQL cannot store it in text and would answer 500, and
 *    no field of ours has a use for it — the same answer on SQLite;
 *  - answers of the API are never stored by a browser or proxy (`Cache-Control: no-store`), so a
 *    shared office computer keeps no copy of them: always for a signed-in caller (session or
 *    token), and for anyone when the route did not choose its own caching (the public pages do).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';

const MAX_DEPTH = 64;

/** The path of the first string (or key) holding a NUL, or null. */
export function nulPath(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulPath(value[i], `${at}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return at;
    const p = nulPath(v, `${at}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}

function nulError(field: string): DomainError {
  const vi = `Dữ liệu không hợp lệ ở "${field}": có ký tự NUL (U+0000), không được phép.`;
  const en = `Invalid input at "${field}": it contains a NUL character (U+0000), which is not allowed.`;
  return new DomainError('validation_failed', { vi, en }, { fields: [{ field, message: en, message_vi: vi }] });
}

function signedIn(req: FastifyRequest): boolean {
  const id = req.actor?.id;
  return typeof id === 'string' && id !== 'anonymous';
}

export function installHardening(app: FastifyInstance): void {
  // preValidation: after the body is parsed, before the schema and the handler see it.
  app.addHook('preValidation', async (req) => {
    const field = nulPath(req.params, 'params') ?? nulPath(req.query, 'query') ?? nulPath(req.body, 'body');
    if (field) throw nulError(field);
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && (signedIn(req) || !reply.hasHeader('Cache-Control'))) reply.header('Cache-Control', 'no-store');
  });
}
