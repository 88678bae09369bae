/**
 * Strict responses: a response property the schema forgets, a wrong type, an undeclared status or
 * content type, and a pre-serialised body that breaks its schema all fail loudly (500 naming the
 * route and the JSON path); a matching answer, a declared file and the fast path pass untouched.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { installErrorHandling } from './errors.ts';
import { closedSchema, installStrictResponses } from './strict-responses.ts';
import { binaryContent, Closed, ErrorEnvelope } from './schemas/common.schema.ts';
import { sendJsonText } from './json-text.ts';

const Item = Type.Object({ id: Type.Integer(), name: Type.String() });
const responses = { 200: Type.Object({ items: Type.Array(Item) }), 500: ErrorEnvelope };

function build(strict: boolean): FastifyInstance {
  const app = Fastify();
  installErrorHandling(app);
  if (strict) installStrictResponses(app);
  app.get('/exact', { schema: { response: responses } }, async () => ({ items: [{ id: 1, name: 'a' }] }));
  app.get('/extra', { schema: { response: responses } }, async () => ({ items: [{ id: 1, name: 'a', secret: 'dropped' }] }));
  app.get('/wrong-type', { schema: { response: responses } }, async () => ({ items: [{ id: 'x', name: 'a' }] }));
  app.get('/cached', { schema: { response: responses } }, async (_req, reply) => sendJsonText(reply, JSON.stringify({ items: [{ id: 1, name: 'a', extra: true }] })));
  app.get('/undeclared-status', { schema: { response: responses } }, async (_req, reply) => (reply as unknown as FastifyReply).status(201).send({ items: [] }));
  app.get('/file', { schema: { response: { 200: { description: 'a file', content: binaryContent(['text/csv']) }, 500: ErrorEnvelope } } }, async (_req, reply) => reply.type('text/csv').send('a,b\n'));
  app.get('/wrong-file', { schema: { response: { 200: { description: 'a file', content: binaryContent(['text/csv']) }, 500: ErrorEnvelope } } }, async (_req, reply) => reply.type('text/plain').send('a'));
  return app;
}

describe('strict responses', () => {
  let strict: FastifyInstance;
  let lax: FastifyInstance;
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  beforeAll(async () => {
    strict = build(true);
    lax = build(false);
    await Promise.all([strict.ready(), lax.ready()]);
  });
  afterAll(async () => {
    errors.mockRestore();
    await Promise.all([strict.close(), lax.close()]);
  });

  it('lets a response that matches its schema through unchanged', async () => {
    const res = await strict.inject('/exact');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ id: 1, name: 'a' }] });
    expect((await strict.inject('/file')).statusCode).toBe(200);
  });

  it('shows the silent loss it guards against: without it, an undeclared property is dropped', async () => {
    const res = await lax.inject('/extra');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ id: 1, name: 'a' }] });
  });

  it('fails an undeclared property, a wrong type, a bad cached body, an undeclared status or content type with 500 naming the route and path', async () => {
    const extra = await strict.inject('/extra');
    expect(extra.statusCode).toBe(500);
    expect(extra.json()).toMatchObject({ error: { code: 'internal', details: { route: 'GET /extra', status: 200, problems: [{ path: '/items/0/secret' }] } } });
    expect(extra.json().error.message).toMatch(/GET \/extra \(200\).*\/items\/0\/secret/);
    const wrong = await strict.inject('/wrong-type');
    expect(wrong.json()).toMatchObject({ error: { details: { problems: [{ path: '/items/0/id', message: 'must be integer' }] } } });
    const cached = await strict.inject('/cached');
    expect(cached.json()).toMatchObject({ error: { details: { route: 'GET /cached', problems: [{ path: '/items/0/extra' }] } } });
    expect((await strict.inject('/undeclared-status')).json().error.message).toMatch(/status 201 is not declared/);
    expect((await strict.inject('/wrong-file')).json().error.message).toMatch(/content type text\/plain is not declared/);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^\[strict responses\] Response of GET \/extra/));
  });

  it('closes every object of a schema, keeping maps (patternProperties) and explicit schemas for extra properties', () => {
    const schema = closedSchema(
      Type.Object({
        a: Type.Object({ b: Type.String() }),
        map: Type.Record(Type.String(), Type.Integer()),
        open: Type.Object({}, { additionalProperties: true }),
        closed: Closed({ c: Type.Boolean() }),
        properties: Type.Object({ type: Type.String() }),
      }),
    ) as Record<string, any>;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.a.additionalProperties).toBe(false);
    expect(schema.properties.map.additionalProperties).toBeUndefined();
    expect(schema.properties.open.additionalProperties).toBe(false);
    expect(schema.properties.closed.additionalProperties).toBe(false);
    expect(schema.properties.properties.properties.type).toEqual({ type: 'string' });
  });
});
