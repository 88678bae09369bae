/**
 * Strict responses (on in every test app): each answer of a route that declares its responses is
 * checked against them before it leaves — the status must be declared, the content type must be
 * one declared for it, and a JSON body must match its schema with undeclared properties refused.
 *
 * Why: Fastify serialises a JSON response from its schema (fast-json-stringify), which silently
 * drops a property the schema forgets — data the UI would never see. Under this check the whole
 * suite (HTTP tests, the authorization matrix, the fuzz test, the browser tests) proves that every
 * response it provokes is exactly what its schema says. Bodies sent already serialised (the read
 * cache, JSON report files) are parsed and checked too.
 *
 * A mismatch fails the request loudly: 500 `internal` naming the route, the status and the JSON
 * paths at fault (in the error's details and on stderr).
 */
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';

/** Keywords whose values are data (not schemas): copied as they are. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'required', 'description', 'title', 'pattern', 'format', '$id', '$ref']);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

/** A deep copy of a schema in which every object refuses properties it does not declare. */
export function closedSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closedSchema(v)]));
    else out[key] = closedSchema(value);
  }
  const isObject = out.type === 'object' || out.properties !== undefined;
  if (isObject && out.patternProperties === undefined && (out.additionalProperties === undefined || out.additionalProperties === true)) out.additionalProperties = false;
  return out;
}

interface ContentMap {
  content: Record<string, { schema: unknown }>;
}

function isContentMap(x: unknown): x is ContentMap {
  return typeof x === 'object' && x !== null && typeof (x as ContentMap).content === 'object' && (x as ContentMap).content !== null;
}

function mediaTypeOf(reply: FastifyReply): string {
  const header = reply.getHeader('content-type');
  return String(header ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json';
}

function describe(errors: ErrorObject[] | null | undefined): Array<{ path: string; message: string }> {
  return (errors ?? []).slice(0, 20).map((e) => {
    const extra = typeof e.params.additionalProperty === 'string' ? `/${e.params.additionalProperty}` : typeof e.params.missingProperty === 'string' ? `/${e.params.missingProperty}` : '';
    return { path: `${e.instancePath}${extra}` || '/', message: e.message ?? e.keyword };
  });
}

export function installStrictResponses(app: FastifyInstance): void {
  const ajv = new Ajv({ allErrors: true, strict: false, removeAdditional: false, useDefaults: false, coerceTypes: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  let sharedLoaded = false;
  const compiled = new WeakMap<object, ValidateFunction>();
  const checked = new WeakSet<FastifyRequest>();
  // A request whose answer already failed the check is answered 500 once, without a second check.
  const failed = new WeakSet<FastifyRequest>();

  function validatorOf(schema: object): ValidateFunction {
    if (!sharedLoaded) {
      // Schemas shared through app.addSchema (referenced by $ref), closed the same way.
      for (const s of Object.values(app.getSchemas())) ajv.addSchema(closedSchema(s) as object);
      sharedLoaded = true;
    }
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile(closedSchema(schema) as object);
      compiled.set(schema, v);
    }
    return v;
  }

  function fail(req: FastifyRequest, reply: FastifyReply, what: string, problems: Array<{ path: string; message: string }> = []): never {
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const status = reply.statusCode;
    const lines = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    const en = `Response of ${route} (${status}) breaks its schema: ${what}${lines ? ` — ${lines}` : ''}`;
    console.error(`[strict responses] ${en}`);
    failed.add(req);
    throw new DomainError('internal', { vi: `Phản hồi sai lược đồ: ${en}`, en }, { route, status, problems });
  }

  /** Check one answer; `serialised`: the body is JSON text (or bytes) rather than an object. */
  function check(req: FastifyRequest, reply: FastifyReply, body: unknown, serialised: boolean): void {
    const responses = req.routeOptions.schema?.response as Record<string, unknown> | undefined;
    // Routes that declare no response at all: the API docs, static files, security.txt.
    if (!responses || req.is404 || failed.has(req)) return;
    const status = String(reply.statusCode);
    const declared = responses[status] ?? responses[`${status[0]}xx`] ?? responses.default;
    if (declared === undefined) fail(req, reply, `status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`);
    if (status === '204' || body === null || body === undefined) return;
    const mediaType = mediaTypeOf(reply);
    let schema: unknown = declared;
    if (isContentMap(declared)) {
      const entry = declared.content[mediaType];
      if (!entry) fail(req, reply, `content type ${mediaType} is not declared (declared: ${Object.keys(declared.content).join(', ')})`);
      schema = entry.schema;
    } else if (!isJson(mediaType)) {
      fail(req, reply, `content type ${mediaType} is sent but only JSON is declared`);
    }
    if (!isJson(mediaType)) return;
    let value = body;
    if (serialised) {
      const bytes = Buffer.isBuffer(body) && reply.getHeader('content-encoding') === 'gzip' ? gunzipSync(body) : body;
      const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : typeof bytes === 'string' ? bytes : null;
      if (text === null) return; // a stream: not JSON we can read here
      try {
        value = JSON.parse(text);
      } catch {
        fail(req, reply, 'the body is not valid JSON');
      }
    }
    const validate = validatorOf(schema as object);
    if (!validate(value)) fail(req, reply, 'the body does not match', describe(validate.errors));
  }

  app.addHook('preSerialization', async (req, reply, payload) => {
    checked.add(req);
    check(req, reply, payload, false);
    return payload;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (checked.has(req)) return payload;
    checked.add(req);
    check(req, reply, payload, true);
    return payload;
  });
}
