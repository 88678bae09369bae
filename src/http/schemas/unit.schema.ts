import { Type } from 'typebox';

export const UnitRef = Type.Object(
  { id: Type.String(), code: Type.String(), name: Type.String(), fullName: Type.String(), level: Type.String() },
  { additionalProperties: true },
);

export const UnitSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: 'Tên, không cần dấu / name, accents optional ("trang an")' }),
  level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')])),
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  provinceId: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const UnitDetailSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    fullName: Type.String(),
    type: Type.String(),
    level: Type.String(),
    listId: Type.String(),
    validFrom: Type.Union([Type.String(), Type.Null()]),
    validTo: Type.Union([Type.String(), Type.Null()]),
    parents: Type.Array(UnitRef),
    predecessors: Type.Array(UnitRef),
    successors: Type.Array(UnitRef),
  },
  { additionalProperties: true },
);
