/** Figures per province for the nationwide map. */
import { Type } from 'typebox';
import { Closed, IsoDate, Nullable } from './common.schema.ts';

export const ProvinceMapQuery = Type.Object({ date: Type.Optional(IsoDate) });

export const ProvinceMapItemSchema = Closed({
  unitId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  communes: Type.Integer({ description: 'rural communes (xã) valid on the date' }),
  reviewed: Type.Integer(),
  reviewedShare: Nullable(Type.Number({ description: 'percent of communes with a submitted review' })),
  averageCriteriaMet: Nullable(Type.Number()),
  below15: Type.Integer(),
});

export const ProvinceMapSchema = Closed({
  date: IsoDate,
  listId: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  provinces: Type.Array(ProvinceMapItemSchema),
});
