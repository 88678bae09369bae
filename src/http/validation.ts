/**
 * Schema validation: the query string and path parameters are text on the wire, so their numbers
 * are coerced; a JSON body is taken exactly as sent (no coercion: `true` must never become 1).
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

function make(coerce: boolean): Ajv {
  const ajv = new Ajv({ ...base, coerceTypes: coerce ? 'array' : false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  const textual = make(true);
  const exact = make(false);
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? exact : textual).compile(schema as object),
  );
}
