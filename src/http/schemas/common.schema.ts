/** Schemas shared by several routes. */
import { Type } from 'typebox';

/**
 * The largest integer a database column holds (PostgreSQL `integer`). Every integer in a request
 * (ids, versions, sequence numbers) is bounded by it: a bigger one would fail in the database.
 */
export const MAX_INT = 2147483647;

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD', examples: ['2023-03-20'] });

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      message_vi: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Lỗi / error' },
);

export const errorResponses = {
  400: ErrorEnvelope,
  401: ErrorEnvelope,
  403: ErrorEnvelope,
  404: ErrorEnvelope,
  409: ErrorEnvelope,
  423: ErrorEnvelope,
  429: ErrorEnvelope,
};

export const UnitId = Type.String({ pattern: '^[0-9]{2,5}@[0-9]{4}-[0-9]{2}$', description: 'code@list, e.g. 13510@2025-03' });
