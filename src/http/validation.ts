/**
 * Schema validation: the query string and path parameters are text on the wire, so their numbers
 * are coerced; a JSON body is taken exactly as sent (no coercion: `true` must never become 1).
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { MAX_INT } from './schemas/common.schema.ts';

const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

function make(coerce: boolean): Ajv {
  const ajv = new Ajv({ ...base, coerceTypes: coerce ? 'array' : false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

/**
 * Every number in a request is bounded, whether or not its schema says so: an integer to what a
 * PostgreSQL `integer` holds, any number to a finite value — `1e400` (in a query or in JSON) is
 * Infinity, which the type checks let through and the database refuses with a 500. A bound the
 * schema declares is kept.
 */
export function bounded(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bounded);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'example' ? v : bounded(v);
  const type = out.type;
  const limit = type === 'integer' ? MAX_INT : type === 'number' ? Number.MAX_VALUE : null;
  if (limit !== null) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = limit;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -limit;
  }
  return out;
}

export function installValidation(app: FastifyInstance): void {
  const textual = make(true);
  const exact = make(false);
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? exact : textual).compile(bounded(schema) as object),
  );
}
