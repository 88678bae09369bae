/**
 * Who is making an HTTP request: the signed-in user (`<username>`, source `web`), the API token
 * (`token:<name>`, source `api`) or `anonymous` — always with the access the policy gives them.
 * Set by the auth hook (src/http/auth.ts); a request that somehow skipped it is anonymous and
 * may do nothing (fails closed).
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../services/actor.ts';
import { ScopeResolver } from '../services/access.service.ts';
import { todayInVietnam } from '../domain/dates.ts';

const NOBODY_SCOPES = new ScopeResolver();

export function actorOf(req: FastifyRequest): Actor {
  if (req.actor) return req.actor;
  return { id: 'anonymous', source: 'api', ip: req.ip, access: { principal: { kind: 'anonymous', demoViewer: false }, scopes: NOBODY_SCOPES, today: () => todayInVietnam() } };
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
