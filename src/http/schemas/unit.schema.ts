/** Administrative units: search, the tree on a date, one unit with its parents and its 2025 lineage, attributes. */
import { Type } from 'typebox';
import { Closed, IsoDate, IsoTime, Nullable, StringEnum } from './common.schema.ts';
import { UNIT_LEVELS } from '../../domain/unit.ts';

export const UnitLevelSchema = StringEnum(UNIT_LEVELS);
export const AttributeNameSchema = StringEnum(['region', 'group', 'special']);
export const LineagePartSchema = StringEnum(['full', 'partial'], { description: 'full: the whole old unit went into the new one; partial: it was split' });

export const UnitSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: 'Tên, không cần dấu / name, accents optional ("trang an")' }),
  level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')])),
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  provinceId: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const TreeQuery = Type.Object({ date: Type.Optional(IsoDate) });

export const SetAttributeBody = Closed({
  name: Type.Union([Type.Literal('region'), Type.Literal('group'), Type.Literal('special')]),
  value: Type.Union([Type.String({ maxLength: 40 }), Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  validFrom: IsoDate,
  validTo: Type.Optional(Nullable(IsoDate)),
  source: Type.Optional(Type.String({ maxLength: 300 })),
});

// ── Responses ────────────────────────────────────────────────────────────────────────────────

const unitRefFields = { id: Type.String(), code: Type.String(), name: Type.String(), fullName: Type.String(), level: UnitLevelSchema };
const listedFields = { ...unitRefFields, type: Type.String(), listId: Type.String(), validFrom: Nullable(IsoDate), validTo: Nullable(IsoDate) };

/** A unit named in passing: id, code, names, level. */
export const UnitRefSchema = Closed(unitRefFields);

/** A unit in a list: with its type, list version and validity. */
export const UnitListItemSchema = Closed(listedFields);

/** A unit across the 2025 merge, with the part of it that went over and when. */
export const LinkedUnitSchema = Closed({ ...listedFields, part: LineagePartSchema, effectiveOn: IsoDate });

export const UnitAttributeSchema = Closed({
  id: Type.Integer(),
  unitId: Type.String(),
  name: AttributeNameSchema,
  value: Nullable(Type.String()),
  validFrom: Nullable(IsoDate),
  validTo: Nullable(IsoDate),
  source: Type.String(),
  createdAt: IsoTime,
});

/** One unit with its parents (nearest first), attributes and lineage across the 2025 merge. */
export const UnitDetailSchema = Closed({
  id: Type.String(),
  listId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  type: Type.String(),
  level: UnitLevelSchema,
  parentId: Nullable(Type.String()),
  provinceId: Nullable(Type.String()),
  validFrom: Nullable(IsoDate),
  validTo: Nullable(IsoDate),
  parents: Type.Array(UnitRefSchema),
  path: Type.String(),
  attributes: Type.Array(UnitAttributeSchema),
  predecessors: Type.Array(LinkedUnitSchema),
  successors: Type.Array(LinkedUnitSchema),
});

export const UnitSearchHitSchema = Closed({
  ...listedFields,
  parents: Type.Array(UnitRefSchema),
  path: Type.String(),
  match: StringEnum(['exact', 'prefix', 'contains']),
});

export const UnitSearchResultSchema = Closed({ items: Type.Array(UnitSearchHitSchema) });
export const UnitChildrenSchema = Closed({ items: Type.Array(UnitListItemSchema) });

const TreeLeaf = Closed({ id: Type.String(), code: Type.String(), name: Type.String(), type: Type.String() });
const TreeDistrict = Closed({ id: Type.String(), code: Type.String(), name: Type.String(), type: Type.String(), children: Type.Optional(Type.Array(TreeLeaf)) });
/** A province of the tree: its districts (March 2025 list) or communes, which may hold communes. Leaves have no `children`. */
export const UnitTreeNodeSchema = Closed({ id: Type.String(), code: Type.String(), name: Type.String(), type: Type.String(), children: Type.Optional(Type.Array(TreeDistrict)) });

export const UnitTreeSchema = Closed({
  listId: Nullable(Type.String()),
  date: Nullable(IsoDate),
  counts: Closed({ province: Type.Integer(), district: Type.Integer(), commune: Type.Integer() }),
  provinces: Type.Array(UnitTreeNodeSchema),
});

export const SetAttributeResultSchema = Closed({
  attribute: UnitAttributeSchema,
  closed: Type.Array(UnitAttributeSchema),
  replaced: Nullable(UnitAttributeSchema),
  unchanged: Type.Boolean(),
});
