/** `/.well-known/security.txt` (RFC 9116): where to report a vulnerability. */
import type { FastifyPluginAsync } from 'fastify';

export function wellKnownRoutes(opts: { contact: string; startedAt?: Date }): FastifyPluginAsync {
  // Expires is required; a year after the server started (it is regenerated at every start).
  const expires = new Date((opts.startedAt ?? new Date()).getTime() + 365 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const body = [
    `Contact: ${opts.contact}`,
    `Expires: ${expires}`,
    'Preferred-Languages: vi, en',
    '',
  ].join('\n');
  return async (app) => {
    app.get('/.well-known/security.txt', { config: { action: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(body),
    );
  };
}
