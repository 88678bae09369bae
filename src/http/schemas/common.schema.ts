/** Schemas shared by several routes. */
import { Type } from 'typebox';

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
  404: ErrorEnvelope,
  409: ErrorEnvelope,
};

export const UnitId = Type.String({ pattern: '^[0-9]{2,5}@[0-9]{4}-[0-9]{2}$', description: 'code@list, e.g. 13510@2025-03' });
