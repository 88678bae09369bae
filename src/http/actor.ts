/** Who is making an HTTP request. Until accounts exist (issue 5) writes are attributed to `anonymous`. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../services/actor.ts';

export function actorOf(req: FastifyRequest): Actor {
  const viaApi = typeof req.headers['x-datchuan-client'] === 'string' || !String(req.headers['user-agent'] ?? '').includes('Mozilla');
  return { id: 'anonymous', source: viaApi ? 'api' : 'web', ip: req.ip };
}

/** The version a client read: `If-Match: "3"` (or W/"3"), else `version` in the body. */
export function expectedVersion(req: FastifyRequest, bodyVersion: number | undefined): number | undefined {
  const h = req.headers['if-match'];
  if (typeof h === 'string') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
    if (m) return Number(m[1]);
  }
  return bodyVersion;
}
